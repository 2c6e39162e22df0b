// A captured frame as the capture readers hand it to the network layer.

export interface Frame {
  /** 1-based, numbered as tshark numbers frames. */
  readonly frameNo: number;
  /** Seconds since the Unix epoch (unsigned: dates up to 2106 and beyond are kept). */
  readonly tsSec: number;
  /** Nanoseconds within tsSec (0 ≤ tsNsec < 1e9). */
  readonly tsNsec: number;
  /** LINKTYPE_* value (tcpdump.org link-layer header types). */
  readonly linkType: number;
  /** pcapng interface index; 0 for classic pcap. */
  readonly interfaceId: number;
  /** Captured bytes: a view into the reader's chunk. Copy before keeping past the callback. */
  readonly bytes: Uint8Array;
  /** Original length on the wire (≥ bytes.length when the capture truncated the frame). */
  readonly origLen: number;
}

/** Frame timestamp as floating seconds (µs precision is kept for any date this century). */
export function frameTime(frame: Pick<Frame, 'tsSec' | 'tsNsec'>): number {
  return frame.tsSec + frame.tsNsec / 1e9;
}
