// The records the pass sends to the output thread, in the order they happen, through one ring
// of shared memory: a single producer (the pass) and a single consumer (the output thread), no
// message per packet. Positions are 32-bit byte counters that only grow (wrapping at 2^32; the
// ring is a power of two, so counter & mask is the offset); a record never straddles the end of
// the ring (a WRAP record fills the tail instead). Memory stays bounded: when the ring is full
// the pass waits (Atomics.wait) until the output thread has taken records out.
//
// A payload that lies in a buffer of capture data shared with the output thread (a chunk, see
// ChunkBuffers in capture/source.ts) is not copied: its record names the chunk and where the
// payload is in it. Before the pass reads new data into a chunk it waits until the output thread
// has taken every record naming it (reuse()).
import { copyToAligned } from '../../media/copy-octets.js';
import type { AmrPayloadOptions } from '../../protocols/amr/types.js';
import type { AmrContainer } from './types.js';

export const RecordType = { Format: 1, Open: 2, Packets: 3, Close: 4, Abort: 5, End: 6, Wrap: 7, ChunkPackets: 8, ForgetChunk: 9 } as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

// Words of the control block.
const WRITE = 0;
const READ = 1;
/** Set (to 1) by the output thread once it has failed; it then only drains the ring. */
export const FAILED = 2;
const CONTROL_WORDS = 4;

/** Octets of a record header: type, length (of the whole record, a multiple of eight, so a WRAP header always fits the tail). */
const HEADER = 8;
/** Publish what is written once this much waits (the consumer starts early, never far behind). */
const PUBLISH_EVERY = 256 << 10;
// A PACKETS record: segment id, format id, count, (pad); then per packet its timestamp, sequence
// number and payload length (16 bits each), frame number (f64), and payload (padded to 8).
// A CHUNK_PACKETS record: segment id, format id, count, chunk id; then per packet its timestamp,
// sequence number and payload length, where the payload starts in the chunk, (pad), frame number.
const PACKETS_HEADER = 16;
const PACKET_ENTRY_HEADER = 16;
const CHUNK_PACKET_ENTRY = 24;
/** Room a PACKETS record takes at once (a quarter of the ring at most): consecutive packets of one segment fill it. */
const PACKETS_RESERVE = 16 << 10;
/** How long the pass waits for room before it gives up on an output thread that stopped taking records. */
const STALL_MS = 120_000;

export interface RingBuffers {
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

export function newRing(size: number): RingBuffers {
  if (size < 1024 || (size & (size - 1)) !== 0) throw new Error(`ring size ${size} is not a power of two ≥ 1024`);
  return { control: new SharedArrayBuffer(4 * CONTROL_WORDS), data: new SharedArrayBuffer(size) };
}

const FLAG_WIDEBAND = 1;
const FLAG_OCTET_ALIGNED = 2;
const FLAG_CRC = 4;
const FLAG_ROBUST_SORTING = 8;
const FLAG_INTERLEAVING = 16;
const FLAG_FORCE = 32;
const FLAG_3GP = 64;

const utf8 = new TextEncoder();

/** The ring as both ends see it: the control words, and the data as octets, words and doubles (native byte order: both ends are one process). */
class RingViews {
  readonly control: Int32Array;
  readonly bytes: Uint8Array;
  protected readonly words: Int32Array;
  protected readonly floats: Float64Array;
  protected readonly mask: number;

  constructor(ring: RingBuffers) {
    this.control = new Int32Array(ring.control);
    this.bytes = new Uint8Array(ring.data);
    this.words = new Int32Array(ring.data);
    this.floats = new Float64Array(ring.data);
    this.mask = ring.data.byteLength - 1;
  }
}

export class RingWriter extends RingViews {
  /** Octets written (published or not). */
  private written = 0;
  private published = 0;
  /** The consumer's position when last read. */
  private knownRead = 0;
  // The PACKETS record being filled (not yet written: `written` moves when it is closed): where
  // its body starts (-1: none), its segment and format, packets, where the next goes, room left.
  private packetsAt = -1;
  private packetsId = 0;
  private packetsFormat = 0;
  /** The chunk the PACKETS record being filled names (-1: payloads copied into the record). */
  private packetsChunk = -1;
  private packetsCount = 0;
  private packetsEnd = 0;
  private packetsLimit = 0;
  // Chunks of capture the output thread reads payloads from: their ids, the last one looked up,
  // and per id the position the output thread must pass before the chunk is read into again
  // (-1: no record names it since it was last reused).
  private readonly chunkIds = new Map<Uint8Array, number>();
  private lastChunk: Uint8Array | undefined;
  private lastChunkId = -1;
  private readonly chunkNeeded = new Map<number, number>();
  /** Packets sent as places in a chunk (not copied). */
  chunkPackets = 0;

