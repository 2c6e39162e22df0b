// `imscap extract-amr`, run in-process through main(): the files on disk equal the storage files
// built from the frames the test put into the capture (and, on a clean network, the very file sox
// encoded), sox decodes them to frames × 20 ms, ffprobe accepts the .3ga files; existing files
// are never replaced without --force; hostile Call-IDs stay inside --out; usage errors exit 2.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { imscap } from '../support/run-cli.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { NO_DATA, randomFrame, run, scratchDir, seededRandom, sidType, speechAmrNb, storageFile, synthFrames, type FixtureAmrFrame } from '../fixtures/amr-frames.js';
import { amrFormat, amrRtpPackets, buildCallCapture, callFlow, telephoneEventFormat, type AmrStreamPackets, type BuiltCapture, type SdpSpec } from '../fixtures/call-capture.js';
import { corpusFile, needTools } from '../support/environment.js';



interface JsonReport {
  files: string[];
  outDir: string;
  notSelected: number;
  streams: {
    stream: { ssrc: number; ssrcHex: string; callId?: string; direction?: string };
    verdict: string;
    verdictText: string;
    outputs: { file: string; codec: string; frames: number; durationSeconds: number; speechFrames: number }[];
  }[];
}

const nb = (port: number, octetAlign: boolean): SdpSpec => ({ port, formats: [amrFormat(97, false, { octetAlign }), telephoneEventFormat(101)] });
const wb = (port: number): SdpSpec => ({ port, formats: [amrFormat(96, true, { octetAlign: true })] });

interface TwoWayCall {
  capture: BuiltCapture;
  caller: AmrStreamPackets;
  callee: AmrStreamPackets;
}

/** A call: caller sends AMR-NB `callerFrames` bandwidth-efficient, callee AMR-WB octet-aligned. */
function twoWayCall(callId: string, callerFrames: readonly FixtureAmrFrame[], impaired: boolean): TwoWayCall {
  const caller = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 97, ssrc: 0xa1b2c3d4, frames: callerFrames, start: 1, sendNoData: !impaired, framesPerPacket: impaired ? (i) => 1 + (i % 3) : 1, ...(impaired ? { lose: [6, 21], duplicate: [3], delay: [11], firstSequence: 65520 } : {}) });
  const callee = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x0badcafe, frames: synthFrames(true, 5, 250), start: 1.004, framesPerPacket: 2, lose: [2] });
  const offer = { port: 40000, formats: [...wb(40000).formats, ...nb(40000, false).formats] };
  const answer = { port: 50000, formats: [...wb(50000).formats, ...nb(50000, false).formats] };
  const capture = buildCallCapture([{ callId, caller: { ip: '10.20.0.1' }, callee: { ip: '10.20.0.2' }, steps: [...callFlow({ offer, answer, byeAt: 9 }), { from: 'caller', packets: caller.packets }, { from: 'callee', packets: callee.packets }] }]);
  return { capture, caller, callee };
}

function soxSamples(path: string): number {
  return Number(run('sh', ['-c', `sox -- '${path}' -t s16 -c 1 - | wc -c`]).trim()) / 2;
}

