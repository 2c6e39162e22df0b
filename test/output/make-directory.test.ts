// `mkdir -p` for --out: every missing level made, a file in the way or a refusing file system
// an error naming the path — never a hang (Node's recursive mkdirSync loops forever when
// mkdir(2) answers ENOENT for a directory whose parent exists, as /proc does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeDirectory } from '../../src/output/make-directory.js';
import { scratchDir } from '../fixtures/amr-frames.js';
import { repoRoot } from '../support/environment.js';

test('makeDirectory: missing levels are made, an existing directory is fine, a file in the way is ENOTDIR', (t) => {
  const dir = scratchDir(t);
  const deep = join(dir, 'a', 'b', 'c');
  makeDirectory(deep);
  assert.ok(statSync(deep).isDirectory());
  makeDirectory(deep);
  makeDirectory(dir);
  writeFileSync(join(dir, 'file'), 'x');
  assert.throws(() => makeDirectory(join(dir, 'file', 'sub')), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR');
  assert.throws(() => makeDirectory(join(dir, 'file')), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR');
  assert.ok(!existsSync(join(dir, 'file', 'sub')));
});

test('makeDirectory: a file system that refuses the directory (/proc) is an error, not a hang', (t) => {
  if (!existsSync('/proc/self')) return t.skip('no /proc on this system');
  // In a child with a deadline: a hang there fails this test instead of stopping the run.
  const module = pathToFileURL(join(repoRoot, 'src', 'output', 'make-directory.ts')).href;
  const script = `import(${JSON.stringify(module)}).then((m) => { try { m.makeDirectory('/proc/imscap-no-such/dir'); console.log('made'); } catch (e) { console.log('error', e.code); } });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 30_000, cwd: repoRoot });
  assert.equal(r.signal, null, 'it returned before the deadline');
  assert.match(r.stdout, /^error (ENOENT|EACCES|EPERM|EROFS)$/m, r.stderr);
});
