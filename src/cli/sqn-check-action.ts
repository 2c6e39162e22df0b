// The work of `imscap sqn-check` (registered in sqn-check.ts): one pass feeding the AKA events
// of SIP, Cx and S6a to the resync analyzer, the report, and exit 1 when a subscriber loops.
import { AkaEventFeed } from '../analysis/aka-events.js';
import { SqnResyncAnalyzer, hasResyncLoop, renderSqnReport, SQN_REPORT_FORMATS } from '../analysis/sqn/index.js';
import { runCapturePass } from './capture-pass.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from './exit-codes.js';
import { chooseFormat, emitReport } from './output.js';
import type { SqnCheckOptions } from './sqn-check.js';
import { subscriberKeysFromOptions } from './subscribers.js';

function integerOption(name: string, text: string, min: number, max: number): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer in ${min}..${max}`);
  return n;
}

/** Runs the check; resolves to the exit code. */
export async function runSqnCheck(capture: string, opts: SqnCheckOptions): Promise<number> {
  const format = chooseFormat(opts.format, SQN_REPORT_FORMATS, 'text');
  // TS 33.102 Annex C.3.2: IND is part of the 48-bit SQN.
  const indBits = integerOption('--ind-bits', opts.indBits, 0, 47);
  const loopRounds = integerOption('--loop-rounds', opts.loopRounds, 1, 1_000_000);
  const keys = subscriberKeysFromOptions(opts);
  if (opts.showKeys === true && keys === undefined) throw new UsageError('--show-keys needs --k or --subscribers');
  const analyzer = new SqnResyncAnalyzer({ indBits, loopRounds, showKeys: opts.showKeys === true, ...(keys !== undefined ? { keys } : {}) });
  const feed = new AkaEventFeed(analyzer);
  await runCapturePass(capture, feed.handlers());
  const report = analyzer.finish();
  emitReport(renderSqnReport(report, format), opts);
  return hasResyncLoop(report) ? EXIT_FINDINGS : EXIT_CLEAN;
}
