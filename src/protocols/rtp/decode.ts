// RTP fixed header, CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1).
import { decodeError, type DecodeError } from '../../decode-error.js';
import { readU16, readU32 } from './big-endian.js';
import type { RtpHeaderExtension, RtpPacket } from './types.js';

const FIXED_HEADER = 12;
const NO_CSRCS: readonly number[] = Object.freeze([]);
const EMPTY = new Uint8Array(0);

export function decodeRtp(bytes: Uint8Array): RtpPacket | DecodeError {
  return decodeRtpAt(bytes, 0, bytes.length);
}

/**
 * The packet in buf[start, end), read in place (error offsets count from `start`). Given a
 * record, the packet is read into it (the hot path reuses one record per pass).
 */
export function decodeRtpAt(buf: Uint8Array, start: number, end: number, into: RtpPacketRecord = new RtpPacketRecord()): RtpPacket | DecodeError {
  const length = end - start;
  if (length < FIXED_HEADER) return decodeError('rtp', 'shorter than the 12-byte fixed header', 0);
  const b0 = buf[start] as number;
  const b1 = buf[start + 1] as number;
  if (b0 >> 6 !== 2) return decodeError('rtp', `version ${b0 >> 6} is not 2`, 0);
  const hasPadding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  let offset = FIXED_HEADER + 4 * csrcCount;
  if (offset > length) return decodeError('rtp', 'CSRC list runs past the end', FIXED_HEADER);

  let csrcs = NO_CSRCS;
  if (csrcCount > 0) {
    const list: number[] = [];
    for (let i = FIXED_HEADER; i < offset; i += 4) list.push(readU32(buf, start + i));
    csrcs = list;
  }

  let extension: RtpHeaderExtension | undefined;
  if (hasExtension) {
    // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words, then the words.
    if (offset + 4 > length) return decodeError('rtp', 'header extension runs past the end', offset);
    const profile = readU16(buf, start + offset);
    const words = readU16(buf, start + offset + 2);
    const extEnd = offset + 4 + 4 * words;
    if (extEnd > length) return decodeError('rtp', 'header extension runs past the end', offset);
    extension = { profile, data: buf.subarray(start + offset + 4, start + extEnd) };
    offset = extEnd;
  }

  let paddingLength = 0;
  if (hasPadding) {
    // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
    paddingLength = buf[end - 1] as number;
    if (paddingLength === 0 || offset + paddingLength > length) {
      return decodeError('rtp', 'padding count is zero or larger than the payload', length - 1);
    }
  }

  into.buf = buf;
  into.marker = (b1 & 0x80) !== 0;
  into.payloadType = b1 & 0x7f;
  into.sequence = readU16(buf, start + 2);
  into.timestamp = readU32(buf, start + 4);
  into.ssrc = readU32(buf, start + 8);
  into.csrcs = csrcs;
  into.extension = extension;
  into.paddingLength = paddingLength;
  into.headerLength = offset;
  into.payloadStart = start + offset;
  into.payloadEnd = end - paddingLength;
  return into;
}

/** A decoded packet whose payload stays where it is: a view of it is made only on request. */
export class RtpPacketRecord implements RtpPacket {
  readonly version = 2;
  marker = false;
  payloadType = 0;
  sequence = 0;
  timestamp = 0;
  ssrc = 0;
  csrcs: readonly number[] = NO_CSRCS;
  extension: RtpHeaderExtension | undefined = undefined;
  paddingLength = 0;
  headerLength = 0;
  buf: Uint8Array = EMPTY;
  payloadStart = 0;
  payloadEnd = 0;

  get payload(): Uint8Array {
    return this.buf.subarray(this.payloadStart, this.payloadEnd);
  }
}

/**
 * Cheap test for an RTP packet on a port no signalling announced: version 2, a payload type
 * that is not RTCP seen through the marker bit (RFC 5761 §4: 72–76 = 200–204 − 128), and a
 * header (CSRCs, extension, padding) that fits the datagram.
 */
export function looksLikeRtp(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  if (end - start < FIXED_HEADER) return false;
  const b0 = bytes[start] as number;
  if (b0 >> 6 !== 2) return false;
  const pt = (bytes[start + 1] as number) & 0x7f;
  if (pt >= 72 && pt <= 76) return false;
  let offset = start + FIXED_HEADER + 4 * (b0 & 0x0f);
  if (offset > end) return false;
  if ((b0 & 0x10) !== 0) {
    if (offset + 4 > end) return false;
    offset += 4 + 4 * readU16(bytes, offset + 2);
    if (offset > end) return false;
  }
  if ((b0 & 0x20) !== 0) {
    const pad = bytes[end - 1] as number;
    if (pad === 0 || offset + pad > end) return false;
  }
  return true;
}
