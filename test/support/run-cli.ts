// Runs imscap in-process, capturing what it writes to stdout and stderr (through the CLI's own
// sinks: the test runner itself talks over the real stdout, which must not be touched).
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let running: Promise<unknown> = Promise.resolve();

/** Calls main(args) with its output captured; calls are serialised (the sinks are global). */
export function runCli(args: readonly string[]): Promise<CliRun> {
  const run = running.then(async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
    return { code, stdout: out.join(''), stderr: err.join('') };
  });
  running = run.catch(() => undefined);
  return run;
}

export interface ImscapRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `imscap ...args` in this process (runCli, with the short names the command tests use). */
export async function imscap(...args: string[]): Promise<ImscapRun> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}
