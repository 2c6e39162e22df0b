// Worker threads that run cases with a time budget. A case that overruns its budget gets its
// worker terminated (the only way to stop a synchronous endless loop) and a fresh worker takes
// its place; a worker that dies (out of memory, process.exit) is replaced the same way.
import { Worker } from 'node:worker_threads';
import type { CaseOutcome, CaseReply, CaseRequest } from './case.js';

/** Old-generation heap a worker may use before it counts as a runaway. */
const HEAP_LIMIT_MB = 1024;
const MAX_FAILED_STARTS = 3;

export interface PoolOptions {
  /** Module answering CaseRequests (default: the worker that runs imscap's main). */
  readonly workerModule?: URL;
  /** Old-generation heap per worker, in MB (default 1024). */
  readonly heapLimitMb?: number;
}

interface Job {
  readonly argv: readonly string[];
  readonly resolve: (outcome: CaseOutcome) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: { id: number; started: number; timer: NodeJS.Timeout; resolve: (outcome: CaseOutcome) => void };
}

/** Worker threads do not inherit the TypeScript loader: each registers it, then loads its module. */
function bootCode(workerModule: URL): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(workerModule.href)}); });`;
}

export class CasePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closing = false;
  /** Workers that died before they were ready, in a row: the worker code itself is broken. */
  private failedStarts = 0;
  private readonly boot: string;
  private readonly heapLimitMb: number;

  constructor(
    size: number,
    private readonly budgetMs: number,
    options: PoolOptions = {},
  ) {
    this.boot = bootCode(options.workerModule ?? new URL('./worker.ts', import.meta.url));
    this.heapLimitMb = options.heapLimitMb ?? HEAP_LIMIT_MB;
    for (let i = 0; i < Math.max(1, size); i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs `imscap ...argv` in a worker; never rejects. */
  run(argv: readonly string[]): Promise<CaseOutcome> {
    if (this.closing) return Promise.resolve({ kind: 'died', ms: 0, died: 'the pool is closed' });
    return new Promise((resolve) => {
      this.queue.push({ argv, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb }, stdout: true, stderr: true });
    const slot: Slot = { worker, ready: false };
    worker.on('message', (message: CaseReply | 'ready') => {
      if (message === 'ready') {
        slot.ready = true;
        this.failedStarts = 0;
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (job === undefined || job.id !== message.id) return;
      this.finish(slot, { kind: 'finished', ms: performance.now() - job.started, reply: message });
      this.dispatch();
    });
    worker.on('error', (err) => this.lost(slot, `worker error: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => this.lost(slot, `worker exited with code ${code} (process.exit or a fatal error)`));
    // Anything a case writes around the captured streams is dropped, not mixed into the summary.
    worker.stdout.resume();
    worker.stderr.resume();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job !== undefined) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      const id = this.nextId++;
      const timer = setTimeout(() => this.overrun(slot), this.budgetMs);
      slot.job = { id, started: performance.now(), timer, resolve: job.resolve };
      const request: CaseRequest = { id, argv: job.argv };
      slot.worker.postMessage(request);
    }
  }

  private finish(slot: Slot, outcome: CaseOutcome): void {
    const job = slot.job;
    if (job === undefined) return;
    clearTimeout(job.timer);
    slot.job = undefined;
    job.resolve(outcome);
  }

  private overrun(slot: Slot): void {
    const job = slot.job;
    if (job === undefined) return;
    this.finish(slot, { kind: 'overrun', ms: performance.now() - job.started });
    this.replace(slot);
  }

  private lost(slot: Slot, why: string): void {
    if (this.closing || !this.slots.includes(slot)) return;
    const job = slot.job;
    if (job !== undefined) this.finish(slot, { kind: 'died', ms: performance.now() - job.started, died: why });
    if (!slot.ready && ++this.failedStarts >= MAX_FAILED_STARTS) {
      this.closing = true;
      for (const queued of this.queue.splice(0)) queued.resolve({ kind: 'died', ms: 0, died: `the fuzz worker cannot start: ${why}` });
    }
    this.replace(slot);
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    void slot.worker.terminate();
    if (!this.closing) this.slots.push(this.spawn());
  }
}
