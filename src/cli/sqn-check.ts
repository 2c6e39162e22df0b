// `imscap sqn-check CAPTURE`: finds authentication (SQN) resynchronisation loops from the SIP
// side, the Cx / S6a side, or both (TS 33.102 §6.3.5). Exit 1 when a subscriber is in a loop,
// 2 on usage errors or unreadable input. Registering the command loads only commander; the
// analyzer loads when it runs (sqn-check-action.ts).
import { DEFAULT_IND_BITS } from '../protocols/aka/sqn.js';
import type { RegisterCommand } from './command.js';
import { addSubscriberKeyOptions } from './subscriber-options.js';
import type { SubscriberKeyOptions } from './subscribers.js';

export interface SqnCheckOptions extends SubscriberKeyOptions {
  format: string;
  output?: string;
  force?: boolean;
  indBits: string;
  loopRounds: string;
  showKeys?: boolean;
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
    const { runSqnCheck } = await import('./sqn-check-action.js');
    setExit(await runSqnCheck(capture, opts));
  });
};
