// IPv4 (RFC 791) and IPv6 (RFC 8200) headers, IPv6 extension headers, fragment reassembly
// hand-off, and the dispatch of the payload by protocol number.

import type { NetContext } from './context.js';
import { decodeIcmp, decodeIcmpv6 } from './icmp.js';
import { Layer } from './layers.js';
import { u16, u32 } from './read.js';
import { decodeSctp } from './sctp-packet.js';
import { decodeTcp } from './tcp.js';
import { decodeEsp } from './tunnels.js';
import { decodeUdp } from './udp.js';

export const PROTO_ICMP = 1;
export const PROTO_IPV4 = 4;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_IPV6 = 41;
export const PROTO_ESP = 50;
export const PROTO_AH = 51;
export const PROTO_ICMPV6 = 58;
export const PROTO_SCTP = 132;

// IPv6 extension headers with the generic (next header, length in 8-octet units) layout (RFC 8200 §4).
const EXT_HOP_BY_HOP = 0;
const EXT_ROUTING = 43;
const EXT_FRAGMENT = 44;
const EXT_DESTINATION = 60;
const EXT_MOBILITY = 135; // RFC 6275 §6.1
const EXT_HIP = 139; // RFC 7401 §5.1
const EXT_SHIM6 = 140; // RFC 5533 §5
const EXT_NONE = 59;

export function decodeIpv4(ctx: NetContext, buf: Uint8Array, off: number, end: number): void {
  ctx.mark(Layer.Ipv4);
  if (end - off < 20) return ctx.short('ipv4', `${end - off} bytes, header needs 20`, buf, end);
  const vihl = buf[off]!;
  if (vihl >> 4 !== 4) return ctx.report('malformed', 'ipv4', `version ${vihl >> 4} in an IPv4 header`);
  const ihl = (vihl & 0x0f) * 4;
  if (ihl < 20) return ctx.report('malformed', 'ipv4', `header length ${ihl} < 20`);
  if (end - off < ihl) return ctx.short('ipv4', `header of ${ihl} bytes with options cut short`, buf, end);
  let total = u16(buf, off + 2);
  if (total === 0) total = end - off; // TCP segmentation offload leaves 0 (as Wireshark assumes)
  if (total < ihl) return ctx.report('malformed', 'ipv4', `total length ${total} < header length ${ihl}`);
  let ipEnd = off + total;
  if (ipEnd > end) {
    ctx.short('ipv4', `total length ${total} exceeds the ${end - off} bytes present`, buf, end);
    ipEnd = end;
  }
  const flagsOffset = u16(buf, off + 6);
  const more = (flagsOffset & 0x2000) !== 0;
  const fragOffset = (flagsOffset & 0x1fff) * 8; // RFC 791 §3.1: in 8-octet units
  const proto = buf[off + 9]!;
  const src = ctx.addr.ipv4(buf, off + 12);
  const dst = ctx.addr.ipv4(buf, off + 16);
  if (!more && fragOffset === 0) return decodeIpPayload(ctx, proto, buf, off + ihl, ipEnd, src, dst, 4);

  ctx.mark(Layer.Ipv4Frag);
  if (ipEnd < off + total) return; // a fragment the capture cut cannot be reassembled
  const key = `4 ${src} ${dst} ${u16(buf, off + 4)} ${proto}${ctx.tunnelKey()}`; // RFC 791 §3.2: the reassembly key
  if (!ctx.fragments.add(key, fragOffset, more, proto, buf, off + ihl, ipEnd, ctx.ts, ctx.frameNo)) return;
  const whole = ctx.fragments.assembled;
  decodeIpPayload(ctx, proto, whole, 0, whole.length, src, dst, 4);
}

export function decodeIpv6(ctx: NetContext, buf: Uint8Array, off: number, end: number): void {
  ctx.mark(Layer.Ipv6);
  if (end - off < 40) return ctx.short('ipv6', `${end - off} bytes, header needs 40`, buf, end);
  const version = buf[off]! >> 4;
  if (version !== 6) return ctx.report('malformed', 'ipv6', `version ${version} in an IPv6 header`);
  const payloadLength = u16(buf, off + 4);
  const nextHeader = buf[off + 6]!;
  const src = ctx.addr.ipv6(buf, off + 8);
  const dst = ctx.addr.ipv6(buf, off + 24);
  let ipEnd = off + 40 + payloadLength;
  if (payloadLength === 0 && nextHeader === EXT_HOP_BY_HOP) {
    ipEnd = end; // RFC 2675 jumbogram: the length is in a hop-by-hop option
  } else if (ipEnd > end) {
    ctx.short('ipv6', `payload length ${payloadLength} exceeds the ${end - off - 40} bytes present`, buf, end);
    ipEnd = end;
  }
  decodeIpv6Chain(ctx, nextHeader, buf, off + 40, ipEnd, src, dst, ipEnd < off + 40 + payloadLength);
}

