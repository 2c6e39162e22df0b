// UDP (RFC 768): the length field is trusted only as far as the bytes go; GTP-U and
// UDP-encapsulated ESP are recognised by port, everything else is handed on as a payload.

import type { NetContext } from './context.js';
import { ESP_PORT } from './esp.js';
import { GTPU_PORT } from './gtpu.js';
import { Layer } from './layers.js';
import { u16 } from './read.js';
import { decodeGtpuPacket, decodeUdpEncapsulation } from './tunnels.js';

export function decodeUdp(ctx: NetContext, buf: Uint8Array, start: number, end: number, src: string, dst: string, version: 4 | 6): void {
  ctx.mark(Layer.Udp);
  if (end - start < 8) return ctx.short('udp', `${end - start} bytes, header needs 8`, buf, end);
  const srcPort = u16(buf, start);
  const dstPort = u16(buf, start + 2);
  const length = u16(buf, start + 4);
  let udpEnd: number;
  if (length === 0 && version === 6) {
    udpEnd = end; // RFC 2675 §4: jumbogram, the IPv6 length rules
  } else if (length < 8) {
    return ctx.report('malformed', 'udp', `length ${length} < 8`);
  } else if (start + length > end) {
    ctx.short('udp', `length ${length} exceeds the ${end - start} bytes present`, buf, end);
    udpEnd = end;
  } else {
    udpEnd = start + length;
  }
  const p = start + 8;
  if (dstPort === GTPU_PORT || srcPort === GTPU_PORT) return decodeGtpuPacket(ctx, buf, p, udpEnd, src, dst);
  if (dstPort === ESP_PORT || srcPort === ESP_PORT) return decodeUdpEncapsulation(ctx, buf, p, udpEnd, src, dst, srcPort, dstPort, version);
  ctx.emitUdp(src, dst, srcPort, dstPort, buf, p, udpEnd);
}
