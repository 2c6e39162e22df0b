// AMR / AMR-WB single-channel storage format (RFC 4867 §5.1, §5.3): the magic number, then
// each frame as a header octet (FT << 3 | Q << 2) followed by its speech bits, octet-aligned.
import { amrFrameBytes, amrFrameType } from '../protocols/amr/frame-types.js';
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

/** Checks a frame against the frame-type table before it goes into a file. */
export function assertStorableFrame(frame: AmrStorageFrame, wideband: boolean): void {
  if (amrFrameType(frame.ft, wideband).kind === 'reserved') throw new RangeError(`frame type ${frame.ft} is reserved`);
  const want = amrFrameBytes(frame.ft, wideband);
  if (frame.bits.length !== want) throw new RangeError(`frame type ${frame.ft} carries ${want} octets, got ${frame.bits.length}`);
}

export class AmrStorageWriter {
  private readonly out: BufferedWriter;
  private headerWritten = false;
  private frames = 0;

  constructor(sink: ByteSink, private readonly wideband: boolean) {
    this.out = new BufferedWriter(sink);
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
    assertStorableFrame(frame, this.wideband);
    this.writeHeader();
    this.out.byte(amrStorageHeader(frame.ft, frame.q));
    this.out.bytes(frame.bits);
    this.frames++;
  }

  /** Flush buffered bytes to the sink (the file then holds every frame written). */
  finish(): void {
    this.writeHeader();
    this.out.flush();
  }
}
