// Minimal RTCP recognition (RFC 3550 §6.4–6.6, §6.1 compound packets), so that RTCP sent on an
// unexpected port is never taken for an RTP stream.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { readU16, readU32 } from './big-endian.js';
import { RTCP_PACKET_TYPES, type RtcpPacket } from './types.js';

/** Version 2, a known RTCP packet type, and a first packet whose length fits the datagram. */
export function looksLikeRtcp(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  if (end - start < 8) return false;
  const b0 = bytes[start] as number;
  if (b0 >> 6 !== 2) return false;
  if (!RTCP_PACKET_TYPES.has(bytes[start + 1] as number)) return false;
  const length = 4 * (readU16(bytes, start + 2) + 1);
  return length <= end - start;
}

/** Split a compound RTCP packet into its packets (headers only). */
export function decodeRtcpCompound(bytes: Uint8Array): RtcpPacket[] | DecodeError {
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) return decodeError('rtcp', 'truncated packet header', offset);
    const b0 = bytes[offset] as number;
    if (b0 >> 6 !== 2) return decodeError('rtcp', `version ${b0 >> 6} is not 2`, offset);
    const packetType = bytes[offset + 1] as number;
    if (!RTCP_PACKET_TYPES.has(packetType)) return decodeError('rtcp', `unknown packet type ${packetType}`, offset + 1);
    // RFC 3550 §6.4.1: length in 32-bit words minus one, header included.
    const length = 4 * (readU16(bytes, offset + 2) + 1);
    if (offset + length > bytes.length) return decodeError('rtcp', 'packet length runs past the end', offset + 2);
    const view = bytes.subarray(offset, offset + length);
    const base = { packetType, count: b0 & 0x1f, padding: (b0 & 0x20) !== 0, bytes: view };
    packets.push(length >= 8 ? { ...base, ssrc: readU32(view, 4) } : base);
    offset += length;
  }
  if (packets.length === 0) return decodeError('rtcp', 'empty datagram', 0);
  return packets;
}
