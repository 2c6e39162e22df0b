// Command-line entry: parses arguments, maps outcomes to exit codes (0 clean, 1 findings,
// 2 usage or unreadable input, 3 internal error). The work lives in the command modules, each
// loaded only when its command runs: what this module imports stays small (start-up time).
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { EXIT_INTERNAL, EXIT_USAGE, UsageError } from './exit-codes.js';
import { FormatError } from './output.js';
import { OutputDirectoryError, OutputExistsError } from '../output/atomic-file.js';
import { CaptureError } from '../capture/capture-error.js';
import { COMMANDS } from './commands.js';
import { setCliIo, writeErr, writeOut, type CliIo } from './io.js';
import { ESP_KEYS_OPTION, useEspKeys } from './esp-keys-option.js';

let version: string | undefined;

/** The version in package.json, read once. */
export function packageVersion(): string {
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

/** Runs imscap with the given arguments; resolves to the process exit code. */
export async function main(argv: readonly string[], io?: CliIo): Promise<number> {
  setCliIo(io);
  try {
    return await runProgram(argv);
  } finally {
    setCliIo(undefined);
  }
}

async function runProgram(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('imscap')
    .description('Offline analyser for VoLTE / VoNR / IMS packet captures')
    .version(packageVersion(), '-V, --version')
    .option('--no-color', 'never colour stderr')
    .option(...ESP_KEYS_OPTION)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => writeOut(s),
      writeErr: (s) => writeErr(s),
      outputError: (s, write) => write(`imscap: ${s.replace(/^error: /, '').trim()}\n`),
    });
  for (const register of COMMANDS) {
    register(program, (code) => {
      exitCode = Math.max(exitCode, code);
    });
  }
  // Options of the program itself (given before or after the command) take effect before it runs.
  await useEspKeys(undefined);
  program.hook('preAction', (root) => useEspKeys(root.opts<{ espKeys?: string }>().espKeys));
  try {
    await program.parseAsync(['node', 'imscap', ...argv]);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.code === 'commander.executeSubCommandAsync') return EXIT_INTERNAL;
      return EXIT_USAGE;
    }
    if (err instanceof UsageError || err instanceof CaptureError || err instanceof FormatError || err instanceof OutputExistsError || err instanceof OutputDirectoryError) {
      writeErr(`imscap: ${err.message}\n`);
      return EXIT_USAGE;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.path === 'string') {
      writeErr(`imscap: ${e.path}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    writeErr(`imscap: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_INTERNAL;
  }
}
