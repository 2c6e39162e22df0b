// AmrExtractor through whole captures (SIP + SDP + RTP built by the call-capture fixture), with
// in-memory sinks: every extracted file must equal, byte for byte, the storage file built
// independently from the frames the test put into the packets (NO_DATA where nothing arrived).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { runPass } from '../../src/pipeline/pass.js';
import { AmrExtractor, type AmrExtractOptions } from '../../src/analysis/amr-extract/extractor.js';
import type { AmrExtractReport, AmrStreamResult, ExtractSink } from '../../src/analysis/amr-extract/types.js';
import { MemoryByteSink } from '../../src/media/byte-sink.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { NO_DATA, randomFrame, seededRandom, sidType, storageFile, synthFrames, type FixtureAmrFrame } from '../fixtures/amr-frames.js';
import {
  amrFormat,
  amrRtpPackets,
  buildCallCapture,
  callFlow,
  joinedExpected,
  plainRtpPackets,
  reInvite,
  telephoneEventFormat,
  type AmrStreamSpec,
  type BuiltCapture,
  type CallSpec,
  type Party,
  type SdpSpec,
} from '../fixtures/call-capture.js';

class TestSink extends MemoryByteSink implements ExtractSink {
  committed = false;
  aborted = false;
  constructor(readonly name: string, private readonly log: string[]) {
    super();
    log.push(`open ${name}`);
  }
  commit(): void {
    this.committed = true;
    this.log.push(`commit ${this.name}`);
  }
  abort(): void {
    this.aborted = true;
  }
}

interface Extraction {
  report: AmrExtractReport;
  files: Map<string, TestSink>;
  log: string[];
}

async function extract(t: TestContext, capture: BuiltCapture, options: Omit<AmrExtractOptions, 'sinks'> = {}): Promise<Extraction> {
  const path = tempCaptureFile(t, 'call.pcapng', capture.pcapng());
  const files = new Map<string, TestSink>();
  const log: string[] = [];
  const extractor = new AmrExtractor({
    ...options,
    sinks: (name) => {
      assert.ok(!files.has(name), `${name} opened once`);
      const sink = new TestSink(name, log);
      files.set(name, sink);
      return sink;
    },
  });
  await runPass(path, extractor.handlers(), { rtpHeuristic: true });
  return { report: extractor.finish(), files, log };
}

function resultFor(report: AmrExtractReport, ssrc: number): AmrStreamResult {
  const found = report.streams.filter((r) => r.stream.ssrc === ssrc);
  assert.equal(found.length, 1, `one stream with SSRC ${ssrc.toString(16)}`);
  return found[0] as AmrStreamResult;
}

/** The one file of a stream, checked complete and equal to the storage file of `frames`. */
function assertFile(x: Extraction, ssrc: number, frames: readonly FixtureAmrFrame[], wideband: boolean): AmrStreamResult {
  const r = resultFor(x.report, ssrc);
  assert.equal(r.outputs.length, 1, `one file for ${ssrc.toString(16)}`);
  const out = r.outputs[0];
  const sink = x.files.get(out?.file ?? '');
  assert.ok(out !== undefined && sink !== undefined && sink.committed && !sink.aborted);
  assert.ok(Buffer.from(sink.bytes()).equals(storageFile(frames, wideband)), `${out.file} byte for byte`);
  assert.equal(out.frames, frames.length);
  assert.equal(out.durationSeconds, Math.round(frames.length * 20) / 1000);
  assert.equal(out.codec, wideband ? 'AMR-WB' : 'AMR');
  return r;
}

const CALLER: Party = { ip: '192.0.2.10', user: 'alice' };
const CALLEE: Party = { ip: '198.51.100.20', user: 'bob' };

function sdp(port: number, wideband: boolean, octetAlign: boolean, pt = 96, extra: Partial<Parameters<typeof amrFormat>[2]> = {}): SdpSpec {
  return { port, formats: [amrFormat(pt, wideband, { octetAlign, modeChangeCapability: 2, maxRed: 0, ...extra }), telephoneEventFormat(100, wideband ? 16000 : 8000)] };
}

