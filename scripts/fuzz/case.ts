// What the pool sends a worker (one command line) and what comes back (exit code, output,
// exceptions that escaped main or surfaced after it returned).

export interface CaseRequest {
  readonly id: number;
  readonly argv: readonly string[];
}

export interface CaseReply {
  readonly id: number;
  /** main's resolved exit code; undefined when an exception escaped it. */
  readonly code: number | undefined;
  /** The exception that escaped main, with its stack. */
  readonly escaped?: string;
  /** Uncaught exceptions and unhandled rejections seen while the case ran. */
  readonly late: readonly string[];
  readonly stdoutBytes: number;
  readonly stdoutHead: string;
  readonly stderrBytes: number;
  readonly stderrHead: string;
}

export interface CaseOutcome {
  readonly kind: 'finished' | 'overrun' | 'died';
  readonly ms: number;
  readonly reply?: CaseReply;
  /** Why the worker died (out of memory, process.exit, a crash of the thread). */
  readonly died?: string;
}
