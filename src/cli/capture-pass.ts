// The pass every command runs: progress bar on a TTY, and the capture's own problems (truncated
// tail, lying record length) said on stderr with the file, frame and offset.
import { runPass, type PassOptions, type PassResult } from '../pipeline/pass.js';
import type { PassHandlers } from '../pipeline/events.js';
import { ProgressBar } from './progress.js';
import { writeErr } from './io.js';
import { espKeys } from './esp-keys-option.js';

export async function runCapturePass(path: string, handlers: PassHandlers, options: PassOptions = {}): Promise<PassResult> {
  const bar = new ProgressBar(`reading ${path}`);
  try {
    const keys = espKeys();
    const net = keys === undefined ? options.net : { ...options.net, espKeys: keys };
    const result = await runPass(path, handlers, { ...options, ...(net !== undefined ? { net } : {}), onProgress: (done, total) => bar.update(done, total) });
    bar.done();
    reportCaptureWarnings(path, result);
    return result;
  } finally {
    bar.done();
  }
}

export function reportCaptureWarnings(path: string, result: PassResult): void {
  for (const w of result.capture.warnings) {
    const where = w.frameNo !== undefined ? `frame ${w.frameNo}, offset ${w.offset}` : `offset ${w.offset}`;
    writeErr(`imscap: warning: ${path}: ${where}: ${w.message}\n`);
  }
  const bad = result.net.malformed + result.app.errors;
  if (bad > 0) {
    const first = [...result.net.firstMalformed.map((p) => `frame ${p.frameNo} ${p.layer}: ${p.reason}`), ...result.app.firstErrors.map((p) => `frame ${p.frameNo} ${p.protocol}: ${p.reason}`)];
    writeErr(`imscap: warning: ${path}: ${result.net.malformed} malformed packet(s), ${result.app.errors} undecodable message(s); first: ${first.slice(0, 3).join('; ')}\n`);
  }
}
