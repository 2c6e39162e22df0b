// A captured frame as the capture readers hand it to the network layer.

/** A frame as a reader hands it over: valid during the callback (the reader reuses the object). */
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
  /**
   * The captured bytes are data[start, end): the reader's chunk, not a copy, so the hot path
   * makes no view per frame. Copy before keeping past the callback.
   */
  readonly data: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** Captured bytes as their own view (made on each access). */
  readonly bytes: Uint8Array;
  /** Original length on the wire (≥ end − start when the capture truncated the frame). */
  readonly origLen: number;
}

/**
 * The readers' frame: offsets into the chunk, and a view only when someone asks for one. A
 * reader refills one CapturedFrame for every record (millions of records make no garbage): a
 * consumer keeps the fields it needs, never the frame.
 */
export class CapturedFrame implements Frame {
  constructor(
    public frameNo: number,
    public tsSec: number,
    public tsNsec: number,
    public linkType: number,
    public interfaceId: number,
    public data: Uint8Array,
    public start: number,
    public end: number,
    public origLen: number,
  ) {}

  /** The next record (returns this frame, refilled). */
  fill(frameNo: number, tsSec: number, tsNsec: number, linkType: number, interfaceId: number, data: Uint8Array, start: number, end: number, origLen: number): this {
    this.frameNo = frameNo;
    this.tsSec = tsSec;
    this.tsNsec = tsNsec;
    this.linkType = linkType;
    this.interfaceId = interfaceId;
    this.data = data;
    this.start = start;
    this.end = end;
    this.origLen = origLen;
    return this;
  }

  get bytes(): Uint8Array {
    return this.data.subarray(this.start, this.end);
  }
}

/** Frame timestamp as floating seconds (µs precision is kept for any date this century). */
export function frameTime(frame: Pick<Frame, 'tsSec' | 'tsNsec'>): number {
  return frame.tsSec + frame.tsNsec / 1e9;
}
