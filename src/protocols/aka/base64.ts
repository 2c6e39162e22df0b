// Strict base64 (RFC 4648 §4) for the AKA parameters carried in Digest headers: the nonce
// (RFC 3310 §3.2) and auts (RFC 3310 §3.4). One linear pass validates; node decodes.
import { decodeError, type DecodeError } from '../../decode-error.js';

const PAD = 0x3d; // '='

function isAlphabet(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2b || // +
    code === 0x2f // /
  );
}

/**
 * Decodes `text` as standard base64. Padding may be omitted, but when present it must be
 * correct; any character outside the alphabet is an error, with its offset.
 * `what` names the parameter in the error reason (e.g. 'nonce').
 */
export function decodeBase64(text: string, what: string): Uint8Array | DecodeError {
  let end = text.length;
  let pads = 0;
  while (end > 0 && text.charCodeAt(end - 1) === PAD && pads < 3) {
    end--;
    pads++;
  }
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isAlphabet(code)) {
      const shown = code === PAD ? "'=' before the end" : `character 0x${code.toString(16).padStart(2, '0')}`;
      return decodeError('aka', `${what} is not base64: ${shown} at offset ${i}`, i);
    }
  }
  if (end % 4 === 1) return decodeError('aka', `${what} is not base64: ${end} significant characters leave a dangling 6 bits`);
  if (pads > 0 && (end + pads) % 4 !== 0) {
    return decodeError('aka', `${what} is not base64: ${pads} padding character(s) after ${end} characters`, end);
  }
  const decoded = Buffer.from(end === text.length ? text : text.slice(0, end), 'base64');
  return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length);
}
