// The SDP audit on call captures built here: each rule against a call that breaks it and one
// that does not, with the frames the builder reports as the expected frames.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { runPass } from '../../src/pipeline/pass.js';
import { SdpAuditor, type SdpAuditOptions } from '../../src/analysis/sdp-audit/auditor.js';
import type { SdpAuditReport } from '../../src/analysis/sdp-audit/types.js';
import { AUDIT_RULE_IDS } from '../../src/analysis/sdp-audit/rules.js';
import type { Finding } from '../../src/report/findings.js';
import { SdpCall, amrNb, amrWb, telephoneEvent, type FormatSpec } from '../fixtures/sdp-call.js';

async function audit(t: TestContext, call: SdpCall, options?: SdpAuditOptions): Promise<SdpAuditReport> {
  const auditor = new SdpAuditor(options);
  await runPass(call.write(t), auditor.handlers());
  return auditor.finish();
}

interface BasicCall {
  readonly invite: number;
  readonly answer: number;
  readonly ack: number;
}

/** INVITE with the offer, 200 with the answer, ACK (RFC 3261 §13.2.1). */
function basicCall(call: SdpCall, offer: readonly FormatSpec[], answer: readonly FormatSpec[]): BasicCall {
  const invite = call.request('caller', 'INVITE', 1, { body: call.sdp('caller', 1, offer) });
  call.response('callee', 100, 1, 'INVITE');
  const ok = call.response('callee', 200, 1, 'INVITE', { body: call.sdp('callee', 1, answer) });
  const ack = call.request('caller', 'ACK', 1, { branch: 'z9hG4bK-ack-1' });
  return { invite, answer: ok, ack };
}

const only = (report: SdpAuditReport, ruleId: string): Finding => {
  assert.deepEqual(
    report.findings.map((f) => f.ruleId),
    [ruleId],
    `expected exactly one ${ruleId} finding, got: ${report.findings.map((f) => `${f.ruleId}: ${f.message}`).join(' | ')}`,
  );
  return report.findings[0]!;
};

const WB_MODES = 'mode-set=0,1,2';

test('a clean call (183 + PRACK + UPDATE, RTP within the mode-set both ways) produces no finding', async (t) => {
  const call = new SdpCall();
  const offer = [amrWb(96, WB_MODES), amrWb(97, `${WB_MODES};octet-align=1`), amrNb(98, 'mode-set=0,2,4,7'), telephoneEvent(100, 16000), telephoneEvent(101, 8000)];
  const invite = call.request('caller', 'INVITE', 1, { body: call.sdp('caller', 1, offer), extra: ['Supported: 100rel'] });
  call.response('callee', 100, 1, 'INVITE');
  const answer183 = call.response('callee', 183, 1, 'INVITE', { body: call.sdp('callee', 1, [amrWb(96, WB_MODES), telephoneEvent(100, 16000)]), extra: ['Require: 100rel', 'RSeq: 1'] });
  call.request('caller', 'PRACK', 2, { extra: ['RAck: 1 1 INVITE'] });
  call.response('callee', 200, 2, 'PRACK');
  const update = call.request('caller', 'UPDATE', 3, { body: call.sdp('caller', 2, [amrWb(96, WB_MODES), telephoneEvent(100, 16000)]) });
  const updateOk = call.response('callee', 200, 3, 'UPDATE', { body: call.sdp('callee', 2, [amrWb(96, WB_MODES), telephoneEvent(100, 16000)]) });
  call.response('callee', 200, 1, 'INVITE');
  call.request('caller', 'ACK', 1, { branch: 'z9hG4bK-ack-1' });
  // Speech in modes 0–2, SID (9) and NO_DATA (15): SID and NO_DATA are never in a mode-set (RFC 4867 §8.1).
  const sent = [...call.amr('caller', { pt: 96, wideband: true, frameTypes: [2, 2, 1, 0, 9, 15, 15, 2] }), ...call.amr('callee', { pt: 96, wideband: true, frameTypes: [0, 1, 2, 9, 15], cmr: 1 })];
  call.rtp('caller', 100, Uint8Array.of(1, 0x0a, 0, 160), 0);
  call.request('caller', 'BYE', 4);
  call.response('callee', 200, 4, 'BYE');

  const report = await audit(t, call);
  assert.deepEqual(report.findings, []);
  assert.equal(report.calls.length, 1);
  const negotiations = report.calls[0]!.negotiations;
  assert.deepEqual(
    negotiations.map((n) => [n.trigger, n.offerFrameNo, n.answerFrameNo, n.status]),
    [
      ['INVITE', invite, answer183, 'complete'],
      ['UPDATE', update, updateOk, 'complete'],
    ],
  );
  assert.deepEqual(negotiations[0]!.media.map((m) => m.chosen?.payloadType), [96]);
  assert.equal(report.rtp.packets, sent.length + 1);
  assert.equal(report.rtp.checked, sent.length + 1);
});

