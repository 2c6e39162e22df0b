// Payload events → typed messages. Like Wireshark's dissector tables: well-known ports first
// (SIP 5060/5061, Diameter 3868, GTPv2-C 2123), SCTP PPIDs (46/47 Diameter), then cheap
// heuristics on the first bytes; RTP where SDP set up the conversation, or by heuristic when
// asked. TCP and WebSocket streams are framed per direction with bounded buffers.
import { isDecodeError } from '../decode-error.js';
import type { EspEvent, NetListener, NetProblem, PayloadEvent } from '../net/events.js';
import { Payload } from '../net/payload.js';
import { decodeSipMessage, looksLikeSip } from '../protocols/sip/decode.js';
import { SipStreamFramer, type SipStreamItem } from '../protocols/sip/stream-framer.js';
import type { SipMessage } from '../protocols/sip/message.js';
import { sdpOf } from '../protocols/sip/body.js';
import { decodeDiameterMessage, looksLikeDiameter } from '../protocols/diameter/decode.js';
import { DiameterStreamFramer, type FramedDiameterMessage } from '../protocols/diameter/framer.js';
import { decodeGtpv2 } from '../protocols/gtpv2/decode.js';
import { RtpPacketRecord, decodeRtpAt, looksLikeRtp } from '../protocols/rtp/decode.js';
import type { RtpPacket } from '../protocols/rtp/types.js';
import { looksLikeRtcp } from '../protocols/rtp/rtcp.js';
import { WebSocketStream } from '../protocols/websocket/stream.js';
import { looksLikeHttpHandshake } from '../protocols/websocket/handshake.js';
import type { AppProblem, MessageMeta, PassHandlers, QueuedRtp, RtpEvent, RtpPermit, SipEvent } from './events.js';
import { MediaBindings, type BindingSlot, type MediaBinding } from './media-bindings.js';

export const PORT_SIP = 5060;
export const PORT_SIP_TLS = 5061;
export const PORT_DIAMETER = 3868;
export const PORT_GTPV2 = 2123;
/** RFC 4960 / IANA SCTP payload protocol identifiers for Diameter (RFC 6733 §2.1). */
const PPID_DIAMETER = 46;
const PPID_DIAMETER_DTLS = 47;

export type AppProtocol = 'sip' | 'diameter' | 'gtpv2';

export interface DispatchOptions {
  /** Treat UDP payloads that look like RTP as RTP even without SDP (extract-amr, streams). */
  rtpHeuristic?: boolean;
  /** Decode-as: extra ports carrying a protocol (any transport). */
  ports?: ReadonlyMap<number, AppProtocol>;
  /** Stream directions tracked at once (least recently used dropped first). */
  maxStreams?: number;
}

export interface AppStats {
  /** Messages decoded per protocol ('sip', 'sdp', 'diameter', 'gtpv2', 'rtp', 'rtcp', 'websocket'). */
  messages: Map<string, number>;
  /** Frames carrying at least one message of each protocol (comparable with tshark's per-frame counts). */
  frames: Map<string, number>;
  errors: number;
  errorsByProtocol: Map<string, number>;
  firstErrors: AppProblem[];
  droppedStreams: number;
}

type StreamKind = 'sip' | 'diameter' | 'websocket' | 'undecided' | 'other';

interface StreamState {
  kind: StreamKind;
  /** The last chunk's flow and frame, for what end of capture flushes. */
  last?: PayloadEvent;
  tries: number;
  sip?: SipStreamFramer;
  diameter?: DiameterStreamFramer;
  ws?: WebSocketStream;
  wsSip?: SipStreamFramer;
}

const MAX_DETECT_TRIES = 8;
const EMPTY = new Uint8Array(0);
const MAX_FIRST_ERRORS = 20;
const NO_META: MessageMeta = { frameNo: 0, firstFrameNo: 0, ts: 0, transport: 'udp', src: '', dst: '', srcPort: 0, dstPort: 0, tunnel: [] };

/** Messages and frames of one application protocol; per packet, two increments and a compare. */
class ProtocolCount {
  messages = 0;
  frames = 0;
  lastFrame = -1;
}

