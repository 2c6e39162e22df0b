// Reads a sequence of AVPs (RFC 6733 §4.1), descending into Grouped AVPs (§4.4). A lying
// length ends the sequence with an error value; the AVPs read before it are kept.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { readScalar } from './avp-value.js';
import { avpDefinition } from './dictionary.js';
import { toHex } from './hex.js';
import type { DiameterAvp, DiameterAvpValue } from './types.js';

/** Grouped AVPs nest a handful of levels in practice; deeper data is kept as hex, not walked. */
export const MAX_GROUP_DEPTH = 64;

const FLAG_VENDOR = 0x80;
const FLAG_MANDATORY = 0x40;
const FLAG_PROTECTED = 0x20;

/**
 * Decodes the AVPs in `bytes`. `base` is the offset of `bytes` within the message, so that
 * offsets in AVPs and errors are message offsets. Problems are appended to `errors`.
 */
export function readAvps(bytes: Uint8Array, base: number, depth: number, errors: DecodeError[]): DiameterAvp[] {
  const avps: DiameterAvp[] = [];
  let off = 0;
  while (off < bytes.length) {
    const left = bytes.length - off;
    if (left < 8) {
      errors.push(decodeError('diameter', `${left} trailing octets are too short for an AVP header`, base + off));
      break;
    }
    const code = ((bytes[off]! << 24) | (bytes[off + 1]! << 16) | (bytes[off + 2]! << 8) | bytes[off + 3]!) >>> 0;
    const flagBits = bytes[off + 4]!;
    const length = (bytes[off + 5]! << 16) | (bytes[off + 6]! << 8) | bytes[off + 7]!;
    const vendorBit = (flagBits & FLAG_VENDOR) !== 0;
    const headerLength = vendorBit ? 12 : 8; // RFC 6733 §4.1: Vendor-ID present when the V bit is set
    if (length < headerLength) {
      errors.push(decodeError('diameter', `AVP ${code} length ${length} is shorter than its ${headerLength}-octet header`, base + off));
      break;
    }
    if (length > left) {
      errors.push(decodeError('diameter', `AVP ${code} length ${length} exceeds the ${left} octets left`, base + off));
      break;
    }
    const vendorId = vendorBit ? ((bytes[off + 8]! << 24) | (bytes[off + 9]! << 16) | (bytes[off + 10]! << 8) | bytes[off + 11]!) >>> 0 : 0;
    const data = bytes.subarray(off + headerLength, off + length);
    const definition = avpDefinition(code, vendorId);
    let value: DiameterAvpValue;
    if (definition === undefined) {
      value = { type: 'Unknown', hex: toHex(data) };
    } else if (definition.type === 'Grouped') {
      if (depth >= MAX_GROUP_DEPTH) {
        errors.push(decodeError('diameter', `Grouped AVP ${definition.name} nested deeper than ${MAX_GROUP_DEPTH} levels`, base + off));
        value = { type: 'Invalid', reason: `nested deeper than ${MAX_GROUP_DEPTH} levels`, hex: toHex(data) };
      } else {
        value = { type: 'Grouped', avps: readAvps(data, base + off + headerLength, depth + 1, errors) };
      }
    } else {
      value = readScalar(definition.type, data, definition.values);
      if (value.type === 'Invalid') errors.push(decodeError('diameter', `${definition.name}: ${value.reason}`, base + off));
    }
    const flags = { vendor: vendorBit, mandatory: (flagBits & FLAG_MANDATORY) !== 0, protected: (flagBits & FLAG_PROTECTED) !== 0 };
    avps.push(
      definition === undefined
        ? { code, vendorId, flags, length, data, value, offset: base + off }
        : { code, vendorId, flags, length, name: definition.name, data, value, offset: base + off },
    );
    // RFC 6733 §4.1: each AVP is padded to a 32-bit boundary; the padding is not in its length.
    const padded = (length + 3) & ~3;
    if (padded > left) {
      errors.push(decodeError('diameter', `AVP ${code} is missing ${padded - left} octet(s) of padding`, base + off));
      break;
    }
    off += padded;
  }
  return avps;
}
