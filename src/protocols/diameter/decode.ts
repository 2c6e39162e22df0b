// Diameter message decoder (RFC 6733 §3): header, then the AVPs. Pure: bytes in, a typed
// record or a DecodeError out; never throws, linear in the input.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { readAvps } from './avp-list.js';
import { applicationInfo, commandInfo } from './commands.js';
import type { DiameterMessage } from './types.js';

export const DIAMETER_HEADER_LENGTH = 20;

const FLAG_REQUEST = 0x80;
const FLAG_PROXIABLE = 0x40;
const FLAG_ERROR = 0x20;
const FLAG_RETRANSMITTED = 0x10;
const FLAG_RESERVED = 0x0f;

/** Message Length field (octets 1–3), or -1 when fewer than 4 octets are given. */
export function diameterMessageLength(bytes: Uint8Array, off = 0): number {
  if (bytes.length - off < 4) return -1;
  return (bytes[off + 1]! << 16) | (bytes[off + 2]! << 8) | bytes[off + 3]!;
}

/**
 * Cheap check that `bytes` (from `off`) start a Diameter message: version 1, a length of at
 * least 20 that is a multiple of 4 (RFC 6733 §3), reserved flag bits clear, no E bit on a
 * request, a command code in the dictionary (any code when `anyCommand`, for a stream already
 * known to be Diameter), and — when its header is present — a first AVP whose length fits.
 */
export function looksLikeDiameter(bytes: Uint8Array, off = 0, anyCommand = false): boolean {
  if (bytes.length - off < DIAMETER_HEADER_LENGTH) return false;
  if (bytes[off] !== 1) return false;
  const length = diameterMessageLength(bytes, off);
  if (length < DIAMETER_HEADER_LENGTH || (length & 3) !== 0) return false;
  const flags = bytes[off + 4]!;
  if ((flags & FLAG_RESERVED) !== 0) return false;
  if ((flags & FLAG_REQUEST) !== 0 && (flags & FLAG_ERROR) !== 0) return false; // RFC 6733 §3: E MUST NOT be set in requests
  const command = (bytes[off + 5]! << 16) | (bytes[off + 6]! << 8) | bytes[off + 7]!;
  if (!anyCommand && commandInfo(command) === undefined) return false;
  const avp = off + DIAMETER_HEADER_LENGTH;
  if (length >= DIAMETER_HEADER_LENGTH + 8 && bytes.length - avp >= 8) {
    const avpLength = (bytes[avp + 5]! << 16) | (bytes[avp + 6]! << 8) | bytes[avp + 7]!;
    const headerLength = (bytes[avp + 4]! & 0x80) !== 0 ? 12 : 8;
    if (avpLength < headerLength || avpLength > length - DIAMETER_HEADER_LENGTH) return false;
  }
  return true;
}

/**
 * Decodes one message. Problems after a valid header (lying AVP lengths, a message length
 * beyond the bytes given, values that do not fit their type) are listed in `errors` and the
 * AVPs before them are kept; only an unusable header gives a DecodeError.
 */
export function decodeDiameterMessage(bytes: Uint8Array): DiameterMessage | DecodeError {
  if (bytes.length < DIAMETER_HEADER_LENGTH) {
    return decodeError('diameter', `${bytes.length} octets are too short for the ${DIAMETER_HEADER_LENGTH}-octet header`, 0);
  }
  const version = bytes[0]!;
  if (version !== 1) return decodeError('diameter', `version ${version} (expected 1)`, 0);
  const length = diameterMessageLength(bytes);
  if (length < DIAMETER_HEADER_LENGTH) return decodeError('diameter', `message length ${length} is shorter than the header`, 1);

  const errors: DecodeError[] = [];
  const flagBits = bytes[4]!;
  if ((flagBits & FLAG_RESERVED) !== 0) errors.push(decodeError('diameter', `reserved header flag bits set (0x${flagBits.toString(16)})`, 4));
  if ((length & 3) !== 0) errors.push(decodeError('diameter', `message length ${length} is not a multiple of 4`, 1));
  let end = length;
  if (length > bytes.length) {
    errors.push(decodeError('diameter', `message length ${length} exceeds the ${bytes.length} octets given`, 1));
    end = bytes.length;
  } else if (length < bytes.length) {
    errors.push(decodeError('diameter', `${bytes.length - length} octets follow the end of the message`, length));
  }

  const commandCode = (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!;
  const request = (flagBits & FLAG_REQUEST) !== 0;
  const applicationId = ((bytes[8]! << 24) | (bytes[9]! << 16) | (bytes[10]! << 8) | bytes[11]!) >>> 0;
  const command = commandInfo(commandCode);
  const application = applicationInfo(applicationId);
  const avps = readAvps(bytes.subarray(DIAMETER_HEADER_LENGTH, end), DIAMETER_HEADER_LENGTH, 0, errors);
  return {
    version,
    length,
    flags: {
      request,
      proxiable: (flagBits & FLAG_PROXIABLE) !== 0,
      error: (flagBits & FLAG_ERROR) !== 0,
      retransmitted: (flagBits & FLAG_RETRANSMITTED) !== 0,
    },
    commandCode,
    applicationId,
    hopByHop: ((bytes[12]! << 24) | (bytes[13]! << 16) | (bytes[14]! << 8) | bytes[15]!) >>> 0,
    endToEnd: ((bytes[16]! << 24) | (bytes[17]! << 16) | (bytes[18]! << 8) | bytes[19]!) >>> 0,
    ...(command === undefined ? {} : { commandName: command[1], commandAbbrev: request ? command[2] : command[3] }),
    ...(application === undefined ? {} : { applicationName: application[1], interfaceName: application[2] }),
    avps,
    errors,
  };
}