  /** `stallMs`: how long to wait for room before giving up on the consumer. */
  constructor(
    ring: RingBuffers,
    private readonly stallMs = STALL_MS,
  ) {
    super(ring);
  }

  get failed(): boolean {
    return Atomics.load(this.control, FAILED) !== 0;
  }

  format(id: number, amr: AmrPayloadOptions): void {
    this.closePackets();
    const at = this.begin(RecordType.Format, 8);
    const flags =
      (amr.wideband ? FLAG_WIDEBAND : 0) |
      (amr.octetAligned ? FLAG_OCTET_ALIGNED : 0) |
      (amr.crc === true ? FLAG_CRC : 0) |
      (amr.robustSorting === true ? FLAG_ROBUST_SORTING : 0) |
      (amr.interleaving === true ? FLAG_INTERLEAVING : 0);
    this.words[at >> 2] = id;
    this.words[(at + 4) >> 2] = flags | ((amr.channels ?? 1) << 8);
    this.end(at + 8);
  }

  open(id: number, wideband: boolean, container: AmrContainer, force: boolean, path: string, tempPath: string): void {
    const p = utf8.encode(path);
    const t = utf8.encode(tempPath);
    this.closePackets();
    const at = this.begin(RecordType.Open, 16 + p.length + t.length);
    this.words[at >> 2] = id;
    this.words[(at + 4) >> 2] = (wideband ? FLAG_WIDEBAND : 0) | (force ? FLAG_FORCE : 0) | (container === '3gp' ? FLAG_3GP : 0);
    this.words[(at + 8) >> 2] = p.length;
    this.words[(at + 12) >> 2] = t.length;
    this.bytes.set(p, at + 16);
    this.bytes.set(t, at + 16 + p.length);
    this.end(at + 16 + p.length + t.length);
  }

  /**
   * One packet of segment `id`: it joins the PACKETS record being filled when that is of the same
   * segment and format and has room, else it starts one (consecutive packets of a segment —
   * a stream's queued run — share one record header and one room check).
   */
  packet(id: number, format: number, timestamp: number, sequence: number, frameNo: number, payload: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length > 0xffff) throw new Error(`payload of ${length} octets does not fit a packet entry`);
    if (payload === this.lastChunk || this.isChunk(payload)) return this.chunkPacket(id, format, timestamp, sequence, frameNo, start, length);
    const entry = PACKET_ENTRY_HEADER + ((length + 7) & ~7);
    if (this.packetsAt < 0 || id !== this.packetsId || format !== this.packetsFormat || this.packetsChunk >= 0 || this.packetsEnd + entry > this.packetsLimit) this.openPackets(id, format, entry, -1);
    const at = this.packetsEnd;
    this.words[at >> 2] = timestamp | 0;
    this.words[(at + 4) >> 2] = sequence | (length << 16);
    this.floats[(at + 8) >> 3] = frameNo;
    copyToAligned(payload, start, end, this.bytes, this.words, at + PACKET_ENTRY_HEADER);
    this.packetsEnd = at + entry;
    this.packetsCount++;
  }

  /** A packet whose payload is chunk[start, start + length) of the chunk last looked up. */
  private chunkPacket(id: number, format: number, timestamp: number, sequence: number, frameNo: number, start: number, length: number): void {
    const chunk = this.lastChunkId;
    if (this.packetsAt < 0 || id !== this.packetsId || format !== this.packetsFormat || chunk !== this.packetsChunk || this.packetsEnd + CHUNK_PACKET_ENTRY > this.packetsLimit) this.openPackets(id, format, CHUNK_PACKET_ENTRY, chunk);
    const at = this.packetsEnd;
    this.words[at >> 2] = timestamp | 0;
    this.words[(at + 4) >> 2] = sequence | (length << 16);
    this.words[(at + 8) >> 2] = start;
    this.floats[(at + 16) >> 3] = frameNo;
    this.packetsEnd = at + CHUNK_PACKET_ENTRY;
    this.packetsCount++;
    this.chunkPackets++;
  }

