// `imscap flow`, run in-process on captures the test builds: the ladder has one column per host
// with the INVITE sender first, one row per message in frame order with the time and frame the
// test gave it and an arrow pointing from sender to receiver; Mermaid output keeps to the
// sequenceDiagram grammar (hostile Call-IDs escaped); JSON lists the messages with their SDP
// roles; --call keeps one call; calls are written as they end; -o never replaces a file.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { CAPTURE_EPOCH, amrWbFormat, buildCallCapture, callFlow, telephoneEventFormat, type BuiltCapture, type CallSpec, type SdpSpec, type Side, type SipStep } from '../fixtures/call-capture.js';
import { runCli } from '../support/run-cli.js';

const CALLER = { ip: '10.1.0.1' };
const CALLEE = { ip: '10.2.0.2', sipPort: 5070 };
const OFFER: SdpSpec = { port: 40000, formats: [amrWbFormat(96, { octetAlign: true }), telephoneEventFormat(100, 16000)] };
const ANSWER: SdpSpec = { port: 50000, formats: [amrWbFormat(96, { octetAlign: true }), telephoneEventFormat(100, 16000)] };
const UPDATE = { offer: { ...OFFER, attributes: ['curr:qos local sendrecv'] }, answer: { ...ANSWER, attributes: ['curr:qos local sendrecv'] } };

interface FlowJson {
  calls: { callId: string; doneReason: string; hosts: { id: string; address: string; role?: string }[]; messages: MessageJson[] }[];
  unplaced: MessageJson[];
  summary: { calls: number; messages: number };
}

interface MessageJson {
  frameNo: number;
  time: string;
  src: string;
  dst: string;
  from: string;
  to: string;
  kind: string;
  method: string;
  statusCode?: number;
  label: string;
  callId: string;
  cseq: string;
  sdp?: { role?: string; summary: string };
}

/** The SIP frames the fixture built for a call, each with the side that sent it (steps in time order). */
function sipFrames(built: BuiltCapture, call: CallSpec): { frameNo: number; at: number; label: string; from: Side; step: SipStep }[] {
  const steps = call.steps.filter((s): s is SipStep => !('packets' in s)).slice().sort((a, b) => a.at - b.at);
  const frames = built.frames.filter((f) => f.kind === 'sip' && f.callId === call.callId);
  assert.equal(frames.length, steps.length);
  return frames.map((f, i) => {
    const step = steps[i] as SipStep;
    return { frameNo: f.frameNo, at: f.at, label: f.label, from: step.from, step };
  });
}

/** HH:MM:SS.mmm (UTC) of a time the fixture put into the capture. */
function clock(at: number): string {
  const ms = Math.floor(Math.round(at * 1e6) / 1e3);
  return new Date(CAPTURE_EPOCH * 1000 + ms).toISOString().slice(11, 23);
}

function capture(t: TestContext, calls: readonly CallSpec[]): { file: string; built: BuiltCapture } {
  const built = buildCallCapture(calls);
  return { file: tempCaptureFile(t, 'flow.pcap', built.pcap()), built };
}

const basicCall = (callId: string, byeAt = 3): CallSpec => ({ callId, caller: CALLER, callee: CALLEE, steps: callFlow({ offer: OFFER, answer: ANSWER, update: UPDATE, byeAt }) });

