import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ThreeGpAmrWriter } from '../../src/media/threegp.js';
import { MemoryByteSink } from '../../src/media/byte-sink.js';
import { AtomicFile } from '../../src/output/atomic-file.js';
import { run, scratchDir, speechAmrNb, storageFile, synthAmrWbFrames, type FixtureAmrFrame } from '../fixtures/amr-frames.js';
import { needTools } from '../support/environment.js';

function write3gp(frames: readonly FixtureAmrFrame[], wideband: boolean): Uint8Array {
  const sink = new MemoryByteSink();
  const w = new ThreeGpAmrWriter(sink, wideband);
  for (const f of frames) w.writeFrame(f);
  w.finish();
  assert.equal(w.framesWritten, frames.length);
  return sink.bytes().slice();
}

interface Box {
  type: string;
  start: number;
  size: number;
  body: Uint8Array;
}

/** ISO/IEC 14496-12 §4.2 box walk over `bytes` (32-bit sizes only, as the writer uses). */
function boxes(bytes: Uint8Array, offset = 0): Box[] {
  const out: Box[] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + 8 <= bytes.length) {
    const size = v.getUint32(at);
    assert.ok(size >= 8 && at + size <= bytes.length, `box at ${offset + at} has a sane size`);
    out.push({ type: Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1'), start: offset + at, size, body: bytes.subarray(at + 8, at + size) });
    at += size;
  }
  assert.equal(at, bytes.length, 'boxes tile their parent exactly');
  return out;
}

function child(parent: Uint8Array, path: string[], base = 0): Box {
  let list = boxes(parent, base);
  let found: Box | undefined;
  for (const [i, type] of path.entries()) {
    found = list.find((b) => b.type === type);
    assert.ok(found !== undefined, `box ${path.slice(0, i + 1).join('/')}`);
    if (i < path.length - 1) {
      // stsd and dref carry a FullBox header and an entry count before their children.
      const skip = type === 'stsd' || type === 'dref' ? 8 : type === 'samr' || type === 'sawb' ? 28 : 0;
      list = boxes(found.body.subarray(skip), found.start + 8 + skip);
    }
  }
  return found as Box;
}

function probe(path: string): { codec: string; sampleRate: number; duration: number; frames: number; format: string } {
  const json = JSON.parse(run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path])) as {
    streams: { codec_name: string; sample_rate: string; duration: string; nb_frames: string }[];
    format: { format_name: string; duration: string };
  };
  const s = json.streams[0];
  assert.ok(s !== undefined && json.streams.length === 1, 'one stream');
  return { codec: s.codec_name, sampleRate: Number(s.sample_rate), duration: Number(json.format.duration), frames: Number(s.nb_frames), format: json.format.format_name };
}

test('the file is well formed: sample table matches the frames, mdat holds them in storage framing', () => {
  const frames = synthAmrWbFrames(8, 120);
  const bytes = write3gp(frames, true);
  const top = boxes(bytes);
  assert.deepEqual(
    top.map((b) => b.type),
    ['ftyp', 'mdat', 'moov'],
  );
  assert.equal(Buffer.from(top[0]?.body.subarray(0, 4) ?? []).toString('latin1'), '3gp4');
  // mdat = every frame with its header octet, exactly the storage file without the magic.
  const expectedData = storageFile(frames, true).subarray('#!AMR-WB\n'.length);
  assert.deepEqual(top[1]?.body, expectedData);

  const moov = top[2]?.body as Uint8Array;
  const moovBase = (top[2]?.start ?? 0) + 8;
  const stbl = ['trak', 'mdia', 'minf', 'stbl'];
  const stsz = child(moov, [...stbl, 'stsz'], moovBase);
  const sv = new DataView(stsz.body.buffer, stsz.body.byteOffset, stsz.body.byteLength);
  assert.equal(sv.getUint32(8), frames.length);
  for (let i = 0; i < frames.length; i++) assert.equal(sv.getUint32(12 + 4 * i), 1 + (frames[i]?.bits.length ?? 0));
  const stco = child(moov, [...stbl, 'stco'], moovBase);
  const cv = new DataView(stco.body.buffer, stco.body.byteOffset, stco.body.byteLength);
  assert.equal(cv.getUint32(8), (top[1]?.start ?? 0) + 8, 'the chunk starts at the first frame');
  const stts = child(moov, [...stbl, 'stts'], moovBase);
  const tv = new DataView(stts.body.buffer, stts.body.byteOffset, stts.body.byteLength);
  assert.deepEqual([tv.getUint32(4), tv.getUint32(8), tv.getUint32(12)], [1, frames.length, 320]);
  const mdhd = child(moov, ['trak', 'mdia', 'mdhd'], moovBase);
  const mv = new DataView(mdhd.body.buffer, mdhd.body.byteOffset, mdhd.body.byteLength);
  assert.deepEqual([mv.getUint32(12), mv.getUint32(16)], [16000, frames.length * 320]);
  const damr = child(moov, [...stbl, 'stsd', 'sawb', 'damr'], moovBase);
  const modeSet = frames.reduce((m, f) => m | (1 << f.ft), 0);
  assert.equal((damr.body[5] as number) * 256 + (damr.body[6] as number), modeSet);
  assert.equal(damr.body[8], 1, 'frames_per_sample');
});

