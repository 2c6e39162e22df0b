// The RTP streams of a capture, as Wireshark's RTP Streams lists them: one stream per flow
// (5-tuple and tunnel path) and SSRC, so an SSRC change on a flow starts a new stream. Each
// packet's payload format comes from the SDP that set up its address and port (following
// re-INVITEs and UPDATEs, per packet), from the user's --codec, from the RFC 3551 static table,
// or from a guess that says it guessed. Streams found by heuristic must first show two packets
// in sequence (RFC 3550 A.1 probation) and are held until their format is known.
import { isDecodeError } from '../decode-error.js';
import { flowLabel, type Transport, type TunnelHop } from '../net/events.js';
import type { PassHandlers, QueuedRtp, RtpEvent, RtpPermit, SipEvent } from '../pipeline/events.js';
import { readU32 } from '../protocols/rtp/big-endian.js';
import type { MediaBinding } from '../pipeline/media-bindings.js';
import { detectAmrFormat } from '../protocols/amr/detect.js';
import type { AmrPayloadOptions } from '../protocols/amr/types.js';
import { amrFmtpOf, type AmrFmtp } from '../protocols/sdp/amr-fmtp.js';
import { staticPayloadType } from '../protocols/sdp/static-payload-types.js';
import type { SdpPayloadFormat } from '../protocols/sdp/types.js';
import { RtpStreamStats, type RtpStreamSummary } from './rtp-stream-stats.js';
import { PacketRun } from './rtp-packet-run.js';

/** caller→callee ('a2b') or callee→caller ('b2a'), the caller being the INVITE's sender. */
export type CallDirection = 'a2b' | 'b2a';
export type StreamSetup = 'sdp' | 'heuristic';
export type AmrCodecOption = 'amr' | 'amr-wb';

/** What one payload type of a stream carries. */
export interface StreamFormat {
  readonly payloadType: number;
  /** 'AMR-WB', 'telephone-event', 'PCMA'; undefined when nothing names the payload type. */
  readonly encodingName: string | undefined;
  /** Lower-case encoding name ('amr-wb'), for comparisons. */
  readonly encodingKey: string | undefined;
  readonly clockRate: number | undefined;
  /** sdp: a=rtpmap of the SDP that set up the flow; static: RFC 3551 table; option: --codec; guess: payload inspection. */
  readonly source: 'sdp' | 'static' | 'option' | 'guess';
  /** Decoder options when the payload is AMR or AMR-WB (RFC 4867 §8.1 parameters). */
  readonly amr?: AmrPayloadOptions;
  /** The fmtp parameters as parsed, for SDP formats of AMR and AMR-WB. */
  readonly amrFmtp?: AmrFmtp;
  /** Frame of the SIP message whose SDP gave the format. */
  readonly sdpFrameNo?: number;
  /** For guesses: what decided. */
  readonly note?: string;
}

/** One packet of an accepted stream, as handed to listeners (one object reused: read it during the call). */
export interface StreamPacket {
  readonly frameNo: number;
  readonly ts: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly payloadType: number;
  readonly marker: boolean;
  /** The payload in place, buf[start, end): valid during the call only (copy what you keep). */
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** The same payload as a view of its own (made on each access). */
  readonly payload: Uint8Array;
  readonly format: StreamFormat | undefined;
}

/** The identity of a stream, stable from its first packet on (call and direction may be learnt later). */
export interface RtpStreamInfo {
  /** 1-based, in order of acceptance. */
  readonly id: number;
  readonly transport: Transport;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  readonly tunnel: readonly TunnelHop[];
  readonly ssrc: number;
  readonly callId: string | undefined;
  readonly direction: CallDirection | undefined;
  readonly setup: StreamSetup;
  /** Frame of the SDP that first bound the stream. */
  readonly sdpFrameNo: number | undefined;
}

export interface RtpStreamListener {
  /**
   * A packet of an accepted stream; packets held for identification arrive late, in their
   * order. Each stream's packets arrive in capture order; packets of different streams may be
   * handed on in runs per stream (see inOrder).
   */
  packet(stream: RtpStreamInfo, packet: StreamPacket): void;
  /**
   * Whether a packet arriving now, at capture time `ts`, must be handed on in capture order with
   * the packets of every other stream (it opens or ends something whose order matters, such as
   * a file). Without this method, any packet may be handed on in a run.
   */
  inOrder?(stream: RtpStreamInfo, ts: number, format: StreamFormat): boolean;
  /**
   * With inOrder: the capture time from which inOrder may answer true where it answers false
   * now, all else unchanged (Infinity: never). Whatever else changes an answer is told to the
   * table (RtpStreamTable.changed).
   */
  horizon?(): number;
  /**
   * Optional: the queued packets of one steady stream (the pass's QueuedRtp: the i-th is record
   * k = at[i], a plain 12-byte RTP header at buf[startOf(k)], its payload up to endOf(k); valid
   * during the call only), all of
   * `format`, none reaching the horizon — for the listener to take in one call (true), or
   * false to have them handed on one by one through packet().
   */
  packets?(stream: RtpStreamInfo, run: QueuedRtp, format: StreamFormat): boolean;
}

