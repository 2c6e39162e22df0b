// `imscap calls`, run in-process on captures the test builds: an answered call with 100rel and
// UPDATE, a busy one, a cancelled one and a registration. Each row states the method, state,
// final status, duration, codec, frame span and message count of what the test put in; the JSON
// pairs offers with answers at the frames the test built.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { amrNbFormat, amrWbFormat, buildCallCapture, callFlow, telephoneEventFormat, type BuiltCapture, type CallSpec, type SdpSpec, type SipStep } from '../fixtures/call-capture.js';
import { runCli } from '../support/run-cli.js';

const OFFER: SdpSpec = { port: 40000, formats: [amrWbFormat(96, { octetAlign: true }), amrNbFormat(97), telephoneEventFormat(100, 16000)] };
const ANSWER: SdpSpec = { port: 50000, formats: [amrWbFormat(96, { octetAlign: true }), telephoneEventFormat(100, 16000)] };
const UPDATE = { offer: { ...OFFER, attributes: ['curr:qos local sendrecv'] }, answer: { ...ANSWER, attributes: ['curr:qos local sendrecv'] } };
const shift = (steps: readonly SipStep[], by: number): SipStep[] => steps.map((s) => ({ ...s, at: s.at + by }));

const ANSWERED: CallSpec = { callId: 'answered@10.0.0.1', caller: { ip: '10.0.0.1', user: 'alice' }, callee: { ip: '10.0.0.2', user: 'bob' }, steps: callFlow({ offer: OFFER, answer: ANSWER, update: UPDATE, byeAt: 7.5 }) };
const BUSY: CallSpec = {
  callId: 'busy@10.0.0.3', caller: { ip: '10.0.0.3', user: 'carol' }, callee: { ip: '10.0.0.2', user: 'bob' },
  steps: shift([
    { at: 0, from: 'caller', request: 'INVITE', sdp: OFFER },
    { at: 0.01, from: 'callee', response: 100 },
    { at: 0.2, from: 'callee', response: 486 },
    { at: 0.21, from: 'caller', request: 'ACK' },
  ], 1),
};
const CANCELLED: CallSpec = {
  callId: 'cancelled@10.0.0.4', caller: { ip: '10.0.0.4', user: 'dave' }, callee: { ip: '10.0.0.2', user: 'bob' },
  steps: shift([
    { at: 0, from: 'caller', request: 'INVITE', sdp: OFFER },
    { at: 0.1, from: 'callee', response: 180 },
    { at: 2, from: 'caller', request: 'CANCEL' },
    { at: 2.01, from: 'callee', response: 200 },
    { at: 2.02, from: 'callee', response: 487, answers: 'INVITE' },
    { at: 2.03, from: 'caller', request: 'ACK' },
  ], 2),
};
const REGISTRATION: CallSpec = {
  callId: 'register@10.0.0.5', caller: { ip: '10.0.0.5', user: 'erin' }, callee: { ip: '10.0.0.9', user: 'registrar' },
  steps: shift([
    { at: 0, from: 'caller', request: 'REGISTER' },
    { at: 0.05, from: 'callee', response: 401 },
    { at: 0.1, from: 'caller', request: 'REGISTER' },
    { at: 0.15, from: 'callee', response: 200 },
  ], 0.5),
};
const CALLS = [ANSWERED, BUSY, CANCELLED, REGISTRATION];

interface Exchange {
  frameNo: number;
  carrier: string;
  media: { port: number; formats: { name: string }[] }[];
}

interface CallsJson {
  summary: { calls: number; dialogs: number };
  calls: {
    callId: string;
    firstMethod: string;
    messages: number;
    transactions: number;
    transactionsByMethod: Record<string, number>;
    lastFinalStatus?: number;
    dialogs: {
      method: string;
      state: string;
      finalStatus?: number;
      from: string;
      to: string;
      caller: string;
      callee: string;
      duration: number;
      firstFrameNo: number;
      lastFrameNo: number;
      messages: number;
      codec?: { name: string; payloadType: number };
      negotiations: { trigger: string; status: string; offer: Exchange; answer?: Exchange }[];
    }[];
  }[];
}

function frames(built: BuiltCapture, call: CallSpec): { frameNo: number; at: number; label: string }[] {
  return built.frames.filter((f) => f.kind === 'sip' && f.callId === call.callId);
}

function build(t: TestContext): { file: string; built: BuiltCapture } {
  const built = buildCallCapture(CALLS);
  return { file: tempCaptureFile(t, 'calls.pcapng', built.pcapng()), built };
}

