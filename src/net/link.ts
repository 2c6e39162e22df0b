// Link layers: Ethernet II with any stack of 802.1Q / 802.1ad / 0x9100 tags, Linux cooked
// capture v1 and v2, raw IP, BSD NULL and OpenBSD LOOP (tcpdump.org LINKTYPE_* registry).

import { linkTypeName } from '../capture/link-types.js';
import type { NetContext } from './context.js';
import { decodeIpv4, decodeIpv6 } from './ip.js';
import { Layer } from './layers.js';
import { u16, u32 } from './read.js';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // IEEE 802.1Q
const ETHERTYPE_QINQ = 0x88a8; // IEEE 802.1ad
const ETHERTYPE_QINQ_OLD = 0x9100; // pre-standard stacked tag

const ARPHRD_NETLINK = 824; // Linux if_arp.h

// BSD address families seen in LINKTYPE_NULL / LINKTYPE_LOOP headers.
const AF_INET = 2;
const AF_INET6_BSD = 24; // NetBSD, OpenBSD
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

/** The frame's captured bytes are buf[start, end). */
export function decodeLink(ctx: NetContext, linkType: number, buf: Uint8Array, start: number, end: number): void {
  const len = end - start;
  switch (linkType) {
    case 1: // LINKTYPE_ETHERNET
      ctx.mark(Layer.Eth);
      if (len < 14) return ctx.short('eth', `${len} bytes, header needs 14`, buf, end);
      return decodeEtherType(ctx, u16(buf, start + 12), buf, start + 14, end);
    case 113: // LINKTYPE_LINUX_SLL: packet type, ARPHRD, address length, address[8], protocol
      ctx.mark(Layer.Sll);
      if (len < 16) return ctx.short('sll', `${len} bytes, header needs 16`, buf, end);
      if (u16(buf, start + 2) === ARPHRD_NETLINK) return; // the protocol field is a netlink family
      return decodeEtherType(ctx, u16(buf, start + 14), buf, start + 16, end);
    case 276: // LINKTYPE_LINUX_SLL2: protocol, reserved, ifindex, ARPHRD, packet type, address length, address[8]
      ctx.mark(Layer.Sll2);
      if (len < 20) return ctx.short('sll2', `${len} bytes, header needs 20`, buf, end);
      if (u16(buf, start + 8) === ARPHRD_NETLINK) return;
      return decodeEtherType(ctx, u16(buf, start), buf, start + 20, end);
    case 0: // LINKTYPE_NULL: address family in the capturing host's byte order
    case 108: {
      // LINKTYPE_LOOP: the same in network byte order
      ctx.mark(linkType === 0 ? Layer.Null : Layer.Loop);
      if (len < 4) return ctx.short(linkType === 0 ? 'null' : 'loop', `${len} bytes, header needs 4`, buf, end);
      let family = u32(buf, start);
      // A big-endian read of a little-endian small value has its low 16 bits clear (as Wireshark tests).
      if (linkType === 0 && (family & 0xffff0000) !== 0) family = ((buf[start + 3]! << 24) | (buf[start + 2]! << 16) | (buf[start + 1]! << 8) | buf[start]!) >>> 0;
      if (family === AF_INET) return decodeIpv4(ctx, buf, start + 4, end);
      if (family === AF_INET6_BSD || family === AF_INET6_FREEBSD || family === AF_INET6_DARWIN) return decodeIpv6(ctx, buf, start + 4, end);
      return;
    }
    case 101: // LINKTYPE_RAW
    case 12: // DLT_RAW values of some platforms
    case 14:
      ctx.mark(Layer.Raw);
      return decodeRawIp(ctx, buf, start, end);
    case 228: // LINKTYPE_IPV4
      ctx.mark(Layer.Raw);
      return decodeIpv4(ctx, buf, start, end);
    case 229: // LINKTYPE_IPV6
      ctx.mark(Layer.Raw);
      return decodeIpv6(ctx, buf, start, end);
    default:
      return ctx.unsupported('link', `link type ${linkType} (${linkTypeName(linkType)}) is not decoded`, `linktype:${linkType}`);
  }
}

/** Raw IP: the version nibble says which. */
function decodeRawIp(ctx: NetContext, buf: Uint8Array, off: number, end: number): void {
  if (end <= off) return ctx.short('raw', 'no IP header', buf, end);
  const version = buf[off]! >> 4;
  if (version === 4) return decodeIpv4(ctx, buf, off, end);
  if (version === 6) return decodeIpv6(ctx, buf, off, end);
  ctx.report('malformed', 'raw', `IP version ${version}`);
}

/** Ethertype dispatch after any number of VLAN tags. Types ≤ 1500 are 802.3 lengths (LLC follows). */
function decodeEtherType(ctx: NetContext, type: number, buf: Uint8Array, off: number, end: number): void {
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    ctx.mark(Layer.Vlan);
    if (end - off < 4) return ctx.short('vlan', 'tag cut short', buf, end);
    type = u16(buf, off + 2); // after the 2-octet TCI (IEEE 802.1Q §9.6)
    off += 4;
  }
  if (type === ETHERTYPE_IPV4) return decodeIpv4(ctx, buf, off, end);
  if (type === ETHERTYPE_IPV6) return decodeIpv6(ctx, buf, off, end);
  if (type === ETHERTYPE_ARP) ctx.mark(Layer.Arp);
}
