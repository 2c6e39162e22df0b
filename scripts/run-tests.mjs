#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner (a directory argument finds no .ts
// files on Node 20, so the files are listed here) and refuses a run whose test count drops
// below the floor recorded in test/test-count-floor.txt: one floor for runs with the public
// capture corpus (its tests add a subtest per capture), one for runs without it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = walk(join(root, 'test')).map((f) => relative(root, f));
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-4000);
});
child.on('close', (code) => {
  const tests = Number((/^# tests (\d+)$/m.exec(tail) ?? [])[1] ?? NaN);
  const floorFile = join(root, 'test', 'test-count-floor.txt');
  const corpus = process.env.IMSCAP_CORPUS ?? resolve(root, '..', 'shared', 'corpus');
  const withCorpus = existsSync(join(corpus, 'MANIFEST.tsv'));
  const floors = Object.fromEntries(
    readFileSync(floorFile, 'utf8')
      .split('\n')
      .map((l) => /^(with-corpus|without-corpus)\s+(\d+)/.exec(l.trim()))
      .filter(Boolean)
      .map((m) => [m[1], Number(m[2])]),
  );
  const key = withCorpus ? 'with-corpus' : 'without-corpus';
  const floor = floors[key] ?? NaN;
  if (only.length === 0 && !(tests >= floor)) {
    console.error(`run-tests: ${tests} tests ran, fewer than the ${key} floor of ${floor} in test/test-count-floor.txt`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
