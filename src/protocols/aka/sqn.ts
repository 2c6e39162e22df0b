// Sequence number arithmetic and the USIM freshness check (TS 33.102 Annex C).
//
// SQN is a 48-bit value SEQ ‖ IND, IND being the low `indBits` bits (Annex C.1.2). The USIM
// keeps an array SEQ_MS(0..a-1), a = 2^indBits, of the highest SEQ accepted per IND value.
//
// Simplification: a capture rarely shows the USIM's array, only SQN_MS — the highest SQN
// accepted anywhere in the array, which AUTS reports (Annex C.2.2). Given that scalar, every
// array entry is taken to equal SEQ(SQN_MS). The verdict is then the UE's worst case: a
// challenge whose SEQ is not above SEQ_MS is called not fresh, although a real USIM would still
// accept it when the entry for its IND happens to be lower. Give the whole array to get the
// exact Annex C.2 result.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { SQN_BYTES } from './types.js';

export const SQN_MAX = (1n << 48n) - 1n;
// TS 33.102 Annex C.3.2 (profile for SQNs that are not time-based): IND is 5 bits, Δ = 2^28.
export const DEFAULT_IND_BITS = 5;
export const DEFAULT_DELTA = 1n << 28n;

/** SQN (6 bytes, big-endian) as a 48-bit bigint. Never throws. */
export function sqnFromBytes(bytes: Uint8Array): bigint | DecodeError {
  if (bytes.length !== SQN_BYTES) return decodeError('aka', `SQN must be 6 bytes, got ${bytes.length}`);
  let sqn = 0n;
  for (const b of bytes) sqn = (sqn << 8n) | BigInt(b);
  return sqn;
}

function checkSqn(name: string, sqn: bigint): void {
  if (sqn < 0n || sqn > SQN_MAX) throw new RangeError(`${name} must be a 48-bit value, got ${sqn}`);
}

function checkIndBits(indBits: number): void {
  if (!Number.isInteger(indBits) || indBits < 0 || indBits > 47) {
    throw new RangeError(`indBits must be an integer in 0..47, got ${indBits}`);
  }
}

/** 6 bytes, big-endian. Throws RangeError outside 0..2^48-1. */
export function sqnToBytes(sqn: bigint): Uint8Array {
  checkSqn('SQN', sqn);
  const out = new Uint8Array(SQN_BYTES);
  let v = sqn;
  for (let i = SQN_BYTES - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export interface SeqInd {
  readonly seq: bigint;
  readonly ind: number;
}

/** SQN = SEQ ‖ IND with IND the `indBits` least significant bits (TS 33.102 Annex C.1.2). */
export function splitSqn(sqn: bigint, indBits: number = DEFAULT_IND_BITS): SeqInd {
  checkSqn('SQN', sqn);
  checkIndBits(indBits);
  const bits = BigInt(indBits);
  return { seq: sqn >> bits, ind: Number(sqn & ((1n << bits) - 1n)) };
}

/** Inverse of splitSqn. Throws RangeError when SEQ or IND do not fit. */
export function joinSqn(seq: bigint, ind: number, indBits: number = DEFAULT_IND_BITS): bigint {
  checkIndBits(indBits);
  if (!Number.isInteger(ind) || ind < 0 || ind >= 2 ** indBits) {
    throw new RangeError(`IND must be an integer in 0..${2 ** indBits - 1}, got ${ind}`);
  }
  const sqn = (seq << BigInt(indBits)) | BigInt(ind);
  checkSqn('SEQ ‖ IND', sqn);
  return sqn;
}

/**
 * SEQ_HE − SEQ_MS: how many batches the network's SQN is ahead of the UE's (negative when
 * behind). This is the quantity bounded by Δ in TS 33.102 Annex C.2.1; with indBits = 0 it
 * is the plain SQN difference.
 */
export function sqnDelta(sqnHe: bigint, sqnMs: bigint, indBits: number = DEFAULT_IND_BITS): bigint {
  return splitSqn(sqnHe, indBits).seq - splitSqn(sqnMs, indBits).seq;
}

export interface FreshnessOptions {
  /** Δ, the largest accepted jump SEQ − SEQ_MS (Annex C.2.1). Default 2^28. */
  readonly delta?: bigint;
  /** Length of IND in bits (Annex C.1.2). Default 5; 0 means no array. */
  readonly indBits?: number;
  /** L, the optional age limit: accept only when SEQ_MS − SEQ < L (Annex C.2.2). */
  readonly L?: bigint;
}

export type FreshnessVerdict =
  | { readonly accepted: true; readonly seq: bigint; readonly ind: number }
  | {
      readonly accepted: false;
      readonly seq: bigint;
      readonly ind: number;
      /** delta-exceeded: SEQ − SEQ_MS > Δ; too-old: SEQ_MS − SEQ ≥ L; not-fresh: SEQ ≤ SEQ_MS(IND). */
      readonly reason: 'delta-exceeded' | 'too-old' | 'not-fresh';
    };

/**
 * The USIM's verdict on a challenge carrying sqnHe (TS 33.102 Annex C.2): the Δ check against
 * the highest accepted SEQ_MS, the optional age limit L, then freshness against SEQ_MS(IND).
 * `ueState` is either SQN_MS (see the simplification above) or the array SEQ_MS(0..2^indBits−1).
 * Throws RangeError on out-of-range arguments (they are configuration, not capture bytes).
 */
export function sqnFreshness(
  sqnHe: bigint,
  ueState: bigint | readonly bigint[],
  options: FreshnessOptions = {},
): FreshnessVerdict {
  const indBits = options.indBits ?? DEFAULT_IND_BITS;
  const delta = options.delta ?? DEFAULT_DELTA;
  const { seq, ind } = splitSqn(sqnHe, indBits);

  let seqMsMax: bigint;
  let seqMsAtInd: bigint;
  if (typeof ueState === 'bigint') {
    seqMsMax = splitSqn(ueState, indBits).seq;
    seqMsAtInd = seqMsMax;
  } else {
    const a = 2 ** indBits;
    if (ueState.length !== a) throw new RangeError(`SEQ_MS array must have 2^indBits = ${a} entries, got ${ueState.length}`);
    seqMsMax = 0n;
    for (const s of ueState) if (s > seqMsMax) seqMsMax = s;
    seqMsAtInd = ueState[ind] ?? 0n;
  }

  // Annex C.2.1: accept only SEQ − SEQ_MS ≤ Δ.
  if (seq - seqMsMax > delta) return { accepted: false, seq, ind, reason: 'delta-exceeded' };
  // Annex C.2.2: with a limit L, accept only SEQ_MS − SEQ < L.
  if (options.L !== undefined && seqMsMax - seq >= options.L) return { accepted: false, seq, ind, reason: 'too-old' };
  // Annex C.2.2: fresh when SEQ > SEQ_MS(i), i = IND of the received SQN.
  if (seq <= seqMsAtInd) return { accepted: false, seq, ind, reason: 'not-fresh' };
  return { accepted: true, seq, ind };
}

/** True when the UE would accept sqnHe as fresh (sqnFreshness(...).accepted). */
export function wouldUeAccept(sqnHe: bigint, ueState: bigint | readonly bigint[], options: FreshnessOptions = {}): boolean {
  return sqnFreshness(sqnHe, ueState, options).accepted;
}