test('mode-set-modified: the answer narrows the offered AMR mode-set (the "no codec available" call)', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(
    call,
    [amrWb(104, 'mode-set=0,1,2,3,4,5,6,7,8'), amrNb(102, 'mode-set=0,1,2,3,4,5,6,7'), telephoneEvent(105, 16000), telephoneEvent(100, 8000)],
    [amrNb(102, 'mode-set=7'), telephoneEvent(100, 8000)],
  );
  const f = only(await audit(t, call, { rules: new Set(AUDIT_RULE_IDS) }), 'mode-set-modified');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.frames, [answer, invite]);
  assert.equal(f.callId, call.callId);
  assert.equal(f.properties?.payloadType, 102);
  assert.match(f.message, /mode-set=7/);
  assert.match(f.message, /mode-set=0,1,2,3,4,5,6,7\b/);
  assert.match(f.message, /RFC 4867 §8\.3\.1/);
});

test('mode-set-dropped: the answer accepts the payload type without the offered mode-set', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96, WB_MODES)], [amrWb(96)]);
  const f = only(await audit(t, call), 'mode-set-dropped');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.frames, [answer, invite]);
});

test('a mode-set chosen by the answerer when the offer had none, or returned reordered, is compliant', async (t) => {
  const chosen = new SdpCall();
  basicCall(chosen, [amrWb(96)], [amrWb(96, WB_MODES)]);
  assert.deepEqual((await audit(t, chosen)).findings, []);
  const reordered = new SdpCall();
  basicCall(reordered, [amrWb(96, 'mode-set=0,1,2')], [amrWb(96, 'mode-set=2,1,0')]);
  assert.deepEqual((await audit(t, reordered)).findings, []);
});

test('formats pair by codec and configuration, not payload type number (RFC 3264 §6.1)', async (t) => {
  const call = new SdpCall();
  // The offer has AMR-WB twice: bandwidth-efficient with a mode-set, octet-aligned without.
  basicCall(call, [amrWb(96, WB_MODES), amrWb(97, 'octet-align=1')], [amrWb(110, 'octet-align=1')]);
  assert.deepEqual((await audit(t, call)).findings, []);
});

test('octet-align-mismatch: the answer picks octet-aligned for a codec offered bandwidth-efficient only', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96), telephoneEvent(100, 16000)], [amrWb(96, 'octet-align=1'), telephoneEvent(100, 16000)]);
  const f = only(await audit(t, call), 'octet-align-mismatch');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.frames, [answer, invite]);
});

test('octet-align-mismatch: RTP sent octet-aligned when both SDPs say bandwidth-efficient, per direction', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96)], [amrWb(96)]);
  call.amr('caller', { pt: 96, wideband: true, frameTypes: [2, 2, 2] });
  const wrong = call.amr('callee', { pt: 96, wideband: true, frameTypes: [8, 8, 8, 8], octetAligned: true });
  const f = only(await audit(t, call), 'octet-align-mismatch');
  assert.deepEqual(f.frames, [wrong[0], answer, invite]);
  assert.equal(f.properties?.direction, 'callee→caller');
  assert.equal(f.properties?.count, wrong.length);
  assert.equal(f.properties?.total, wrong.length);
});