function oneCall(callId: string, offer: SdpSpec, answer: SdpSpec, media: { caller?: AmrStreamSpec; callee?: AmrStreamSpec }, byeAt = 9): { capture: BuiltCapture; caller?: ReturnType<typeof amrRtpPackets>; callee?: ReturnType<typeof amrRtpPackets> } {
  const caller = media.caller !== undefined ? amrRtpPackets(media.caller) : undefined;
  const callee = media.callee !== undefined ? amrRtpPackets(media.callee) : undefined;
  const call: CallSpec = {
    callId,
    caller: CALLER,
    callee: CALLEE,
    steps: [...callFlow({ offer, answer, byeAt }), ...(caller ? [{ from: 'caller' as const, packets: caller.packets }] : []), ...(callee ? [{ from: 'callee' as const, packets: callee.packets }] : [])],
  };
  return { capture: buildCallCapture([call]), ...(caller ? { caller } : {}), ...(callee ? { callee } : {}) };
}

for (const wideband of [false, true]) {
  for (const octetAligned of [false, true]) {
    const codec = wideband ? 'AMR-WB' : 'AMR';
    const mode = octetAligned ? 'octet-aligned' : 'bandwidth-efficient';
    test(`${codec} ${mode}, 1–3 frames a packet, loss, duplicates, reordering, sequence and timestamp wrap${octetAligned ? ', padding bits set' : ''}: byte-exact`, async (t) => {
      const seed = (wideband ? 10 : 20) + (octetAligned ? 1 : 0);
      // Short spurts and pauses, then 3 s of talk without a gap (frames in order, nothing
      // held, go out as they come).
      const talk = (s: number): FixtureAmrFrame[] => {
        const rnd = seededRandom(s);
        return [...synthFrames(wideband, s, 400), ...Array.from({ length: 150 }, () => randomFrame(wideband ? 8 : 7, wideband, rnd))];
      };
      const frames = talk(seed);
      const spec = (ssrc: number, start: number, s: number): AmrStreamSpec => ({
        wideband,
        octetAligned,
        payloadType: 96,
        ssrc,
        frames: talk(s),
        start,
        framesPerPacket: (i) => 1 + ((i * 7 + s) % 3),
        firstSequence: 65500,
        firstTimestamp: 0x100000000 - 40 * (wideband ? 320 : 160),
        lose: [3, 17, 60],
        duplicate: [5, 40],
        delay: [9, 33, 70],
        cmr: 2,
        // Octet-aligned: the sender leaves its padding bits set; the files hold them as zeros.
        dirtyPadding: octetAligned,
      });
      const built = oneCall(`matrix-${seed}@test`, sdp(40000, wideband, octetAligned), sdp(50000, wideband, octetAligned), { caller: { ...spec(0x1000 + seed, 1, seed), frames }, callee: spec(0x2000 + seed, 1.003, seed + 100) });
      const x = await extract(t, built.capture);
      assert.equal(x.report.streams.length, 2);
      const a = assertFile(x, 0x1000 + seed, built.caller?.expected ?? [], wideband);
      const b = assertFile(x, 0x2000 + seed, built.callee?.expected ?? [], wideband);
      assert.equal(a.stream.stats.sequenceWraps, 1);
      assert.ok(a.stream.stats.reordered > 0 && a.stream.stats.duplicates > 0, 'the network reordered and duplicated');
      assert.equal(a.stream.direction, 'a2b');
      assert.equal(b.stream.direction, 'b2a');
      assert.match(a.outputs[0]?.file ?? '', new RegExp(`^matrix-${seed}_a2b_0000${(0x1000 + seed).toString(16)}\\.${wideband ? 'awb' : 'amr'}$`));
      assert.equal(a.verdict, 'speech');
      assert.ok((a.outputs[0]?.duplicateFrames ?? 0) > 0 && (a.outputs[0]?.filledSlots ?? 0) > 0);
      assert.deepEqual(a.outputs[0]?.payloadFormats, [`PT 96 ${mode} (SDP frame 3)`], 'the answer (183, frame 3) set up the path to the callee');
      // Telephone-event is offered but none is sent: nothing skipped.
      assert.deepEqual(a.skipped, []);
    });
  }
}

