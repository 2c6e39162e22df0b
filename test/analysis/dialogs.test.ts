// Dialogs, transactions and offer/answer on call flows written as SIP text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../src/decode-error.js';
import { DialogTracker, negotiatedCodec, type DialogListener, type SipDialog } from '../../src/analysis/dialogs.js';
import { decodeSipMessage } from '../../src/protocols/sip/decode.js';

const CALLER = { ip: '10.0.0.1', port: 5060 };
const CALLEE = { ip: '10.0.0.2', port: 5060 };
const PROXY = { ip: '10.0.0.3', port: 5060 };

function sdp(version: number, port: number, codecs: string[] = ['96 AMR-WB/16000', '101 telephone-event/16000'], owner = 'ue'): string {
  const pts = codecs.map((c) => c.split(' ')[0]).join(' ');
  return [
    'v=0',
    `o=${owner} 1000 ${version} IN IP4 10.0.0.9`,
    's=-',
    `c=IN IP4 10.0.0.${port % 100}`,
    't=0 0',
    `m=audio ${port} RTP/AVP ${pts}`,
    ...codecs.map((c) => `a=rtpmap:${c}`),
    '',
  ].join('\r\n');
}

interface MsgSpec {
  readonly from?: { ip: string; port: number };
  readonly to?: { ip: string; port: number };
  readonly cseq: string;
  readonly branch?: string;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly callId?: string;
  readonly body?: string;
  readonly extra?: readonly string[];
}

/** Feeds messages to a tracker with consecutive frame numbers; the caller is From tag "caller". */
class Flow {
  readonly tracker: DialogTracker;
  frame = 0;
  constructor(listener?: DialogListener) {
    this.tracker = new DialogTracker(listener);
  }

  send(startLine: string, spec: MsgSpec): number {
    const isRequest = !startLine.startsWith('SIP/');
    const src = spec.from ?? (isRequest ? CALLER : CALLEE);
    const dst = spec.to ?? (isRequest ? CALLEE : CALLER);
    const headers = [
      `Via: SIP/2.0/UDP ${CALLER.ip}:5060;branch=${spec.branch ?? `z9hG4bK-${spec.cseq.replace(' ', '-')}`}`,
      `From: <sip:alice@example.com>;tag=${spec.fromTag ?? 'caller'}`,
      `To: <sip:bob@example.com>${spec.toTag === undefined ? '' : `;tag=${spec.toTag}`}`,
      `Call-ID: ${spec.callId ?? 'call-1'}`,
      `CSeq: ${spec.cseq}`,
      ...(spec.extra ?? []),
    ];
    if (spec.body !== undefined) headers.push('Content-Type: application/sdp');
    const body = spec.body ?? '';
    headers.push(`Content-Length: ${Buffer.byteLength(body)}`);
    const m = decodeSipMessage(new Uint8Array(Buffer.from(`${startLine}\r\n${headers.join('\r\n')}\r\n\r\n${body}`)));
    assert.ok(!isDecodeError(m));
    this.frame++;
    this.tracker.push({ message: m, frameNo: this.frame, ts: 1000 + this.frame, src: src.ip, dst: dst.ip, srcPort: src.port, dstPort: dst.port, transport: 'udp' });
    return this.frame;
  }

  dialogs(): readonly SipDialog[] {
    this.tracker.finish();
    return this.tracker.dialogs();
  }
}

const INVITE = 'INVITE sip:bob@example.com SIP/2.0';
const RELIABLE = ['Require: 100rel', 'RSeq: 1'];