test('frame-type-outside-mode-set: counts and first frame per direction; SID and NO_DATA are not modes', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96, WB_MODES)], [amrWb(96, WB_MODES)]);
  const inside = call.amr('caller', { pt: 96, wideband: true, frameTypes: [2, 1, 9, 15] });
  const outside = call.amr('caller', { pt: 96, wideband: true, frameTypes: [8, 2, 8, 5] });
  call.amr('callee', { pt: 96, wideband: true, frameTypes: [0, 1, 2, 9, 15] });
  const f = only(await audit(t, call), 'frame-type-outside-mode-set');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.frames, [outside[0], answer, invite]);
  assert.equal(f.properties?.direction, 'caller→callee');
  assert.equal(f.properties?.count, 3);
  // Speech frames only: 2, 1 then 8, 2, 8, 5.
  assert.equal(f.properties?.total, 6);
  assert.match(f.message, /mode 5 ×1, mode 8 ×2/);
  assert.ok(inside.length === 4);
});

test('cmr-outside-mode-set: a codec mode request outside the mode-set is a warning', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrNb(97, 'mode-set=0,2,4,7')], [amrNb(97, 'mode-set=0,2,4,7')]);
  call.amr('callee', { pt: 97, wideband: false, frameTypes: [7, 7], cmr: 7 });
  const requests = call.amr('callee', { pt: 97, wideband: false, frameTypes: [4, 4, 4], cmr: 5 });
  const f = only(await audit(t, call), 'cmr-outside-mode-set');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.frames, [requests[0], answer, invite]);
  assert.equal(f.properties?.direction, 'callee→caller');
  assert.equal(f.properties?.count, 3);
  assert.equal(f.properties?.total, 5);
});

test('offer/answer through 183 + PRACK + UPDATE: the UPDATE answer is paired with the UPDATE offer', async (t) => {
  const call = new SdpCall();
  call.request('caller', 'INVITE', 1, { body: call.sdp('caller', 1, [amrWb(96, WB_MODES)]) });
  call.response('callee', 183, 1, 'INVITE', { body: call.sdp('callee', 1, [amrWb(96, WB_MODES)]), extra: ['Require: 100rel', 'RSeq: 1'] });
  call.request('caller', 'PRACK', 2, { extra: ['RAck: 1 1 INVITE'] });
  call.response('callee', 200, 2, 'PRACK');
  const update = call.request('caller', 'UPDATE', 3, { body: call.sdp('caller', 2, [amrWb(96, 'mode-set=0,1,2,8')]) });
  const updateOk = call.response('callee', 200, 3, 'UPDATE', { body: call.sdp('callee', 2, [amrWb(96, 'mode-set=8')]) });
  call.response('callee', 200, 1, 'INVITE');
  call.request('caller', 'ACK', 1, { branch: 'z9hG4bK-ack-1' });
  const f = only(await audit(t, call), 'mode-set-modified');
  assert.deepEqual(f.frames, [updateOk, update]);
  assert.equal(f.properties?.answerFrame, updateOk);
});

test('offer in a reliable 183 answered in the PRACK (INVITE without SDP) is paired right', async (t) => {
  const call = new SdpCall();
  call.request('caller', 'INVITE', 1, { extra: ['Supported: 100rel'] });
  const offer = call.response('callee', 183, 1, 'INVITE', { body: call.sdp('callee', 1, [amrWb(96, WB_MODES)]), extra: ['Require: 100rel', 'RSeq: 1'] });
  const prack = call.request('caller', 'PRACK', 2, { extra: ['RAck: 1 1 INVITE'], body: call.sdp('caller', 1, [amrWb(96)]) });
  call.response('callee', 200, 2, 'PRACK');
  const f = only(await audit(t, call), 'mode-set-dropped');
  assert.deepEqual(f.frames, [prack, offer]);
});