test('octet-aligned with CRCs (RFC 4867 §4.4.2.1) and the storage file of every frame type', async (t) => {
  const built = oneCall('crc@test', sdp(40000, true, true, 96, { crc: true }), sdp(50000, true, true, 96, { crc: true, maxRed: 40, modeSet: [0, 2, 8] }), {
    caller: { wideband: true, octetAligned: true, crc: true, payloadType: 96, ssrc: 0xc0c, frames: synthFrames(true, 33, 300), start: 1, framesPerPacket: 2, sendNoData: true },
  });
  const x = await extract(t, built.capture);
  const r = assertFile(x, 0xc0c, built.caller?.expected ?? [], true);
  assert.deepEqual(r.outputs[0]?.modes, ['6.60', '8.85', '12.65', '14.25', '15.85', '18.25', '19.85', '23.05', '23.85']);
  assert.equal(r.outputs[0]?.filledSlots, 0, 'NO_DATA frames were sent, not filled');
  assert.deepEqual(r.outputs[0]?.payloadFormats, ['PT 96 octet-aligned, crc, mode-set 0,2,8, max-red 40 ms (SDP frame 3)']);
});

/** Boxes of an ISO base media file at one level: type → content. */
function boxes(bytes: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at);
    out.set(Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1'), bytes.subarray(at + 8, at + size));
    if (size < 8) break;
    at += size;
  }
  return out;
}

test('--container 3gp: a .3ga file whose media data are the frames, each with its storage header (TS 26.244)', async (t) => {
  const built = oneCall('threegp@test', sdp(40000, false, false), sdp(50000, false, false), {
    caller: { wideband: false, octetAligned: false, payloadType: 96, ssrc: 0x3a, frames: synthFrames(false, 5, 300), start: 1, framesPerPacket: 3, lose: [4] },
  });
  const x = await extract(t, built.capture, { container: '3gp' });
  const r = resultFor(x.report, 0x3a);
  assert.equal(r.outputs[0]?.file, 'threegp_a2b_0000003a.3ga');
  const file = boxes(x.files.get('threegp_a2b_0000003a.3ga')?.bytes() ?? new Uint8Array(0));
  assert.equal(Buffer.from(file.get('ftyp')?.subarray(0, 4) ?? []).toString('latin1'), '3gp4');
  const storage = storageFile(built.caller?.expected ?? [], false);
  assert.ok(Buffer.from(file.get('mdat') ?? []).equals(storage.subarray('#!AMR\n'.length)));
  assert.ok(file.has('moov'));
});

test('an SSRC change on one flow gives two files', async (t) => {
  const first = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xaaaa0001, frames: synthFrames(true, 40, 150), start: 1 });
  const second = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xaaaa0002, frames: synthFrames(true, 41, 150), start: 4.5, firstSequence: 30000, firstTimestamp: 77 });
  const capture = buildCallCapture([{ callId: 'ssrc@test', caller: CALLER, callee: CALLEE, steps: [...callFlow({ offer: sdp(40000, true, true), answer: sdp(50000, true, true), byeAt: 9 }), { from: 'caller', packets: [...first.packets, ...second.packets] }] }]);
  const x = await extract(t, capture);
  assertFile(x, 0xaaaa0001, first.expected, true);
  assertFile(x, 0xaaaa0002, second.expected, true);
});

test('a re-INVITE switching the payload mode keeps one file; switching the codec starts another', async (t) => {
  const step = 320;
  // Mode switch: AMR-WB octet-aligned, then (after a re-INVITE) bandwidth-efficient, same SSRC and clock.
  const oa = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x0a0a, frames: synthFrames(true, 50, 150), start: 1, firstTimestamp: 1000 });
  const beFrames = synthFrames(true, 51, 150);
  const be = amrRtpPackets({ wideband: true, octetAligned: false, payloadType: 97, ssrc: 0x0a0a, frames: beFrames, start: 5, firstSequence: oa.sent, firstTimestamp: 1000 + 200 * step });
  // Codec switch on the callee's stream: AMR-WB, then AMR-NB bandwidth-efficient.
  const wb = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x0b0b, frames: synthFrames(true, 52, 150), start: 1 });
  const nb = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 98, ssrc: 0x0b0b, frames: synthFrames(false, 53, 150), start: 5, firstSequence: wb.sent, firstTimestamp: 999 });
  const offer2: SdpSpec = { port: 40000, formats: [amrFormat(97, true, {}), amrFormat(98, false, {})] };
  const answer2: SdpSpec = { port: 50000, formats: [amrFormat(97, true, {}), amrFormat(98, false, {})] };
  const capture = buildCallCapture([
    {
      callId: 'reinvite@test',
      caller: CALLER,
      callee: CALLEE,
      steps: [...callFlow({ offer: sdp(40000, true, true), answer: sdp(50000, true, true), byeAt: 9 }), ...reInvite(4.5, 'caller', offer2, answer2), { from: 'caller', packets: [...oa.packets, ...be.packets] }, { from: 'callee', packets: [...wb.packets, ...nb.packets] }],
    },
  ]);
  const x = await extract(t, capture);
  const a = assertFile(x, 0x0a0a, joinedExpected(oa, be, 200), true);
  assert.equal(a.outputs[0]?.payloadFormats.length, 2);
  assert.match(a.outputs[0]?.payloadFormats[1] ?? '', /^PT 97 bandwidth-efficient \(SDP frame \d+\)$/);

  const b = resultFor(x.report, 0x0b0b);
  assert.deepEqual(b.outputs.map((o) => [o.codec, o.file]), [['AMR-WB', 'reinvite_b2a_00000b0b.awb'], ['AMR', 'reinvite_b2a_00000b0b.amr']]);
  assert.ok(Buffer.from(x.files.get('reinvite_b2a_00000b0b.awb')?.bytes() ?? []).equals(storageFile(wb.expected, true)));
  assert.ok(Buffer.from(x.files.get('reinvite_b2a_00000b0b.amr')?.bytes() ?? []).equals(storageFile(nb.expected, false)));
});

