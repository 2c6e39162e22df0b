// Records the RTP and RTCP decoders produce (RFC 3550).

/** Header extension as carried (RFC 3550 §5.3.1); RFC 8285 elements are left raw in `data`. */
export interface RtpHeaderExtension {
  /** "defined by profile" 16 bits: 0xBEDE = RFC 8285 one-byte form, 0x100x = two-byte form. */
  readonly profile: number;
  /** Extension body (length × 4 bytes), a view into the packet. */
  readonly data: Uint8Array;
}

export interface RtpPacket {
  readonly version: 2;
  readonly marker: boolean;
  readonly payloadType: number;
  /** 16-bit sequence number. */
  readonly sequence: number;
  /** 32-bit timestamp, unsigned. */
  readonly timestamp: number;
  /** 32-bit synchronisation source, unsigned. */
  readonly ssrc: number;
  /** Contributing sources (RFC 3550 §5.1 CC/CSRC list); empty in nearly every packet. */
  readonly csrcs: readonly number[];
  readonly extension?: RtpHeaderExtension;
  /** Padding octets removed from the end (RFC 3550 §5.1 P bit), 0 without padding. */
  readonly paddingLength: number;
  /** Length of the fixed header, CSRC list and extension: the payload starts here. */
  readonly headerLength: number;
  /** The payload without padding, a view into the packet (made on each access). */
  readonly payload: Uint8Array;
  /** The same payload in place: buf[payloadStart, payloadEnd), `buf` holding the packet. */
  readonly buf: Uint8Array;
  readonly payloadStart: number;
  readonly payloadEnd: number;
}

/** RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611 §2). */
export const RTCP_PACKET_TYPES: ReadonlyMap<number, string> = new Map([
  [200, 'SR'],
  [201, 'RR'],
  [202, 'SDES'],
  [203, 'BYE'],
  [204, 'APP'],
  [205, 'RTPFB'],
  [206, 'PSFB'],
  [207, 'XR'],
]);

/** One packet of an RTCP compound packet (RFC 3550 §6.1), header fields only. */
export interface RtcpPacket {
  readonly packetType: number;
  /** RC / SC / FMT / subtype: the 5-bit field after P. */
  readonly count: number;
  readonly padding: boolean;
  /** First SSRC of the packet (sender or source), when the packet has one. */
  readonly ssrc?: number;
  /** The whole packet (header included), a view. */
  readonly bytes: Uint8Array;
}