test('RTP is checked against the negotiation in force: a re-INVITE narrowing the mode-set', async (t) => {
  const call = new SdpCall();
  basicCall(call, [amrWb(96)], [amrWb(96)]);
  // No mode-set yet: every mode is allowed.
  call.amr('caller', { pt: 96, wideband: true, frameTypes: [8, 8, 8] });
  call.amr('callee', { pt: 96, wideband: true, frameTypes: [8, 8] });
  const reinvite = call.request('caller', 'INVITE', 2, { body: call.sdp('caller', 2, [amrWb(96, WB_MODES)]) });
  const reinviteOk = call.response('callee', 200, 2, 'INVITE', { body: call.sdp('callee', 2, [amrWb(96, WB_MODES)]) });
  call.request('caller', 'ACK', 2, { branch: 'z9hG4bK-ack-2' });
  call.amr('caller', { pt: 96, wideband: true, frameTypes: [2, 2] });
  const late = call.amr('callee', { pt: 96, wideband: true, frameTypes: [2, 8, 8] });
  const report = await audit(t, call);
  const f = only(report, 'frame-type-outside-mode-set');
  assert.deepEqual(f.frames, [late[1], reinviteOk, reinvite]);
  assert.equal(f.properties?.direction, 'callee→caller');
  assert.equal(f.properties?.count, 2);
  assert.deepEqual(report.calls[0]!.negotiations.map((n) => n.trigger), ['INVITE', 're-INVITE']);
});

test('a rejected re-INVITE leaves the previous negotiation in force (RFC 3261 §14.1)', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96, WB_MODES)], [amrWb(96, WB_MODES)]);
  call.request('caller', 'INVITE', 2, { body: call.sdp('caller', 2, [amrWb(96)]) });
  call.response('callee', 488, 2, 'INVITE');
  call.request('caller', 'ACK', 2);
  // Sent to the callee's address, bound by the first answer: mode 8 is outside it.
  const sent = call.amr('caller', { pt: 96, wideband: true, frameTypes: [8] });
  const f = only(await audit(t, call), 'frame-type-outside-mode-set');
  assert.deepEqual(f.frames, [sent[0], answer, invite]);
});

test('no-common-codec: the answer accepts the stream with a codec the offer did not have', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96), amrNb(97)], [{ pt: 0 }]);
  const f = only(await audit(t, call), 'no-common-codec');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.frames, [answer, invite]);
  assert.match(f.message, /0 PCMU\/8000/);
});

test('answer-codec-not-offered: an extra codec next to a common one is a note', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96), telephoneEvent(100, 16000)], [amrWb(96), { pt: 8 }, telephoneEvent(100, 16000)]);
  const f = only(await audit(t, call), 'answer-codec-not-offered');
  assert.equal(f.severity, 'note');
  assert.deepEqual(f.frames, [answer, invite]);
  assert.equal(f.properties?.payloadTypes, '8');
});

test('rtp-payload-type-not-negotiated: payload types outside the answer are counted per direction', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96), amrWb(97, 'octet-align=1'), telephoneEvent(100, 16000)], [amrWb(96), telephoneEvent(100, 16000)]);
  call.amr('caller', { pt: 96, wideband: true, frameTypes: [2, 2] });
  // PT 97 is in the caller's offer but the answer did not keep it; PT 13 (comfort noise) was never offered.
  const stray = call.amr('caller', { pt: 97, wideband: true, frameTypes: [2], octetAligned: true });
  const cn = call.rtp('caller', 13, Uint8Array.of(40));
  call.amr('callee', { pt: 96, wideband: true, frameTypes: [2] });
  const f = only(await audit(t, call), 'rtp-payload-type-not-negotiated');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.frames, [stray[0], answer, invite]);
  assert.equal(f.properties?.direction, 'caller→callee');
  assert.equal(f.properties?.count, 2);
  assert.equal(f.properties?.total, 4);
  assert.ok(cn > stray[0]!);
});

test('telephone-event-rate-mismatch: AMR-WB answered with telephone-event/8000 only', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96), telephoneEvent(101, 8000)], [amrWb(96), telephoneEvent(101, 8000)]);
  const f = only(await audit(t, call), 'telephone-event-rate-mismatch');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.frames, [answer, invite]);
  const clean = new SdpCall();
  basicCall(clean, [amrWb(96), telephoneEvent(100, 16000), telephoneEvent(101, 8000)], [amrWb(96), telephoneEvent(100, 16000)]);
  assert.deepEqual((await audit(t, clean)).findings, []);
});