export interface RtpStreamTableOptions {
  /** Codec of streams no SDP describes (their main dynamic payload type). */
  readonly codec?: AmrCodecOption;
  /** With `codec`: octet-aligned mode; bandwidth-efficient otherwise (RFC 4867 §8.1 default). */
  readonly octetAlign?: boolean;
  /** Streams accepted at most; packets of further streams are counted and dropped (default 10000). */
  readonly maxStreams?: number;
  readonly listener?: RtpStreamListener;
}

export interface StreamPayloadTypeReport {
  readonly payloadType: number;
  readonly name: string;
  readonly packets: number;
}

export interface RtpStreamReport {
  readonly id: number;
  readonly transport: Transport;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  /** "gtpu:1a2b/esp:…" outermost first; empty without tunnels. */
  readonly tunnel: string;
  /** flowLabel() of the stream. */
  readonly flow: string;
  readonly ssrc: number;
  /** "0x89d09157". */
  readonly ssrcHex: string;
  readonly callId?: string;
  readonly direction?: CallDirection;
  readonly setup: StreamSetup;
  readonly sdpFrameNo?: number;
  /** Encoding of the main payload type (most packets, events and comfort noise aside). */
  readonly codec: string;
  /** Where the main payload type's format came from. */
  readonly codecSource?: StreamFormat['source'];
  readonly codecNote?: string;
  readonly clockRate: number;
  readonly payloadTypes: readonly StreamPayloadTypeReport[];
  readonly stats: RtpStreamSummary;
}

export interface RtpStreamsReport {
  readonly streams: readonly RtpStreamReport[];
  /** Streams past maxStreams, and their packets: not analysed. */
  readonly droppedStreams: number;
  readonly droppedPackets: number;
  /** Heuristic candidates never seen with two packets in sequence (RFC 3550 A.1), and their packets. */
  readonly rejectedCandidates: number;
  readonly rejectedPackets: number;
}

/** A packet held while a heuristic candidate waits for its second packet (payload copied). */
type HeldPacket = Pick<StreamPacket, 'frameNo' | 'ts' | 'sequence' | 'timestamp' | 'payloadType' | 'marker' | 'payload'>;

const NO_BYTES = new Uint8Array(0);

/** The one packet record the table hands on (refilled for every packet). */
class StreamPacketRecord implements StreamPacket {
  frameNo = 0;
  ts = 0;
  sequence = 0;
  timestamp = 0;
  payloadType = 0;
  marker = false;
  buf: Uint8Array = NO_BYTES;
  start = 0;
  end = 0;
  format: StreamFormat | undefined = undefined;

  get payload(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }
}


type EntryState = 'held' | 'accepted' | 'rejected' | 'dropped';

// Per packet the table reads an entry's identity, state and last format, and counts the packet
// in its statistics: those fields come first and in the entry itself (one object to fetch), as a
// capture interleaves thousands of streams and each packet finds its entry out of cache.
interface StreamEntry {
  /** The next entry with the same SSRC (other flows), or undefined. */
  nextSameSsrc: StreamEntry | undefined;
  // The identity of info, repeated here for the lookup.
  readonly srcPort: number;
  readonly dstPort: number;
  readonly src: string;
  readonly dst: string;
  readonly transport: Transport;
  readonly tunnel: readonly TunnelHop[];
  state: EntryState;
  info: MutableStreamInfo;
  /** The format last resolved from an SDP, for the next packet of the same binding and type. */
  lastBinding: MediaBinding | undefined;
  lastFormat: StreamFormat | undefined;
  stats: RtpStreamStats | undefined;
  /**
   * The format last resolved for each payload type, in the order the types were first seen
   * (packets per type are counted by the stats). The current run of type lastPt keeps its last
   * format in runFormat until the type changes or the report is made.
   */
  lastPt: number;
  runFormat: StreamFormat | undefined;
  readonly payloadTypes: Map<number, StreamFormat | undefined>;
  held: HeldPacket[];
  heldBytes: number;
  sequential: boolean;
  /** The format given to the main dynamic payload type at identification (heuristic streams). */
  identified: StreamFormat | undefined;
  readonly eventPts: Set<number>;
  readonly cnPts: Set<number>;
  /** Packets queued to be handed on together (steady state only), or undefined. */
  run: PacketRun | undefined;
  /** The permit last given to queue this stream's packets in the pass (closed when the entry's state changes). */
  permit: { open: boolean } | undefined;
}

interface MutableStreamInfo {
  id: number;
  readonly transport: Transport;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  readonly tunnel: readonly TunnelHop[];
  readonly ssrc: number;
  callId: string | undefined;
  direction: CallDirection | undefined;
  setup: StreamSetup;
  sdpFrameNo: number | undefined;
}

