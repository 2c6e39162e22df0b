// The frame timeline of one AMR / AMR-WB stream: frames placed on 20 ms slots by RTP
// timestamp, duplicates (and redundant copies) dropped, reordering undone within a bounded
// window, missing slots filled with NO_DATA so the output keeps real time, frames handed to a
// sink in order as the window advances. Memory is bounded by the window, not the call length:
// the slots live in typed arrays allocated once (frame octets copied into one byte ring), so
// placing and emitting a frame allocates nothing.
import { AMR_NO_DATA, amrFrameType, amrSamplesPerFrame } from '../protocols/amr/frame-types.js';
import type { AmrFrameList } from '../protocols/amr/frame-list.js';
import type { AmrFrame, AmrFrameSink } from '../protocols/amr/types.js';
import { copyToAligned } from '../media/copy-octets.js';

export interface AmrTimelinePacket {
  /** RTP timestamp (32 bits, wraps): the sampling instant of the packet's first frame-block. */
  readonly timestamp: number;
  readonly sequence: number;
  readonly frameNo: number;
  readonly frames: readonly AmrFrame[];
}

export interface AmrTimelineFrame {
  /** 20 ms slot, counted from the stream's first slot (0). */
  readonly slot: number;
  readonly ft: number;
  readonly q: boolean;
  /** Speech bits, octet-aligned (empty for NO_DATA). Owned by the timeline's caller from here. */
  readonly bits: Uint8Array;
  /** NO_DATA put in a slot no packet filled. */
  readonly filled: boolean;
  /** Capture frame and RTP sequence number of the packet that carried the frame (absent when filled). */
  readonly frameNo?: number;
  readonly sequence?: number;
}

export interface AmrTimelineOptions {
  readonly wideband: boolean;
  /**
   * Where frames go in slot order: an AmrFrameSink (octets as a view valid during the call, the
   * hot path), or a function given a record per frame (its octets a copy the caller keeps).
   */
  readonly sink: AmrFrameSink | ((frame: AmrTimelineFrame) => void);
  /** How many slots a frame may arrive behind the newest one and still be placed (default 50 = 1 s). */
  readonly maxLatenessSlots?: number;
  /** A timestamp jump larger than this many slots is a discontinuity, not silence (default 30000 = 10 min). */
  readonly maxGapSlots?: number;
  /** Channel taken from multi-channel payloads (default 0). */
  readonly channel?: number;
}

export interface AmrTimelineStats {
  /** Frames accepted from packets (placed on a slot for the first time). */
  readonly framesReceived: number;
  /** Frames given to the sink, fills included: the output's length in 20 ms frames. */
  readonly framesEmitted: number;
  /** Emitted frames per frame type (index 0–15), fills counted under NO_DATA. */
  readonly frameTypeCounts: readonly number[];
  readonly speechFrames: number;
  readonly sidFrames: number;
  /** NO_DATA and SPEECH_LOST frames emitted, fills included. */
  readonly noDataFrames: number;
  /** Slots no packet filled, emitted as NO_DATA. */
  readonly filledSlots: number;
  /** Frames for a slot already filled (duplicate packets, redundant copies). */
  readonly duplicateFrames: number;
  /** Frames arriving after their slot had left the reordering window. */
  readonly lateDroppedFrames: number;
  /** Timestamp jumps beyond maxGapSlots, joined without filling. */
  readonly discontinuities: number;
  /** Packets whose timestamp is not a whole number of frames from the stream's first. */
  readonly misalignedPackets: number;
  readonly speechShare: number;
  readonly sidShare: number;
  readonly noDataShare: number;
}

const EMPTY = new Uint8Array(0);
// RFC 3550 A.1 MAX_DROPOUT.
const SEQUENCE_DROPOUT = 3000;
// Per ring index, ring[2i] is the slot it holds and ring[2i + 1] its info: the state (bits
// 0–1; 0: never used), then the pending frame's type (4 bits), Q bit and octet count.
const PENDING = 1;
const EMITTED_FRAME = 2;
const STATE_MASK = 3;
const FT_SHIFT = 2;
const Q_BIT = 1 << 6;
const LENGTH_SHIFT = 7;
// Octets kept per slot at first: the largest frame, AMR-WB 23.85 (477 bits, 60 octets) or AMR
// 12.2 (244 bits, 31 octets), rounded up to whole words; a larger frame widens the ring.
const WB_STRIDE = 64;
const NB_STRIDE = 32;

