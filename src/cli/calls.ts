// `imscap calls CAPTURE`: one row per SIP dialog, the way sngrep lists calls (start, Call-ID,
// From, To, method, state, final status, duration, codec, frames, messages), or the full
// per-dialog records with their offer/answer negotiations as JSON.
import { InvalidArgumentError } from 'commander';
import type { RegisterCommand } from './command.js';
import { runCapturePass } from './capture-pass.js';
import { parseDecodeAs } from './decode.js';
import { chooseFormat, emitReport } from './output.js';
import { CallTable } from '../analysis/call-summary.js';
import { DEFAULT_MAX_OPEN_CALLS } from '../analysis/dialogs.js';
import { renderCallsJson, renderCallsText, type CallsDocument } from '../report/calls.js';
import type { AppProtocol } from '../pipeline/dispatch.js';

interface CallsOptions {
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

export const DECODE_AS_OPTION = ['--decode-as <PORT=proto>', 'treat a port as sip, diameter or gtpv2 (repeatable), e.g. 6060=sip'] as const;
export const MAX_OPEN_CALLS_OPTION = ['--max-open-calls <n>', 'calls held open at most; beyond it the least recently active is closed (bounds memory)'] as const;

/** One pass: the calls of a capture as summaries, in the order of their first message. */
export async function listCalls(capture: string, options: { ports?: ReadonlyMap<number, AppProtocol>; maxOpenCalls?: number } = {}): Promise<{ doc: CallsDocument; peakOpenCalls: number }> {
  const table = new CallTable(options.maxOpenCalls !== undefined ? { maxOpenCalls: options.maxOpenCalls } : {});
  await runCapturePass(capture, { sip: (e) => table.sip(e) }, options.ports !== undefined ? { ports: options.ports } : {});
  const { calls, unplaced } = table.finish();
  return { doc: { capture, calls, unplaced }, peakOpenCalls: table.peakOpenCalls() };
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
      const format = chooseFormat(opts.format, ['text', 'json'] as const, 'text');
      const ports = parseDecodeAs(opts.decodeAs);
      const { doc } = await listCalls(capture, { ports, maxOpenCalls: opts.maxOpenCalls });
      emitReport(format === 'json' ? renderCallsJson(doc) : renderCallsText(doc), opts);
    });
};
