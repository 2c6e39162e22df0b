// ICMP (RFC 792) and ICMPv6 (RFC 4443). Error messages quote the packet that caused them; like
// tshark, the layers of that quoted packet (IP and its transport header) count as present in
// the frame. Quoted bytes are never handed on as payloads nor fed to reassembly.

import type { NetContext } from './context.js';
import { Layer } from './layers.js';
import { u16 } from './read.js';

// RFC 792: destination unreachable, source quench, redirect, time exceeded, parameter problem.
const ICMP_ERRORS: ReadonlySet<number> = new Set([3, 4, 5, 11, 12]);
// RFC 4443 §3: destination unreachable, packet too big, time exceeded, parameter problem.
const ICMPV6_ERRORS: ReadonlySet<number> = new Set([1, 2, 3, 4]);
const ICMP_HEADER = 8; // type, code, checksum, 4 bytes that depend on the type

export function decodeIcmp(ctx: NetContext, buf: Uint8Array, start: number, end: number): void {
  ctx.mark(Layer.Icmp);
  if (end - start < ICMP_HEADER) return ctx.short('icmp', `${end - start} bytes, header needs 8`, buf, end);
  if (ICMP_ERRORS.has(buf[start]!)) countQuoted(ctx, buf, start + ICMP_HEADER, end);
}

export function decodeIcmpv6(ctx: NetContext, buf: Uint8Array, start: number, end: number): void {
  ctx.mark(Layer.Icmpv6);
  if (end - start < ICMP_HEADER) return ctx.short('icmpv6', `${end - start} bytes, header needs 8`, buf, end);
  if (ICMPV6_ERRORS.has(buf[start]!)) countQuoted(ctx, buf, start + ICMP_HEADER, end);
}

/** Marks the IP layer and transport of a quoted packet; silent about anything cut or odd. */
function countQuoted(ctx: NetContext, buf: Uint8Array, p: number, end: number): void {
  if (p >= end) return;
  const version = buf[p]! >> 4;
  let proto: number;
  let next: number;
  if (version === 4) {
    ctx.mark(Layer.Ipv4);
    if (end - p < 20) return;
    if ((u16(buf, p + 6) & 0x1fff) !== 0) return; // a non-first fragment has no transport header
    proto = buf[p + 9]!;
    next = p + (buf[p]! & 0x0f) * 4;
  } else if (version === 6) {
    ctx.mark(Layer.Ipv6);
    if (end - p < 40) return;
    proto = buf[p + 6]!;
    next = p + 40;
  } else {
    return;
  }
  if (next >= end) return;
  if (proto === 17) ctx.mark(Layer.Udp);
  else if (proto === 6) ctx.mark(Layer.Tcp);
  else if (proto === 132) ctx.mark(Layer.Sctp);
}