test('basic call: offer in INVITE, answer in 200, BYE terminates (RFC 3261 §13.2.1)', () => {
  const f = new Flow();
  const inv = f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000) });
  f.send('SIP/2.0 100 Trying', { cseq: '1 INVITE' });
  f.send('SIP/2.0 180 Ringing', { cseq: '1 INVITE', toTag: 'callee' });
  const ok = f.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, ['8 PCMA/8000', '96 AMR-WB/16000'], 'peer') });
  f.send('ACK sip:bob@example.com SIP/2.0', { cseq: '1 ACK', toTag: 'callee', branch: 'z9hG4bK-ack' });
  const bye = f.send('BYE sip:bob@example.com SIP/2.0', { from: CALLEE, to: CALLER, cseq: '1 BYE', fromTag: 'callee', toTag: 'caller' });
  const done = f.send('SIP/2.0 200 OK', { from: CALLER, to: CALLEE, cseq: '1 BYE', fromTag: 'callee', toTag: 'caller' });
  const [d, ...rest] = f.dialogs();
  assert.equal(rest.length, 0);
  assert.ok(d !== undefined);
  assert.equal(d.callId, 'call-1');
  assert.equal(d.callerTag, 'caller');
  assert.equal(d.calleeTag, 'callee');
  assert.equal(d.method, 'INVITE');
  assert.equal(d.state, 'terminated');
  assert.equal(d.finalStatus, 200);
  assert.equal(d.callerAddress, '10.0.0.1:5060');
  assert.equal(d.calleeAddress, '10.0.0.2:5060');
  assert.equal(d.firstFrameNo, inv);
  assert.equal(d.lastFrameNo, done);
  assert.equal(d.startTs, 1000 + inv);
  assert.equal(d.endTs, 1000 + done);
  assert.equal(d.messages.length, 7);
  assert.equal(d.messages.find((m) => m.frameNo === bye)?.side, 'callee');
  assert.equal(d.negotiations.length, 1);
  const n = d.negotiations[0]!;
  assert.equal(n.trigger, 'INVITE');
  assert.equal(n.status, 'complete');
  assert.equal(n.offer.frameNo, inv);
  assert.equal(n.offer.side, 'caller');
  assert.equal(n.offer.carrier, 'INVITE');
  assert.equal(n.answer?.frameNo, ok);
  assert.equal(n.answer?.side, 'callee');
  assert.equal(n.answer?.carrier, '200');
  const codec = negotiatedCodec(d);
  assert.equal(codec?.format.payloadType, 8);
  assert.equal(codec?.format.encodingName, 'PCMA');
  assert.equal(codec?.format.clockRate, 8000);
  assert.equal(codec?.media.port, 5000);
  const call = f.tracker.calls()[0]!;
  assert.equal(call.messageCount, 7);
  assert.equal(call.transactions.length, 3);
  assert.deepEqual(call.transactions.map((t) => [t.method, t.finalStatus]), [['INVITE', 200], ['ACK', undefined], ['BYE', 200]]);
});

test('100rel and preconditions: answer in the reliable 183, UPDATE renegotiates, 200 repeats the latest SDP (RFC 3262, RFC 3311)', () => {
  const f = new Flow();
  const inv = f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000), extra: ['Supported: 100rel, precondition'] });
  const p183 = f.send('SIP/2.0 183 Session Progress', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer'), extra: RELIABLE });
  f.send('PRACK sip:bob@example.com SIP/2.0', { cseq: '2 PRACK', toTag: 'callee', extra: ['RAck: 1 1 INVITE'] });
  f.send('SIP/2.0 200 OK', { cseq: '2 PRACK', toTag: 'callee' });
  const upd = f.send('UPDATE sip:bob@example.com SIP/2.0', { cseq: '3 UPDATE', toTag: 'callee', body: sdp(2, 4000) });
  const updOk = f.send('SIP/2.0 200 OK', { cseq: '3 UPDATE', toTag: 'callee', body: sdp(2, 5000, undefined, 'peer') });
  f.send('SIP/2.0 180 Ringing', { cseq: '1 INVITE', toTag: 'callee' });
  const final = f.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'callee', body: sdp(2, 5000, undefined, 'peer') });
  const [d] = f.dialogs();
  assert.ok(d !== undefined);
  assert.equal(d.state, 'confirmed');
  assert.deepEqual(d.negotiations.map((n) => [n.trigger, n.status, n.offer.frameNo, n.answer?.frameNo]), [['INVITE', 'complete', inv, p183], ['UPDATE', 'complete', upd, updOk]]);
  assert.equal(d.negotiations[0]!.answer?.reliable, true);
  assert.deepEqual(d.negotiations[1]!.repeats, [final]);
  assert.deepEqual(d.anomalies, []);
  assert.equal(d.messages.find((m) => m.frameNo === p183)?.reliable, true);
});

