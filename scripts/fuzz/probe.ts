// Which option combinations a command accepts: each is run on a valid capture, and one that
// fails there (exit 2: "--octet-align needs --codec") is left out of the fuzz pass and the tests.
import { join } from 'node:path';
import type { CaptureCommand } from './commands.js';
import type { CasePool } from './pool.js';
import { runOnCapture } from './run-capture.js';
import type { Scratch } from './scratch.js';

/** Runs every variant on a valid capture; a variant that fails there has arguments we do not understand. */
export async function probeCommands(pool: CasePool, commands: readonly CaptureCommand[], capture: Uint8Array, scratch: Scratch): Promise<{ usable: CaptureCommand[]; unusable: string[] }> {
  const choices = commands.flatMap((c) => c.variants.map((variant) => ({ command: c.name, variant })));
  const run = await runOnCapture(pool, choices, capture, join(scratch.root, 'probe'), 'probe.pcap', scratch.cwd);
  run.cleanup();
  const unusable: string[] = [];
  const usable = commands
    .map((c) => ({
      name: c.name,
      variants: c.variants.filter((v) => {
        const r = run.cases.find((k) => k.variant === v);
        const code = r?.outcome.reply?.code;
        if (r !== undefined && r.verdict === undefined && code !== 2) return true;
        unusable.push(`${v.label}: ${r?.verdict?.reason ?? r?.outcome.reply?.stderrHead.trim() ?? 'not run'}`);
        return false;
      }),
    }))
    .filter((c) => c.variants.length > 0);
  return { usable, unusable };
}

