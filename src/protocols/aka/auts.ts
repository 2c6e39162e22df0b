// AUTS, the resynchronisation token a UE sends after a synchronisation failure
// (TS 33.102 §6.3.3), and RAND ‖ AUTS as forwarded to the HSS over Cx and S6a.
import { decodeError, isDecodeError, type DecodeError } from '../../decode-error.js';
import { decodeBase64 } from './base64.js';
import { AUTS_BYTES, RAND_BYTES, type Auts, type RandAuts } from './types.js';

const RAND_AUTS_BYTES = RAND_BYTES + AUTS_BYTES;

function splitAuts(bytes: Uint8Array): Auts | DecodeError {
  if (bytes.length !== AUTS_BYTES) {
    return decodeError('aka', `AUTS must be 14 bytes (SQN_MS⊕AK* 6 ‖ MAC-S 8), got ${bytes.length}`);
  }
  return { sqnMsXorAkStar: bytes.subarray(0, 6), macS: bytes.subarray(6, 14) };
}

/**
 * Decodes AUTS from raw bytes, or from the `auts` parameter of a Digest Authorization header,
 * which is base64 of AUTS (RFC 3310 §3.4; surrounding quotes are ignored). Never throws.
 */
export function decodeAuts(auts: string | Uint8Array): Auts | DecodeError {
  if (typeof auts !== 'string') return splitAuts(auts);
  const text = auts.length >= 2 && auts.startsWith('"') && auts.endsWith('"') ? auts.slice(1, -1) : auts;
  const bytes = decodeBase64(text, 'auts');
  return isDecodeError(bytes) ? bytes : splitAuts(bytes);
}

/**
 * Splits RAND (16) ‖ AUTS (14), the 30-byte value of Cx SIP-Authorization (AVP 610,
 * TS 29.229 §6.3.11) and S6a Re-Synchronization-Info (AVP 1411, TS 29.272 §7.3.15).
 */
export function splitRandAuts(bytes: Uint8Array): RandAuts | DecodeError {
  if (bytes.length !== RAND_AUTS_BYTES) {
    const off = bytes.length - RAND_AUTS_BYTES;
    const detail = off < 0 ? `${-off} byte(s) missing` : `${off} extra byte(s)`;
    return decodeError('aka', `RAND ‖ AUTS must be exactly 30 bytes (RAND 16 ‖ AUTS 14), got ${bytes.length}: ${detail}`);
  }
  const autsBytes = bytes.subarray(RAND_BYTES);
  const auts = splitAuts(autsBytes);
  if (isDecodeError(auts)) return auts;
  return { rand: bytes.subarray(0, RAND_BYTES), autsBytes, auts };
}