test('INVITE without SDP: offer in the 200, answer in the ACK; or no answer at all (RFC 3261 §13.2.1)', () => {
  for (const ackBody of [sdp(1, 4000), undefined]) {
    const f = new Flow();
    f.send(INVITE, { cseq: '1 INVITE' });
    const ok = f.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer') });
    const ack = f.send('ACK sip:bob@example.com SIP/2.0', { cseq: '1 ACK', toTag: 'callee', branch: 'z9hG4bK-ack', ...(ackBody !== undefined ? { body: ackBody } : {}) });
    const n = f.dialogs()[0]!.negotiations[0]!;
    assert.equal(n.trigger, '2xx');
    assert.equal(n.offer.frameNo, ok);
    assert.equal(n.offer.side, 'callee');
    if (ackBody !== undefined) {
      assert.equal(n.status, 'complete');
      assert.equal(n.answer?.frameNo, ack);
      assert.equal(n.answer?.side, 'caller');
    } else {
      assert.equal(n.status, 'no-answer');
      assert.equal(n.answer, undefined);
      assert.match(n.statusDetail ?? '', /ACK without SDP/);
    }
  }
});

test('INVITE without SDP: offer in a reliable 183, answer in the PRACK; a later PRACK offer is answered in its 200', () => {
  const f = new Flow();
  f.send(INVITE, { cseq: '1 INVITE' });
  const p183 = f.send('SIP/2.0 183 Session Progress', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer'), extra: ['Require: 100rel', 'RSeq: 7'] });
  const prack = f.send('PRACK sip:bob@example.com SIP/2.0', { cseq: '2 PRACK', toTag: 'callee', body: sdp(1, 4000), extra: ['RAck: 7 1 INVITE'] });
  f.send('SIP/2.0 200 OK', { cseq: '2 PRACK', toTag: 'callee' });
  f.send('SIP/2.0 183 Session Progress', { cseq: '1 INVITE', toTag: 'callee', extra: ['Require: 100rel', 'RSeq: 8'] });
  const prack2 = f.send('PRACK sip:bob@example.com SIP/2.0', { cseq: '3 PRACK', toTag: 'callee', body: sdp(2, 4002), extra: ['RAck: 8 1 INVITE'] });
  const prack2Ok = f.send('SIP/2.0 200 OK', { cseq: '3 PRACK', toTag: 'callee', body: sdp(2, 5002, undefined, 'peer') });
  const d = f.dialogs()[0]!;
  assert.deepEqual(d.negotiations.map((n) => [n.trigger, n.status, n.offer.frameNo, n.offer.side, n.answer?.frameNo]), [
    ['reliable-provisional', 'complete', p183, 'callee', prack],
    ['PRACK', 'complete', prack2, 'caller', prack2Ok],
  ]);
  assert.equal(negotiatedCodec(d)?.media.port, 5002);
});

test('unreliable 183 SDP is early SDP; promoted to the answer only when no reliable answer exists', () => {
  const f = new Flow();
  f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000) });
  const early = f.send('SIP/2.0 183 Session Progress', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer') });
  f.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'callee' });
  const d = f.dialogs()[0]!;
  const n = d.negotiations[0]!;
  assert.equal(n.status, 'complete');
  assert.equal(n.answer?.frameNo, early);
  assert.equal(n.answerFromEarlySdp, true);
  assert.deepEqual(d.earlySdp.map((e) => e.frameNo), [early]);

  const g = new Flow();
  g.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000) });
  const early2 = g.send('SIP/2.0 183 Session Progress', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer') });
  const ok = g.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer') });
  const n2 = g.dialogs()[0]!.negotiations[0]!;
  assert.equal(n2.answer?.frameNo, ok);
  assert.equal(n2.answerFromEarlySdp, false);
  assert.deepEqual(n2.earlySdp.map((e) => e.frameNo), [early2]);

  // Capture ends during early media: the early SDP is the answer, the negotiation still pending.
  const h = new Flow();
  h.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000) });
  const early3 = h.send('SIP/2.0 183 Session Progress', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, ['0 PCMU/8000'], 'peer') });
  const d3 = h.dialogs()[0]!;
  assert.equal(d3.state, 'early');
  assert.equal(d3.negotiations[0]!.status, 'pending');
  assert.equal(d3.negotiations[0]!.answer?.frameNo, early3);
  assert.equal(negotiatedCodec(d3)?.format.encodingName, 'PCMU');
});

