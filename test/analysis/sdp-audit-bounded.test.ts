// The SDP audit holds only the calls still open: a call is audited when the dialog tracker lets
// it go, and its SDP sightings and RTP tallies go with it. Thousands of calls in sequence leave
// the held state at a handful, and every call is still in the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SdpAuditor } from '../../src/analysis/sdp-audit/auditor.js';
import { decodeSipMessage } from '../../src/protocols/sip/decode.js';
import { sdpOf } from '../../src/protocols/sip/body.js';
import { isDecodeError } from '../../src/decode-error.js';
import type { SipEvent } from '../../src/pipeline/events.js';

const A = '10.0.0.1';
const B = '10.0.0.2';

function sdp(ip: string, port: number, modeSet: string): string {
  return ['v=0', `o=- 1 1 IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0', `m=audio ${port} RTP/AVP 96`, 'a=rtpmap:96 AMR-WB/16000', `a=fmtp:96 ${modeSet}`, ''].join('\r\n');
}

function message(startLine: string, callId: string, cseq: string, fromTag: string, toTag: string | undefined, body = ''): string {
  return [
    startLine,
    `Via: SIP/2.0/UDP ${A}:5060;branch=z9hG4bK-${callId}-${cseq.replace(/\W/g, '')}`,
    `From: <sip:a@x>;tag=${fromTag}`,
    `To: <sip:b@x>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    'Contact: <sip:a@10.0.0.1>',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

test('3,000 calls one after another: the audit holds a few at a time and reports them all', () => {
  const auditor = new SdpAuditor();
  let frameNo = 0;
  const push = (text: string, ts: number, src: string, dst: string): void => {
    const decoded = decodeSipMessage(new TextEncoder().encode(text));
    assert.ok(!isDecodeError(decoded));
    const body = sdpOf(decoded);
    frameNo++;
    const e: SipEvent = {
      meta: { frameNo, firstFrameNo: frameNo, ts, transport: 'udp', src, dst, srcPort: 5060, dstPort: 5060, tunnel: [] },
      message: decoded,
      ...(body !== undefined ? { sdp: body } : {}),
    };
    auditor.sip(e);
  };
  const calls = 3000;
  let peak = { calls: 0, sightings: 0, openTallies: 0 };
  for (let i = 0; i < calls; i++) {
    const id = `call-${i}`;
    const t = 1_700_000_000 + i * 60; // a minute apart: each call is long quiet when the next starts
    // Every tenth answer leaves the offered mode-set (RFC 4867 §8.3.1 does not allow that).
    const answerModes = i % 10 === 0 ? 'mode-set=0,1,2,8' : 'mode-set=0,1,2';
    push(message('INVITE sip:b@x SIP/2.0', id, '1 INVITE', 'f', undefined, sdp(A, 4000 + (i % 1000) * 2, 'mode-set=0,1,2')), t, A, B);
    push(message('SIP/2.0 200 OK', id, '1 INVITE', 'f', 't', sdp(B, 6000 + (i % 1000) * 2, answerModes)), t + 1, B, A);
    push(message(`ACK sip:b@x SIP/2.0`, id, '1 ACK', 'f', 't'), t + 1.1, A, B);
    push(message(`BYE sip:b@x SIP/2.0`, id, '2 BYE', 'f', 't'), t + 20, A, B);
    push(message('SIP/2.0 200 OK', id, '2 BYE', 'f', 't'), t + 20.1, B, A);
    const held = auditor.held();
    peak = { calls: Math.max(peak.calls, held.calls), sightings: Math.max(peak.sightings, held.sightings), openTallies: Math.max(peak.openTallies, held.openTallies) };
  }
  assert.ok(peak.calls <= 3, `at most ${peak.calls} calls held at once`);
  assert.ok(peak.sightings <= 6, `at most ${peak.sightings} SDP sightings held at once`);
  const report = auditor.finish();
  assert.equal(report.calls.length, calls, 'every call audited');
  assert.deepEqual(
    report.calls.map((c) => c.callId),
    Array.from({ length: calls }, (_, i) => `call-${i}`),
    'in the order of their first message',
  );
  const flagged = new Set(report.findings.map((f) => f.callId));
  assert.equal(flagged.size, calls / 10);
  for (const id of flagged) assert.equal(Number(String(id).slice(5)) % 10, 0, `${String(id)} should not be flagged`);
});
