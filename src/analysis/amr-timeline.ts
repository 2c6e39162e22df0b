// The frame timeline of one AMR / AMR-WB stream: frames placed on 20 ms slots by RTP
// timestamp, duplicates (and redundant copies) dropped, reordering undone within a bounded
// window, missing slots filled with NO_DATA so the output keeps real time, frames handed to a
// sink in order as the window advances. Memory is bounded by the window, not the call length.
import { AMR_NO_DATA, amrFrameType, amrSamplesPerFrame } from '../protocols/amr/frame-types.js';
import type { AmrFrame } from '../protocols/amr/types.js';

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
  readonly sink: (frame: AmrTimelineFrame) => void;
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
// Slot states in the ring (0: never used).
const PENDING = 1;
const EMITTED_FRAME = 2;
const EMITTED_FILL = 3;

export class AmrTimeline {
  private readonly wideband: boolean;
  private readonly sink: (frame: AmrTimelineFrame) => void;
  private readonly samplesPerFrame: number;
  private readonly maxLateness: number;
  private readonly maxGap: number;
  private readonly channel: number;
  // Ring of slots: [nextSlot, nextSlot + window) pending, the window before it remembered.
  private readonly window: number;
  private readonly ringSize: number;
  private readonly tags: Float64Array;
  private readonly states: Uint8Array;
  private readonly pending: (HeldFrame | undefined)[];

  private started = false;
  private emittedAny = false;
  private origin = 0;
  private shift = 0;
  private lastExt = 0;
  private highestSequence = 0;
  private firstSlot = 0;
  private nextSlot = 0;
  private highest = 0;

  private received = 0;
  private emitted = 0;
  private readonly typeCounts: number[] = new Array<number>(16).fill(0);
  private filled = 0;
  private duplicates = 0;
  private late = 0;
  private discontinuities = 0;
  private misaligned = 0;

  constructor(options: AmrTimelineOptions) {
    this.wideband = options.wideband;
    this.sink = options.sink;
    this.samplesPerFrame = amrSamplesPerFrame(options.wideband);
    this.maxLateness = Math.max(0, Math.floor(options.maxLatenessSlots ?? 50));
    this.maxGap = Math.max(1, Math.floor(options.maxGapSlots ?? 30000));
    this.channel = options.channel ?? 0;
    this.window = this.maxLateness + 1;
    this.ringSize = 2 * this.window;
    this.tags = new Float64Array(this.ringSize).fill(NaN);
    this.states = new Uint8Array(this.ringSize);
    this.pending = new Array<HeldFrame | undefined>(this.ringSize).fill(undefined);
  }

  push(packet: AmrTimelinePacket): void {
    const base = this.packetSlot(packet.timestamp >>> 0, packet.sequence & 0xffff);
    if (base === undefined) {
      for (const frame of packet.frames) if (frame.channel === this.channel) this.late++;
      return;
    }
    for (const frame of packet.frames) {
      if (frame.channel !== this.channel) continue;
      this.place(base + frame.block, frame, packet);
    }
  }

  /** Emit every slot still held, up to the newest frame. */
  finish(): void {
    if (!this.started) return;
    while (this.nextSlot <= this.highest) this.emitNext();
  }

  stats(): AmrTimelineStats {
    let speech = 0;
    let sid = 0;
    let noData = 0;
    for (let ft = 0; ft < 16; ft++) {
      const n = this.typeCounts[ft] as number;
      const kind = amrFrameType(ft, this.wideband).kind;
      if (kind === 'speech') speech += n;
      else if (kind === 'sid') sid += n;
      else if (kind === 'no-data' || kind === 'speech-lost') noData += n;
    }
    const share = (n: number): number => (this.emitted === 0 ? 0 : n / this.emitted);
    return {
      framesReceived: this.received,
      framesEmitted: this.emitted,
      frameTypeCounts: this.typeCounts.slice(),
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

  private place(slot: number, frame: AmrFrame, packet: AmrTimelinePacket): void {
    if (!this.started) {
      this.started = true;
      this.nextSlot = slot;
      this.firstSlot = slot;
      this.highest = slot;
    }
    if (slot < this.nextSlot) {
      if (!this.emittedAny && this.highest - slot < this.window) {
        this.nextSlot = slot;
        this.firstSlot = slot;
      } else {
        const i = this.index(slot);
        if (this.highest - slot < this.ringSize && this.tags[i] === slot && this.states[i] === EMITTED_FRAME) this.duplicates++;
        else this.late++;
        return;
      }
    }
    if (slot > this.highest) {
      // Emit what leaves the window first, so the ring never holds two slots on one index.
      while (this.nextSlot < slot - this.maxLateness) this.emitNext();
      this.highest = slot;
    }
    const i = this.index(slot);
    if (this.tags[i] === slot && this.states[i] === PENDING) {
      this.duplicates++;
      const held = this.pending[i];
      // A frame with data replaces a NO_DATA held for the same slot (e.g. a redundant copy).
      if (held !== undefined && held.bits.length === 0 && frame.bits.length > 0) this.pending[i] = keep(frame, packet);
      return;
    }
    this.tags[i] = slot;
    this.states[i] = PENDING;
    this.pending[i] = keep(frame, packet);
    this.received++;
    // Once the stream has started, frames that continue it without a hole go out at once: only
    // frames behind a missing slot wait out the window, so held frames stay few and short-lived.
    // (A held NO_DATA still waits: a redundant copy with data may replace it.)
    if (this.emittedAny) while (this.nextSlot <= this.highest && this.heldWithData(this.nextSlot)) this.emitNext();
  }

  private heldWithData(slot: number): boolean {
    const i = this.index(slot);
    return this.tags[i] === slot && this.states[i] === PENDING && (this.pending[i]?.bits.length ?? 0) > 0;
  }

  private emitNext(): void {
    const slot = this.nextSlot;
    const i = this.index(slot);
    const held = this.tags[i] === slot && this.states[i] === PENDING ? this.pending[i] : undefined;
    const outSlot = slot - this.firstSlot;
    if (held !== undefined) {
      this.states[i] = EMITTED_FRAME;
      this.pending[i] = undefined;
      this.count(held.ft);
      this.sink({ slot: outSlot, ft: held.ft, q: held.q, bits: held.bits, filled: false, frameNo: held.frameNo, sequence: held.sequence });
    } else {
      this.tags[i] = slot;
      this.states[i] = EMITTED_FILL;
      this.filled++;
      this.count(AMR_NO_DATA);
      this.sink({ slot: outSlot, ft: AMR_NO_DATA, q: true, bits: EMPTY, filled: true });
    }
    this.emittedAny = true;
    this.nextSlot++;
  }

  private count(ft: number): void {
    this.emitted++;
    this.typeCounts[ft] = (this.typeCounts[ft] as number) + 1;
  }

  private index(slot: number): number {
    const r = slot % this.ringSize;
    return r < 0 ? r + this.ringSize : r;
  }
}

interface HeldFrame {
  readonly ft: number;
  readonly q: boolean;
  readonly bits: Uint8Array;
  readonly frameNo: number;
  readonly sequence: number;
}

/** Frames arrive as views into capture buffers: copy what the window keeps. */
function keep(frame: AmrFrame, packet: AmrTimelinePacket): HeldFrame {
  return { ft: frame.ft, q: frame.q, bits: frame.bits.length === 0 ? EMPTY : frame.bits.slice(), frameNo: packet.frameNo, sequence: packet.sequence };
}