test('round trip: sox speech through SIP/SDP/RTP comes back as the very file sox wrote; both directions decode', async (t) => {
  if (!needTools(t, 'sox', 'espeak-ng')) return;
  const sox = speechAmrNb(7);
  const call = twoWayCall('roundtrip-1@10.20.0.1', sox.frames, false);
  const cap = tempCaptureFile(t, 'call.pcapng', call.capture.pcapng());
  const out = join(scratchDir(t), 'out');
  const r = await imscap('extract-amr', cap, '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(out).sort(), ['roundtrip-1_a2b_a1b2c3d4.amr', 'roundtrip-1_b2a_0badcafe.awb']);
  const nbFile = readFileSync(join(out, 'roundtrip-1_a2b_a1b2c3d4.amr'));
  assert.ok(nbFile.equals(sox.file), 'the AMR-NB file equals the file sox encoded');
  assert.ok(readFileSync(join(out, 'roundtrip-1_b2a_0badcafe.awb')).equals(storageFile(call.callee.expected, true)));
  assert.equal(soxSamples(join(out, 'roundtrip-1_a2b_a1b2c3d4.amr')), sox.frames.length * 160);
  assert.equal(soxSamples(join(out, 'roundtrip-1_b2a_0badcafe.awb')), call.callee.expected.length * 320);
  assert.match(r.out, /roundtrip-1_a2b_a1b2c3d4\.amr/);
  assert.match(r.out, /#1 roundtrip-1@10\.20\.0\.1 caller→callee 0xa1b2c3d4: speech \(/);
});

test('impaired network, JSON summary: files byte-exact, frames × 20 ms per sox, durations in the summary', async (t) => {
  if (!needTools(t, 'sox')) return;
  const call = twoWayCall('json@test', synthFrames(false, 9, 300), true);
  const cap = tempCaptureFile(t, 'call.pcap', call.capture.pcap());
  const out = scratchDir(t);
  const r = await imscap('extract-amr', cap, '--out', out, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as JsonReport;
  assert.equal(j.outDir, out);
  assert.deepEqual(j.files.sort(), readdirSync(out).sort());
  const expected = new Map([[0xa1b2c3d4, { frames: call.caller.expected, wideband: false }], [0x0badcafe, { frames: call.callee.expected, wideband: true }]]);
  for (const s of j.streams) {
    const want = expected.get(s.stream.ssrc);
    assert.ok(want !== undefined);
    const o = s.outputs[0];
    assert.ok(o !== undefined);
    assert.ok(readFileSync(join(out, o.file)).equals(storageFile(want.frames, want.wideband)), o.file);
    assert.equal(o.frames, want.frames.length);
    assert.equal(soxSamples(join(out, o.file)), want.frames.length * (want.wideband ? 320 : 160));
    assert.equal(o.durationSeconds, (want.frames.length * 20) / 1000);
    assert.equal(s.verdict, 'speech');
  }
});

test('--container 3gp writes .3ga files ffprobe reads with the right codec and duration', async (t) => {
  if (!needTools(t, 'ffprobe')) return;
  const call = twoWayCall('threegp@test', synthFrames(false, 12, 250), true);
  const cap = tempCaptureFile(t, 'call.pcap', call.capture.pcap());
  const out = scratchDir(t);
  const r = await imscap('extract-amr', cap, '--out', out, '--container', '3gp');
  assert.equal(r.code, 0, r.err);
  const files = readdirSync(out).sort();
  assert.deepEqual(files, ['threegp_a2b_a1b2c3d4.3ga', 'threegp_b2a_0badcafe.3ga']);
  for (const [file, codec, frames] of [[files[0], 'amr_nb', call.caller.expected.length], [files[1], 'amr_wb', call.callee.expected.length]] as const) {
    const probe = JSON.parse(run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', join(out, file as string)])) as { streams: { codec_name: string }[]; format: { duration: string } };
    assert.equal(probe.streams[0]?.codec_name, codec);
    assert.ok(Math.abs(Number(probe.format.duration) - frames * 0.02) < 1e-6, `${file}: ${probe.format.duration} s for ${frames} frames`);
  }
});

test('an existing output is not replaced without --force: exit 2 naming it, the file untouched, nothing else written', async (t) => {
  const call = twoWayCall('exists@test', synthFrames(false, 13, 200), false);
  const cap = tempCaptureFile(t, 'call.pcap', call.capture.pcap());
  const out = scratchDir(t);
  const existing = join(out, 'exists_b2a_0badcafe.awb');
  writeFileSync(existing, 'precious');
  const before = statSync(existing).mtimeMs;
  const r = await imscap('extract-amr', cap, '--out', out);
  assert.equal(r.code, 2);
  assert.match(r.err, /exists_b2a_0badcafe\.awb exists \(use --force to overwrite\)/);
  assert.equal(r.out, '');
  assert.equal(readFileSync(existing, 'utf8'), 'precious');
  assert.equal(statSync(existing).mtimeMs, before);
  assert.deepEqual(readdirSync(out), ['exists_b2a_0badcafe.awb'], 'no other file, no temporary file left');

  const forced = await imscap('extract-amr', cap, '--out', out, '--force');
  assert.equal(forced.code, 0, forced.err);
  assert.ok(readFileSync(existing).equals(storageFile(call.callee.expected, true)));
});

test('a Call-ID like ../../evil cannot lead files out of --out, nor control characters into the summary', async (t) => {
  const frames = synthFrames(true, 14, 100);
  const media = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xe, frames, start: 1 });
  for (const callId of ['../../evil', '/etc/passwd', '..', '-rf', 'esc\u001b]0;title\u0007\u001b[31m@x']) {
    const capture = buildCallCapture([{ callId, caller: { ip: '10.30.0.1' }, callee: { ip: '10.30.0.2' }, steps: [...callFlow({ offer: wb(40000), answer: wb(50000), byeAt: 4 }), { from: 'caller', packets: media.packets }] }]);
    const cap = tempCaptureFile(t, 'evil.pcap', capture.pcap());
    const base = scratchDir(t);
    const out = join(base, 'a', 'b', 'out');
    mkdirSync(out, { recursive: true });
    const r = await imscap('extract-amr', cap, '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, 'no control character reaches the terminal');
    const files = readdirSync(out);
    assert.equal(files.length, 1, callId);
    assert.ok(!(files[0] as string).startsWith('-') && !(files[0] as string).includes('/'), files[0]);
    assert.ok(readFileSync(join(out, files[0] as string)).equals(storageFile(media.expected, true)));
    assert.deepEqual(readdirSync(base), ['a']);
    assert.deepEqual(readdirSync(join(base, 'a')), ['b']);
    assert.deepEqual(readdirSync(join(base, 'a', 'b')), ['out']);
  }
});

test('--call and --ssrc choose streams; a silence-only stream says there was no speech', async (t) => {
  const random = seededRandom(3);
  const silence: FixtureAmrFrame[] = Array.from({ length: 160 }, (_, i) => (i % 8 === 0 ? randomFrame(sidType(false), false, random) : { ft: NO_DATA, q: true, bits: new Uint8Array(0) }));
  const call = twoWayCall('select@test', silence, false);
  const cap = tempCaptureFile(t, 'call.pcap', call.capture.pcap());
  const out = scratchDir(t);
  const r = await imscap('extract-amr', cap, '--out', out, '--call', 'select@test', '--ssrc', '0xA1B2C3D4');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(out), ['select_a2b_a1b2c3d4.amr']);
  assert.match(r.out, /0xa1b2c3d4: no speech: only SID\/NO_DATA \(silence \/ DTX\)/);
  assert.match(r.out, /1 stream\(s\) not selected by --call \/ --ssrc/);
  const decimal = await imscap('extract-amr', cap, '--out', scratchDir(t), '--ssrc', String(0x0badcafe), '--format', 'json');
  assert.deepEqual((JSON.parse(decimal.out) as JsonReport).streams.map((s) => s.stream.ssrcHex), ['0x0badcafe']);
  const none = await imscap('extract-amr', cap, '--out', scratchDir(t), '--call', 'no-such-call', '--format', 'json');
  assert.equal(none.code, 0);
  assert.deepEqual([(JSON.parse(none.out) as JsonReport).streams.length, (JSON.parse(none.out) as JsonReport).notSelected], [0, 2]);
});

test('usage errors exit 2 with one line on stderr', async (t) => {
  const call = twoWayCall('usage@test', synthFrames(false, 1, 50), false);
  const cap = tempCaptureFile(t, 'call.pcap', call.capture.pcap());
  const out = scratchDir(t);
  const cases: [string[], RegExp][] = [
    [['--container', 'wav'], /unknown container 'wav'/],
    [['--ssrc', 'zz'], /--ssrc 'zz' is not an SSRC/],
    [['--ssrc', '0x123456789'], /is not an SSRC/],
    [['--octet-align'], /--octet-align needs --codec/],
    [['--codec', 'g711'], /unknown codec 'g711'/],
    [['--format', 'xml'], /unknown format 'xml'/],
  ];
  for (const [args, message] of cases) {
    const r = await imscap('extract-amr', cap, '--out', out, ...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message);
  }
  const missing = await imscap('extract-amr', join(out, 'no-such.pcap'), '--out', out);
  assert.equal(missing.code, 2);
  assert.deepEqual(readdirSync(out), []);
});

test('VoWiFi: with --esp-keys the AMR streams inside 3DES-encrypted ESP are extracted, and sox decodes them', async (t) => {
  const capture = corpusFile(t, 'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap');
  const keys = corpusFile(t, 'rtpdump__esp-keys.txt');
  if (capture === undefined || keys === undefined || !needTools(t, 'sox')) return;
  const plain = await imscap('extract-amr', capture, '--out', scratchDir(t), '--format', 'json');
  const out = scratchDir(t);
  // A program option: before the command as well as after it.
  const r = await imscap('--esp-keys', keys, 'extract-amr', capture, '--out', out, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const before = JSON.parse(plain.out) as JsonReport;
  const report = JSON.parse(r.out) as JsonReport;
  // Without keys only the uplink sent in the clear is seen; the downlink exists only inside ESP.
  assert.deepEqual(before.streams.map((s) => s.stream.ssrcHex), ['0x20ae3805']);
  const downlink = report.streams.filter((s) => s.stream.ssrcHex === '0x0000fa00');
  assert.equal(downlink.length, 1);
  assert.equal(report.streams.length, 3, 'the downlink, and the uplink inside and outside the tunnel');
  for (const s of report.streams) {
    const o = s.outputs[0];
    assert.ok(o !== undefined && o.codec === 'AMR' && o.frames > 800, `${s.stream.ssrcHex}: ${o?.frames} frames`);
    assert.equal(soxSamples(join(out, o.file)), o.frames * 160, `${o.file}: frames × 20 ms`);
  }
  assert.equal(downlink[0]?.verdict, 'speech');
  const same = await imscap('extract-amr', capture, '--out', scratchDir(t), '--esp-keys', keys, '--format', 'json');
  assert.deepEqual((JSON.parse(same.out) as JsonReport).streams.map((s) => s.outputs[0]?.frames), report.streams.map((s) => s.outputs[0]?.frames), 'after the command too');
});

test('--esp-keys: an unreadable or malformed key file is a usage error naming the file and line', async (t) => {
  const call = twoWayCall('keys@test', synthFrames(false, 1, 20), false);
  const cap = tempCaptureFile(t, 'call.pcap', call.capture.pcap());
  const dir = scratchDir(t);
  const bad = join(dir, 'keys.txt');
  writeFileSync(bad, '[SPI] [Encryption Algorithm] [Key]\n0x00d40016 des3_cbc 0x0011\n');
  const r = await imscap('extract-amr', cap, '--out', join(dir, 'out'), '--esp-keys', bad);
  assert.equal(r.code, 2);
  assert.match(r.err, /keys\.txt: line 2: key for des3_cbc must be 192 bits/);
  const missing = await imscap('info', cap, '--esp-keys', join(dir, 'none.txt'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read --esp-keys .*none\.txt/);
});
