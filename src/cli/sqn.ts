// `imscap sqn`: the SQN calculator. Opens AUTN (SQN, MAC-A, RES/CK/IK) and/or AUTS (SQN_MS,
// MAC-S) with K and OP/OPc and compares them, or builds them for a chosen SQN (--generate).
// Exit 1 when a MAC does not verify.
import { writeOut } from './io.js';
import { randomBytes } from 'node:crypto';
import { isDecodeError } from '../decode-error.js';
import { calculateSqn, generateVector } from '../analysis/sqn/calculator.js';
import { parseHex } from '../analysis/sqn/hex.js';
import {
  renderCalculationJson,
  renderCalculationText,
  renderGeneratedJson,
  renderGeneratedText,
  type ShownKeys,
} from '../analysis/sqn/render-calculation.js';
import { DEFAULT_IND_BITS, SQN_MAX } from '../protocols/aka/sqn.js';
import type { RegisterCommand } from './command.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from './exit-codes.js';
import { chooseFormat } from './output.js';
import { keyFromOptions, parseHexOption } from './subscribers.js';

interface SqnOptions {
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
const DEFAULT_AMF = '8000';

function parseSqnOption(name: string, text: string): bigint {
  const t = text.trim();
  const isHex = t.startsWith('0x') || t.startsWith('0X');
  const digits = isHex ? t.slice(2) : t;
  const alphabet = isHex ? '0123456789abcdef' : '0123456789';
  const valid = digits.length > 0 && digits.length <= 20 && [...digits.toLowerCase()].every((c) => alphabet.includes(c));
  const value = valid ? BigInt(isHex ? `0x${digits}` : digits) : -1n;
  if (value < 0n || value > SQN_MAX) throw new UsageError(`${name} must be a 48-bit number (decimal, or hex with 0x)`);
  return value;
}

function parseIndBits(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 47) throw new UsageError('--ind-bits must be an integer in 0..47');
  return n;
}

/** AUTS as 28 hex digits, or as the base64 `auts` Digest parameter (RFC 3310 §3.4). */
function autsOption(text: string): Uint8Array | string {
  const bytes = parseHex(text.trim());
  return bytes !== undefined && bytes.length === 14 ? bytes : text.trim();
}

export function runSqn(opts: SqnOptions): number {
  const format = chooseFormat(opts.format, ['text', 'json'] as const, 'text');
  const indBits = parseIndBits(opts.indBits);
  const key = keyFromOptions(opts);
  if (key === undefined) throw new UsageError('sqn needs --k and --op or --opc');
  const shown: ShownKeys | undefined = opts.showKeys ? { k: key.k, opc: key.opc, ...(key.op ? { op: key.op } : {}) } : undefined;

  if (opts.generate) {
    if (opts.autn !== undefined || opts.auts !== undefined) throw new UsageError('--generate builds AUTN / AUTS: do not give --autn or --auts');
    if (opts.sqn === undefined && opts.sqnMs === undefined) throw new UsageError('--generate needs --sqn (for AUTN) and/or --sqn-ms (for AUTS)');
    const rand = opts.rand !== undefined ? parseHexOption('--rand', opts.rand, 16) : new Uint8Array(randomBytes(16));
    const generated = generateVector({
      k: key.k,
      opc: key.opc,
      rand,
      amf: key.amf ?? parseHexOption('--amf', DEFAULT_AMF, 2),
      indBits,
      ...(opts.sqn !== undefined ? { sqn: parseSqnOption('--sqn', opts.sqn) } : {}),
      ...(opts.sqnMs !== undefined ? { sqnMs: parseSqnOption('--sqn-ms', opts.sqnMs) } : {}),
    });
    writeOut(format === 'json' ? renderGeneratedJson(generated, shown) : renderGeneratedText(generated, shown));
    return EXIT_CLEAN;
  }

  if (opts.sqn !== undefined || opts.sqnMs !== undefined) throw new UsageError('--sqn and --sqn-ms apply with --generate');
  if (opts.rand === undefined) throw new UsageError('sqn needs --rand (the RAND of the challenge)');
  if (opts.autn === undefined && opts.auts === undefined) throw new UsageError('sqn needs --autn and/or --auts (or --generate)');
  const calculation = calculateSqn({
    k: key.k,
    opc: key.opc,
    ...(key.amf !== undefined ? { amf: key.amf } : {}),
    rand: parseHexOption('--rand', opts.rand, 16),
    ...(opts.autn !== undefined ? { autn: parseHexOption('--autn', opts.autn, 16) } : {}),
    ...(opts.auts !== undefined ? { auts: autsOption(opts.auts) } : {}),
    indBits,
  });
  if (isDecodeError(calculation)) throw new UsageError(calculation.reason);
  writeOut(format === 'json' ? renderCalculationJson(calculation, shown) : renderCalculationText(calculation, shown));
  const macFailed = calculation.challenge?.resolved.macAValid === false || calculation.resync?.resolved.macSValid === false;
  return macFailed ? EXIT_FINDINGS : EXIT_CLEAN;
}

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
    .action((opts: SqnOptions) => {
      setExit(runSqn(opts));
    });
};
