import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { detectAmrFormat, type AmrFormatGuess, type AmrFormatSample } from '../../../src/protocols/amr/detect.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { NO_DATA, packAmrPayload, seededRandom, synthFrames } from '../../fixtures/amr-frames.js';
import { corpusFile, needTools } from '../../support/environment.js';

function guess(samples: readonly AmrFormatSample[], wideband?: boolean): AmrFormatGuess {
  const g = detectAmrFormat(samples, wideband);
  if (isDecodeError(g)) assert.fail(g.reason);
  return g;
}

/** The first `count` packets of a stream the test packs, 1–3 frames each, with timestamps. */
function stream(wideband: boolean, octetAligned: boolean, seed: number, count = 20): AmrFormatSample[] {
  const random = seededRandom(seed);
  const frames = synthFrames(wideband, seed, count * 3).filter((f) => f.ft !== NO_DATA);
  const samples: AmrFormatSample[] = [];
  let ts = 0x7ffffff0;
  for (let i = 0; samples.length < count && i < frames.length; ) {
    const n = 1 + Math.floor(random() * 3);
    const group = frames.slice(i, i + n);
    samples.push({ payload: packAmrPayload(group, { wideband, octetAligned }), timestamp: ts >>> 0 });
    ts += group.length * (wideband ? 320 : 160);
    i += n;
  }
  return samples;
}

for (const wideband of [false, true]) {
  for (const octetAligned of [false, true]) {
    const label = `${wideband ? 'AMR-WB' : 'AMR'} ${octetAligned ? 'octet-aligned' : 'bandwidth-efficient'}`;
    test(`${label} is recognised with the codec known and unknown`, () => {
      for (const seed of [1, 2, 3]) {
        const samples = stream(wideband, octetAligned, seed);
        for (const known of [wideband, undefined]) {
          const g = guess(samples, known);
          assert.equal(g.octetAligned, octetAligned, `seed ${seed}: ${g.note}`);
          assert.equal(g.wideband, wideband, `seed ${seed}: ${g.note}`);
          assert.equal(g.consistent, samples.length);
          assert.notEqual(g.confidence, 'low', g.note);
        }
      }
    });
  }
}

test('NO_DATA-only packets fit AMR and AMR-WB alike: the RTP clock decides, with low confidence', () => {
  const noData = [{ ft: NO_DATA, q: true, bits: new Uint8Array(0) }];
  for (const wideband of [false, true]) {
    const step = wideband ? 320 : 160;
    const samples = Array.from({ length: 12 }, (_, i) => ({ payload: packAmrPayload(noData, { wideband, octetAligned: true }), timestamp: (0xfffff000 + i * step) >>> 0 }));
    const g = guess(samples);
    assert.equal(g.octetAligned, true);
    assert.equal(g.wideband, wideband, g.note);
    assert.equal(g.confidence, 'low');
    assert.match(g.note, /clock/);
    // Without timestamps nothing tells the codecs apart: still an answer, marked as a tie.
    const bare = guess(samples.map((s) => ({ payload: s.payload })));
    assert.equal(bare.confidence, 'low');
    assert.match(bare.note, /tie/);
  }
});

test('garbage and empty input give a decode error', () => {
  assert.ok(isDecodeError(detectAmrFormat([])));
  const random = seededRandom(4);
  const junk = Array.from({ length: 10 }, () => ({ payload: Uint8Array.from({ length: 200 }, () => 0x80 | Math.floor(random() * 128)) }));
  const g = detectAmrFormat(junk);
  if (!isDecodeError(g)) assert.ok(g.consistent < junk.length, 'random bytes do not all parse');
});

test('corpus AMR-WB streams are recognised as tshark/SDP describe them', (t) => {
  if (!needTools(t, 'tshark')) return;
  const cases = [
    { name: 'nesfit__codecs3-amr-wb.pcap', octetAligned: true },
    { name: 'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng', octetAligned: true },
    { name: 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap', octetAligned: false },
  ];
  for (const c of cases) {
    const file = corpusFile(t, c.name);
    if (file === undefined) return;
    const out = spawnSync('tshark', ['-r', file, '-o', 'rtp.heuristic_rtp:TRUE', '-Y', 'rtp', '-T', 'fields', '-e', 'rtp.ssrc', '-e', 'rtp.timestamp', '-e', 'rtp.payload'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }).stdout;
    const bySsrc = new Map<string, AmrFormatSample[]>();
    for (const line of out.trim().split('\n')) {
      const [ssrc, ts, hex] = line.split('\t') as [string, string, string];
      const list = bySsrc.get(ssrc) ?? [];
      if (list.length < 30) list.push({ payload: Buffer.from(hex, 'hex'), timestamp: Number(ts) });
      bySsrc.set(ssrc, list);
    }
    assert.ok(bySsrc.size >= 2);
    for (const [ssrc, samples] of bySsrc) {
      const g = guess(samples);
      assert.equal(g.wideband, true, `${c.name} ${ssrc}: ${g.note}`);
      assert.equal(g.octetAligned, c.octetAligned, `${c.name} ${ssrc}: ${g.note}`);
    }
  }
});
