// State shared by the layer decoders during one pass: the frame being decoded, the tunnel path
// walked so far, the reassembly tables, counters, and the listener the events go to. The layer
// modules (link, ip, udp, tcp, sctp-packet, tunnels, icmp) are functions of this context.

import { AddressText } from './address.js';
import type { EspEvent, NetListener, NetProblem, NetProblemKind, TunnelHop } from './events.js';
import { Payload } from './payload.js';
import { FragmentTable, type FragmentSink, type PendingDatagram } from './fragments.js';
import { newGtpuHeader } from './gtpu.js';
import { newEspNullMatch } from './esp.js';
import type { EspKeys } from './esp-keys.js';
import { Layer, LayerCounter } from './layers.js';
import { SctpReassembler, type SctpDirection, type SctpSink } from './sctp.js';
import { TcpReassembler, type TcpHalfStream, type TcpSink } from './tcp-reassembly.js';

export interface NetLimits {
  readonly maxFragmentBuffers: number;
  readonly fragmentTimeoutSec: number;
  readonly maxTcpStreams: number;
  readonly maxTcpBufferBytes: number;
  readonly maxSctpAssociations: number;
  readonly espNullHeuristic: boolean;
  /** Security associations to decrypt ESP with, by SPI (none: empty). */
  readonly espKeys: EspKeys;
  readonly maxTunnelDepth: number;
}

const FIRST_MALFORMED_KEPT = 20;
const NO_TUNNEL: readonly TunnelHop[] = Object.freeze([]);
const HOP_CACHE_MAX = 4096;

export class NetContext implements FragmentSink, TcpSink, SctpSink {
  // The frame being decoded.
  frameNo = 0;
  ts = 0;
  /** The frame's captured bytes are frameBytes[.., frameEnd). */
  frameBytes: Uint8Array = new Uint8Array(0);
  frameEnd = 0;
  /** The capture kept fewer bytes than were on the wire. */
  frameCut = false;
  private frameMalformed = false;
  private frameTruncated = false;

  readonly layers = new LayerCounter();
  readonly addr = new AddressText();
  readonly fragments: FragmentTable;
  readonly tcp: TcpReassembler;
  readonly sctp: SctpReassembler;
  readonly wantPayload: boolean;
  readonly gtpuHeader = newGtpuHeader();
  readonly espMatch = newEspNullMatch();

  /** Tunnel hops around the layer being decoded, outermost first. */
  private readonly tunnel: TunnelHop[] = [];
  private lastTunnel: readonly TunnelHop[] = NO_TUNNEL;
  private readonly gtpuHops = new Map<number, TunnelHop>();

  // Totals.
  frames = 0;
  malformed = 0;
  truncated = 0;
  tcpGaps = 0;
  readonly firstMalformed: NetProblem[] = [];
  readonly dropped = new Map<string, number>();
  private readonly unsupportedSeen = new Set<string>();

  constructor(
    private readonly listener: NetListener,
    readonly limits: NetLimits,
  ) {
    this.wantPayload = typeof listener.payload === 'function';
    this.fragments = new FragmentTable(this, limits.maxFragmentBuffers, limits.fragmentTimeoutSec);
    this.tcp = new TcpReassembler(this, limits.maxTcpStreams, limits.maxTcpBufferBytes);
    this.sctp = new SctpReassembler(this, limits.maxSctpAssociations, limits.maxTcpBufferBytes);
  }

  beginFrame(frameNo: number, ts: number, bytes: Uint8Array, start: number, end: number, origLen: number): void {
    this.frames++;
    this.frameNo = frameNo;
    this.ts = ts;
    this.frameBytes = bytes;
    this.frameEnd = end;
    this.frameCut = origLen > end - start;
    this.frameMalformed = false;
    this.frameTruncated = false;
    if (this.tunnel.length !== 0) this.tunnel.length = 0; // (setting length is a runtime call)
    this.layers.beginFrame();
  }

  endFrame(): void {
    this.layers.endFrame();
    if (this.frameMalformed) this.malformed++;
    if (this.frameTruncated) this.truncated++;
  }

