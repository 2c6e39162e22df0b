// Segment outputs written by an output thread (output-worker.ts): the pass only checks a file
// may be written (its name, an existing file), sends the records of each segment — open, the
// payload of each packet, close — through a ring of shared memory (segment-ring.ts), and goes on
// decoding the capture. Decoding the AMR payloads, the timelines, the writers and the file calls
// run on the other core. The temporary files are named (and removed on a signal) here.
//
// The capture is read into chunks of shared memory these outputs hand the pass (ChunkBuffers):
// a payload in one goes to the thread as its place in the chunk, not as a copy.
import { MessageChannel, Worker, type MessagePort, type TransferListItem } from 'node:worker_threads';
import type { ChunkBuffers } from '../../capture/source.js';
import type { AmrFrameList } from '../../protocols/amr/frame-list.js';
import type { AmrPayloadOptions } from '../../protocols/amr/types.js';
import { OutputDirectoryError, OutputExistsError, temporaryPathFor, trackTemporary, untrackTemporary } from '../../output/atomic-file.js';
import type { AmrTimelineStats } from '../amr-timeline.js';
import type { SegmentOutput, SegmentOutputs } from './segment-output.js';
import { newRing, RingWriter } from './segment-ring.js';
import type { AmrContainer } from './types.js';

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly path?: string;
}

/** A chunk of capture, posted to the output thread before the first record that names it. */
export interface ChunkMessage {
  readonly id: number;
  readonly buffer: SharedArrayBuffer;
}

export type OutputThreadMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly error: SerializedError }
  | { readonly kind: 'done'; readonly written: readonly (readonly [number, AmrTimelineStats])[] };

/** Where a file of that name goes, checked: throws when it may not be written (outside the directory, exists without --force). */
export type OutputPlace = (fileName: string) => { readonly path: string; readonly force: boolean };

