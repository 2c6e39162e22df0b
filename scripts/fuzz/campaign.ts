// A fuzz campaign: mutants of the seeds, every capture command on each, in worker threads with a
// time budget per case. It stops at the first crash or overrun and saves the reproducer.
// Mutant i depends only on (seed, i): one in four rounds over the seeds sweeps record
// boundaries (a whole-record cut, then a cut inside a record), the others stack mutations.
import { join } from 'node:path';
import { captureLayout, itemSeed, mulberry32, mutate, recordBoundaries, truncateAtBoundary, truncateInside, type Mutant } from '../../test/fixtures/mutate.js';
import { surveyCommands, type CommandVariant, type SkippedCommand } from './commands.js';
import type { Verdict } from './judge.js';
import { CasePool } from './pool.js';
import { probeCommands } from './probe.js';
import { saveReproducer } from './reproducer.js';
import { runOnCapture } from './run-capture.js';
import { makeScratch } from './scratch.js';
import type { Seed } from './seeds.js';

export interface CampaignOptions {
  readonly seed: number;
  /** Mutants to make; every capture command runs on each. */
  readonly count: number;
  readonly budgetMs: number;
  readonly workers: number;
  readonly seeds: readonly Seed[];
  /** Where reproducers are saved. */
  readonly reproducerDir: string;
  /** Progress lines (to stderr in the command-line tool). */
  readonly log?: (line: string) => void;
}

export interface Failure extends Verdict {
  readonly mutant: number;
  readonly seedName: string;
  readonly steps: readonly string[];
  readonly variant: string;
  readonly argv: readonly string[];
  readonly stderr: string;
  readonly ms: number;
  /** Directory holding the saved input and case description. */
  readonly reproducer: string;
}

export interface CampaignReport {
  readonly mutants: number;
  readonly cases: number;
  readonly commands: readonly string[];
  readonly skipped: readonly SkippedCommand[];
  /** Variants dropped because they fail on a valid capture (their arguments are not understood). */
  readonly unusable: readonly string[];
  readonly crashes: number;
  readonly overruns: number;
  readonly ms: number;
  readonly failure?: Failure;
}

/** Mutant `index` of a campaign seeded with `seed`, over `seeds`. */
export function buildMutant(seeds: readonly Seed[], seed: number, index: number): { seedName: string; mutant: Mutant } {
  const s = seeds[index % seeds.length] as Seed;
  const round = Math.floor(index / seeds.length);
  const random = mulberry32(itemSeed(seed, index));
  if (round % 4 === 3) {
    const layout = captureLayout(s.bytes);
    const cuts = recordBoundaries(layout);
    if (cuts.length > 0) {
      const sweep = Math.floor(round / 4);
      // A stride coprime with the number of cuts visits every one of them, spread out early.
      const k = (Math.floor(sweep / 2) * coprimeStride(cuts.length)) % cuts.length;
      const result = sweep % 2 === 0 ? truncateAtBoundary(s.bytes, layout, k) : truncateInside(s.bytes, layout, k - 1, random());
      if (result !== undefined) return { seedName: s.name, mutant: { bytes: result.bytes, steps: [`sweep: ${result.what}`], gzip: false } };
    }
  }
  return { seedName: s.name, mutant: mutate(s.bytes, random) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function coprimeStride(n: number): number {
  let stride = Math.max(1, Math.round(n * 0.618));
  while (gcd(stride, n) !== 1) stride++;
  return stride;
}

function extensionOf(m: Mutant): string {
  if (m.gzip) return '.pcap.gz';
  const format = captureLayout(m.bytes).format;
  return format === 'unknown' ? '.bin' : `.${format}`;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const { commands: surveyed, skipped } = surveyCommands();
  const scratch = makeScratch();
  const pool = new CasePool(options.workers, options.budgetMs);
  let cases = 0;
  let mutants = 0;
  let failure: Failure | undefined;
  try {
    const probeSeed = options.seeds[0];
    if (probeSeed === undefined) throw new Error('no seed captures');
    const { usable, unusable } = await probeCommands(pool, surveyed, probeSeed.bytes, scratch);
    if (unusable.length > 0) log(`fuzz: ${unusable.length} option combination(s) refused on a valid capture and left out, e.g. ${unusable[0] ?? ''}`);
    let lastLog = performance.now();

    const runOne = async (index: number): Promise<void> => {
      const { seedName, mutant } = buildMutant(options.seeds, options.seed, index);
      // One variant per command per mutant, rotating through formats and destinations.
      const choices = usable.map((c) => ({ command: c.name, variant: c.variants[index % c.variants.length] as CommandVariant }));
      const run = await runOnCapture(pool, choices, mutant.bytes, join(scratch.root, `m${index}`), `mutant${extensionOf(mutant)}`, scratch.cwd);
      for (const c of run.cases) {
        if (failure !== undefined) break;
        cases++;
        if (c.verdict === undefined) continue;
        const reproducer = saveReproducer(options.reproducerDir, { seed: options.seed, mutant: index, seedName, mutation: mutant, verdict: c.verdict, variant: c.variant.label, argv: c.argv, input: run.input, outcome: c.outcome });
        failure = { ...c.verdict, mutant: index, seedName, steps: mutant.steps, variant: c.variant.label, argv: c.argv, stderr: c.outcome.reply?.stderrHead ?? '', ms: c.outcome.ms, reproducer };
      }
      run.cleanup();
      mutants++;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`fuzz: ${mutants}/${options.count} mutants, ${cases} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    };

    // Enough mutants in flight to keep every worker busy.
    const inFlight = Math.max(1, Math.ceil(pool.size / Math.max(1, usable.length)) + 1);
    let next = 0;
    const lanes = Array.from({ length: inFlight }, async () => {
      while (failure === undefined && next < options.count) await runOne(next++);
    });
    await Promise.all(lanes);
    const ms = performance.now() - started;
    const crashes = failure?.kind === 'crash' ? 1 : 0;
    const overruns = failure?.kind === 'overrun' ? 1 : 0;
    return { mutants, cases, commands: usable.map((c) => c.name), skipped, unusable, crashes, overruns, ms, ...(failure !== undefined ? { failure } : {}) };
  } finally {
    await pool.close();
    scratch.dispose();
  }
}
