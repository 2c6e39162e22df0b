// GTPv2-C message decoder (TS 29.274 §5): header with or without TEID, the IEs, and any
// piggybacked message that follows (P flag, §5.5.1). Pure: bytes in, records or a DecodeError
// out; never throws, linear in the input.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { readIes } from './ie-list.js';
import { MESSAGE_TYPE_NAMES } from './message-types.js';
import type { Gtpv2Message } from './types.js';

const FLAG_P = 0x10;
const FLAG_T = 0x08;
const FLAG_MP = 0x04;

/** The messages of one UDP datagram; a DecodeError only when the first header is unusable. */
export function decodeGtpv2(bytes: Uint8Array): Gtpv2Message[] | DecodeError {
  const messages: Gtpv2Message[] = [];
  let off = 0;
  for (;;) {
    const result = decodeOne(bytes, off);
    if ('kind' in result) {
      if (messages.length === 0) return result;
      (messages[messages.length - 1]!.errors as DecodeError[]).push(result);
      return messages;
    }
    messages.push(result.message);
    off = result.next;
    if (!result.message.piggybacked) {
      if (off < bytes.length) (result.message.errors as DecodeError[]).push(decodeError('gtpv2', `${bytes.length - off} octets follow the message`, off));
      return messages;
    }
    if (off >= bytes.length) {
      (result.message.errors as DecodeError[]).push(decodeError('gtpv2', 'P flag set but no piggybacked message follows', off));
      return messages;
    }
  }
}

function decodeOne(bytes: Uint8Array, off: number): { message: Gtpv2Message; next: number } | DecodeError {
  const left = bytes.length - off;
  if (left < 8) return decodeError('gtpv2', `${left} octets are too short for a GTPv2-C header`, off);
  const flags = bytes[off]!;
  const version = flags >> 5;
  if (version !== 2) return decodeError('gtpv2', `version ${version} (expected 2)`, off);
  const teidPresent = (flags & FLAG_T) !== 0;
  const headerLength = teidPresent ? 12 : 8; // §5.1: TEID octets 5–8 when T = 1
  if (left < headerLength) return decodeError('gtpv2', `${left} octets are too short for a header with TEID`, off);
  const messageType = bytes[off + 1]!;
  const length = (bytes[off + 2]! << 8) | bytes[off + 3]!; // octets after the first 4
  if (length + 4 < headerLength) return decodeError('gtpv2', `message length ${length} is shorter than the header`, off + 2);
  const errors: DecodeError[] = [];
  let end = off + 4 + length;
  if (end > bytes.length) {
    errors.push(decodeError('gtpv2', `message length ${length} exceeds the ${left - 4} octets given`, off + 2));
    end = bytes.length;
  }
  const s = off + (teidPresent ? 8 : 4);
  const sequence = (bytes[s]! << 16) | (bytes[s + 1]! << 8) | bytes[s + 2]!;
  const name = MESSAGE_TYPE_NAMES.get(messageType);
  const message: Gtpv2Message = {
    version,
    piggybacked: (flags & FLAG_P) !== 0,
    messageType,
    ...(name === undefined ? {} : { messageName: name }),
    length,
    ...(teidPresent ? { teid: ((bytes[off + 4]! << 24) | (bytes[off + 5]! << 16) | (bytes[off + 6]! << 8) | bytes[off + 7]!) >>> 0 } : {}),
    sequence,
    ...((flags & FLAG_MP) !== 0 ? { messagePriority: bytes[s + 3]! >> 4 } : {}), // §5.5.1: MP in bits 8–5 of the spare octet
    ies: readIes(bytes.subarray(off + headerLength, end), off + headerLength, 0, errors),
    errors,
    offset: off,
  };
  return { message, next: end };
}
