// Bounded memory in the dialog tracker: with retainFinishedCalls: false a call whose dialogs all
// ended is handed to callDone() once 32 s of capture time passed without a message for it
// (RFC 3261 Timer D / J), the least recently active call goes when the cap is reached, and what
// is let go is forgotten. By default nothing is let go and calls() keeps every call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../src/decode-error.js';
import { DialogTracker, QUIET_SECONDS, type CallDoneReason, type DialogListener, type DialogTrackerOptions, type SipCall } from '../../src/analysis/dialogs.js';
import { decodeSipMessage } from '../../src/protocols/sip/decode.js';

interface Spec {
  readonly callId?: string;
  readonly cseq: string;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly reverse?: boolean;
  readonly body?: string;
}

const SDP = ['v=0', 'o=- 1 1 IN IP4 10.0.0.1', 's=-', 'c=IN IP4 10.0.0.1', 't=0 0', 'm=audio 4000 RTP/AVP 96', 'a=rtpmap:96 AMR-WB/16000', ''].join('\r\n');

class Harness {
  readonly tracker: DialogTracker;
  readonly done: string[] = [];
  readonly calls: SipCall[] = [];
  readonly events: string[] = [];
  private frame = 0;

  constructor(options?: DialogTrackerOptions, listener: DialogListener = {}) {
    this.tracker = new DialogTracker(
      {
        ...listener,
        negotiation: (_, n) => this.events.push(`negotiation ${n.status} ${n.offer.frameNo}`),
        callDone: (call, reason: CallDoneReason) => {
          this.done.push(`${call.callId} ${reason}`);
          this.events.push(`done ${call.callId}`);
          this.calls.push(call);
        },
      },
      options,
    );
  }