const DEFAULT_MAX_STREAMS = 10000;
/** Packets held to identify the format of a stream no SDP describes. */
const IDENTIFY_PACKETS = 16;
// Bytes of payload held across all heuristic candidates awaiting identification.
const MAX_HELD_BYTES = 16 << 20;
const MAX_DROPPED_KEYS = 65536;
// Heuristic candidates held at once (the oldest is given up first) and rejected flows remembered.
const MAX_HELD_CANDIDATES = 4096;
const MAX_REJECTED_KEPT = 65536;
const RTP_SEQ_MOD = 0x10000;
// Streams with packets queued at once (each run holds at most RUN_PACKETS): beyond, all are handed on.
const MAX_RUNS = 1024;
/** RFC 3550 §5.1: the fixed header, all a queued packet has before its payload. */
const RTP_FIXED_HEADER = 12;
/** RFC 3551 §6: payload type 13 is comfort noise (RFC 3389). */
const PT_CN = 13;
/** RFC 3551 §3: 96–127 are dynamic payload types. */
const FIRST_DYNAMIC_PT = 96;

export class RtpStreamTable {
  /** First entry per SSRC; more flows with the same SSRC are chained through nextSameSsrc. */
  private readonly bySsrc = new Map<number, StreamEntry>();
  private readonly accepted: StreamEntry[] = [];
  private readonly sides = new CallSides();
  private readonly formatCache = new WeakMap<MediaBinding, Map<number, StreamFormat | undefined>>();
  private readonly maxStreams: number;
  private readonly optionFormatBase: Omit<StreamFormat, 'payloadType'> | undefined;
  private readonly listener: RtpStreamListener | undefined;
  private readonly out = new StreamPacketRecord();
  private readonly droppedKeys = new Set<string>();
  private readonly optionFormats = new Map<number, StreamFormat>();
  /** Candidates awaiting probation or identification, oldest first. */
  private readonly heldEntries = new Set<StreamEntry>();
  private rejectedKept = 0;
  private heldBytes = 0;
  /** Streams whose runs began since runs were last all handed on (in that order); spare runs. */
  private readonly runs: StreamEntry[] = [];
  private readonly spareRuns: PacketRun[] = [];
  private droppedStreams = 0;
  private droppedPackets = 0;
  private rejectedCandidates = 0;
  private rejectedPackets = 0;

  constructor(options: RtpStreamTableOptions = {}) {
    this.maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS;
    this.listener = options.listener;
    if (options.codec !== undefined) {
      const wideband = options.codec === 'amr-wb';
      this.optionFormatBase = {
        encodingName: wideband ? 'AMR-WB' : 'AMR',
        encodingKey: options.codec,
        clockRate: wideband ? 16000 : 8000,
        source: 'option',
        amr: { wideband, octetAligned: options.octetAlign === true },
      };
    }
  }

  /**
   * The pass handlers of the table alone: SIP for direction labels (which only streams still to
   * be bound read, so queued packets may wait past it), RTP, and permits to queue steady packets.
   */
  handlers(): PassHandlers {
    return { sip: (e) => this.sip(e), rtp: (e) => this.rtp(e), rtpPermit: (e) => this.permit(e), rtpHorizon: () => this.horizon(), sipPastQueuedRtp: () => true, rtpQueued: (p) => this.queued(p) };
  }

  /**
   * SIP messages tell who called whom, for direction labels. Queued runs are handed on first:
   * the listener may act on the message (a BYE sets a deadline), and packets captured before
   * it must not see that.
   */
  sip(event: SipEvent): void {
    if (this.runs.length > 0) this.deliverRuns();
    this.sides.sip(event);
  }

  // Packets of a stream in its steady state (accepted, the same binding and payload type as its
  // last packet) are queued on the stream and handed on in runs: a capture interleaves hundreds
  // of streams, and a run fetches a stream's statistics and its listener's state (timeline,
  // file buffer) once rather than once per packet. Anything else first hands on every queued
  // run, so order across streams is kept wherever it matters (new streams and their numbers,
  // held streams, and what the listener's inOrder names).
  rtp(event: RtpEvent): void {
    const { packet, meta } = event;
    if (meta.transport === 'websocket') return;
    let entry = this.find(packet.ssrc, meta.transport, meta.src, meta.srcPort, meta.dst, meta.dstPort, meta.tunnel);
    if (entry !== undefined && this.steady(entry, event)) {
      let run = entry.run;
      if (run === undefined) {
        if (this.runs.length >= MAX_RUNS) this.deliverRuns();
        run = this.spareRuns.pop() ?? new PacketRun();
        entry.run = run;
        this.runs.push(entry);
      }
      if (run.add(meta.frameNo, meta.ts, packet.sequence, packet.timestamp, packet.marker, packet.buf, packet.payloadStart, packet.payloadEnd)) this.deliverRun(entry);
      return;
    }
    if (this.runs.length > 0) this.deliverRuns();
    if (entry?.permit !== undefined) closePermit(entry);
    if (entry === undefined) {
      if (this.accepted.length >= this.maxStreams) {
        this.noteDropped(packet.ssrc, meta);
        return;
      }
      entry = this.create(event);
    }
    if (entry.state === 'rejected' || entry.state === 'dropped') {
      if (entry.state === 'rejected') this.rejectedPackets++;
      else this.droppedPackets++;
      return;
    }
    const binding = event.binding;
    if (binding !== undefined && entry.info.callId === undefined) this.bind(entry, binding, event.boundBy);
    if (entry.state === 'held') {
      if (binding === undefined) {
        this.hold(entry, event);
        return;
      }
      // Signalling now describes the flow: what was held is accepted with the SDP's formats.
      if (!this.accept(entry, binding)) {
        this.droppedPackets++;
        return;
      }
    }
    const pt = packet.payloadType;
    let format: StreamFormat | undefined;
    if (binding !== undefined && binding === entry.lastBinding && pt === entry.lastFormat?.payloadType) format = entry.lastFormat;
    else {
      format = binding !== undefined ? this.sdpFormat(binding, pt) : undefined;
      if (format !== undefined) {
        entry.lastBinding = binding;
        entry.lastFormat = format;
      } else format = this.fallbackFormat(entry, pt);
    }
    this.deliver(entry, meta.frameNo, meta.ts, packet.sequence, packet.timestamp, packet.payloadType, packet.marker, packet.buf, packet.payloadStart, packet.payloadEnd, format);
  }

