// AMR / AMR-WB single-channel storage format (RFC 4867 §5.1, §5.3): the magic number, then
// each frame as a header octet (FT << 3 | Q << 2) followed by its speech bits, octet-aligned.
import { AMR_NO_DATA, amrFrameOctetsTable } from '../protocols/amr/frame-types.js';
import type { AmrFrameSink } from '../protocols/amr/types.js';
import type { ByteSink } from './byte-sink.js';
import { BufferedWriter } from './buffered-writer.js';

/** RFC 4867 §5.1 magic numbers. */
export const AMR_STORAGE_MAGIC = new TextEncoder().encode('#!AMR\n');
export const AMR_WB_STORAGE_MAGIC = new TextEncoder().encode('#!AMR-WB\n');

export interface AmrStorageFrame {
  readonly ft: number;
  readonly q: boolean;
  /** Speech bits, octet-aligned, exactly as many octets as the frame type carries. */
  readonly bits: Uint8Array;
}

/** RFC 4867 §5.3 frame header octet: P(1)=0 FT(4) Q(1) P(2)=0. */
export function amrStorageHeader(ft: number, q: boolean): number {
  return ((ft & 0x0f) << 3) | (q ? 0x04 : 0);
}

/** The header octet of a NO_DATA frame (0x7c), which carries no octets after it. */
export const NO_DATA_HEADER = amrStorageHeader(AMR_NO_DATA, true);

/** Checks a frame against the frame-type table before it goes into a file. */
export function assertStorableFrame(frame: AmrStorageFrame, wideband: boolean): void {
  assertStorable(frame.ft, frame.bits.length, wideband);
}

/** The same check for a frame of type `ft` carrying `octets` octets. */
export function assertStorable(ft: number, octets: number, wideband: boolean): void {
  const want = amrFrameOctetsTable(wideband)[ft] ?? -1;
  if (want === octets) return;
  if (want < 0) throw new RangeError(`frame type ${ft} is reserved`);
  throw new RangeError(`frame type ${ft} carries ${want} octets, got ${octets}`);
}

export class AmrStorageWriter implements AmrFrameSink {
  private readonly out: BufferedWriter;
  private readonly octets: Int8Array;
  private headerWritten = false;
  private frames = 0;

  constructor(sink: ByteSink, private readonly wideband: boolean) {
    this.out = new BufferedWriter(sink);
    this.octets = amrFrameOctetsTable(wideband);
  }

  get framesWritten(): number {
    return this.frames;
  }

  /** Write the magic number (done by the first frame when not called). */
  writeHeader(): void {
    if (this.headerWritten) return;
    this.headerWritten = true;
    this.out.bytes(this.wideband ? AMR_WB_STORAGE_MAGIC : AMR_STORAGE_MAGIC);
  }

  writeFrame(frame: AmrStorageFrame): void {
    this.frame(frame.ft, frame.q, frame.bits, 0, frame.bits.length);
  }

  /** One frame whose speech octets are bytes[start, end) (copied here, the last ANDed with lastMask). */
  frame(ft: number, q: boolean, bytes: Uint8Array, start: number, end: number, lastMask = 0xff): void {
    if (this.octets[ft] !== end - start) assertStorable(ft, end - start, this.wideband);
    if (!this.headerWritten) this.writeHeader();
    this.out.prefixed(amrStorageHeader(ft, q), bytes, start, end, lastMask);
    this.frames++;
  }

  /** `count` NO_DATA frames: one header octet each (RFC 4867 §5.3, FT 15 with Q set). */
  noData(count: number): void {
    if (!this.headerWritten) this.writeHeader();
    this.out.repeat(NO_DATA_HEADER, count);
    this.frames += count;
  }

  /** Flush buffered bytes to the sink (the file then holds every frame written); nothing may be written after. */
  finish(): void {
    this.writeHeader();
    this.out.close();
  }
}
