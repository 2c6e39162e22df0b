// An exact-match flow cache for RTP (the idea of Open vSwitch's microflow cache): most frames of
// a VoLTE capture are RTP of a few hundred flows whose SDP is long settled, and for them the full
// walk — link, IP, UDP, port rules, binding lookup by address text — always ends the same way.
// The first packet of a flow takes that walk; when the dispatcher finds the datagram bound by
// destination (RFC 3264 §5.1: the SDP author receives there), the cache learns <ports, source,
// destination> with the binding's slot. Later frames with the same key and a plain header go
// straight to the dispatcher's RTP handling, counted as the walk would have counted them: on
// Ethernet (at most one VLAN tag), Linux cooked v1 / v2 or raw IP; IPv4 without options or
// fragmentation, or IPv6 with UDP as its next header; lengths that fit; directly, or inside one
// GTP-U G-PDU (the tunnel's TEID and addresses are part of the key). Anything else — tag
// stacks, options, extension headers, fragments, ESP, nested tunnels, a binding replaced or
// evicted since (the slot says), RTCP, a packet that is not RTP — takes the walk.
//
// Packets the handler permits (PassHandlers.rtpPermit: its stream is steady, their capture time
// is before its horizon) wait in a queue of offsets into the chunk and are handed on grouped by
// flow: before the chunk is read into again, and before any other event reaches a handler, so
// that whatever depends on order across streams still sees capture order.
import { frameTime, type Frame } from '../capture/frame.js';
import type { NetDecoder } from '../net/decoder.js';
import type { PayloadEvent, TunnelHop } from '../net/events.js';
import { Layer } from '../net/layers.js';
import { i32, u16 } from '../net/read.js';
import { GTPU_G_PDU, GTPU_PORT, decodeGtpu, newGtpuHeader } from '../net/gtpu.js';
import { ESP_PORT } from '../net/esp.js';
import { isDecodeError } from '../decode-error.js';
import { RtpPacketRecord, decodeRtpAt } from '../protocols/rtp/decode.js';
import { looksLikeRtcp } from '../protocols/rtp/rtcp.js';
import type { AppDispatcher } from './dispatch.js';
import type { MessageMeta, PassHandlers, QueuedRtp, RtpPermit } from './events.js';
import type { BindingSlot, MediaBinding } from './media-bindings.js';

const IPV4_HEADER = 20; // IHL 5: no options
const IPV6_HEADER = 40;
const UDP_HEADER = 8;
const RTP_FIXED_HEADER = 12;
const PROTO_UDP = 17;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ARPHRD_NETLINK = 824; // Linux cooked captures of netlink carry no IP (link.ts)
// Key words: the ports (source << 16 | destination) of the innermost UDP, the source and destination
// address (1 or 4 words each), and in GTP-U the TEID and the inner addresses after the outer ones.
const MAX_KEY = 1 + 8 + 1 + 8;
const IPV4 = 1 << Layer.Ipv4;
const IPV6 = 1 << Layer.Ipv6;
const UDP = 1 << Layer.Udp;
/** Flows kept at once; when full, the cache starts again empty (the walk relearns). */
const MAX_FLOWS = 4096;
const SLOTS = MAX_FLOWS * 2; // open addressing, power of two, at most half full
const ETH = 1 << Layer.Eth;
const VLAN = 1 << Layer.Vlan;

/** Packets queued at once (a chunk of capture holds fewer, typically): beyond, the queue is handed on. */
const MAX_QUEUED = 1 << 16;

/** The meta of one flow's packets: the flow fixed, the frame refilled per packet (RtpEvent contract). */
class FlowMeta implements MessageMeta {
  frameNo = 0;
  ts = 0;
  readonly transport = 'udp';
  constructor(
    readonly src: string,
    readonly dst: string,
    readonly srcPort: number,
    readonly dstPort: number,
    readonly tunnel: readonly TunnelHop[],
  ) {}

  get firstFrameNo(): number {
    return this.frameNo;
  }
}