export class AppDispatcher implements NetListener {
  private readonly counts = new Map<string, ProtocolCount>();
  private readonly rtpCount = this.counter('rtp');
  private readonly rtpPacket = new RtpPacketRecord();
  private readonly rtpEvent: { -readonly [K in keyof RtpEvent]: RtpEvent[K] } = { meta: NO_META, packet: this.rtpPacket, binding: undefined, boundBy: 'heuristic' };
  private readonly errorStats = { errors: 0, errorsByProtocol: new Map<string, number>(), firstErrors: [] as AppProblem[], droppedStreams: 0 };
  readonly bindings = new MediaBindings();
  private readonly streams = new Map<string, StreamState>();
  private readonly maxStreams: number;
  private readonly ports: ReadonlyMap<number, AppProtocol>;
  /**
   * The pass's flow cache: learns the RTP flows bound by destination, and hands on the packets
   * it queued before any other event reaches a handler (events stay in capture order).
   */
  flowCache: { learn(ev: PayloadEvent, slot: BindingSlot): void; flush(): void } | undefined;
  /** Net-layer problems, forwarded for reports. */
  readonly netProblems: NetProblem[] = [];

  constructor(private readonly handlers: PassHandlers, private readonly options: DispatchOptions = {}) {
    this.maxStreams = options.maxStreams ?? 8192;
    this.ports = options.ports ?? new Map();
  }

  esp(event: EspEvent): void {
    if (this.handlers.esp === undefined) return;
    this.flowCache?.flush();
    this.handlers.esp(event);
  }

  payload(ev: PayloadEvent): void {
    if (ev.end <= ev.start) return;
    if (ev.transport === 'tcp') this.tcp(ev);
    else if (ev.transport === 'udp') this.udp(ev);
    else this.sctp(ev);
  }

  private udp(ev: PayloadEvent): void {
    const srcPort = ev.srcPort;
    const dstPort = ev.dstPort;
    const forced = this.forcedProtocol(srcPort, dstPort);
    if (forced !== undefined) return this.datagram(forced, ev);
    if (srcPort === PORT_GTPV2 || dstPort === PORT_GTPV2) return this.datagram('gtpv2', ev);
    const sipPort = srcPort === PORT_SIP || dstPort === PORT_SIP || srcPort === PORT_SIP_TLS || dstPort === PORT_SIP_TLS;
    // RTP first: on the media path a map lookup is cheaper than any heuristic.
    if (!sipPort && this.bindings.size !== 0) {
      const toSlot = this.bindings.slot(ev.dst, dstPort);
      const toBinding = toSlot?.binding;
      const binding = toBinding ?? this.bindings.lookup(ev.src, srcPort);
      if (binding !== undefined) {
        if (binding.rtcp || looksLikeRtcp(ev.buf, ev.start, ev.end)) return this.count('rtcp', ev.frameNo);
        if (toSlot !== undefined && this.flowCache !== undefined) this.flowCache.learn(ev, toSlot);
        return this.rtp(ev, binding, toBinding !== undefined ? 'destination' : 'source');
      }
    }
    const bytes = ev.bytes;
    if (sipPort || looksLikeSip(bytes)) return this.datagram('sip', ev);
    if (srcPort === PORT_DIAMETER || dstPort === PORT_DIAMETER) return this.datagram('diameter', ev);
    if (this.options.rtpHeuristic && this.handlers.rtp && looksLikeRtp(bytes) && !looksLikeRtcp(bytes)) this.rtp(ev, undefined, 'heuristic');
  }

  /** Decode-as ports; most runs have none, and then no lookup is made. */
  private forcedProtocol(srcPort: number, dstPort: number): AppProtocol | undefined {
    const ports = this.ports;
    if (ports.size === 0) return undefined;
    return ports.get(dstPort) ?? ports.get(srcPort);
  }

  private sctp(ev: PayloadEvent): void {
    const ppid = ev.sctp?.ppid ?? 0;
    const forced = this.forcedProtocol(ev.srcPort, ev.dstPort);
    if (forced !== undefined) return this.datagram(forced, ev);
    if (ppid === PPID_DIAMETER || ppid === PPID_DIAMETER_DTLS || ev.srcPort === PORT_DIAMETER || ev.dstPort === PORT_DIAMETER) return this.datagram('diameter', ev);
    const bytes = ev.bytes;
    if (looksLikeSip(bytes) || ev.srcPort === PORT_SIP || ev.dstPort === PORT_SIP) return this.datagram('sip', ev);
    if (looksLikeDiameter(bytes)) this.datagram('diameter', ev);
  }

