// What counts as a failure of one case: an exception escaping main, exit 3, an uncaught
// exception or unhandled rejection, a decoder exception caught as an "internal error", a dead
// worker, a budget overrun, a stack trace or a rambling message where a one-line error belongs,
// runaway output, a temporary file left behind, or a file written anywhere but the case's
// output directory.
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import type { CaseOutcome } from './case.js';

export type FailureKind = 'crash' | 'overrun';

export interface Verdict {
  readonly kind: FailureKind;
  readonly reason: string;
}

/** Far beyond any report of a small capture: more output than this is a runaway. */
const MAX_OUTPUT_BYTES = 64 << 20;
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;
const EXIT_OK = new Set([0, 1, 2]);
/** What the network layer says when an exception reached it (src/net/decoder.ts). */
const INTERNAL_ERROR = ['internal error: ', 'internal error at end of capture: '];

export interface Workspace {
  /** Directory holding only the mutant. */
  readonly inputDir: string;
  readonly inputName: string;
  /** The case's output directory (any file inside it is fine, a temporary one is not). */
  readonly outDir: string;
  /** Names of the output directories (of this and the sibling cases) inside inputDir. */
  readonly outputNames: readonly string[];
  /** The process's working directory, kept empty: relative writes would land there. */
  readonly cwd: string;
}

function listTree(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
}

export function judge(outcome: CaseOutcome, ws: Workspace): Verdict | undefined {
  if (outcome.kind === 'overrun') return { kind: 'overrun', reason: `no answer within the budget (${Math.round(outcome.ms)} ms)` };
  if (outcome.kind === 'died' || outcome.reply === undefined) return { kind: 'crash', reason: outcome.died ?? 'the worker died' };
  const r = outcome.reply;
  if (r.escaped !== undefined) return { kind: 'crash', reason: `exception escaped main: ${r.escaped}` };
  if (r.late.length > 0) return { kind: 'crash', reason: r.late.join('\n') };
  if (r.code === undefined || !EXIT_OK.has(r.code)) return { kind: 'crash', reason: `exit code ${String(r.code)}: ${firstLines(r.stderrHead)}` };
  if (STACK_FRAME.test(r.stderrHead)) return { kind: 'crash', reason: `stack trace on stderr: ${firstLines(r.stderrHead)}` };
  // The network layer turns an exception thrown under it into an "internal error" problem on
  // the frame, so the pass goes on; it is still a decoder that threw instead of returning an error.
  const internal = lineWith(r.stderrHead, INTERNAL_ERROR) ?? lineWith(r.stdoutHead, INTERNAL_ERROR);
  if (internal !== undefined) return { kind: 'crash', reason: `a decoder threw: ${internal}` };
  if (r.code === 2) {
    const lines = r.stderrHead.split('\n').filter((l) => l !== '');
    if (lines.length !== 1 || !lines[0]?.startsWith('imscap: ')) return { kind: 'crash', reason: `exit 2 without a one-line "imscap: ..." message: ${firstLines(r.stderrHead)}` };
  }
  if (r.stdoutBytes > MAX_OUTPUT_BYTES || r.stderrBytes > MAX_OUTPUT_BYTES) return { kind: 'crash', reason: `runaway output (${r.stdoutBytes} bytes on stdout, ${r.stderrBytes} on stderr)` };
  const temporary = listTree(ws.outDir).filter((f) => f.endsWith('.tmp'));
  if (temporary.length > 0) return { kind: 'crash', reason: `temporary file(s) left in the output directory: ${temporary.join(', ')}` };
  const owned = (f: string): boolean => f === ws.inputName || ws.outputNames.some((o) => f === o || f.startsWith(`${o}${sep}`));
  const strayInput = listTree(ws.inputDir).filter((f) => !owned(f));
  const strayCwd = listTree(ws.cwd);
  if (strayInput.length + strayCwd.length > 0) return { kind: 'crash', reason: `wrote outside the output directory: ${[...strayInput, ...strayCwd].join(', ')}` };
  return undefined;
}

/** The first line holding one of `needles`, cut to a readable length. */
function lineWith(text: string, needles: readonly string[]): string | undefined {
  for (const needle of needles) {
    const at = text.indexOf(needle);
    if (at < 0) continue;
    const start = text.lastIndexOf('\n', at) + 1;
    const end = text.indexOf('\n', at);
    return text.slice(start, end < 0 ? text.length : end).slice(0, 300);
  }
  return undefined;
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 12).join('\n');
}