// A queued packet's record: frame number and capture time (doubles 0, 1); where its RTP header
// starts and where it ends in the chunk, the next record of its flow, the header's timestamp and
// sequence number and the first two payload octets (words 4 to 9). The header's fields are read
// when the packet is queued, while its octets are in the cache: handing a flow on later (in flow
// order, once the chunk has left the cache) reads one record per packet and no packet octet.
const RECORD_DOUBLES = 5;
const RECORD_WORDS = 10;
const R_START = 4;
const R_END = 5;
const R_NEXT = 6;
const R_TIMESTAMP = 7;
const R_SEQUENCE = 8;
const R_LEAD = 9;

/** The queue's records, viewed as doubles and as words. */
class QueueRecords {
  readonly f64 = new Float64Array(MAX_QUEUED * RECORD_DOUBLES);
  readonly i32 = new Int32Array(this.f64.buffer);
}

/** One flow's queued packets as handed on: their records in the queue (refilled per flow). */
class QueuedRun implements QueuedRtp {
  // (Set before every call.)
  meta!: MessageMeta;
  binding!: MediaBinding;
  buf: Uint8Array = new Uint8Array(0);
  count = 0;
  readonly at = new Int32Array(MAX_QUEUED);
  private readonly f64: Float64Array;
  private readonly i32: Int32Array;

  constructor(records: QueueRecords) {
    this.f64 = records.f64;
    this.i32 = records.i32;
  }

  frameNoOf(k: number): number {
    return this.f64[k * RECORD_DOUBLES] as number;
  }

  tsOf(k: number): number {
    return this.f64[k * RECORD_DOUBLES + 1] as number;
  }

  startOf(k: number): number {
    return this.i32[k * RECORD_WORDS + R_START] as number;
  }

  endOf(k: number): number {
    return this.i32[k * RECORD_WORDS + R_END] as number;
  }

  timestampOf(k: number): number {
    return (this.i32[k * RECORD_WORDS + R_TIMESTAMP] as number) >>> 0;
  }

  sequenceOf(k: number): number {
    return this.i32[k * RECORD_WORDS + R_SEQUENCE] as number;
  }

  payloadLeadOf(k: number): number {
    return this.i32[k * RECORD_WORDS + R_LEAD] as number;
  }
}

interface Flow {
  readonly slot: BindingSlot;
  readonly meta: FlowMeta;
  // What the handler last permitted to queue: packets of this SSRC and payload type, bound to this binding.
  permit: RtpPermit | undefined;
  permitSsrc: number;
  permitPt: number;
  permitBinding: MediaBinding | undefined;
  // Queued packets: indices into the cache's queue, chained in capture order (-1: none).
  head: number;
  tail: number;
}

export class RtpFlowCache {
  /** A table per shape of key: [IPv4, IPv6] alone, then in GTP-U: [v4 in v4, v6 in v4, v4 in v6, v6 in v6]. */
  private readonly tables: (FlowTable | undefined)[] = [];
  // The key of the frame being looked up; the table and key of the frame that missed.
  private readonly key = new Int32Array(MAX_KEY);
  private missTable: FlowTable | undefined;
  private readonly missKey = new Int32Array(MAX_KEY);
  private missTeid = -1;
  // What ipUdp() found: the IP layer's bit, and the UDP datagram at b[udp, udpEnd).
  private ipLayer = 0;
  private udp = 0;
  private udpEnd = 0;
  private readonly gtpu = newGtpuHeader();
  // The frame that missed, where the walk may find its datagram (learn() checks it is that one).
  private missFrameNo = -1;
  private missBuf: Uint8Array | undefined;
  private missStart = 0;
  private missEnd = 0;
  private missPorts = 0;
  // The queue: packets permitted to wait, in capture order, all in one chunk of capture.
  private readonly records = new QueueRecords();
  private queued = 0;
  private queueBuf: Uint8Array | undefined;
  /** Flows with queued packets, in the order of their first. */
  private readonly queuedFlows: Flow[] = [];
  private readonly rtp = new RtpPacketRecord();
  private readonly run = new QueuedRun(this.records);
  private horizon = Infinity;
  private readonly permits: boolean;
  /** Frames taken past the walk, and of those queued (for tests and the benchmark). */
  taken = 0;
  queuedTotal = 0;

