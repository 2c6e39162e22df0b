// The network layer's entry point: frames in, payload / ESP / problem events out, through link
// layer, IP (with fragment reassembly), UDP / TCP (with stream reassembly) / SCTP, and the
// tunnels of a mobile network (GTP-U, ESP, IP-in-IP). One synchronous call per frame.

import { frameTime, type Frame } from '../capture/frame.js';
import { NetContext } from './context.js';
import type { NetListener, NetProblem } from './events.js';
import { decodeLink } from './link.js';
import type { EspKeys } from './esp-keys.js';

const NO_ESP_KEYS: EspKeys = new Map();

export interface NetOptions {
  /** IP datagrams being reassembled at once (least recently touched evicted first). Default 1024. */
  maxFragmentBuffers?: number;
  /** A datagram whose fragments stop arriving for this long (capture time) is dropped. Default 60. */
  fragmentTimeoutSec?: number;
  /** TCP directions tracked at once (least recently used evicted first). Default 4096. */
  maxTcpStreams?: number;
  /** Per direction: out-of-order TCP bytes (and SCTP fragment bytes) held. Default 256 KiB. */
  maxTcpBufferBytes?: number;
  /** SCTP association directions tracked at once. Default 1024. */
  maxSctpAssociations?: number;
  /** Recognise and decode NULL-encrypted ESP (RFC 5879 heuristic). Default true. */
  espNullHeuristic?: boolean;
  /** Security associations to decrypt ESP with (esp-keys.ts), by SPI. Default none. */
  espKeys?: EspKeys;
  /** Tunnel hops (GTP-U, ESP, IP-in-IP) followed inside one another. Default 8. */
  maxTunnelDepth?: number;
}

export interface NetStats {
  frames: number;
  /**
   * Frames that contain each layer at least once (keys like 'eth','vlan','sll','sll2','null',
   * 'loop','raw','arp','ipv4','ipv6','ipv4-frag'/'ipv6-frag' (fragments seen),'ah','udp','tcp',
   * 'sctp','gtpu','esp','esp-null-decoded','esp-decrypted','nat-keepalive','ip-in-ip','icmp','icmpv6';
   * 'gtpu:<message>' for GTP-U signalling such as 'gtpu:echo-request'; 'linktype:<n>' for
   * unsupported link types). Layers quoted inside ICMP errors count, as tshark counts them.
   */
  layerFrames: Map<string, number>;
  /** Frames with at least one malformed layer. */
  malformed: number;
  /** The first 20 malformed-layer problems. */
  firstMalformed: NetProblem[];
  /** Frames whose capture was cut short of what the headers say. */
  truncated: number;
  /**
   * What limits and the end of the capture made the decoder give up: 'fragments' (datagrams
   * evicted from a full table), 'fragments-expired', 'fragments-incomplete' (at the end),
   * 'tcp-streams' (evicted), 'tcp-bytes' (sequence space skipped when the out-of-order hold
   * was full), 'sctp' (associations evicted), 'sctp-fragments', 'tunnel-depth'.
   */
  dropped: Map<string, number>;
  /** TCP stream gaps: bytes never seen (capture loss, or given up on). */
  tcpGaps: number;
}

const DEFAULTS = {
  maxFragmentBuffers: 1024,
  fragmentTimeoutSec: 60,
  maxTcpStreams: 4096,
  maxTcpBufferBytes: 256 * 1024,
  maxSctpAssociations: 1024,
  espNullHeuristic: true,
  maxTunnelDepth: 8,
} as const;

export class NetDecoder {
  private readonly ctx: NetContext;
  private readonly statsView: NetStats;

  /**
   * TCP and SCTP reassembly run only when the listener has a `payload` method; without one the
   * decoder still walks and counts every layer. Empty UDP datagrams are not handed on.
   */
  constructor(listener: NetListener, options: NetOptions = {}) {
    this.ctx = new NetContext(listener, {
      maxFragmentBuffers: options.maxFragmentBuffers ?? DEFAULTS.maxFragmentBuffers,
      fragmentTimeoutSec: options.fragmentTimeoutSec ?? DEFAULTS.fragmentTimeoutSec,
      maxTcpStreams: options.maxTcpStreams ?? DEFAULTS.maxTcpStreams,
      maxTcpBufferBytes: options.maxTcpBufferBytes ?? DEFAULTS.maxTcpBufferBytes,
      maxSctpAssociations: options.maxSctpAssociations ?? DEFAULTS.maxSctpAssociations,
      espNullHeuristic: options.espNullHeuristic ?? DEFAULTS.espNullHeuristic,
      espKeys: options.espKeys ?? NO_ESP_KEYS,
      maxTunnelDepth: options.maxTunnelDepth ?? DEFAULTS.maxTunnelDepth,
    });
    this.statsView = { frames: 0, layerFrames: new Map(), malformed: 0, firstMalformed: this.ctx.firstMalformed, truncated: 0, dropped: this.ctx.dropped, tcpGaps: 0 };
  }

  /** Decodes one frame. Never throws: a failure inside a layer becomes a problem on the frame. */
  decode(frame: Frame): void {
    const ctx = this.ctx;
    ctx.beginFrame(frame.frameNo, frameTime(frame), frame.data, frame.start, frame.end, frame.origLen);
    try {
      decodeLink(ctx, frame.linkType, frame.data, frame.start, frame.end);
    } catch (e) {
      ctx.report('malformed', 'net', internalErrorText(e));
    }
    ctx.endFrame();
  }

  /**
   * Counts a frame decoded on another path (the RTP flow cache) as decode() would have: its
   * layers as a mask of (1 << Layer) bits, for a frame with no problem and no tunnel.
   */
  countDecoded(layerMask: number): void {
    this.ctx.frames++;
    this.ctx.layers.countFrame(layerMask);
  }

  /** A frame counted by countDecoded() failed inside its handler: reported as decode() reports it. */
  internalError(frameNo: number, e: unknown): void {
    this.ctx.malformedCounted(frameNo, 'net', internalErrorText(e));
  }

  /** End of the capture: hands on held TCP bytes (after gaps) and reports unfinished reassembly. */
  finish(): void {
    try {
      this.ctx.finish();
    } catch (e) {
      this.ctx.report('malformed', 'net', `internal error at end of capture: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  get stats(): NetStats {
    const s = this.statsView;
    const ctx = this.ctx;
    s.frames = ctx.frames;
    s.malformed = ctx.malformed;
    s.truncated = ctx.truncated;
    s.tcpGaps = ctx.tcpGaps;
    ctx.layers.fill(s.layerFrames);
    return s;
  }
}

function internalErrorText(e: unknown): string {
  return `internal error: ${e instanceof Error ? e.message : String(e)}`;
}
