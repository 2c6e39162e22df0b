// The work of `imscap calls` (registered in calls.ts): one pass through the call table.
import { runCapturePass } from './capture-pass.js';
import { parseDecodeAs } from './decode.js';
import { chooseFormat, emitReport } from './output.js';
import type { CallsOptions } from './calls.js';
import { CallTable } from '../analysis/call-summary.js';
import { renderCallsJson, renderCallsText, type CallsDocument } from '../report/calls.js';
import type { AppProtocol } from '../pipeline/dispatch.js';

/** One pass: the calls of a capture as summaries, in the order of their first message. */
export async function listCalls(capture: string, options: { ports?: ReadonlyMap<number, AppProtocol>; maxOpenCalls?: number } = {}): Promise<{ doc: CallsDocument; peakOpenCalls: number }> {
  const table = new CallTable(options.maxOpenCalls !== undefined ? { maxOpenCalls: options.maxOpenCalls } : {});
  await runCapturePass(capture, { sip: (e) => table.sip(e) }, options.ports !== undefined ? { ports: options.ports } : {});
  const { calls, unplaced } = table.finish();
  return { doc: { capture, calls, unplaced }, peakOpenCalls: table.peakOpenCalls() };
}

export async function runCalls(capture: string, opts: CallsOptions): Promise<void> {
  const format = chooseFormat(opts.format, ['text', 'json'] as const, 'text');
  const ports = parseDecodeAs(opts.decodeAs);
  const { doc } = await listCalls(capture, { ports, maxOpenCalls: opts.maxOpenCalls });
  emitReport(format === 'json' ? renderCallsJson(doc) : renderCallsText(doc), opts);
}
