// With the subscriber's K and OPc known, open a challenge (RAND, AUTN) or a resynchronisation
// token (RAND, AUTS) seen in a capture: recover SQN / SQN_MS and check the MACs (TS 33.102 §6.3).
import { decodeError, isDecodeError, type DecodeError } from '../../decode-error.js';
import { milenageForRand, type MilenageConstants } from '../../crypto/milenage.js';
import { splitAutn } from './autn.js';
import { decodeAuts } from './auts.js';
import { sqnFromBytes } from './sqn.js';
import { RAND_BYTES } from './types.js';

export interface AuthVectorInput {
  /** Subscriber key K, 16 bytes (user-supplied: a wrong length throws). */
  readonly k: Uint8Array;
  /** OPc, 16 bytes (user-supplied: a wrong length throws). */
  readonly opc: Uint8Array;
  /** RAND from the capture, 16 bytes. */
  readonly rand: Uint8Array;
  /** AUTN from the capture, 16 bytes. */
  readonly autn: Uint8Array;
  readonly constants?: MilenageConstants;
}

export interface ResolvedAuthVector {
  /** SQN = (SQN ⊕ AK) ⊕ AK, 48 bits. */
  readonly sqn: bigint;
  readonly amf: Uint8Array;
  readonly amfSeparationBit: boolean;
  /** MAC-A as received in AUTN. */
  readonly macA: Uint8Array;
  /** XMAC-A = f1(K, SQN, RAND, AMF) computed here. */
  readonly xmacA: Uint8Array;
  /** True when MAC-A = XMAC-A: K/OPc are right and AUTN was not altered. */
  readonly macAValid: boolean;
  /** f2: the RES a UE holding K returns (XRES at the network). */
  readonly res: Uint8Array;
  readonly ck: Uint8Array;
  readonly ik: Uint8Array;
  /** f5: AK. */
  readonly ak: Uint8Array;
}

export interface AutsInput {
  readonly k: Uint8Array;
  readonly opc: Uint8Array;
  /** RAND of the challenge the UE rejected, 16 bytes. */
  readonly rand: Uint8Array;
  /** AUTS as 14 raw bytes, or the base64 `auts` parameter of an Authorization header. */
  readonly auts: Uint8Array | string;
  readonly constants?: MilenageConstants;
}

export interface ResolvedAuts {
  /** SQN_MS = (SQN_MS ⊕ AK*) ⊕ AK*, the highest SQN the USIM accepted. */
  readonly sqnMs: bigint;
  /** MAC-S as received in AUTS. */
  readonly macS: Uint8Array;
  /** XMAC-S = f1*(K, SQN_MS, RAND, AMF*) computed here. */
  readonly xmacS: Uint8Array;
  readonly macSValid: boolean;
  /** f5*: AK*. */
  readonly akStar: Uint8Array;
}

// TS 33.102 §6.3.3: MAC-S is computed with a dummy AMF* of all zeros.
const AMF_STAR = new Uint8Array(2);

function xor6(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function checkRand(rand: Uint8Array): DecodeError | undefined {
  return rand.length === RAND_BYTES ? undefined : decodeError('aka', `RAND must be 16 bytes, got ${rand.length}`);
}

/**
 * Opens a challenge as the UE would (TS 33.102 §6.3.3): AK = f5(RAND), SQN = (SQN ⊕ AK) ⊕ AK,
 * XMAC-A = f1(SQN, RAND, AMF), and the responses f2..f4. Malformed RAND/AUTN give a
 * DecodeError; a K or OPc of the wrong length throws RangeError.
 */
export function resolveAuthVector(input: AuthVectorInput): ResolvedAuthVector | DecodeError {
  const badRand = checkRand(input.rand);
  if (badRand) return badRand;
  const autn = splitAutn(input.autn);
  if (isDecodeError(autn)) return autn;
  const m = milenageForRand(input.k, input.opc, input.rand, input.constants);
  const { res, ck, ik, ak } = m.f2345();
  const sqnBytes = xor6(autn.sqnXorAk, ak);
  const xmacA = m.f1(sqnBytes, autn.amf);
  const sqn = sqnFromBytes(sqnBytes);
  if (isDecodeError(sqn)) return sqn;
  return {
    sqn,
    amf: autn.amf,
    amfSeparationBit: autn.amfSeparationBit,
    macA: autn.macA,
    xmacA,
    macAValid: equalBytes(autn.macA, xmacA),
    res,
    ck,
    ik,
    ak,
  };
}

/**
 * Opens a resynchronisation token as the HSS does (TS 33.102 §6.3.5): AK* = f5*(RAND),
 * SQN_MS = (SQN_MS ⊕ AK*) ⊕ AK*, XMAC-S = f1*(SQN_MS, RAND, AMF* = 0x0000).
 */
export function resolveAuts(input: AutsInput): ResolvedAuts | DecodeError {
  const badRand = checkRand(input.rand);
  if (badRand) return badRand;
  const auts = decodeAuts(input.auts);
  if (isDecodeError(auts)) return auts;
  const m = milenageForRand(input.k, input.opc, input.rand, input.constants);
  const akStar = m.f5star();
  const sqnMsBytes = xor6(auts.sqnMsXorAkStar, akStar);
  const xmacS = m.f1star(sqnMsBytes, AMF_STAR);
  const sqnMs = sqnFromBytes(sqnMsBytes);
  if (isDecodeError(sqnMs)) return sqnMs;
  return { sqnMs, macS: auts.macS, xmacS, macSValid: equalBytes(auts.macS, xmacS), akStar };
}
