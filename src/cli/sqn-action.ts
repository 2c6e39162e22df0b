// The work of `imscap sqn` (registered in sqn.ts): opens or builds AUTN / AUTS with Milenage and
// returns exit 1 when a MAC does not verify.
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
import { SQN_MAX } from '../protocols/aka/sqn.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from './exit-codes.js';
import { chooseFormat } from './output.js';
import { DEFAULT_AMF, type SqnOptions } from './sqn.js';
import { keyFromOptions, parseHexOption } from './subscribers.js';

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

/** Runs the calculator; returns the exit code. */
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