  constructor(
    private readonly net: NetDecoder,
    private readonly dispatcher: AppDispatcher,
    private readonly handlers: PassHandlers,
  ) {
    dispatcher.flowCache = this;
    this.permits = handlers.rtpPermit !== undefined;
    this.refreshHorizon();
  }

  /** Handles the frame if it belongs to a known flow and is plain enough; false: decode it the usual way. */
  take(frame: Frame): boolean {
    const b = frame.data;
    const first = frame.start;
    const end = frame.end;
    // The link layer, as link.ts walks it: the layers decode() would mark, the EtherType (or the
    // IP version of raw IP), and where IP starts.
    let layers: number;
    let type: number;
    let ip: number;
    switch (frame.linkType) {
      case 1: // LINKTYPE_ETHERNET
        if (end - first < 14) return false;
        layers = ETH;
        type = u16(b, first + 12);
        ip = first + 14;
        break;
      case 113: // LINKTYPE_LINUX_SLL
        if (end - first < 16 || u16(b, first + 2) === ARPHRD_NETLINK) return false;
        layers = 1 << Layer.Sll;
        type = u16(b, first + 14);
        ip = first + 16;
        break;
      case 276: // LINKTYPE_LINUX_SLL2
        if (end - first < 20 || u16(b, first + 8) === ARPHRD_NETLINK) return false;
        layers = 1 << Layer.Sll2;
        type = u16(b, first);
        ip = first + 20;
        break;
      case 101: // LINKTYPE_RAW, and DLT_RAW of some platforms
      case 12:
      case 14:
      case 228: // LINKTYPE_IPV4
      case 229: // LINKTYPE_IPV6
        if (end - first < 1) return false;
        layers = 1 << Layer.Raw;
        type = (b[first] as number) >> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
        if ((frame.linkType === 228 && type !== ETHERTYPE_IPV4) || (frame.linkType === 229 && type !== ETHERTYPE_IPV6)) return false;
        ip = first;
        break;
      default:
        return false;
    }
    // One 802.1Q / 802.1ad tag (stacks take the walk).
    if (layers !== 1 << Layer.Raw && (type === 0x8100 || type === 0x88a8 || type === 0x9100)) {
      if (end - ip < 4) return false;
      type = u16(b, ip + 2);
      ip += 4;
      layers |= VLAN;
      if (type === 0x8100 || type === 0x88a8 || type === 0x9100) return false;
    }
    // IP and UDP; in a GTP-U G-PDU (TS 29.281 §5), the IP and UDP it carries, once.
    const key = this.key;
    if (!this.ipUdp(b, type, ip, end, key, 1)) return false;
    layers |= this.ipLayer | UDP;
    let words = this.ipLayer === IPV6 ? 9 : 3;
    let shape = this.ipLayer === IPV6 ? 1 : 0;
    let udp = this.udp;
    let ports = i32(b, udp);
    let teid = -1;
    if (ports >>> 16 === GTPU_PORT || (ports & 0xffff) === GTPU_PORT) {
      const h = this.gtpu;
      if (decodeGtpu(b, udp + UDP_HEADER, this.udpEnd, h) !== undefined || h.lengthExceeds || h.messageType !== GTPU_G_PDU || h.payloadStart >= h.payloadEnd) return false;
      const version = (b[h.payloadStart] as number) >> 4;
      teid = h.teid;
      key[words++] = teid;
      if (!this.ipUdp(b, version === 6 ? ETHERTYPE_IPV6 : version === 4 ? ETHERTYPE_IPV4 : -1, h.payloadStart, h.payloadEnd, key, words)) return false;
      layers |= (1 << Layer.Gtpu) | this.ipLayer;
      words += this.ipLayer === IPV6 ? 8 : 2;
      shape = 2 + 2 * shape + (this.ipLayer === IPV6 ? 1 : 0);
      udp = this.udp;
      ports = i32(b, udp);
    }
    // What the walk follows further from here (GTP-U, UDP-encapsulated ESP) is not RTP of a flow.
    const srcPort = ports >>> 16;
    const dstPort = ports & 0xffff;
    if (srcPort === GTPU_PORT || dstPort === GTPU_PORT || srcPort === ESP_PORT || dstPort === ESP_PORT) return false;
    const start = udp + UDP_HEADER;
    const payloadEnd = this.udpEnd;
    if (payloadEnd - start < RTP_FIXED_HEADER) return false;
    key[0] = ports;
    const table = (this.tables[shape] ??= new FlowTable(words));
    const at = table.find(key);
    const flow = at < 0 ? undefined : table.flows[at];
    const binding = flow?.slot.binding;
    if (flow === undefined || binding === undefined) {
      // (A flow whose binding went is learnt again if the walk binds it anew.)
      this.missFrameNo = frame.frameNo;
      this.missBuf = b;
      this.missStart = start;
      this.missEnd = payloadEnd;
      this.missPorts = ports;
      this.missTeid = teid;
      this.missTable = table;
      this.missKey.set(key);
      return false;
    }
    const ts = frameTime(frame);
    // The common packet, queued when permitted: RTP version 2 with no padding, extension or CSRC
    // (its 12-byte header fits: nothing can fail to decode), and not what the walk takes for
    // RTCP multiplexed on the port (RFC 5761 §4: a marker and payload type octet of 200 or more
    // that names an RTCP packet type, with a length that fits).
    const b1 = b[start + 1] as number;
    const permit = flow.permit;
    if (permit !== undefined && permit.open && b[start] === 0x80 && (b1 & 0x7f) === flow.permitPt && ts < this.horizon && i32(b, start + 8) === flow.permitSsrc && binding === flow.permitBinding && (b1 < 200 || !looksLikeRtcp(b, start, payloadEnd))) {
      if (b !== this.queueBuf || this.queued === MAX_QUEUED) this.flush();
      this.queue(flow, frame.frameNo, ts, start, payloadEnd, b);
      this.net.countDecoded(layers);
      this.taken++;
      return true;
    }
    // What the walk would not hand on as RTP of this binding: RTCP multiplexed on the port, not RTP.
    if (binding.rtcp || looksLikeRtcp(b, start, payloadEnd)) return false;
    const packet = decodeRtpAt(b, start, payloadEnd, this.rtp);
    if (isDecodeError(packet)) return false;
    this.net.countDecoded(layers);
    this.taken++;
    // In capture order: what waits goes first; then the handler may permit packets like this one.
    this.flush();
    const meta = flow.meta;
    meta.frameNo = frame.frameNo;
    meta.ts = ts;
    if (!this.hand(flow, binding, b, start, payloadEnd)) return true;
    if (this.permits) {
      flow.permit = this.dispatcher.rtpPermitOfFlow(meta, binding, b, start, payloadEnd);
      flow.permitSsrc = packet.ssrc | 0;
      flow.permitPt = packet.payloadType;
      flow.permitBinding = binding;
      this.refreshHorizon();
    }
    return true;
  }

