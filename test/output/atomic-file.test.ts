import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { AtomicFile, OutputExistsError, temporaryPathFor, writeFileAtomic } from '../../src/output/atomic-file.js';
import { safeComponent, uniqueName } from '../../src/output/safe-name.js';

test('a new file appears only on commit, with no temporary left behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-out-'));
  const f = new AtomicFile(join(dir, 'a.amr'), false);
  f.write(Buffer.from('#!AMR\n'));
  assert.deepEqual(readdirSync(dir).filter((n) => n === 'a.amr'), []);
  f.commit();
  assert.equal(readFileSync(join(dir, 'a.amr'), 'utf8'), '#!AMR\n');
  assert.deepEqual(readdirSync(dir), ['a.amr']);
});

test('an existing file is kept unless force is given', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-out-'));
  const p = join(dir, 'keep.txt');
  writeFileSync(p, 'user data');
  assert.throws(() => writeFileAtomic(p, 'new', false), OutputExistsError);
  assert.equal(readFileSync(p, 'utf8'), 'user data');
  writeFileAtomic(p, 'new', true);
  assert.equal(readFileSync(p, 'utf8'), 'new');
  assert.deepEqual(readdirSync(dir), ['keep.txt']);
});

test('a file that appears during the write is not replaced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-out-'));
  const p = join(dir, 'race.txt');
  const f = new AtomicFile(p, false);
  f.write(Buffer.from('ours'));
  writeFileSync(p, 'theirs');
  assert.throws(() => f.commit(), OutputExistsError);
  assert.equal(readFileSync(p, 'utf8'), 'theirs');
  assert.deepEqual(readdirSync(dir), ['race.txt']);
});

test('abort leaves nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-out-'));
  const f = new AtomicFile(join(dir, 'x.bin'), false);
  f.write(new Uint8Array(10));
  f.abort();
  assert.deepEqual(readdirSync(dir), []);
});

test('names from packet data cannot escape the output directory', () => {
  for (const evil of ['../../etc/passwd', '..', '.', '', '/abs/path', 'a\u0000b', 'C:\\win', '\n\r\t', 'x'.repeat(500)]) {
    const name = safeComponent(evil);
    assert.match(name, /^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
    assert.ok(name.length <= 80);
    assert.ok(!name.includes('/') && name !== '.' && name !== '..');
  }
  assert.equal(safeComponent('abc-123_x.y'), 'abc-123_x.y');
  const used = new Set<string>();
  assert.deepEqual(['a.amr', 'a.amr', 'a.amr'].map((n) => uniqueName(n, used)), ['a.amr', 'a-2.amr', 'a-3.amr']);
});

test('temporary names: hidden, beside the target, ending .tmp, never the same twice in a run', () => {
  const target = join(tmpdir(), 'out', 'call-1.amr');
  const names = Array.from({ length: 1000 }, () => temporaryPathFor(target));
  assert.equal(new Set(names).size, names.length);
  for (const n of names) {
    assert.equal(dirname(n), dirname(target));
    assert.ok(basename(n).startsWith('.call-1.amr.') && n.endsWith('.tmp'), n);
  }
});
