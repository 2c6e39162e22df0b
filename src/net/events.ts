// What the network layer emits: application payloads with their flow, and the per-packet
// facts (ESP SAs, malformed packets) that analyzers need without re-parsing bytes.

export type Transport = 'udp' | 'tcp' | 'sctp';

/** One tunnel the payload was carried in, outermost first. */
export type TunnelHop =
  | { readonly kind: 'gtpu'; readonly teid: number; readonly src: string; readonly dst: string }
  | { readonly kind: 'esp'; readonly spi: number; readonly seq: number; readonly src: string; readonly dst: string; readonly udpEncap: boolean }
  | { readonly kind: 'ip-in-ip'; readonly src: string; readonly dst: string };

export interface PayloadEvent {
  /** Frame where the payload became complete (last segment / fragment / chunk), 1-based. */
  readonly frameNo: number;
  /** Frame timestamp, floating seconds since the epoch. */
  readonly ts: number;
  readonly transport: Transport;
  /** Innermost IP addresses, textual (IPv4 dotted, IPv6 RFC 5952 compressed). */
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly tunnel: readonly TunnelHop[];
  /**
   * Application bytes: buf[start, end). For UDP: the datagram payload. For TCP: the next
   * in-order bytes of the stream in this direction (framing is the application decoder's job).
   * For SCTP: one complete user message. `buf` is the capture chunk or a reassembly buffer, not
   * a copy: copy before keeping past the callback.
   */
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** The same bytes as a view of their own (made on each access). */
  readonly bytes: Uint8Array;
  /** TCP only: bytes were missing from the stream just before this chunk (capture loss). */
  readonly tcpGap?: boolean;
  /** SCTP only. */
  readonly sctp?: { readonly streamId: number; readonly ppid: number };
}

/** Every ESP packet seen, decodable or not (registration reports count them per SA). */
export interface EspEvent {
  readonly frameNo: number;
  readonly ts: number;
  readonly spi: number;
  readonly seq: number;
  readonly src: string;
  readonly dst: string;
  readonly udpEncap: boolean;
  /** True when the payload was decoded: NULL-encrypted (RFC 2410), or decrypted with a given key. */
  readonly decoded: boolean;
}

/**
 * What a problem is: bytes that break a layer's rules ('malformed'), a frame the capture cut
 * short of what its headers claim ('truncated'), state a configured limit or the end of the
 * capture made the decoder give up ('dropped'), or input it does not decode ('unsupported').
 */
export type NetProblemKind = 'malformed' | 'truncated' | 'dropped' | 'unsupported';

export interface NetProblem {
  readonly frameNo: number;
  readonly layer: string;
  readonly reason: string;
  readonly kind?: NetProblemKind;
}

export interface NetListener {
  payload?(event: PayloadEvent): void;
  esp?(event: EspEvent): void;
  problem?(problem: NetProblem): void;
}

/** "tcp 10.0.0.1:5060 > 10.0.0.2:5060" with the tunnel path in front when there is one. */
export function flowLabel(e: Pick<PayloadEvent, 'transport' | 'src' | 'dst' | 'srcPort' | 'dstPort' | 'tunnel'>): string {
  const inner = `${e.transport} ${hostPort(e.src, e.srcPort)} > ${hostPort(e.dst, e.dstPort)}`;
  if (e.tunnel.length === 0) return inner;
  const path = e.tunnel.map((t) => (t.kind === 'gtpu' ? `gtpu:${t.teid.toString(16)}` : t.kind === 'esp' ? `esp:${t.spi.toString(16)}` : 'ipip')).join('/');
  return `[${path}] ${inner}`;
}

export function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
