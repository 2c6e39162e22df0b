// Output files written through the thread pool: the same guarantees as AtomicFile (nothing under
// the name before commit, no temporary left, an existing file kept without force), writes in
// order, failures reported by drain/backpressure, and queued bytes bounded by backpressure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputDirectoryError, OutputExistsError } from '../../src/output/atomic-file.js';
import { OutputQueue, QueuedAtomicFile } from '../../src/output/queued-file.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'imscap-queued-'));
}

function pattern(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed * 7 + i * 13) & 0xff;
  return b;
}

test('writes land in order, a header patched last included, and the file appears only on commit', async () => {
  const d = dir();
  const q = new OutputQueue();
  const f = new QueuedAtomicFile(q, join(d, 'a.3ga'), false);
  const expected: number[] = [];
  f.write(new Uint8Array(8));
  expected.push(...new Uint8Array(8));
  for (let i = 0; i < 200; i++) {
    const chunk = pattern(1 + ((i * 37) % 5000), i);
    f.write(chunk);
    expected.push(...chunk);
  }
  f.writeAt(Uint8Array.of(1, 2, 3, 4), 2);
  expected.splice(2, 4, 1, 2, 3, 4);
  assert.equal(f.size, expected.length);
  await q.drain();
  assert.deepEqual(readdirSync(d).filter((n) => n === 'a.3ga'), [], 'not there before commit');
  f.commit();
  await q.drain();
  assert.deepEqual(readdirSync(d), ['a.3ga']);
  assert.deepEqual(Array.from(readFileSync(join(d, 'a.3ga'))), expected);
  assert.equal(q.pending, 0);
});

test('many files at once, each complete and in its own order', async () => {
  const d = dir();
  const q = new OutputQueue();
  const files = Array.from({ length: 300 }, (_, i) => new QueuedAtomicFile(q, join(d, `s${i}.amr`), false));
  for (let round = 0; round < 20; round++) files.forEach((f, i) => f.write(pattern(50, i * 100 + round)));
  files.forEach((f) => f.commit());
  await q.drain();
  assert.equal(readdirSync(d).length, 300);
  for (const i of [0, 137, 299]) {
    const want: number[] = [];
    for (let round = 0; round < 20; round++) want.push(...pattern(50, i * 100 + round));
    assert.deepEqual(Array.from(readFileSync(join(d, `s${i}.amr`))), want);
  }
});

test('an existing file is kept: refused at once without force, replaced with it', async () => {
  const d = dir();
  const p = join(d, 'keep.amr');
  writeFileSync(p, 'user data');
  const q = new OutputQueue();
  assert.throws(() => new QueuedAtomicFile(q, p, false), OutputExistsError);
  const f = new QueuedAtomicFile(q, p, true);
  f.write(Buffer.from('new'));
  f.commit();
  await q.drain();
  assert.equal(readFileSync(p, 'utf8'), 'new');
  assert.deepEqual(readdirSync(d), ['keep.amr']);
});

test('a file that appears while ours is written is not replaced; drain reports it', async () => {
  const d = dir();
  const p = join(d, 'race.amr');
  const q = new OutputQueue();
  const f = new QueuedAtomicFile(q, p, false);
  f.write(Buffer.from('ours'));
  writeFileSync(p, 'theirs');
  f.commit();
  await assert.rejects(q.drain(), OutputExistsError);
  assert.equal(readFileSync(p, 'utf8'), 'theirs');
  assert.deepEqual(readdirSync(d), ['race.amr']);
});

test('abort leaves neither the file nor a temporary one, even with writes still queued', async () => {
  const d = dir();
  const q = new OutputQueue();
  const f = new QueuedAtomicFile(q, join(d, 'gone.amr'), false);
  for (let i = 0; i < 50; i++) f.write(pattern(10_000, i));
  f.abort();
  await q.drain();
  assert.deepEqual(readdirSync(d), []);
  assert.equal(q.pending, 0, 'dropped writes are no longer pending');
});

test('a directory that does not exist fails the queue: drain and backpressure reject', async () => {
  const d = dir();
  rmSync(d, { recursive: true });
  const q = new OutputQueue();
  const f = new QueuedAtomicFile(q, join(d, 'x.amr'), false);
  f.write(pattern(100, 1));
  f.commit();
  await assert.rejects(q.drain(), (e: unknown) => e instanceof OutputDirectoryError && /does not exist/.test(e.message));
  await assert.rejects(q.backpressure(), OutputDirectoryError);
  assert.equal(q.pending, 0);
});

test('backpressure resolves only once the queued bytes are under the limit', async () => {
  const d = dir();
  const limit = 64 * 1024;
  const q = new OutputQueue(limit);
  const f = new QueuedAtomicFile(q, join(d, 'big.amr'), false);
  for (let i = 0; i < 64; i++) f.write(pattern(16 * 1024, i));
  assert.equal(q.pending, 64 * 16 * 1024);
  await q.backpressure();
  assert.ok(q.pending <= limit, `${q.pending} bytes still queued`);
  f.commit();
  await q.drain();
  assert.equal(readFileSync(join(d, 'big.amr')).length, 64 * 16 * 1024);
});