  /**
   * Packets the pass queued under a permit, one flow's in one call: taken when the stream is
   * steady for the first and none reaches the listener's horizon (then it is steady for all:
   * they only add to their own stream); false, before touching anything, otherwise.
   */
  queued(packets: QueuedRtp): boolean {
    const { meta, buf, count, at } = packets;
    if (meta.transport === 'websocket' || count === 0) return false;
    const first = packets.startOf(at[0] as number);
    const ssrc = readU32(buf, first + 8);
    const pt = (buf[first + 1] as number) & 0x7f;
    const entry = this.find(ssrc, meta.transport, meta.src, meta.srcPort, meta.dst, meta.dstPort, meta.tunnel);
    if (entry === undefined || !this.steadyAt(entry, packets.binding, pt, packets.tsOf(at[0] as number))) return false;
    const horizon = this.horizon();
    for (let i = 0; i < count; i++) if (packets.tsOf(at[i] as number) >= horizon) return false;
    // What the stream's run holds goes first; then these, each in order.
    if (entry.run !== undefined) this.deliverRun(entry);
    const format = entry.lastFormat as StreamFormat;
    // As deliver() per packet; steady, the payload type run is this one (steadyAt).
    const stats = (entry.stats ??= new RtpStreamStats(statsOptions(format, entry)));
    if (entry.lastPt !== pt) startRun(entry, pt, format);
    entry.runFormat = format;
    stats.addRecords(packets, at, count, pt);
    const listener = this.listener;
    if (listener === undefined || listener.packets?.(entry.info, packets, format) === true) return true;
    for (let i = 0; i < count; i++) {
      const k = at[i] as number;
      const header = packets.startOf(k);
      this.hand(listener, entry, packets.frameNoOf(k), packets.tsOf(k), packets.sequenceOf(k), packets.timestampOf(k), pt, (buf[header + 1] as number) >= 0x80, buf, header + RTP_FIXED_HEADER, packets.endOf(k), format);
    }
    return true;
  }

  /**
   * Right after `event` was handled: may the pass queue packets like it (same stream, payload
   * type and binding) and hand them on later, grouped by flow? Yes while the stream is in its
   * steady state — such packets only add to their own stream — until the entry's state changes
   * (closed then) or the listener's horizon is reached.
   */
  permit(event: RtpEvent): RtpPermit | undefined {
    const { packet, meta } = event;
    const entry = this.find(packet.ssrc, meta.transport as Transport, meta.src, meta.srcPort, meta.dst, meta.dstPort, meta.tunnel);
    if (entry === undefined || !this.steady(entry, event)) return undefined;
    if (entry.permit !== undefined) closePermit(entry);
    entry.permit = { open: true };
    return entry.permit;
  }

  /** The capture time from which the listener wants packets in order again (its inOrder may change its answer). */
  horizon(): number {
    return this.listener?.horizon?.() ?? Infinity;
  }

  /** For the listener: something the stream's inOrder answer depends on changed (a file closed). */
  changed(stream: RtpStreamInfo): void {
    const entry = this.accepted[stream.id - 1];
    if (entry?.permit !== undefined) closePermit(entry);
  }

  /** End of the capture: identifies what is still held and returns the table. */
  finish(): RtpStreamsReport {
    this.deliverRuns();
    for (const entry of [...this.heldEntries]) {
      if (entry.sequential) this.accept(entry);
      else this.reject(entry);
    }
    return {
      streams: this.accepted.map((e) => report(e)),
      droppedStreams: this.droppedStreams,
      droppedPackets: this.droppedPackets,
      rejectedCandidates: this.rejectedCandidates,
      rejectedPackets: this.rejectedPackets,
    };
  }

  /** Whether the packet continues the stream as its last one did (same binding, same payload type), so that it can wait in a run. */
  private steady(entry: StreamEntry, event: RtpEvent): boolean {
    return this.steadyAt(entry, event.binding, event.packet.payloadType, event.meta.ts);
  }

  private steadyAt(entry: StreamEntry, binding: MediaBinding | undefined, pt: number, ts: number): boolean {
    const format = entry.lastFormat;
    if (entry.state !== 'accepted' || binding === undefined || binding !== entry.lastBinding || format === undefined) return false;
    if (pt !== format.payloadType || pt !== entry.lastPt || entry.info.callId === undefined) return false;
    const listener = this.listener;
    return listener?.inOrder === undefined || !listener.inOrder(entry.info, ts, format);
  }

