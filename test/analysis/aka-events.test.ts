import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AkaEventFeed, akaEventsFromDiameter, akaEventsFromSip } from '../../src/analysis/aka-events.js';
import { SqnResyncAnalyzer, SubscriberKeyTable, type AkaEvent } from '../../src/analysis/sqn/index.js';
import { isDecodeError } from '../../src/decode-error.js';
import type { DiameterEvent, MessageMeta, SipEvent } from '../../src/pipeline/events.js';
import { decodeDiameterMessage } from '../../src/protocols/diameter/decode.js';
import { decodeSipMessage } from '../../src/protocols/sip/decode.js';
import { AKA_K, AKA_OPC, IMPI, IMPU, IMSI, REALM, akaAuts, akaVector, nonceOf, randOf, sqnOf, type AkaVector } from '../fixtures/aka-capture.js';
import { hex } from '../crypto/milenage-vectors.js';
import { avp, avp3gpp, concat, diameter, u32, utf8 } from '../protocols/diameter/build.js';

// Messages are written here line by line, decoded with the project's decoders, and handed to the
// adapters; every expected value is one this file put into the message.

const CALL_ID = 'reg-77@10.45.0.2';
const SESSION = 'scscf.example;1;77';
const SQN_MS = sqnOf(5000, 3);
const STALE = akaVector(randOf(1), sqnOf(100, 1));
const FRESH = akaVector(randOf(2), sqnOf(5001, 0));

function meta(frameNo: number): MessageMeta {
  return { frameNo, firstFrameNo: frameNo, ts: 1_700_000_000 + frameNo / 10, transport: 'udp', src: '10.0.0.1', dst: '10.0.0.2', srcPort: 5060, dstPort: 5060, tunnel: [] };
}

function sip(frameNo: number, startLine: string, headers: readonly string[]): SipEvent {
  const text = [startLine, ...headers, 'Content-Length: 0', '', ''].join('\r\n');
  const message = decodeSipMessage(new TextEncoder().encode(text));
  if (isDecodeError(message)) throw new Error(`test message does not decode: ${message.reason}`);
  return { meta: meta(frameNo), message };
}

function dia(frameNo: number, spec: { command: number; app: number; request: boolean; avps: Uint8Array[] }): DiameterEvent {
  const message = decodeDiameterMessage(diameter({ commandCode: spec.command, applicationId: spec.app, request: spec.request, hopByHop: frameNo, endToEnd: frameNo, avps: spec.avps }));
  if (isDecodeError(message)) throw new Error(`test message does not decode: ${message.reason}`);
  return { meta: { ...meta(frameNo), transport: 'sctp', srcPort: 3868, dstPort: 3868 }, message };
}

const dialog = (cseq: number, method = 'REGISTER'): string[] => [
  'Via: SIP/2.0/UDP 10.45.0.2:5060;branch=z9hG4bK1',
  `From: <${IMPU}>;tag=ue1`,
  `To: <${IMPU}>`,
  `Call-ID: ${CALL_ID}`,
  `CSeq: ${cseq} ${method}`,
];

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytesOf = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : hexOf(b));

function only<T>(list: readonly T[]): T {
  assert.equal(list.length, 1, `expected one event, got ${list.length}`);
  return list[0] as T;
}

// ---- SIP ------------------------------------------------------------------------------------

test('401 on Mw: an AKA challenge with the nonce, ik and ck the S-CSCF put in (TS 24.229 §5.4.1.2.1)', () => {
  const e = only(
    akaEventsFromSip(
      sip(5, 'SIP/2.0 401 Unauthorized', [
        ...dialog(1),
        `WWW-Authenticate: Digest realm="${REALM}",nonce="${nonceOf(STALE)}",algorithm=AKAv1-MD5,qop="auth",ik="${hexOf(STALE.ik)}",ck="${hexOf(STALE.ck).toUpperCase()}"`,
      ]),
    ),
  );
  assert.equal(e.kind, 'challenge');
  if (e.kind !== 'challenge' || !('nonce' in e)) return;
  assert.equal(e.source, 'sip-401');
  assert.equal(e.nonce, nonceOf(STALE));
  assert.equal(bytesOf(e.ik), hexOf(STALE.ik));
  assert.equal(bytesOf(e.ck), hexOf(STALE.ck));
  assert.equal(e.callId, CALL_ID);
  assert.equal(e.frameNo, 5);
  assert.equal(e.ts, meta(5).ts);
});

