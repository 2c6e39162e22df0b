// The SQN calculator: open one challenge (RAND, AUTN) and/or one resynchronisation token
// (RAND, AUTS) with K and OPc, compare the HSS's and the SIM's SQN, or build AUTN / AUTS for a
// chosen SQN (test vectors).
import { isDecodeError, type DecodeError } from '../../decode-error.js';
import { milenageForRand } from '../../crypto/milenage.js';
import { splitAutn } from '../../protocols/aka/autn.js';
import { decodeAuts } from '../../protocols/aka/auts.js';
import { resolveAuthVector, resolveAuts, type ResolvedAuthVector, type ResolvedAuts } from '../../protocols/aka/resolve.js';
import { sqnDelta, sqnFreshness, sqnToBytes, splitSqn, type FreshnessVerdict, type SeqInd } from '../../protocols/aka/sqn.js';
import type { AutnFields, AutsFields } from './report-types.js';

export interface CalculatorKeys {
  readonly k: Uint8Array;
  readonly opc: Uint8Array;
  /** The subscriber's configured AMF: checked against AUTN, used to generate AUTN. */
  readonly amf?: Uint8Array;
}

export interface OpenedChallenge {
  readonly autn: Uint8Array;
  readonly fields: AutnFields;
  readonly resolved: ResolvedAuthVector;
  readonly split: SeqInd;
  readonly amfMatches?: boolean;
}

export interface OpenedAuts {
  readonly auts: Uint8Array;
  readonly fields: AutsFields;
  readonly resolved: ResolvedAuts;
  readonly split: SeqInd;
}

export interface SqnCalculation {
  readonly rand: Uint8Array;
  readonly indBits: number;
  readonly challenge?: OpenedChallenge;
  readonly resync?: OpenedAuts;
  /** Both given: SEQ_HE − SEQ_MS and the USIM's verdict on SQN_HE (TS 33.102 Annex C.2). */
  readonly seqDelta?: bigint;
  readonly freshness?: FreshnessVerdict;
}

export interface CalculationInput extends CalculatorKeys {
  readonly rand: Uint8Array;
  readonly autn?: Uint8Array;
  /** 14 raw bytes, or the base64 `auts` Digest parameter (RFC 3310 §3.4). */
  readonly auts?: Uint8Array | string;
  readonly indBits: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Opens AUTN and/or AUTS; a malformed value is a DecodeError. K / OPc must be 16 bytes. */
export function calculateSqn(input: CalculationInput): SqnCalculation | DecodeError {
  const { k, opc, rand, indBits } = input;
  let challenge: OpenedChallenge | undefined;
  let resync: OpenedAuts | undefined;
  if (input.autn !== undefined) {
    const fields = splitAutn(input.autn);
    if (isDecodeError(fields)) return fields;
    const resolved = resolveAuthVector({ k, opc, rand, autn: input.autn });
    if (isDecodeError(resolved)) return resolved;
    challenge = {
      autn: input.autn,
      fields,
      resolved,
      split: splitSqn(resolved.sqn, indBits),
      ...(input.amf !== undefined ? { amfMatches: sameBytes(input.amf, fields.amf) } : {}),
    };
  }
  if (input.auts !== undefined) {
    const fields = decodeAuts(input.auts);
    if (isDecodeError(fields)) return fields;
    const auts = new Uint8Array(14);
    auts.set(fields.sqnMsXorAkStar, 0);
    auts.set(fields.macS, 6);
    const resolved = resolveAuts({ k, opc, rand, auts });
    if (isDecodeError(resolved)) return resolved;
    resync = { auts, fields: { sqnMsXorAkStar: auts.subarray(0, 6), macS: auts.subarray(6) }, resolved, split: splitSqn(resolved.sqnMs, indBits) };
  }
  const both =
    challenge !== undefined && resync !== undefined
      ? {
          seqDelta: sqnDelta(challenge.resolved.sqn, resync.resolved.sqnMs, indBits),
          freshness: sqnFreshness(challenge.resolved.sqn, resync.resolved.sqnMs, { indBits }),
        }
      : {};
  return { rand, indBits, ...(challenge ? { challenge } : {}), ...(resync ? { resync } : {}), ...both };
}

export interface GeneratedChallenge {
  readonly sqn: bigint;
  readonly split: SeqInd;
  readonly amf: Uint8Array;
  readonly ak: Uint8Array;
  readonly macA: Uint8Array;
  readonly autn: Uint8Array;
  readonly xres: Uint8Array;
  readonly ck: Uint8Array;
  readonly ik: Uint8Array;
  /** RFC 3310 §3.2: the Digest nonce base64(RAND ‖ AUTN). */
  readonly nonce: string;
}

export interface GeneratedAuts {
  readonly sqnMs: bigint;
  readonly split: SeqInd;
  readonly akStar: Uint8Array;
  readonly macS: Uint8Array;
  readonly auts: Uint8Array;
  /** RFC 3310 §3.4: the Digest auts parameter, base64(AUTS). */
  readonly autsBase64: string;
  /** TS 29.229 §6.3.11 / TS 29.272 §7.3.15: RAND ‖ AUTS as Cx and S6a carry it. */
  readonly randAuts: Uint8Array;
}

export interface Generated {
  readonly rand: Uint8Array;
  readonly challenge?: GeneratedChallenge;
  readonly resync?: GeneratedAuts;
}

export interface GenerateInput {
  readonly k: Uint8Array;
  readonly opc: Uint8Array;
  readonly rand: Uint8Array;
  readonly amf: Uint8Array;
  /** SQN_HE for an AUTN. */
  readonly sqn?: bigint;
  /** SQN_MS for an AUTS. */
  readonly sqnMs?: bigint;
  readonly indBits: number;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((v, i) => v ^ (b[i] ?? 0));
}

// TS 33.102 §6.3.3: AUTS uses a dummy AMF* of all zeros.
const AMF_STAR = new Uint8Array(2);

/** Builds AUTN (TS 33.102 §6.3.2) and/or AUTS (§6.3.3). Throws RangeError on bad lengths or SQN. */
export function generateVector(input: GenerateInput): Generated {
  const m = milenageForRand(input.k, input.opc, input.rand);
  let challenge: GeneratedChallenge | undefined;
  let resync: GeneratedAuts | undefined;
  if (input.sqn !== undefined) {
    const sqnBytes = sqnToBytes(input.sqn);
    const { res, ck, ik, ak } = m.f2345();
    const macA = m.f1(sqnBytes, input.amf);
    const autn = concat(concat(xor(sqnBytes, ak), input.amf), macA);
    challenge = {
      sqn: input.sqn,
      split: splitSqn(input.sqn, input.indBits),
      amf: input.amf,
      ak,
      macA,
      autn,
      xres: res,
      ck,
      ik,
      nonce: Buffer.from(concat(input.rand, autn)).toString('base64'),
    };
  }
  if (input.sqnMs !== undefined) {
    const sqnBytes = sqnToBytes(input.sqnMs);
    const akStar = m.f5star();
    const macS = m.f1star(sqnBytes, AMF_STAR);
    const auts = concat(xor(sqnBytes, akStar), macS);
    resync = {
      sqnMs: input.sqnMs,
      split: splitSqn(input.sqnMs, input.indBits),
      akStar,
      macS,
      auts,
      autsBase64: Buffer.from(auts).toString('base64'),
      randAuts: concat(input.rand, auts),
    };
  }
  return { rand: input.rand, ...(challenge ? { challenge } : {}), ...(resync ? { resync } : {}) };
}