  /** Hands on every queued run (stream by stream, each in its order). */
  private deliverRuns(): void {
    const runs = this.runs;
    // (A stream whose full run went on earlier may be listed again, with a new run or none.)
    for (let i = 0; i < runs.length; i++) if ((runs[i] as StreamEntry).run !== undefined) this.deliverRun(runs[i] as StreamEntry);
    runs.length = 0;
  }

  /** Hands on the stream's run: its packets share the format the stream's last packet resolved. */
  private deliverRun(entry: StreamEntry): void {
    const run = entry.run as PacketRun;
    entry.run = undefined;
    const format = entry.lastFormat as StreamFormat;
    const pt = format.payloadType;
    for (let i = 0; i < run.count; i++) {
      this.deliver(entry, run.frameNo(i), run.ts(i), run.sequence(i), run.timestamp(i), pt, run.marker(i), run.bytes, run.start(i), run.end(i), format);
    }
    run.clear();
    this.spareRuns.push(run);
  }

  private find(ssrc: number, transport: Transport, src: string, srcPort: number, dst: string, dstPort: number, tunnel: readonly TunnelHop[]): StreamEntry | undefined {
    for (let e = this.bySsrc.get(ssrc); e !== undefined; e = e.nextSameSsrc) {
      if (e.srcPort === srcPort && e.dstPort === dstPort && e.src === src && e.dst === dst && e.transport === transport && sameTunnel(e.tunnel, tunnel)) return e;
    }
    return undefined;
  }

  private create(event: RtpEvent): StreamEntry {
    const { packet, meta } = event;
    const info: MutableStreamInfo = {
      id: 0,
      transport: meta.transport as Transport,
      src: meta.src,
      srcPort: meta.srcPort,
      dst: meta.dst,
      dstPort: meta.dstPort,
      tunnel: meta.tunnel,
      ssrc: packet.ssrc,
      callId: undefined,
      direction: undefined,
      setup: event.binding !== undefined ? 'sdp' : 'heuristic',
      sdpFrameNo: undefined,
    };
    const entry: StreamEntry = {
      nextSameSsrc: this.bySsrc.get(packet.ssrc),
      srcPort: info.srcPort,
      dstPort: info.dstPort,
      src: info.src,
      dst: info.dst,
      transport: info.transport,
      tunnel: info.tunnel,
      state: 'held',
      info,
      lastBinding: undefined,
      lastFormat: undefined,
      stats: undefined,
      lastPt: -1,
      runFormat: undefined,
      payloadTypes: new Map(),
      held: [],
      heldBytes: 0,
      sequential: false,
      identified: undefined,
      eventPts: new Set(),
      cnPts: new Set([PT_CN]),
      run: undefined,
      permit: undefined,
    };
    this.bySsrc.set(packet.ssrc, entry);
    this.heldEntries.add(entry);
    if (this.heldEntries.size > MAX_HELD_CANDIDATES) {
      const oldest = this.heldEntries.values().next().value as StreamEntry;
      if (oldest.sequential) this.accept(oldest);
      else this.reject(oldest);
    }
    return entry;
  }

  /** Packets of streams past the cap are counted; their flows are remembered up to a bound. */
  private noteDropped(ssrc: number, meta: RtpEvent['meta']): void {
    this.droppedPackets++;
    const key = `${ssrc}|${flowLabel({ ...meta, transport: meta.transport as Transport })}`;
    if (this.droppedKeys.has(key)) return;
    this.droppedStreams++;
    if (this.droppedKeys.size < MAX_DROPPED_KEYS) this.droppedKeys.add(key);
  }

  private bind(entry: StreamEntry, binding: MediaBinding, boundBy: RtpEvent['boundBy']): void {
    const info = entry.info;
    info.callId = binding.callId;
    info.sdpFrameNo = binding.sdpFrameNo;
    info.setup = 'sdp';
    if (boundBy !== 'heuristic') info.direction = this.sides.direction(binding, boundBy);
    // Event and comfort-noise types of the SDP are known before their first packet (RFC 4733 §7.1.1, RFC 3389 §5).
    for (const f of binding.formats.values()) {
      if (f.encodingKey === 'telephone-event') entry.eventPts.add(f.payloadType);
      else if (f.encodingKey === 'cn') entry.cnPts.add(f.payloadType);
    }
  }

