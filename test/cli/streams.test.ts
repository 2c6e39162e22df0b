// `imscap streams`, run in-process through main(): the stream table (text and JSON) states the
// packets, loss, duplicates, late packets, events, codec, call and direction the test put into
// the capture; streams without SDP are marked and their guessed format said; -o never replaces a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { imscap } from '../support/run-cli.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { scratchDir, synthFrames } from '../fixtures/amr-frames.js';
import { amrFormat, amrRtpPackets, buildCallCapture, callFlow, plainRtpPackets, telephoneEventFormat, type SdpSpec } from '../fixtures/call-capture.js';



interface JsonStream {
  id: number;
  ssrc: number;
  ssrcHex: string;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  tunnel: string;
  callId?: string;
  direction?: string;
  setup: string;
  codec: string;
  codecSource?: string;
  stats: { packets: number; expected: number; lost: number; duplicates: number; reordered: number; sequenceWraps: number; telephoneEventPackets: number; firstFrameNo: number; lastFrameNo: number };
}

const offer: SdpSpec = { port: 40000, formats: [amrFormat(96, true, { octetAlign: true }), telephoneEventFormat(100, 16000)] };
const answer: SdpSpec = { port: 50000, formats: [amrFormat(96, true, { octetAlign: true }), telephoneEventFormat(100, 16000)] };

function impairedCall(): { path: (t: Parameters<typeof tempCaptureFile>[0]) => string; callerPackets: number; calleePackets: number; events: number; firstRtpFrame: number } {
  const caller = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xa1b2c3d4, frames: synthFrames(true, 1, 300), start: 1, firstSequence: 65530, lose: [10, 11], duplicate: [20], delay: [30, 40] });
  const events = plainRtpPackets({ payloadType: 100, ssrc: 0xa1b2c3d4, start: 7.5, count: 3, firstSequence: (65530 + caller.sent) & 0xffff, firstTimestamp: 300 * 320, samplesPerPacket: 0, payload: () => Uint8Array.of(7, 10, 0, 160) });
  const callee = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x0badcafe, frames: synthFrames(true, 2, 300), start: 1.01 });
  const capture = buildCallCapture([
    { callId: 'table@test', caller: { ip: '10.40.0.1' }, callee: { ip: '10.40.0.2', gtpu: { ran: '172.20.0.1', core: '172.20.0.2', uplinkTeid: 0xabc, downlinkTeid: 0xdef } }, steps: [...callFlow({ offer, answer, byeAt: 9 }), { from: 'caller', packets: [...caller.packets, ...events] }, { from: 'callee', packets: callee.packets }] },
  ]);
  const firstRtpFrame = capture.frames.find((f) => f.kind === 'rtp')?.frameNo ?? 0;
  return { path: (t) => tempCaptureFile(t, 'call.pcap', capture.pcap()), callerPackets: caller.sent - 2 + 1 + events.length, calleePackets: callee.packets.length, events: events.length, firstRtpFrame };
}

test('JSON: per stream the counts the capture was built with, call, direction and tunnel', async (t) => {
  const call = impairedCall();
  const r = await imscap('streams', call.path(t), '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { streams: JsonStream[]; rejectedCandidates: number };
  assert.equal(j.streams.length, 2);
  const [a, b] = j.streams as [JsonStream, JsonStream];
  assert.deepEqual([a.id, a.ssrcHex, a.src, a.srcPort, a.dst, a.dstPort, a.tunnel], [1, '0xa1b2c3d4', '10.40.0.1', 40000, '10.40.0.2', 50000, 'gtpu:def']);
  assert.deepEqual([a.callId, a.direction, a.setup, a.codec, a.codecSource], ['table@test', 'a2b', 'sdp', 'AMR-WB', 'sdp']);
  assert.equal(a.stats.packets, call.callerPackets);
  assert.equal(a.stats.lost, 1, 'two lost, one duplicate (RFC 3550 A.3 counts the duplicate as received)');
  assert.deepEqual([a.stats.duplicates, a.stats.reordered, a.stats.sequenceWraps, a.stats.telephoneEventPackets], [1, 2, 1, call.events]);
  assert.equal(a.stats.firstFrameNo, call.firstRtpFrame);
  assert.deepEqual([b.ssrcHex, b.direction, b.tunnel, b.stats.packets, b.stats.lost], ['0x0badcafe', 'b2a', 'gtpu:abc', call.calleePackets, 0]);
  assert.equal(j.rejectedCandidates, 0);
});

test('text: one row per stream like Wireshark RTP Streams, with loss as a percentage', async (t) => {
  const call = impairedCall();
  const r = await imscap('streams', call.path(t));
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[0] ?? '', /^RTP streams in .*call\.pcap: 2$/);
  assert.match(lines[1] ?? '', /^#\s+tunnel\s+source\s+destination\s+SSRC\s+payload\s+packets\s+lost/);
  assert.match(lines[2] ?? '', new RegExp(`^1\\s+gtpu:def\\s+10\\.40\\.0\\.1:40000\\s+10\\.40\\.0\\.2:50000\\s+0xa1b2c3d4\\s+AMR-WB \\+telephone-event\\s+${call.callerPackets}\\s+1 \\(0\\.\\d%\\)\\s+1\\s+2\\s.*table@test\\s+caller→callee$`));
  assert.match(lines[3] ?? '', /^2\s+gtpu:abc\s+10\.40\.0\.2:50000\s+10\.40\.0\.1:40000\s+0x0badcafe\s+AMR-WB\s+\d+\s+0 \(0\.0%\)\s.*callee→caller$/);
  assert.match(r.out, new RegExp(`stream 1: ${call.events} telephone-event packet\\(s\\) counted apart`));
});

test('streams without SDP are marked, their guessed format said; --codec decides instead', async (t) => {
  const media = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 99, ssrc: 0x77, frames: synthFrames(false, 3, 200), start: 1 });
  const capture = buildCallCapture([{ callId: 'x', caller: { ip: '10.50.0.1' }, callee: { ip: '10.50.0.2' }, steps: [{ from: 'caller', packets: media.packets, srcPort: 20000, dstPort: 20002 }] }]);
  const path = tempCaptureFile(t, 'nosdp.pcap', capture.pcap());
  const guessed = await imscap('streams', path);
  assert.equal(guessed.code, 0, guessed.err);
  assert.match(guessed.out, /0x00000077\s+AMR \(guessed\)\s+\d+.*\(no SDP\)\s+-$/m);
  assert.match(guessed.out, /^stream 1: guessed (high|medium|low): AMR bandwidth-efficient/m);
  const forced = await imscap('streams', path, '--codec', 'amr', '--format', 'json');
  const j = JSON.parse(forced.out) as { streams: JsonStream[] };
  assert.deepEqual([j.streams[0]?.codec, j.streams[0]?.codecSource, j.streams[0]?.setup], ['AMR', 'option', 'heuristic']);
});

test('-o writes the report to a file, never over an existing one without --force', async (t) => {
  const call = impairedCall();
  const capture = call.path(t);
  const dir = scratchDir(t);
  const target = join(dir, 'streams.json');
  writeFileSync(target, 'keep');
  const refused = await imscap('streams', capture, '--format', 'json', '-o', target);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /streams\.json exists/);
  assert.equal(readFileSync(target, 'utf8'), 'keep');
  const forced = await imscap('streams', capture, '--format', 'json', '-o', target, '--force');
  assert.equal(forced.code, 0);
  assert.equal((JSON.parse(readFileSync(target, 'utf8')) as { streams: unknown[] }).streams.length, 2);
});