export class AmrTimeline {
  private readonly wideband: boolean;
  private readonly sink: AmrFrameSink;
  private readonly samplesPerFrame: number;
  private readonly maxLateness: number;
  private readonly maxGap: number;
  private readonly channel: number;
  // Slots [nextSlot, nextSlot + window) are pending; emitted slots are remembered while they are
  // less than `memory` (two windows) behind the newest, to tell duplicates from late frames.
  // The ring is a power of two at least that long (slot → index is a mask, wraps included).
  private readonly window: number;
  private readonly memory: number;
  private readonly mask: number;
  // (Slots count 20 ms frames from the stream's start, so 32 bits hold them for 497 days.)
  // One buffer holds the ring (as 32-bit words: ring[2i] and ring[2i + 1] for index i), the
  // counts per frame type (16 words from `counts`), and the octets of the frame held at index
  // i, data[dataStart + i × stride, + octet count). `ring` and `data` view it as words and octets
  // (the copies move four octets at a time); one buffer keeps a stream's state in few places.
  private readonly counts: number;
  private readonly dataStart: number;
  private stride: number;
  private ring: Int32Array;
  private data: Uint8Array;
  // Capture frame and RTP sequence number per index, kept only for a record-per-frame sink.
  private readonly packets: Float64Array | undefined;

  private started = false;
  private emittedAny = false;
  private origin = 0;
  private shift = 0;
  private lastExt = 0;
  private highestSequence = 0;
  // The packet being placed has the sequence number right after the highest one (set by packetSlot).
  private consecutive = false;
  private firstSlot = 0;
  private nextSlot = 0;
  private highest = 0;

  private received = 0;
  private emitted = 0;
  private filled = 0;
  private duplicates = 0;
  private late = 0;
  private discontinuities = 0;
  private misaligned = 0;
  // The frame being emitted, for the record-per-frame sink.
  private emitSlot = 0;
  private emitIndex = 0;

  constructor(options: AmrTimelineOptions) {
    this.wideband = options.wideband;
    this.samplesPerFrame = amrSamplesPerFrame(options.wideband);
    this.maxLateness = Math.max(0, Math.floor(options.maxLatenessSlots ?? 50));
    this.maxGap = Math.max(1, Math.floor(options.maxGapSlots ?? 30000));
    this.channel = options.channel ?? 0;
    this.window = this.maxLateness + 1;
    this.memory = 2 * this.window;
    let size = 4;
    while (size < this.memory) size *= 2;
    this.mask = size - 1;
    this.counts = 2 * size;
    this.dataStart = 4 * (this.counts + 16);
    this.stride = options.wideband ? WB_STRIDE : NB_STRIDE;
    this.data = new Uint8Array(this.dataStart + size * this.stride);
    this.ring = new Int32Array(this.data.buffer);
    const sink = options.sink;
    this.packets = typeof sink === 'function' ? new Float64Array(2 * size) : undefined;
    this.sink = typeof sink === 'function' ? this.recordSink(sink) : sink;
  }

  /** A packet as records (frames with their frame-block and channel). */
  push(packet: AmrTimelinePacket): void {
    const base = this.packetSlot(packet.timestamp >>> 0, packet.sequence & 0xffff);
    if (base === undefined) {
      for (const frame of packet.frames) if (frame.channel === this.channel) this.late++;
      return;
    }
    this.closeSilence(base);
    for (const frame of packet.frames) {
      if (frame.channel !== this.channel) continue;
      this.place(base + frame.block, frame.ft, frame.q, frame.bits, 0, frame.bits.length, 0xff, packet.frameNo, packet.sequence);
    }
  }

