// Round trip, byte-exact: known frames → RTP packets (both payload formats, 1–3 frames a packet,
// DTX, loss, reordering, duplicates, sequence and timestamp wrap, an SSRC change) → decodeRtp →
// decodeAmrPayload → AmrTimeline → storage and 3GP writers. Each file must equal the one built
// from the original frames (NO_DATA where packets were lost or never sent), decode with sox to
// frames × 20 ms, and pass ffprobe with the right codec and duration.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRtp } from '../../src/protocols/rtp/decode.js';
import { decodeAmrPayload } from '../../src/protocols/amr/decode.js';
import { AmrTimeline, type AmrTimelineStats } from '../../src/analysis/amr-timeline.js';
import { AmrStorageWriter } from '../../src/media/amr-storage.js';
import { ThreeGpAmrWriter } from '../../src/media/threegp.js';
import { MemoryByteSink } from '../../src/media/byte-sink.js';
import { isDecodeError } from '../../src/decode-error.js';
import { NO_DATA, buildRtp, packAmrPayload, run, scratchDir, seededRandom, speechAmrNb, storageFile, synthAmrWbFrames, type FixtureAmrFrame } from '../fixtures/amr-frames.js';
import { needTools } from '../support/environment.js';

interface Scenario {
  readonly wideband: boolean;
  readonly octetAligned: boolean;
  readonly crc?: boolean;
  readonly frames: readonly FixtureAmrFrame[];
  readonly seed: number;
  /** Impair the network: loss, reordering, duplicates. */
  readonly impaired: boolean;
  /** Send packets holding only NO_DATA (DTX senders send nothing instead). */
  readonly sendNoData: boolean;
  /** Switch SSRC (new sequence and timestamp origins) half way. */
  readonly ssrcChange: boolean;
}

interface Expected {
  frames: FixtureAmrFrame[];
  filled: number;
  duplicateFrames: number;
}

interface Simulation {
  arrivals: Uint8Array[];
  expected: Map<number, Expected>;
  /** What the network did, so a test can show its impairments really happened. */
  lost: number;
  moved: number;
  copies: number;
  sequenceWraps: number;
  timestampWraps: number;
}

const NO_DATA_FRAME: FixtureAmrFrame = { ft: NO_DATA, q: true, bits: new Uint8Array(0) };

function simulate(s: Scenario): Simulation {
  const random = seededRandom(s.seed);
  const step = s.wideband ? 320 : 160;
  const half = s.ssrcChange ? Math.floor(s.frames.length / 2) : s.frames.length;
  const segments = [
    { ssrc: 0x11223344, seq0: 0x10000 - 37, ts0: 0x100000000 - step * 45, frames: s.frames.slice(0, half) },
    { ssrc: 0x55667788, seq0: 0xfff0, ts0: 0xffffff00, frames: s.frames.slice(half) },
  ].filter((g) => g.frames.length > 0);

  const ordered: { bytes: Uint8Array; ssrc: number; frames: number }[] = [];
  const expected = new Map<number, Expected>();
  let lost = 0;
  let sequenceWraps = 0;
  let timestampWraps = 0;
  for (const g of segments) {
    const received = new Array<boolean>(g.frames.length).fill(false);
    let seq = g.seq0;
    let previousTimestamp: number | undefined;
    for (let i = 0; i < g.frames.length; ) {
      const n = 1 + Math.floor(random() * 3);
      const group = g.frames.slice(i, i + n);
      const first = i;
      i += group.length;
      if (!s.sendNoData && group.every((f) => f.ft === NO_DATA)) continue;
      const sequence = seq++ & 0xffff;
      if (sequence === 0) sequenceWraps++;
      const timestamp = (g.ts0 + first * step) >>> 0;
      if (previousTimestamp !== undefined && timestamp < previousTimestamp) timestampWraps++;
      previousTimestamp = timestamp;
      if (s.impaired && random() < 0.05) {
        lost++;
        continue;
      }
      group.forEach((_, k) => (received[first + k] = true));
      const payload = packAmrPayloadFor(s, group, random);
      ordered.push({ bytes: buildRtp({ payloadType: 97, sequence, timestamp, ssrc: g.ssrc, payload }), ssrc: g.ssrc, frames: group.length });
    }
    const firstSlot = received.indexOf(true);
    const lastSlot = received.lastIndexOf(true);
    const frames: FixtureAmrFrame[] = [];
    let filled = 0;
    for (let k = firstSlot; k <= lastSlot && firstSlot >= 0; k++) {
      if (received[k]) frames.push(g.frames[k] as FixtureAmrFrame);
      else {
        frames.push(NO_DATA_FRAME);
        filled++;
      }
    }
    expected.set(g.ssrc, { frames, filled, duplicateFrames: 0 });
  }

  // Network: move some packets a few places later, send some twice.
  const arrivals = ordered.slice();
  let moved = 0;
  let copies = 0;
  if (s.impaired) {
    for (let i = arrivals.length - 2; i >= 0; i--) {
      if (random() < 0.08) {
        moved++;
        const [p] = arrivals.splice(i, 1);
        arrivals.splice(Math.min(arrivals.length, i + 1 + Math.floor(random() * 5)), 0, p as (typeof arrivals)[number]);
      }
    }
    for (let i = arrivals.length - 1; i >= 0; i--) {
      if (random() < 0.04) {
        const p = arrivals[i] as (typeof arrivals)[number];
        arrivals.splice(Math.min(arrivals.length, i + 1 + Math.floor(random() * 8)), 0, p);
        copies++;
        const e = expected.get(p.ssrc) as Expected;
        e.duplicateFrames += p.frames;
      }
    }
  }
  return { arrivals: arrivals.map((a) => a.bytes), expected, lost, moved, copies, sequenceWraps, timestampWraps };
}

