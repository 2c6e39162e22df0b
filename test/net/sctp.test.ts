import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, ethernet, ipv4, ipv6, sctp, sctpChunk, sctpData, sctpIData, text, PROTO } from '../fixtures/packets.js';
import { decodeAll, layer, utf8 } from './harness.js';

const DIAMETER_PPID = 46;
const S1AP_PPID = 18;

function pkt(chunks: Uint8Array[], v6 = false): Uint8Array {
  const body = sctp({ srcPort: 3868, dstPort: 3868 }, chunks);
  return ethernet({}, v6 ? ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.sctp }, body) : ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.sctp }, body));
}

const sack = sctpChunk(3, 0, new Uint8Array(12));

test('every DATA chunk of a packet is a message; other chunks are skipped by their padded length', () => {
  const d = decodeAll([
    pkt([sctpData({ tsn: 1, streamId: 0, ppid: DIAMETER_PPID }, text('odd')), sack, sctpData({ tsn: 2, streamId: 3, ppid: S1AP_PPID }, text('second message'))]),
  ]);
  assert.deepEqual(
    d.payloads.map((p) => [utf8(p.bytes), p.sctp?.streamId, p.sctp?.ppid, p.transport, p.srcPort]),
    [
      ['odd', 0, DIAMETER_PPID, 'sctp', 3868],
      ['second message', 3, S1AP_PPID, 'sctp', 3868],
    ],
  );
  assert.equal(layer(d, 'sctp'), 1);
  assert.equal(d.problems.length, 0);
});

test('fragmented user messages are reassembled by TSN, in any arrival order', () => {
  const parts = ['Diameter ', 'message in ', 'three parts'];
  const chunks = parts.map((s, i) => sctpData({ tsn: 10 + i, streamId: 1, ppid: DIAMETER_PPID, begin: i === 0, end: i === 2 }, text(s)));
  for (const order of [
    [0, 1, 2],
    [2, 0, 1],
    [1, 2, 0],
  ]) {
    const d = decodeAll(order.map((i) => pkt([chunks[i]!])));
    assert.equal(d.payloads.length, 1, `order ${order}`);
    assert.equal(utf8(d.payloads[0]!.bytes), parts.join(''));
    assert.equal(d.payloads[0]!.frameNo, 3);
    assert.equal(d.payloads[0]!.sctp?.ppid, DIAMETER_PPID);
  }
});

test('fragments of messages on different streams interleave without mixing', () => {
  const a = [sctpData({ tsn: 1, streamId: 1, ppid: 46, end: false }, text('A1')), sctpData({ tsn: 2, streamId: 1, ppid: 46, begin: false }, text('A2'))];
  const b = [sctpData({ tsn: 3, streamId: 2, ppid: 46, end: false }, text('B1')), sctpData({ tsn: 4, streamId: 2, ppid: 46, begin: false }, text('B2'))];
  const d = decodeAll([pkt([a[0]!, b[0]!]), pkt([b[1]!]), pkt([a[1]!])]);
  assert.deepEqual(
    d.payloads.map((p) => utf8(p.bytes)),
    ['B1B2', 'A1A2'],
  );
});

test('retransmitted TSNs are dropped, whole messages and fragments alike', () => {
  const whole = sctpData({ tsn: 7, streamId: 0, ppid: 46 }, text('once'));
  const f1 = sctpData({ tsn: 8, streamId: 0, ppid: 46, end: false }, text('frag-'));
  const f2 = sctpData({ tsn: 9, streamId: 0, ppid: 46, begin: false }, text('mented'));
  const d = decodeAll([pkt([whole]), pkt([whole]), pkt([f1]), pkt([f1]), pkt([f2]), pkt([f2, f1])]);
  assert.deepEqual(
    d.payloads.map((p) => utf8(p.bytes)),
    ['once', 'frag-mented'],
  );
});

test('I-DATA messages are reassembled by message id and FSN', () => {
  const parts = [sctpIData({ tsn: 100, streamId: 4, mid: 9, ppid: 60, end: false }, text('i-')), sctpIData({ tsn: 102, streamId: 4, mid: 9, fsn: 2, begin: false }, text('ta')), sctpIData({ tsn: 101, streamId: 4, mid: 9, fsn: 1, begin: false, end: false }, text('da'))];
  const d = decodeAll([pkt([parts[0]!]), pkt([parts[1]!]), pkt([parts[2]!]), pkt([sctpIData({ tsn: 103, streamId: 4, mid: 10, ppid: 61 }, text('whole'))])]);
  assert.deepEqual(
    d.payloads.map((p) => [utf8(p.bytes), p.sctp?.ppid, p.frameNo]),
    [
      ['i-data', 60, 3],
      ['whole', 61, 4],
    ],
  );
});

test('SCTP over IPv6', () => {
  const d = decodeAll([pkt([sctpData({ tsn: 1, streamId: 0, ppid: 46 }, text('v6'))], true)]);
  assert.equal(d.payloads[0]!.src, '2001:db8::1');
});

test('a chunk length under 4 or past the packet is malformed; earlier chunks still count', () => {
  const good = sctpData({ tsn: 1, streamId: 0, ppid: 46 }, text('ok'));
  const zeroLen = Uint8Array.from([0, 3, 0, 0]);
  const d = decodeAll([pkt([good, zeroLen])]);
  assert.equal(d.payloads.length, 1);
  assert.equal(d.stats.malformed, 1);
  const long = sctpChunk(0, 3, new Uint8Array(20));
  long[3] = 200; // length runs past the packet
  assert.equal(decodeAll([pkt([long])]).stats.malformed, 1);
  const shortData = sctpChunk(0, 3, new Uint8Array(4)); // DATA needs 16 bytes
  assert.equal(decodeAll([pkt([shortData])]).stats.malformed, 1);
});

test('fragments beyond the hold cap are discarded and counted; unfinished ones are reported at the end', () => {
  const big = sctpData({ tsn: 1, streamId: 0, ppid: 46, end: false }, new Uint8Array(300));
  const next = sctpData({ tsn: 2, streamId: 0, ppid: 46, begin: false, end: false }, new Uint8Array(300));
  const d = decodeAll([pkt([big]), pkt([next])], { maxTcpBufferBytes: 500 });
  assert.equal(d.payloads.length, 0);
  assert.equal(d.stats.dropped.get('sctp-fragments'), 2, 'one discarded at the cap, one left at the end');
});

test('association table cap evicts the least recently used direction', () => {
  const other = (port: number) =>
    ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.sctp }, sctp({ srcPort: port, dstPort: 36412 }, [sctpData({ tsn: 1, streamId: 0, ppid: 18 }, text('x'))])));
  const d = decodeAll([other(1), other(2), other(3)], { maxSctpAssociations: 2 });
  assert.equal(d.stats.dropped.get('sctp'), 1);
  assert.equal(d.payloads.length, 3);
});

test('a DATA chunk whose padding is missing at the end of the packet is still read', () => {
  const chunk = sctpData({ tsn: 5, streamId: 0, ppid: 46 }, text('abc')); // 19 bytes + 1 pad
  const d = decodeAll([pkt([concat(chunk.subarray(0, 19))])]);
  assert.equal(utf8(d.payloads[0]!.bytes), 'abc');
  assert.equal(d.problems.length, 0);
});
