// The fuzz harness itself: the judge calls each kind of failure a failure, the pool stops a
// case that never ends and replaces a worker that dies, command discovery finds what
// `imscap --help` lists, and mutant i of a seed is the same on every run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseOutcome, CaseReply } from '../../scripts/fuzz/case.js';
import { buildMutant } from '../../scripts/fuzz/campaign.js';
import { surveyCommands } from '../../scripts/fuzz/commands.js';
import { judge, type Workspace } from '../../scripts/fuzz/judge.js';
import { CasePool } from '../../scripts/fuzz/pool.js';
import { syntheticSeeds } from '../../scripts/fuzz/synthetic.js';
import { captureLayout, recordBoundaries } from '../fixtures/mutate.js';
import { imscap, scratchDir } from './support.js';

function reply(fields: Partial<CaseReply>): CaseOutcome {
  return { kind: 'finished', ms: 5, reply: { id: 1, code: 0, late: [], stdoutBytes: 0, stdoutHead: '', stderrBytes: 0, stderrHead: '', ...fields } };
}

function workspace(t: import('node:test').TestContext): Workspace {
  const root = scratchDir(t);
  const inputDir = join(root, 'in');
  const outDir = join(inputDir, 'out-0');
  const cwd = join(root, 'cwd');
  mkdirSync(outDir, { recursive: true });
  mkdirSync(cwd);
  writeFileSync(join(inputDir, 'mutant.pcap'), 'x');
  return { inputDir, inputName: 'mutant.pcap', outDir, outputNames: ['out-0'], cwd };
}

test('the judge: a clean case passes, each kind of failure is named', (t) => {
  const ws = workspace(t);
  assert.equal(judge(reply({ code: 0, stdoutHead: 'report\n', stdoutBytes: 7 }), ws), undefined);
  assert.equal(judge(reply({ code: 1 }), ws), undefined);
  assert.equal(judge(reply({ code: 2, stderrHead: 'imscap: x.pcap: empty file\n' }), ws), undefined);
  assert.equal(judge(reply({ code: 0, stderrHead: 'imscap: warning: x.pcap: frame 3, offset 40: capture ends mid-record\n' }), ws), undefined);

  const crash = (outcome: CaseOutcome, pattern: RegExp): void => {
    const v = judge(outcome, ws);
    assert.equal(v?.kind, 'crash', JSON.stringify(outcome));
    assert.match(v?.reason ?? '', pattern);
  };
  crash(reply({ code: 3, stderrHead: 'imscap: internal error: boom\n' }), /exit code 3/);
  crash(reply({ code: undefined, escaped: 'TypeError: x is undefined\n    at f (a.ts:1:1)' }), /exception escaped main/);
  crash(reply({ late: ['unhandled rejection: Error: later'] }), /unhandled rejection/);
  crash(reply({ code: 0, stderrHead: 'Error: bad\n    at decode (/src/x.ts:10:5)\n' }), /stack trace/);
  crash(reply({ code: 2, stderrHead: 'imscap: a\nimscap: b\n' }), /one-line/);
  crash(reply({ code: 2, stderrHead: 'something failed\n' }), /one-line/);
  crash(reply({ code: 0, stdoutBytes: 100 << 20 }), /runaway output/);
  crash(reply({ code: 0, stderrHead: 'imscap: warning: x.pcap: 1 malformed packet(s), 0 undecodable message(s); first: frame 7 net: internal error: Cannot read properties of undefined\n' }), /a decoder threw: .*frame 7 net: internal error/);
  crash({ kind: 'died', ms: 3, died: 'worker exited with code 1' }, /worker exited/);
  assert.deepEqual(judge({ kind: 'overrun', ms: 10_000 }, ws)?.kind, 'overrun');

  writeFileSync(join(ws.outDir, '.report.txt.1a2b3c4d.tmp'), 'half');
  crash(reply({ code: 0 }), /temporary file/);
});

test('the judge: a file written outside the output directory is a failure', (t) => {
  const ws = workspace(t);
  writeFileSync(join(ws.outDir, 'call-1.amr'), '#!AMR\n');
  assert.equal(judge(reply({ code: 0 }), ws), undefined, 'inside the output directory is fine');
  writeFileSync(join(ws.cwd, 'call-1.amr'), '#!AMR\n');
  assert.match(judge(reply({ code: 0 }), ws)?.reason ?? '', /outside the output directory: call-1\.amr/);
  const other = workspace(t);
  writeFileSync(join(other.inputDir, 'evil.amr'), '#!AMR\n');
  assert.match(judge(reply({ code: 0 }), other)?.reason ?? '', /outside the output directory: evil\.amr/);
});