test('GTP-U-tunnelled RTP of a UE (VoLTE/VoNR radio side) is extracted byte for byte', async (t) => {
  const ue: Party = { ip: '2001:db8:a::1', gtpu: { ran: '172.16.0.1', core: '172.16.0.2', uplinkTeid: 0x1111, downlinkTeid: 0x2222 } };
  const peer: Party = { ip: '2001:db8:b::2' };
  const up = amrRtpPackets({ wideband: true, octetAligned: false, payloadType: 116, ssrc: 0x91, frames: synthFrames(true, 60, 250), start: 1, framesPerPacket: 1, lose: [7] });
  const down = amrRtpPackets({ wideband: true, octetAligned: false, payloadType: 116, ssrc: 0x92, frames: synthFrames(true, 61, 250), start: 1.01, delay: [4] });
  const be: SdpSpec = { port: 1238, formats: [amrFormat(116, true, {})] };
  const capture = buildCallCapture([{ callId: 'gtpu@test', caller: ue, callee: peer, steps: [...callFlow({ offer: be, answer: { ...be, port: 44582 }, byeAt: 7 }), { from: 'caller', packets: up.packets }, { from: 'callee', packets: down.packets }] }]);
  const x = await extract(t, capture);
  const a = assertFile(x, 0x91, up.expected, true);
  const b = assertFile(x, 0x92, down.expected, true);
  assert.equal(a.stream.tunnel, 'gtpu:1111');
  assert.equal(b.stream.tunnel, 'gtpu:2222');
});

test('a stream of only SID and NO_DATA is written, with the verdict that there was no speech', async (t) => {
  const random = seededRandom(70);
  const silence: FixtureAmrFrame[] = [];
  for (let i = 0; i < 200; i++) silence.push(i % 8 === 0 ? randomFrame(sidType(false), false, random) : { ft: NO_DATA, q: true, bits: new Uint8Array(0) });
  const built = oneCall('ringback@test', sdp(40000, false, false), sdp(50000, false, false), {
    callee: { wideband: false, octetAligned: false, payloadType: 96, ssrc: 0x5111, frames: silence, start: 0.2 },
  });
  const x = await extract(t, built.capture);
  const r = assertFile(x, 0x5111, built.callee?.expected ?? [], false);
  assert.equal(r.verdict, 'no-speech');
  assert.equal(r.verdictText, 'no speech: only SID/NO_DATA (silence / DTX)');
  assert.equal(r.outputs[0]?.speechFrames, 0);
  assert.equal(r.outputs[0]?.sidFrames, 25);
});