test('calls text: one row per dialog (and one for a registration) with what the capture holds', async (t) => {
  const { file, built } = build(t);
  const run = await runCli(['calls', file]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /: 4 call\(s\), 3 dialog\(s\), from 2023-11-14T22:13:20\.000000Z$/);
  const header = lines[1] ?? '';
  const columns = ['Start', 'Call-ID', 'From', 'To', 'Method', 'State', 'Status', 'Duration', 'Codec', 'Frames', 'Msgs'];
  const starts = columns.map((c) => header.indexOf(c));
  assert.ok(starts.every((s, i) => s >= 0 && (i === 0 || s > (starts[i - 1] ?? 0))), header);
  const cells = (line: string): string[] => starts.map((s, i) => line.slice(s, starts[i + 1]).trim());
  const rows = lines.slice(2).map(cells);
  const byId = new Map(rows.map((r) => [r[1], r]));
  const expect = (call: CallSpec, cols: Partial<Record<(typeof columns)[number], string>>): void => {
    const row = byId.get(call.callId);
    assert.ok(row !== undefined, call.callId);
    const f = frames(built, call);
    assert.equal(row[9], `${f[0]?.frameNo}–${f.at(-1)?.frameNo}`, `${call.callId} frames`);
    assert.equal(row[10], String(f.length), `${call.callId} messages`);
    assert.equal(row[7], `${((f.at(-1)?.at ?? 0) - (f[0]?.at ?? 0)).toFixed(3)} s`, `${call.callId} duration`);
    for (const [name, value] of Object.entries(cols)) assert.equal(row[columns.indexOf(name)], value, `${call.callId} ${name}`);
  };
  expect(ANSWERED, { Method: 'INVITE', State: 'terminated', Status: '200', Codec: 'AMR-WB/16000', From: 'sip:alice@10.0.0.1', To: 'sip:bob@10.0.0.2', Start: '22:13:20.000' });
  expect(BUSY, { Method: 'INVITE', State: 'failed', Status: '486', Codec: '-', Start: '22:13:21.000' });
  expect(CANCELLED, { Method: 'INVITE', State: 'cancelled', Status: '487', Codec: '-' });
  expect(REGISTRATION, { Method: 'REGISTER', State: '-', Status: '200', Codec: '-', From: 'sip:erin@10.0.0.5' });
  // Rows in the order of the calls' first messages.
  assert.deepEqual(rows.map((r) => r[1]), [ANSWERED, REGISTRATION, BUSY, CANCELLED].map((c) => c.callId));
});

test('calls json: negotiations pair each offer with its answer at the frames the test built', async (t) => {
  const { file, built } = build(t);
  const doc = JSON.parse((await runCli(['calls', file, '--format', 'json'])).stdout) as CallsJson;
  assert.deepEqual(doc.summary, { calls: 4, dialogs: 3, unplaced: 0 });
  const answered = doc.calls.find((c) => c.callId === ANSWERED.callId);
  assert.ok(answered !== undefined);
  const f = frames(built, ANSWERED);
  const at = (label: string, nth = 0): number => f.filter((x) => x.label === label)[nth]?.frameNo ?? -1;
  const d = answered.dialogs[0]!;
  // RFC 3262 §5: the INVITE's offer is answered in the reliable 183; RFC 3311 §5: UPDATE in its 200.
  assert.deepEqual(d.negotiations.map((n) => [n.trigger, n.status, n.offer.frameNo, n.answer?.frameNo]), [
    ['INVITE', 'complete', at('INVITE'), at('183')],
    ['UPDATE', 'complete', at('UPDATE'), at('200', 1)],
  ]);
  assert.deepEqual(d.negotiations[0]?.offer.media[0]?.formats.map((x) => x.name), ['AMR-WB/16000', 'AMR/8000', 'telephone-event/16000']);
  assert.equal(d.negotiations[0]?.answer?.media[0]?.port, ANSWER.port);
  assert.deepEqual(d.codec && [d.codec.name, d.codec.payloadType], ['AMR-WB/16000', 96]);
  assert.deepEqual([d.caller, d.callee, d.from, d.to], ['10.0.0.1:5060', '10.0.0.2:5060', 'sip:alice@10.0.0.1', 'sip:bob@10.0.0.2']);
  assert.equal(d.messages, f.length);
  // Transactions: INVITE, PRACK, UPDATE, BYE (the ACK of a 2xx is its own).
  assert.deepEqual(answered.transactionsByMethod, { INVITE: 1, PRACK: 1, UPDATE: 1, ACK: 1, BYE: 1 });
  const reg = doc.calls.find((c) => c.callId === REGISTRATION.callId);
  assert.deepEqual([reg?.firstMethod, reg?.dialogs.length, reg?.transactions, reg?.lastFinalStatus, reg?.messages], ['REGISTER', 0, 2, 200, 4]);
  const busy = doc.calls.find((c) => c.callId === BUSY.callId)?.dialogs[0];
  assert.deepEqual(busy?.negotiations.map((n) => [n.status, n.offer.frameNo, n.answer?.frameNo]), [['rejected', frames(built, BUSY)[0]?.frameNo, undefined]]);
});

test('calls: --decode-as and --format are checked', async (t) => {
  const { file } = build(t);
  for (const bad of [['--decode-as', 'x=sip'], ['--decode-as', '5060'], ['--format', 'csv'], ['--max-open-calls', 'many']]) {
    const run = await runCli(['calls', file, ...bad]);
    assert.equal(run.code, 2, bad.join(' '));
    assert.match(run.stderr, /^imscap: /);
  }
});