  /** One self-contained message (UDP datagram, SCTP user message). */
  private datagram(proto: AppProtocol, ev: PayloadEvent): void {
    // Analyzers keep messages: copy them out of the capture buffer, which is reused.
    const bytes = ev.buf.slice(ev.start, ev.end);
    if (proto === 'sip') {
      if (isKeepAlive(bytes)) return this.count('sip-keepalive', ev.frameNo);
      const msg = decodeSipMessage(bytes);
      if (isDecodeError(msg)) return this.appProblem(ev.frameNo, 'sip', msg.reason);
      this.sip(msg, meta(ev, ev.frameNo, ev.transport));
    } else if (proto === 'diameter') {
      const msg = decodeDiameterMessage(bytes);
      if (isDecodeError(msg)) return this.appProblem(ev.frameNo, 'diameter', msg.reason);
      this.count('diameter', ev.frameNo);
      this.flowCache?.flush();
      this.handlers.diameter?.({ meta: meta(ev, ev.frameNo, ev.transport), message: msg });
    } else {
      const msgs = decodeGtpv2(bytes);
      if (isDecodeError(msgs)) return this.appProblem(ev.frameNo, 'gtpv2', msgs.reason);
      this.flowCache?.flush();
      for (const m of msgs) {
        this.count('gtpv2', ev.frameNo);
        this.handlers.gtpv2?.({ meta: meta(ev, ev.frameNo, ev.transport), message: m });
      }
    }
  }

  private sip(message: SipMessage, m: MessageMeta): void {
    this.count('sip', m.frameNo);
    let sdp = undefined;
    if (message.body.length > 0) {
      sdp = sdpOf(message);
      if (sdp !== undefined) {
        if (isDecodeError(sdp)) this.appProblem(m.frameNo, 'sdp', sdp.reason);
        else {
          this.count('sdp', m.frameNo);
          const callId = message.callId;
          if (callId !== undefined) this.bindings.bindSdp(sdp, callId, m.frameNo);
        }
      }
    }
    const handler = this.handlers.sip;
    if (handler === undefined) return;
    const event: SipEvent = sdp === undefined ? { meta: m, message } : { meta: m, message, sdp };
    if (this.flowCache !== undefined && this.handlers.sipPastQueuedRtp?.(event) !== true) this.flowCache.flush();
    handler(event);
  }

  private rtp(ev: PayloadEvent, binding: MediaBinding | undefined, boundBy: 'destination' | 'source' | 'heuristic'): void {
    const handler = this.handlers.rtp;
    if (handler === undefined) {
      // Counting only (info): the RFC 3550 header check, without building the packet.
      if (looksLikeRtp(ev.buf, ev.start, ev.end)) tally(this.rtpCount, ev.frameNo);
      else this.appProblem(ev.frameNo, 'rtp', 'not an RTP version 2 packet');
      return;
    }
    // Queued packets first (they are decoded into the same record).
    this.flowCache?.flush();
    const packet = decodeRtpAt(ev.buf, ev.start, ev.end, this.rtpPacket);
    if (isDecodeError(packet)) return this.appProblem(ev.frameNo, 'rtp', packet.reason);
    // The network layer's payload object already is the packet's meta.
    this.handRtp(handler, ev instanceof Payload ? ev : meta(ev, ev.frameNo, ev.transport), packet, binding, boundBy);
  }

  /**
   * The flow cache's way in (rtp-flow-cache.ts): a UDP datagram the cache found to be RTP, not
   * RTCP, of a flow it learnt bound by destination to `binding` — handled as udp() handles it.
   */
  rtpOfFlow(meta: MessageMeta, binding: MediaBinding, buf: Uint8Array, start: number, end: number): void {
    const handler = this.handlers.rtp;
    const packet = decodeRtpAt(buf, start, end, this.rtpPacket);
    if (handler === undefined || isDecodeError(packet)) return;
    this.handRtp(handler, meta, packet, binding, 'destination');
  }

  /** The flow cache's queued packets of one flow, in one call when the handler takes them so (QueuedRtp); false: hand them on one by one. */
  rtpQueuedOfFlow(packets: QueuedRtp): boolean {
    const handler = this.handlers.rtpQueued;
    if (handler === undefined || !handler(packets)) return false;
    // Each queued packet is the one RTP packet of its own frame.
    const n = packets.count;
    if (n > 0) tallyFrames(this.rtpCount, n, packets.frameNoOf(packets.at[n - 1] as number));
    return true;
  }