  /**
   * IPv4 without options or fragmentation, or IPv6 with UDP as its next header, at b[ip, end),
   * holding a whole UDP datagram: its addresses go to key[at…] (1 or 4 words each), ipLayer, udp
   * and udpEnd are set. False when the packet is not that plain (the walk then decides).
   */
  private ipUdp(b: Uint8Array, type: number, ip: number, end: number, key: Int32Array, at: number): boolean {
    let udp: number;
    let ipEnd: number;
    if (type === ETHERTYPE_IPV4) {
      // Version 4 with a 20-byte header; no fragment (MF clear, offset 0, RFC 791 §3.1).
      if (end - ip < IPV4_HEADER || b[ip] !== 0x45 || b[ip + 9] !== PROTO_UDP || (u16(b, ip + 6) & 0x3fff) !== 0) return false;
      const total = u16(b, ip + 2);
      ipEnd = ip + total;
      if (total < IPV4_HEADER + UDP_HEADER || ipEnd > end) return false;
      udp = ip + IPV4_HEADER;
      this.ipLayer = IPV4;
      key[at] = i32(b, ip + 12);
      key[at + 1] = i32(b, ip + 16);
    } else if (type === ETHERTYPE_IPV6) {
      // Version 6 with UDP right after the fixed header (no extension header, RFC 8200 §4), not a jumbogram.
      if (end - ip < IPV6_HEADER || (b[ip] as number) >> 4 !== 6 || b[ip + 6] !== PROTO_UDP) return false;
      const payloadLength = u16(b, ip + 4);
      ipEnd = ip + IPV6_HEADER + payloadLength;
      if (payloadLength < UDP_HEADER || ipEnd > end) return false;
      udp = ip + IPV6_HEADER;
      this.ipLayer = IPV6;
      for (let w = 0; w < 8; w++) key[at + w] = i32(b, ip + 8 + 4 * w);
    } else return false;
    const udpLength = u16(b, udp + 4);
    if (udpLength < UDP_HEADER || udp + udpLength > ipEnd) return false;
    this.udp = udp;
    this.udpEnd = udp + udpLength;
    return true;
  }

