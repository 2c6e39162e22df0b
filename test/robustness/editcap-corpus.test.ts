// `editcap -E 0.02` corrupts about one byte in fifty of every packet (never a record header) of
// every corpus capture: every capture command still finishes cleanly (no crash, no overrun, no
// stack trace), and info still counts every frame capinfos counts in the corrupted file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runOnCapture } from '../../scripts/fuzz/run-capture.js';
import type { CommandVariant } from '../../scripts/fuzz/commands.js';
import { corpusCaptures, needTools } from '../support/environment.js';
import { harness } from './support.js';


test('editcap -E 0.02 over every corpus capture: every command copes, frames as capinfos counts them', async (t) => {
  if (!needTools(t, 'editcap', 'capinfos')) return;
  const paths = corpusCaptures(t);
  if (paths === undefined) return;
  assert.ok(paths.length > 0);
  const { pool, scratch, commands } = await harness(t, 30_000);
  const infoJson: CommandVariant = { label: 'info --format json', argv: (capture) => ['info', capture, '--format', 'json'] };
  for (const [i, path] of paths.entries()) {
    const corrupted = join(scratch.root, `corrupted-${basename(path)}`);
    // A fixed seed per file: the same corruption on every run.
    execFileSync('editcap', ['-E', '0.02', '--seed', String(i + 1), path, corrupted], { stdio: 'ignore' });
    const capinfos = execFileSync('capinfos', ['-T', '-r', '-c', '-M', corrupted], { encoding: 'utf8' });
    const expected = Number(capinfos.trim().split('\t')[1]);
    // Each command with one of its option combinations (rotating over the files).
    const choices = [
      { command: 'info', variant: infoJson },
      ...commands.map((c) => ({ command: c.name, variant: c.variants[i % c.variants.length] as CommandVariant })),
    ];
    const run = await runOnCapture(pool, choices, new Uint8Array(readFileSync(corrupted)), join(scratch.root, `case-${i}`), basename(corrupted), scratch.cwd);
    run.cleanup();
    for (const c of run.cases) {
      assert.equal(c.verdict, undefined, `${basename(path)}: ${c.variant.label}: ${c.verdict?.reason ?? ''}`);
      assert.notEqual(c.outcome.reply?.code, 2, `${basename(path)}: ${c.variant.label}: still a readable capture`);
    }
    const info = JSON.parse(run.cases[0]?.outcome.reply?.stdoutHead ?? '{}') as { frames?: number };
    assert.equal(info.frames, expected, `${basename(path)}: frames after corruption`);
  }
});
