// Per-stream RTP statistics: sequence accounting with 16-bit wrap (RFC 3550 A.1), loss
// (A.3), duplicates and late arrivals, interarrival jitter (A.8). The caller keys streams by
// flow and SSRC and feeds each packet with its capture frame number and time.
import type { QueuedRtp } from '../pipeline/events.js';
import type { RtpPacket } from '../protocols/rtp/types.js';

// RFC 3550 A.1 constants.
const RTP_SEQ_MOD = 0x10000;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
// Sequence numbers remembered to recognise duplicates (covers any late packet A.1 accepts).
const SEEN_WINDOW = 1024;
/** No payload type yet (they are 7 bits, RFC 3550 §5.1). */
const NO_PT = -1;

export interface RtpStreamStatsOptions {
  /** RTP clock of the stream's media, e.g. 8000 for AMR, 16000 for AMR-WB. */
  readonly clockRate: number;
  /** Payload types of telephone-event (RFC 4733): counted apart, left out of the jitter. */
  readonly telephoneEventPayloadTypes?: readonly number[];
  /** Payload types of comfort noise (RFC 3389; static PT 13): counted apart. */
  readonly comfortNoisePayloadTypes?: readonly number[];
}

export interface RtpArrival {
  readonly frameNo: number;
  /** Capture time, floating seconds since the epoch. */
  readonly ts: number;
}

export interface RtpStreamSummary {
  /** Every packet given, duplicates included (RFC 3550 A.3 "received"). */
  readonly packets: number;
  /** Extended highest sequence − base + 1, summed over sequence restarts (A.3). */
  readonly expected: number;
  /** expected − packets; negative when duplicates outnumber losses. */
  readonly lost: number;
  readonly duplicates: number;
  /** Packets that arrived after a higher sequence number (late, not duplicates). */
  readonly reordered: number;
  /** Times the 16-bit sequence number wrapped. */
  readonly sequenceWraps: number;
  /** Large jumps confirmed by a following packet: the sender restarted its numbering (A.1). */
  readonly sequenceRestarts: number;
  /** Packets after an unconfirmed large jump, left out of the sequence accounting (A.1). */
  readonly outOfSequence: number;
  readonly firstSequence: number;
  readonly lastSequence: number;
  /** Interarrival jitter estimate J (A.8) in timestamp units, and in milliseconds. */
  readonly jitter: number;
  readonly jitterMs: number;
  readonly maxJitterMs: number;
  /** Mean of the estimate after each packet but the first (as Wireshark's RTP stream analysis). */
  readonly meanJitterMs: number;
  readonly firstFrameNo: number;
  readonly lastFrameNo: number;
  readonly firstTime: number;
  readonly lastTime: number;
  readonly telephoneEventPackets: number;
  readonly comfortNoisePackets: number;
  /** Packets per payload type, by ascending payload type. */
  readonly payloadTypes: readonly { readonly payloadType: number; readonly packets: number }[];
}

/** Packets kept as records (the pass's queue): what the statistics read of record k. */
type RtpPacketRecords = Pick<QueuedRtp, 'sequenceOf' | 'timestampOf' | 'frameNoOf' | 'tsOf'>;

export class RtpStreamStats {
  private readonly clockRate: number;
  private readonly eventPts: ReadonlySet<number>;
  private readonly cnPts: ReadonlySet<number>;
  // Packets per payload type: closed runs in the map, the current run in fields (a stream
  // rarely changes payload type, so a packet touches no map).
  private readonly ptCounts = new Map<number, number>();
  private runPt = NO_PT;
  private runPackets = 0;
  private runIsEvent = false;
  private runIsCn = false;
  // Extended sequence number ext is remembered at ext mod SEEN_WINDOW as ⌊ext / SEEN_WINDOW⌋ (-1: none).
  private readonly seen = new Int32Array(SEEN_WINDOW).fill(-1);

  private packets = 0;
  private started = false;
  // Current sequence segment (A.1 source state).
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private segmentReceived = 0;
  // Segments closed by restarts.
  private priorExpected = 0;
  private priorReceived = 0;

  private wraps = 0;
  private restarts = 0;
  private outOfSequence = 0;
  private duplicates = 0;
  private reordered = 0;
  private firstSequence = 0;
  private lastSequence = 0;

  private jitter = 0;
  private maxJitter = 0;
  private jitterSum = 0;
  private jitterSamples = 0;
  private hasTransit = false;
  private lastTransitTs = 0;
  private lastTransitArrival = 0;

  private firstFrameNo = 0;
  private lastFrameNo = 0;
  private firstTime = 0;
  private lastTime = 0;
  private eventPackets = 0;
  private cnPackets = 0;

  constructor(options: RtpStreamStatsOptions) {
    this.clockRate = options.clockRate;
    this.eventPts = new Set(options.telephoneEventPayloadTypes ?? []);
    this.cnPts = new Set(options.comfortNoisePayloadTypes ?? []);
  }

  add(packet: Pick<RtpPacket, 'sequence' | 'timestamp' | 'payloadType'>, arrival: RtpArrival): void {
    this.addPacket(packet.sequence, packet.timestamp, packet.payloadType, arrival.frameNo, arrival.ts);
  }

  /**
   * Packets kept as records (the pass's queue), records at[0 … count) in order, all of payload
   * type `payloadType`. (Their fields are read here, not passed per packet: a capture time passed
   * to a call that is not inlined is a number allocated per packet.)
   */
  addRecords(records: RtpPacketRecords, at: Int32Array, count: number, payloadType: number): void {
    for (let i = 0; i < count; i++) {
      const k = at[i] as number;
      this.addPacket(records.sequenceOf(k), records.timestampOf(k), payloadType, records.frameNoOf(k), records.tsOf(k));
    }
  }

