// Output files written off the main thread. A pass that writes thousands of files (one per RTP
// stream) would otherwise spend much of its time in open/write/close/link system calls; here
// each call is queued per file and run by libuv's thread pool while the pass goes on decoding.
// The same promises as AtomicFile: bytes go to a hidden temporary file that appears under its
// name only on commit, an existing file is kept unless `force`, and an interrupted run removes
// the temporary files. Memory stays bounded: the pass waits (backpressure) between input chunks
// while more than `maxPendingBytes` are queued.
import { close, existsSync, link, open, rename, unlink, write } from 'node:fs';
import { OutputExistsError, openFailure, temporaryPathFor, trackTemporary, untrackTemporary } from './atomic-file.js';

type Run = (done: (err: Error | null) => void) => void;

/** A system call waiting its turn, and the bytes it will write (for the queue's total). */
interface Op {
  readonly run: Run;
  readonly bytes: number;
}

const DEFAULT_MAX_PENDING = 32 << 20;

/** The files of one run: how many bytes wait to be written, and the first failure. */
export class OutputQueue {
  private pendingBytes = 0;
  private busyFiles = 0;
  private waiters: (() => void)[] = [];
  private firstError: Error | undefined;

  constructor(private readonly maxPendingBytes = DEFAULT_MAX_PENDING) {}

  /** Bytes handed to files and not yet written. */
  get pending(): number {
    return this.pendingBytes;
  }

  /** The first error of any file (the run has failed when set). */
  get failure(): Error | undefined {
    return this.firstError;
  }

  /** Resolves when the queued bytes are under the limit; rejects once a file has failed. */
  async backpressure(): Promise<void> {
    while (this.firstError === undefined && this.pendingBytes > this.maxPendingBytes) await this.nextChange();
    if (this.firstError !== undefined) throw this.firstError;
  }

  /** Resolves when every queued operation has run; rejects with the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    if (this.firstError !== undefined) throw this.firstError;
  }

  /** Like drain, but never rejects (cleaning up after a failure). */
  async settle(): Promise<void> {
    while (this.busyFiles > 0) await this.nextChange();
  }

  /** @internal */ queued(bytes: number): void {
    this.pendingBytes += bytes;
  }

  /** @internal */ written(bytes: number): void {
    this.pendingBytes -= bytes;
    this.changed();
  }

  /** @internal */ busy(delta: 1 | -1): void {
    this.busyFiles += delta;
    if (delta < 0) this.changed();
  }

  /** @internal */ fail(err: Error): void {
    if (this.firstError === undefined) this.firstError = err;
    this.changed();
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private changed(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** An output file whose system calls run in order, one after another, off the main thread. */
export class QueuedAtomicFile {
  private readonly tempPath: string;
  private fd = -1;
  private bytes = 0;
  private readonly ops: Op[] = [];
  private running = false;
  private failed = false;
  private ended = false;

  /**
   * `absent`: the caller has already found that nothing exists at `path` (say, from one listing
   * of the directory), which spares a stat per file; commit still refuses a file that appeared.
   */
  constructor(
    private readonly queue: OutputQueue,
    readonly path: string,
    private readonly force: boolean,
    absent = false,
  ) {
    if (!force && !absent && existsSync(path)) throw new OutputExistsError(path);
    this.tempPath = temporaryPathFor(path);
    trackTemporary(this.tempPath);
    this.enqueue(0, (done) =>
      open(this.tempPath, 'wx', 0o644, (err, fd) => {
        if (err) return done(openFailure(path, err));
        this.fd = fd;
        done(null);
      }),
    );
  }

  get size(): number {
    return this.bytes;
  }

  /** The chunk is the file's from now on (ByteSink): it is written later, not copied. */
  write(chunk: Uint8Array): void {
    if (this.ended) this.afterEnd();
    const length = chunk.length;
    this.bytes += length;
    this.enqueue(length, (done) => this.writeAll(chunk, 0, null, length, done));
  }

  /** Overwrites bytes already written, at an absolute position (a header whose size comes last). */
  writeAt(chunk: Uint8Array, position: number): void {
    if (this.ended) this.afterEnd();
    this.enqueue(chunk.length, (done) => this.writeAll(chunk, 0, position, chunk.length, done));
  }

  /** Closes the file and moves it into place (after every queued write). */
  commit(): void {
    if (this.ended) return;
    this.ended = true;
    this.enqueue(0, (done) => this.closeFd(done));
    this.enqueue(0, (done) => {
      if (this.force) return rename(this.tempPath, this.path, (err) => this.settled(done, err));
      // link() fails when the target exists: no window in which another file could be replaced.
      link(this.tempPath, this.path, (err) => {
        unlink(this.tempPath, () => this.settled(done, err?.code === 'EEXIST' ? new OutputExistsError(this.path) : err));
      });
    });
  }

  /** Drops the temporary file without touching the target (also after a failure). */
  abort(): void {
    if (this.ended && !this.failed) return;
    this.ended = true;
    this.dropQueued();
    this.enqueue(0, this.removal());
  }

  /** Closes the file if open and removes the temporary file. */
  private removal(): Run {
    return (done) => this.closeFd(() => unlink(this.tempPath, () => this.settled(done, null)));
  }

  /** Forgets the operations not yet started (their bytes are no longer pending). */
  private dropQueued(): void {
    let bytes = 0;
    for (const op of this.ops) bytes += op.bytes;
    this.ops.length = 0;
    if (bytes > 0) this.queue.written(bytes);
  }

  private afterEnd(): never {
    throw new Error(`write after close: ${this.path}`);
  }

  private settled(done: (err: Error | null) => void, err: Error | null): void {
    untrackTemporary(this.tempPath);
    done(err);
  }

  private closeFd(done: (err: Error | null) => void): void {
    const fd = this.fd;
    this.fd = -1;
    if (fd < 0) return done(null);
    close(fd, (err) => done(err));
  }

  private writeAll(chunk: Uint8Array, offset: number, position: number | null, length: number, done: (err: Error | null) => void): void {
    write(this.fd, chunk, offset, length - offset, position === null ? null : position + offset, (err, n) => {
      if (err) return done(err);
      if (offset + n < length) return this.writeAll(chunk, offset + n, position, length, done);
      done(null);
    });
  }

  private enqueue(bytes: number, run: Run): void {
    if (bytes > 0) this.queue.queued(bytes);
    this.ops.push({ run, bytes });
    if (!this.running) {
      this.running = true;
      this.queue.busy(1);
      this.next();
    }
  }

  private next(): void {
    const op = this.ops.shift();
    if (op === undefined) {
      this.running = false;
      this.queue.busy(-1);
      return;
    }
    op.run((err) => {
      if (op.bytes > 0) this.queue.written(op.bytes);
      if (err !== null && !this.failed) {
        this.failed = true;
        this.queue.fail(err);
        // Nothing more is written; the temporary file goes.
        this.dropQueued();
        this.ops.push({ run: this.removal(), bytes: 0 });
      }
      this.next();
    });
  }
}
