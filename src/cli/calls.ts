// `imscap calls CAPTURE`: one row per SIP dialog, the way sngrep lists calls (start, Call-ID,
// From, To, method, state, final status, duration, codec, frames, messages), or the full
// per-dialog records with their offer/answer negotiations as JSON. Registering the command
// loads only commander; the pass and the call table load when it runs (calls-action.ts).
import { InvalidArgumentError } from 'commander';
import type { RegisterCommand } from './command.js';
import type { CallsDocument } from '../report/calls.js';
import type { AppProtocol } from '../pipeline/dispatch.js';

export interface CallsOptions {
  format: string;
  output?: string;
  force?: boolean;
  decodeAs: string[];
  maxOpenCalls: number;
}

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

/**
 * The default of --max-open-calls: DEFAULT_MAX_OPEN_CALLS of analysis/dialogs.ts, repeated here
 * so that registering the option does not load the dialog tracker (a test keeps them equal).
 */
export const DEFAULT_MAX_OPEN_CALLS = 50_000;

export const DECODE_AS_OPTION = ['--decode-as <PORT=proto>', 'treat a port as sip, diameter or gtpv2 (repeatable), e.g. 6060=sip'] as const;
export const MAX_OPEN_CALLS_OPTION = ['--max-open-calls <n>', 'calls held open at most; beyond it the least recently active is closed (bounds memory)'] as const;

/** One pass: the calls of a capture as summaries, in the order of their first message. */
export async function listCalls(capture: string, options: { ports?: ReadonlyMap<number, AppProtocol>; maxOpenCalls?: number } = {}): Promise<{ doc: CallsDocument; peakOpenCalls: number }> {
  const action = await import('./calls-action.js');
  return action.listCalls(capture, options);
}

export const registerCalls: RegisterCommand = (program) => {
  program
    .command('calls')
    .description('SIP calls: one row per dialog with state, final status, duration, negotiated codec and frames (like sngrep)')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--force', 'overwrite the output file if it exists')
    .option(...DECODE_AS_OPTION, collect, [])
    .option(...MAX_OPEN_CALLS_OPTION, positiveInteger, DEFAULT_MAX_OPEN_CALLS)
    .action(async (capture: string, opts: CallsOptions) => {
      const { runCalls } = await import('./calls-action.js');
      await runCalls(capture, opts);
    });
};
