// Reads a sequence of GTPv2-C information elements (TS 29.274 §8.2.1: type, length, spare +
// instance, value), descending into grouped IEs. A lying length ends the sequence with an
// error value; the IEs read before it are kept.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { toHex } from '../diameter/hex.js';
import { readIeValue } from './ie-value.js';
import { GROUPED_IE_TYPES, IE_TYPE_NAMES } from './ie-types.js';
import type { Gtpv2Ie, Gtpv2IeValue } from './types.js';

/** Grouped IEs nest two or three levels in practice; deeper data is kept as hex. */
export const MAX_GROUP_DEPTH = 32;

const IE_HEADER_LENGTH = 4;
// §8.2.1A: type 254 announces a 2-octet IE Type Extension at the start of the value.
const IE_TYPE_EXTENSION = 254;

export function readIes(bytes: Uint8Array, base: number, depth: number, errors: DecodeError[]): Gtpv2Ie[] {
  const ies: Gtpv2Ie[] = [];
  let off = 0;
  while (off < bytes.length) {
    const left = bytes.length - off;
    if (left < IE_HEADER_LENGTH) {
      errors.push(decodeError('gtpv2', `${left} trailing octets are too short for an IE header`, base + off));
      break;
    }
    let type = bytes[off]!;
    const length = (bytes[off + 1]! << 8) | bytes[off + 2]!;
    if (length > left - IE_HEADER_LENGTH) {
      errors.push(decodeError('gtpv2', `IE ${type} length ${length} exceeds the ${left - IE_HEADER_LENGTH} octets left`, base + off));
      break;
    }
    let valueOffset = off + IE_HEADER_LENGTH;
    if (type === IE_TYPE_EXTENSION && length >= 2) {
      type = (bytes[valueOffset]! << 8) | bytes[valueOffset + 1]!;
      valueOffset += 2;
    }
    const data = bytes.subarray(valueOffset, off + IE_HEADER_LENGTH + length);
    const name = IE_TYPE_NAMES.get(type);
    let value: Gtpv2IeValue;
    if (GROUPED_IE_TYPES.has(type)) {
      if (depth >= MAX_GROUP_DEPTH) {
        errors.push(decodeError('gtpv2', `grouped IE ${type} nested deeper than ${MAX_GROUP_DEPTH} levels`, base + off));
        value = { kind: 'invalid', reason: `nested deeper than ${MAX_GROUP_DEPTH} levels`, hex: toHex(data) };
      } else {
        value = { kind: 'grouped', ies: readIes(data, base + valueOffset, depth + 1, errors) };
      }
    } else {
      const result = readIeValue(type, data);
      value = result.value;
      if (result.problem !== undefined) errors.push(decodeError('gtpv2', `${name ?? `IE ${type}`}: ${result.problem}`, base + off));
    }
    const flags = bytes[off + 3]!;
    const ie = { type, length, cr: flags >> 4, instance: flags & 0x0f, data, value, offset: base + off };
    ies.push(name === undefined ? ie : { ...ie, name });
    off += IE_HEADER_LENGTH + length;
  }
  return ies;
}