test('401 on Gm (no ik/ck), 407 with Proxy-Authenticate, AKAv2: challenges; MD5 or no algorithm: none', () => {
  const gm = only(akaEventsFromSip(sip(6, 'SIP/2.0 401 Unauthorized', [...dialog(1), `WWW-Authenticate: Digest realm="${REALM}", nonce="${nonceOf(STALE)}", algorithm=AKAv1-MD5`])));
  assert.equal(gm.kind, 'challenge');
  assert.ok(gm.kind === 'challenge' && gm.ck === undefined && gm.ik === undefined);
  const proxy = only(akaEventsFromSip(sip(7, 'SIP/2.0 407 Proxy Authentication Required', [...dialog(1), `Proxy-Authenticate: Digest realm="${REALM}",nonce="${nonceOf(FRESH)}",algorithm=akav2-md5`])));
  assert.ok(proxy.kind === 'challenge' && 'nonce' in proxy && proxy.nonce === nonceOf(FRESH));
  assert.deepEqual(akaEventsFromSip(sip(8, 'SIP/2.0 401 Unauthorized', [...dialog(1), `WWW-Authenticate: Digest realm="${REALM}",nonce="abc",algorithm=MD5`])), []);
  assert.deepEqual(akaEventsFromSip(sip(9, 'SIP/2.0 401 Unauthorized', [...dialog(1), `WWW-Authenticate: Digest realm="${REALM}",nonce="abc"`])), []);
});

test('two AKA challenges in one 401 are two events', () => {
  const events = akaEventsFromSip(
    sip(5, 'SIP/2.0 401 Unauthorized', [
      ...dialog(1),
      `WWW-Authenticate: Digest realm="${REALM}",nonce="${nonceOf(STALE)}",algorithm=AKAv1-MD5`,
      `WWW-Authenticate: Digest realm="${REALM}",nonce="${nonceOf(FRESH)}",algorithm=AKAv2-MD5`,
    ]),
  );
  assert.deepEqual(
    events.map((e) => (e.kind === 'challenge' && 'nonce' in e ? e.nonce : undefined)),
    [nonceOf(STALE), nonceOf(FRESH)],
  );
});

test('REGISTER with auts: a resync naming the IMPI, the AUTS and the RAND of the nonce it rejects (RFC 3310 §3.4)', () => {
  const auts = b64(akaAuts(STALE.rand, SQN_MS));
  const e = only(
    akaEventsFromSip(
      sip(7, `REGISTER sip:${REALM} SIP/2.0`, [
        ...dialog(2),
        `Authorization: Digest username="${IMPI}",realm="${REALM}",uri="sip:${REALM}",nonce="${nonceOf(STALE)}",response="00",algorithm=AKAv1-MD5,auts="${auts}"`,
      ]),
    ),
  );
  assert.equal(e.kind, 'resync');
  if (e.kind !== 'resync' || !('auts' in e)) return;
  assert.equal(e.source, 'sip-register');
  assert.equal(e.impi, IMPI);
  assert.equal(e.auts, auts);
  assert.equal(bytesOf(e.rand), hexOf(STALE.rand));
  assert.equal(e.callId, CALL_ID);
});

test('REGISTER with auts but a nonce that is not RAND ‖ AUTN: a resync without RAND', () => {
  const e = only(
    akaEventsFromSip(sip(7, `REGISTER sip:${REALM} SIP/2.0`, [...dialog(2), `Authorization: Digest username="${IMPI}",nonce="not base64!",auts="${b64(akaAuts(STALE.rand, SQN_MS))}"`])),
  );
  assert.ok(e.kind === 'resync' && 'auts' in e && e.rand === undefined);
});

