// Records of the AMR / AMR-WB RTP payload format (RFC 4867 §4).

export interface AmrPayloadOptions {
  /** AMR-WB (16 kHz, TS 26.201) instead of AMR (8 kHz, TS 26.101). */
  readonly wideband: boolean;
  /** octet-align=1 (RFC 4867 §4.4) instead of bandwidth-efficient mode (§4.3). */
  readonly octetAligned: boolean;
  /** crc=1: one CRC octet per frame after the TOC (§4.4.2, octet-aligned only). */
  readonly crc?: boolean;
  /** robust-sorting=1 (§4.4.4): not decoded, reported as unsupported. */
  readonly robustSorting?: boolean;
  /** interleaving=N (§4.4.1 ILL/ILP): not decoded, reported as unsupported. */
  readonly interleaving?: boolean;
  /** channels=N (RFC 4867 §8.1): each frame-block holds one frame per channel; default 1. */
  readonly channels?: number;
}

/** One entry of the payload table of contents (RFC 4867 §4.3.2 / §4.4.2). */
export interface AmrTocEntry {
  /** F bit: another entry follows. */
  readonly f: boolean;
  readonly ft: number;
  /** Q bit: the frame was not damaged before it reached the packetiser. */
  readonly q: boolean;
}

export interface AmrFrame {
  readonly ft: number;
  readonly q: boolean;
  /** Speech bits MSB-first, padded with zero bits to an octet boundary (storage-format layout). */
  readonly bits: Uint8Array;
  /** Number of meaningful bits in `bits`. */
  readonly bitLength: number;
  /** Frame-block index within the packet: the frame covers slot `timestamp + block × 20 ms`. */
  readonly block: number;
  /** Channel within the frame-block (0 for single-channel sessions). */
  readonly channel: number;
}

export interface AmrPayload {
  readonly wideband: boolean;
  readonly octetAligned: boolean;
  /** Codec mode request (15 = no request); never audio. */
  readonly cmr: number;
  readonly tocEntries: readonly AmrTocEntry[];
  readonly frames: readonly AmrFrame[];
  /**
   * Every reserved and padding bit was zero: after the CMR, in TOC octets and after each frame
   * (octet-aligned), or the final padding (bandwidth-efficient). Non-zero padding is cleared.
   */
  readonly reservedBitsZero: boolean;
}

/** Where frames go one by one, in time order (a storage or 3GP writer, a timeline's caller). */
export interface AmrFrameSink {
  /**
   * A frame: type, Q bit, and the speech octets bytes[start, end), zero-padded to the octet
   * (storage layout, RFC 4867 §5.3; empty for NO_DATA). The octets are a view valid during the
   * call only: copy them. `lastMask` (default 0xff) keeps the speech bits of the last octet: the
   * bits it clears are padding the sender did not zero (RFC 4867 §4.4.3), stored as zeros.
   */
  frame(ft: number, q: boolean, bytes: Uint8Array, start: number, end: number, lastMask?: number): void;
  /** `count` NO_DATA frames (FT 15, Q 1, no octets) in a row: 20 ms slots no packet filled. */
  noData(count: number): void;
}