  /** A packet as decoded into a frame list (RFC 4867 §4: frame i is block ⌊i / channels⌋, channel i mod channels). */
  pushFrames(timestamp: number, sequence: number, frameNo: number, frames: AmrFrameList): void {
    const base = this.packetSlot(timestamp >>> 0, sequence & 0xffff);
    const { count, channels } = frames;
    if (base === undefined) {
      for (let i = 0; i < count; i++) if (i % channels === this.channel) this.late++;
      return;
    }
    this.closeSilence(base);
    const bytes = frames.bytes;
    for (let i = 0; i < count; i++) {
      if (i % channels !== this.channel) continue;
      const block = channels === 1 ? i : Math.floor(i / channels);
      this.place(base + block, frames.ft[i] as number, frames.q[i] === 1, bytes, frames.start[i] as number, frames.end[i] as number, frames.pad[i] as number, frameNo, sequence);
    }
  }

  /** Emit every slot still held, up to the newest frame. */
  finish(): void {
    if (!this.started) return;
    this.emitBelow(this.highest + 1);
  }

  stats(): AmrTimelineStats {
    let speech = 0;
    let sid = 0;
    let noData = 0;
    for (let ft = 0; ft < 16; ft++) {
      const n = this.ring[this.counts + ft] as number;
      const kind = amrFrameType(ft, this.wideband).kind;
      if (kind === 'speech') speech += n;
      else if (kind === 'sid') sid += n;
      else if (kind === 'no-data' || kind === 'speech-lost') noData += n;
    }
    const share = (n: number): number => (this.emitted === 0 ? 0 : n / this.emitted);
    return {
      framesReceived: this.received,
      framesEmitted: this.emitted,
      frameTypeCounts: Array.from(this.ring.subarray(this.counts, this.counts + 16)),
      speechFrames: speech,
      sidFrames: sid,
      noDataFrames: noData,
      filledSlots: this.filled,
      duplicateFrames: this.duplicates,
      lateDroppedFrames: this.late,
      discontinuities: this.discontinuities,
      misalignedPackets: this.misaligned,
      speechShare: share(speech),
      sidShare: share(sid),
      noDataShare: share(noData),
    };
  }

  /**
   * Slot of the packet's first frame-block, following 32-bit timestamp wrap; undefined for an
   * old packet (sequence number behind) whose timestamp would put it ahead of newer ones.
   */
  private packetSlot(timestamp: number, sequence: number): number | undefined {
    if (!this.started) {
      this.origin = timestamp;
      this.lastExt = timestamp;
      this.highestSequence = sequence;
      this.consecutive = false;
      return 0;
    }
    // Signed distance from the newest timestamp: wrap-safe while jumps stay below 2^31.
    const ext = this.lastExt + ((timestamp - this.lastExt) | 0);
    const offset = (ext - this.origin) / this.samplesPerFrame;
    let slot = Math.round(offset) + this.shift;
    if (slot !== offset + this.shift) this.misaligned++;
    // Sequence numbers up to 3000 behind the highest are old packets (late or copies, after
    // RFC 3550 A.1 MAX_DROPOUT); any other change means a newer packet.
    const seqDelta = (sequence - this.highestSequence) & 0xffff;
    const behind = seqDelta !== 0 && seqDelta > 0x10000 - SEQUENCE_DROPOUT;
    const ahead = seqDelta !== 0 && !behind;
    this.consecutive = seqDelta === 1;
    // An old packet cannot extend the timeline: after a timestamp restart its timestamp is stale.
    if (behind && slot > this.highest) return undefined;
    if (ahead) this.highestSequence = sequence;
    // A new packet far behind the window, or any packet beyond maxGap: the sender restarted
    // its timestamps (RFC 3550 §5.1 gives them a random origin). Join, do not fill or drop.
    const behindWindow = slot < this.highest - this.maxLateness;
    if (Math.abs(slot - this.highest) > this.maxGap || (ahead && behindWindow)) {
      this.discontinuities++;
      this.shift += this.highest + 1 - slot;
      slot = this.highest + 1;
    }
    if (slot >= this.highest) this.lastExt = ext;
    return slot;
  }