test('REGISTER with a Digest response: an auth-response with the nonce; the initial REGISTER and non-REGISTER requests: none', () => {
  const e = only(
    akaEventsFromSip(
      sip(9, `REGISTER sip:${REALM} SIP/2.0`, [...dialog(3), `Authorization: Digest username="${IMPI}",realm="${REALM}",nonce="${nonceOf(FRESH)}",response="6629fae49393a05397450978507c4ef1",algorithm=AKAv1-MD5`]),
    ),
  );
  assert.deepEqual(
    { kind: e.kind, source: e.source, impi: e.impi, nonce: e.kind === 'auth-response' ? e.nonce : undefined },
    { kind: 'auth-response', source: 'sip-register', impi: IMPI, nonce: nonceOf(FRESH) },
  );
  // TS 24.229 §5.1.1.2.1: nonce="" and response="" are no answer.
  assert.deepEqual(akaEventsFromSip(sip(1, `REGISTER sip:${REALM} SIP/2.0`, [...dialog(1), `Authorization: Digest username="${IMPI}",realm="${REALM}",nonce="",response="",algorithm=AKAv1-MD5`])), []);
  assert.deepEqual(akaEventsFromSip(sip(1, `REGISTER sip:${REALM} SIP/2.0`, dialog(1))), []);
  assert.deepEqual(
    akaEventsFromSip(sip(1, `INVITE sip:bob@${REALM} SIP/2.0`, [...dialog(1, 'INVITE'), `Authorization: Digest username="${IMPI}",nonce="${nonceOf(FRESH)}",response="00",auts="${b64(akaAuts(STALE.rand, SQN_MS))}"`])),
    [],
  );
  assert.deepEqual(
    akaEventsFromSip(sip(1, `REGISTER sip:${REALM} SIP/2.0`, [...dialog(3), `Authorization: Digest username="${IMPI}",nonce="abcd",response="6629fae4",algorithm=MD5`])),
    [],
  );
});

test('final responses to REGISTER are outcomes: 2xx success, 403 / 500 failure; provisional and non-REGISTER ones are not', () => {
  const outcome = (status: number, reason: string, method = 'REGISTER'): AkaEvent[] => akaEventsFromSip(sip(20, `SIP/2.0 ${status} ${reason}`, dialog(4, method)));
  for (const [status, reason, success] of [
    [200, 'OK', true],
    [202, 'Accepted', true],
    [403, 'Forbidden', false],
    [500, 'Server Internal Error', false],
    [503, 'Service Unavailable', false],
  ] as const) {
    const e = only(outcome(status, reason));
    assert.deepEqual({ kind: e.kind, source: e.source, success: e.kind === 'outcome' && e.success, status: e.kind === 'outcome' ? e.status : undefined, callId: e.callId }, { kind: 'outcome', source: 'sip', success, status, callId: CALL_ID });
  }
  assert.deepEqual(outcome(100, 'Trying'), []);
  assert.deepEqual(outcome(200, 'OK', 'INVITE'), []);
  assert.deepEqual(outcome(403, 'Forbidden', 'SUBSCRIBE'), []);
});

// ---- Diameter --------------------------------------------------------------------------------

const CX = 16777216;
const S6A = 16777251;

function cxItem(v: AkaVector, n: number): Uint8Array {
  return avp3gpp(612, concat(avp3gpp(613, u32(n)), avp3gpp(608, utf8('Digest-AKAv1-MD5')), avp3gpp(609, concat(v.rand, v.autn)), avp3gpp(610, v.xres), avp3gpp(625, v.ck), avp3gpp(626, v.ik)));
}

const experimental = (code: number): Uint8Array => avp(297, concat(avp(266, u32(10415)), avp(298, u32(code))));

test('Cx MAA: one challenge per SIP-Auth-Data-Item with RAND ‖ AUTN, XRES, CK, IK (TS 29.229 §6.3.13)', () => {
  const events = akaEventsFromDiameter(
    dia(4, { command: 303, app: CX, request: false, avps: [avp(263, utf8(SESSION)), avp(268, u32(2001)), avp(1, utf8(IMPI)), avp3gpp(607, u32(2)), cxItem(STALE, 1), cxItem(FRESH, 2)] }),
  );
  assert.equal(events.length, 2);
  for (const [i, v] of [STALE, FRESH].entries()) {
    const e = events[i];
    assert.ok(e !== undefined && e.kind === 'challenge' && 'rand' in e);
    assert.equal(e.source, 'cx-maa');
    assert.equal(e.impi, IMPI);
    assert.equal(e.sessionId, SESSION);
    assert.deepEqual([e.rand, e.autn, e.xres, e.ck, e.ik].map(bytesOf), [v.rand, v.autn, v.xres, v.ck, v.ik].map(hexOf));
  }
});