function packAmrPayloadFor(s: Scenario, group: readonly FixtureAmrFrame[], random: () => number): Uint8Array {
  const cmr = random() < 0.7 ? 15 : Math.floor(random() * (s.wideband ? 9 : 8));
  return packAmrPayload(group, { wideband: s.wideband, octetAligned: s.octetAligned, cmr, crc: s.crc });
}

interface Extracted {
  amr: Uint8Array;
  threegp: Uint8Array;
  stats: AmrTimelineStats;
}

/** What the extract-amr command does, with this part's pieces only. */
function extract(s: Scenario, arrivals: readonly Uint8Array[]): Map<number, Extracted> {
  const streams = new Map<number, { timeline: AmrTimeline; amrSink: MemoryByteSink; gpSink: MemoryByteSink; amr: AmrStorageWriter; gp: ThreeGpAmrWriter }>();
  arrivals.forEach((bytes, index) => {
    const rtp = decodeRtp(bytes);
    if (isDecodeError(rtp)) assert.fail(rtp.reason);
    let st = streams.get(rtp.ssrc);
    if (st === undefined) {
      const amrSink = new MemoryByteSink();
      const gpSink = new MemoryByteSink();
      const amr = new AmrStorageWriter(amrSink, s.wideband);
      const gp = new ThreeGpAmrWriter(gpSink, s.wideband);
      const timeline = new AmrTimeline({
        wideband: s.wideband,
        sink: (f) => {
          amr.writeFrame(f);
          gp.writeFrame(f);
        },
      });
      st = { timeline, amrSink, gpSink, amr, gp };
      streams.set(rtp.ssrc, st);
    }
    const payload = decodeAmrPayload(rtp.payload, { wideband: s.wideband, octetAligned: s.octetAligned, crc: s.crc });
    if (isDecodeError(payload)) assert.fail(payload.reason);
    st.timeline.push({ timestamp: rtp.timestamp, sequence: rtp.sequence, frameNo: index + 1, frames: payload.frames });
  });
  const out = new Map<number, Extracted>();
  for (const [ssrc, st] of streams) {
    st.timeline.finish();
    st.amr.finish();
    st.gp.finish();
    out.set(ssrc, { amr: st.amrSink.bytes().slice(), threegp: st.gpSink.bytes().slice(), stats: st.timeline.stats() });
  }
  return out;
}

