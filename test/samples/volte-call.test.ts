// samples/volte-call.pcap: tshark reads it as the call samples/README.md describes, and the
// README's first command extracts both directions as files holding exactly the frames tshark
// sees in the RTP, which sox decodes to frames × 20 ms of audible speech.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStorageFile, run, scratchDir, sidType } from '../fixtures/amr-frames.js';
import { needTools } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { bySsrc, cliArgs, expectedFrames, occurrences, readmeCommand, samplePath, tsharkRows, tsharkRtp } from './samples-support.js';

const CALL = samplePath('volte-call.pcap');

interface SipRow {
  readonly frameNo: number;
  readonly label: string;
  readonly src: string;
  readonly callId: string;
  readonly attributes: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
}

function sipMessages(): SipRow[] {
  const rows = tsharkRows(CALL, ['frame.number', 'sip.Method', 'sip.Status-Code', 'sip.CSeq.method', 'ipv6.src', 'sip.Call-ID', 'sdp.media_attr', 'sip.Require', 'sip.RSeq', 'sip.RAck', 'sip.Supported'], 'sip');
  return rows.map(([frame, method, status, cseqMethod, src, callId, attrs, require, rseq, rack, supported]) => ({
    frameNo: Number(frame),
    label: method !== undefined && method !== '' ? method : `${status} ${cseqMethod}`,
    src: occurrences(src).at(-1) ?? '',
    callId: callId ?? '',
    attributes: occurrences(attrs),
    headers: { require: require ?? '', rseq: rseq ?? '', rack: rack ?? '', supported: supported ?? '' },
  }));
}

test('tshark: IPv6 in GTP-U, the README ladder with 100rel and preconditions, AMR RTP, nothing malformed', (t) => {
  if (!needTools(t, 'tshark')) return;
  const protocols = tsharkRows(CALL, ['frame.protocols']).map((r) => r[0] ?? '');
  assert.ok(protocols.length > 300, `${protocols.length} frames`);
  for (const p of protocols) assert.match(p, /^eth:ethertype:ip:udp:gtp:ipv6:udp:(sip(:sdp)?|rtp:amr)$/);

  const sip = sipMessages();
  assert.deepEqual(
    sip.map((m) => m.label),
    ['INVITE', '100 INVITE', '183 INVITE', 'PRACK', '200 PRACK', 'UPDATE', '200 UPDATE', '180 INVITE', '200 INVITE', 'ACK', 'BYE', '200 BYE'],
  );
  assert.equal(new Set(sip.map((m) => m.callId)).size, 1);
  const [invite, , progress, prack, , update, updateOk] = sip as [SipRow, SipRow, SipRow, SipRow, SipRow, SipRow, SipRow];
  // RFC 3262: a reliable 183 (Require: 100rel, RSeq) acknowledged by PRACK (RAck).
  assert.match(invite.headers.supported ?? '', /100rel/);
  assert.match(invite.headers.supported ?? '', /precondition/);
  assert.match(progress.headers.require ?? '', /100rel/);
  assert.notEqual(progress.headers.rseq, '');
  assert.match(prack.headers.rack ?? '', new RegExp(`^${progress.headers.rseq} 1 INVITE$`));
  // The offer: AMR-WB and AMR, each bandwidth-efficient and octet-aligned, mode-set, DTMF at both rates, preconditions (RFC 3312).
  for (const a of ['rtpmap:116 AMR-WB/16000', 'rtpmap:118 AMR-WB/16000', 'rtpmap:97 AMR/8000', 'rtpmap:98 AMR/8000', 'rtpmap:111 telephone-event/16000', 'rtpmap:110 telephone-event/8000', 'curr:qos local none', 'des:qos mandatory local sendrecv']) {
    assert.ok(invite.attributes.includes(a), `INVITE SDP has a=${a}`);
  }
  assert.ok(invite.attributes.some((a) => a.startsWith('fmtp:118 ') && a.includes('octet-align=1')));
  assert.ok(invite.attributes.some((a) => a.startsWith('fmtp:97 mode-set=0,2,4,7') && !a.includes('octet-align')));
  assert.ok(progress.attributes.includes('rtpmap:97 AMR/8000') && !progress.attributes.some((a) => a.startsWith('rtpmap:116')), 'the answer chooses AMR');
  assert.ok(update.attributes.includes('curr:qos local sendrecv'));
  assert.ok(updateOk.attributes.includes('curr:qos remote sendrecv'), 'preconditions met in the 200 to UPDATE');

  const rtp = bySsrc(tsharkRtp(CALL));
  assert.equal(rtp.size, 2);
  assert.equal(protocols.length, sip.length + [...rtp.values()].reduce((n, l) => n + l.length, 0));
  const problems = tsharkRows(CALL, ['frame.number'], '_ws.malformed || _ws.expert.severity >= warning');
  assert.deepEqual(problems, []);
});