const DEFAULT_RING = 8 << 20;
/** The output thread, from the module beside this one; where the sources run as they are (tests, under tsx), tsx is registered in the thread first. */
function startWorker(workerData: unknown, transferList: TransferListItem[]): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./output-worker.js', import.meta.url), { workerData, transferList });
  const entry = JSON.stringify(new URL('./output-worker.ts', import.meta.url).href);
  // (Resolved here: the thread's working directory may be anywhere.)
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); });`, { eval: true, workerData, transferList });
}

function revive(e: SerializedError): Error {
  if (e.name === 'OutputExistsError' && e.path !== undefined) return new OutputExistsError(e.path);
  if (e.name === 'OutputDirectoryError' && e.path !== undefined) return new OutputDirectoryError(e.path, e.message);
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

export class ThreadSegmentOutputs implements SegmentOutputs, ChunkBuffers {
  /** The output thread decodes every payload again. */
  readonly decodesPayloads = true;
  private readonly writer: RingWriter;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly formatIds = new Map<AmrPayloadOptions, number>();
  private readonly finished = new Map<number, (stats: AmrTimelineStats) => void>();
  private readonly temporary = new Map<number, string>();
  private readonly ready: Promise<void>;
  private readonly done: Promise<readonly (readonly [number, AmrTimelineStats])[]>;
  private failedWith: Error | undefined;
  private readonly failedSeen: Promise<void>;
  private settled: Promise<void> | undefined;
  private stalled = false;
  private readonly failedSeenNow: () => void;
  private readonly chunkPort: MessagePort;
  private nextChunk = 0;

  /**
   * Starts the output thread. `place` decides where each file goes; a command may start the
   * thread before it knows (its own modules still loading) and give it with placeFiles().
   */
  constructor(
    private place: OutputPlace | undefined,
    ringSize = DEFAULT_RING,
  ) {
    const ring = newRing(ringSize);
    this.writer = new RingWriter(ring);
    const { port1, port2 } = new MessageChannel();
    this.chunkPort = port1;
    this.chunkPort.unref();
    this.worker = startWorker({ ring, chunkPort: port2 }, [port2]);
    let ready!: () => void;
    let failedSeen!: () => void;
    let done!: (written: readonly (readonly [number, AmrTimelineStats])[]) => void;
    let broken!: (err: Error) => void;
    this.ready = new Promise((resolve) => (ready = resolve));
    this.failedSeen = new Promise((resolve) => (failedSeen = resolve));
    this.failedSeenNow = failedSeen;
    this.done = new Promise((resolve, reject) => {
      done = resolve;
      broken = reject;
    });
    this.worker.on('message', (m: OutputThreadMessage) => {
      if (m.kind === 'ready') ready();
      else if (m.kind === 'failed') {
        this.failedWith ??= revive(m.error);
        failedSeen();
      } else done(m.written);
    });
    this.worker.on('error', (err) => {
      this.failedWith ??= err;
      failedSeen();
      broken(err);
      ready();
    });
    this.worker.on('exit', (code) => broken(new Error(`the output thread ended (exit code ${code}) before its work was done`)));
    // (Awaited by settle(), which every run calls, failed or not: the thread ends there.)
    this.done.catch(() => undefined);
    // The thread keeps the process alive only while something here waits for it: a run that
    // stops without settle() must not leave the process waiting on a thread that waits for records.
    this.worker.unref();
  }

  /** Waits for `what` from the thread, keeping the process alive meanwhile. */
  private async fromThread<T>(what: Promise<T>): Promise<T> {
    this.worker.ref();
    try {
      return await what;
    } finally {
      this.worker.unref();
    }
  }

  /** Resolves once the output thread runs (a thread that cannot start fails here, or at the first check()). */
  async started(): Promise<void> {
    await this.fromThread(this.ready);
    if (this.failedWith !== undefined) throw this.failedWith;
  }

  /** The first failure of the output thread, if it has been reported. */
  get failure(): Error | undefined {
    return this.failedWith;
  }

  /**
   * Between chunks of the pass: hands the thread what was sent (the pass may now wait for input),
   * and rejects once the output thread has failed (the pass should stop).
   */
  async check(): Promise<void> {
    if (!this.stalled) this.writer.publish();
    // The pass need not wait for the thread to start: the ring holds the first chunk's records
    // (a chunk of capture makes fewer octets of records than the ring has). It waits here once.
    await this.fromThread(this.ready);
    if (!this.writer.failed && this.failedWith === undefined) return;
    // (The thread sets the flag after posting its failure: the message is on its way.)
    await this.fromThread(this.failedSeen);
    throw this.failedWith;
  }

  /** Where files go, for outputs started without it. */
  placeFiles(place: OutputPlace): void {
    this.place = place;
  }

  open(file: string, wideband: boolean, container: AmrContainer): SegmentOutput {
    if (this.place === undefined) throw new Error('output thread: a file opened before placeFiles()');
    const { path, force } = this.place(file);
    const id = this.nextId++;
    const tempPath = temporaryPathFor(path);
    trackTemporary(tempPath);
    this.temporary.set(id, tempPath);
    this.writer.open(id, wideband, container, force, path, tempPath);
    return new ThreadSegmentOutput(this, id);
  }

  /** Payloads sent as places in a chunk, not copied (for tests and the benchmark). */
  get chunkPackets(): number {
    return this.writer.chunkPackets;
  }

  /** A chunk of shared memory the output thread can read payloads from. */
  allocate(size: number): Uint8Array {
    const buffer = new SharedArrayBuffer(size);
    const id = this.nextChunk++;
    const message: ChunkMessage = { id, buffer };
    this.chunkPort.postMessage(message);
    const chunk = new Uint8Array(buffer);
    this.writer.addChunk(chunk, id);
    return chunk;
  }

  /** Before the pass reads into `chunk` again: waits until the thread has taken every record that names it. */
  reuse(chunk: Uint8Array): void {
    this.send(() => this.writer.reuseChunk(chunk));
  }

  release(chunk: Uint8Array): void {
    this.send(() => this.writer.forgetChunk(chunk));
  }

  /** @internal The id of a payload format, sent to the thread the first time it is used. */
  formatId(amr: AmrPayloadOptions): number {
    let format = this.formatIds.get(amr);
    if (format === undefined) {
      format = this.formatIds.size + 1;
      this.formatIds.set(amr, format);
      this.send(() => this.writer.format(format as number, amr));
    }
    return format;
  }

  /** @internal */ push(id: number, format: number, payload: Uint8Array, start: number, end: number, timestamp: number, sequence: number, frameNo: number): void {
    if (this.stalled) return;
    try {
      this.writer.packet(id, format, timestamp, sequence, frameNo, payload, start, end);
    } catch (err) {
      this.stall(err);
    }
  }

  /** @internal */ close(id: number, done: (stats: AmrTimelineStats) => void): void {
    this.finished.set(id, done);
    this.send(() => this.writer.close(id));
  }

  /** @internal */ abort(id: number): void {
    this.send(() => this.writer.abort(id));
  }

  private send(write: () => void): void {
    if (this.stalled) return;
    try {
      write();
    } catch (err) {
      this.stall(err);
    }
  }

  /** The ring took no more records (the output thread stopped taking them): the run has failed, nothing more is sent. */
  private stall(err: unknown): void {
    this.stalled = true;
    this.failedWith ??= err instanceof Error ? err : new Error(String(err));
    this.failedSeenNow();
  }

  /** Sends the end, waits for every file to be written, gives each its counts; rejects with the first failure. */
  settle(): Promise<void> {
    this.settled ??= this.end();
    return this.settled;
  }

  private async end(): Promise<void> {
    try {
      if (this.stalled) throw this.failedWith;
      this.writer.finish();
      const written = await this.fromThread(this.done);
      for (const [id, stats] of written) this.finished.get(id)?.(stats);
    } finally {
      for (const temp of this.temporary.values()) untrackTemporary(temp);
      await this.worker.terminate();
    }
    if (this.failedWith !== undefined) throw this.failedWith;
  }
}

class ThreadSegmentOutput implements SegmentOutput {
  // The format of the last packet and its id (a segment's packets mostly share one).
  private lastAmr: AmrPayloadOptions | undefined;
  private lastFormat = 0;

  constructor(
    private readonly outputs: ThreadSegmentOutputs,
    private readonly id: number,
  ) {}

  push(timestamp: number, sequence: number, frameNo: number, _frames: AmrFrameList, payload: Uint8Array, start: number, end: number, amr: AmrPayloadOptions): void {
    if (amr !== this.lastAmr) {
      this.lastAmr = amr;
      this.lastFormat = this.outputs.formatId(amr);
    }
    this.outputs.push(this.id, this.lastFormat, payload, start, end, timestamp, sequence, frameNo);
  }

  finish(done: (stats: AmrTimelineStats) => void): void {
    this.outputs.close(this.id, done);
  }

  abort(): void {
    this.outputs.abort(this.id);
  }
}