function checkDecoders(t: TestContext, s: Scenario, name: string, e: Extracted, frames: number): void {
  if (!needTools(t, 'sox', 'ffprobe')) return;
  const dir = scratchDir(t);
  const amrPath = join(dir, `${name}.${s.wideband ? 'awb' : 'amr'}`);
  const gpPath = join(dir, `${name}.3ga`);
  writeFileSync(amrPath, e.amr);
  writeFileSync(gpPath, e.threegp);
  const bytes = Number(run('sh', ['-c', `sox '${amrPath}' -t s16 -c 1 - | wc -c`]).trim());
  assert.equal(bytes / 2, frames * (s.wideband ? 320 : 160), `${name}: sox decodes frames × 20 ms`);
  const probe = JSON.parse(run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', gpPath])) as {
    streams: { codec_name: string }[];
    format: { duration: string };
  };
  assert.equal(probe.streams[0]?.codec_name, s.wideband ? 'amr_wb' : 'amr_nb');
  assert.ok(Math.abs(Number(probe.format.duration) - frames * 0.02) < 1e-6, `${name}: 3GP duration ${probe.format.duration} for ${frames} frames`);
}

function roundTrip(t: TestContext, s: Scenario, label: string): void {
  const sim = simulate(s);
  const { arrivals, expected } = sim;
  assert.ok(sim.sequenceWraps >= 1 && sim.timestampWraps >= 1, 'sequence and timestamp wrap');
  if (s.impaired) assert.ok(sim.lost > 0 && sim.moved > 0 && sim.copies > 0, `impaired: ${sim.lost} lost, ${sim.moved} moved, ${sim.copies} copies`);
  const extracted = extract(s, arrivals);
  assert.equal(extracted.size, expected.size, 'one file per SSRC');
  for (const [ssrc, want] of expected) {
    const got = extracted.get(ssrc);
    assert.ok(got !== undefined, `stream ${ssrc.toString(16)} extracted`);
    const name = `${label}-${ssrc.toString(16)}`;
    assert.ok(Buffer.from(got.amr).equals(storageFile(want.frames, s.wideband)), `${name}: storage file byte for byte`);
    assert.equal(got.stats.framesEmitted, want.frames.length);
    assert.equal(got.stats.filledSlots, want.filled);
    assert.equal(got.stats.duplicateFrames, want.duplicateFrames);
    assert.equal(got.stats.lateDroppedFrames, 0);
    checkDecoders(t, s, name, got, want.frames.length);
  }
}

test('AMR-NB speech from sox, bandwidth-efficient, impaired network, SSRC change', (t) => {
  if (!needTools(t, 'sox', 'espeak-ng')) return;
  roundTrip(t, { wideband: false, octetAligned: false, frames: speechAmrNb(7).frames, seed: 1, impaired: true, sendNoData: false, ssrcChange: true }, 'nb-be');
});

test('AMR-NB speech from sox, octet-aligned, impaired network, SSRC change', (t) => {
  if (!needTools(t, 'sox', 'espeak-ng')) return;
  roundTrip(t, { wideband: false, octetAligned: true, frames: speechAmrNb(0).frames, seed: 2, impaired: true, sendNoData: false, ssrcChange: true }, 'nb-oa');
});

test('AMR-NB through a clean network gives back the file sox wrote, byte for byte', (t) => {
  if (!needTools(t, 'sox', 'espeak-ng')) return;
  for (const octetAligned of [false, true]) {
    const sox = speechAmrNb(5);
    const s: Scenario = { wideband: false, octetAligned, frames: sox.frames, seed: 3, impaired: false, sendNoData: true, ssrcChange: false };
    const { arrivals } = simulate(s);
    const [only] = extract(s, arrivals).values();
    assert.ok(only !== undefined && Buffer.from(only.amr).equals(sox.file));
  }
});

test('AMR-WB frames of every mode, bandwidth-efficient, impaired network, SSRC change', (t) => {
  roundTrip(t, { wideband: true, octetAligned: false, frames: synthAmrWbFrames(20, 600), seed: 4, impaired: true, sendNoData: false, ssrcChange: true }, 'wb-be');
});

test('AMR-WB frames of every mode, octet-aligned with CRCs, impaired network, SSRC change', (t) => {
  roundTrip(t, { wideband: true, octetAligned: true, crc: true, frames: synthAmrWbFrames(21, 600), seed: 5, impaired: true, sendNoData: false, ssrcChange: true }, 'wb-oa');
});

test('AMR-WB, octet-aligned, NO_DATA packets sent too, one SSRC', (t) => {
  roundTrip(t, { wideband: true, octetAligned: true, frames: synthAmrWbFrames(22, 400), seed: 6, impaired: true, sendNoData: true, ssrcChange: false }, 'wb-oa-nodata');
});