  private hold(entry: StreamEntry, event: RtpEvent): void {
    const { packet, meta } = event;
    const last = entry.held[entry.held.length - 1];
    // RFC 3550 A.1: a source is valid once MIN_SEQUENTIAL (2) packets arrive in sequence.
    if (last !== undefined && ((last.sequence + 1) % RTP_SEQ_MOD) === packet.sequence) entry.sequential = true;
    const length = packet.payloadEnd - packet.payloadStart;
    if (this.heldBytes + length > MAX_HELD_BYTES) {
      if (entry.sequential) {
        if (this.accept(entry)) this.deliver(entry, meta.frameNo, meta.ts, packet.sequence, packet.timestamp, packet.payloadType, packet.marker, packet.buf, packet.payloadStart, packet.payloadEnd, this.fallbackFormat(entry, packet.payloadType));
        else this.droppedPackets++;
      } else {
        this.reject(entry);
        this.rejectedPackets++;
      }
      return;
    }
    entry.held.push({ frameNo: meta.frameNo, ts: meta.ts, sequence: packet.sequence, timestamp: packet.timestamp, payloadType: packet.payloadType, marker: packet.marker, payload: packet.buf.slice(packet.payloadStart, packet.payloadEnd) });
    entry.heldBytes += length;
    this.heldBytes += length;
    if (entry.held.length < IDENTIFY_PACKETS) return;
    if (entry.sequential) this.accept(entry);
    else this.reject(entry);
  }

  /** A candidate that never showed two packets in sequence: remembered (up to a bound) so its flow stays ignored. */
  private reject(entry: StreamEntry): void {
    entry.state = 'rejected';
    this.rejectedCandidates++;
    this.rejectedPackets += entry.held.length;
    this.release(entry);
    if (this.rejectedKept < MAX_REJECTED_KEPT) this.rejectedKept++;
    else this.forget(entry);
  }

  private release(entry: StreamEntry): void {
    this.heldEntries.delete(entry);
    this.heldBytes -= entry.heldBytes;
    entry.heldBytes = 0;
    entry.held = [];
  }

  private forget(entry: StreamEntry): void {
    const ssrc = entry.info.ssrc;
    const head = this.bySsrc.get(ssrc);
    if (head === entry) {
      if (entry.nextSameSsrc === undefined) this.bySsrc.delete(ssrc);
      else this.bySsrc.set(ssrc, entry.nextSameSsrc);
      return;
    }
    for (let e = head; e !== undefined; e = e.nextSameSsrc) {
      if (e.nextSameSsrc === entry) {
        e.nextSameSsrc = entry.nextSameSsrc;
        return;
      }
    }
  }

  /** The stream joins the table: its format is identified from what was held, then the held packets are delivered. */
  private accept(entry: StreamEntry, binding?: MediaBinding): boolean {
    if (this.accepted.length >= this.maxStreams) {
      entry.state = 'dropped';
      this.droppedStreams++;
      this.droppedPackets += entry.held.length;
      this.release(entry);
      return false;
    }
    entry.state = 'accepted';
    entry.info.id = this.accepted.length + 1;
    this.accepted.push(entry);
    const held = entry.held;
    this.release(entry);
    if (held.length > 0 && binding === undefined) entry.identified = this.identify(held);
    for (const h of held) {
      const format = (binding !== undefined ? this.sdpFormat(binding, h.payloadType) : undefined) ?? this.fallbackFormat(entry, h.payloadType);
      this.deliver(entry, h.frameNo, h.ts, h.sequence, h.timestamp, h.payloadType, h.marker, h.payload, 0, h.payload.length, format);
    }
    return true;
  }

  /** The format of the main dynamic payload type of held packets: --codec, else a guess. */
  private identify(held: readonly HeldPacket[]): StreamFormat | undefined {
    const counts = new Map<number, number>();
    for (const h of held) if (h.payloadType >= FIRST_DYNAMIC_PT) counts.set(h.payloadType, (counts.get(h.payloadType) ?? 0) + 1);
    let main: number | undefined;
    let most = 0;
    for (const [pt, n] of counts) if (n > most) [main, most] = [pt, n];
    if (main === undefined) return undefined;
    if (this.optionFormatBase !== undefined) return { ...this.optionFormatBase, payloadType: main };
    const samples = held.filter((h) => h.payloadType === main).map((h) => ({ payload: h.payload, timestamp: h.timestamp }));
    const guess = detectAmrFormat(samples);
    // A guess must explain most payloads: random bytes seldom parse as AMR with exact sizes.
    if (isDecodeError(guess) || 2 * guess.consistent < guess.payloads) {
      return { payloadType: main, encodingName: undefined, encodingKey: undefined, clockRate: undefined, source: 'guess', note: isDecodeError(guess) ? guess.reason : guess.note };
    }
    return {
      payloadType: main,
      encodingName: guess.wideband ? 'AMR-WB' : 'AMR',
      encodingKey: guess.wideband ? 'amr-wb' : 'amr',
      clockRate: guess.wideband ? 16000 : 8000,
      source: 'guess',
      amr: { wideband: guess.wideband, octetAligned: guess.octetAligned },
      note: `guessed ${guess.confidence}: ${guess.note}`,
    };
  }

  /** The format of a payload type in the SDP that set up the flow (cached per binding). */
  private sdpFormat(binding: MediaBinding, pt: number): StreamFormat | undefined {
    let cache = this.formatCache.get(binding);
    if (cache === undefined) {
      cache = new Map();
      this.formatCache.set(binding, cache);
    }
    if (cache.has(pt)) return cache.get(pt);
    const f = binding.formats.get(pt);
    const format = f === undefined || f.encodingKey === undefined ? undefined : fromSdp(f, binding.sdpFrameNo);
    cache.set(pt, format);
    return format;
  }