test('Cx MAA: items of a non-AKA scheme are skipped; an error result is a failure outcome', () => {
  const digest = avp3gpp(612, concat(avp3gpp(608, utf8('SIP Digest')), avp3gpp(609, new Uint8Array(32))));
  assert.deepEqual(akaEventsFromDiameter(dia(4, { command: 303, app: CX, request: false, avps: [avp(263, utf8(SESSION)), avp(268, u32(2001)), digest] })), []);
  const e = only(akaEventsFromDiameter(dia(4, { command: 303, app: CX, request: false, avps: [avp(263, utf8(SESSION)), experimental(5001)] })));
  assert.deepEqual({ kind: e.kind, source: e.source, success: e.kind === 'outcome' && e.success, resultCode: e.kind === 'outcome' ? e.resultCode : 0 }, { kind: 'outcome', source: 'cx', success: false, resultCode: 5001 });
  const plain = only(akaEventsFromDiameter(dia(4, { command: 303, app: CX, request: false, avps: [avp(263, utf8(SESSION)), avp(268, u32(5012))] })));
  assert.ok(plain.kind === 'outcome' && plain.resultCode === 5012 && !plain.success);
});

test('Cx MAR with SIP-Authorization: a resync carrying RAND ‖ AUTS (TS 29.229 §6.3.11); without it: nothing', () => {
  const randAuts = concat(STALE.rand, akaAuts(STALE.rand, SQN_MS));
  const item = avp3gpp(612, concat(avp3gpp(608, utf8('Digest-AKAv1-MD5')), avp3gpp(610, randAuts)));
  const e = only(akaEventsFromDiameter(dia(9, { command: 303, app: CX, request: true, avps: [avp(263, utf8(SESSION)), avp(1, utf8(IMPI)), avp3gpp(601, utf8(IMPU)), item] })));
  assert.ok(e.kind === 'resync' && 'randAuts' in e);
  assert.equal(e.source, 'cx-mar');
  assert.equal(e.impi, IMPI);
  assert.equal(bytesOf(e.randAuts), hexOf(randAuts));
  const plain = avp3gpp(612, avp3gpp(608, utf8('Digest-AKAv1-MD5')));
  assert.deepEqual(akaEventsFromDiameter(dia(3, { command: 303, app: CX, request: true, avps: [avp(263, utf8(SESSION)), avp(1, utf8(IMPI)), plain] })), []);
});

function eutranVector(v: AkaVector, n: number): Uint8Array {
  return avp3gpp(1414, concat(avp3gpp(1419, u32(n)), avp3gpp(1447, v.rand), avp3gpp(1448, v.xres), avp3gpp(1449, v.autn), avp3gpp(1450, new Uint8Array(32).fill(n))));
}

test('S6a AIA: one challenge per E-UTRAN-Vector and UTRAN-Vector (TS 29.272 §7.3.18, §7.3.19); 4181 is a failure', () => {
  const utran = avp3gpp(1415, concat(avp3gpp(1447, FRESH.rand), avp3gpp(1448, FRESH.xres), avp3gpp(1449, FRESH.autn), avp3gpp(625, FRESH.ck), avp3gpp(626, FRESH.ik)));
  const events = akaEventsFromDiameter(dia(16, { command: 318, app: S6A, request: false, avps: [avp(263, utf8(SESSION)), avp(268, u32(2001)), avp3gpp(1413, concat(eutranVector(STALE, 1), utran))] }));
  assert.equal(events.length, 2);
  const [a, b] = events;
  assert.ok(a?.kind === 'challenge' && 'rand' in a && b?.kind === 'challenge' && 'rand' in b);
  assert.equal(a.source, 's6a-aia');
  assert.deepEqual([a.rand, a.autn, a.xres, a.ck].map(bytesOf), [hexOf(STALE.rand), hexOf(STALE.autn), hexOf(STALE.xres), undefined]);
  assert.deepEqual([b.rand, b.autn, b.xres, b.ck, b.ik].map(bytesOf), [FRESH.rand, FRESH.autn, FRESH.xres, FRESH.ck, FRESH.ik].map(hexOf));
  assert.equal(a.sessionId, SESSION);
  assert.equal(a.imsi, undefined, 'an AIA names no subscriber');

  const e = only(akaEventsFromDiameter(dia(17, { command: 318, app: S6A, request: false, avps: [avp(263, utf8(SESSION)), experimental(4181)] })));
  assert.ok(e.kind === 'outcome' && !e.success && e.resultCode === 4181 && e.source === 's6a');
});

