// The work of `imscap info` (registered in info.ts): one pass, then the capture summary.
import { runCapturePass } from './capture-pass.js';
import { captureInfo } from '../analysis/capture-info.js';
import { renderInfoJson, renderInfoText } from '../report/info.js';
import { chooseFormat, emitReport } from './output.js';
import type { InfoOptions } from './info.js';

export async function runInfo(capture: string, opts: InfoOptions): Promise<void> {
  const format = chooseFormat(opts.format, ['text', 'json'] as const, 'text');
  const pass = await runCapturePass(capture, {});
  const report = captureInfo(capture, pass);
  emitReport(format === 'json' ? renderInfoJson(report) : renderInfoText(report), opts);
}