  /** A payload type no SDP names: the identified format, --codec for dynamic types, the static table. */
  private fallbackFormat(entry: StreamEntry, pt: number): StreamFormat | undefined {
    const identified = entry.identified;
    if (identified !== undefined && identified.payloadType === pt) return identified;
    if (pt >= FIRST_DYNAMIC_PT) {
      if (this.optionFormatBase === undefined) return undefined;
      let option = this.optionFormats.get(pt);
      if (option === undefined) {
        option = { ...this.optionFormatBase, payloadType: pt };
        this.optionFormats.set(pt, option);
      }
      return option;
    }
    return staticFormat(pt);
  }

  // The hot path: per packet, no allocation (the records handed on are reused).
  private deliver(entry: StreamEntry, frameNo: number, ts: number, sequence: number, timestamp: number, payloadType: number, marker: boolean, buf: Uint8Array, start: number, end: number, format: StreamFormat | undefined): void {
    entry.stats ??= new RtpStreamStats(statsOptions(format, entry));
    if (entry.lastPt !== payloadType) startRun(entry, payloadType, format);
    if (format !== undefined) entry.runFormat = format;
    entry.stats.addPacket(sequence, timestamp, payloadType, frameNo, ts);
    if (this.listener !== undefined) this.hand(this.listener, entry, frameNo, ts, sequence, timestamp, payloadType, marker, buf, start, end, format);
  }

  /** One packet to the listener. */
  private hand(listener: RtpStreamListener, entry: StreamEntry, frameNo: number, ts: number, sequence: number, timestamp: number, payloadType: number, marker: boolean, buf: Uint8Array, start: number, end: number, format: StreamFormat | undefined): void {
    const out = this.out;
    out.frameNo = frameNo;
    out.ts = ts;
    out.sequence = sequence;
    out.timestamp = timestamp;
    out.payloadType = payloadType;
    out.marker = marker;
    out.buf = buf;
    out.start = start;
    out.end = end;
    out.format = format;
    listener.packet(entry.info, out);
  }
}

function closePermit(entry: StreamEntry): void {
  (entry.permit as { open: boolean }).open = false;
  entry.permit = undefined;
}

/** Who called whom, per Call-ID, and who wrote each SDP: the basis of direction labels. */
class CallSides {
  private readonly callers = new Map<string, { readonly tag: string | undefined; readonly address: string }>();
  /** "callId\nframeNo" of a SIP message with SDP → whether the caller sent it. */
  private readonly authors = new Map<string, boolean>();
  private static readonly MAX = 65536;

  sip(event: SipEvent): void {
    const msg = event.message;
    const callId = msg.callId;
    if (callId === undefined) return;
    let caller = this.callers.get(callId);
    // RFC 3261 §12.1: the INVITE's sender is the caller; its From tag names that side.
    if (caller === undefined && (msg.method === 'INVITE' || (event.sdp !== undefined && !isDecodeError(event.sdp)))) {
      caller = { tag: msg.fromTag, address: msg.isRequest ? event.meta.src : event.meta.dst };
      setCapped(this.callers, callId, caller, CallSides.MAX);
    }
    if (caller === undefined || event.sdp === undefined || isDecodeError(event.sdp)) return;
    const fromTag = msg.fromTag;
    // Requests come from the From side; responses from the other one.
    const sentByCaller =
      fromTag !== undefined && caller.tag !== undefined ? (fromTag === caller.tag) === msg.isRequest : event.meta.src === caller.address;
    setCapped(this.authors, `${callId}\n${event.meta.frameNo}`, sentByCaller, CallSides.MAX);
  }

  /**
   * RFC 3264 §5.1: an SDP names where its author receives. A packet sent to the caller's
   * address flows callee→caller; one sent from it (symmetric RTP) flows caller→callee.
   */
  direction(binding: MediaBinding, boundBy: 'destination' | 'source'): CallDirection | undefined {
    const byCaller = this.authors.get(`${binding.callId}\n${binding.sdpFrameNo}`);
    if (byCaller === undefined) return undefined;
    const toCaller = byCaller === (boundBy === 'destination');
    return toCaller ? 'b2a' : 'a2b';
  }
}

function setCapped<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}

function sameTunnel(a: readonly TunnelHop[], b: readonly TunnelHop[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as TunnelHop;
    const y = b[i] as TunnelHop;
    if (x.kind !== y.kind || x.src !== y.src || x.dst !== y.dst) return false;
    if (x.kind === 'gtpu' && y.kind === 'gtpu' && x.teid !== y.teid) return false;
    if (x.kind === 'esp' && y.kind === 'esp' && x.spi !== y.spi) return false;
  }
  return true;
}

function fromSdp(f: SdpPayloadFormat, sdpFrameNo: number): StreamFormat {
  const amrFmtp = amrFmtpOf(f);
  const base = { payloadType: f.payloadType, encodingName: f.encodingName, encodingKey: f.encodingKey, clockRate: f.clockRate, source: f.staticMapping ? 'static' : 'sdp', sdpFrameNo } as const;
  if (amrFmtp === undefined) return base;
  const amr: AmrPayloadOptions = {
    wideband: f.encodingKey === 'amr-wb',
    octetAligned: amrFmtp.octetAlign,
    crc: amrFmtp.crc,
    robustSorting: amrFmtp.robustSorting,
    interleaving: amrFmtp.interleaving !== undefined,
    channels: amrFmtp.channels,
  };
  return { ...base, amr, amrFmtp };
}