test('forking: two To tags make two early dialogs; the one without 2xx ends (RFC 3261 §13.2.2.4)', () => {
  const f = new Flow();
  const inv = f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000) });
  f.send('SIP/2.0 180 Ringing', { cseq: '1 INVITE', toTag: 'A' });
  const b183 = f.send('SIP/2.0 183 Session Progress', { cseq: '1 INVITE', toTag: 'B', body: sdp(1, 6000, undefined, 'peerB'), extra: RELIABLE });
  const a200 = f.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'A', body: sdp(1, 5000, undefined, 'peerA') });
  const ds = f.dialogs();
  assert.equal(ds.length, 2);
  const a = ds.find((d) => d.calleeTag === 'A')!;
  const b = ds.find((d) => d.calleeTag === 'B')!;
  assert.ok(a.forked && b.forked);
  assert.equal(a.state, 'confirmed');
  assert.equal(b.state, 'terminated');
  assert.equal(a.negotiations[0]?.offer.frameNo, inv);
  assert.equal(a.negotiations[0]?.answer?.frameNo, a200);
  assert.equal(b.negotiations[0]?.offer.frameNo, inv);
  assert.equal(b.negotiations[0]?.answer?.frameNo, b183);
  assert.equal(b.messages[0]?.frameNo, inv);
});

test('CANCEL then 487 cancels; 488 fails; an ACK after a challenge stays in the failed dialog', () => {
  const f = new Flow();
  f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000) });
  f.send('SIP/2.0 180 Ringing', { cseq: '1 INVITE', toTag: 'callee' });
  f.send('CANCEL sip:bob@example.com SIP/2.0', { cseq: '1 CANCEL' });
  f.send('SIP/2.0 200 OK', { cseq: '1 CANCEL', toTag: 'callee' });
  const t487 = f.send('SIP/2.0 487 Request Terminated', { cseq: '1 INVITE', toTag: 'callee' });
  f.send('ACK sip:bob@example.com SIP/2.0', { cseq: '1 ACK', toTag: 'callee', branch: 'z9hG4bK-1-INVITE' });
  const [d, ...rest] = f.dialogs();
  assert.equal(rest.length, 0);
  assert.equal(d?.state, 'cancelled');
  assert.equal(d?.finalStatus, 487);
  assert.equal(d?.negotiations[0]?.status, 'rejected');
  assert.equal(d?.lastFrameNo, t487 + 1);
  const invTx = f.tracker.calls()[0]!.transactions.find((t) => t.method === 'INVITE');
  assert.equal(invTx?.finalStatus, 487);

  const g = new Flow();
  g.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000) });
  g.send('SIP/2.0 401 Unauthorized', { cseq: '1 INVITE', toTag: 'x1', extra: ['WWW-Authenticate: Digest realm="r", nonce="n"'] });
  g.send('ACK sip:bob@example.com SIP/2.0', { cseq: '1 ACK', toTag: 'x1', branch: 'z9hG4bK-1-INVITE' });
  g.send(INVITE, { cseq: '2 INVITE', body: sdp(2, 4000) });
  g.send('SIP/2.0 488 Not Acceptable Here', { cseq: '2 INVITE', toTag: 'x2' });
  const ds = g.dialogs();
  assert.deepEqual(ds.map((d2) => [d2.cseq, d2.state, d2.finalStatus, d2.messages.length, d2.partial]), [[1, 'failed', 401, 3, false], [2, 'failed', 488, 2, false]]);
  assert.deepEqual(ds.map((d2) => d2.negotiations[0]?.statusDetail), ['401 final response', '488 final response']);
});

