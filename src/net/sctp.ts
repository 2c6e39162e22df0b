// SCTP (RFC 9260) reassembly of fragmented user messages from
// DATA chunks (by TSN, RFC 9260 §6.9) and I-DATA chunks (by message id and FSN, RFC 8260 §2.1).
// Retransmitted TSNs are recognised and dropped.

import type { TunnelHop } from './events.js';
import { u16, u32 } from './read.js';

export const SCTP_COMMON_HEADER = 12;
export const CHUNK_DATA = 0;
export const CHUNK_IDATA = 64;
const FLAG_END = 0x01;
const FLAG_BEGIN = 0x02;
const FLAG_UNORDERED = 0x04;
const DATA_HEADER = 16; // RFC 9260 §3.3.1
const IDATA_HEADER = 20; // RFC 8260 §2.1
/** Recent TSNs remembered per direction to recognise retransmissions. */
const TSN_MEMORY = 4096;
/** Fragments held per direction, whatever their size. */
const MAX_FRAGMENTS = 4096;

interface DataFragment {
  readonly tsn: number;
  readonly flags: number;
  readonly streamId: number;
  readonly ppid: number;
  readonly bytes: Uint8Array;
}

interface IDataMessage {
  readonly streamId: number;
  ppid: number;
  lastFsn: number;
  readonly parts: Map<number, Uint8Array>;
}

/** One direction of an SCTP association. */
export interface SctpDirection {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  tunnel: readonly TunnelHop[];
  readonly recentTsns: Set<number>;
  readonly tsnRing: Float64Array;
  tsnRingPos: number;
  readonly fragments: Map<number, DataFragment>;
  readonly idata: Map<string, IDataMessage>;
  heldBytes: number;
  heldCount: number;
}

export interface SctpSink {
  /** A complete user message: bytes [start, end) of `buf`. */
  sctpMessage(dir: SctpDirection, streamId: number, ppid: number, buf: Uint8Array, start: number, end: number): void;
  /** A DATA or I-DATA chunk too short for its header. */
  sctpMalformed(reason: string): void;
  /** Fragments discarded unfinished: `count` fragments, `why` says which limit or event. */
  sctpFragmentsDropped(dir: SctpDirection, count: number, why: string): void;
  /** An association direction was evicted from the full table. */
  sctpEvicted(dir: SctpDirection): void;
}

export class SctpReassembler {
  private readonly dirs = new Map<string, SctpDirection>();
  private lastKey = '';

  constructor(
    private readonly sink: SctpSink,
    private readonly maxDirections: number,
    private readonly maxHeldBytes: number,
  ) {}

  direction(key: string, src: string, dst: string, srcPort: number, dstPort: number, tunnel: readonly TunnelHop[]): SctpDirection {
    let d = this.dirs.get(key);
    if (d === undefined) {
      if (this.dirs.size >= this.maxDirections) this.evictOldest();
      d = {
        src,
        dst,
        srcPort,
        dstPort,
        tunnel,
        recentTsns: new Set(),
        tsnRing: new Float64Array(TSN_MEMORY).fill(-1),
        tsnRingPos: 0,
        fragments: new Map(),
        idata: new Map(),
        heldBytes: 0,
        heldCount: 0,
      };
      this.dirs.set(key, d);
    } else {
      if (key !== this.lastKey) {
        this.dirs.delete(key);
        this.dirs.set(key, d);
      }
      d.tunnel = tunnel;
    }
    this.lastKey = key;
    return d;
  }

  /** End of capture: anything still in pieces is reported and discarded. */
  finish(): void {
    for (const d of this.dirs.values()) this.discard(d, 'incomplete at end of capture');
    this.dirs.clear();
    this.lastKey = '';
  }

  private seen(d: SctpDirection, tsn: number): boolean {
    if (d.recentTsns.has(tsn)) return true;
    const old = d.tsnRing[d.tsnRingPos]!;
    if (old >= 0) d.recentTsns.delete(old);
    d.tsnRing[d.tsnRingPos] = tsn;
    d.tsnRingPos = (d.tsnRingPos + 1) % TSN_MEMORY;
    d.recentTsns.add(tsn);
    return false;
  }

  /** A DATA chunk occupying [p, chunkEnd) of `buf` (RFC 9260 §3.3.1). */
  data(d: SctpDirection, flags: number, buf: Uint8Array, p: number, chunkEnd: number): void {
    if (chunkEnd - p < DATA_HEADER) {
      this.sink.sctpMalformed(`DATA chunk of ${chunkEnd - p} bytes`);
      return;
    }
    const tsn = u32(buf, p + 4);
    const streamId = u16(buf, p + 8);
    const ppid = u32(buf, p + 12);
    if (this.seen(d, tsn)) return; // retransmission
    const begin = (flags & FLAG_BEGIN) !== 0;
    const end = (flags & FLAG_END) !== 0;
    if (begin && end) {
      this.sink.sctpMessage(d, streamId, ppid, buf, p + DATA_HEADER, chunkEnd);
      return;
    }
    if (!this.makeRoom(d, chunkEnd - p - DATA_HEADER)) return;
    d.fragments.set(tsn, { tsn, flags, streamId, ppid, bytes: buf.slice(p + DATA_HEADER, chunkEnd) });
    d.heldBytes += chunkEnd - p - DATA_HEADER;
    d.heldCount++;
    this.completeData(d, tsn, streamId, (flags & FLAG_UNORDERED) !== 0);
  }

