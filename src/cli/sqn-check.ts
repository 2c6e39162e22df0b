// `imscap sqn-check CAPTURE`: finds authentication (SQN) resynchronisation loops from the SIP
// side, the Cx / S6a side, or both (TS 33.102 §6.3.5). Exit 1 when a subscriber is in a loop,
// 2 on usage errors or unreadable input.
import { AkaEventFeed } from '../analysis/aka-events.js';
import { SqnResyncAnalyzer, hasResyncLoop, renderSqnReport, SQN_REPORT_FORMATS } from '../analysis/sqn/index.js';
import { DEFAULT_IND_BITS } from '../protocols/aka/sqn.js';
import type { RegisterCommand } from './command.js';
import { runCapturePass } from './capture-pass.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from './exit-codes.js';
import { chooseFormat, emitReport } from './output.js';
import { addSubscriberKeyOptions, subscriberKeysFromOptions, type SubscriberKeyOptions } from './subscribers.js';

interface SqnCheckOptions extends SubscriberKeyOptions {
  format: string;
  output?: string;
  force?: boolean;
  indBits: string;
  loopRounds: string;
  showKeys?: boolean;
}

function integerOption(name: string, text: string, min: number, max: number): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer in ${min}..${max}`);
  return n;
}

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

export const registerSqnCheck: RegisterCommand = (program, setExit) => {
  const command = program
    .command('sqn-check')
    .description('find authentication resynchronisation (SQN) loops on SIP, Cx and S6a (exit 1 when a subscriber loops)')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--force', 'overwrite the output file if it exists')
    .option('--ind-bits <n>', 'length of IND in SQN = SEQ ‖ IND (TS 33.102 Annex C.3.2)', String(DEFAULT_IND_BITS))
    .option('--loop-rounds <n>', 'resync rounds without a successful registration that make a loop', '2');
  addSubscriberKeyOptions(command).action(async (capture: string, opts: SqnCheckOptions) => {
    setExit(await runSqnCheck(capture, opts));
  });
};
