// ESP (RFC 4303 §2) header, UDP encapsulation (RFC 3948 §2) and the NULL-encryption heuristic
// (RFC 5879, as Wireshark's esp.enable_null_encryption_decode_heuristic applies it): for each
// candidate ICV length, the trailer before the ICV must hold a pad length and a next header
// naming a known protocol, the padding must be 1, 2, 3, … (RFC 4303 §2.4), and the payload
// must parse as that protocol.

import { u16 } from './read.js';

export const ESP_PORT = 4500; // RFC 3948 §1
export const ESP_HEADER = 8; // SPI + sequence number (RFC 4303 §2)

/** RFC 3948 §2.3: a single 0xFF octet keeps a NAT binding alive. */
export function isNatKeepalive(buf: Uint8Array, start: number, end: number): boolean {
  return end - start === 1 && buf[start] === 0xff;
}

/** RFC 3948 §2.2: four zero octets (where an SPI would be) mark an IKE message. */
export function hasNonEspMarker(buf: Uint8Array, start: number, end: number): boolean {
  return end - start >= 4 && buf[start] === 0 && buf[start + 1] === 0 && buf[start + 2] === 0 && buf[start + 3] === 0;
}

/** ICV lengths tried, in Wireshark's order (RFC 5879 §3: smallest first), then no ICV at all. */
export const ICV_LENGTHS = [12, 16, 24, 32, 0] as const;

/** Result of a successful heuristic match (reused). */
export interface EspNullMatch {
  nextHeader: number;
  payloadStart: number;
  payloadEnd: number;
  icvLength: number;
}

export function newEspNullMatch(): EspNullMatch {
  return { nextHeader: 0, payloadStart: 0, payloadEnd: 0, icvLength: 0 };
}

/**
 * Tries to read the ESP packet [start, end) (header included) as NULL-encrypted. Returns true
 * and fills `out` when a trailer and inner payload are consistent.
 */
export function matchEspNull(buf: Uint8Array, start: number, end: number, out: EspNullMatch): boolean {
  for (const icv of ICV_LENGTHS) {
    if (matchEspTrailer(buf, start + ESP_HEADER, end - icv, out)) {
      out.icvLength = icv;
      return true;
    }
  }
  return false;
}

/**
 * Whether buf[payloadStart, trailerEnd) is an ESP payload in the clear ending with its trailer:
 * padding 1, 2, 3, … then pad length and next header (RFC 4303 §2.4–2.6), and a payload that
 * parses as that protocol. Fills `out` (all but icvLength) when it is.
 */
export function matchEspTrailer(buf: Uint8Array, payloadStart: number, trailerEnd: number, out: EspNullMatch): boolean {
  const trailer = trailerEnd - 2;
  if (trailer < payloadStart) return false;
  const padLength = buf[trailer]!;
  const nextHeader = buf[trailer + 1]!;
  if (!KNOWN_NEXT_HEADERS.has(nextHeader)) return false;
  const payloadEnd = trailer - padLength;
  if (payloadEnd < payloadStart) return false;
  for (let j = 0; j < padLength; j++) if (buf[payloadEnd + j] !== j + 1) return false;
  if (!innerParses(nextHeader, buf, payloadStart, payloadEnd)) return false;
  out.nextHeader = nextHeader;
  out.payloadStart = payloadStart;
  out.payloadEnd = payloadEnd;
  return true;
}

/** Next headers the heuristic accepts: IPv4, TCP, UDP, IPv6, SCTP, ICMP (RFC 5879 §5.2 lists the common ones). */
const KNOWN_NEXT_HEADERS: ReadonlySet<number> = new Set([1, 4, 6, 17, 41, 132]);

/** Cheap structural checks that the bytes are a whole packet of protocol `nextHeader`. */
function innerParses(nextHeader: number, buf: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  switch (nextHeader) {
    case 17: // UDP: the length field covers exactly the payload (RFC 768)
      return len >= 8 && u16(buf, start + 4) === len;
    case 6: {
      // TCP: data offset within the segment (RFC 9293 §3.1)
      if (len < 20) return false;
      const dataOffset = (buf[start + 12]! >> 4) * 4;
      return dataOffset >= 20 && dataOffset <= len;
    }
    case 4: {
      if (len < 20 || buf[start]! >> 4 !== 4) return false;
      const ihl = (buf[start]! & 0x0f) * 4;
      return ihl >= 20 && u16(buf, start + 2) === len;
    }
    case 41:
      return len >= 40 && buf[start]! >> 4 === 6 && u16(buf, start + 4) + 40 === len;
    case 132:
      return len >= 12 && sctpChunksFill(buf, start + 12, end);
    case 1:
      return len >= 8 && internetChecksum(buf, start, end) === 0;
    default:
      return false;
  }
}

function sctpChunksFill(buf: Uint8Array, start: number, end: number): boolean {
  let p = start;
  while (p + 4 <= end) {
    const chunkLen = u16(buf, p + 2);
    if (chunkLen < 4 || p + chunkLen > end) return false;
    p += (chunkLen + 3) & ~3;
  }
  return p >= end && p - end < 4; // the last chunk's padding may be left off
}

/** RFC 1071 ones' complement sum folded to 16 bits, complemented (0 when a checksum verifies). */
function internetChecksum(buf: Uint8Array, start: number, end: number): number {
  let sum = 0;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) sum += buf[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