  mark(layer: Layer): void {
    this.layers.mark(layer);
  }

  // ---- problems -------------------------------------------------------------------------

  report(kind: NetProblemKind, layer: string, reason: string, frameNo = this.frameNo): void {
    const p: NetProblem = { frameNo, layer, reason, kind };
    if (kind === 'malformed') {
      this.frameMalformed = true;
      if (this.firstMalformed.length < FIRST_MALFORMED_KEPT) this.firstMalformed.push(p);
    } else if (kind === 'truncated') {
      this.frameTruncated = true;
    }
    this.listener.problem?.(p);
  }

  /** A problem found later in a frame counted whole before (the RTP flow cache's frames): it counts as malformed. */
  malformedCounted(frameNo: number, layer: string, reason: string): void {
    this.malformed++;
    const p: NetProblem = { frameNo, layer, reason, kind: 'malformed' };
    if (this.firstMalformed.length < FIRST_MALFORMED_KEPT) this.firstMalformed.push(p);
    this.listener.problem?.(p);
  }

  /**
   * A header claims bytes beyond `end` of `buf`: the capture's fault when the view ends where
   * the frame's captured bytes end and the frame was cut short, the packet's fault otherwise.
   */
  short(layer: string, reason: string, buf: Uint8Array, end: number): void {
    const cut = this.endsWithFrame(buf, end);
    this.report(cut ? 'truncated' : 'malformed', layer, reason);
  }

  /** The view ends where the frame's captured bytes end, and the capture cut the frame short. */
  endsWithFrame(buf: Uint8Array, end: number): boolean {
    return this.frameCut && buf === this.frameBytes && end === this.frameEnd;
  }

  /** Reports something the decoder does not handle, once per distinct `what`. */
  unsupported(layer: string, what: string, rareKey: string): void {
    this.layers.markRare(rareKey);
    if (this.unsupportedSeen.has(what)) return;
    this.unsupportedSeen.add(what);
    this.report('unsupported', layer, what);
  }

