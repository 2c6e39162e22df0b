import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gtpv2TransactionTracker, type Gtpv2Sighting } from '../../src/analysis/gtpv2-transactions.js';
import { decodeGtpv2 } from '../../src/protocols/gtpv2/decode.js';
import { isDecodeError } from '../../src/decode-error.js';
import type { Gtpv2Message } from '../../src/protocols/gtpv2/types.js';
import { corpusFile, needTools } from '../support/environment.js';
import { concat, gtpv2, ie, tbcd } from '../protocols/gtpv2/build.js';
import { tsharkFields, tsharkPdus } from '../protocols/diameter/tshark-oracle.js';

function msgs(bytes: Uint8Array): Gtpv2Message[] {
  const r = decodeGtpv2(bytes);
  if (isDecodeError(r)) assert.fail(r.reason);
  return r;
}
const one = (bytes: Uint8Array): Gtpv2Message => msgs(bytes)[0]!;

const SGW = { ip: '172.16.1.12', port: 40364 };
const PGW = { ip: '172.16.1.2', port: 2123 };

function seen(frameNo: number, ts: number, from: { ip: string; port: number }, to: { ip: string; port: number }): Gtpv2Sighting {
  return { frameNo, ts, src: from.ip, srcPort: from.port, dst: to.ip, dstPort: to.port };
}

const cause = (value: number): Uint8Array => ie(2, Uint8Array.of(value, 0));

test('Create Session Request / Response: sequence number, reversed path, latency, cause, IMSI', () => {
  const tracker = new Gtpv2TransactionTracker();
  tracker.add(one(gtpv2({ type: 32, teid: 0, sequence: 11, ies: [ie(1, tbcd('001010000000064'))] })), seen(39, 10, SGW, PGW));
  tracker.add(one(gtpv2({ type: 33, teid: 1, sequence: 11, ies: [cause(16)] })), seen(40, 10.00034, PGW, SGW));
  const r = tracker.finish();
  assert.equal(r.transactions.length, 1);
  const t = r.transactions[0]!;
  assert.deepEqual({ ...t, latencyMs: Math.round(t.latencyMs! * 1000) / 1000 }, {
    requestType: 32,
    requestName: 'Create Session Request',
    sequence: 11,
    teid: 0,
    imsi: '001010000000064',
    client: '172.16.1.12:40364',
    server: '172.16.1.2:2123',
    requestFrame: 39,
    requestTs: 10,
    retransmissionFrames: [],
    responseType: 33,
    responseName: 'Create Session Response',
    responseFrame: 40,
    responseTs: 10.00034,
    latencyMs: 0.34,
    cause: 16,
    causeName: 'Request accepted',
  });
  assert.deepEqual([r.unanswered, r.rejected, r.orphanResponses], [[], [], []]);
});

test('rejections, unanswered requests, orphan responses, retransmissions', () => {
  const tracker = new Gtpv2TransactionTracker();
  tracker.add(one(gtpv2({ type: 36, teid: 5, sequence: 1, ies: [] })), seen(1, 1, SGW, PGW));
  tracker.add(one(gtpv2({ type: 36, teid: 5, sequence: 1, ies: [] })), seen(2, 4, SGW, PGW)); // T3 expired, N3 retry
  tracker.add(one(gtpv2({ type: 37, teid: 1, sequence: 1, ies: [cause(64)] })), seen(3, 4.1, PGW, SGW)); // Context Not Found
  tracker.add(one(gtpv2({ type: 34, teid: 5, sequence: 2, ies: [] })), seen(4, 5, SGW, PGW));
  tracker.add(one(gtpv2({ type: 35, teid: 1, sequence: 77, ies: [cause(16)] })), seen(5, 6, PGW, SGW));
  tracker.add(one(gtpv2({ type: 35, teid: 1, sequence: 2, ies: [cause(16)] })), seen(6, 6, PGW, { ip: '172.16.1.99', port: 40364 })); // another peer's sequence
  const r = tracker.finish();
  assert.deepEqual(r.transactions.map((t) => [t.requestFrame, t.retransmissionFrames, t.responseFrame]), [[1, [2], 3], [4, [], undefined]]);
  assert.deepEqual(r.rejected.map((t) => [t.requestFrame, t.cause, t.causeName]), [[1, 64, 'Context Not Found']]);
  assert.deepEqual(r.unanswered.map((t) => t.requestFrame), [4]);
  assert.deepEqual(r.orphanResponses.map((o) => [o.frameNo, o.sequence]), [[5, 77], [6, 2]]);
});

