// Gathers the many small pieces of a media file (a header byte, a 13-byte frame) into blocks,
// so that the sink sees few large writes.
import type { ByteSink } from './byte-sink.js';
import { copyWords } from './copy-octets.js';

// Octets gathered before the sink gets them: a block per open file (thousands of streams may be open at once).
const BLOCK = 16 * 1024;
const EMPTY = new Uint8Array(0);
// Blocks of closed writers, for the next files (an extraction opens thousands over a capture,
// a few hundred at a time): a new file reuses memory already mapped instead of fresh zeroed pages.
const SPARE_BLOCKS = 64;
const spare: Uint8Array[] = [];

export class BufferedWriter {
  private block: Uint8Array = spare.pop() ?? new Uint8Array(BLOCK);
  private view = new DataView(this.block.buffer);
  private closed = false;
  private used = 0;
  private flushed = 0;
  // Frames come from a capture chunk (straight from packets) or a stream's ring: the source's
  // DataView is made when the source changes, to copy four octets at a time.
  private source: Uint8Array = EMPTY;
  private sourceView: DataView = new DataView(EMPTY.buffer);

  constructor(private readonly sink: ByteSink) {}

  /** Bytes written so far, buffered ones included: the file position of the next byte. */
  get position(): number {
    return this.flushed + this.used;
  }

  byte(value: number): void {
    if (this.used === this.block.length) this.flush();
    this.block[this.used++] = value;
  }

  bytes(data: Uint8Array): void {
    this.range(data, 0, data.length);
  }

  /** data[start, end). */
  range(data: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length > this.block.length - this.used) {
      this.flush();
      if (length > this.block.length) {
        this.sink.write(data.slice(start, end));
        this.flushed += length;
        return;
      }
    }
    this.copy(data, start, end, this.used);
    this.used += length;
  }

  /**
   * One octet then data[start, end), the last of those ANDed with `lastMask`: a storage-format
   * frame (RFC 4867 §5.3) in one step.
   */
  prefixed(octet: number, data: Uint8Array, start: number, end: number, lastMask = 0xff): void {
    const length = end - start;
    if (length + 1 > this.block.length - this.used) {
      this.flush();
      if (length + 1 > this.block.length) {
        const whole = new Uint8Array(length + 1);
        whole[0] = octet;
        whole.set(data.subarray(start, end), 1);
        if (length > 0) whole[length] = (whole[length] as number) & lastMask;
        this.sink.write(whole);
        this.flushed += whole.length;
        return;
      }
    }
    const block = this.block;
    const at = this.used;
    block[at] = octet;
    if (length > 0) {
      this.copy(data, start, end, at + 1);
      block[at + length] = (block[at + length] as number) & lastMask;
    }
    this.used = at + length + 1;
  }

  /** `count` copies of one octet (runs of NO_DATA frames). */
  repeat(octet: number, count: number): void {
    let left = count;
    while (left > 0) {
      if (this.used === this.block.length) this.flush();
      const n = Math.min(left, this.block.length - this.used);
      const block = this.block;
      for (let k = this.used, end = this.used + n; k < end; k++) block[k] = octet;
      this.used += n;
      left -= n;
    }
  }

  flush(): void {
    // (Every write past a closed writer's empty block comes here.)
    if (this.closed) throw new Error('write after close');
    if (this.used === 0) return;
    // (The sink has the block for the call only: it is filled again from the start.)
    this.sink.write(this.block.subarray(0, this.used));
    this.flushed += this.used;
    this.used = 0;
  }

  /** Flushes, then gives the block back for another writer: nothing may be written after. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (spare.length < SPARE_BLOCKS) spare.push(this.block);
    this.block = EMPTY;
    this.view = new DataView(EMPTY.buffer);
  }

  private copy(data: Uint8Array, start: number, end: number, at: number): void {
    if (end - start > 256) {
      this.block.set(data.subarray(start, end), at);
      return;
    }
    if (data !== this.source) {
      this.source = data;
      this.sourceView = new DataView(data.buffer, data.byteOffset, data.byteLength);
    }
    copyWords(data, this.sourceView, start, end, this.block, this.view, at);
  }
}