  /**
   * Before the frames of a packet whose first frame-block goes on slot `base`: when the packet's
   * sequence number follows the highest one and nothing is held, the empty slots before `base`
   * are silence the sender did not send (DTX between SID frames), not loss. RFC 3550 §5.1: the
   * sequence number increments by one for each RTP data packet sent, while the timestamp follows
   * the sampling clock; no packet can come later to fill those slots (a late one would carry an
   * older sequence number). They go out as NO_DATA at once, and the packet's frames after them —
   * instead of waiting a window behind the hole with every frame that follows.
   */
  private closeSilence(base: number): void {
    if (!this.consecutive || !this.emittedAny || this.nextSlot !== this.highest + 1 || base <= this.nextSlot) return;
    this.emitFills(this.nextSlot, base - this.nextSlot);
    // (As if the newest slot were the last one filled: the packet's first frame continues the stream.)
    this.highest = base - 1;
  }

  /** Place one frame (octets bytes[start, end), the last masked with `pad`, copied if kept) on its slot. */
  private place(slot: number, ft: number, q: boolean, bytes: Uint8Array, start: number, end: number, pad: number, frameNo: number, sequence: number): void {
    if (!this.started) {
      this.started = true;
      this.nextSlot = slot;
      this.firstSlot = slot;
      this.highest = slot;
    }
    const ring = this.ring;
    // The common case: the next slot, nothing held, a frame with octets. It goes out at once,
    // straight from the packet: the ring keeps only that the slot was emitted (for duplicates).
    // (The same as keeping and emitting it below, without copying the octets twice.)
    if (slot === this.nextSlot && slot === this.highest + 1 && this.emittedAny && end > start && this.packets === undefined) {
      const at = (slot & this.mask) << 1;
      ring[at] = slot;
      ring[at + 1] = EMITTED_FRAME | (ft << FT_SHIFT) | (q ? Q_BIT : 0) | ((end - start) << LENGTH_SHIFT);
      ring[this.counts + ft] = (ring[this.counts + ft] as number) + 1;
      this.highest = slot;
      this.nextSlot = slot + 1;
      this.received++;
      this.emitted++;
      this.sink.frame(ft, q, bytes, start, end, pad);
      return;
    }
    if (slot < this.nextSlot) {
      if (!this.emittedAny && this.highest - slot < this.window) {
        this.nextSlot = slot;
        this.firstSlot = slot;
      } else {
        const at = (slot & this.mask) << 1;
        if (this.highest - slot < this.memory && ring[at] === slot && ((ring[at + 1] as number) & STATE_MASK) === EMITTED_FRAME) this.duplicates++;
        else this.late++;
        return;
      }
    }
    if (slot > this.highest) {
      // Emit what leaves the window first, so the ring never holds two pending slots on one index.
      this.emitBelow(slot - this.maxLateness);
      this.highest = slot;
    }
    const i = slot & this.mask;
    const at = i << 1;
    if (ring[at] === slot && ((ring[at + 1] as number) & STATE_MASK) === PENDING) {
      this.duplicates++;
      // A frame with data replaces a NO_DATA held for the same slot (e.g. a redundant copy).
      if ((ring[at + 1] as number) >>> LENGTH_SHIFT === 0 && end > start) this.keep(i, ft, q, bytes, start, end, pad, frameNo, sequence);
      return;
    }
    ring[at] = slot;
    this.keep(i, ft, q, bytes, start, end, pad, frameNo, sequence);
    this.received++;
    // Once the stream has started, frames that continue it without a hole go out at once: only
    // frames behind a missing slot wait out the window, so held frames stay few and short-lived.
    // (A held NO_DATA still waits: a redundant copy with data may replace it.)
    if (this.emittedAny) while (this.nextSlot <= this.highest && this.heldWithData(this.nextSlot)) this.emitFrame(this.nextSlot);
  }

  /** Frames arrive as views into capture buffers: copy what the window keeps into the ring (state PENDING). */
  private keep(i: number, ft: number, q: boolean, bytes: Uint8Array, start: number, end: number, pad: number, frameNo: number, sequence: number): void {
    const length = end - start;
    if (length > this.stride) this.widen(length);
    this.ring[(i << 1) + 1] = PENDING | (ft << FT_SHIFT) | (q ? Q_BIT : 0) | (length << LENGTH_SHIFT);
    if (this.packets !== undefined) {
      this.packets[i << 1] = frameNo;
      this.packets[(i << 1) + 1] = sequence;
    }
    if (length === 0) return;
    const to = this.dataStart + i * this.stride;
    copyToAligned(bytes, start, end, this.data, this.ring, to);
    // Padding bits after the speech bits are zero in the ring (RFC 4867 §5.3), whatever the sender put there.
    this.data[to + length - 1] = (this.data[to + length - 1] as number) & pad;
  }