test('README: extract-amr writes both directions, frame for frame what the RTP carried; sox plays frames × 20 ms of speech', async (t) => {
  if (!needTools(t, 'tshark', 'sox')) return;
  const out = scratchDir(t);
  const command = readmeCommand('extract-amr samples/volte-call.pcap');
  const r = await runCli(cliArgs(command, out));
  assert.equal(r.code, command.exit, r.stderr);
  assert.equal(r.stderr, '');
  const asJson = await runCli([...cliArgs(command, scratchDir(t)), '--format', 'json']);
  assert.equal(asJson.code, 0, asJson.stderr);
  const json = JSON.parse(asJson.stdout) as { streams: { stream: { ssrc: number }; verdict: string; outputs: { file: string; frames: number; speechFrames: number; sidFrames: number; noDataFrames: number }[] }[] };
  assert.equal(json.streams.length, 2);

  const sip = sipMessages();
  const caller = sip[0]?.src;
  const callLocal = (sip[0]?.callId ?? '').split('@')[0];
  const streams = bySsrc(tsharkRtp(CALL));
  const files: string[] = [];
  for (const [ssrc, packets] of streams) {
    const direction = packets[0]?.src === caller ? 'a2b' : 'b2a';
    const file = `${callLocal}_${direction}_${ssrc.toString(16).padStart(8, '0')}.amr`;
    files.push(file);
    const got = parseStorageFile(new Uint8Array(readFileSync(join(out, file))), false);
    const want = expectedFrames(packets);
    assert.equal(got.length, want.length, `${file}: frames`);
    got.forEach((f, i) => {
      const w = want[i];
      assert.ok(w !== undefined);
      assert.equal(f.ft, w.ft, `${file} frame ${i}`);
      assert.deepEqual(f.bits, w.bits, `${file} frame ${i}`);
    });
    // tshark's table of contents: speech in the 12.2 mode, SID frames, and the report says so.
    const speech = packets.filter((p) => p.frameTypes[0] === 7).length;
    const sid = packets.filter((p) => p.frameTypes[0] === sidType(false)).length;
    assert.equal(speech + sid, packets.length);
    assert.ok(sid > 0, `${file}: DTX`);
    assert.match(r.stdout, new RegExp(`0x${ssrc.toString(16).padStart(8, '0')}: speech \\(`));
    const summary = json.streams.find((x) => x.stream.ssrc === ssrc);
    assert.equal(summary?.verdict, 'speech');
    assert.deepEqual(summary?.outputs.map((o) => [o.file, o.frames, o.speechFrames, o.sidFrames, o.noDataFrames]), [[file, want.length, speech, sid, want.length - packets.length]]);
    // sox decodes the file: 160 samples per frame, and there is something to hear.
    const samples = Number(run('sh', ['-c', `sox -- '${join(out, file)}' -t s16 -c 1 - | wc -c`]).trim()) / 2;
    assert.equal(samples, want.length * 160, `${file}: sox duration`);
    const peak = Number(/Maximum amplitude:\s+([\d.]+)/.exec(run('sh', ['-c', `sox -- '${join(out, file)}' -n stat 2>&1`]))?.[1]);
    assert.ok(peak > 0.2, `${file}: peak amplitude ${peak}`);
  }
  assert.deepEqual(readdirSync(out).sort(), files.sort());
  // The called side is the DTX-heavy one: silent (SID + NO_DATA) most of the call.
  const callee = [...streams.values()].find((p) => p[0]?.src !== caller);
  assert.ok(callee !== undefined);
  const calleeFrames = expectedFrames(callee);
  assert.ok(callee.length < calleeFrames.length / 2, 'the called side sends in fewer than half of its slots');
});

test('README: audit-sdp finds nothing in the clean call; calls, flow and streams agree with tshark', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const audit = readmeCommand('audit-sdp samples/volte-call.pcap');
  const a = await runCli(cliArgs(audit));
  assert.equal(a.code, audit.exit, a.stderr);
  assert.equal(a.code, 0);
  assert.match(a.stdout, /^0 findings \(0 errors, 0 warnings\) in 1 calls$/m);

  const sip = sipMessages();
  const flow = readmeCommand('flow samples/volte-call.pcap');
  const f = await runCli(cliArgs(flow));
  assert.equal(f.code, flow.exit, f.stderr);
  for (const m of sip) assert.match(f.stdout, new RegExp(`\\b${m.frameNo}\\s+│`), `frame ${m.frameNo} in the ladder`);
  assert.match(f.stdout, new RegExp(`\\b${sip.length} SIP message`));

  const calls = readmeCommand('calls samples/volte-call.pcap');
  const c = await runCli(cliArgs(calls));
  assert.equal(c.code, calls.exit, c.stderr);
  assert.match(c.stdout, /1 call\(s\)/);
  assert.match(c.stdout, /AMR\/8000/);

  const streams = readmeCommand('streams samples/volte-call.pcap');
  const s = await runCli(cliArgs(streams));
  assert.equal(s.code, streams.exit, s.stderr);
  for (const [ssrc, packets] of bySsrc(tsharkRtp(CALL))) {
    assert.match(s.stdout, new RegExp(`0x${ssrc.toString(16).padStart(8, '0')}\\s+AMR\\s+${packets.length}\\s`), `stream 0x${ssrc.toString(16)}: ${packets.length} packets`);
  }
});