test('text ladder: host columns, INVITE sender first, one arrow per message from sender to receiver', async (t) => {
  const call = basicCall('ladder-1@10.1.0.1');
  const { file, built } = capture(t, [call]);
  const run = await runCli(['flow', file]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split('\n');
  assert.ok(lines.every((l) => [...l].length <= 160), 'fits 160 columns');

  // Legend: A is the caller's address, B the callee's.
  assert.ok(lines.some((l) => /^ {2}A +10\.1\.0\.1:5060 +\(caller\)$/.test(l)), 'caller column');
  assert.ok(lines.some((l) => /^ {2}B +10\.2\.0\.2:5070 +\(callee\)$/.test(l)), 'callee column');
  const header = lines.find((l) => l.startsWith('Time'));
  assert.ok(header !== undefined && header.includes('Frame'));
  const a = header.indexOf(' A') + 1;
  const b = header.indexOf(' B') + 1;
  assert.ok(a > 0 && b > a);

  const rows = lines.filter((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l));
  const expected = sipFrames(built, call);
  assert.equal(rows.length, expected.length);
  expected.forEach((f, i) => {
    const row = rows[i] ?? '';
    const m = /^(\S+) +(\d+) /.exec(row);
    assert.equal(m?.[1], clock(f.at), `time of frame ${f.frameNo}`);
    assert.equal(Number(m?.[2]), f.frameNo);
    const chars = [...row];
    assert.equal(chars[a], '│', `lane A on frame ${f.frameNo}`);
    assert.equal(chars[b], '│', `lane B on frame ${f.frameNo}`);
    const label = chars.slice(a + 1, b).join('');
    if (f.from === 'caller') {
      assert.equal(chars[b - 1], '▶', `frame ${f.frameNo} points to B`);
      assert.ok(label.startsWith(`───${f.label}`), label);
    } else {
      assert.equal(chars[a + 1], '◀', `frame ${f.frameNo} points to A`);
      assert.ok(label.startsWith(`◀──${f.label}`), label);
    }
    assert.equal(label.includes('(SDP)'), f.step.sdp !== undefined, `SDP mark of frame ${f.frameNo}`);
  });
  assert.match(run.stdout, new RegExp(`${expected.length} message\\(s\\), frames ${expected[0]?.frameNo}–${expected.at(-1)?.frameNo}`));
});

test('json: every message with frame, time, hosts, label, Call-ID, CSeq and its SDP role', async (t) => {
  const call = basicCall('json-1@10.1.0.1');
  const { file, built } = capture(t, [call]);
  const run = await runCli(['flow', file, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const doc = JSON.parse(run.stdout) as FlowJson;
  assert.equal(doc.calls.length, 1);
  const c = doc.calls[0]!;
  assert.equal(c.callId, call.callId);
  assert.deepEqual(c.hosts.map((h) => [h.id, h.address, h.role]), [['A', '10.1.0.1:5060', 'caller'], ['B', '10.2.0.2:5070', 'callee']]);
  const expected = sipFrames(built, call);
  assert.deepEqual(c.messages.map((m) => m.frameNo), expected.map((f) => f.frameNo));
  // RFC 3262 §5 / RFC 3311 §5: INVITE offer → reliable 183 answer; UPDATE offer → its 200 answer.
  const roles = expected.filter((f) => f.step.sdp !== undefined).map((f) => `${f.label}:${f.step.request !== undefined ? 'offer' : 'answer'}`);
  assert.deepEqual(c.messages.filter((m) => m.sdp !== undefined).map((m) => `${m.kind === 'request' ? m.method : m.statusCode}:${m.sdp?.role}`), roles);
  let cseq = { caller: 0 };
  for (const [i, f] of expected.entries()) {
    const m = c.messages[i]!;
    const caller = f.from === 'caller';
    assert.equal(m.src, caller ? '10.1.0.1:5060' : '10.2.0.2:5070');
    assert.equal(m.dst, caller ? '10.2.0.2:5070' : '10.1.0.1:5060');
    assert.deepEqual([m.from, m.to], caller ? ['A', 'B'] : ['B', 'A']);
    assert.equal(m.kind === 'request' ? m.method : String(m.statusCode), f.label);
    assert.ok(m.label.startsWith(f.label));
    assert.equal(m.callId, call.callId);
    assert.equal(m.time.slice(11, 23), clock(f.at));
    if (f.step.request !== undefined && f.step.request !== 'ACK' && caller) cseq = { caller: cseq.caller + 1 };
    if (f.step.request !== undefined && f.step.request !== 'ACK') assert.equal(m.cseq, `${cseq.caller} ${f.step.request}`);
  }
  const offer = c.messages.find((m) => m.method === 'INVITE' && m.kind === 'request');
  assert.match(offer?.sdp?.summary ?? '', /^offer; audio 10\.1\.0\.1:40000 AMR-WB\/16000 telephone-event\/16000 sendrecv$/);
});

const MERMAID_LINE = [
  /^sequenceDiagram$/,
  /^ {4}participant (?:[A-Z]|H\d+) as [^#;\n]+$/,
  /^ {4}(?:[A-Z]|H\d+)(?:->>|-->>)(?:[A-Z]|H\d+): [^#;\n]*(?:#\d+;[^#;\n]*)*$/,
  /^ {4}Note over (?:[A-Z]|H\d+)(?:,(?:[A-Z]|H\d+))?: [^#;\n]*(?:#\d+;[^#;\n]*)*$/,
];

function decodeEntities(text: string): string {
  return text.replace(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

test('mermaid: every line in the sequenceDiagram grammar subset, participants before use, hostile Call-IDs escaped', async (t) => {
  const hostile = 'evil#1;<b>%%\u001b[31m@x';
  const call: CallSpec = { ...basicCall('mermaid-1@x'), steps: basicCall('mermaid-1@x').steps.map((s) => ({ ...s, callIdText: hostile })) };
  const second = { ...basicCall('mermaid-2@10.1.0.1'), caller: { ip: '10.1.0.3' } };
  const { file, built } = capture(t, [call, second]);
  const run = await runCli(['flow', file, '--format', 'mermaid']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'sequenceDiagram');
  const declared = new Set<string>();
  const arrows: string[] = [];
  for (const line of lines) {
    assert.ok(MERMAID_LINE.some((re) => re.test(line)), `not in the grammar: ${JSON.stringify(line)}`);
    const p = /^ {4}participant (\S+) as /.exec(line);
    if (p !== null) declared.add(p[1] ?? '');
    const m = /^ {4}(\S+?)--?>>(\S+?): (.*) \[f(\d+)\]$/.exec(line);
    if (m !== null) {
      assert.ok(declared.has(m[1] ?? '') && declared.has(m[2] ?? ''), `participants declared before ${line}`);
      arrows.push(`${m[4]}`);
    }
  }
  // One arrow per SIP frame built, each call's in frame order.
  const expected = [...sipFrames(built, call), ...sipFrames(built, second)].map((f) => String(f.frameNo));
  assert.deepEqual(arrows.slice().sort(), expected.slice().sort());
  // Requests are solid arrows from the caller's participant, responses dashed ones back.
  const first = lines.find((l) => l.includes(`[f${sipFrames(built, call)[0]?.frameNo}]`));
  assert.match(first ?? '', /^ {4}([A-Z])->>([A-Z]): INVITE \(SDP\) \[f\d+\]$/);
  // The hostile Call-ID survives as entity codes, with its control character replaced.
  const note = lines.find((l) => l.includes('Note over') && decodeEntities(l).includes('evil#1;<b>%%'));
  assert.ok(note !== undefined, 'Call-ID note');
  assert.ok(!note.includes('\u001b') && decodeEntities(note).includes('evil#1;<b>%%\ufffd[31m@x'));
  assert.ok(lines.some((l) => l.includes('Note over') && l.includes('mermaid-2@10.1.0.1')));
});

test('--call keeps the calls whose Call-ID starts with the value; no match says so on stderr', async (t) => {
  const one = basicCall('alpha-1@10.1.0.1', 2);
  const two = { ...basicCall('beta-2@10.1.0.3', 2.5), caller: { ip: '10.1.0.3' } };
  const { file, built } = capture(t, [one, two]);
  const only = JSON.parse((await runCli(['flow', file, '--format', 'json', '--call', 'beta-2@10.1.0.3'])).stdout) as FlowJson;
  assert.deepEqual(only.calls.map((c) => c.callId), ['beta-2@10.1.0.3']);
  assert.deepEqual(only.calls[0]?.messages.map((m) => m.frameNo), sipFrames(built, two).map((f) => f.frameNo));
  assert.equal(only.summary.messages, sipFrames(built, two).length);
  const prefix = JSON.parse((await runCli(['flow', file, '--format', 'json', '--call', 'alpha'])).stdout) as FlowJson;
  assert.deepEqual(prefix.calls.map((c) => c.callId), ['alpha-1@10.1.0.1']);
  const none = await runCli(['flow', file, '--call', 'gamma']);
  assert.equal(none.code, 0);
  assert.match(none.stderr, /no SIP call with a Call-ID starting with 'gamma'/);
  assert.match(none.stdout, /^0 call\(s\), 0 SIP message\(s\)$/m);
});

test('calls are written as the tracker lets them go: a call ended and quiet for 32 s comes before older open ones', async (t) => {
  // Call "long" lasts 100 s; "short" ends at 11 s; "late" runs from 60 s to 61 s. The first message
  // of "late" comes more than 32 s after "short" ended, which lets "short" go while "long" is open;
  // the BYE of "long" at 100 s comes 39 s after "late" ended, which lets "late" go before it.
  const long = { ...basicCall('long@10.1.0.1', 100) };
  const shift = (steps: readonly SipStep[], by: number): SipStep[] => steps.map((s) => ({ ...s, at: s.at + by }));
  const short: CallSpec = { callId: 'short@10.1.0.3', caller: { ip: '10.1.0.3' }, callee: CALLEE, steps: shift(callFlow({ offer: OFFER, answer: ANSWER, byeAt: 9 }), 2) };
  const late: CallSpec = { callId: 'late@10.1.0.4', caller: { ip: '10.1.0.4' }, callee: CALLEE, steps: shift(callFlow({ offer: OFFER, answer: ANSWER, byeAt: 1 }), 60) };
  const { file } = capture(t, [long, short, late]);
  const doc = JSON.parse((await runCli(['flow', file, '--format', 'json'])).stdout) as FlowJson;
  assert.deepEqual(doc.calls.map((c) => [c.callId, c.doneReason]), [['short@10.1.0.3', 'quiet'], ['late@10.1.0.4', 'quiet'], ['long@10.1.0.1', 'end-of-input']]);
});

test('-o writes the file whole, never replaces one without --force; bad options exit 2', async (t) => {
  const { file } = capture(t, [basicCall('out-1@10.1.0.1')]);
  const dir = mkdtempSync(join(tmpdir(), 'imscap-flow-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const target = join(dir, 'flow.mmd');
  const first = await runCli(['flow', file, '--format', 'mermaid', '-o', target]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, '');
  assert.ok(readFileSync(target, 'utf8').startsWith('sequenceDiagram\n'));
  writeFileSync(target, 'keep');
  const again = await runCli(['flow', file, '-o', target]);
  assert.equal(again.code, 2);
  assert.equal(readFileSync(target, 'utf8'), 'keep');
  assert.equal((await runCli(['flow', file, '-o', target, '--force'])).code, 0);
  assert.match(readFileSync(target, 'utf8'), /^SIP flow of /);
  assert.equal((await runCli(['flow', file, '--format', 'svg'])).code, 2);
  assert.equal((await runCli(['flow', file, '--decode-as', '6060=rtsp'])).code, 2);
  assert.equal((await runCli(['flow', file, '--max-open-calls', '0'])).code, 2);
  assert.equal((await runCli(['flow', join(dir, 'missing.pcap')])).code, 2);
  assert.ok(!existsSync(join(dir, 'missing.pcap')));
});