  /** Room for frames of `length` octets: every index moves to the wider stride (whole words). */
  private widen(length: number): void {
    const stride = Math.max((length + 3) & ~3, 2 * this.stride);
    const slots = this.mask + 1;
    const from = this.dataStart;
    const data = new Uint8Array(from + slots * stride);
    data.set(this.data.subarray(0, from));
    for (let i = 0; i < slots; i++) data.set(this.data.subarray(from + i * this.stride, from + (i + 1) * this.stride), from + i * stride);
    this.stride = stride;
    this.data = data;
    this.ring = new Int32Array(data.buffer);
  }

  private heldWithData(slot: number): boolean {
    const at = (slot & this.mask) << 1;
    const info = this.ring[at + 1] as number;
    return this.ring[at] === slot && (info & STATE_MASK) === PENDING && info >>> LENGTH_SHIFT > 0;
  }

  private pending(slot: number): boolean {
    const at = (slot & this.mask) << 1;
    return this.ring[at] === slot && ((this.ring[at + 1] as number) & STATE_MASK) === PENDING;
  }

  /** Emit every slot before `limit`: held frames as they are, runs of empty slots as NO_DATA. */
  private emitBelow(limit: number): void {
    while (this.nextSlot < limit) {
      const slot = this.nextSlot;
      if (this.pending(slot)) {
        this.emitFrame(slot);
        continue;
      }
      let end = slot + 1;
      while (end < limit && !this.pending(end)) end++;
      this.emitFills(slot, end - slot);
    }
  }

  /** The held frame of slot nextSlot. */
  private emitFrame(slot: number): void {
    const i = slot & this.mask;
    const ring = this.ring;
    const at = i << 1;
    const info = ring[at + 1] as number;
    this.emitSlot = slot - this.firstSlot;
    this.emitIndex = i;
    this.emittedAny = true;
    this.nextSlot++;
    this.emitted++;
    ring[at + 1] = (info & ~STATE_MASK) | EMITTED_FRAME;
    const ft = (info >> FT_SHIFT) & 0x0f;
    ring[this.counts + ft] = (ring[this.counts + ft] as number) + 1;
    const from = this.dataStart + i * this.stride;
    this.sink.frame(ft, (info & Q_BIT) !== 0, this.data, from, from + (info >>> LENGTH_SHIFT), 0xff);
  }

  /**
   * `count` slots from `first` (= nextSlot) that no packet filled, as NO_DATA. Their ring entries
   * are left as they are: none holds its slot, so a frame arriving for one later is late, as it
   * would be had the entry been marked.
   */
  private emitFills(first: number, count: number): void {
    this.emitSlot = first - this.firstSlot;
    this.emittedAny = true;
    this.nextSlot += count;
    this.emitted += count;
    this.filled += count;
    const ring = this.ring;
    ring[this.counts + AMR_NO_DATA] = (ring[this.counts + AMR_NO_DATA] as number) + count;
    this.sink.noData(count);
  }

  /** Records per frame for a function sink: the octets copied, the packet named (absent for fills). */
  private recordSink(fn: (frame: AmrTimelineFrame) => void): AmrFrameSink {
    return {
      frame: (ft, q, bytes, start, end) => {
        const bits = end > start ? bytes.slice(start, end) : EMPTY;
        const at = this.emitIndex << 1;
        fn({ slot: this.emitSlot, ft, q, bits, filled: false, frameNo: this.packets?.[at] as number, sequence: this.packets?.[at + 1] as number });
      },
      noData: (count) => {
        for (let k = 0; k < count; k++) fn({ slot: this.emitSlot + k, ft: AMR_NO_DATA, q: true, bits: EMPTY, filled: true });
      },
    };
  }
}