  /** Asked after a packet of the flow was handled in order (rtpOfFlow): the handler's permit to queue packets like it. */
  rtpPermitOfFlow(meta: MessageMeta, binding: MediaBinding, buf: Uint8Array, start: number, end: number): RtpPermit | undefined {
    const ask = this.handlers.rtpPermit;
    if (ask === undefined) return undefined;
    const packet = decodeRtpAt(buf, start, end, this.rtpPacket);
    if (isDecodeError(packet)) return undefined;
    const event = this.rtpEvent;
    event.meta = meta;
    event.packet = packet;
    event.binding = binding;
    event.boundBy = 'destination';
    return ask.call(this.handlers, event);
  }

  private handRtp(handler: (event: RtpEvent) => void, meta: MessageMeta, packet: RtpPacket, binding: MediaBinding | undefined, boundBy: RtpEvent['boundBy']): void {
    tally(this.rtpCount, meta.frameNo);
    // One packet record and one event serve every packet (RtpEvent: read them during the call).
    const event = this.rtpEvent;
    event.meta = meta;
    event.packet = packet;
    event.binding = binding;
    event.boundBy = boundBy;
    handler(event);
  }

  private tcp(ev: PayloadEvent): void {
    const key = streamKey(ev);
    let state = this.streams.get(key);
    if (state === undefined) {
      state = { kind: 'undecided', tries: 0 };
      this.streams.set(key, state);
      if (this.streams.size > this.maxStreams) {
        const oldest = this.streams.keys().next().value;
        if (oldest !== undefined) this.streams.delete(oldest);
        this.errorStats.droppedStreams++;
      }
    } else {
      // Keep the map in least-recently-used order.
      this.streams.delete(key);
      this.streams.set(key, state);
    }
    if (state.kind === 'undecided') this.detect(state, ev);
    if (state.kind !== 'other' && state.kind !== 'undecided') state.last = new Payload(ev.frameNo, ev.ts, ev.transport, ev.src, ev.dst, ev.srcPort, ev.dstPort, ev.tunnel, EMPTY, 0, 0);
    if (state.kind === 'sip' && state.sip) {
      if (ev.tcpGap) this.sipItems(state.sip.gap(ev.frameNo), ev);
      this.sipItems(state.sip.push(ev.bytes, ev.frameNo, ev.ts), ev);
    } else if (state.kind === 'diameter' && state.diameter) {
      if (ev.tcpGap) state.diameter.gap();
      this.diameterItems(state.diameter.push(ev.bytes, ev.frameNo, ev.ts), ev);
    } else if (state.kind === 'websocket' && state.ws && state.wsSip) {
      const items = ev.tcpGap ? [...state.ws.gap(ev.frameNo), ...state.ws.push(ev.bytes, ev.frameNo, ev.ts)] : state.ws.push(ev.bytes, ev.frameNo, ev.ts);
      for (const item of items) {
        if (item.kind !== 'message') continue;
        this.count('websocket', item.frameNo);
        if (!looksLikeSip(item.payload)) continue;
        const msg = decodeSipMessage(item.payload);
        if (isDecodeError(msg)) this.appProblem(item.frameNo, 'sip', msg.reason);
        else this.sip(msg, meta(ev, item.frameNo, 'websocket', item.firstFrameNo));
      }
    }
  }

  /** End of capture: what stream framers still hold is decoded or reported. */
  finish(): void {
    for (const state of this.streams.values()) {
      const ev = state.last;
      if (ev === undefined) continue;
      if (state.sip) this.sipItems(state.sip.end(ev.frameNo), ev);
      if (state.diameter) this.diameterItems(state.diameter.flush(ev.frameNo, ev.ts), ev);
    }
    this.streams.clear();
  }