test('ffprobe reads AMR-NB (sox speech) and AMR-WB tracks with the right codec and duration', (t) => {
  if (!needTools(t, 'ffprobe', 'sox', 'espeak-ng')) return;
  const dir = scratchDir(t);
  const cases: [string, boolean, readonly FixtureAmrFrame[]][] = [
    ['nb.3ga', false, speechAmrNb(7).frames],
    ['wb.3ga', true, synthAmrWbFrames(9, 333)],
  ];
  for (const [name, wideband, frames] of cases) {
    const path = join(dir, name);
    writeFileSync(path, write3gp(frames, wideband));
    const p = probe(path);
    assert.equal(p.codec, wideband ? 'amr_wb' : 'amr_nb');
    assert.equal(p.sampleRate, wideband ? 16000 : 8000);
    assert.equal(p.frames, frames.length);
    assert.ok(Math.abs(p.duration - frames.length * 0.02) < 1e-6, `${name}: ${p.duration} s for ${frames.length} frames`);
    assert.match(p.format, /3gp/);
  }
});

test('ffmpeg decodes the 3GP track to the same audio as the storage file of the same frames', (t) => {
  if (!needTools(t, 'ffmpeg', 'sox', 'espeak-ng')) return;
  const dir = scratchDir(t);
  for (const [wideband, frames] of [
    [false, speechAmrNb(4).frames],
    [true, synthAmrWbFrames(10, 200)],
  ] as const) {
    const amr = join(dir, wideband ? 'a.awb' : 'a.amr');
    const gp = join(dir, wideband ? 'a-wb.3ga' : 'a-nb.3ga');
    writeFileSync(amr, storageFile(frames, wideband));
    writeFileSync(gp, write3gp(frames, wideband));
    const pcm = (p: string): string => run('sh', ['-c', `ffmpeg -v error -i '${p}' -f s16le -ac 1 - | sha256sum`]);
    assert.equal(pcm(gp), pcm(amr));
  }
});

test('written through an atomic output file, the mdat size is patched in place', (t) => {
  if (!needTools(t, 'ffprobe')) return;
  const dir = scratchDir(t);
  const path = join(dir, 'call.3ga');
  const frames = synthAmrWbFrames(12, 1500);
  const file = new AtomicFile(path, false);
  const w = new ThreeGpAmrWriter(file, true);
  for (const f of frames) w.writeFrame(f);
  w.finish();
  file.commit();
  const bytes = new Uint8Array(readFileSync(path));
  assert.deepEqual(bytes, write3gp(frames, true));
  const p = probe(path);
  assert.equal(p.frames, 1500);
  assert.ok(Math.abs(p.duration - 30) < 1e-6);
});

test('a stream without frames still makes a valid (empty) file', (t) => {
  const bytes = write3gp([], false);
  assert.deepEqual(
    boxes(bytes).map((b) => [b.type, b.type === 'mdat' ? b.size : 0]),
    [
      ['ftyp', 0],
      ['mdat', 8],
      ['moov', 0],
    ],
  );
  if (!needTools(t, 'ffprobe')) return;
  const path = join(scratchDir(t), 'empty.3ga');
  writeFileSync(path, bytes);
  assert.equal(probe(path).codec, 'amr_nb');
});

test('NO_DATA runs and octet ranges make the same 3GP file as frames one by one', () => {
  const frames = synthAmrWbFrames(11, 1500);
  const expected = write3gp(frames, true);
  const sink = new MemoryByteSink();
  const w = new ThreeGpAmrWriter(sink, true);
  let run = 0;
  for (const f of frames) {
    if (f.ft === 15 && f.q) {
      run++;
      continue;
    }
    if (run > 0) w.noData(run);
    run = 0;
    const pool = new Uint8Array(f.bits.length + 5);
    pool.set(f.bits, 5);
    w.frame(f.ft, f.q, pool, 5, 5 + f.bits.length);
  }
  if (run > 0) w.noData(run);
  w.finish();
  assert.equal(w.framesWritten, frames.length);
  assert.deepEqual(sink.bytes(), expected);
});
