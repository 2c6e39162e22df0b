#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner (a directory argument finds no .ts
// files on Node 20, so the files are listed here) and refuses a run whose test count drops
// below the floor recorded in test/test-count-floor.txt.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
  const floor = Number(readFileSync(floorFile, 'utf8').trim());
  if (only.length === 0 && !(tests >= floor)) {
    console.error(`run-tests: ${tests} tests ran, fewer than the floor of ${floor} in test/test-count-floor.txt`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
