// The Digest AKA nonce (RFC 3310 §3.2): base64(RAND ‖ AUTN ‖ server-specific data).
import { decodeError, isDecodeError, type DecodeError } from '../../decode-error.js';
import { decodeBase64 } from './base64.js';
import { AUTN_BYTES, RAND_BYTES, type AkaNonce } from './types.js';

/**
 * Decodes the nonce parameter of a WWW-Authenticate / Proxy-Authenticate Digest challenge
 * whose algorithm is AKAv1-MD5 or AKAv2-MD5. Surrounding double quotes, if the caller left
 * them, are ignored. Never throws.
 */
export function decodeAkaNonce(nonce: string): AkaNonce | DecodeError {
  const text = nonce.length >= 2 && nonce.startsWith('"') && nonce.endsWith('"') ? nonce.slice(1, -1) : nonce;
  const bytes = decodeBase64(text, 'nonce');
  if (isDecodeError(bytes)) return bytes;
  if (bytes.length < RAND_BYTES + AUTN_BYTES) {
    return decodeError(
      'aka',
      `nonce carries ${bytes.length} bytes; RAND (16) ‖ AUTN (16) needs at least 32`,
      bytes.length,
    );
  }
  return {
    rand: bytes.subarray(0, RAND_BYTES),
    autn: bytes.subarray(RAND_BYTES, RAND_BYTES + AUTN_BYTES),
    serverData: bytes.subarray(RAND_BYTES + AUTN_BYTES),
  };
}
