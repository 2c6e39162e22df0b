// The work of `imscap streams` (registered in streams.ts): one pass through the RTP stream table.
import { runCapturePass } from './capture-pass.js';
import { chooseFormat, emitReport } from './output.js';
import { codecChoice, type StreamsOptions } from './streams.js';
import { RtpStreamTable } from '../analysis/rtp-streams.js';
import { renderStreamsJson, renderStreamsText } from '../report/streams.js';

export async function runStreams(capture: string, opts: StreamsOptions): Promise<void> {
  const format = chooseFormat(opts.format, ['text', 'json'] as const, 'text');
  const table = new RtpStreamTable(codecChoice(opts));
  await runCapturePass(capture, table.handlers(), { rtpHeuristic: true });
  const doc = { capture, ...table.finish() };
  emitReport(format === 'json' ? renderStreamsJson(doc) : renderStreamsText(doc), opts);
}
