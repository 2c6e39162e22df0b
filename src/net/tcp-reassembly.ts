// TCP byte-stream reassembly, one direction at a time (RFC 9293 §3.4 sequence numbers).
// In-order bytes are handed on at once; out-of-order segments are held (bounded) until the
// missing bytes arrive; retransmitted and overlapping bytes are trimmed so nothing is handed
// on twice. When the hold cap is exceeded, or the stream ends with bytes still missing, the
// stream skips ahead and the next chunk is flagged as following a gap.

import type { TunnelHop } from './events.js';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;

interface HeldSegment {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly frameNo: number;
  readonly ts: number;
}

/** One direction of a TCP connection. */
export interface TcpHalfStream {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  tunnel: readonly TunnelHop[];
  /** Sequence number of the next byte to hand on; -1 before the first segment. */
  nextSeq: number;
  /** Initial sequence number from the SYN; -1 when the stream was picked up mid-way. */
  isn: number;
  /** Sequence number of the FIN; -1 until one is seen. */
  finSeq: number;
  closed: boolean;
  gapPending: boolean;
  held: HeldSegment[];
  heldBytes: number;
}

export interface TcpSink {
  /** In-order bytes [start, end) of `buf`, made deliverable by frame `frameNo`. */
  tcpData(half: TcpHalfStream, buf: Uint8Array, start: number, end: number, gap: boolean, frameNo: number, ts: number): void;
  /** Bytes that were never seen were skipped (`bytes` of sequence space), because of the cap or the end of the stream. */
  tcpGap(half: TcpHalfStream, bytes: number, becauseOfCap: boolean): void;
  /** A half stream was evicted from the full table. */
  tcpEvicted(half: TcpHalfStream): void;
}

export class TcpReassembler {
  private readonly streams = new Map<string, TcpHalfStream>();
  private lastKey = '';

  constructor(
    private readonly sink: TcpSink,
    private readonly maxStreams: number,
    private readonly maxHeldBytes: number,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  /** The half stream for `key`, created (and the least recently used one evicted) if new. */
  half(key: string, src: string, dst: string, srcPort: number, dstPort: number, tunnel: readonly TunnelHop[]): TcpHalfStream {
    let h = this.streams.get(key);
    if (h === undefined) {
      if (this.streams.size >= this.maxStreams) this.evictOldest();
      h = { src, dst, srcPort, dstPort, tunnel, nextSeq: -1, isn: -1, finSeq: -1, closed: false, gapPending: false, held: [], heldBytes: 0 };
      this.streams.set(key, h);
    } else {
      if (key !== this.lastKey) {
        this.streams.delete(key);
        this.streams.set(key, h);
      }
      h.tunnel = tunnel;
    }
    this.lastKey = key;
    return h;
  }

  /** One segment: sequence number, flags byte, payload bytes [start, end) of `buf`. */
  segment(h: TcpHalfStream, seq: number, flags: number, buf: Uint8Array, start: number, end: number, frameNo: number, ts: number): void {
    if ((flags & RST) !== 0) {
      this.flush(h);
      h.closed = true;
      return;
    }
    let dataSeq = seq;
    if ((flags & SYN) !== 0) {
      if (h.isn !== seq || h.closed) {
        // A new connection on this 4-tuple (or the first SYN seen): start afresh.
        this.flush(h);
        h.isn = seq;
        h.nextSeq = (seq + 1) >>> 0;
        h.finSeq = -1;
        h.closed = false;
      }
      dataSeq = (seq + 1) >>> 0; // RFC 9293 §3.4: the SYN occupies one sequence number
    }
    if (h.closed) return;
    if (h.nextSeq < 0) h.nextSeq = dataSeq; // picked up mid-stream
    const len = end - start;
    if ((flags & FIN) !== 0 && h.finSeq < 0) h.finSeq = (dataSeq + len) >>> 0;
    if (len > 0) {
      const diff = (dataSeq - h.nextSeq) | 0;
      if (diff <= 0) {
        const trim = -diff;
        if (trim < len) {
          this.deliver(h, buf, start + trim, end, frameNo, ts);
          this.drain(h, frameNo, ts);
        }
      } else {
        this.hold(h, dataSeq, buf, start, end, frameNo, ts);
      }
    }
    if (h.finSeq >= 0 && h.held.length === 0 && h.nextSeq === h.finSeq) h.closed = true;
  }

  /** End of capture: every stream with bytes still held skips its gaps and hands them on. */
  finish(): void {
    for (const h of this.streams.values()) this.flush(h);
    this.streams.clear();
    this.lastKey = '';
  }

  private deliver(h: TcpHalfStream, buf: Uint8Array, start: number, end: number, frameNo: number, ts: number): void {
    const gap = h.gapPending;
    h.gapPending = false;
    h.nextSeq = (h.nextSeq + (end - start)) >>> 0;
    this.sink.tcpData(h, buf, start, end, gap, frameNo, ts);
  }

  /** Hands on held segments that have become in-order. */
  private drain(h: TcpHalfStream, frameNo: number, ts: number): void {
    while (h.held.length > 0) {
      const s = h.held[0]!;
      const diff = (s.seq - h.nextSeq) | 0;
      if (diff > 0) return;
      h.held.shift();
      h.heldBytes -= s.bytes.length;
      const trim = -diff;
      if (trim < s.bytes.length) this.deliver(h, s.bytes, trim, s.bytes.length, frameNo, ts);
    }
  }

  private hold(h: TcpHalfStream, seq: number, buf: Uint8Array, start: number, end: number, frameNo: number, ts: number): void {
    const len = end - start;
    let i = h.held.length;
    while (i > 0 && ((h.held[i - 1]!.seq - seq) | 0) > 0) i--;
    const prev = h.held[i - 1];
    if (prev !== undefined && prev.seq === seq && prev.bytes.length >= len) return; // retransmitted out-of-order segment
    h.held.splice(i, 0, { seq, bytes: buf.slice(start, end), frameNo, ts });
    h.heldBytes += len;
    while (h.heldBytes > this.maxHeldBytes && h.held.length > 0) {
      // Cap exceeded: stop waiting for the missing bytes and skip to the first held segment.
      const first = h.held[0]!;
      this.skipTo(h, first.seq, true);
      this.drain(h, frameNo, ts);
    }
  }

  private skipTo(h: TcpHalfStream, seq: number, becauseOfCap: boolean): void {
    const missing = (seq - h.nextSeq) >>> 0;
    h.nextSeq = seq;
    h.gapPending = true;
    this.sink.tcpGap(h, missing, becauseOfCap);
  }

  /** Hands on everything held, skipping the holes between (each hole is a gap). */
  private flush(h: TcpHalfStream): void {
    while (h.held.length > 0) {
      const first = h.held[0]!;
      if (((first.seq - h.nextSeq) | 0) > 0) this.skipTo(h, first.seq, false);
      this.drain(h, first.frameNo, first.ts);
    }
    h.heldBytes = 0;
  }

  private evictOldest(): void {
    for (const [key, h] of this.streams) {
      this.streams.delete(key);
      this.flush(h);
      this.sink.tcpEvicted(h);
      return;
    }
  }
}
