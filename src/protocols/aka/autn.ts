// AUTN, the network authentication token (TS 33.102 §6.3.2).
import { decodeError, type DecodeError } from '../../decode-error.js';
import { AUTN_BYTES, type Autn } from './types.js';

/** Splits AUTN = SQN ⊕ AK (6) ‖ AMF (2) ‖ MAC-A (8). Never throws. */
export function splitAutn(autn: Uint8Array): Autn | DecodeError {
  if (autn.length !== AUTN_BYTES) {
    return decodeError('aka', `AUTN must be 16 bytes (SQN⊕AK 6 ‖ AMF 2 ‖ MAC-A 8), got ${autn.length}`);
  }
  return {
    sqnXorAk: autn.subarray(0, 6),
    amf: autn.subarray(6, 8),
    macA: autn.subarray(8, 16),
    // TS 33.102 Annex H / TS 33.401 §6.1.1: AMF bit 0 (the MSB) is the separation bit.
    amfSeparationBit: ((autn[6] ?? 0) & 0x80) !== 0,
  };
}
