// The sample builder: given the speech of the committed samples it rebuilds every one of them byte
// for byte (the signalling, timing, jitter and packets are fixed; only espeak-ng / sox output
// varies between machines); with fresh speech it makes the same calls around other frames; it
// never replaces a file without --force and leaves nothing behind but the samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NO_DATA, scratchDir, sidType, type FixtureAmrFrame } from '../fixtures/amr-frames.js';
import { needTools } from '../support/environment.js';
import { SAMPLE_NAMES, SPEECH, buildSamples, buildSamplesCli, framesBySsrc, recoverSpeech, trimNoData, withJitter, type SpeechKey } from '../../scripts/build-samples.js';
import { samplePath, samplesDir, tsharkRows } from './samples-support.js';

const MAX_SAMPLE_BYTES = 200 * 1024;

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await buildSamplesCli(args, (text) => out.push(text));
  return { code, out: out.join('') };
}

function committed(name: string): Buffer {
  return readFileSync(samplePath(name));
}

test('the committed samples are what the builder makes from their own speech, byte for byte, each under 200 KB', async () => {
  assert.deepEqual(readdirSync(samplesDir).filter((f) => f.endsWith('.pcap')).sort(), [...SAMPLE_NAMES].sort());
  const built = buildSamples(await recoverSpeech(samplesDir));
  for (const name of SAMPLE_NAMES) {
    const bytes = built.get(name);
    assert.ok(bytes !== undefined);
    assert.ok(Buffer.from(bytes).equals(committed(name)), `${name} differs from its rebuild: run npm run samples -- --force --reuse-speech`);
    assert.ok(bytes.length < MAX_SAMPLE_BYTES, `${name}: ${bytes.length} bytes`);
  }
});

test('existing samples are not replaced without --force; --force --reuse-speech rewrites them identically and leaves no temporary file', async (t) => {
  const dir = scratchDir(t);
  for (const name of SAMPLE_NAMES) copyFileSync(samplePath(name), join(dir, name));
  const before = SAMPLE_NAMES.map((name) => statSync(join(dir, name)).mtimeMs);
  const refused = await cli('--out', dir, '--reuse-speech');
  assert.equal(refused.code, 2);
  for (const name of SAMPLE_NAMES) assert.ok(refused.out.includes(join(dir, name)), `names ${name}`);
  assert.match(refused.out, /use --force to overwrite/);
  assert.deepEqual(SAMPLE_NAMES.map((name) => statSync(join(dir, name)).mtimeMs), before);

  const forced = await cli('--out', dir, '--reuse-speech', '--force');
  assert.equal(forced.code, 0, forced.out);
  assert.deepEqual(readdirSync(dir).sort(), [...SAMPLE_NAMES].sort());
  for (const name of SAMPLE_NAMES) assert.ok(readFileSync(join(dir, name)).equals(committed(name)), name);
});

test('--reuse-speech builds the committed samples into an empty directory; usage errors exit 2 and write nothing', async (t) => {
  const dir = scratchDir(t);
  const unknown = await cli('--out', dir, '--overwrite');
  assert.equal(unknown.code, 2);
  assert.match(unknown.out, /usage: npm run samples/);
  const positional = await cli(dir);
  assert.equal(positional.code, 2);
  assert.deepEqual(readdirSync(dir), []);
  await assert.rejects(recoverSpeech(dir), /volte-call\.pcap is missing: its speech cannot be reused/);

  const fresh = join(dir, 'new');
  const r = await cli('--out', fresh, '--reuse-speech');
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(readdirSync(fresh).sort(), [...SAMPLE_NAMES].sort());
  for (const name of SAMPLE_NAMES) assert.ok(readFileSync(join(fresh, name)).equals(committed(name)), name);
});

test('trimNoData drops only leading and trailing NO_DATA; withJitter delays each packet by at most its bound and keeps the order', () => {
  const f = (ft: number): FixtureAmrFrame => ({ ft, q: true, bits: new Uint8Array(ft === NO_DATA ? 0 : 1) });
  const frames = [f(NO_DATA), f(NO_DATA), f(7), f(NO_DATA), f(8), f(NO_DATA)];
  assert.deepEqual(trimNoData(frames), frames.slice(2, 5));
  assert.deepEqual(trimNoData([f(NO_DATA)]), []);
  const packets = Array.from({ length: 200 }, (_, i) => ({ at: 1 + i * 0.02, bytes: Uint8Array.of(i) }));
  const jittered = withJitter(packets, 6, 12);
  jittered.forEach((p, i) => {
    const delay = p.at - (packets[i]?.at ?? NaN);
    assert.ok(delay >= 0 && delay <= 0.006 + 1e-9, `packet ${i} delayed ${delay}`);
    assert.equal(p.bytes, packets[i]?.bytes);
  });
  assert.deepEqual(withJitter(packets, 6, 12), jittered, 'seeded');
  assert.ok(new Set(jittered.map((p, i) => Math.round((p.at - (packets[i]?.at ?? 0)) * 1e6))).size > 50, 'delays vary');
});

test('fresh speech (espeak-ng, sox): each stream in its AMR mode with DTX, the same calls around it, the other samples unchanged', async (t) => {
  if (!needTools(t, 'espeak-ng', 'sox', 'tshark')) return;
  const dir = scratchDir(t);
  const r = await cli('--out', dir);
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(readdirSync(dir).sort(), [...SAMPLE_NAMES].sort());
  // No speech in these: identical wherever they are built.
  for (const name of ['sqn-resync-loop.pcap', 'volte-registration.pcap'] as const) assert.ok(readFileSync(join(dir, name)).equals(committed(name)), name);

  const streams = new Map<string, Map<number, FixtureAmrFrame[]>>();
  for (const key of Object.keys(SPEECH) as SpeechKey[]) {
    const line = SPEECH[key];
    let bySsrc = streams.get(line.sample);
    if (bySsrc === undefined) {
      bySsrc = await framesBySsrc(join(dir, line.sample));
      streams.set(line.sample, bySsrc);
    }
    const frames = bySsrc.get(line.ssrc);
    assert.ok(frames !== undefined, `${key}: stream 0x${line.ssrc.toString(16)}`);
    const types = new Set(frames.map((x) => x.ft));
    assert.ok(types.has(line.mode), `${key}: speech in mode ${line.mode}`);
    assert.deepEqual([...types].filter((ft) => ![line.mode, sidType(false), NO_DATA].includes(ft)), [], `${key}: only mode ${line.mode}, SID and NO_DATA`);
    assert.ok(frames.filter((x) => x.ft === line.mode).length >= 50, `${key}: at least a second of speech`);
  }
  const callee = streams.get(SPEECH.callee.sample)?.get(SPEECH.callee.ssrc) ?? [];
  assert.ok(callee.filter((x) => x.ft === NO_DATA).length > callee.length / 3, 'the called side is silent (DTX) much of the call');

  const ladder = (path: string): string[] => tsharkRows(path, ['sip.Method', 'sip.Status-Code', 'sip.CSeq.method'], 'sip').map(([m, s, c]) => (m ? m : `${s} ${c}`));
  for (const name of ['volte-call.pcap', 'mode-set-violation.pcap']) assert.deepEqual(ladder(join(dir, name)), ladder(samplePath(name)), name);

  const again = await cli('--out', dir);
  assert.equal(again.code, 2);
});