  /** After a frame took the full walk: its events may have moved the handler's horizon. */
  walked(): void {
    if (this.permits) this.refreshHorizon();
  }

  /** Hands on every queued packet, flow by flow (each flow's in capture order). */
  flush(): void {
    if (this.queued === 0) return;
    const buf = this.queueBuf as Uint8Array;
    const flows = this.queuedFlows;
    // Handlers may not be re-entered from here: the queue is emptied first.
    const count = this.queued;
    this.queued = 0;
    this.queueBuf = undefined;
    const run = this.run;
    run.buf = buf;
    const words = this.records.i32;
    for (let f = 0; f < flows.length; f++) {
      const flow = flows[f] as Flow;
      const meta = flow.meta;
      const binding = flow.permitBinding as MediaBinding;
      // The flow's packets in order, for the handler to take in one call.
      const at = run.at;
      let n = 0;
      for (let i = flow.head; i >= 0; i = words[i * RECORD_WORDS + R_NEXT] as number) at[n++] = i;
      flow.head = flow.tail = -1;
      run.meta = meta;
      run.binding = binding;
      run.count = n;
      meta.frameNo = run.frameNoOf(at[0] as number);
      meta.ts = run.tsOf(at[0] as number);
      let taken: boolean;
      try {
        taken = this.dispatcher.rtpQueuedOfFlow(run);
      } catch (e) {
        // As decode() reports a failure inside a layer (the packets are not handed on again).
        this.net.internalError(meta.frameNo, e);
        continue;
      }
      if (taken) continue;
      for (let i = 0; i < n; i++) {
        const k = at[i] as number;
        meta.frameNo = run.frameNoOf(k);
        meta.ts = run.tsOf(k);
        this.hand(flow, binding, buf, run.startOf(k), run.endOf(k));
      }
    }
    flows.length = 0;
    this.queuedTotal += count;
  }

