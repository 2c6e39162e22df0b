// `npm run fuzz`: mutates captures (the built seeds, samples/ and, when present, the public
// corpus) and runs every capture command on each mutant in worker threads with a time budget
// per case. It stops at the first crash or budget overrun, saves the reproducer under .fuzz/,
// and exits 1. `--ci` is the bounded pass CI runs: a fixed seed and at least 5,200 cases.
//   npm run fuzz -- --seed 7 --count 2000
//   npm run fuzz -- --ci
//   npm run fuzz -- --replay .fuzz/crash-seed7-mutant123-info
import { availableParallelism } from 'node:os';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusAvailable, repoRoot } from '../test/support/environment.js';
import { runCampaign, type CampaignReport } from './fuzz/campaign.js';
import { surveyCommands } from './fuzz/commands.js';
import { CasePool } from './fuzz/pool.js';
import { runOnCapture } from './fuzz/run-capture.js';
import { makeScratch } from './fuzz/scratch.js';
import { collectSeeds } from './fuzz/seeds.js';

const CI_SEED = 20240611;
/** Cases (mutant × command) the CI pass covers at least. */
const CI_CASES = 5200;
const DEFAULT_COUNT = 1000;
const DEFAULT_BUDGET_S = 10;

const USAGE = `usage: npm run fuzz -- [--seed N] [--count MUTANTS] [--budget SECONDS] [--workers N] [--ci]
       npm run fuzz -- --replay DIR_OR_FILE`;

function fail(message: string): never {
  process.stderr.write(`fuzz: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function integer(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer of at least ${min}`);
  return n;
}

function summary(r: CampaignReport): string {
  const perMutant = r.commands.length;
  return `fuzz: ${r.cases} cases (${r.mutants} mutants × ${perMutant} command${perMutant === 1 ? '' : 's'}: ${r.commands.join(', ')}), ${r.crashes} crashes, ${r.overruns} overruns, ${(r.ms / 1000).toFixed(1)} s`;
}

async function replay(target: string, budgetMs: number, workers: number): Promise<number> {
  const path = resolve(target);
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f !== 'case.json')
        .map((f) => join(path, f))
    : [path];
  const { commands } = surveyCommands();
  const choices = commands.flatMap((c) => c.variants.map((variant) => ({ command: c.name, variant })));
  const scratch = makeScratch();
  const pool = new CasePool(workers, budgetMs);
  let failures = 0;
  try {
    for (const file of files) {
      const run = await runOnCapture(pool, choices, new Uint8Array(readFileSync(file)), join(scratch.root, 'replay'), basename(file), scratch.cwd);
      for (const c of run.cases) {
        const code = c.outcome.reply?.code;
        const status = c.verdict === undefined ? `ok (exit ${String(code)})` : `${c.verdict.kind.toUpperCase()}: ${c.verdict.reason}`;
        process.stdout.write(`${basename(file)}: ${c.variant.label}: ${status} [${Math.round(c.outcome.ms)} ms]\n`);
        if (c.verdict !== undefined) failures++;
      }
      run.cleanup();
    }
  } finally {
    await pool.close();
    scratch.dispose();
  }
  return failures === 0 ? 0 : 1;
}

async function fuzz(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        seed: { type: 'string' },
        count: { type: 'string' },
        budget: { type: 'string' },
        workers: { type: 'string' },
        ci: { type: 'boolean' },
        replay: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const budgetMs = integer('budget', v.budget, DEFAULT_BUDGET_S, 1) * 1000;
  const workers = integer('workers', v.workers, Math.max(1, Math.min(4, availableParallelism())), 1);
  if (v.replay !== undefined) {
    if (!existsSync(v.replay)) fail(`${v.replay}: no such file or directory`);
    return replay(v.replay, budgetMs, workers);
  }
  if (v.ci && (v.seed !== undefined || v.count !== undefined)) fail('--ci fixes the seed and the count');
  const seed = v.ci ? CI_SEED : integer('seed', v.seed, Math.floor(Math.random() * 2 ** 31), 0);
  const commandCount = Math.max(1, surveyCommands().commands.length);
  const count = v.ci ? Math.ceil(CI_CASES / commandCount) : integer('count', v.count, DEFAULT_COUNT, 1);
  // CI says when the corpus must be there (as it does for the tests): then its absence is fatal.
  if (process.env.IMSCAP_REQUIRE_CORPUS && !corpusAvailable()) fail('the capture corpus is missing (IMSCAP_REQUIRE_CORPUS is set)');
  const seeds = collectSeeds({ corpus: true });
  process.stderr.write(`fuzz: seed ${seed}, ${count} mutants of ${seeds.length} seed captures, budget ${budgetMs / 1000} s per case, ${workers} workers\n`);
  const report = await runCampaign({
    seed,
    count,
    budgetMs,
    workers,
    seeds,
    reproducerDir: join(repoRoot, '.fuzz'),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  for (const s of report.skipped) process.stderr.write(`fuzz: not fuzzed: ${s.name} (${s.reason})\n`);
  process.stdout.write(`${summary(report)}\n`);
  const f = report.failure;
  if (f === undefined) return report.commands.length > 0 ? 0 : 1;
  process.stdout.write(
    [
      `fuzz: ${f.kind} on mutant ${f.mutant} (${f.seedName}) with \`${f.variant}\` after ${Math.round(f.ms)} ms`,
      `  mutations: ${f.steps.join('; ')}`,
      `  reason: ${f.reason.split('\n').join('\n    ')}`,
      `  reproducer: ${f.reproducer}`,
      `  replay: npm run fuzz -- --replay ${f.reproducer}`,
      '',
    ].join('\n'),
  );
  return 1;
}

process.exitCode = await fuzz();
