import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AmrStorageWriter } from '../../src/media/amr-storage.js';
import { MemoryByteSink } from '../../src/media/byte-sink.js';
import { NO_DATA, run, scratchDir, speechAmrNb, storageFile, synthAmrWbFrames, synthFrames, type FixtureAmrFrame } from '../fixtures/amr-frames.js';
import { needTools } from '../support/environment.js';

function write(frames: readonly FixtureAmrFrame[], wideband: boolean): Uint8Array {
  const sink = new MemoryByteSink();
  const w = new AmrStorageWriter(sink, wideband);
  for (const f of frames) w.writeFrame(f);
  w.finish();
  assert.equal(w.framesWritten, frames.length);
  return sink.bytes().slice();
}

/** Samples sox decodes from a storage file: 16-bit mono, so bytes / 2. */
function soxSamples(path: string, wideband: boolean): number {
  const raw = run('sh', ['-c', `sox -t ${wideband ? 'amr-wb' : 'amr-nb'} '${path}' -t s16 -c 1 - | wc -c`]);
  return Number(raw.trim()) / 2;
}

test('frames sox encoded, written back, give the very file sox wrote (AMR-NB, several modes, DTX)', (t) => {
  if (!needTools(t, 'sox', 'espeak-ng')) return;
  for (const mode of [0, 4, 7]) {
    const { file, frames } = speechAmrNb(mode);
    const types = new Set(frames.map((f) => f.ft));
    assert.ok(types.has(mode) && types.has(8) && types.has(NO_DATA), `mode ${mode}: speech, SID and NO_DATA present`);
    assert.deepEqual(write(frames, false), file);
  }
});

test('AMR-WB frames of every type: the file is the RFC 4867 §5 layout and sox decodes frames × 20 ms', (t) => {
  const frames = synthAmrWbFrames(42, 300);
  const bytes = write(frames, true);
  assert.deepEqual(bytes, storageFile(frames, true));
  assert.deepEqual([...bytes.subarray(0, 9)], [...new TextEncoder().encode('#!AMR-WB\n')]);
  if (!needTools(t, 'sox')) return;
  const dir = scratchDir(t);
  const path = join(dir, 'wb.awb');
  writeFileSync(path, bytes);
  assert.equal(soxSamples(path, true), frames.length * 320);
});

test('AMR-NB from sox decodes to frames × 20 ms after the round trip through the writer', (t) => {
  if (!needTools(t, 'sox', 'espeak-ng')) return;
  const { frames } = speechAmrNb(2);
  const dir = scratchDir(t);
  const path = join(dir, 'nb.amr');
  writeFileSync(path, write(frames, false));
  assert.equal(soxSamples(path, false), frames.length * 160);
});

test('an empty stream is just the magic number; bytes reach the sink in blocks', () => {
  assert.deepEqual([...write([], false)], [...new TextEncoder().encode('#!AMR\n')]);
  const chunks: number[] = [];
  const w = new AmrStorageWriter({ write: (c) => chunks.push(c.length) }, true);
  const frames = synthAmrWbFrames(1, 2000);
  for (const f of frames) w.writeFrame(f);
  assert.ok(chunks.length >= 1, 'full blocks are handed over before finish');
  w.finish();
  assert.equal(
    chunks.reduce((a, b) => a + b, 0),
    storageFile(frames, true).length,
  );
  assert.ok(chunks.length < 20, `few large writes, got ${chunks.length}`);
});

test('frames that do not match their frame type are refused before they corrupt the file', () => {
  const w = new AmrStorageWriter(new MemoryByteSink(), false);
  assert.throws(() => w.writeFrame({ ft: 7, q: true, bits: new Uint8Array(30) }), RangeError);
  assert.throws(() => w.writeFrame({ ft: 12, q: true, bits: new Uint8Array(0) }), RangeError);
  assert.throws(() => w.writeFrame({ ft: NO_DATA, q: true, bits: new Uint8Array(1) }), RangeError);
  w.writeFrame({ ft: NO_DATA, q: true, bits: new Uint8Array(0) });
  assert.equal(w.framesWritten, 1);
});

test('frames given as octet ranges and NO_DATA runs make the same file as frames one by one, across many reused blocks', () => {
  for (const wideband of [false, true]) {
    const frames = synthFrames(wideband, 7, 4000);
    const expected = write(frames, wideband);
    // The octets sit at odd places of one shared buffer, as they do in a timeline's ring.
    const pool = new Uint8Array(frames.length * 64 + 3);
    const sink = new MemoryByteSink();
    const w = new AmrStorageWriter(sink, wideband);
    let run = 0;
    frames.forEach((f, i) => {
      if (f.ft === NO_DATA && f.q) {
        run++;
        return;
      }
      if (run > 0) w.noData(run);
      run = 0;
      const at = 3 + i * 61;
      pool.set(f.bits, at);
      w.frame(f.ft, f.q, pool, at, at + f.bits.length);
    });
    if (run > 0) w.noData(run);
    w.finish();
    assert.equal(w.framesWritten, frames.length);
    assert.ok(expected.length > 2 * 16384, `the output spans several blocks (${expected.length} octets)`);
    assert.deepEqual(sink.bytes(), expected, wideband ? 'AMR-WB' : 'AMR');
  }
});