  send(ts: number, startLine: string, spec: Spec): number {
    const headers = [
      `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${spec.cseq.replace(' ', '-')}-${this.frame}`,
      `From: <sip:alice@example.com>;tag=${spec.fromTag ?? 'caller'}`,
      `To: <sip:bob@example.com>${spec.toTag === undefined ? '' : `;tag=${spec.toTag}`}`,
      ...(spec.callId === '' ? [] : [`Call-ID: ${spec.callId ?? 'call-1'}`]),
      `CSeq: ${spec.cseq}`,
      ...(spec.body !== undefined ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(spec.body ?? '')}`,
    ];
    const m = decodeSipMessage(new Uint8Array(Buffer.from(`${startLine}\r\n${headers.join('\r\n')}\r\n\r\n${spec.body ?? ''}`)));
    assert.ok(!isDecodeError(m));
    this.frame++;
    const [a, b] = spec.reverse === true ? ['10.0.0.2', '10.0.0.1'] : ['10.0.0.1', '10.0.0.2'];
    this.tracker.push({ message: m, frameNo: this.frame, ts, src: a, dst: b, srcPort: 5060, dstPort: 5060, transport: 'udp' });
    return this.frame;
  }

  /** INVITE / 200 / ACK / BYE / 200 from `t`, 0.1 s apart; `bye: false` leaves the call confirmed. */
  call(callId: string, t: number, bye = true): void {
    this.send(t, 'INVITE sip:bob@example.com SIP/2.0', { callId, cseq: '1 INVITE' });
    this.send(t + 0.1, 'SIP/2.0 200 OK', { callId, cseq: '1 INVITE', toTag: 'callee', reverse: true });
    this.send(t + 0.2, 'ACK sip:bob@example.com SIP/2.0', { callId, cseq: '1 ACK', toTag: 'callee' });
    if (!bye) return;
    this.send(t + 0.3, 'BYE sip:bob@example.com SIP/2.0', { callId, cseq: '2 BYE', toTag: 'callee' });
    this.send(t + 0.4, 'SIP/2.0 200 OK', { callId, cseq: '2 BYE', toTag: 'callee', reverse: true });
  }

  options(callId: string, t: number): void {
    this.send(t, 'OPTIONS sip:bob@example.com SIP/2.0', { callId, cseq: '1 OPTIONS' });
  }

  open(): string[] {
    return this.tracker.calls().map((c) => c.callId);
  }
}

test('default: every call kept for calls(), each handed to callDone once at finish', () => {
  const h = new Harness();
  h.call('a', 0);
  h.call('b', 10_000);
  assert.deepEqual(h.open(), ['a', 'b']);
  assert.deepEqual(h.done, []);
  h.tracker.finish();
  h.tracker.finish();
  assert.deepEqual(h.done, ['a end-of-input', 'b end-of-input']);
  assert.deepEqual(h.open(), ['a', 'b']);
  assert.equal(h.tracker.dialogs().length, 2);
});

test('an ended call goes after QUIET_SECONDS without a message for it, not before', () => {
  assert.equal(QUIET_SECONDS, 32);
  const h = new Harness({ retainFinishedCalls: false });
  h.call('a', 0);
  const lastOfA = 0.4;
  h.options('b', lastOfA + QUIET_SECONDS - 0.5);
  assert.deepEqual(h.open(), ['a', 'b']);
  h.options('c', lastOfA + QUIET_SECONDS);
  assert.deepEqual(h.done, ['a quiet']);
  assert.deepEqual(h.open(), ['b', 'c']);
  assert.equal(h.tracker.openCallCount(), 2);
  // The call handed over is whole: its dialog terminated, its five messages.
  const a = h.calls[0]!;
  assert.deepEqual([a.dialogs[0]?.state, a.dialogs[0]?.finalStatus, a.messageCount, a.firstMethod], ['terminated', 200, 5, 'INVITE']);
  h.tracker.finish();
  assert.deepEqual(h.done, ['a quiet', 'b end-of-input', 'c end-of-input']);
  assert.deepEqual(h.open(), []);
  assert.equal(h.tracker.peakOpenCalls(), 2);
});

test('a confirmed call is never let go for quiet; the cap lets the least recently active call go', () => {
  const h = new Harness({ retainFinishedCalls: false, maxOpenCalls: 2 });
  h.call('x', 0, false);
  h.call('y', 1, false);
  h.options('q', 5000);
  assert.deepEqual(h.done, ['x capacity']);
  // y becomes the most recently active: the next new call pushes out q, not y.
  h.send(5001, 'INFO sip:bob@example.com SIP/2.0', { callId: 'y', cseq: '2 INFO', toTag: 'callee' });
  h.options('r', 5002);
  assert.deepEqual(h.done, ['x capacity', 'q capacity']);
  assert.deepEqual(h.open(), ['y', 'r']);
  assert.ok(h.tracker.peakOpenCalls() <= 2);
});

test('a Call-ID seen again after its call was let go starts a new call', () => {
  const h = new Harness({ retainFinishedCalls: false });
  h.send(0, 'REGISTER sip:example.com SIP/2.0', { callId: 'reg', cseq: '1 REGISTER' });
  h.send(0.1, 'SIP/2.0 200 OK', { callId: 'reg', cseq: '1 REGISTER', toTag: 'r', reverse: true });
  h.send(600, 'REGISTER sip:example.com SIP/2.0', { callId: 'reg', cseq: '2 REGISTER' });
  h.send(600.1, 'SIP/2.0 200 OK', { callId: 'reg', cseq: '2 REGISTER', toTag: 'r', reverse: true });
  h.tracker.finish();
  assert.deepEqual(h.done, ['reg quiet', 'reg end-of-input']);
  assert.deepEqual(h.calls.map((c) => [c.firstFrameNo, c.lastFrameNo, c.messageCount, c.dialogs.length]), [[1, 2, 2, 0], [3, 4, 2, 0]]);
});

test('a call let go reports its pending negotiations first, then callDone', () => {
  const h = new Harness({ retainFinishedCalls: false, maxOpenCalls: 1 });
  const offer = h.send(0, 'INVITE sip:bob@example.com SIP/2.0', { callId: 'p', cseq: '1 INVITE', body: SDP });
  h.options('other', 1);
  assert.deepEqual(h.events, [`negotiation pending ${offer}`, 'done p']);
});

test('forks that lost to another 2xx do not keep a call open', () => {
  const h = new Harness({ retainFinishedCalls: false });
  h.send(0, 'INVITE sip:bob@example.com SIP/2.0', { callId: 'f', cseq: '1 INVITE' });
  h.send(0.1, 'SIP/2.0 180 Ringing', { callId: 'f', cseq: '1 INVITE', toTag: 'one', reverse: true });
  h.send(0.2, 'SIP/2.0 180 Ringing', { callId: 'f', cseq: '1 INVITE', toTag: 'two', reverse: true });
  h.send(0.3, 'SIP/2.0 200 OK', { callId: 'f', cseq: '1 INVITE', toTag: 'two', reverse: true });
  h.send(0.4, 'ACK sip:bob@example.com SIP/2.0', { callId: 'f', cseq: '1 ACK', toTag: 'two' });
  h.send(0.5, 'BYE sip:bob@example.com SIP/2.0', { callId: 'f', cseq: '2 BYE', toTag: 'two' });
  h.options('later', 40);
  assert.deepEqual(h.done, ['f quiet']);
  assert.deepEqual(h.calls[0]?.dialogs.map((d) => [d.calleeTag, d.state]), [['one', 'terminated'], ['two', 'terminated']]);
});

test('unplaced messages: all counted, the first thousand listed when not retaining', () => {
  const h = new Harness({ retainFinishedCalls: false });
  const seen: number[] = [];
  const tracker = new DialogTracker({ unplaced: (e) => seen.push(e.frameNo) }, { retainFinishedCalls: false });
  for (let i = 0; i < 1005; i++) h.send(i, 'OPTIONS sip:bob@example.com SIP/2.0', { callId: '', cseq: '1 OPTIONS' });
  assert.equal(h.tracker.unplaced().length, 1000);
  assert.equal(h.tracker.unplacedCount(), 1005);
  assert.equal(h.tracker.openCallCount(), 0);
  const m = decodeSipMessage(new Uint8Array(Buffer.from('OPTIONS sip:b@h SIP/2.0\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n')));
  assert.ok(!isDecodeError(m));
  tracker.push({ message: m, frameNo: 7, ts: 0, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 5060, dstPort: 5060, transport: 'udp' });
  assert.deepEqual(seen, [7]);
  assert.deepEqual(tracker.unplaced(), [{ frameNo: 7, reason: 'no CSeq' }]);
});
