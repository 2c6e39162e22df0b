// RTP stream table on whole calls built by the call-capture fixture: streams keyed by flow and
// SSRC, per-stream accounting checked against what the test put into the packets and against
// tshark's `-z rtp,streams`, direction labels from the SDP, heuristic streams and their probation.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runPass } from '../../src/pipeline/pass.js';
import { RtpStreamTable, type RtpStreamReport, type RtpStreamTableOptions, type RtpStreamsReport } from '../../src/analysis/rtp-streams.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { synthAmrWbFrames, synthFrames } from '../fixtures/amr-frames.js';
import {
  amrNbFormat,
  amrRtpPackets,
  amrWbFormat,
  buildCallCapture,
  callFlow,
  plainRtpPackets,
  reInvite,
  telephoneEventFormat,
  type BuiltCapture,
  type CallSpec,
  type SdpSpec,
  type TimedPacket,
} from '../fixtures/call-capture.js';
import { needTools } from '../support/environment.js';

async function streamsOf(t: TestContext, capture: BuiltCapture, options: RtpStreamTableOptions = {}): Promise<{ report: RtpStreamsReport; path: string }> {
  const path = tempCaptureFile(t, 'call.pcap', capture.pcap());
  const table = new RtpStreamTable(options);
  await runPass(path, { sip: (e) => table.sip(e), rtp: (e) => table.rtp(e) }, { rtpHeuristic: true });
  return { report: table.finish(), path };
}

function bySsrc(report: RtpStreamsReport, ssrc: number): RtpStreamReport {
  const found = report.streams.filter((s) => s.ssrc === ssrc);
  assert.equal(found.length, 1, `one stream with SSRC ${ssrc.toString(16)}`);
  return found[0] as RtpStreamReport;
}

interface TsharkStream {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  ssrc: number;
  packets: number;
  lost: number;
  maxJitter: number;
}

/** Rows of `tshark -q -z rtp,streams` (ui/cli/tap-rtp.c). */
function tsharkStreams(path: string, extra: readonly string[] = []): TsharkStream[] {
  const r = spawnSync('tshark', ['-n', '-r', path, ...extra, '-q', '-z', 'rtp,streams'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  const rows: TsharkStream[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+0x([0-9A-Fa-f]+)\s+\S.*?\s(\d+)\s+(-?\d+) \([-\d.]+%\)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)/.exec(line);
    if (m === null) continue;
    rows.push({ src: m[1] as string, srcPort: Number(m[2]), dst: m[3] as string, dstPort: Number(m[4]), ssrc: parseInt(m[5] as string, 16), packets: Number(m[6]), lost: Number(m[7]), maxJitter: Number(m[8]) });
  }
  return rows;
}

const OFFER: SdpSpec = { port: 40000, formats: [amrWbFormat(96, { octetAlign: true }), telephoneEventFormat(100, 16000)] };
const ANSWER: SdpSpec = { port: 50000, formats: [amrWbFormat(96, { octetAlign: true }), telephoneEventFormat(100, 16000)] };
const CALLER = { ip: '10.1.0.1' };
const CALLEE = { ip: '10.2.0.2' };

/**
 * Caller audio with a burst of RFC 4733 events in the middle of the same SSRC and sequence
 * space, with loss, a duplicate, a late packet, and a 16-bit sequence wrap.
 */
function callerMedia(): { packets: TimedPacket[]; sent: number; lost: number; duplicates: number; late: number; events: number } {
  const frames = synthAmrWbFrames(11, 260);
  const first = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xcafe0001, frames: frames.slice(0, 120), start: 1, firstSequence: 65500, firstTimestamp: 0xfffff000, framesPerPacket: (i) => 1 + (i % 2), lose: [4, 30], duplicate: [12], delay: [20] });
  const eventSeq = (65500 + first.sent) & 0xffff;
  const events = plainRtpPackets({ payloadType: 100, ssrc: 0xcafe0001, start: 3.5, count: 6, firstSequence: eventSeq, firstTimestamp: (0xfffff000 + 120 * 320) >>> 0, samplesPerPacket: 0, payload: (i) => Uint8Array.of(5, i === 5 ? 0x80 : 0, 0, 160 * (i + 1)) });
  const second = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xcafe0001, frames: frames.slice(130), start: 3.7, firstSequence: eventSeq + 6, firstTimestamp: (0xfffff000 + 130 * 320) >>> 0 });
  return { packets: [...first.packets, ...events, ...second.packets], sent: first.sent + 6 + second.sent, lost: 2, duplicates: 1, late: 1, events: 6 };
}