/** Walks extension headers from `p`; a fragment header hands the rest to reassembly. */
function decodeIpv6Chain(ctx: NetContext, nextHeader: number, buf: Uint8Array, p: number, end: number, src: string, dst: string, cut: boolean): void {
  let nh = nextHeader;
  for (;;) {
    switch (nh) {
      case EXT_HOP_BY_HOP:
      case EXT_ROUTING:
      case EXT_DESTINATION:
      case EXT_MOBILITY:
      case EXT_HIP:
      case EXT_SHIM6: {
        if (end - p < 8) return ctx.short('ipv6', `extension header ${nh} cut short`, buf, end);
        const len = (buf[p + 1]! + 1) * 8; // RFC 8200 §4.3: 8-octet units, not counting the first 8
        if (p + len > end) return ctx.short('ipv6', `extension header ${nh} of ${len} bytes runs past the packet`, buf, end);
        nh = buf[p]!;
        p += len;
        continue;
      }
      case PROTO_AH: {
        ctx.mark(Layer.Ah);
        if (end - p < 12) return ctx.short('ah', 'authentication header cut short', buf, end);
        const len = (buf[p + 1]! + 2) * 4; // RFC 4302 §2.2: 4-octet units, minus 2
        if (p + len > end) return ctx.short('ah', `authentication header of ${len} bytes runs past the packet`, buf, end);
        nh = buf[p]!;
        p += len;
        continue;
      }
      case EXT_FRAGMENT: {
        ctx.mark(Layer.Ipv6Frag);
        if (end - p < 8) return ctx.short('ipv6', 'fragment header cut short', buf, end);
        const fragNext = buf[p]!;
        const offsetFlags = u16(buf, p + 2);
        const fragOffset = offsetFlags & 0xfff8; // RFC 8200 §4.5: 8-octet units in the top 13 bits
        const more = (offsetFlags & 1) !== 0;
        const id = u32(buf, p + 4);
        p += 8;
        if (fragOffset === 0 && !more) {
          nh = fragNext; // RFC 6946: an atomic fragment is processed as a whole packet
          continue;
        }
        if (cut) return; // a fragment the capture cut cannot be reassembled
        const key = `6 ${src} ${dst} ${id}${ctx.tunnelKey()}`; // RFC 8200 §4.5: source, destination, identification
        if (!ctx.fragments.add(key, fragOffset, more, fragNext, buf, p, end, ctx.ts, ctx.frameNo)) return;
        const whole = ctx.fragments.assembled;
        return decodeIpv6Chain(ctx, ctx.fragments.assembledNextHeader, whole, 0, whole.length, src, dst, false);
      }
      case EXT_NONE:
        return;
      default:
        return decodeIpPayload(ctx, nh, buf, p, end, src, dst, 6);
    }
  }
}

/** The upper-layer protocol of an IP packet, with the packet's addresses. */
export function decodeIpPayload(ctx: NetContext, proto: number, buf: Uint8Array, start: number, end: number, src: string, dst: string, version: 4 | 6): void {
  switch (proto) {
    case PROTO_UDP:
      return decodeUdp(ctx, buf, start, end, src, dst, version);
    case PROTO_TCP:
      return decodeTcp(ctx, buf, start, end, src, dst);
    case PROTO_SCTP:
      return decodeSctp(ctx, buf, start, end, src, dst);
    case PROTO_ESP:
      return decodeEsp(ctx, buf, start, end, src, dst, version, false);
    case PROTO_ICMP:
      return decodeIcmp(ctx, buf, start, end);
    case PROTO_ICMPV6:
      return decodeIcmpv6(ctx, buf, start, end);
    case PROTO_IPV4:
    case PROTO_IPV6:
      ctx.mark(Layer.IpInIp);
      if (!ctx.enterTunnel({ kind: 'ip-in-ip', src, dst })) return;
      if (proto === PROTO_IPV4) decodeIpv4(ctx, buf, start, end);
      else decodeIpv6(ctx, buf, start, end);
      return ctx.leaveTunnel();
    case PROTO_AH:
      if (version === 6) return decodeIpv6Chain(ctx, proto, buf, start, end, src, dst, false);
      return decodeIpv4Ah(ctx, buf, start, end, src, dst);
    default:
      return;
  }
}

/** AH in IPv4 (RFC 4302 §2): skipped, the protected payload is decoded. */
function decodeIpv4Ah(ctx: NetContext, buf: Uint8Array, start: number, end: number, src: string, dst: string): void {
  ctx.mark(Layer.Ah);
  if (end - start < 12) return ctx.short('ah', 'authentication header cut short', buf, end);
  const len = (buf[start + 1]! + 2) * 4;
  if (start + len > end) return ctx.short('ah', `authentication header of ${len} bytes runs past the packet`, buf, end);
  decodeIpPayload(ctx, buf[start]!, buf, start + len, end, src, dst, 4);
}
