import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiameterTransactionTracker, isErrorResult, type DiameterSighting } from '../../src/analysis/diameter-transactions.js';
import { decodeDiameterMessage } from '../../src/protocols/diameter/decode.js';
import { isDecodeError } from '../../src/decode-error.js';
import type { DiameterMessage } from '../../src/protocols/diameter/types.js';
import { corpusFile, needTools } from '../support/environment.js';
import { avp, avp3gpp, concat, diameter, u32, utf8, TGPP } from '../protocols/diameter/build.js';
import { tsharkFields, tsharkPdus } from '../protocols/diameter/tshark-oracle.js';

function msg(bytes: Uint8Array): DiameterMessage {
  const m = decodeDiameterMessage(bytes);
  if (isDecodeError(m)) assert.fail(m.reason);
  return m;
}

const MME = { ip: '10.0.0.1', port: 36412 };
const HSS = { ip: '10.0.0.9', port: 3868 };
const CSCF = { ip: '10.0.0.5', port: 3868 };

function seen(frameNo: number, ts: number, from: { ip: string; port: number }, to: { ip: string; port: number }): DiameterSighting {
  return { frameNo, ts, src: from.ip, srcPort: from.port, dst: to.ip, dstPort: to.port };
}

const air = (hbh: number, session = `mme;${hbh}`, retransmitted = false): DiameterMessage =>
  msg(diameter({ commandCode: 318, applicationId: 16777251, request: true, retransmitted, hopByHop: hbh, endToEnd: hbh + 1000, avps: [avp(263, utf8(session))] }));
const aia = (hbh: number, avps: Uint8Array[], error = false): DiameterMessage =>
  msg(diameter({ commandCode: 318, applicationId: 16777251, request: false, error, hopByHop: hbh, endToEnd: hbh + 1000, avps: [avp(263, utf8(`mme;${hbh}`)), ...avps] }));
const experimental = (code: number): Uint8Array => avp(297, concat(avp(266, u32(TGPP)), avp(298, u32(code))));

test('a request is matched to its answer: identifiers, reversed path, latency, result', () => {
  const tracker = new DiameterTransactionTracker();
  tracker.add(air(1), seen(10, 100.0, MME, HSS));
  tracker.add(aia(1, [avp(268, u32(2001))]), seen(12, 100.25, HSS, MME));
  const r = tracker.finish();
  assert.equal(r.transactions.length, 1);
  assert.deepEqual(r.transactions[0], {
    commandCode: 318,
    applicationId: 16777251,
    requestName: 'AIR',
    interfaceName: 'S6a',
    hopByHop: 1,
    endToEnd: 1001,
    sessionId: 'mme;1',
    client: '10.0.0.1:36412',
    server: '10.0.0.9:3868',
    requestFrame: 10,
    requestTs: 100,
    retransmissionFrames: [],
    answerFrame: 12,
    answerTs: 100.25,
    answerName: 'AIA',
    latencyMs: 250,
    result: { code: 2001, experimental: false, name: 'DIAMETER_SUCCESS' },
    protocolError: false,
  });
  assert.deepEqual([r.unanswered, r.errorAnswers, r.orphanAnswers], [[], [], []]);
});

test('unanswered requests, error answers (Result-Code, Experimental-Result-Code, E bit) and orphan answers', () => {
  const tracker = new DiameterTransactionTracker();
  tracker.add(air(1), seen(1, 1, MME, HSS));
  tracker.add(air(2), seen(2, 1, MME, HSS));
  tracker.add(air(3), seen(3, 1, MME, HSS));
  tracker.add(air(4), seen(4, 1, MME, HSS));
  tracker.add(aia(2, [experimental(5420)]), seen(5, 2, HSS, MME)); // DIAMETER_ERROR_UNKNOWN_EPS_SUBSCRIPTION
  tracker.add(aia(3, [avp(268, u32(3002))], true), seen(6, 2, HSS, MME)); // E bit, DIAMETER_UNABLE_TO_DELIVER
  tracker.add(aia(4, [experimental(2001)]), seen(7, 2, HSS, MME)); // a 2xxx experimental result is a success
  tracker.add(aia(99, [avp(268, u32(2001))]), seen(8, 2, HSS, MME));
  tracker.add(aia(4, [experimental(2001)]), seen(9, 2, HSS, MME)); // second answer to an answered request
  const r = tracker.finish();
  assert.deepEqual(r.unanswered.map((t) => t.requestFrame), [1]);
  assert.deepEqual(r.errorAnswers.map((t) => [t.requestFrame, t.answerFrame, t.result?.code, t.result?.experimental, t.protocolError]), [
    [2, 5, 5420, true, false],
    [3, 6, 3002, false, true],
  ]);
  assert.equal(r.errorAnswers[0]!.result?.name, 'DIAMETER_ERROR_UNKNOWN_EPS_SUBSCRIPTION');
  assert.deepEqual(r.orphanAnswers.map((o) => [o.frameNo, o.hopByHop, o.from, o.to]), [[8, 99, '10.0.0.9:3868', '10.0.0.1:36412'], [9, 4, '10.0.0.9:3868', '10.0.0.1:36412']]);
  assert.equal(isErrorResult({ code: 2999, experimental: false }), false);
  assert.equal(isErrorResult({ code: 4001, experimental: false }), true);
});