  /** The message holding `tsn` is complete when a B..E run of consecutive TSNs is present. */
  private completeData(d: SctpDirection, tsn: number, streamId: number, unordered: boolean): void {
    let first = tsn;
    for (;;) {
      const f = d.fragments.get(first);
      if (f === undefined || f.streamId !== streamId || ((f.flags & FLAG_UNORDERED) !== 0) !== unordered) return;
      if ((f.flags & FLAG_BEGIN) !== 0) break;
      first = (first - 1) >>> 0;
      if (first === tsn) return;
    }
    let last = first;
    let total = 0;
    for (;;) {
      const f = d.fragments.get(last);
      if (f === undefined || f.streamId !== streamId) return;
      if (last !== first && (f.flags & FLAG_BEGIN) !== 0) return; // a new message began before this one ended
      total += f.bytes.length;
      if ((f.flags & FLAG_END) !== 0) break;
      last = (last + 1) >>> 0;
      if (last === first) return;
    }
    const out = new Uint8Array(total);
    let at = 0;
    const ppid = d.fragments.get(first)!.ppid;
    for (let t = first; ; t = (t + 1) >>> 0) {
      const f = d.fragments.get(t)!;
      out.set(f.bytes, at);
      at += f.bytes.length;
      d.fragments.delete(t);
      d.heldBytes -= f.bytes.length;
      d.heldCount--;
      if (t === last) break;
    }
    this.sink.sctpMessage(d, streamId, ppid, out, 0, out.length);
  }

  /** An I-DATA chunk occupying [p, chunkEnd) of `buf` (RFC 8260 §2.1). */
  idata(d: SctpDirection, flags: number, buf: Uint8Array, p: number, chunkEnd: number): void {
    if (chunkEnd - p < IDATA_HEADER) {
      this.sink.sctpMalformed(`I-DATA chunk of ${chunkEnd - p} bytes`);
      return;
    }
    const tsn = u32(buf, p + 4);
    const streamId = u16(buf, p + 8);
    const mid = u32(buf, p + 12);
    const ppidOrFsn = u32(buf, p + 16); // PPID in the first fragment, FSN in the others
    if (this.seen(d, tsn)) return;
    const begin = (flags & FLAG_BEGIN) !== 0;
    const end = (flags & FLAG_END) !== 0;
    if (begin && end) {
      this.sink.sctpMessage(d, streamId, ppidOrFsn, buf, p + IDATA_HEADER, chunkEnd);
      return;
    }
    const len = chunkEnd - p - IDATA_HEADER;
    if (!this.makeRoom(d, len)) return;
    const key = `${streamId}/${(flags & FLAG_UNORDERED) !== 0 ? 'u' : 'o'}/${mid}`;
    let m = d.idata.get(key);
    if (m === undefined) {
      m = { streamId, ppid: 0, lastFsn: -1, parts: new Map() };
      d.idata.set(key, m);
    }
    const fsn = begin ? 0 : ppidOrFsn;
    if (begin) m.ppid = ppidOrFsn;
    if (end) m.lastFsn = fsn;
    if (m.parts.has(fsn)) return;
    m.parts.set(fsn, buf.slice(p + IDATA_HEADER, chunkEnd));
    d.heldBytes += len;
    d.heldCount++;
    if (m.lastFsn < 0 || m.parts.size !== m.lastFsn + 1) return;
    let total = 0;
    for (const part of m.parts.values()) total += part.length;
    const out = new Uint8Array(total);
    let at = 0;
    for (let fsnAt = 0; fsnAt <= m.lastFsn; fsnAt++) {
      const part = m.parts.get(fsnAt);
      if (part === undefined) return; // an FSN beyond the last one took a slot
      out.set(part, at);
      at += part.length;
    }
    d.idata.delete(key);
    d.heldBytes -= total;
    d.heldCount -= m.parts.size;
    this.sink.sctpMessage(d, streamId, m.ppid, out, 0, out.length);
  }

  /** Keeps the held fragments under the caps; on overflow the direction's fragments are discarded. */
  private makeRoom(d: SctpDirection, len: number): boolean {
    if (d.heldBytes + len <= this.maxHeldBytes && d.heldCount < MAX_FRAGMENTS) return true;
    this.discard(d, 'fragment hold limit reached');
    return len <= this.maxHeldBytes;
  }

  private discard(d: SctpDirection, why: string): void {
    if (d.heldCount > 0) this.sink.sctpFragmentsDropped(d, d.heldCount, why);
    d.fragments.clear();
    d.idata.clear();
    d.heldBytes = 0;
    d.heldCount = 0;
  }

  private evictOldest(): void {
    for (const [key, d] of this.dirs) {
      this.dirs.delete(key);
      this.discard(d, 'association evicted');
      this.sink.sctpEvicted(d);
      return;
    }
  }
}
