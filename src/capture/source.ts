// Reads a capture file (or stdin, gzipped or not) in large chunks and hands every frame to a
// callback, synchronously within a chunk; the only awaits are between chunks.
import { open } from 'node:fs/promises';
import { CaptureError } from './capture-error.js';
import { FileInput, PrefixedInput, StreamInput, gunzipInput, isGzipMagic, type ByteInput } from './byte-input.js';
import type { Frame } from './frame.js';
import { PcapParser, isPcapMagic } from './pcap.js';
import { BLOCK_SHB, PcapngParser } from './pcapng.js';
import type { RecordParser } from './record-parser.js';
import type { CaptureSummary } from './summary.js';

export { CaptureError } from './capture-error.js';
export type { CaptureInterface, CaptureSummary, CaptureWarning } from './summary.js';

export interface ReadCaptureOptions {
  /** Called once per chunk: raw bytes taken from the file (compressed when gzipped) and the file size when known. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  /** Checked between chunks; an abort rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Bytes per read, 1 to 64 MiB (default 8 MiB, or the file size when smaller, but at least 64 KiB). */
  chunkSize?: number;
  /** The stream read for path '-' (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Awaited before each further chunk is read (backpressure from consumers that write out). */
  betweenChunks?: () => Promise<void>;
  /** Called once the frames of a chunk are parsed, before its buffer is read into again: what still points into frames' bytes must be done with them. */
  afterChunk?: () => void;
  /** Where chunks are read into, for a consumer that reads frames' bytes after their chunk is parsed (default: buffers of this thread, two). */
  chunkBuffers?: ChunkBuffers;
}

/**
 * Buffers for chunks of capture data, from a consumer that reads frames' bytes after afterChunk
 * (another thread reading payloads in place). The reader keeps CHUNK_SLOTS of them in turn, so
 * a chunk is read into again only CHUNK_SLOTS − 1 chunks after it was parsed.
 */
export interface ChunkBuffers {
  /** A new buffer of `size` octets. */
  allocate(size: number): Uint8Array;
  /** Called before data is read into `buf` again: returns once nothing needs what it holds. */
  reuse(buf: Uint8Array): void;
  /** `buf` is not used any more (a larger one replaced it). */
  release(buf: Uint8Array): void;
}

const DEFAULT_CHUNK = 8 << 20;
const MIN_DEFAULT_CHUNK = 64 << 10;
const MAX_CHUNK = 64 << 20;
/** Room for one record left over from the previous chunk without growing the buffer. */
const CARRY_ROOM = 1 << 18;
const MAGIC_BYTES = 4;
/**
 * Chunks in turn with ChunkBuffers: one parsed, one being read, three the consumer may still be
 * reading. The consumer's pace is uneven (file opens and closes come in bursts, at calls' ends):
 * with one chunk of slack the pass waited for it at every burst, with three it rarely does.
 */
const CHUNK_SLOTS = 5;
/** The first read of a chunk consumer's capture (see ChunkReader.readLength). */
const RAMP_FIRST = 256 << 10;

/** Reads the capture at `path` ('-' = stdin); throws CaptureError when it is not a capture. */
export async function readCapture(path: string, onFrame: (frame: Frame) => void, options: ReadCaptureOptions = {}): Promise<CaptureSummary> {
  options.signal?.throwIfAborted();
  let input = path === '-' ? new StreamInput(options.stdin ?? process.stdin) : await openFile(path);
  const chunkSize = Math.min(MAX_CHUNK, Math.max(1, Math.floor(options.chunkSize ?? defaultChunkSize(input.totalBytes))));
  const reader = new ChunkReader(input, chunkSize, path, options.chunkBuffers);
  try {
    await reader.fillTo(2, 'cannot be read');
    const head = reader.buffered();
    if (head.length === 0) throw new CaptureError(path, path === '-' ? 'empty input' : 'empty file');
    const gzip = isGzipMagic(head[0], head[1]);
    if (gzip) {
      input = gunzipInput(new PrefixedInput(head.slice(), input));
      reader.restart(input);
      await reader.fillTo(MAGIC_BYTES, 'gzip-compressed, but cannot be decompressed');
      if (reader.buffered().length === 0) throw new CaptureError(path, 'gzip-compressed, but holds no data');
    } else {
      await reader.fillTo(MAGIC_BYTES, 'cannot be read');
    }
    const parser = chooseParser(path, reader.buffered(), gzip, onFrame);
    reader.startReadAhead();
    const readFailed = (err: unknown): void => {
      const what = gzip ? 'gzip data is corrupt' : 'read error';
      parser.stop(reader.total, `${what} after ${reader.total} bytes of capture data (${(err as Error).message}); reading stopped`);
    };
    for (;;) {
      reader.start = parser.parse(reader.buf, reader.view, reader.start, reader.end);
      options.afterChunk?.();
      if (parser.stopped) break;
      options.onProgress?.(input.rawBytesRead, input.totalBytes);
      options.signal?.throwIfAborted();
      if (options.betweenChunks !== undefined) await options.betweenChunks();
      const n = await reader.readMore(readFailed);
      if (n === 0) {
        if (reader.failed) break;
        parser.finish(reader.end - reader.start);
        break;
      }
    }
    // Everything up to the end of input, or up to the record where reading stopped.
    return summarize(parser, gzip, parser.stopped ? parser.offset : reader.total);
  } finally {
    await reader.settle();
    await input.close().catch(() => undefined);
  }
}