const staticFormats = new Map<number, StreamFormat | undefined>();

/** RFC 3551 §6 Table 4 formats for payload types no SDP names. */
function staticFormat(pt: number): StreamFormat | undefined {
  if (staticFormats.has(pt)) return staticFormats.get(pt);
  const s = staticPayloadType(pt);
  const format: StreamFormat | undefined = s === undefined ? undefined : { payloadType: pt, encodingName: s.encodingName, encodingKey: s.encodingName.toLowerCase(), clockRate: s.clockRate, source: 'static' };
  staticFormats.set(pt, format);
  return format;
}

function isEvent(f: StreamFormat | undefined): boolean {
  return f?.encodingKey === 'telephone-event';
}

function isComfortNoise(f: StreamFormat | undefined, pt: number): boolean {
  return f?.encodingKey === 'cn' || (f === undefined && pt === PT_CN);
}

/** A packet of another payload type than the last: the run so far keeps its format, the new type is noted. */
function startRun(entry: StreamEntry, payloadType: number, format: StreamFormat | undefined): void {
  closeRun(entry);
  if (!entry.payloadTypes.has(payloadType)) entry.payloadTypes.set(payloadType, format);
  entry.lastPt = payloadType;
}

/** The current run's last format becomes its payload type's format. */
function closeRun(entry: StreamEntry): void {
  if (entry.runFormat !== undefined) entry.payloadTypes.set(entry.lastPt, entry.runFormat);
  entry.runFormat = undefined;
}

/** Clock and event/CN payload types of a stream, from its first packet's format and its SDP. */
function statsOptions(first: StreamFormat | undefined, entry: StreamEntry): ConstructorParameters<typeof RtpStreamStats>[0] {
  for (const f of [first, entry.identified]) {
    if (isEvent(f)) entry.eventPts.add((f as StreamFormat).payloadType);
    else if (f !== undefined && isComfortNoise(f, f.payloadType)) entry.cnPts.add(f.payloadType);
  }
  const clockRate = first?.clockRate ?? entry.identified?.clockRate ?? 8000;
  return { clockRate, telephoneEventPayloadTypes: [...entry.eventPts], comfortNoisePayloadTypes: [...entry.cnPts] };
}

function report(e: StreamEntry): RtpStreamReport {
  closeRun(e);
  const i = e.info;
  const stats = (e.stats ?? new RtpStreamStats({ clockRate: 8000 })).summary();
  const packetsOf = new Map(stats.payloadTypes.map((p) => [p.payloadType, p.packets]));
  // Payload types in the order first seen (ties for the main codec go to the earlier one).
  const types = [...e.payloadTypes].map(([payloadType, format]) => ({ payloadType, format, packets: packetsOf.get(payloadType) ?? 0 }));
  const payloadTypes: StreamPayloadTypeReport[] = [...types]
    .sort((a, b) => a.payloadType - b.payloadType)
    .map((t) => ({ payloadType: t.payloadType, name: t.format?.encodingName ?? `PT ${t.payloadType}`, packets: t.packets }));
  let main: (typeof types)[number] | undefined;
  for (const t of types) {
    if (isEvent(t.format) || isComfortNoise(t.format, t.payloadType)) continue;
    if (main === undefined || t.packets > main.packets) main = t;
  }
  main ??= types[0];
  const codec = main?.format?.encodingName ?? (main !== undefined ? `PT ${main.payloadType}` : '-');
  const tunnel = i.tunnel.map((t) => (t.kind === 'gtpu' ? `gtpu:${t.teid.toString(16)}` : t.kind === 'esp' ? `esp:${t.spi.toString(16)}` : 'ipip')).join('/');
  return {
    id: i.id,
    transport: i.transport,
    src: i.src,
    srcPort: i.srcPort,
    dst: i.dst,
    dstPort: i.dstPort,
    tunnel,
    flow: flowLabel(i),
    ssrc: i.ssrc,
    ssrcHex: ssrcHex(i.ssrc),
    ...(i.callId !== undefined ? { callId: i.callId } : {}),
    ...(i.direction !== undefined ? { direction: i.direction } : {}),
    setup: i.setup,
    ...(i.sdpFrameNo !== undefined ? { sdpFrameNo: i.sdpFrameNo } : {}),
    codec,
    ...(main?.format !== undefined ? { codecSource: main.format.source } : {}),
    ...(main?.format?.note !== undefined ? { codecNote: main.format.note } : {}),
    clockRate: main?.format?.clockRate ?? 8000,
    payloadTypes,
    stats,
  };
}

/** "0x0000abcd": SSRCs as Wireshark writes them, lower-case. */
export function ssrcHex(ssrc: number): string {
  return `0x${(ssrc >>> 0).toString(16).padStart(8, '0')}`;
}
