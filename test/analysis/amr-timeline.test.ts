import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AmrTimeline, type AmrTimelineFrame, type AmrTimelineOptions } from '../../src/analysis/amr-timeline.js';
import type { AmrFrame } from '../../src/protocols/amr/types.js';
import { NO_DATA, packAmrPayload, randomFrame, seededRandom, sidType, type FixtureAmrFrame } from '../fixtures/amr-frames.js';
import { decodeAmrFrames } from '../../src/protocols/amr/decode.js';
import { AmrFrameList } from '../../src/protocols/amr/frame-list.js';

const random = seededRandom(2024);

/** A speech frame whose first octet tells frames apart in assertions. */
function speech(tag: number, wideband = false): FixtureAmrFrame {
  const f = randomFrame(7, wideband, random);
  f.bits[0] = tag;
  return f;
}

const noData: FixtureAmrFrame = { ft: NO_DATA, q: true, bits: new Uint8Array(0) };

function asAmrFrames(frames: readonly FixtureAmrFrame[], channels = 1): AmrFrame[] {
  return frames.map((f, i) => ({ ...f, bitLength: f.bits.length * 8, block: Math.floor(i / channels), channel: i % channels }));
}

interface Harness {
  timeline: AmrTimeline;
  out: AmrTimelineFrame[];
  /**
   * Push a packet whose first frame sits at 20 ms slot `slot` (timestamp base + slot × step),
   * numbered as a sender would: sequence = slot unless given.
   */
  send(slot: number, frames: readonly FixtureAmrFrame[], channels?: number, sequence?: number): void;
}

function harness(options: Partial<AmrTimelineOptions> & { base?: number } = {}): Harness {
  const out: AmrTimelineFrame[] = [];
  const wideband = options.wideband ?? false;
  const timeline = new AmrTimeline({ ...options, wideband, sink: (f) => out.push(f) });
  const step = wideband ? 320 : 160;
  const base = options.base ?? 123456;
  let frameNo = 1000;
  return {
    timeline,
    out,
    send(slot, frames, channels = 1, sequence = slot) {
      frameNo++;
      timeline.push({ timestamp: (base + slot * step) >>> 0, sequence: (40000 + sequence) & 0xffff, frameNo, frames: asAmrFrames(frames, channels) });
    },
  };
}

/** The tags (first speech octet) of emitted frames, '-' for NO_DATA. */
function tags(out: readonly AmrTimelineFrame[]): string {
  return out.map((f) => (f.ft === NO_DATA ? '-' : String(f.bits[0]))).join(' ');
}