test('retransmissions are flagged and counted once; copies seen at another hop keep their own SDP', () => {
  const f = new Flow();
  const inv = f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000), to: PROXY });
  f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000), to: PROXY });
  // The proxy forwards it: new top Via branch, rewritten SDP.
  const fwd = f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4100), from: PROXY, branch: 'z9hG4bK-proxy' });
  const ok = f.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer'), to: PROXY, branch: 'z9hG4bK-proxy' });
  f.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer'), to: PROXY, branch: 'z9hG4bK-proxy' });
  const d = f.dialogs()[0]!;
  assert.deepEqual(d.messages.map((m) => m.repeat ?? 'original'), ['original', 'retransmission', 'copy', 'original', 'retransmission']);
  assert.deepEqual(d.messages.map((m) => m.repeatOf), [undefined, inv, inv, undefined, ok]);
  const call = f.tracker.calls()[0]!;
  assert.equal(call.messageCount, 2);
  assert.equal(call.retransmissions, 2);
  assert.equal(call.copies, 1);
  assert.equal(d.negotiations.length, 1);
  const offer = d.negotiations[0]!.offer;
  assert.equal(offer.frameNo, inv);
  assert.deepEqual(offer.copies.map((c) => [c.frameNo, c.sdp.media[0]?.port]), [[fwd, 4100]]);
  const tx = call.transactions.find((t) => t.branch === 'z9hG4bK-proxy');
  assert.equal(tx?.copyOf, inv);
  assert.equal(tx?.retransmissions, 1);
});

test('re-INVITE, an offer while one is pending, and a partial dialog are reported', () => {
  const f = new Flow();
  f.send('BYE sip:bob@example.com SIP/2.0', { cseq: '9 BYE', toTag: 'callee', callId: 'mid-call' });
  f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000) });
  f.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer') });
  const reinv = f.send(INVITE, { cseq: '2 INVITE', toTag: 'callee', body: sdp(2, 4000) });
  const upd = f.send('UPDATE sip:bob@example.com SIP/2.0', { cseq: '3 UPDATE', toTag: 'callee', body: sdp(3, 4000) });
  f.send('SIP/2.0 491 Request Pending', { cseq: '3 UPDATE', toTag: 'callee' });
  const reinvOk = f.send('SIP/2.0 200 OK', { cseq: '2 INVITE', toTag: 'callee', body: sdp(2, 5000, ['0 PCMU/8000'], 'peer') });
  const ds = f.dialogs();
  const partial = ds.find((d) => d.callId === 'mid-call')!;
  assert.equal(partial.partial, true);
  assert.deepEqual(partial.anomalies.map((a) => a.code), ['partial-dialog']);
  const d = ds.find((x) => x.callId === 'call-1')!;
  assert.deepEqual(d.negotiations.map((n) => [n.trigger, n.status, n.offer.frameNo, n.answer?.frameNo]), [
    ['INVITE', 'complete', 2, 3],
    ['re-INVITE', 'complete', reinv, reinvOk],
    ['UPDATE', 'rejected', upd, undefined],
  ]);
  assert.deepEqual(d.anomalies.map((a) => [a.code, a.frameNo]), [['offer-while-pending', upd]]);
  assert.equal(negotiatedCodec(d)?.format.encodingName, 'PCMU');
});

