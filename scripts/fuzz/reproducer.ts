// Saves what is needed to replay a failing case under .fuzz/: the mutant, and case.json with the
// campaign seed, mutant number, seed capture, mutations, command line and what went wrong.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Mutant } from '../../test/fixtures/mutate.js';
import type { CaseOutcome } from './case.js';
import type { Verdict } from './judge.js';

export interface ReproducerCase {
  readonly seed: number;
  readonly mutant: number;
  readonly seedName: string;
  readonly mutation: Mutant;
  readonly verdict: Verdict;
  readonly variant: string;
  readonly argv: readonly string[];
  /** The mutant as written for the case. */
  readonly input: string;
  readonly outcome: CaseOutcome;
}

/** Writes the reproducer directory and returns its path. */
export function saveReproducer(root: string, c: ReproducerCase): string {
  const command = c.argv[0] ?? 'command';
  const dir = join(root, `${c.verdict.kind}-seed${c.seed}-mutant${c.mutant}-${command}`);
  mkdirSync(dir, { recursive: true });
  const inputName = basename(c.input);
  copyFileSync(c.input, join(dir, inputName));
  const argv = c.argv.map((a) => (a === c.input ? `<dir>/${inputName}` : a));
  const description = {
    kind: c.verdict.kind,
    reason: c.verdict.reason,
    campaignSeed: c.seed,
    mutant: c.mutant,
    seedCapture: c.seedName,
    mutations: c.mutation.steps,
    command: c.variant,
    argv,
    elapsedMs: Math.round(c.outcome.ms),
    exitCode: c.outcome.reply?.code ?? null,
    stderr: c.outcome.reply?.stderrHead ?? '',
    replay: `npm run fuzz -- --replay ${dir}`,
  };
  writeFileSync(join(dir, 'case.json'), `${JSON.stringify(description, null, 2)}\n`);
  return dir;
}
