// Where the frames of one output file go once the extractor has decided they belong to it: a
// timeline (20 ms slots, duplicates dropped, reordering undone, gaps as NO_DATA) feeding a
// storage-format or 3GP writer whose bytes go to a sink. LocalSegmentOutputs does that in the
// calling thread; ThreadSegmentOutputs (output-thread.ts) hands the same work to a worker thread,
// which runs LocalSegmentOutputs itself.
import type { AmrFrameList } from '../../protocols/amr/frame-list.js';
import type { AmrPayloadOptions } from '../../protocols/amr/types.js';
import { AmrStorageWriter } from '../../media/amr-storage.js';
import { ThreeGpAmrWriter } from '../../media/threegp.js';
import { AmrTimeline, type AmrTimelineStats } from '../amr-timeline.js';
import type { AmrContainer, ExtractSink, ExtractSinkFactory } from './types.js';

/** The output file of one stream segment, being written. */
export interface SegmentOutput {
  /**
   * One packet's frames: `frames` holds them decoded (RFC 4867 §4) from payload[start, end)
   * with `amr` — unless the outputs decode payloads themselves (SegmentOutputs.decodesPayloads),
   * which may be given a list holding an earlier packet's frames.
   */
  push(timestamp: number, sequence: number, frameNo: number, frames: AmrFrameList, payload: Uint8Array, start: number, end: number, amr: AmrPayloadOptions): void;
  /**
   * Completes the file (the frames still held, the writer's tail) and commits it. `done` gets the
   * timeline's counts, at once or once the file is written. Throws when it cannot commit now.
   */
  finish(done: (stats: AmrTimelineStats) => void): void;
  /** Drops the file (nothing appears under its name). */
  abort(): void;
}

export interface SegmentOutputs {
  /** Opens the output file `file` (a sanitised name); throws when it cannot be opened. */
  open(file: string, wideband: boolean, container: AmrContainer): SegmentOutput;
  /** Resolves once every finished output is written and its counts given (outputs in another thread). */
  settle?(): Promise<void>;
  /** The outputs decode each payload themselves: push() need not be given its frames. */
  readonly decodesPayloads?: boolean;
}

/** Outputs written in this thread, each to the sink the factory gives for its name. */
export class LocalSegmentOutputs implements SegmentOutputs {
  constructor(private readonly sinks: ExtractSinkFactory) {}

  open(file: string, wideband: boolean, container: AmrContainer): SegmentOutput {
    return new LocalSegmentOutput(this.sinks(file), wideband, container);
  }
}

export class LocalSegmentOutput implements SegmentOutput {
  private readonly writer: AmrStorageWriter | ThreeGpAmrWriter;
  private readonly timeline: AmrTimeline;

  constructor(
    private readonly sink: ExtractSink,
    wideband: boolean,
    container: AmrContainer,
  ) {
    this.writer = container === '3gp' ? new ThreeGpAmrWriter(sink, wideband) : new AmrStorageWriter(sink, wideband);
    // Frames go from the timeline's ring straight into the writer's buffer.
    this.timeline = new AmrTimeline({ wideband, sink: this.writer });
  }

  push(timestamp: number, sequence: number, frameNo: number, frames: AmrFrameList): void {
    // The timeline copies what it keeps: one frame list serves every packet.
    this.timeline.pushFrames(timestamp, sequence, frameNo, frames);
  }

  finish(done: (stats: AmrTimelineStats) => void): void {
    this.timeline.finish();
    this.writer.finish();
    this.sink.commit();
    done(this.timeline.stats());
  }

  abort(): void {
    this.sink.abort();
  }
}
