// IPv4 / IPv6 fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5). A bounded table of datagrams
// in progress, least recently touched first; entries expire by capture time. Overlapping
// fragments keep the bytes that arrived first and are reported when their bytes differ (like
// Wireshark, the datagram is still reassembled, where RFC 5722 would have IPv6 drop it).

/** One datagram being reassembled. */
export interface PendingDatagram {
  readonly key: string;
  readonly firstFrame: number;
  lastTs: number;
  /** Protocol of the reassembled payload (IPv4 protocol / next header of the first fragment). */
  nextHeader: number;
  /** Byte length of the whole payload, once the last fragment has been seen. */
  totalLength: number;
  readonly parts: FragmentPart[];
}

interface FragmentPart {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface FragmentSink {
  /** A datagram left the table unfinished ('evicted' by the cap or 'expired' by time). */
  fragmentsDropped(datagram: PendingDatagram, why: 'evicted' | 'expired'): void;
  /** A fragment that cannot belong to a valid datagram (reported on the current frame). */
  fragmentInvalid(reason: string): void;
}

/** Largest reassembled payload accepted: the IPv4 total length limit (RFC 791 §3.1). */
const MAX_DATAGRAM = 65535;
/** Guard against fragment floods (many tiny overlapping pieces of one datagram). */
const MAX_PARTS = 512;

export class FragmentTable {
  private readonly table = new Map<string, PendingDatagram>();
  /** Set by add() when it returns true: the reassembled payload and its protocol. */
  assembled: Uint8Array = new Uint8Array(0);
  assembledNextHeader = 0;

  constructor(
    private readonly sink: FragmentSink,
    private readonly maxDatagrams: number,
    private readonly timeoutSec: number,
  ) {}

  get size(): number {
    return this.table.size;
  }

  /**
   * Adds the fragment holding payload bytes [start, end) of `buf` at byte `offset` of the
   * datagram. `nextHeader` counts only for the fragment at offset 0. Returns true when the
   * datagram is complete (see `assembled`).
   */
  add(key: string, offset: number, more: boolean, nextHeader: number, buf: Uint8Array, start: number, end: number, ts: number, frameNo: number): boolean {
    this.expire(ts);
    const len = end - start;
    if (more && len % 8 !== 0) {
      // RFC 791 §3.2, RFC 8200 §4.5: every fragment but the last carries a multiple of 8 octets.
      this.sink.fragmentInvalid(`non-final fragment of ${len} octets, not a multiple of 8`);
      return false;
    }
    if (offset + len > MAX_DATAGRAM) {
      this.sink.fragmentInvalid(`fragment ends at byte ${offset + len}, beyond ${MAX_DATAGRAM}`);
      return false;
    }
    let d = this.table.get(key);
    if (d === undefined) {
      if (this.table.size >= this.maxDatagrams) this.evictOldest();
      if (this.maxDatagrams <= 0) {
        this.sink.fragmentsDropped({ key, firstFrame: frameNo, lastTs: ts, nextHeader, totalLength: -1, parts: [] }, 'evicted');
        return false;
      }
      d = { key, firstFrame: frameNo, lastTs: ts, nextHeader: -1, totalLength: -1, parts: [] };
      this.table.set(key, d);
    } else {
      this.table.delete(key); // re-insert: most recently touched goes last
      this.table.set(key, d);
      d.lastTs = ts;
    }
    if (!more) {
      const total = offset + len;
      if (d.totalLength >= 0 && d.totalLength !== total) {
        this.sink.fragmentInvalid(`last fragment ends at ${total}, an earlier one at ${d.totalLength}`);
        return false;
      }
      d.totalLength = total;
    }
    if (d.totalLength >= 0 && offset + len > d.totalLength) {
      this.sink.fragmentInvalid(`fragment ends at ${offset + len}, past the datagram end ${d.totalLength}`);
      return false;
    }
    if (offset === 0) d.nextHeader = nextHeader;
    if (!this.insert(d, offset, buf, start, end)) return false;
    return this.tryComplete(d);
  }

  /** Every datagram still waiting, oldest first; the table is emptied. */
  drain(): PendingDatagram[] {
    const all = [...this.table.values()];
    this.table.clear();
    return all;
  }

  private insert(d: PendingDatagram, offset: number, buf: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    let differs = false;
    for (const p of d.parts) {
      const from = Math.max(offset, p.offset);
      const to = Math.min(offset + len, p.offset + p.bytes.length);
      if (from >= to) continue;
      if (from === offset && to === offset + len) {
        // Entirely covered already: a duplicate (or a conflicting copy, which is reported).
        if (!sameBytes(p.bytes, from - p.offset, buf, start + from - offset, to - from)) {
          this.sink.fragmentInvalid(`overlapping fragment at ${offset} differs from earlier data (first copy kept)`);
        }
        return true;
      }
      if (!differs && !sameBytes(p.bytes, from - p.offset, buf, start + from - offset, to - from)) differs = true;
    }
    if (differs) this.sink.fragmentInvalid(`overlapping fragment at ${offset} differs from earlier data (first copy kept)`);
    if (d.parts.length >= MAX_PARTS) {
      this.sink.fragmentInvalid(`more than ${MAX_PARTS} fragments for one datagram`);
      return false;
    }
    d.parts.push({ offset, bytes: buf.slice(start, end) });
    return true;
  }

  private tryComplete(d: PendingDatagram): boolean {
    if (d.totalLength < 0 || d.nextHeader < 0) return false;
    const sorted = d.parts.slice().sort((a, b) => a.offset - b.offset);
    let covered = 0;
    for (const p of sorted) {
      if (p.offset > covered) return false;
      covered = Math.max(covered, p.offset + p.bytes.length);
    }
    if (covered < d.totalLength) return false;
    const out = new Uint8Array(d.totalLength);
    // Latest arrivals first, so that earlier bytes overwrite them: the first copy wins.
    for (let i = d.parts.length - 1; i >= 0; i--) {
      const p = d.parts[i]!;
      out.set(p.bytes.subarray(0, Math.max(0, d.totalLength - p.offset)), p.offset);
    }
    this.table.delete(d.key);
    this.assembled = out;
    this.assembledNextHeader = d.nextHeader;
    return true;
  }

  private expire(now: number): void {
    for (const d of this.table.values()) {
      if (now - d.lastTs <= this.timeoutSec) break;
      this.table.delete(d.key);
      this.sink.fragmentsDropped(d, 'expired');
    }
  }

  private evictOldest(): void {
    for (const d of this.table.values()) {
      this.table.delete(d.key);
      this.sink.fragmentsDropped(d, 'evicted');
      return;
    }
  }
}

function sameBytes(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}