test('Echo without TEID, a command answered by the request it triggers, and piggybacked messages', () => {
  const tracker = new Gtpv2TransactionTracker();
  const MME = { ip: '10.0.0.1', port: 2123 };
  const S = { ip: '10.0.0.2', port: 2123 };
  tracker.add(one(gtpv2({ type: 1, sequence: 9, ies: [ie(3, Uint8Array.of(1))] })), seen(1, 1, MME, S));
  tracker.add(one(gtpv2({ type: 2, sequence: 9, ies: [ie(3, Uint8Array.of(4))] })), seen(2, 1.01, S, MME));
  // TS 29.274 Table 6.1-1: Modify Bearer Command → triggered Update Bearer Request, same sequence number
  tracker.add(one(gtpv2({ type: 64, teid: 3, sequence: 0x100, ies: [] })), seen(3, 2, MME, S));
  tracker.add(one(gtpv2({ type: 97, teid: 4, sequence: 0x100, ies: [] })), seen(4, 2.2, S, MME));
  tracker.add(one(gtpv2({ type: 98, teid: 3, sequence: 0x100, ies: [cause(16)] })), seen(5, 2.3, MME, S));
  // Create Session Response with a piggybacked Create Bearer Request (§5.5.1)
  tracker.add(one(gtpv2({ type: 32, teid: 0, sequence: 0x200, ies: [] })), seen(6, 3, MME, S));
  const datagram = concat(gtpv2({ type: 33, teid: 3, sequence: 0x200, piggybacked: true, ies: [cause(16)] }), gtpv2({ type: 95, teid: 3, sequence: 0x800001, ies: [] }));
  for (const m of msgs(datagram)) tracker.add(m, seen(7, 3.1, S, MME));
  tracker.add(one(gtpv2({ type: 96, teid: 4, sequence: 0x800001, ies: [cause(16)] })), seen(8, 3.2, MME, S));
  const r = tracker.finish();
  assert.deepEqual(r.transactions.map((t) => [t.requestName, t.requestFrame, t.responseName, t.responseFrame]), [
    ['Echo Request', 1, 'Echo Response', 2],
    ['Modify Bearer Command', 3, 'Update Bearer Request', 4],
    ['Update Bearer Request', 4, 'Update Bearer Response', 5],
    ['Create Session Request', 6, 'Create Session Response', 7],
    ['Create Bearer Request', 7, 'Create Bearer Response', 8],
  ]);
  assert.equal(r.transactions[0]!.cause, undefined, 'Echo Response has no Cause');
  assert.deepEqual([r.unanswered, r.orphanResponses], [[], []]);
});

test('pending requests are bounded', () => {
  const tracker = new Gtpv2TransactionTracker({ maxPending: 1 });
  tracker.add(one(gtpv2({ type: 1, sequence: 1, ies: [] })), seen(1, 1, SGW, PGW));
  tracker.add(one(gtpv2({ type: 1, sequence: 2, ies: [] })), seen(2, 1, SGW, PGW));
  tracker.add(one(gtpv2({ type: 2, sequence: 1, ies: [] })), seen(3, 1, PGW, SGW));
  const r = tracker.finish();
  assert.deepEqual(r.unanswered.map((t) => t.requestFrame), [1, 2]);
  assert.deepEqual(r.orphanResponses.map((o) => o.frameNo), [3]);
});

test('magma inbound roaming: request/response pairs and latencies equal tshark\'s', (t) => {
  const file = corpusFile(t, 'magma__inbound_roaming_01_210505_130828-1.pcapng');
  if (file === undefined || !needTools(t, 'tshark')) return;
  const rows = new Map(tsharkFields(file, 'gtpv2', ['frame.time_epoch', 'ip.src', 'ip.dst', 'udp.srcport', 'udp.dstport', 'gtpv2.response_to', 'gtpv2.response_time', 'e212.imsi']).map((r) => [r.frameNo, r]));
  const tracker = new Gtpv2TransactionTracker();
  for (const { frameNo, bytes } of tsharkPdus(file, 'gtpv2')) {
    const r = rows.get(frameNo)!;
    const at = { frameNo, ts: Number(r['frame.time_epoch']), src: r['ip.src']!, dst: r['ip.dst']!, srcPort: Number(r['udp.srcport']), dstPort: Number(r['udp.dstport']) };
    for (const m of msgs(bytes)) tracker.add(m, at);
  }
  const report = tracker.finish();
  const expected = [...rows.values()].filter((r) => r['gtpv2.response_to'] !== '').map((r) => [Number(r['gtpv2.response_to']), r.frameNo, Number(r['gtpv2.response_time'])]);
  assert.equal(expected.length, 2);
  assert.deepEqual(report.transactions.map((x) => [x.requestFrame, x.responseFrame]), expected.map(([req, resp]) => [req, resp]));
  report.transactions.forEach((x, i) => assert.ok(Math.abs(x.latencyMs! - expected[i]![2]! * 1000) < 0.001));
  assert.deepEqual(report.transactions.map((x) => x.imsi ?? ''), report.transactions.map((x) => rows.get(x.requestFrame)!['e212.imsi']));
  assert.ok(report.transactions[0]!.imsi !== undefined);
});
