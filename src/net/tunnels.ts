// Tunnels that carry IP or transport payloads: GTP-U G-PDUs (TS 29.281), ESP (RFC 4303) with
// NULL encryption recognised heuristically, and ESP / IKE / keepalives on UDP 4500 (RFC 3948).

import type { NetContext } from './context.js';
import { ESP_HEADER, hasNonEspMarker, isNatKeepalive, matchEspNull } from './esp.js';
import { decryptEsp } from './esp-decrypt.js';
import { decodeGtpu, GTPU_G_PDU, GTPU_MESSAGE_NAMES } from './gtpu.js';
import { decodeIpPayload, decodeIpv4, decodeIpv6, PROTO_IPV4, PROTO_IPV6 } from './ip.js';
import { Layer } from './layers.js';
import { u32 } from './read.js';

/** GTP-U on [start, end) of `buf`; `src`/`dst` are the addresses of the IP packet carrying it. */
export function decodeGtpuPacket(ctx: NetContext, buf: Uint8Array, start: number, end: number, src: string, dst: string): void {
  ctx.mark(Layer.Gtpu);
  const h = ctx.gtpuHeader;
  const err = decodeGtpu(buf, start, end, h);
  if (err !== undefined) return h.cutShort ? ctx.short('gtpu', err.reason, buf, end) : ctx.report('malformed', 'gtpu', err.reason);
  if (h.lengthExceeds) ctx.short('gtpu', 'length field exceeds the bytes present', buf, end);
  if (h.messageType !== GTPU_G_PDU) {
    ctx.layers.markRare(`gtpu:${GTPU_MESSAGE_NAMES.get(h.messageType) ?? 'other'}`);
    return;
  }
  const p = h.payloadStart;
  const payloadEnd = h.payloadEnd;
  if (p >= payloadEnd) return;
  // TS 29.281 §5.1 leaves the T-PDU type to the bearer; the IP version nibble decides.
  const version = buf[p]! >> 4;
  if (version !== 4 && version !== 6) {
    ctx.layers.markRare('gtpu:non-ip');
    return;
  }
  if (!ctx.enterTunnel(ctx.gtpuHop(h.teid, src, dst))) return;
  if (version === 4) decodeIpv4(ctx, buf, p, payloadEnd);
  else decodeIpv6(ctx, buf, p, payloadEnd);
  ctx.leaveTunnel();
}

/** UDP port 4500 (RFC 3948 §2): keepalive, IKE behind the non-ESP marker, or ESP. */
export function decodeUdpEncapsulation(
  ctx: NetContext,
  buf: Uint8Array,
  start: number,
  end: number,
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
  version: 4 | 6,
): void {
  if (isNatKeepalive(buf, start, end)) return ctx.mark(Layer.NatKeepalive);
  if (hasNonEspMarker(buf, start, end)) return ctx.emitUdp(src, dst, srcPort, dstPort, buf, start + 4, end);
  if (end <= start) return;
  decodeEsp(ctx, buf, start, end, src, dst, version, true);
}

/** ESP on [start, end): always an EspEvent; with the heuristic, NULL-encrypted payloads are decoded. */
export function decodeEsp(ctx: NetContext, buf: Uint8Array, start: number, end: number, src: string, dst: string, version: 4 | 6, udpEncap: boolean): void {
  ctx.mark(Layer.Esp);
  if (end - start < ESP_HEADER) return ctx.short('esp', `${end - start} bytes, header needs 8`, buf, end);
  const spi = u32(buf, start);
  const seq = u32(buf, start + 4);
  const m = ctx.espMatch;
  // A capture-truncated packet has lost its trailer: nothing to recognise.
  const whole = !ctx.endsWithFrame(buf, end);
  // With the SA's key the payload is decrypted; otherwise it may still be NULL-encrypted.
  const sa = ctx.limits.espKeys.size === 0 ? undefined : ctx.limits.espKeys.get(spi);
  let inner: Uint8Array | undefined;
  if (sa !== undefined) inner = whole ? decryptEsp(sa, buf, start, end, m) : undefined;
  else if (ctx.limits.espNullHeuristic && whole && matchEspNull(buf, start, end, m)) inner = buf;
  ctx.emitEsp(spi, seq, src, dst, udpEncap, inner !== undefined);
  if (inner === undefined) return;
  ctx.mark(sa !== undefined ? Layer.EspDecrypted : Layer.EspNullDecoded);
  if (!ctx.enterTunnel({ kind: 'esp', spi, seq, src, dst, udpEncap })) return;
  // Tunnel mode carries a whole IP packet, transport mode the upper-layer protocol (RFC 4303 §3.1).
  if (m.nextHeader === PROTO_IPV4) decodeIpv4(ctx, inner, m.payloadStart, m.payloadEnd);
  else if (m.nextHeader === PROTO_IPV6) decodeIpv6(ctx, inner, m.payloadStart, m.payloadEnd);
  else decodeIpPayload(ctx, m.nextHeader, inner, m.payloadStart, m.payloadEnd, src, dst, version);
  ctx.leaveTunnel();
}
