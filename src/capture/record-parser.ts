// What the chunk reader asks of a capture format: consume complete records from a buffer,
// and report the file's shape (variant, interfaces, warnings) at the end.
import { CapturedFrame, type Frame } from './frame.js';
import type { CaptureInterface, CaptureWarning } from './summary.js';

export type FrameSink = (frame: Frame) => void;

/** Largest captured length accepted (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_CAPLEN = 262144;

/** A snapshot length below this is not trusted as a bound on captured lengths. */
export const MIN_SANE_SNAPLEN = 64;

export abstract class RecordParser {
  /** Frames delivered so far. */
  frames = 0;
  /**
   * Last frame number given. tshark also numbers a few pcapng records that carry no packet
   * (custom blocks, systemd journal entries); they take a number but are not delivered.
   */
  frameNo = 0;
  /** Capture-data offset of the first byte not yet consumed. */
  offset = 0;
  /** Set when a fatal problem stopped reading. */
  stopped = false;
  minTs = Infinity;
  maxTs = -Infinity;
  readonly warnings: CaptureWarning[] = [];
  /** Refilled for every record handed to onFrame. */
  protected readonly frame = new CapturedFrame(0, 0, 0, 0, 0, new Uint8Array(0), 0, 0, 0);

  constructor(
    /** The path as given, for CaptureError. */
    protected readonly file: string,
    protected readonly onFrame: FrameSink,
  ) {}

  abstract readonly format: 'pcap' | 'pcapng';

  /**
   * Consumes every complete record in bytes[start, end) and returns the index of the first byte
   * not consumed. Frames are views into `bytes`, delivered synchronously.
   */
  abstract parse(bytes: Uint8Array, view: DataView, start: number, end: number): number;

  /** End of input with `leftover` unconsumed bytes: a truncated record becomes a warning. */
  abstract finish(leftover: number): void;

  abstract variant(): string;

  abstract interfaces(): CaptureInterface[];

  /** Input failed under the parser (read or gunzip error): a fatal warning at `offset`. */
  stop(offset: number, message: string): void {
    this.warn(offset, message, true);
  }

  protected warn(offset: number, message: string, fatal: boolean, frameNo?: number): void {
    this.warnings.push(frameNo === undefined ? { offset, message, fatal } : { offset, frameNo, message, fatal });
    if (fatal) this.stopped = true;
  }

  protected warnTruncated(leftover: number, what: string): void {
    if (leftover > 0) this.warn(this.offset, `capture ends mid-record at offset ${this.offset} (${what} incomplete)`, false, this.frameNo + 1);
  }
}
