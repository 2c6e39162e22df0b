// Gathers the many small pieces of a media file (a header byte, a 13-byte frame) into blocks,
// so that the sink sees few large writes.
import type { ByteSink } from './byte-sink.js';

const BLOCK = 16 * 1024;

export class BufferedWriter {
  private block = new Uint8Array(BLOCK);
  private used = 0;
  private flushed = 0;

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
    if (data.length > this.block.length - this.used) {
      this.flush();
      if (data.length > this.block.length) {
        this.sink.write(data.slice());
        this.flushed += data.length;
        return;
      }
    }
    this.block.set(data, this.used);
    this.used += data.length;
  }

  flush(): void {
    if (this.used === 0) return;
    this.sink.write(this.block.subarray(0, this.used));
    this.flushed += this.used;
    this.block = new Uint8Array(BLOCK);
    this.used = 0;
  }
}
