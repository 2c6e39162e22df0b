// Outputs appear atomically: bytes go to a hidden temporary file beside the target, which is
// renamed into place on commit. An existing file is never replaced unless `force` is given, and
// an interrupted run (SIGINT/SIGTERM) removes every temporary file it still has open.
import { openSync, writeSync, closeSync, renameSync, unlinkSync, existsSync, linkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

const pending = new Set<string>();
let handlersInstalled = false;

function installSignalCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const cleanup = (signal: NodeJS.Signals): void => {
    removePendingFiles();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', cleanup);
  process.once('SIGTERM', cleanup);
  process.once('exit', removePendingFiles);
}

/** A temporary file to be removed if the run ends before it is committed or dropped. */
export function trackTemporary(path: string): void {
  installSignalCleanup();
  pending.add(path);
}

export function untrackTemporary(path: string): void {
  pending.delete(path);
}

// Temporary names: a random token per process (runs side by side into one directory do not
// meet) and a counter (files of one run do not): one random draw per run, not per file.
let runToken: string | undefined;
let temporaryCount = 0;

/** The hidden temporary name beside `path` that its bytes are written under (created exclusively: never an existing file). */
export function temporaryPathFor(path: string): string {
  runToken ??= randomBytes(4).toString('hex');
  return join(dirname(path), `.${basename(path)}.${runToken}${(temporaryCount++).toString(36)}.tmp`);
}

/** A failure to create the temporary file, as the error a user should see. */
export function openFailure(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new OutputDirectoryError(path, `cannot write ${path}: the directory ${dirname(path)} does not exist`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new OutputDirectoryError(path, `cannot write ${path}: permission denied (${code})`);
  return err instanceof Error ? err : new Error(String(err));
}

/** Remove every temporary file not yet committed (also called on signals and at exit). */
export function removePendingFiles(): void {
  for (const p of pending) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

export class OutputExistsError extends Error {
  override readonly name = 'OutputExistsError';
  constructor(readonly path: string) {
    super(`${path} exists (use --force to overwrite)`);
  }
}

/** The output cannot be created where it was asked for (missing directory, no permission). */
export class OutputDirectoryError extends Error {
  override readonly name = 'OutputDirectoryError';
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

export class AtomicFile {
  private fd: number | undefined;
  private readonly tempPath: string;
  private bytes = 0;

  /**
   * `tempPath`: the temporary name to write under, chosen (and tracked for removal on signals)
   * by the caller — a thread that writes for the main thread, which alone gets signals.
   */
  constructor(
    readonly path: string,
    private readonly force: boolean,
    tempPath?: string,
  ) {
    if (!force && existsSync(path)) throw new OutputExistsError(path);
    this.tempPath = tempPath ?? temporaryPathFor(path);
    // Tracked (the signal handlers installed) before the file exists: a signal that came between
    // creating and tracking it would end the process by default and leave the file behind.
    if (tempPath === undefined) trackTemporary(this.tempPath);
    try {
      this.fd = openSync(this.tempPath, 'wx', 0o644);
    } catch (err) {
      if (tempPath === undefined) untrackTemporary(this.tempPath);
      throw openFailure(path, err);
    }
  }

  get size(): number {
    return this.bytes;
  }

  write(chunk: Uint8Array): void {
    if (this.fd === undefined) throw new Error(`write after close: ${this.path}`);
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    this.bytes += chunk.length;
  }

  /** Write at an absolute position (used to patch headers); does not change the size count. */
  writeAt(chunk: Uint8Array, position: number): void {
    if (this.fd === undefined) throw new Error(`write after close: ${this.path}`);
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off, position + off);
  }

  /** Move the finished file into place. Without force, a file that appeared meanwhile is kept. */
  commit(): void {
    if (this.fd === undefined) return;
    // No fsync: the rename makes the file appear whole to every reader, which is what an
    // interrupted run needs; syncing thousands of stream files to disk cost more than the pass.
    closeSync(this.fd);
    this.fd = undefined;
    if (this.force) {
      renameSync(this.tempPath, this.path);
    } else {
      // link() fails when the target exists: no window in which another file could be replaced.
      try {
        linkSync(this.tempPath, this.path);
      } catch (err) {
        unlinkSync(this.tempPath);
        pending.delete(this.tempPath);
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputExistsError(this.path);
        throw err;
      }
      unlinkSync(this.tempPath);
    }
    pending.delete(this.tempPath);
  }

  /** Drop the temporary file without touching the target. */
  abort(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      // already gone
    }
    pending.delete(this.tempPath);
  }
}

/** Write a whole file atomically. */
export function writeFileAtomic(path: string, data: Uint8Array | string, force: boolean): void {
  const file = new AtomicFile(path, force);
  try {
    file.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
}
