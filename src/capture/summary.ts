// What a capture read reports besides its frames: format, interfaces, counts and problems.

export interface CaptureInterface {
  /** Index used by Frame.interfaceId: pcapng interfaces are numbered across sections in file order. */
  readonly id: number;
  readonly linkType: number;
  readonly linkTypeName: string;
  /** Snapshot length from the file (0 in pcapng means "no limit"). */
  readonly snapLen: number;
  readonly name?: string;
  readonly description?: string;
  /** Timestamp resolution: "µs", "ns", "10^-3 s", "2^-20 s"… */
  readonly tsResolution: string;
}

export interface CaptureWarning {
  /** Byte offset in the capture data (after gunzip) where the problem is. */
  readonly offset: number;
  readonly frameNo?: number;
  readonly message: string;
  /** True when reading stopped here. */
  readonly fatal: boolean;
}

export interface CaptureSummary {
  readonly format: 'pcap' | 'pcapng';
  /** e.g. "pcap, microsecond, little-endian", "pcapng, big-endian", "pcapng (2 sections)". */
  readonly variant: string;
  readonly gzip: boolean;
  readonly interfaces: readonly CaptureInterface[];
  readonly frames: number;
  /** Bytes of capture data consumed (after gunzip). */
  readonly bytesRead: number;
  /** Earliest and latest frame timestamps, floating seconds (as capinfos reports them). */
  readonly firstTs?: number;
  readonly lastTs?: number;
  readonly warnings: readonly CaptureWarning[];
}