test('frames in order come out in order: held for the first window, then at once', () => {
  const h = harness({ maxLatenessSlots: 5 });
  for (let i = 0; i < 20; i++) {
    h.send(i, [speech(i)]);
    // The start waits a window (an earlier packet may still come); after that, a frame that
    // continues the stream without a hole is written as soon as it arrives.
    assert.equal(h.out.length, i < 6 ? 0 : i + 1, `after slot ${i}`);
  }
  h.timeline.finish();
  assert.equal(tags(h.out), Array.from({ length: 20 }, (_, i) => i).join(' '));
  assert.deepEqual(
    h.out.map((f) => f.slot),
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal(h.out[3]?.frameNo, 1004);
  assert.equal(h.out[3]?.sequence, 40003);
  assert.equal(h.out[3]?.filled, false);
  const s = h.timeline.stats();
  assert.equal(s.framesReceived, 20);
  assert.equal(s.framesEmitted, 20);
  assert.equal(s.speechFrames, 20);
  assert.equal(s.filledSlots, 0);
  assert.equal(s.speechShare, 1);
});

test('each frame of a multi-frame packet takes the next 20 ms slot; missing slots become NO_DATA', () => {
  const h = harness();
  h.send(0, [speech(0), speech(1), speech(2)]);
  // Slots 3–5 lost; then a SID, then (DTX) nothing until slot 14.
  h.send(6, [speech(6), speech(7)]);
  const sid = randomFrame(sidType(false), false, random);
  h.send(8, [sid]);
  h.send(14, [speech(14)]);
  h.timeline.finish();
  assert.equal(tags(h.out), `0 1 2 - - - 6 7 ${sid.bits[0]} - - - - - 14`);
  assert.deepEqual(
    h.out.filter((f) => f.filled).map((f) => f.slot),
    [3, 4, 5, 9, 10, 11, 12, 13],
  );
  const s = h.timeline.stats();
  assert.equal(s.filledSlots, 8);
  assert.equal(s.sidFrames, 1);
  assert.equal(s.noDataFrames, 8);
  assert.equal(s.frameTypeCounts[NO_DATA], 8);
  assert.equal(s.frameTypeCounts[7], 6);
  assert.ok(Math.abs(s.speechShare + s.sidShare + s.noDataShare - 1) < 1e-12);
});

test('silence the sender did not send (next sequence number) is written at once; a sequence gap waits the window', () => {
  // DTX: packets numbered one after another, the timestamp jumping over slots 10–19.
  const dtx = harness({ maxLatenessSlots: 5 });
  for (let i = 0; i < 10; i++) dtx.send(i, [speech(i)], 1, i);
  assert.equal(dtx.out.length, 10);
  dtx.send(20, [speech(20)], 1, 10);
  // Nothing can fill slots 10–19 later (RFC 3550 §5.1): they and frame 20 go out now.
  assert.equal(dtx.out.length, 21);
  assert.equal(tags(dtx.out.slice(10)), '- - - - - - - - - - 20');
  assert.deepEqual(
    dtx.out.filter((f) => f.filled).map((f) => f.slot),
    [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
  );
  dtx.send(21, [speech(21)], 1, 11);
  assert.equal(dtx.out.length, 22);
  // A packet for the silence with an older sequence number comes too late for it.
  dtx.send(15, [speech(15)], 1, 9);
  dtx.timeline.finish();
  assert.equal(dtx.out.length, 22);
  assert.equal(dtx.timeline.stats().lateDroppedFrames, 1);
  assert.equal(dtx.timeline.stats().filledSlots, 10);

  // Lost packets (the sequence number jumps too): slot 20 waits, a late packet still fills the hole.
  const loss = harness({ maxLatenessSlots: 5 });
  for (let i = 0; i < 10; i++) loss.send(i, [speech(i)], 1, i);
  loss.send(20, [speech(20)], 1, 20);
  // (Slots 10–14 leave the window of 5 behind slot 20.)
  assert.equal(tags(loss.out.slice(10)), '- - - - -');
  loss.send(15, [speech(15)], 1, 15);
  loss.timeline.finish();
  assert.equal(tags(loss.out.slice(10)), '- - - - - 15 - - - - 20');
  assert.equal(loss.timeline.stats().lateDroppedFrames, 0);
});

test('reordering within the window is undone; frames later than the window are dropped', () => {
  const h = harness({ maxLatenessSlots: 4 });
  const order = [0, 2, 1, 3, 6, 4, 5, 7, 8, 9, 10, 11, 12, 13];
  for (const i of order) h.send(i, [speech(i)]);
  // Slot 14 is skipped, slot 20 pushes slots ≤ 15 out; 14 then arrives too late.
  h.send(20, [speech(20)]);
  h.send(14, [speech(14)]);
  h.timeline.finish();
  assert.equal(tags(h.out), '0 1 2 3 4 5 6 7 8 9 10 11 12 13 - - - - - - 20');
  const s = h.timeline.stats();
  assert.equal(s.lateDroppedFrames, 1);
  assert.equal(s.duplicateFrames, 0);
});

test('duplicates are dropped whether the original is still held or already written', () => {
  const h = harness({ maxLatenessSlots: 3 });
  for (let i = 0; i < 10; i++) h.send(i, [speech(i)]);
  h.send(8, [speech(99)]); // still held: the first copy wins
  h.send(2, [speech(98)]); // already written
  h.timeline.finish();
  assert.equal(tags(h.out), '0 1 2 3 4 5 6 7 8 9');
  assert.equal(h.timeline.stats().duplicateFrames, 2);
  assert.equal(h.timeline.stats().lateDroppedFrames, 0);
});

test('redundant copies (RFC 4867 max-red) fall on filled slots; data replaces a held NO_DATA', () => {
  const h = harness();
  // Each packet repeats the previous frame before the new one: timestamp of the older frame.
  h.send(0, [speech(0)]);
  for (let i = 1; i < 6; i++) h.send(i - 1, [speech(i - 1), speech(i)]);
  // A NO_DATA placeholder for slot 6, then the real frame for it in the next packet.
  h.send(6, [noData]);
  h.send(6, [speech(6), speech(7)]);
  h.timeline.finish();
  assert.equal(tags(h.out), '0 1 2 3 4 5 6 7');
  assert.equal(h.timeline.stats().duplicateFrames, 6);
});

test('timestamps wrapping at 2^32 keep the slots continuous (AMR-WB, 320 per frame)', () => {
  const h = harness({ wideband: true, base: 0xffffffff - 320 * 3 + 1 });
  for (let i = 0; i < 8; i++) if (i !== 4) h.send(i, [speech(i, true)]);
  h.timeline.finish();
  assert.equal(tags(h.out), '0 1 2 3 - 5 6 7');
});

test('a huge timestamp jump is joined without filling, and counted', () => {
  const h = harness({ maxGapSlots: 100 });
  // Sequence numbers run on (1 a packet) while the timestamps jump.
  h.send(0, [speech(0)], 1, 0);
  h.send(1, [speech(1)], 1, 1);
  h.send(5001, [speech(2)], 1, 2);
  h.send(5002, [speech(3)], 1, 3);
  // A jump back far beyond the window (a sender restart) is joined the same way, not dropped.
  h.send(50, [speech(4)], 1, 4);
  h.timeline.finish();
  const s = h.timeline.stats();
  assert.equal(tags(h.out), '0 1 2 3 4');
  assert.equal(s.discontinuities, 2);
  assert.equal(s.lateDroppedFrames, 0);
  assert.equal(s.filledSlots, 0);
  // Slots after a join keep their distances; the sequence numbers may jump too.
  const h2 = harness({ maxGapSlots: 100 });
  h2.send(0, [speech(0)], 1, 0);
  h2.send(5000, [speech(1)], 1, 30000);
  h2.send(5001, [speech(2)], 1, 30001);
  h2.send(5003, [speech(3)], 1, 30002);
  h2.timeline.finish();
  assert.equal(tags(h2.out), '0 1 2 - 3');
});

test('timestamps restarting a few seconds back, with the sequence going on, are joined not dropped', () => {
  const h = harness({ maxLatenessSlots: 10 });
  for (let i = 0; i < 400; i++) h.send(i, [speech(i & 0xff)]);
  // The sender restarts its timestamps 5 s back; sequence numbers continue.
  for (let i = 0; i < 5; i++) h.send(150 + i, [speech(200 + i)], 1, 400 + i);
  // A genuinely late packet (old sequence number) is still just late.
  h.send(380, [speech(77)], 1, 380);
  h.timeline.finish();
  const s = h.timeline.stats();
  assert.equal(s.discontinuities, 1);
  assert.equal(h.out.length, 405);
  assert.equal(tags(h.out.slice(400)), '200 201 202 203 204');
  assert.equal(s.duplicateFrames + s.lateDroppedFrames, 1);
});

test('the packet that arrives first need not be the earliest', () => {
  const h = harness();
  h.send(2, [speech(2)]);
  h.send(0, [speech(0), speech(1)]);
  h.send(3, [speech(3)]);
  h.timeline.finish();
  assert.equal(tags(h.out), '0 1 2 3');
  assert.equal(h.out[0]?.slot, 0);
});

test('one channel of a multi-channel stream is followed; misaligned timestamps are rounded and counted', () => {
  const h = harness({ channel: 1 });
  h.send(0, [speech(10), speech(11), speech(20), speech(21)], 2);
  h.send(2, [speech(30), speech(31)], 2);
  h.timeline.finish();
  assert.equal(tags(h.out), '11 21 31');

  const out: AmrTimelineFrame[] = [];
  const t = new AmrTimeline({ wideband: false, sink: (f) => out.push(f) });
  t.push({ timestamp: 1000, sequence: 1, frameNo: 1, frames: asAmrFrames([speech(1)]) });
  t.push({ timestamp: 1000 + 160 + 7, sequence: 2, frameNo: 2, frames: asAmrFrames([speech(2)]) });
  t.push({ timestamp: 1000 + 480 - 3, sequence: 3, frameNo: 3, frames: asAmrFrames([speech(3)]) });
  t.finish();
  assert.equal(tags(out), '1 2 - 3');
  assert.equal(t.stats().misalignedPackets, 2);
});

test('memory stays bounded: a long call with the window never holds more than the window', () => {
  const h = harness({ maxLatenessSlots: 10 });
  let maxHeld = 0;
  for (let i = 0; i < 20000; i++) {
    h.send(i, [i % 3 === 0 ? noData : speech(i & 0xff)]);
    maxHeld = Math.max(maxHeld, i + 1 - h.out.length);
  }
  h.timeline.finish();
  assert.ok(maxHeld <= 11, `held ${maxHeld}`);
  assert.equal(h.out.length, 20000);
});

test('a frame sink sees what a record sink sees: frame lists, dirty padding, NO_DATA runs, reordering, a frame wider than the ring', () => {
  // The same packets go as records to one timeline and as decoded frame lists to another;
  // the second one's sink gets octet ranges of its ring and NO_DATA runs as counts.
  const rnd = seededRandom(3550);
  const recorded: AmrTimelineFrame[] = [];
  const byRecords = new AmrTimeline({ wideband: true, maxLatenessSlots: 6, sink: (f) => recorded.push(f) });
  const seen: { ft: number; q: boolean; bits: number[] }[] = [];
  let runs = 0;
  const byList = new AmrTimeline({
    wideband: true,
    maxLatenessSlots: 6,
    sink: {
      frame: (ft, q, bytes, start, end, lastMask = 0xff) => {
        const bits = [...bytes.subarray(start, end)];
        if (bits.length > 0) bits[bits.length - 1] = (bits[bits.length - 1] as number) & lastMask;
        seen.push({ ft, q, bits });
      },
      noData: (count) => {
        runs++;
        for (let k = 0; k < count; k++) seen.push({ ft: NO_DATA, q: true, bits: [] });
      },
    },
  });
  const list = new AmrFrameList();
  // Ending with a run in order, which goes out as it comes (straight from the packet).
  const order = [0, 1, 2, 4, 3, 5, 9, 17, 16, 18, 19, 30, 31, 33, 32, 32, 40, 2, 41, ...Array.from({ length: 30 }, (_, k) => 42 + k)];
  order.forEach((slot, n) => {
    const frames = slot === 9 ? [noData] : slot === 31 ? [sidFrame(rnd)] : [randomFrame(8, true, rnd, n % 5 !== 0)];
    const bytes = packAmrPayload(frames, { wideband: true, octetAligned: true });
    // Garbage in the padding after the 477 bits of AMR-WB 23.85: cleared on the way in.
    if (frames[0]?.ft === 8) bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) | 0x07;
    const packet = { timestamp: 5000 + slot * 320, sequence: 100 + n, frameNo: n + 1 };
    byRecords.push({ ...packet, frames: asAmrFrames(frames) });
    assert.equal(decodeAmrFrames(bytes, { wideband: true, octetAligned: true }, list), undefined);
    byList.pushFrames(packet.timestamp, packet.sequence, packet.frameNo, list);
  });
  // A frame longer than any frame type (the ring widens for it) reaches both the same way.
  const wide = { ft: 8, q: true, bits: Uint8Array.from({ length: 200 }, (_, i) => i) };
  byRecords.push({ timestamp: 5000 + 80 * 320, sequence: 200, frameNo: 99, frames: asAmrFrames([wide]) });
  list.count = 1;
  list.channels = 1;
  list.bytes = wide.bits;
  list.ft[0] = 8;
  list.q[0] = 1;
  list.start[0] = 0;
  list.end[0] = 200;
  list.pad[0] = 0xff;
  byList.pushFrames(5000 + 80 * 320, 200, 99, list);
  byRecords.finish();
  byList.finish();
  assert.deepEqual(
    seen,
    recorded.map((f) => ({ ft: f.ft, q: f.q, bits: [...f.bits] })),
  );
  assert.ok(runs > 0 && runs < recorded.filter((f) => f.filled).length, 'empty slots come as runs');
  assert.deepEqual(byList.stats(), byRecords.stats());
  assert.equal(recorded.at(-1)?.bits.length, 200);
});

function sidFrame(rnd: () => number): FixtureAmrFrame {
  return randomFrame(sidType(true), true, rnd);
}