  drop(key: string, layer: string, reason: string, frameNo: number): void {
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + 1);
    this.report('dropped', layer, reason, frameNo);
  }

  // ---- tunnels --------------------------------------------------------------------------

  /** Pushes a hop; false (and a problem) when the depth limit is reached. */
  enterTunnel(hop: TunnelHop): boolean {
    if (this.tunnel.length >= this.limits.maxTunnelDepth) {
      this.drop('tunnel-depth', hop.kind, `tunnel nesting deeper than ${this.limits.maxTunnelDepth}`, this.frameNo);
      return false;
    }
    this.tunnel.push(hop);
    return true;
  }

  leaveTunnel(): void {
    this.tunnel.pop();
  }

  get tunnelDepth(): number {
    return this.tunnel.length;
  }

  /** A GTP-U hop, reused while TEID and endpoints stay the same. */
  gtpuHop(teid: number, src: string, dst: string): TunnelHop {
    const cached = this.gtpuHops.get(teid);
    if (cached !== undefined && cached.src === src && cached.dst === dst) return cached;
    if (this.gtpuHops.size >= HOP_CACHE_MAX) this.gtpuHops.clear();
    const hop: TunnelHop = { kind: 'gtpu', teid, src, dst };
    this.gtpuHops.set(teid, hop);
    return hop;
  }

  /** The current tunnel path as an immutable array, shared while it does not change. */
  tunnelSnapshot(): readonly TunnelHop[] {
    const t = this.tunnel;
    const last = this.lastTunnel;
    if (t.length === last.length) {
      let same = true;
      for (let i = 0; i < t.length; i++) {
        if (t[i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return last;
    }
    this.lastTunnel = t.length === 0 ? NO_TUNNEL : t.slice();
    return this.lastTunnel;
  }

  /** A key naming the tunnel path for flow tables ('' outside tunnels; ESP sequence numbers left out). */
  tunnelKey(): string {
    let key = '';
    for (const hop of this.tunnel) {
      if (hop.kind === 'gtpu') key += `|g${hop.teid}@${hop.src}>${hop.dst}`;
      else if (hop.kind === 'esp') key += `|e${hop.spi}`;
      else key += `|i${hop.src}>${hop.dst}`;
    }
    return key;
  }

  // ---- events ---------------------------------------------------------------------------

  emitUdp(src: string, dst: string, srcPort: number, dstPort: number, buf: Uint8Array, start: number, end: number): void {
    if (!this.wantPayload || end <= start) return;
    this.listener.payload!(new Payload(this.frameNo, this.ts, 'udp', src, dst, srcPort, dstPort, this.tunnelSnapshot(), buf, start, end));
  }

  emitEsp(spi: number, seq: number, src: string, dst: string, udpEncap: boolean, decoded: boolean): void {
    if (this.listener.esp === undefined) return;
    const event: EspEvent = { frameNo: this.frameNo, ts: this.ts, spi, seq, src, dst, udpEncap, decoded };
    this.listener.esp(event);
  }

  // ---- reassembly sinks -----------------------------------------------------------------

  fragmentsDropped(d: PendingDatagram, why: 'evicted' | 'expired'): void {
    const layer = d.key.startsWith('6') ? 'ipv6' : 'ipv4';
    if (why === 'evicted') this.drop('fragments', layer, `fragments of datagram evicted: table full (${this.limits.maxFragmentBuffers})`, d.firstFrame);
    else this.drop('fragments-expired', layer, `fragments of datagram expired after ${this.limits.fragmentTimeoutSec} s`, d.firstFrame);
  }

  fragmentInvalid(reason: string): void {
    this.report('malformed', 'ip-fragment', reason);
  }

  tcpData(half: TcpHalfStream, buf: Uint8Array, start: number, end: number, gap: boolean, frameNo: number, ts: number): void {
    this.listener.payload!(new Payload(frameNo, ts, 'tcp', half.src, half.dst, half.srcPort, half.dstPort, half.tunnel, buf, start, end, { tcpGap: gap }));
  }

  tcpGap(_half: TcpHalfStream, bytes: number, becauseOfCap: boolean): void {
    this.tcpGaps++;
    if (becauseOfCap) this.dropped.set('tcp-bytes', (this.dropped.get('tcp-bytes') ?? 0) + bytes);
  }

  tcpEvicted(half: TcpHalfStream): void {
    this.drop('tcp-streams', 'tcp', `stream ${half.src}:${half.srcPort} > ${half.dst}:${half.dstPort} evicted: table full (${this.limits.maxTcpStreams})`, this.frameNo);
  }

  sctpMessage(dir: SctpDirection, streamId: number, ppid: number, buf: Uint8Array, start: number, end: number): void {
    if (!this.wantPayload) return;
    this.listener.payload!(new Payload(this.frameNo, this.ts, 'sctp', dir.src, dir.dst, dir.srcPort, dir.dstPort, dir.tunnel, buf, start, end, { sctp: { streamId, ppid } }));
  }

  sctpMalformed(reason: string): void {
    this.report('malformed', 'sctp', reason);
  }

  sctpFragmentsDropped(dir: SctpDirection, count: number, why: string): void {
    this.dropped.set('sctp-fragments', (this.dropped.get('sctp-fragments') ?? 0) + count);
    this.report('dropped', 'sctp', `${count} fragment(s) of ${dir.src}:${dir.srcPort} > ${dir.dst}:${dir.dstPort} discarded: ${why}`);
  }

  sctpEvicted(dir: SctpDirection): void {
    this.drop('sctp', 'sctp', `association ${dir.src}:${dir.srcPort} > ${dir.dst}:${dir.dstPort} evicted: table full (${this.limits.maxSctpAssociations})`, this.frameNo);
  }

  /** End of capture: pending reassembly state is handed on or reported. */
  finish(): void {
    for (const d of this.fragments.drain()) {
      this.drop('fragments-incomplete', d.key.startsWith('6') ? 'ipv6' : 'ipv4', 'datagram still incomplete at end of capture', d.firstFrame);
    }
    this.tcp.finish();
    this.sctp.finish();
  }
}