test('out-of-dialog requests make transactions, not dialogs; SUBSCRIBE/NOTIFY dialogs end with Subscription-State', () => {
  const f = new Flow();
  f.send('REGISTER sip:example.com SIP/2.0', { cseq: '1 REGISTER', callId: 'reg' });
  f.send('SIP/2.0 401 Unauthorized', { cseq: '1 REGISTER', toTag: 'r1', callId: 'reg' });
  f.send('REGISTER sip:example.com SIP/2.0', { cseq: '2 REGISTER', callId: 'reg' });
  f.send('SIP/2.0 200 OK', { cseq: '2 REGISTER', toTag: 'r2', callId: 'reg' });
  f.send('SUBSCRIBE sip:example.com SIP/2.0', { cseq: '3 SUBSCRIBE', callId: 'sub', extra: ['Event: reg'] });
  f.send('NOTIFY sip:alice@10.0.0.1 SIP/2.0', { from: CALLEE, to: CALLER, cseq: '1 NOTIFY', fromTag: 'notifier', toTag: 'caller', callId: 'sub', extra: ['Event: reg', 'Subscription-State: active;expires=600'] });
  f.send('SIP/2.0 200 OK', { cseq: '3 SUBSCRIBE', toTag: 'notifier', callId: 'sub' });
  f.send('NOTIFY sip:alice@10.0.0.1 SIP/2.0', { from: CALLEE, to: CALLER, cseq: '2 NOTIFY', fromTag: 'notifier', toTag: 'caller', callId: 'sub', extra: ['Subscription-State: terminated;reason=timeout'] });
  const calls = f.tracker.calls();
  f.dialogs();
  const reg = calls.find((c) => c.callId === 'reg')!;
  assert.equal(reg.dialogs.length, 0);
  assert.deepEqual(reg.transactions.map((t) => [t.cseq, t.finalStatus]), [[1, 401], [2, 200]]);
  const sub = calls.find((c) => c.callId === 'sub')!;
  assert.equal(sub.dialogs.length, 1);
  assert.equal(sub.dialogs[0]?.method, 'SUBSCRIBE');
  assert.equal(sub.dialogs[0]?.calleeTag, 'notifier');
  assert.equal(sub.dialogs[0]?.state, 'terminated');
  assert.equal(sub.dialogs[0]?.messages.length, 4);
});

test('the listener sees every SDP with its role, copies included, and every negotiation once', () => {
  const seen: string[] = [];
  const closed: string[] = [];
  const f = new Flow({
    sdp: (e) => seen.push(`${e.exchange.frameNo}:${e.role}${e.copy !== undefined ? `:copy@${e.copy.frameNo}` : ''}`),
    negotiation: (_d, n) => closed.push(`${n.offer.frameNo}:${n.status}`),
  });
  f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4000), to: PROXY });
  f.send(INVITE, { cseq: '1 INVITE', body: sdp(1, 4100), from: PROXY, branch: 'z9hG4bK-proxy' });
  f.send('SIP/2.0 183 Session Progress', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer') });
  f.send('SIP/2.0 200 OK', { cseq: '1 INVITE', toTag: 'callee', body: sdp(1, 5000, undefined, 'peer') });
  f.send('UPDATE sip:bob@example.com SIP/2.0', { cseq: '2 UPDATE', toTag: 'callee', body: sdp(2, 4000) });
  f.dialogs();
  assert.deepEqual(seen, ['1:offer', '1:offer:copy@2', '3:early', '4:answer', '5:offer']);
  assert.deepEqual(closed, ['1:complete', '5:pending']);
});
