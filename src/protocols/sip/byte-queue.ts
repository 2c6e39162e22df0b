// A growable FIFO of stream bytes that remembers which capture frame each byte came from, for
// stream decoders (SIP over TCP, WebSocket) that must copy bytes they keep across segments.

interface Segment {
  /** Stream offset of the segment's first byte. */
  readonly start: number;
  readonly frameNo: number;
}

export class ByteQueue {
  private buf: Uint8Array;
  /** Held bytes are buf[head, tail). */
  private head = 0;
  private tail = 0;
  /** Stream offset of buf[head]. */
  private base = 0;
  private segments: Segment[] = [];

  constructor(initialCapacity = 4096) {
    this.buf = new Uint8Array(initialCapacity);
  }

  get length(): number {
    return this.tail - this.head;
  }

  /** The held bytes: a view, valid until the next append or consume. */
  view(): Uint8Array {
    return this.buf.subarray(this.head, this.tail);
  }

  append(bytes: Uint8Array, frameNo: number): void {
    if (bytes.length === 0) return;
    this.segments.push({ start: this.base + this.length, frameNo });
    const needed = this.length + bytes.length;
    if (this.tail + bytes.length > this.buf.length) {
      if (needed <= this.buf.length) {
        this.buf.copyWithin(0, this.head, this.tail);
      } else {
        let size = this.buf.length;
        while (size < needed) size *= 2;
        const next = new Uint8Array(size);
        next.set(this.buf.subarray(this.head, this.tail));
        this.buf = next;
      }
      this.tail -= this.head;
      this.head = 0;
    }
    this.buf.set(bytes, this.tail);
    this.tail += bytes.length;
  }

  consume(count: number): void {
    const n = Math.min(count, this.length);
    this.head += n;
    this.base += n;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
      this.segments.length = 0;
      return;
    }
    let drop = 0;
    while (drop + 1 < this.segments.length && this.segments[drop + 1]!.start <= this.base) drop++;
    if (drop > 0) this.segments.splice(0, drop);
  }

  clear(): void {
    this.consume(this.length);
  }

  /** Frame number of the held byte at `offset` (0 = the first held byte); 0 when empty. */
  frameAt(offset = 0): number {
    const at = this.base + offset;
    let frame = this.segments[0]?.frameNo ?? 0;
    for (const s of this.segments) {
      if (s.start > at) break;
      frame = s.frameNo;
    }
    return frame;
  }
}