test('a retransmitted request (same identifiers, same path) is one transaction', () => {
  const tracker = new DiameterTransactionTracker();
  tracker.add(air(7), seen(1, 1, MME, HSS));
  tracker.add(air(7, 'mme;7', true), seen(2, 6, MME, HSS));
  tracker.add(aia(7, [avp(268, u32(2001))]), seen(3, 6.5, HSS, MME));
  const r = tracker.finish();
  assert.equal(r.transactions.length, 1);
  assert.deepEqual(r.transactions[0]!.retransmissionFrames, [2]);
  assert.equal(r.transactions[0]!.latencyMs, 5500, 'latency counts from the first copy');
});

test('the same identifiers from two clients are kept apart by the path', () => {
  const tracker = new DiameterTransactionTracker();
  const mar = (from: string): DiameterMessage =>
    msg(diameter({ commandCode: 303, applicationId: 16777216, request: true, hopByHop: 5, endToEnd: 5, avps: [avp(263, utf8(from)), avp3gpp(601, utf8('sip:a@ims'))] }));
  const maa = (): DiameterMessage => msg(diameter({ commandCode: 303, applicationId: 16777216, request: false, hopByHop: 5, endToEnd: 5, avps: [avp(268, u32(2001))] }));
  const other = { ip: '10.0.0.6', port: 3868 };
  tracker.add(mar('a'), seen(1, 1, CSCF, HSS));
  tracker.add(mar('b'), seen(2, 1, other, HSS));
  tracker.add(maa(), seen(3, 2, HSS, other));
  tracker.add(maa(), seen(4, 3, HSS, CSCF));
  const r = tracker.finish();
  assert.deepEqual(r.transactions.map((t) => [t.sessionId, t.answerFrame]), [['a', 4], ['b', 3]]);
});

test('an SCTP association answering from its other address still matches by ports', () => {
  const tracker = new DiameterTransactionTracker();
  tracker.add(air(8), seen(1, 1, MME, HSS));
  tracker.add(aia(8, [avp(268, u32(2001))]), seen(2, 1.5, { ip: '10.0.1.9', port: HSS.port }, MME));
  assert.equal(tracker.finish().transactions[0]!.answerFrame, 2);
});

test('pending requests are bounded: the oldest is given up as unanswered', () => {
  const tracker = new DiameterTransactionTracker({ maxPending: 2 });
  for (let i = 1; i <= 4; i++) tracker.add(air(i), seen(i, i, MME, HSS));
  tracker.add(aia(1, [avp(268, u32(2001))]), seen(5, 5, HSS, MME));
  tracker.add(aia(4, [avp(268, u32(2001))]), seen(6, 6, HSS, MME));
  const r = tracker.finish();
  assert.deepEqual(r.unanswered.map((t) => t.requestFrame), [1, 2, 3]);
  assert.deepEqual(r.orphanAnswers.map((o) => o.frameNo), [5]);
});

/** Decoded messages of a capture with the frame, time and path tshark reports for them. */
function sightings(file: string): { message: DiameterMessage; at: DiameterSighting }[] {
  const rows = new Map(
    tsharkFields(file, 'diameter', ['frame.time_epoch', 'ip.src', 'ip.dst', 'sctp.srcport', 'sctp.dstport', 'tcp.srcport', 'tcp.dstport']).map((r) => [r.frameNo, r]),
  );
  return tsharkPdus(file, 'diameter').map(({ frameNo, bytes }) => {
    const r = rows.get(frameNo)!;
    const first = (f: string): string => (r[f] ?? '').split('|')[0]!;
    const at = {
      frameNo,
      ts: Number(first('frame.time_epoch')),
      src: first('ip.src'),
      dst: first('ip.dst'),
      srcPort: Number(first('sctp.srcport') || first('tcp.srcport')),
      dstPort: Number(first('sctp.dstport') || first('tcp.dstport')),
    };
    return { message: msg(bytes), at };
  });
}

for (const name of ['magma__gx_gy_combined_03_210505_132953-1.pcapng', 'nDPI__diameter.pcap', 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap']) {
  test(`${name}: every answer is paired with the request tshark pairs it with, latency as tshark's response time`, (t) => {
    const file = corpusFile(t, name);
    if (file === undefined || !needTools(t, 'tshark')) return;
    const tracker = new DiameterTransactionTracker();
    for (const { message, at } of sightings(file)) tracker.add(message, at);
    const report = tracker.finish();
    const expected = new Map<number, { request: number; seconds: number }>();
    for (const row of tsharkFields(file, 'diameter.answer_to', ['diameter.answer_to', 'diameter.resp_time'])) {
      const requests = row['diameter.answer_to']!.split('|');
      const times = row['diameter.resp_time']!.split('|');
      requests.forEach((request, i) => expected.set(Number(request), { request: Number(request), seconds: Number(times[i]) }));
    }
    const answered = report.transactions.filter((x) => x.answerFrame !== undefined);
    assert.equal(answered.length, expected.size);
    assert.ok(expected.size > 0);
    for (const x of answered) {
      const e = expected.get(x.requestFrame);
      assert.ok(e, `request frame ${x.requestFrame} is answered for tshark too`);
      assert.ok(Math.abs(x.latencyMs! - e.seconds * 1000) < 0.001, `latency of frame ${x.requestFrame}`);
    }
    assert.deepEqual(report.orphanAnswers, []);
    assert.deepEqual(report.errorAnswers, []);
    assert.equal(report.unanswered.length, report.transactions.length - expected.size);
  });
}