  /** Whether `buf` is a chunk the output thread knows (then it is the one last looked up). */
  private isChunk(buf: Uint8Array): boolean {
    const id = this.chunkIds.get(buf);
    if (id === undefined) return false;
    this.lastChunk = buf;
    this.lastChunkId = id;
    return true;
  }

  /** From now on payloads in `buf` are sent as places in chunk `id` (the output thread must have that chunk's bytes under `id` before it takes the next record). */
  addChunk(buf: Uint8Array, id: number): void {
    this.chunkIds.set(buf, id);
  }

  /** Waits until no record the output thread has still to take names chunk `buf`: the pass may then read into it. */
  reuseChunk(buf: Uint8Array): void {
    const id = this.chunkIds.get(buf);
    if (id === undefined) return;
    if (this.packetsAt >= 0 && this.packetsChunk === id) this.closePackets();
    const needed = this.chunkNeeded.get(id) ?? -1;
    if (needed < 0) return;
    // (Positions are counters that wrap: the reader is past `needed` when their difference is not negative.)
    if (((Atomics.load(this.control, READ) - needed) | 0) < 0) {
      this.publish();
      this.waitFor(() => ((Atomics.load(this.control, READ) - needed) | 0) >= 0);
    }
    this.chunkNeeded.set(id, -1);
  }

  /** The pass no longer uses chunk `buf`: the output thread forgets it once it has taken every record before this one. */
  forgetChunk(buf: Uint8Array): void {
    const id = this.chunkIds.get(buf);
    if (id === undefined) return;
    this.chunkIds.delete(buf);
    this.chunkNeeded.delete(id);
    if (this.lastChunk === buf) {
      this.lastChunk = undefined;
      this.lastChunkId = -1;
    }
    this.idRecord(RecordType.ForgetChunk, id);
  }

  private openPackets(id: number, format: number, entry: number, chunk: number): void {
    this.closePackets();
    const reserve = Math.max(PACKETS_HEADER + entry, Math.min(PACKETS_RESERVE, (this.mask + 1) >> 2));
    const at = this.begin(chunk < 0 ? RecordType.Packets : RecordType.ChunkPackets, reserve);
    this.words[at >> 2] = id;
    this.words[(at + 4) >> 2] = format;
    this.words[(at + 12) >> 2] = chunk;
    this.packetsAt = at;
    this.packetsId = id;
    this.packetsFormat = format;
    this.packetsChunk = chunk;
    this.packetsCount = 0;
    this.packetsEnd = at + PACKETS_HEADER;
    this.packetsLimit = at + reserve;
  }

  /** Completes the PACKETS record being filled (its count and length), which makes it part of what is written. */
  private closePackets(): void {
    const at = this.packetsAt;
    if (at < 0) return;
    this.packetsAt = -1;
    this.words[(at + 8) >> 2] = this.packetsCount;
    this.words[(at - HEADER + 4) >> 2] = HEADER + this.packetsEnd - at;
    this.end(this.packetsEnd);
    if (this.packetsChunk >= 0) this.chunkNeeded.set(this.packetsChunk, this.written);
  }

  close(id: number): void {
    this.idRecord(RecordType.Close, id);
  }

  abort(id: number): void {
    this.idRecord(RecordType.Abort, id);
  }

  /** The last record: the output thread answers it once everything before it is written. */
  finish(): void {
    this.idRecord(RecordType.End, 0);
    this.publish();
  }

  /** Makes everything written visible to the output thread (and wakes it). */
  publish(): void {
    this.closePackets();
    if (this.published === this.written) return;
    this.published = this.written;
    Atomics.store(this.control, WRITE, this.written | 0);
    Atomics.notify(this.control, WRITE);
  }