test('S6a AIR with Re-Synchronization-Info: a resync naming the IMSI (TS 29.272 §7.3.15); without it: nothing', () => {
  const randAuts = concat(FRESH.rand, akaAuts(FRESH.rand, SQN_MS));
  const requested = avp3gpp(1408, concat(avp3gpp(1410, u32(1)), avp3gpp(1411, randAuts)));
  const e = only(akaEventsFromDiameter(dia(20, { command: 318, app: S6A, request: true, avps: [avp(263, utf8(SESSION)), avp(1, utf8(IMSI)), requested] })));
  assert.ok(e.kind === 'resync' && 'randAuts' in e);
  assert.equal(e.source, 's6a-air');
  assert.equal(e.imsi, IMSI);
  assert.equal(e.impi, undefined);
  assert.equal(bytesOf(e.randAuts), hexOf(randAuts));
  // The same token under both requested-info groups is one resync.
  const utranGeran = avp3gpp(1409, concat(avp3gpp(1410, u32(1)), avp3gpp(1411, randAuts)));
  assert.equal(akaEventsFromDiameter(dia(21, { command: 318, app: S6A, request: true, avps: [avp(263, utf8(SESSION)), avp(1, utf8(IMSI)), requested, utranGeran] })).length, 1);
  assert.deepEqual(akaEventsFromDiameter(dia(22, { command: 318, app: S6A, request: true, avps: [avp(263, utf8(SESSION)), avp(1, utf8(IMSI)), avp3gpp(1408, avp3gpp(1410, u32(1)))] })), []);
});

test('SAA / ULA success close an authentication; their errors are failures; other commands say nothing', () => {
  const answer = (command: number, app: number, result: Uint8Array): AkaEvent[] => akaEventsFromDiameter(dia(30, { command, app, request: false, avps: [avp(263, utf8(SESSION)), result] }));
  const saa = only(answer(301, CX, avp(268, u32(2001))));
  assert.ok(saa.kind === 'outcome' && saa.success && saa.source === 'cx' && saa.resultCode === 2001);
  const saaFirst = only(answer(301, CX, experimental(2001)));
  assert.ok(saaFirst.kind === 'outcome' && saaFirst.success, 'DIAMETER_FIRST_REGISTRATION is a success');
  const ula = only(answer(316, S6A, avp(268, u32(2001))));
  assert.ok(ula.kind === 'outcome' && ula.success && ula.source === 's6a');
  const ulaError = only(answer(316, S6A, experimental(5420)));
  assert.ok(ulaError.kind === 'outcome' && !ulaError.success && ulaError.resultCode === 5420);
  assert.deepEqual(answer(303, CX, avp(268, u32(2001))), [], 'an MAA without vectors is not an outcome');
  assert.deepEqual(answer(272, 16777238, avp(268, u32(5030))), [], 'Gx CCA errors are not about authentication');
  assert.deepEqual(answer(300, CX, experimental(5001)), [], 'UAA is not an authentication step');
  assert.deepEqual(akaEventsFromDiameter(dia(31, { command: 301, app: CX, request: true, avps: [avp(263, utf8(SESSION)), avp(1, utf8(IMPI))] })), []);
});

// ---- The feed ------------------------------------------------------------------------------------

