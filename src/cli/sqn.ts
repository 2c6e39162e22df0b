// `imscap sqn`: the SQN calculator. Opens AUTN (SQN, MAC-A, RES/CK/IK) and/or AUTS (SQN_MS,
// MAC-S) with K and OP/OPc and compares them, or builds them for a chosen SQN (--generate).
// Exit 1 when a MAC does not verify. Registering the command loads only commander; Milenage
// loads when it runs (sqn-action.ts).
import { DEFAULT_IND_BITS } from '../protocols/aka/sqn.js';
import type { RegisterCommand } from './command.js';

export interface SqnOptions {
  k?: string;
  op?: string;
  opc?: string;
  amf?: string;
  rand?: string;
  autn?: string;
  auts?: string;
  generate?: boolean;
  sqn?: string;
  sqnMs?: string;
  indBits: string;
  format: string;
  showKeys?: boolean;
}

// TS 33.102 Annex H / TS 33.401 §6.1.1: AMF with the separation bit set, as E-UTRAN requires.
export const DEFAULT_AMF = '8000';

export const registerSqnCommand: RegisterCommand = (program, setExit) => {
  program
    .command('sqn')
    .description('SQN calculator: open AUTN / AUTS with K and OP or OPc, or build them with --generate (exit 1 when a MAC fails)')
    .option('--k <hex>', 'subscriber key K (32 hex digits)')
    .option('--op <hex>', 'operator variant OP (32 hex digits)')
    .option('--opc <hex>', 'OPc (32 hex digits), instead of --op')
    .option('--rand <hex>', 'RAND of the challenge (32 hex digits); random with --generate when absent')
    .option('--autn <hex>', 'AUTN of the challenge (32 hex digits)')
    .option('--auts <value>', 'AUTS (28 hex digits, or the base64 auts= parameter)')
    .option('--amf <hex>', `AMF (4 hex digits): used by --generate (default ${DEFAULT_AMF}), else compared with the AUTN`)
    .option('--generate', 'build AUTN for --sqn and/or AUTS for --sqn-ms')
    .option('--sqn <n>', 'SQN_HE to put in AUTN (decimal, or hex with 0x)')
    .option('--sqn-ms <n>', 'SQN_MS to put in AUTS (decimal, or hex with 0x)')
    .option('--ind-bits <n>', 'length of IND in SQN = SEQ ‖ IND (TS 33.102 Annex C.3.2)', String(DEFAULT_IND_BITS))
    .option('--format <format>', 'text or json', 'text')
    .option('--show-keys', 'print K / OP / OPc in the output')
    .action(async (opts: SqnOptions) => {
      const { runSqn } = await import('./sqn-action.js');
      setExit(runSqn(opts));
    });
};
