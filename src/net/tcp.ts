// TCP header (RFC 9293 §3.1): ports, sequence number, data offset, flags; the segment's data
// goes to stream reassembly when someone listens for payloads.

import type { NetContext } from './context.js';
import { Layer } from './layers.js';
import { u16, u32 } from './read.js';

export function decodeTcp(ctx: NetContext, buf: Uint8Array, start: number, end: number, src: string, dst: string): void {
  ctx.mark(Layer.Tcp);
  if (end - start < 20) return ctx.short('tcp', `${end - start} bytes, header needs 20`, buf, end);
  const dataOffset = (buf[start + 12]! >> 4) * 4;
  if (dataOffset < 20) return ctx.report('malformed', 'tcp', `data offset ${dataOffset} < 20`);
  if (start + dataOffset > end) return ctx.short('tcp', `header of ${dataOffset} bytes with options cut short`, buf, end);
  if (!ctx.wantPayload) return;
  const srcPort = u16(buf, start);
  const dstPort = u16(buf, start + 2);
  const seq = u32(buf, start + 4);
  const flags = buf[start + 13]!;
  const key = `${src} ${srcPort} ${dst} ${dstPort}${ctx.tunnelKey()}`;
  const half = ctx.tcp.half(key, src, dst, srcPort, dstPort, ctx.tunnelSnapshot());
  ctx.tcp.segment(half, seq, flags, buf, start + dataOffset, end, ctx.frameNo, ctx.ts);
}