  private idRecord(type: RecordType, id: number): void {
    this.closePackets();
    const at = this.begin(type, 4);
    this.words[at >> 2] = id;
    this.end(at + 4);
  }

  /** Room for a record with `body` octets after its header; returns where the body goes. */
  private begin(type: RecordType, body: number): number {
    const length = (HEADER + body + 7) & ~7;
    const size = this.mask + 1;
    if (length > size / 2) throw new Error(`record of ${length} octets does not fit the output ring`);
    let at = this.written & this.mask;
    if (size - at < length) {
      // The tail is too short: a WRAP record fills it, the record starts at offset 0.
      this.room(size - at);
      this.words[at >> 2] = RecordType.Wrap;
      this.words[(at + 4) >> 2] = size - at;
      this.written = (this.written + size - at) >>> 0;
      at = 0;
    }
    this.room(length);
    this.words[at >> 2] = type;
    this.words[(at + 4) >> 2] = length;
    return at + HEADER;
  }

  private end(bodyEnd: number): void {
    const start = this.written & this.mask;
    this.written = (this.written + ((bodyEnd - start + 7) & ~7)) >>> 0;
    if (((this.written - this.published) >>> 0) >= PUBLISH_EVERY) this.publish();
  }

  /** Waits until `length` more octets fit behind what the output thread has not taken yet. */
  private room(length: number): void {
    const size = this.mask + 1;
    // The consumer's position only grows: room known from an older reading is there.
    if (size - ((this.written - this.knownRead) >>> 0) >= length) return;
    const read = (this.knownRead = Atomics.load(this.control, READ));
    if (size - ((this.written - read) >>> 0) >= length) return;
    // Everything written must be visible before waiting on the consumer, or both would wait.
    this.publish();
    this.waitFor(() => size - ((this.written - (this.knownRead = Atomics.load(this.control, READ))) >>> 0) >= length);
  }

  /** Waits for the consumer's position to move until `done()`; gives up when it does not move for stallMs. */
  private waitFor(done: () => boolean): void {
    let waited = 0;
    for (;;) {
      const read = Atomics.load(this.control, READ);
      if (done()) return;
      const step = Math.min(1000, this.stallMs);
      if (Atomics.wait(this.control, READ, read, step) === 'timed-out') {
        if ((waited += step) >= this.stallMs) throw new Error(`the output thread took no records for ${this.stallMs / 1000} s`);
      } else waited = 0;
    }
  }
}

/** A record as the reader sees it (valid until the next call to next()). */
export interface RingRecord {
  type: RecordType;
  /** Offset of the body in `bytes`. */
  at: number;
  length: number;
}

export class RingReader extends RingViews {
  /** The chunks of capture records may name, by id (the output thread adds each before its first record, see ChunkPackets). */
  readonly chunks = new Map<number, Uint8Array>();
  private read = 0;
  private released = 0;
  private available = 0;
  private taken = 0;
  private readonly record: RingRecord = { type: RecordType.End as RecordType, at: 0, length: 0 };

  /** The next record, waiting for one if none is there (at most `waitMs`); the previous one's room is given back. */
  next(waitMs = Infinity): RingRecord {
    for (;;) {
      if (this.taken > 0) this.release();
      while (this.read === this.available) {
        this.available = Atomics.load(this.control, WRITE) >>> 0;
        if (this.read === this.available && Atomics.wait(this.control, WRITE, this.available | 0, waitMs) === 'timed-out') throw new Error(`no record came in ${waitMs} ms`);
      }
      const at = this.read & this.mask;
      const type = this.u32(at) as RecordType;
      const length = this.u32(at + 4);
      this.taken = length;
      if (type === RecordType.Wrap) continue;
      const r = this.record;
      r.type = type;
      r.at = at + HEADER;
      r.length = length - HEADER;
      return r;
    }
  }

  /** Gives the room of the records taken back to the writer (done in batches: every PUBLISH_EVERY octets, or when the ring runs dry). */
  private release(): void {
    this.read = (this.read + this.taken) >>> 0;
    this.taken = 0;
    if (((this.read - this.released) >>> 0) >= PUBLISH_EVERY || this.read === this.available) {
      this.released = this.read;
      Atomics.store(this.control, READ, this.read | 0);
      Atomics.notify(this.control, READ);
    }
  }

