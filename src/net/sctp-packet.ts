// SCTP packet (RFC 9260 §3): the common header, then every chunk, each padded to 4 bytes;
// DATA and I-DATA chunks go to reassembly when someone listens for payloads.

import type { NetContext } from './context.js';
import { Layer } from './layers.js';
import { u16 } from './read.js';
import { CHUNK_DATA, CHUNK_IDATA, SCTP_COMMON_HEADER, type SctpDirection } from './sctp.js';

export function decodeSctp(ctx: NetContext, buf: Uint8Array, start: number, end: number, src: string, dst: string): void {
  ctx.mark(Layer.Sctp);
  if (end - start < SCTP_COMMON_HEADER) return ctx.short('sctp', `${end - start} bytes, common header needs 12`, buf, end);
  let dir: SctpDirection | undefined;
  if (ctx.wantPayload) {
    const srcPort = u16(buf, start);
    const dstPort = u16(buf, start + 2);
    const key = `${src} ${srcPort} ${dst} ${dstPort}${ctx.tunnelKey()}`;
    dir = ctx.sctp.direction(key, src, dst, srcPort, dstPort, ctx.tunnelSnapshot());
  }
  let p = start + SCTP_COMMON_HEADER;
  while (p < end) {
    if (end - p < 4) return ctx.short('sctp', `${end - p} stray bytes after the last chunk`, buf, end);
    const type = buf[p]!;
    const len = u16(buf, p + 2);
    if (len < 4) return ctx.report('malformed', 'sctp', `chunk type ${type} with length ${len} < 4`);
    const chunkEnd = p + len;
    if (chunkEnd > end) return ctx.short('sctp', `chunk type ${type} of ${len} bytes runs past the packet`, buf, end);
    if (dir !== undefined) {
      if (type === CHUNK_DATA) ctx.sctp.data(dir, buf[p + 1]!, buf, p, chunkEnd);
      else if (type === CHUNK_IDATA) ctx.sctp.idata(dir, buf[p + 1]!, buf, p, chunkEnd);
    }
    p += (len + 3) & ~3; // RFC 9260 §3.2: chunk padding is not counted in the length
  }
}