test('per-stream packets, loss, duplicates, late packets, wrap and events are the ones put in; tshark agrees', async (t) => {
  const media = callerMedia();
  const calleeMedia = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xbeef0002, frames: synthAmrWbFrames(12, 200), start: 1.005 });
  const call: CallSpec = { callId: 'stats@test', caller: CALLER, callee: CALLEE, steps: [...callFlow({ offer: OFFER, answer: ANSWER, byeAt: 8 }), { from: 'caller', packets: media.packets }, { from: 'callee', packets: calleeMedia.packets }] };
  const capture = buildCallCapture([call]);
  const { report, path } = await streamsOf(t, capture);
  assert.equal(report.streams.length, 2);

  const a = bySsrc(report, 0xcafe0001);
  const rtpFrames = capture.frames.filter((f) => f.ssrc === 0xcafe0001);
  assert.equal(a.stats.packets, media.sent - media.lost + media.duplicates);
  // Neither lost packet is the first or the last: expected spans every sequence number sent (RFC 3550 A.3).
  assert.equal(a.stats.expected, media.sent);
  assert.equal(a.stats.lost, media.lost - media.duplicates);
  assert.equal(a.stats.duplicates, media.duplicates);
  assert.equal(a.stats.reordered, media.late);
  assert.equal(a.stats.sequenceWraps, 1);
  assert.equal(a.stats.telephoneEventPackets, media.events);
  assert.equal(a.stats.firstFrameNo, rtpFrames[0]?.frameNo);
  assert.equal(a.stats.lastFrameNo, rtpFrames[rtpFrames.length - 1]?.frameNo);
  assert.deepEqual(a.payloadTypes.map((p) => [p.payloadType, p.name]), [[96, 'AMR-WB'], [100, 'telephone-event']]);
  assert.equal(a.codec, 'AMR-WB');
  assert.equal(a.clockRate, 16000);
  assert.equal(a.callId, 'stats@test');
  assert.equal(a.direction, 'a2b');
  assert.equal(a.setup, 'sdp');

  const b = bySsrc(report, 0xbeef0002);
  assert.equal(b.direction, 'b2a');
  assert.equal(b.stats.packets, calleeMedia.packets.length);
  assert.equal(b.stats.lost, 0);

  if (!needTools(t, 'tshark')) return;
  const oracle = tsharkStreams(path);
  assert.equal(oracle.length, report.streams.length);
  for (const o of oracle) {
    const ours = bySsrc(report, o.ssrc);
    assert.deepEqual([ours.src, ours.srcPort, ours.dst, ours.dstPort], [o.src, o.srcPort, o.dst, o.dstPort]);
    assert.equal(ours.stats.packets, o.packets, `${o.ssrc.toString(16)} packets`);
    assert.equal(ours.stats.lost, o.lost, `${o.ssrc.toString(16)} lost`);
  }
});

test('an SSRC change on one flow starts a new stream', async (t) => {
  const one = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 97, ssrc: 0x11111111, frames: synthFrames(false, 3, 100), start: 1 });
  const two = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 97, ssrc: 0x22222222, frames: synthFrames(false, 4, 100), start: 3.5, firstSequence: 4000, firstTimestamp: 123456 });
  const nb = (port: number): SdpSpec => ({ port, formats: [amrNbFormat(97)] });
  const capture = buildCallCapture([{ callId: 'ssrc@test', caller: CALLER, callee: CALLEE, steps: [...callFlow({ offer: nb(40000), answer: nb(50000), byeAt: 6 }), { from: 'caller', packets: [...one.packets, ...two.packets] }] }]);
  const { report } = await streamsOf(t, capture);
  assert.equal(report.streams.length, 2);
  const [first, second] = [bySsrc(report, 0x11111111), bySsrc(report, 0x22222222)];
  assert.equal(first.flow, second.flow);
  assert.equal(first.stats.packets, one.packets.length);
  assert.equal(second.stats.packets, two.packets.length);
  assert.ok(first.id < second.id);
  assert.deepEqual([first.direction, second.direction], ['a2b', 'a2b']);
});

