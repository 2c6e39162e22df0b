// The network layer's payload event as it is built on the hot path: the flow, and the bytes as
// offsets into the buffer they sit in (the capture chunk, or a reassembly buffer), so handing a
// payload on costs one small object and no view. A view is made only when `bytes` is read.
import type { PayloadEvent, Transport, TunnelHop } from './events.js';

export class Payload implements PayloadEvent {
  declare readonly tcpGap?: boolean;
  declare readonly sctp?: { readonly streamId: number; readonly ppid: number };

  constructor(
    readonly frameNo: number,
    readonly ts: number,
    readonly transport: Transport,
    readonly src: string,
    readonly dst: string,
    readonly srcPort: number,
    readonly dstPort: number,
    readonly tunnel: readonly TunnelHop[],
    readonly buf: Uint8Array,
    readonly start: number,
    readonly end: number,
    extra?: { readonly tcpGap: boolean } | { readonly sctp: { readonly streamId: number; readonly ppid: number } },
  ) {
    if (extra !== undefined) Object.assign(this, extra);
  }

  /** A datagram is complete in the frame that carries it (as MessageMeta counts frames). */
  get firstFrameNo(): number {
    return this.frameNo;
  }

  get bytes(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }
}