test('telephone-event packets in an AMR stream, EVS and unsupported interleaving are reported as skipped', async (t) => {
  const media = amrRtpPackets({ wideband: false, octetAligned: true, payloadType: 96, ssrc: 0xd7, frames: synthFrames(false, 80, 100), start: 1 });
  const events = plainRtpPackets({ payloadType: 100, ssrc: 0xd7, start: 3.5, count: 4, firstSequence: media.sent, firstTimestamp: 100 * 160, samplesPerPacket: 0, payload: () => Uint8Array.of(1, 0, 0, 160) });
  const evsOffer: SdpSpec = { port: 40000, formats: [{ payloadType: 110, encoding: 'EVS', clockRate: 16000 }, amrFormat(96, false, { octetAlign: true }), telephoneEventFormat(100)] };
  const evsAnswer: SdpSpec = { port: 50000, formats: [{ payloadType: 110, encoding: 'EVS', clockRate: 16000 }, amrFormat(97, false, { octetAlign: true, interleaving: 4 }), amrFormat(96, false, { octetAlign: true }), telephoneEventFormat(100)] };
  const evs = plainRtpPackets({ payloadType: 110, ssrc: 0xe5, start: 1, count: 50, payload: () => new Uint8Array(33).fill(1), samplesPerPacket: 320 });
  const interleaved = plainRtpPackets({ payloadType: 97, ssrc: 0x11, start: 1, count: 10, payload: () => Uint8Array.of(0xf0, 0x00, 0x3c) });
  const capture = buildCallCapture([{ callId: 'skip@test', caller: CALLER, callee: CALLEE, steps: [...callFlow({ offer: evsOffer, answer: evsAnswer, byeAt: 6 }), { from: 'callee', packets: [...media.packets, ...events] }, { from: 'caller', packets: [...evs, ...interleaved] }] }]);
  const x = await extract(t, capture);
  const amr = resultFor(x.report, 0xd7);
  assert.deepEqual(amr.skipped.map((s) => [s.reason, s.packets]), [['telephone-event (RFC 4733)', 4]]);
  assert.ok(Buffer.from(x.files.get(amr.outputs[0]?.file ?? '')?.bytes() ?? []).equals(storageFile(media.expected, false)));
  const e = resultFor(x.report, 0xe5);
  assert.deepEqual([e.verdict, e.verdictText, e.outputs.length], ['skipped', 'skipped: EVS is not AMR', 0]);
  assert.equal(e.skipped[0]?.packets, 50);
  const i = resultFor(x.report, 0x11);
  assert.deepEqual([i.verdict, i.verdictText], ['skipped', 'skipped: interleaving unsupported']);
  assert.equal(x.files.size, 1, 'no file for streams that gave no frame');
});

test('without SDP: --codec and --octet-align decide; without them the format is guessed; files named by flow', async (t) => {
  const frames = synthFrames(true, 90, 200);
  const media = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 101, ssrc: 0xf1, frames, start: 1, framesPerPacket: 2 });
  const capture = buildCallCapture([{ callId: 'none', caller: { ip: '10.9.0.1' }, callee: { ip: '10.9.0.2' }, steps: [{ from: 'caller', packets: media.packets, srcPort: 31000, dstPort: 32000 }] }]);
  const forced = await extract(t, capture, { codec: 'amr-wb', octetAlign: true });
  const r = assertFile(forced, 0xf1, media.expected, true);
  assert.equal(r.outputs[0]?.file, '10.9.0.1_31000-10.9.0.2_32000_000000f1.awb');
  assert.equal(r.stream.codecSource, 'option');
  const guessed = await extract(t, capture);
  const g = assertFile(guessed, 0xf1, media.expected, true);
  assert.equal(g.stream.codecSource, 'guess');
  assert.match(g.outputs[0]?.payloadFormats[0] ?? '', /^PT 101 octet-aligned \(guessed/);
  // A wrong --codec is the user's word: nothing decodes, and the report says why.
  const wrong = await extract(t, capture, { codec: 'amr' });
  assert.equal(resultFor(wrong.report, 0xf1).verdict, 'skipped');
});

test('--call and --ssrc select streams; the others are counted as not selected', async (t) => {
  const one = oneCall('keep@test', sdp(40000, true, true), sdp(50000, true, true), {
    caller: { wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x1, frames: synthFrames(true, 1, 60), start: 1 },
    callee: { wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x2, frames: synthFrames(true, 2, 60), start: 1 },
  });
  const byCall = await extract(t, one.capture, { callIds: ['other@test'] });
  assert.deepEqual([byCall.report.streams.length, byCall.report.notSelected, byCall.files.size], [0, 2, 0]);
  const bySsrc = await extract(t, one.capture, { callIds: ['keep@test'], ssrcs: [2] });
  assert.deepEqual(bySsrc.report.streams.map((r) => r.stream.ssrc), [2]);
  assert.equal(bySsrc.report.notSelected, 1);
});

