// Runs chosen command variants on one capture, each with its own output directory, and judges
// every case. The fuzz campaign, --replay and the regression tests all go through here.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseOutcome } from './case.js';
import type { CommandVariant } from './commands.js';
import { judge, type Verdict } from './judge.js';
import type { CasePool } from './pool.js';

export interface CaseRun {
  readonly command: string;
  readonly variant: CommandVariant;
  readonly argv: readonly string[];
  readonly outcome: CaseOutcome;
  readonly verdict: Verdict | undefined;
}

export interface CaptureRun {
  /** The capture as written for the cases (removed by `cleanup`). */
  readonly input: string;
  readonly cases: readonly CaseRun[];
  cleanup(): void;
}

/**
 * Writes `bytes` as `dir/inputName` and runs each (command, variant) on it. `cwd` is the
 * process's working directory, which must stay empty.
 */
export async function runOnCapture(
  pool: CasePool,
  choices: ReadonlyArray<{ readonly command: string; readonly variant: CommandVariant }>,
  bytes: Uint8Array,
  dir: string,
  inputName: string,
  cwd: string,
): Promise<CaptureRun> {
  mkdirSync(dir, { recursive: true });
  const input = join(dir, inputName);
  writeFileSync(input, bytes);
  const jobs = choices.map((c, i) => {
    const outName = `out-${i}-${c.command}`;
    const outDir = join(dir, outName);
    mkdirSync(outDir);
    return { ...c, outName, outDir, argv: c.variant.argv(input, outDir) };
  });
  const outcomes = await Promise.all(jobs.map((j) => pool.run(j.argv)));
  const outputNames = jobs.map((j) => j.outName);
  const cases = jobs.map((j, k): CaseRun => {
    const outcome = outcomes[k] as CaseOutcome;
    const verdict = judge(outcome, { inputDir: dir, inputName, outDir: j.outDir, outputNames, cwd });
    return { command: j.command, variant: j.variant, argv: j.argv, outcome, verdict };
  });
  return { input, cases, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