test('mode-change-period-unsupported: mode-change-period=2 asked of a side without mode-change-capability=2', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrNb(97, 'mode-change-period=2')], [amrNb(97)]);
  const f = only(await audit(t, call), 'mode-change-period-unsupported');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.frames, [answer, invite]);
  const capable = new SdpCall();
  basicCall(capable, [amrNb(97, 'mode-change-period=2;mode-change-capability=2')], [amrNb(97, 'mode-change-capability=2;mode-change-period=2')]);
  assert.deepEqual((await audit(t, capable)).findings, []);
});

test('max-red-exceeded: repetitions reaching further back than the sender declared', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrWb(96, 'max-red=220')], [amrWb(96, 'max-red=0')]);
  // The caller declared max-red=220: one repeated frame (20 ms) is within it.
  call.amr('caller', { pt: 96, wideband: true, frameTypes: [2, 2, 2, 2], repeat: 1 });
  // The callee declared max-red=0 and repeats two frames: 40 ms back from the second packet on.
  const red = call.amr('callee', { pt: 96, wideband: true, frameTypes: [2, 2, 2, 2], repeat: 2 });
  const f = only(await audit(t, call), 'max-red-exceeded');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.frames, [red[1], answer, invite]);
  assert.equal(f.properties?.direction, 'callee→caller');
  assert.equal(f.properties?.count, 3);
});

test('amr-fmtp-invalid: a mode outside 0..7 for AMR, once per author and problem', async (t) => {
  const call = new SdpCall();
  const { invite } = basicCall(call, [amrNb(97, 'mode-set=0,2,8'), amrNb(98, 'mode-set=0,2,8;octet-align=1')], [amrNb(97, 'mode-set=0,2,8')]);
  const report = await audit(t, call);
  const invalid = report.findings.filter((f) => f.ruleId === 'amr-fmtp-invalid');
  assert.equal(invalid.length, 2);
  assert.deepEqual(invalid.map((f) => f.properties?.side).sort(), ['callee', 'caller']);
  const caller = invalid.find((f) => f.properties?.side === 'caller')!;
  assert.deepEqual(caller.frames, [invite]);
  assert.match(caller.message, /97 AMR\/8000, 98 AMR\/8000/);
  assert.deepEqual(report.findings.filter((f) => f.ruleId !== 'amr-fmtp-invalid'), []);
});

test('rules can be switched off: the finding goes, the others stay', async (t) => {
  const call = new SdpCall();
  basicCall(call, [amrWb(96, WB_MODES), telephoneEvent(101, 8000)], [amrWb(96), telephoneEvent(101, 8000)]);
  const all = await audit(t, call);
  assert.deepEqual(all.findings.map((f) => f.ruleId).sort(), ['mode-set-dropped', 'telephone-event-rate-mismatch']);
  const some = await audit(t, call, { rules: new Set(AUDIT_RULE_IDS.filter((r) => r !== 'mode-set-dropped')) });
  assert.deepEqual(some.findings.map((f) => f.ruleId), ['telephone-event-rate-mismatch']);
  assert.ok(!some.rules.some((r) => r.id === 'mode-set-dropped'));
});

test('garbage RTP on a negotiated flow and a broken SDP body are counted, never thrown', async (t) => {
  const call = new SdpCall();
  basicCall(call, [amrWb(96, WB_MODES)], [amrWb(96, WB_MODES)]);
  for (let i = 0; i < 20; i++) call.rtp('caller', 96, Uint8Array.from({ length: i }, (_, k) => (k * 37 + i) & 0xff));
  call.request('caller', 'INVITE', 2, { body: 'v=0\r\nm=audio x\r\n\u0000garbage' });
  const report = await audit(t, call);
  assert.deepEqual(report.findings, []);
  assert.equal(report.rtp.packets, 20);
});