test('AkaEventFeed names the subscriber of 401, 200, AIA and SAA from their requests', () => {
  const events: AkaEvent[] = [];
  const feed = new AkaEventFeed({ push: (e) => events.push(e) });
  const { sip: onSip, diameter: onDiameter } = feed.handlers();
  assert.ok(onSip && onDiameter);
  onSip(sip(1, `REGISTER sip:${REALM} SIP/2.0`, [...dialog(1), `Authorization: Digest username="${IMPI}",realm="${REALM}",nonce="",response=""`]));
  onSip(sip(2, 'SIP/2.0 401 Unauthorized', [...dialog(1), `WWW-Authenticate: Digest nonce="${nonceOf(STALE)}",algorithm=AKAv1-MD5`]));
  onSip(sip(3, 'SIP/2.0 200 OK', dialog(2)));
  onDiameter(dia(4, { command: 318, app: S6A, request: true, avps: [avp(263, utf8('mme;9')), avp(1, utf8(IMSI)), avp3gpp(1408, avp3gpp(1410, u32(1)))] }));
  onDiameter(dia(5, { command: 318, app: S6A, request: false, avps: [avp(263, utf8('mme;9')), avp(268, u32(2001)), avp3gpp(1413, eutranVector(FRESH, 1))] }));
  onDiameter(dia(6, { command: 301, app: CX, request: true, avps: [avp(263, utf8('scscf;3')), avp(1, utf8(IMPI))] }));
  onDiameter(dia(7, { command: 301, app: CX, request: false, avps: [avp(263, utf8('scscf;3')), avp(268, u32(2001))] }));
  onDiameter(dia(8, { command: 316, app: S6A, request: false, avps: [avp(263, utf8('unknown;1')), avp(268, u32(2001))] }));
  assert.deepEqual(
    events.map((e) => [e.frameNo, e.kind, e.impi, e.imsi]),
    [
      [2, 'challenge', IMPI, undefined],
      [3, 'outcome', IMPI, undefined],
      [5, 'challenge', undefined, IMSI],
      [7, 'outcome', IMPI, undefined],
      [8, 'outcome', undefined, undefined],
    ],
  );
});

test('AkaEventFeed forgets the oldest Call-IDs beyond maxRemembered', () => {
  const events: AkaEvent[] = [];
  const feed = new AkaEventFeed({ push: (e) => events.push(e) }, { maxRemembered: 2 });
  const register = (callId: string, user: string): SipEvent =>
    sip(1, `REGISTER sip:${REALM} SIP/2.0`, [`Via: SIP/2.0/UDP 10.45.0.2:5060;branch=z9hG4bK1`, `From: <${IMPU}>;tag=1`, `To: <${IMPU}>`, `Call-ID: ${callId}`, 'CSeq: 1 REGISTER', `Authorization: Digest username="${user}",nonce="",response=""`]);
  const ok = (callId: string): SipEvent => sip(2, 'SIP/2.0 200 OK', [`Via: SIP/2.0/UDP 10.45.0.2:5060;branch=z9hG4bK1`, `From: <${IMPU}>;tag=1`, `To: <${IMPU}>;tag=2`, `Call-ID: ${callId}`, 'CSeq: 1 REGISTER']);
  for (const n of [1, 2, 3]) feed.sip(register(`c${n}`, `user${n}@${REALM}`));
  for (const n of [1, 2, 3]) feed.sip(ok(`c${n}`));
  assert.deepEqual(events.map((e) => e.impi), [undefined, `user2@${REALM}`, `user3@${REALM}`]);
});

