// Where capture bytes come from: a file read in large positioned-free reads, a stream (stdin),
// or either of those through gunzip. All of them fill a caller's buffer; none keeps a copy.
import type { FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { constants as zlibConstants, createGunzip } from 'node:zlib';

export interface ByteInput {
  /** Reads up to `length` bytes into `into` at `offset`; 0 means end of input. */
  read(into: Uint8Array, offset: number, length: number): Promise<number>;
  /** Bytes taken from the underlying file or stream (compressed bytes for gzip), for progress. */
  readonly rawBytesRead: number;
  /** Size of the underlying file when known. */
  readonly totalBytes: number | undefined;
  close(): Promise<void>;
}

export class FileInput implements ByteInput {
  rawBytesRead = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly totalBytes: number | undefined,
  ) {}

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    const { bytesRead } = await this.handle.read(into, offset, length, null);
    this.rawBytesRead += bytesRead;
    return bytesRead;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Bytes already read from an input (while sniffing its format), then the rest of that input. */
export class PrefixedInput implements ByteInput {
  private prefixPos = 0;

  constructor(
    private readonly prefix: Uint8Array,
    private readonly rest: ByteInput,
  ) {}

  get rawBytesRead(): number {
    return this.rest.rawBytesRead;
  }

  get totalBytes(): number | undefined {
    return this.rest.totalBytes;
  }

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    if (this.prefixPos < this.prefix.length) {
      const n = Math.min(length, this.prefix.length - this.prefixPos);
      into.set(this.prefix.subarray(this.prefixPos, this.prefixPos + n), offset);
      this.prefixPos += n;
      return n;
    }
    return this.rest.read(into, offset, length);
  }

  close(): Promise<void> {
    return this.rest.close();
  }
}

export class StreamInput implements ByteInput {
  rawBytesRead = 0;
  readonly totalBytes = undefined;
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkPos = 0;
  private done = false;
  private readonly iterator: AsyncIterator<unknown>;

  constructor(
    stream: AsyncIterable<unknown>,
    private readonly onClose?: () => void,
  ) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    while (this.chunkPos >= this.chunk.length) {
      if (this.done) return 0;
      const next = await this.iterator.next();
      if (next.done === true) {
        this.done = true;
        return 0;
      }
      this.chunk = toBytes(next.value);
      this.chunkPos = 0;
      this.rawBytesRead += this.chunk.length;
    }
    const n = Math.min(length, this.chunk.length - this.chunkPos);
    into.set(this.chunk.subarray(this.chunkPos, this.chunkPos + n), offset);
    this.chunkPos += n;
    return n;
  }

  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.iterator.return?.();
    }
    this.onClose?.();
  }
}

/** RFC 1952 member magic. */
export function isGzipMagic(b0: number | undefined, b1: number | undefined): boolean {
  return b0 === 0x1f && b1 === 0x8b;
}

const RAW_CHUNK = 1 << 20;
const GUNZIP_CHUNK = 1 << 18;

/** Decompresses `raw` on the fly. A gzip stream cut short yields what it holds, without error. */
export function gunzipInput(raw: ByteInput): ByteInput {
  async function* compressed(): AsyncGenerator<Uint8Array> {
    for (;;) {
      // zlib may still hold a chunk after write(): each one gets its own buffer.
      const chunk = new Uint8Array(RAW_CHUNK);
      const n = await raw.read(chunk, 0, chunk.length);
      if (n === 0) return;
      yield chunk.subarray(0, n);
    }
  }
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const source = Readable.from(compressed(), { objectMode: false });
  const output = pipeline(source, gunzip, () => undefined);
  const input = new StreamInput(output, () => {
    source.destroy();
    gunzip.destroy();
  });
  return {
    read: (into, offset, length) => input.read(into, offset, length),
    get rawBytesRead() {
      return raw.rawBytesRead;
    },
    totalBytes: raw.totalBytes,
    close: async () => {
      await input.close();
      await raw.close();
    },
  };
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new TypeError('capture stream yielded a non-byte chunk');
}