test('directions follow who wrote each SDP, through a re-INVITE from the callee that moves its port', async (t) => {
  const beforeA = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xa0, frames: synthAmrWbFrames(5, 50), start: 1 });
  const beforeB = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xb0, frames: synthAmrWbFrames(6, 50), start: 1 });
  const moved: SdpSpec = { ...ANSWER, port: 52000 };
  const afterA = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xa0, frames: synthAmrWbFrames(7, 50), start: 4, firstSequence: 1000 });
  const afterB = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xb0, frames: synthAmrWbFrames(8, 50), start: 4, firstSequence: 1000 });
  const capture = buildCallCapture([
    {
      callId: 'dir@test',
      caller: CALLER,
      callee: CALLEE,
      steps: [...callFlow({ offer: OFFER, answer: ANSWER, byeAt: 7, byeFrom: 'callee' }), ...reInvite(3, 'callee', moved, OFFER), { from: 'caller', packets: [...beforeA.packets, ...afterA.packets] }, { from: 'callee', packets: [...beforeB.packets, ...afterB.packets] }],
    },
  ]);
  const { report } = await streamsOf(t, capture);
  // The callee's new port makes new flows in both directions.
  assert.equal(report.streams.length, 4);
  for (const s of report.streams) {
    assert.equal(s.direction, s.ssrc === 0xa0 ? 'a2b' : 'b2a', `${s.flow}`);
    assert.equal(s.callId, 'dir@test');
  }
  assert.deepEqual(report.streams.filter((s) => s.ssrc === 0xa0).map((s) => s.dstPort).sort(), [50000, 52000]);
});

test('without SDP: a stream is found by heuristic, its format guessed and said so; RTP-like junk is not a stream', async (t) => {
  const media = amrRtpPackets({ wideband: true, octetAligned: false, payloadType: 116, ssrc: 0x5eed, frames: synthAmrWbFrames(9, 120), start: 1, firstTimestamp: 5000 });
  // One datagram per flow that passes the RTP header test but never shows two packets in sequence.
  const junk: TimedPacket[] = Array.from({ length: 5 }, (_, i) => ({ at: 0.5 + i * 0.01, bytes: Uint8Array.from([0x80, 0x60, i * 40, i, 1, 2, 3, 4, 9, 9, 9, i, 0xde, 0xad]) }));
  const capture = buildCallCapture([
    {
      callId: 'no-sdp',
      caller: CALLER,
      callee: CALLEE,
      steps: [{ from: 'caller', packets: media.packets, srcPort: 30000, dstPort: 30002 }, ...junk.map((p, i) => ({ from: 'callee' as const, packets: [p], srcPort: 6000 + i, dstPort: 7000 }))],
    },
  ]);
  const { report } = await streamsOf(t, capture);
  assert.equal(report.streams.length, 1);
  const s = report.streams[0] as RtpStreamReport;
  assert.equal(s.setup, 'heuristic');
  assert.equal(s.callId, undefined);
  assert.equal(s.codec, 'AMR-WB');
  assert.equal(s.codecSource, 'guess');
  assert.match(s.codecNote ?? '', /guessed .*AMR-WB bandwidth-efficient/);
  assert.equal(s.clockRate, 16000);
  assert.equal(s.stats.packets, media.packets.length, 'packets held for identification are counted');
  assert.equal(report.rejectedCandidates, junk.length);
  assert.equal(report.rejectedPackets, junk.length);

  const forced = await streamsOf(t, capture, { codec: 'amr-wb', octetAlign: false });
  assert.equal(forced.report.streams[0]?.codecSource, 'option');
  assert.equal(forced.report.streams[0]?.codec, 'AMR-WB');
});

test('RTP-like junk does not use up the stream limit, however much of it there is', async (t) => {
  const junk = Array.from({ length: 5000 }, (_, i) => ({ from: 'callee' as const, srcPort: 10000 + i, dstPort: 53, packets: [{ at: 0.5 + i * 1e-4, bytes: Uint8Array.from([0x80, 0x00, i & 0xff, i >> 8, 0, 0, 0, 0, 0, 0, 0, i & 0xff]) }] }));
  const media = amrRtpPackets({ wideband: false, octetAligned: true, payloadType: 96, ssrc: 0x3e3e, frames: synthFrames(false, 8, 100), start: 2 });
  const capture = buildCallCapture([{ callId: 'junk', caller: CALLER, callee: CALLEE, steps: [...junk, { from: 'caller', packets: media.packets, srcPort: 30000, dstPort: 30002 }] }]);
  const { report } = await streamsOf(t, capture, { maxStreams: 1 });
  assert.deepEqual(report.streams.map((s) => [s.ssrc, s.stats.packets]), [[0x3e3e, media.packets.length]]);
  assert.deepEqual([report.rejectedCandidates, report.rejectedPackets, report.droppedStreams], [junk.length, junk.length, 0]);
});

test('streams past the limit are counted, not analysed', async (t) => {
  const a = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 1, frames: synthAmrWbFrames(1, 40), start: 1 });
  const b = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 2, frames: synthAmrWbFrames(2, 40), start: 1.5 });
  const capture = buildCallCapture([{ callId: 'cap@test', caller: CALLER, callee: CALLEE, steps: [...callFlow({ offer: OFFER, answer: ANSWER, byeAt: 3 }), { from: 'caller', packets: a.packets }, { from: 'callee', packets: b.packets }] }]);
  const { report } = await streamsOf(t, capture, { maxStreams: 1 });
  assert.deepEqual(report.streams.map((s) => s.ssrc), [1]);
  assert.equal(report.droppedStreams, 1);
  assert.equal(report.droppedPackets, b.packets.length);
});