test('through the analyzer: XRES/CK/IK carried on Cx and ik/ck carried on Mw equal what Milenage derives', () => {
  const keys = new SubscriberKeyTable({ k: hex(AKA_K), opc: hex(AKA_OPC), origin: 'test' });
  const register = sip(1, `REGISTER sip:${REALM} SIP/2.0`, [...dialog(1), `Authorization: Digest username="${IMPI}",nonce="",response=""`]);
  // Each side alone: the analyzer opens a vector once, so Cx and SIP are checked in separate runs.
  const cx = new SqnResyncAnalyzer({ keys });
  new AkaEventFeed(cx).diameter(dia(2, { command: 303, app: CX, request: false, avps: [avp(263, utf8(SESSION)), avp(1, utf8(IMPI)), avp(268, u32(2001)), cxItem(FRESH, 1)] }));
  const mw = new SqnResyncAnalyzer({ keys });
  const feed = new AkaEventFeed(mw);
  feed.sip(register);
  feed.sip(sip(3, 'SIP/2.0 401 Unauthorized', [...dialog(1), `WWW-Authenticate: Digest nonce="${nonceOf(FRESH)}",algorithm=AKAv1-MD5,ik="${hexOf(FRESH.ik)}",ck="${hexOf(FRESH.ck)}"`]));
  const checks = [cx.finish(), mw.finish()].map((report) => {
    assert.equal(report.unattributed, 0);
    const entry = report.subscribers[0]?.timeline.find((e) => e.kind === 'challenge');
    assert.ok(entry?.kind === 'challenge');
    return [entry.frameNo, entry.check?.sqn, entry.check?.macAValid, entry.check?.xresMatches, entry.check?.ckMatches, entry.check?.ikMatches];
  });
  assert.deepEqual(checks, [
    [2, FRESH.sqn, true, true, true, true],
    [3, FRESH.sqn, true, undefined, true, true],
  ]);
});

test('malformed AKA values reach the report as errors, never as exceptions', () => {
  const analyzer = new SqnResyncAnalyzer();
  const feed = new AkaEventFeed(analyzer);
  feed.sip(sip(1, `REGISTER sip:${REALM} SIP/2.0`, [...dialog(1), `Authorization: Digest username="${IMPI}",nonce="",response=""`]));
  feed.sip(sip(2, 'SIP/2.0 401 Unauthorized', [...dialog(1), 'WWW-Authenticate: Digest nonce="c2hvcnQ=",algorithm=AKAv1-MD5,ik="zz",ck="0102"']));
  feed.diameter(dia(3, { command: 303, app: CX, request: false, avps: [avp(263, utf8(SESSION)), avp(1, utf8(IMPI)), avp(268, u32(2001)), avp3gpp(612, avp3gpp(609, new Uint8Array(20)))] }));
  feed.diameter(dia(4, { command: 303, app: CX, request: true, avps: [avp(263, utf8(SESSION)), avp(1, utf8(IMPI)), avp3gpp(612, avp3gpp(610, new Uint8Array(7)))] }));
  const sub = analyzer.finish().subscribers[0];
  assert.ok(sub);
  assert.deepEqual(
    sub.timeline.map((e) => [e.frameNo, e.kind, e.error !== undefined]),
    [
      [2, 'challenge', true],
      [3, 'challenge', true],
      [4, 'resync', true],
    ],
  );
});

test('the adapters never throw on damaged messages', () => {
  const auts = b64(akaAuts(STALE.rand, SQN_MS));
  const texts = [
    `REGISTER sip:${REALM} SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\nAuthorization: Digest username="${IMPI}",nonce="${nonceOf(STALE)}",auts="${auts}"\r\nContent-Length: 0\r\n\r\n`,
    `SIP/2.0 401 Unauthorized\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest nonce="${nonceOf(STALE)}",algorithm=AKAv1-MD5,ik="${hexOf(STALE.ik)}"\r\nContent-Length: 0\r\n\r\n`,
  ];
  const cxBytes = diameter({ commandCode: 303, applicationId: CX, request: false, hopByHop: 1, endToEnd: 1, avps: [avp(263, utf8(SESSION)), avp(268, u32(2001)), cxItem(STALE, 1)] });
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let decoded = 0;
  for (let round = 0; round < 400; round++) {
    for (const original of [...texts.map((t) => new TextEncoder().encode(t)), cxBytes]) {
      const bytes = original.slice(0, original.length - random(Math.min(40, original.length)));
      for (let i = 0; i < 3; i++) bytes[random(bytes.length)] = random(256);
      const s = decodeSipMessage(bytes);
      if (!isDecodeError(s)) {
        decoded++;
        assert.doesNotThrow(() => akaEventsFromSip({ meta: meta(1), message: s }));
      }
      const d = decodeDiameterMessage(bytes);
      if (!isDecodeError(d)) {
        decoded++;
        assert.doesNotThrow(() => akaEventsFromDiameter({ meta: meta(1), message: d }));
      }
    }
  }
  assert.ok(decoded > 400, `only ${decoded} damaged messages decoded`);
});