  /** From the dispatcher: a UDP datagram bound by destination. Learnt when it is the one the frame that missed carries. */
  learn(ev: PayloadEvent, slot: BindingSlot): void {
    if (ev.frameNo !== this.missFrameNo || ev.buf !== this.missBuf || ev.start !== this.missStart || ev.end !== this.missEnd) return;
    if (ev.transport !== 'udp' || ((ev.srcPort << 16) | ev.dstPort) !== this.missPorts) return;
    // The walk went through the one GTP-U hop the frame's key holds, or none.
    const hop = ev.tunnel[0];
    if (ev.tunnel.length !== (this.missTeid < 0 ? 0 : 1) || (hop !== undefined && (hop.kind !== 'gtpu' || hop.teid !== this.missTeid))) return;
    this.missFrameNo = -1;
    const table = this.missTable as FlowTable;
    if (table.size >= MAX_FLOWS) {
      this.flush();
      table.clear();
    }
    const key = this.missKey.subarray(0, table.width);
    let at = table.find(key);
    if (at < 0) at = table.add(-1 - at, key);
    else this.flush(); // (its queued packets keep the flow they were queued on)
    table.flows[at] = { slot, meta: new FlowMeta(ev.src, ev.dst, ev.srcPort, ev.dstPort, ev.tunnel), permit: undefined, permitSsrc: 0, permitPt: -1, permitBinding: undefined, head: -1, tail: -1 };
  }

  private queue(flow: Flow, frameNo: number, ts: number, start: number, end: number, buf: Uint8Array): void {
    const i = this.queued++;
    this.queueBuf = buf;
    const { f64, i32: words } = this.records;
    f64[i * RECORD_DOUBLES] = frameNo;
    f64[i * RECORD_DOUBLES + 1] = ts;
    const w = i * RECORD_WORDS;
    words[w + R_START] = start;
    words[w + R_END] = end;
    words[w + R_NEXT] = -1;
    words[w + R_TIMESTAMP] = i32(buf, start + 4);
    words[w + R_SEQUENCE] = u16(buf, start + 2);
    // (Past the end of the buffer an octet reads as 0, as u16 reads it anywhere.)
    words[w + R_LEAD] = u16(buf, start + RTP_FIXED_HEADER);
    if (flow.tail < 0) {
      flow.head = i;
      this.queuedFlows.push(flow);
    } else words[flow.tail * RECORD_WORDS + R_NEXT] = i;
    flow.tail = i;
  }

  /** One packet to the dispatcher's RTP handling; false when it failed inside (reported as decode() reports it). */
  private hand(flow: Flow, binding: MediaBinding, buf: Uint8Array, start: number, end: number): boolean {
    const meta = flow.meta;
    try {
      // (The checks made when it was taken hold: same bytes, same binding.)
      this.dispatcher.rtpOfFlow(meta, binding, buf, start, end);
      return true;
    } catch (e) {
      this.net.internalError(meta.frameNo, e);
      return false;
    }
  }

  private refreshHorizon(): void {
    this.horizon = this.handlers.rtpHorizon?.() ?? Infinity;
  }
}

/** Flows by exact key (`width` words), open addressing; when full it is cleared (the walk relearns). */
class FlowTable {
  readonly keys: Int32Array;
  readonly flows: (Flow | undefined)[] = new Array<Flow | undefined>(SLOTS).fill(undefined);
  size = 0;

  constructor(readonly width: number) {
    this.keys = new Int32Array(SLOTS * width);
  }

  /** The slot holding the key, or -1 − the empty slot where it would go. */
  find(key: Int32Array): number {
    const width = this.width;
    let h = 0x811c9dc5;
    for (let w = 0; w < width; w++) h = Math.imul(h ^ (key[w] as number), 0x9e3779b1);
    h ^= h >>> 15;
    const keys = this.keys;
    for (let i = h & (SLOTS - 1); ; i = (i + 1) & (SLOTS - 1)) {
      if (this.flows[i] === undefined) return -1 - i;
      const base = i * width;
      let w = 0;
      while (w < width && keys[base + w] === key[w]) w++;
      if (w === width) return i;
    }
  }

  /** Puts the key in the empty slot `at` (from find); returns `at`. */
  add(at: number, key: Int32Array): number {
    this.keys.set(key, at * this.width);
    this.size++;
    return at;
  }

  clear(): void {
    this.flows.fill(undefined);
    this.size = 0;
  }
}