test('a payload type the SDP does not name is reported by number, telephone-event by name', async (t) => {
  const events = plainRtpPackets({ payloadType: 100, ssrc: 0xe1, start: 1, count: 5, payload: () => Uint8Array.of(1, 0, 0, 160) });
  const evs = plainRtpPackets({ payloadType: 110, ssrc: 0xe2, start: 1, count: 7, payload: () => new Uint8Array(33).fill(7), samplesPerPacket: 320 });
  const capture = buildCallCapture([{ callId: 'pt@test', caller: CALLER, callee: CALLEE, steps: [...callFlow({ offer: OFFER, answer: ANSWER, byeAt: 3 }), { from: 'caller', packets: events }, { from: 'callee', packets: evs }] }]);
  const { report } = await streamsOf(t, capture);
  const e = bySsrc(report, 0xe1);
  assert.equal(e.codec, 'telephone-event');
  assert.equal(e.stats.telephoneEventPackets, 5);
  const unknown = bySsrc(report, 0xe2);
  assert.equal(unknown.codec, 'PT 110');
  assert.equal(unknown.stats.packets, 7);
});

test('listeners get each stream in its own order, in runs per stream, and what they want in order in capture order', async (t) => {
  // Four calls talking at once: eight streams interleaved packet by packet.
  const wb = (port: number): SdpSpec => ({ port, formats: [amrWbFormat(96)] });
  const calls: CallSpec[] = [0, 1, 2, 3].map((n) => {
    const a = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xa000 + n, frames: synthAmrWbFrames(40 + n, 300), start: 1 + n * 0.003 });
    const b = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xb000 + n, frames: synthAmrWbFrames(50 + n, 300), start: 1.001 + n * 0.003, lose: [7, 8] });
    return { callId: `runs-${n}@test`, caller: { ip: `192.0.2.${10 + n}`, user: `a${n}` }, callee: { ip: `198.51.100.${20 + n}`, user: `b${n}` }, steps: [...callFlow({ offer: wb(40000 + 2 * n), answer: wb(50000 + 2 * n), byeAt: 9 }), { from: 'caller', packets: a.packets }, { from: 'callee', packets: b.packets }] };
  });
  const path = tempCaptureFile(t, 'calls.pcap', buildCallCapture(calls).pcap());
  const delivered: { ssrc: number; frameNo: number; ordered: boolean }[] = [];
  const wanted = new Set<string>();
  const table = new RtpStreamTable({
    listener: {
      packet: (s, p) => delivered.push({ ssrc: s.ssrc, frameNo: p.frameNo, ordered: wanted.has(`${s.ssrc} ${p.ts}`) }),
      // Every packet in some 100 ms slices must keep its place among all streams.
      inOrder: (s, ts) => {
        const want = Math.floor(ts * 10) % 7 === 0;
        if (want) wanted.add(`${s.ssrc} ${ts}`);
        return want;
      },
    },
  });
  await runPass(path, { sip: (e) => table.sip(e), rtp: (e) => table.rtp(e) }, { rtpHeuristic: true });
  const report = table.finish();
  assert.equal(report.streams.length, 8);
  assert.equal(delivered.length, report.streams.reduce((n, s) => n + s.stats.packets, 0), 'every packet handed on once');
  // Each stream's packets in capture order.
  for (const s of report.streams) {
    const frames = delivered.filter((d) => d.ssrc === s.ssrc).map((d) => d.frameNo);
    assert.deepEqual(frames, [...frames].sort((x, y) => x - y), `stream ${s.ssrcHex} in order`);
  }
  // Streams are handed on in runs: the order across streams is not the capture's…
  const captureOrder = [...delivered].sort((x, y) => x.frameNo - y.frameNo);
  assert.notDeepEqual(delivered, captureOrder, 'packets of streams go on in runs');
  // …except around what the listener wants in order: all before it came first, all after it later.
  const ordered = delivered.map((d, i) => ({ ...d, i })).filter((d) => d.ordered);
  assert.ok(ordered.length > 100, `${ordered.length} packets wanted in order`);
  for (const p of ordered) {
    const misplaced = delivered.findIndex((d, i) => (i < p.i && d.frameNo > p.frameNo) || (i > p.i && d.frameNo < p.frameNo));
    assert.equal(misplaced, -1, `frame ${p.frameNo} keeps its place among all streams`);
  }
});