test('the pool: a case that never ends is stopped at its budget; a dying worker is replaced', async (t) => {
  const pool = new CasePool(1, 1500, { workerModule: new URL('./fixtures/misbehaving-worker.ts', import.meta.url) });
  t.after(() => pool.close());
  const ok = await pool.run(['ok']);
  assert.equal(ok.kind, 'finished');
  const spin = await pool.run(['spin']);
  assert.equal(spin.kind, 'overrun');
  assert.ok(spin.ms >= 1400 && spin.ms < 10_000, `stopped near the budget: ${spin.ms} ms`);
  assert.equal((await pool.run(['ok'])).kind, 'finished', 'a fresh worker takes over');
  const exit = await pool.run(['exit']);
  assert.equal(exit.kind, 'died');
  assert.match(exit.died ?? '', /exited with code 7/);
  assert.equal((await pool.run(['ok'])).kind, 'finished');
});

test('the pool: a worker that grows without bound dies at its heap limit instead of taking the machine', async (t) => {
  const pool = new CasePool(1, 60_000, { workerModule: new URL('./fixtures/misbehaving-worker.ts', import.meta.url), heapLimitMb: 64 });
  t.after(() => pool.close());
  const grow = await pool.run(['grow']);
  assert.equal(grow.kind, 'died');
  assert.match(grow.died ?? '', /out of memory|ERR_WORKER_OUT_OF_MEMORY/i);
  assert.equal((await pool.run(['ok'])).kind, 'finished');
});

test('the real worker runs main: exit code and output come back', async (t) => {
  const pool = new CasePool(1, 60_000);
  t.after(() => pool.close());
  const version = await pool.run(['--version']);
  assert.equal(version.kind, 'finished');
  assert.equal(version.reply?.code, 0);
  assert.match(version.reply?.stdoutHead ?? '', /^\d+\.\d+\.\d+\n$/);
  const bad = await pool.run(['info', '/nonexistent/capture.pcap']);
  assert.equal(bad.reply?.code, 2);
  assert.equal(bad.reply?.stderrHead, 'imscap: /nonexistent/capture.pcap: no such file\n');
});

test('command discovery finds every command whose help names a <capture> argument', async () => {
  const help = await imscap('--help');
  const listed = [...help.out.matchAll(/^ {2}([a-z][a-z0-9-]*)(?: \[options\])?(?: <capture>)?/gm)].map((m) => m[1] as string).filter((n) => n !== 'help');
  assert.ok(listed.length >= 2, help.out);
  const expected: string[] = [];
  for (const name of listed) {
    const h = await imscap(name, '--help');
    if (/^Usage: imscap \S+ .*<capture>/m.test(h.out)) expected.push(name);
  }
  const survey = surveyCommands();
  assert.deepEqual(survey.commands.map((c) => c.name).sort(), expected.sort());
  assert.deepEqual(survey.skipped.map((s) => s.name).sort(), listed.filter((n) => !expected.includes(n)).sort());
});

test('mutant i of a campaign is the same on every run, and the sweep reaches every record boundary', () => {
  const seeds = syntheticSeeds();
  const a = buildMutant(seeds, 42, 17);
  const b = buildMutant(seeds, 42, 17);
  assert.deepEqual(a.mutant.steps, b.mutant.steps);
  assert.deepEqual(a.mutant.bytes, b.mutant.bytes);

  // One seed: rounds 3, 7, 11, ... sweep; even sweeps cut at a record boundary.
  const one = [seeds[0] as (typeof seeds)[number]];
  const boundaries = recordBoundaries(captureLayout(one[0]?.bytes ?? new Uint8Array()));
  const cuts = new Set<number>();
  for (let sweep = 0; sweep < 2 * boundaries.length; sweep += 2) cuts.add(buildMutant(one, 1, 4 * sweep + 3).mutant.bytes.length);
  assert.deepEqual([...cuts].sort((x, y) => x - y), boundaries);
});
