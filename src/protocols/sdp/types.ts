// Typed SDP records (RFC 8866, formerly RFC 4566; RFC 3312 preconditions).

/** RFC 8866 §6.7: media direction; the default is sendrecv. */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** RFC 8866 §5.7 c= line. */
export interface SdpConnection {
  readonly netType: string;
  /** "IP4" or "IP6" (as sdp-transform reads it). */
  readonly addrType: string;
  /** The address without any "/ttl/count" suffix. */
  readonly address: string;
  readonly ttl?: number;
  readonly count?: number;
}

/** RFC 8866 §5.8 b= line (AS, CT, TIAS per RFC 3890, RS/RR per RFC 3556). */
export interface SdpBandwidth {
  readonly type: string;
  readonly value: number;
}

/** RFC 3312 §5: a=curr / a=des / a=conf. */
export interface SdpPrecondition {
  readonly kind: 'curr' | 'des' | 'conf';
  /** Precondition type, lower-case: "qos". */
  readonly type: string;
  /** Only for "des": mandatory / optional / none / failure / unknown. */
  readonly strength?: string;
  /** e2e / local / remote. */
  readonly statusType: string;
  /** none / send / recv / sendrecv. */
  readonly direction: string;
}

/** One a= line as written: "a=name:value" or the flag form "a=name". */
export interface SdpAttribute {
  readonly name: string;
  readonly value?: string;
}

/** One payload format of an RTP m= line, with its rtpmap and fmtp. */
export interface SdpPayloadFormat {
  readonly payloadType: number;
  /** Encoding name as written in a=rtpmap ("AMR-WB"), or from the RFC 3551 static table. */
  readonly encodingName?: string;
  /** Lower-case encoding name, for lookups ("amr-wb"). */
  readonly encodingKey?: string;
  readonly clockRate?: number;
  readonly channels?: number;
  /** True when name and rate come from the RFC 3551 static payload type table, not a=rtpmap. */
  readonly staticMapping: boolean;
  /** a=fmtp parameters by lower-case name; every value is a string. */
  readonly fmtp: Readonly<Record<string, string>>;
  /** The a=fmtp value as written (for formats whose parameters are not name=value, like telephone-event). */
  readonly fmtpText?: string;
}

export interface SdpMedia {
  /** "audio", "video", "text", "application", "message"... */
  readonly type: string;
  readonly port: number;
  /** RFC 8866 §5.14 "port/number": 1 when not given. */
  readonly numberOfPorts: number;
  /** Transport protocol: "RTP/AVP", "RTP/AVPF", "RTP/SAVP", "UDP/TLS/RTP/SAVPF"... */
  readonly proto: string;
  /** The m= format list as written. */
  readonly formats: readonly string[];
  /** Payload formats in m= order (RTP profiles only; empty otherwise). */
  readonly payloads: readonly SdpPayloadFormat[];
  /** Media-level c= if present, else session-level. */
  readonly connection?: SdpConnection;
  /** Media-level direction, else session-level, else sendrecv (RFC 8866 §6.7). */
  readonly direction: SdpDirection;
  /** Media-level b= lines. */
  readonly bandwidth: readonly SdpBandwidth[];
  readonly ptime?: number;
  readonly maxptime?: number;
  readonly preconditions: readonly SdpPrecondition[];
  /** RFC 3605 a=rtcp. */
  readonly rtcp?: { readonly port: number; readonly address?: string };
  /** RFC 5761 a=rtcp-mux. */
  readonly rtcpMux: boolean;
  readonly mid?: string;
  /** Every a= line of this media section, in order. */
  readonly attributes: readonly SdpAttribute[];
}

export interface SdpOrigin {
  readonly username: string;
  /** Kept as strings: they often exceed 2^53. */
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

export interface SdpSession {
  readonly version: number;
  readonly origin?: SdpOrigin;
  readonly name?: string;
  /** Session-level c=. */
  readonly connection?: SdpConnection;
  /** Session-level b= lines. */
  readonly bandwidth: readonly SdpBandwidth[];
  /** Session-level direction attribute, when present. */
  readonly direction?: SdpDirection;
  /** Every session-level a= line, in order. */
  readonly attributes: readonly SdpAttribute[];
  readonly media: readonly SdpMedia[];
  /** Non-fatal problems found while parsing (unknown payload types, missing c=...). */
  readonly warnings: readonly string[];
}