  fail(): void {
    Atomics.store(this.control, FAILED, 1);
  }

  u32(offset: number): number {
    return (this.words[offset >> 2] as number) >>> 0;
  }

  f64(offset: number): number {
    return this.floats[offset >> 3] as number;
  }
}

/** The packets of a PACKETS or CHUNK_PACKETS record, one after another (one object, refilled: read each before the next). */
export class PacketEntries {
  id = 0;
  format = 0;
  timestamp = 0;
  sequence = 0;
  frameNo = 0;
  /** The payload: bytes[start, end) — the ring's, or the chunk's the record names. */
  bytes: Uint8Array;
  start = 0;
  end = 0;
  private remaining = 0;
  private nextAt = 0;
  private inChunk = false;

  constructor(private readonly reader: RingReader) {
    this.bytes = reader.bytes;
  }

  /** Starts on the record `r` (PACKETS or CHUNK_PACKETS); throws when it names a chunk the reader does not have. */
  open(r: RingRecord): void {
    const reader = this.reader;
    const at = r.at;
    this.id = reader.u32(at);
    this.format = reader.u32(at + 4);
    this.remaining = reader.u32(at + 8);
    this.nextAt = at + PACKETS_HEADER;
    this.inChunk = r.type === RecordType.ChunkPackets;
    if (!this.inChunk) {
      this.bytes = reader.bytes;
      return;
    }
    const chunk = reader.u32(at + 12);
    const bytes = reader.chunks.get(chunk);
    if (bytes === undefined) throw new Error(`output ring: packets in chunk ${chunk}, which the output thread does not have`);
    this.bytes = bytes;
  }

  /** Moves to the record's next packet; false after the last. */
  next(): boolean {
    if (this.remaining === 0) return false;
    this.remaining--;
    const r = this.reader;
    const at = this.nextAt;
    const word = r.u32(at + 4);
    const length = word >>> 16;
    this.timestamp = r.u32(at);
    this.sequence = word & 0xffff;
    if (this.inChunk) {
      this.start = r.u32(at + 8);
      this.frameNo = r.f64(at + 16);
      this.nextAt = at + CHUNK_PACKET_ENTRY;
    } else {
      this.frameNo = r.f64(at + 8);
      this.start = at + PACKET_ENTRY_HEADER;
      this.nextAt = this.start + ((length + 7) & ~7);
    }
    this.end = this.start + length;
    return true;
  }
}

export interface FormatRecord {
  readonly id: number;
  readonly amr: AmrPayloadOptions;
}

export function readFormat(r: RingReader, at: number): FormatRecord {
  const word = r.u32(at + 4);
  return {
    id: r.u32(at),
    amr: {
      wideband: (word & FLAG_WIDEBAND) !== 0,
      octetAligned: (word & FLAG_OCTET_ALIGNED) !== 0,
      crc: (word & FLAG_CRC) !== 0,
      robustSorting: (word & FLAG_ROBUST_SORTING) !== 0,
      interleaving: (word & FLAG_INTERLEAVING) !== 0,
      channels: word >>> 8,
    },
  };
}

export interface OpenRecord {
  readonly id: number;
  readonly wideband: boolean;
  readonly container: AmrContainer;
  readonly force: boolean;
  readonly path: string;
  readonly tempPath: string;
}

const utf8Decoder = new TextDecoder();

export function readOpen(r: RingReader, at: number): OpenRecord {
  const flags = r.u32(at + 4);
  const p = r.u32(at + 8);
  const t = r.u32(at + 12);
  // (TextDecoder does not read shared memory: the names are copied out first.)
  const path = utf8Decoder.decode(r.bytes.slice(at + 16, at + 16 + p));
  const tempPath = utf8Decoder.decode(r.bytes.slice(at + 16 + p, at + 16 + p + t));
  return { id: r.u32(at), wideband: (flags & FLAG_WIDEBAND) !== 0, container: (flags & FLAG_3GP) !== 0 ? '3gp' : 'amr', force: (flags & FLAG_FORCE) !== 0, path, tempPath };
}