  /** One packet, its header fields and arrival (capture frame, time in seconds) given one by one. */
  addPacket(sequence: number, timestamp: number, payloadType: number, frameNo: number, ts: number): void {
    const seq = sequence & 0xffff;
    if (this.packets === 0) {
      this.firstFrameNo = frameNo;
      this.firstTime = ts;
      this.firstSequence = seq;
    }
    this.packets++;
    this.lastFrameNo = frameNo;
    this.lastTime = ts;
    this.lastSequence = seq;
    if (payloadType !== this.runPt) this.startRun(payloadType);
    this.runPackets++;
    const isEvent = this.runIsEvent;
    if (isEvent) this.eventPackets++;
    if (this.runIsCn) this.cnPackets++;

    this.updateSequence(seq);
    // RFC 4733 §2.3.1: an event's timestamp is the event start, not its sampling instant.
    if (!isEvent) this.updateJitter(timestamp >>> 0, ts);
  }

  summary(): RtpStreamSummary {
    const expected = this.priorExpected + (this.started ? this.cycles + this.maxSeq - this.baseSeq + 1 : 0);
    const received = this.priorReceived + this.segmentReceived;
    return {
      packets: this.packets,
      expected,
      lost: expected - received,
      duplicates: this.duplicates,
      reordered: this.reordered,
      sequenceWraps: this.wraps,
      sequenceRestarts: this.restarts,
      outOfSequence: this.outOfSequence,
      firstSequence: this.firstSequence,
      lastSequence: this.lastSequence,
      jitter: this.jitter,
      jitterMs: (this.jitter / this.clockRate) * 1000,
      maxJitterMs: (this.maxJitter / this.clockRate) * 1000,
      meanJitterMs: this.jitterSamples === 0 ? 0 : (this.jitterSum / this.jitterSamples / this.clockRate) * 1000,
      firstFrameNo: this.firstFrameNo,
      lastFrameNo: this.lastFrameNo,
      firstTime: this.firstTime,
      lastTime: this.lastTime,
      telephoneEventPackets: this.eventPackets,
      comfortNoisePackets: this.cnPackets,
      payloadTypes: [...this.payloadTypeCounts()].sort((a, b) => a[0] - b[0]).map(([payloadType, packets]) => ({ payloadType, packets })),
    };
  }

  /** A packet of another payload type than the last: the run so far is counted in the map. */
  private startRun(payloadType: number): void {
    this.closeRun(this.ptCounts);
    this.runPt = payloadType;
    this.runPackets = 0;
    this.runIsEvent = this.eventPts.has(payloadType);
    this.runIsCn = this.cnPts.has(payloadType);
  }

  private closeRun(counts: Map<number, number>): void {
    if (this.runPt !== NO_PT && this.runPackets > 0) counts.set(this.runPt, (counts.get(this.runPt) ?? 0) + this.runPackets);
  }

  private payloadTypeCounts(): Map<number, number> {
    const counts = new Map(this.ptCounts);
    this.closeRun(counts);
    return counts;
  }

  // RFC 3550 A.1 update_seq, without the probation of new sources (a capture is judged whole).
  private updateSequence(seq: number): void {
    if (!this.started) {
      this.startSegment(seq);
      this.record(seq);
      return;
    }
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) {
        this.cycles += RTP_SEQ_MOD;
        this.wraps++;
      }
      this.maxSeq = seq;
      this.record(this.cycles + seq);
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      if (seq === this.badSeq) {
        // Two sequential packets after a jump: the sender restarted; the previous one counts too.
        this.restarts++;
        this.outOfSequence--;
        this.priorExpected += this.cycles + this.maxSeq - this.baseSeq + 1;
        this.priorReceived += this.segmentReceived;
        this.startSegment((seq - 1) & 0xffff);
        this.record((seq - 1) & 0xffff);
        this.updateSequence(seq);
      } else {
        this.badSeq = (seq + 1) & 0xffff;
        this.outOfSequence++;
      }
    } else {
      // Late or duplicate: below the highest sequence number, in the current or previous cycle.
      const behind = (this.maxSeq - seq) & 0xffff;
      this.record(this.cycles + this.maxSeq - behind);
    }
  }

  private startSegment(seq: number): void {
    this.started = true;
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.cycles = 0;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.segmentReceived = 0;
    this.seen.fill(-1);
  }

  /** Count one packet of the current segment at extended sequence number `ext`. */
  private record(ext: number): void {
    this.segmentReceived++;
    // (A negative ext, a late packet from before the first, has no slot and is never a duplicate.)
    const slot = ext % SEEN_WINDOW;
    const epoch = Math.floor(ext / SEEN_WINDOW);
    if (this.seen[slot] === epoch) {
      this.duplicates++;
      return;
    }
    if (slot >= 0) this.seen[slot] = epoch;
    if (ext < this.cycles + this.maxSeq) this.reordered++;
  }

  // RFC 3550 A.8: D = (Rj − Ri) − (Sj − Si) in timestamp units; J += (|D| − J) / 16.
  private updateJitter(timestamp: number, arrival: number): void {
    if (this.hasTransit) {
      const tsDelta = (timestamp - this.lastTransitTs) | 0;
      const d = (arrival - this.lastTransitArrival) * this.clockRate - tsDelta;
      this.jitter += (Math.abs(d) - this.jitter) / 16;
      if (this.jitter > this.maxJitter) this.maxJitter = this.jitter;
      this.jitterSum += this.jitter;
      this.jitterSamples++;
    }
    this.hasTransit = true;
    this.lastTransitTs = timestamp;
    this.lastTransitArrival = arrival;
  }
}
