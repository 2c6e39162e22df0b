// Where writers put their bytes. An output file (e.g. output/atomic-file.ts AtomicFile) is a
// PatchableByteSink; MemoryByteSink keeps the bytes in memory for small outputs and tests.

export interface ByteSink {
  /** The chunk is lent for the call only: a writer may fill it again afterwards (keep a copy). */
  write(chunk: Uint8Array): void;
}

export interface PatchableByteSink extends ByteSink {
  /** Overwrite bytes already written, at an absolute position (headers whose size comes last). */
  writeAt(chunk: Uint8Array, position: number): void;
}

export class MemoryByteSink implements PatchableByteSink {
  private buffer = new Uint8Array(4096);
  private length = 0;

  write(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + chunk.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }

  writeAt(chunk: Uint8Array, position: number): void {
    if (position < 0 || position + chunk.length > this.length) throw new RangeError('writeAt outside the bytes written');
    this.buffer.set(chunk, position);
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