  private detect(state: StreamState, ev: PayloadEvent): void {
    const forced = this.forcedProtocol(ev.srcPort, ev.dstPort);
    const b = ev.bytes;
    let kind: StreamKind = 'undecided';
    if (forced === 'sip' || (forced === undefined && (ev.srcPort === PORT_SIP || ev.dstPort === PORT_SIP || looksLikeSip(b)))) kind = 'sip';
    else if (forced === 'diameter' || (forced === undefined && (ev.srcPort === PORT_DIAMETER || ev.dstPort === PORT_DIAMETER || looksLikeDiameter(b)))) kind = 'diameter';
    else if (looksLikeHttpHandshake(b)) kind = 'websocket';
    else if (++state.tries >= MAX_DETECT_TRIES) kind = 'other';
    state.kind = kind;
    if (kind === 'sip') state.sip = new SipStreamFramer();
    else if (kind === 'diameter') state.diameter = new DiameterStreamFramer();
    else if (kind === 'websocket') {
      state.ws = new WebSocketStream();
      state.wsSip = new SipStreamFramer();
    }
  }

  private sipItems(items: SipStreamItem[], ev: PayloadEvent): void {
    for (const item of items) {
      if (item.kind === 'message') this.sip(item.message, meta(ev, item.frameNo, 'tcp', item.firstFrameNo, item.ts));
      else if (item.kind === 'error') this.appProblem(item.frameNo, 'sip', item.error.reason);
      else this.appProblem(item.frameNo, 'sip', `${item.byteCount} byte(s) of the TCP stream discarded: ${item.reason}`);
    }
  }

  private diameterItems(items: FramedDiameterMessage[], ev: PayloadEvent): void {
    for (const item of items) {
      if (isDecodeError(item.message)) {
        this.appProblem(item.frameNo, 'diameter', item.message.reason);
        continue;
      }
      this.count('diameter', item.frameNo);
      this.flowCache?.flush();
      this.handlers.diameter?.({ meta: meta(ev, item.frameNo, 'tcp', item.firstFrameNo, item.ts), message: item.message });
    }
  }

  get stats(): AppStats {
    const messages = new Map<string, number>();
    const frames = new Map<string, number>();
    for (const [proto, c] of this.counts) {
      if (c.messages === 0) continue;
      messages.set(proto, c.messages);
      frames.set(proto, c.frames);
    }
    return { messages, frames, ...this.errorStats };
  }

  private counter(proto: string): ProtocolCount {
    let c = this.counts.get(proto);
    if (c === undefined) {
      c = new ProtocolCount();
      this.counts.set(proto, c);
    }
    return c;
  }

  private count(proto: string, frameNo: number): void {
    tally(this.counter(proto), frameNo);
  }

  private appProblem(frameNo: number, protocol: string, reason: string): void {
    const s = this.errorStats;
    s.errors++;
    s.errorsByProtocol.set(protocol, (s.errorsByProtocol.get(protocol) ?? 0) + 1);
    const p = { frameNo, protocol, reason };
    if (s.firstErrors.length < MAX_FIRST_ERRORS) s.firstErrors.push(p);
    if (this.handlers.problem === undefined) return;
    this.flowCache?.flush();
    this.handlers.problem(p);
  }
}

function tally(c: ProtocolCount, frameNo: number): void {
  c.messages++;
  if (c.lastFrame !== frameNo) {
    c.lastFrame = frameNo;
    c.frames++;
  }
}

/** tally() for `count` messages each alone in its own frame, the last of them `lastFrameNo`. */
function tallyFrames(c: ProtocolCount, count: number, lastFrameNo: number): void {
  c.messages += count;
  c.frames += count;
  c.lastFrame = lastFrameNo;
}

/** RFC 5626 §3.5.1: CRLF keep-alives (and STUN-less pings) carry only CR/LF octets. */
function isKeepAlive(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x0d && b !== 0x0a && b !== 0x00 && b !== 0x20) return false;
  return true;
}

function streamKey(ev: PayloadEvent): string {
  let tunnel = '';
  for (const t of ev.tunnel) tunnel += t.kind === 'gtpu' ? `g${t.teid}/` : t.kind === 'esp' ? `e${t.spi}/` : 'i/';
  return `${tunnel}${ev.src}|${ev.srcPort}|${ev.dst}|${ev.dstPort}`;
}

function meta(ev: PayloadEvent, frameNo: number, transport: MessageMeta['transport'], firstFrameNo = frameNo, ts = ev.ts): MessageMeta {
  return { frameNo, firstFrameNo, ts, transport, src: ev.src, dst: ev.dst, srcPort: ev.srcPort, dstPort: ev.dstPort, tunnel: ev.tunnel };
}
