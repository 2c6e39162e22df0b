// An interrupted run leaves no half files: imscap reads a capture from a pipe that stays open,
// so it is mid-pass (with output files open, for commands that write while they read) when
// SIGINT arrives; afterwards the output directory holds no temporary and no partial file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandVariant } from '../../scripts/fuzz/commands.js';
import { sipCallCapture } from '../../scripts/fuzz/synthetic.js';
import { repoRoot } from '../support/environment.js';
import { captureCommands, scratchDir } from './support.js';

interface Interrupted {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** Whether temporary files were there when the signal was sent. */
  readonly sawTemporary: boolean;
}

const listTree = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : []);

/**
 * Runs `argv` (capture '-') fed `bytes` through a pipe left open, then sends SIGINT: as soon as
 * temporary files appear when `expectFiles` (the command writes while it reads), else after a while.
 */
async function interrupt(argv: readonly string[], bytes: Uint8Array, outDir: string, expectFiles: boolean): Promise<Interrupted> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...argv], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.stdin.write(bytes);
  let sawTemporary = false;
  const patience = expectFiles ? 60_000 : 8_000;
  for (let waited = 0; waited < patience && !sawTemporary && child.exitCode === null; waited += 100) {
    await sleep(100);
    sawTemporary = listTree(outDir).some((f) => f.endsWith('.tmp'));
  }
  child.kill('SIGINT');
  const { code, signal } = await exited;
  child.stdin.destroy();
  return { code, signal, stderr, sawTemporary };
}

test('SIGINT mid-pass: no temporary file, no partial output, exit 130', async (t) => {
  const writers: Array<{ name: string; variant: CommandVariant }> = captureCommands().flatMap((c) => {
    const v = c.variants.find((x) => / (DIR|FILE)\b/.test(x.label));
    return v === undefined ? [] : [{ name: c.name, variant: v }];
  });
  if (writers.length === 0) return t.skip('no command writes files');
  const dir = scratchDir(t);
  // A call with RTP, and more frames to come: the pipe stays open.
  const capture = sipCallCapture('sigint-1@x');
  const results = await Promise.all(
    writers.map(async (w) => {
      const outDir = join(dir, `out-${w.name}`);
      mkdirSync(outDir, { recursive: true });
      const argv = w.variant.argv('-', outDir);
      return { ...w, outDir, result: await interrupt(argv, capture, outDir, / DIR\b/.test(w.variant.label)) };
    }),
  );
  for (const { name, variant, outDir, result } of results) {
    assert.ok(result.code === 130 || result.signal === 'SIGINT', `${name}: exit ${String(result.code)} ${String(result.signal)}: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /^\s+at /m, name);
    assert.deepEqual(listTree(outDir), [], `${name}: nothing left in the output directory`);
    // A command that writes into a directory has its files open while it reads: the signal came then.
    if (/ DIR\b/.test(variant.label)) assert.ok(result.sawTemporary, `${name}: interrupted with its files open`);
  }
});