/** A small file gets small buffers; anything else reads DEFAULT_CHUNK at a time. */
function defaultChunkSize(totalBytes: number | undefined): number {
  if (totalBytes === undefined) return DEFAULT_CHUNK;
  return Math.min(DEFAULT_CHUNK, Math.max(MIN_DEFAULT_CHUNK, totalBytes));
}

async function openFile(path: string): Promise<ByteInput> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new CaptureError(path, openFailure(err), { cause: err });
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new CaptureError(path, 'is a directory');
    return new FileInput(handle, stat.isFile() ? stat.size : undefined);
  } catch (err) {
    await handle.close();
    throw err instanceof CaptureError ? err : new CaptureError(path, openFailure(err), { cause: err });
  }
}

function openFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EISDIR':
      return 'is a directory';
    default:
      return `cannot be read (${code ?? (err as Error).message})`;
  }
}

function chooseParser(path: string, buf: Uint8Array, gzip: boolean, onFrame: (frame: Frame) => void): RecordParser {
  const filled = buf.length;
  const what = gzip ? 'gzip-compressed, but not a pcap or pcapng file inside' : 'not a pcap or pcapng file';
  if (filled < MAGIC_BYTES) throw new CaptureError(path, `${what} (only ${filled} byte${filled === 1 ? '' : 's'})`);
  const first4 = new DataView(buf.buffer, buf.byteOffset, MAGIC_BYTES);
  if (isPcapMagic(first4)) return new PcapParser(path, onFrame);
  if (first4.getUint32(0, false) === BLOCK_SHB) return new PcapngParser(path, onFrame);
  const head = Array.from(buf.subarray(0, MAGIC_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new CaptureError(path, `${what} (starts with ${head}${knownFormatHint(buf)})`);
}

/** Names formats people mistake for captures, to make the error actionable. */
function knownFormatHint(buf: Uint8Array): string {
  const b = (i: number): number => buf[i] ?? -1;
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return ': zstd-compressed, decompress it first';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58) return ': xz-compressed, decompress it first';
  if (b(0) === 0x04 && b(1) === 0x22 && b(2) === 0x4d && b(3) === 0x18) return ': lz4-compressed, decompress it first';
  if (b(0) === 0x50 && b(1) === 0x4b && b(2) === 0x03 && b(3) === 0x04) return ': a zip archive';
  const be = ((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)) >>> 0;
  if (be === 0xa1b2cd34 || be === 0x34cdb2a1) return ': a modified (Kuznetzov) pcap, convert it with editcap -F pcap';
  if (be === 0x736e6f6f) return ': a snoop file, convert it with editcap -F pcap';
  return '';
}

function summarize(parser: RecordParser, gzip: boolean, bytesRead: number): CaptureSummary {
  const timed = parser.minTs <= parser.maxTs;
  return {
    format: parser.format,
    variant: parser.variant(),
    gzip,
    interfaces: parser.interfaces(),
    frames: parser.frames,
    bytesRead,
    ...(timed ? { firstTs: parser.minTs, lastTs: parser.maxTs } : {}),
    warnings: parser.warnings,
  };
}

interface Slot {
  buf: Uint8Array;
  view: DataView;
  /** New data is read at this index; the unconsumed tail of the other slot is copied just before it. */
  room: number;
}

/**
 * Buffers in turn (two, or CHUNK_SLOTS from ChunkBuffers): while frames of one are parsed, the
 * next chunk is already being read into the next (read-ahead), so disk or gunzip work overlaps
 * with parsing. The unconsumed tail of a chunk (a record cut by the chunk boundary) is copied in
 * front of the next chunk's data.
 */
class ChunkReader {
  buf: Uint8Array;
  view: DataView;
  start: number;
  end: number;
  /** Capture-data bytes read so far. */
  total = 0;
  /** Set when a read failed after the capture was recognised. */
  failed = false;
  private readonly slots: Slot[];
  /** The slot being parsed; the next one in turn is read into next. */
  private current = 0;
  private pending: Promise<number> | undefined;
  private readAhead = false;
  private ended = false;
  /** What the next read asks for (readLength). */
  private rampLength: number;

  constructor(
    private input: ByteInput,
    private readonly chunkSize: number,
    private readonly path: string,
    private readonly buffers?: ChunkBuffers,
  ) {
    this.slots = Array.from({ length: buffers === undefined ? 2 : CHUNK_SLOTS }, () => this.slot(CARRY_ROOM));
    this.rampLength = buffers === undefined ? chunkSize : Math.min(chunkSize, RAMP_FIRST);
    const first = this.slots[0] as Slot;
    this.buf = first.buf;
    this.view = first.view;
    this.start = this.end = first.room;
  }

  /** Starts over on a new input (after gzip was detected on the raw bytes). */
  restart(input: ByteInput): void {
    this.input = input;
    this.start = this.end = (this.slots[this.current] as Slot).room;
    this.total = 0;
    this.ended = false;
  }

  /** The buffered, unconsumed bytes (while sniffing nothing is consumed: everything read so far). */
  buffered(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** From now on the next chunk is read while the current one is parsed. */
  startReadAhead(): void {
    this.readAhead = true;
  }

  /** Reads until at least `count` bytes are buffered or the input ends; a read error is a CaptureError. */
  async fillTo(count: number, failure: string): Promise<void> {
    while (this.end - this.start < count) {
      let n: number;
      try {
        n = await this.next();
      } catch (err) {
        throw new CaptureError(this.path, `${failure} (${(err as Error).message})`, { cause: err });
      }
      if (n === 0) return;
    }
  }

  /** Reads the next chunk; a read error is reported once through `fail` and ends the input. */
  async readMore(fail: (err: unknown) => void): Promise<number> {
    try {
      return await this.next();
    } catch (err) {
      this.failed = true;
      fail(err);
      return 0;
    }
  }

  /** Waits for a read still in flight, so the input can be closed under no one's feet. */
  async settle(): Promise<void> {
    await this.pending?.catch(() => 0);
    this.pending = undefined;
  }

  private async next(): Promise<number> {
    if (this.ended) return 0;
    const next = (this.current + 1) % this.slots.length;
    const into = this.slots[next] as Slot;
    const pending = this.pending ?? this.readInto(into);
    this.pending = undefined;
    const n = await pending;
    if (n === 0) {
      this.ended = true;
      return 0;
    }
    this.total += n;
    const tail = this.end - this.start;
    if (tail > into.room) this.widen(into, tail, n);
    into.buf.set(this.buf.subarray(this.start, this.end), into.room - tail);
    this.current = next;
    this.buf = into.buf;
    this.view = into.view;
    this.start = into.room - tail;
    this.end = into.room + n;
    if (this.readAhead) {
      this.pending = this.readInto(this.slots[(next + 1) % this.slots.length] as Slot);
      // A failure is handled when the read is awaited; until then it must not count as unhandled.
      this.pending.catch(() => 0);
    }
    return n;
  }

  private readInto(slot: Slot): Promise<number> {
    this.buffers?.reuse(slot.buf);
    return this.input.read(slot.buf, slot.room, this.readLength());
  }

  /**
   * How much the next read asks for: the chunk size — but for a consumer of chunks (another
   * thread), the first reads ask for less and double up to it (RAMP_FIRST, 2×, 4× …): the
   * consumer gets the first chunk's records once that chunk is parsed, and a whole first chunk
   * (parsed while the code is still cold) would keep it idle that long.
   */
  private readLength(): number {
    const length = this.rampLength;
    if (length < this.chunkSize) this.rampLength = Math.min(this.chunkSize, 2 * length);
    return length;
  }

  private slot(room: number): Slot {
    const buf = this.buffers?.allocate(room + this.chunkSize) ?? new Uint8Array(room + this.chunkSize);
    return { buf, view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), room };
  }

  /** Makes room for a tail longer than the slot's room (a record larger than CARRY_ROOM). */
  private widen(slot: Slot, tail: number, n: number): void {
    const wider = this.slot(tail + CARRY_ROOM);
    wider.buf.set(slot.buf.subarray(slot.room, slot.room + n), wider.room);
    this.buffers?.release(slot.buf);
    slot.buf = wider.buf;
    slot.view = wider.view;
    slot.room = wider.room;
  }
}