test('forked early dialogs: each 183 answer is checked, RTP to the offerer goes with the dialog that got the 2xx', async (t) => {
  const call = new SdpCall();
  const invite = call.request('caller', 'INVITE', 1, { body: call.sdp('caller', 1, [amrWb(96, WB_MODES)]) });
  const forkA = call.response('callee', 183, 1, 'INVITE', { calleeTag: 'fork-a', body: call.sdp('callee', 1, [amrWb(96, 'mode-set=2')]) });
  const forkB = call.response('callee', 183, 1, 'INVITE', { calleeTag: 'fork-b', body: call.sdp('callee', 1, [amrWb(96, 'mode-set=0,1,2')]) });
  call.response('callee', 200, 1, 'INVITE', { calleeTag: 'fork-b' });
  call.request('caller', 'ACK', 1, { calleeTag: 'fork-b', branch: 'z9hG4bK-ack-1' });
  call.amr('callee', { pt: 96, wideband: true, frameTypes: [2, 1, 0] });
  const report = await audit(t, call);
  const f = only(report, 'mode-set-modified');
  assert.deepEqual(f.frames, [forkA, invite]);
  assert.deepEqual(report.calls[0]!.negotiations.map((n) => n.answerFrameNo).sort((a, b) => (a ?? 0) - (b ?? 0)), [forkA, forkB]);
  assert.equal(report.rtp.checked, 3);
});

test('symmetric RTP found by its source address is checked against the receiver (RFC 3264 §5.1)', async (t) => {
  const call = new SdpCall();
  const { invite, answer } = basicCall(call, [amrNb(97, 'mode-set=0,2')], [amrNb(97, 'mode-set=0,2')]);
  // Sent from the callee's SDP port to a caller port no SDP named.
  const sent = call.amr('callee', { pt: 97, wideband: false, frameTypes: [2, 7], toPort: 40100 });
  const f = only(await audit(t, call), 'frame-type-outside-mode-set');
  assert.deepEqual(f.frames, [sent[1], answer, invite]);
  assert.equal(f.properties?.direction, 'callee→caller');
});

test('adversarial SDP (odd fmtp values, m= lines that do not pair, a 60 kB mode-set) is audited without throwing', async (t) => {
  const call = new SdpCall();
  const huge = `mode-set=${'1,'.repeat(15_000)}1`;
  const bodies: [string, string][] = [
    [call.sdp('caller', 1, [amrNb(97, 'mode-set=1,1,x;octet-align=2;mode-change-period=3;max-red=-1'), amrNb(97, 'mode-set=')]), call.sdp('callee', 1, [amrNb(97, 'mode-set')])],
    [call.sdp('caller', 2, [amrWb(96, huge)]), call.sdp('callee', 2, [amrWb(96, huge)])],
    [`${call.sdp('caller', 3, [amrWb(96)])}m=audio 0 RTP/AVP 0\r\nm=video 5000 RTP/AVP 99\r\n`, call.sdp('callee', 3, [])],
    [call.sdp('caller', 4, [{ pt: 96 }, { pt: 127, codec: 'AMR-WB/16000/0' }]), call.sdp('callee', 4, [{ pt: 96 }, { pt: 200, codec: 'x' }])],
  ];
  const started = Date.now();
  bodies.forEach(([offer, answer], i) => {
    call.request('caller', 'INVITE', i + 1, { body: offer });
    call.response('callee', 200, i + 1, 'INVITE', { body: answer });
    call.request('caller', 'ACK', i + 1, { branch: `z9hG4bK-ack-${i + 1}` });
    call.amr('caller', { pt: 96, wideband: true, frameTypes: [2, 8] });
    call.amr('callee', { pt: 97, wideband: false, frameTypes: [7], cmr: 3 });
  });
  const report = await audit(t, call);
  assert.ok(Date.now() - started < 5000);
  assert.equal(report.calls[0]!.negotiations.length, bodies.length);
  for (const f of report.findings) assert.ok(f.frames.length > 0 && f.message.length > 0);
});