test('the files of a call are completed shortly after its BYE, before later calls are opened', async (t) => {
  const calls: CallSpec[] = [0, 1].map((n) => {
    const base = n * 20;
    const media = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x100 + n, frames: synthFrames(true, n, 100), start: base + 1 });
    const flow = callFlow({ offer: { ...sdp(40000 + n * 2, true, true) }, answer: sdp(50000 + n * 2, true, true), byeAt: 5 }).map((s) => ({ ...s, at: s.at + base }));
    return { callId: `seq-${n}@test`, caller: CALLER, callee: CALLEE, steps: [...flow, { from: 'caller' as const, packets: media.packets }] };
  });
  const x = await extract(t, buildCallCapture(calls), { closeAfterByeSeconds: 2 });
  assert.deepEqual(x.log, ['open seq-0_a2b_00000100.awb', 'commit seq-0_a2b_00000100.awb', 'open seq-1_a2b_00000101.awb', 'commit seq-1_a2b_00000101.awb']);
});

test('a call whose media goes on after its BYE: its files end where the capture passed BYE + the delay, whatever other calls do meanwhile', async (t) => {
  // Call 0 hangs up at 4.007 s but its sender keeps talking to 8 s; call 1 talks on meanwhile.
  // Both send every 20 ms (NO_DATA included), call 0 at …5 ms, call 1 at …10 ms: the first
  // packet past 4.007 s + 1 s is call 1's at 5.010 s, and it completes call 0's file; call 0's
  // packets from 5.025 s on go to a file of their own.
  const calls: CallSpec[] = [0, 1].map((n) => {
    const media = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x200 + n, frames: synthFrames(true, 60 + n, 350), start: 1.005 + n * 0.005, sendNoData: true });
    const flow = callFlow({ offer: sdp(40000 + n * 2, true, true), answer: sdp(50000 + n * 2, true, true), byeAt: n === 0 ? 4.007 : 9 });
    return { callId: `late-${n}@test`, caller: CALLER, callee: CALLEE, steps: [...flow, { from: 'caller' as const, packets: media.packets }] };
  });
  const capture = buildCallCapture(calls);
  const x = await extract(t, capture, { closeAfterByeSeconds: 1 });
  const rtp = capture.frames.filter((f) => f.kind === 'rtp');
  const trigger = rtp.find((f) => f.at >= 4.007 + 1) as (typeof rtp)[number];
  assert.equal(trigger.ssrc, 0x201, 'call 1 is first past the deadline');
  const outputs = resultFor(x.report, 0x200).outputs;
  assert.equal(outputs.length, 2);
  const before = rtp.filter((f) => f.ssrc === 0x200 && f.frameNo < trigger.frameNo);
  const after = rtp.filter((f) => f.ssrc === 0x200 && f.frameNo > trigger.frameNo);
  assert.deepEqual([outputs[0]?.firstFrameNo, outputs[0]?.lastFrameNo, outputs[0]?.packets], [before[0]?.frameNo, before.at(-1)?.frameNo, before.length]);
  assert.deepEqual([outputs[1]?.firstFrameNo, outputs[1]?.lastFrameNo, outputs[1]?.packets], [after[0]?.frameNo, after.at(-1)?.frameNo, after.length]);
  assert.equal(resultFor(x.report, 0x201).outputs.length, 1);
});

test('an output that cannot be opened stops extraction: onFatal once, every open file aborted, none committed', async (t) => {
  const built = oneCall('fatal@test', sdp(40000, true, true), sdp(50000, true, true), {
    caller: { wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x1, frames: synthFrames(true, 1, 60), start: 1 },
    callee: { wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x2, frames: synthFrames(true, 2, 60), start: 1.5 },
  });
  const path = tempCaptureFile(t, 'call.pcap', built.capture.pcap());
  const opened: TestSink[] = [];
  const fatal: Error[] = [];
  const extractor = new AmrExtractor({
    sinks: (name) => {
      if (opened.length === 1) throw new Error(`${name} exists`);
      const s = new TestSink(name, []);
      opened.push(s);
      return s;
    },
    onFatal: (e) => fatal.push(e),
  });
  await runPass(path, extractor.handlers(), { rtpHeuristic: true });
  extractor.finish();
  assert.equal(fatal.length, 1);
  assert.equal(extractor.failure, fatal[0]);
  assert.deepEqual(opened.map((s) => [s.aborted, s.committed]), [[true, false]]);
});
