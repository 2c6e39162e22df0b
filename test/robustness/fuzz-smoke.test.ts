// A small seeded fuzz run as a regular test: mutants of the built seeds (and the corpus when it
// is present), every capture command on each, no crash and no budget overrun. A failure names
// the saved reproducer, which `npm run fuzz -- --replay DIR` runs again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCampaign } from '../../scripts/fuzz/campaign.js';
import { saveReproducer } from '../../scripts/fuzz/reproducer.js';
import { collectSeeds } from '../../scripts/fuzz/seeds.js';
import { captureCommands, scratchDir } from './support.js';

const MUTANTS = 40;

test(`a seeded fuzz run: ${MUTANTS} mutants × every capture command, no crash, no overrun`, async (t) => {
  const reproducers = scratchDir(t);
  const report = await runCampaign({ seed: 20240611, count: MUTANTS, budgetMs: 30_000, workers: 2, seeds: collectSeeds({ corpus: true }), reproducerDir: reproducers });
  const f = report.failure;
  assert.equal(f, undefined, f === undefined ? '' : `${f.kind} on mutant ${f.mutant} (${f.seedName}, ${f.steps.join('; ')}) with ${f.variant}: ${f.reason}`);
  assert.deepEqual([...report.commands].sort(), captureCommands().map((c) => c.name).sort(), 'every capture command was fuzzed');
  assert.equal(report.mutants, MUTANTS);
  assert.equal(report.cases, MUTANTS * report.commands.length);
  assert.deepEqual(readdirSync(reproducers), [], 'no reproducer saved');
});

test('a reproducer holds the mutant and how to replay it', (t) => {
  const root = scratchDir(t);
  const input = join(scratchDir(t), 'mutant.pcap');
  writeFileSync(input, Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 9, 9));
  const dir = saveReproducer(root, {
    seed: 5,
    mutant: 12,
    seedName: 'synthetic:sip-call-udp.pcap',
    mutation: { bytes: new Uint8Array(0), steps: ['bit-flip: bit flips at 30'], gzip: false },
    verdict: { kind: 'crash', reason: 'exit code 3: imscap: internal error: boom' },
    variant: 'info --format json',
    argv: ['info', input, '--format', 'json'],
    input,
    outcome: { kind: 'finished', ms: 12.4, reply: { id: 1, code: 3, late: [], stdoutBytes: 0, stdoutHead: '', stderrBytes: 36, stderrHead: 'imscap: internal error: boom\n' } },
  });
  assert.ok(existsSync(join(dir, 'mutant.pcap')));
  assert.deepEqual(readFileSync(join(dir, 'mutant.pcap')), readFileSync(input));
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(c.kind, 'crash');
  assert.equal(c.campaignSeed, 5);
  assert.equal(c.mutant, 12);
  assert.deepEqual(c.argv, ['info', '<dir>/mutant.pcap', '--format', 'json']);
  assert.deepEqual(c.mutations, ['bit-flip: bit flips at 30']);
  assert.equal(c.exitCode, 3);
  assert.equal(c.replay, `npm run fuzz -- --replay ${dir}`);
});
