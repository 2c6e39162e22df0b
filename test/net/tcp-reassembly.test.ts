import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetDecoder } from '../../src/net/decoder.js';
import { ethernet, frameOf, gtpu, ipTcp, ipUdp, ipv4, tcp, text, PROTO } from '../fixtures/packets.js';
import { decodeAll, joined, layer } from './harness.js';

const A = { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40000, dstPort: 5060 };
const B = { src: '10.0.0.2', dst: '10.0.0.1', srcPort: 5060, dstPort: 40000 };
const ISN = 1000;

/** Segment of A→B carrying `s` at stream offset `at` (first data byte is ISN + 1). */
function seg(at: number, s: string, flags = 'PA') {
  return ipTcp({ ...A, seq: ISN + 1 + at, flags }, text(s));
}

const syn = ipTcp({ ...A, seq: ISN, flags: 'S' }, new Uint8Array(0));
const synAck = ipTcp({ ...B, seq: 7000, ack: ISN + 1, flags: 'SA' }, new Uint8Array(0));

test('in-order segments are handed on as they come, each on its own frame', () => {
  const d = decodeAll([syn, synAck, seg(0, 'INVITE '), seg(7, 'sip:bob SIP/2.0\r\n')]);
  assert.deepEqual(
    d.payloads.map((p) => [p.frameNo, p.transport, p.tcpGap]),
    [
      [3, 'tcp', false],
      [4, 'tcp', false],
    ],
  );
  assert.equal(joined(d.payloads), 'INVITE sip:bob SIP/2.0\r\n');
  assert.equal(layer(d, 'tcp'), 4);
});

test('out-of-order segments wait for the missing bytes; they are handed on by the frame that fills the hole', () => {
  const d = decodeAll([syn, seg(0, 'aaaa'), seg(8, 'cccc'), seg(12, 'dddd'), seg(4, 'bbbb')]);
  assert.equal(joined(d.payloads), 'aaaabbbbccccdddd');
  assert.deepEqual(
    d.payloads.map((p) => p.frameNo),
    [2, 5, 5, 5],
  );
  assert.equal(d.stats.tcpGaps, 0);
});

test('retransmissions and overlaps are trimmed, never handed on twice', () => {
  const d = decodeAll([syn, seg(0, 'hello '), seg(0, 'hello '), seg(3, 'lo wor'), seg(6, 'world'), seg(20, 'zz'), seg(20, 'zz'), seg(11, '!........')]);
  assert.equal(joined(d.payloads), 'hello world!........zz');
});

test('a stream picked up mid-way starts at the first segment seen', () => {
  const d = decodeAll([seg(5000, 'middle of '), seg(5010, 'a stream')]);
  assert.equal(joined(d.payloads), 'middle of a stream');
  assert.equal(d.stats.tcpGaps, 0);
});

test('several application messages in one segment arrive in one chunk, intact', () => {
  const two = 'OPTIONS sip:a SIP/2.0\r\nContent-Length: 0\r\n\r\nOPTIONS sip:b SIP/2.0\r\nContent-Length: 0\r\n\r\n';
  const d = decodeAll([syn, seg(0, two)]);
  assert.equal(d.payloads.length, 1);
  assert.equal(joined(d.payloads), two);
});

test('missing bytes at the end of the capture: held data is handed on after a gap', () => {
  const d = decodeAll([syn, seg(0, 'first'), seg(10, 'third')]);
  assert.equal(joined(d.payloads), 'firstthird');
  assert.deepEqual(
    d.payloads.map((p) => p.tcpGap),
    [false, true],
  );
  assert.equal(d.payloads[1]!.frameNo, 3, 'the held segment keeps its own frame');
  assert.equal(d.stats.tcpGaps, 1);
});

test('when the out-of-order hold exceeds its cap the stream skips the hole', () => {
  const frames = [syn, seg(0, 'aaaa'), seg(100, 'xxxxxxxxxx'), seg(110, 'yyyyyyyyyy'), seg(120, 'zzzzzzzzzz'), seg(130, 'after')];
  const d = decodeAll(frames, { maxTcpBufferBytes: 25 });
  assert.equal(joined(d.payloads), 'aaaaxxxxxxxxxxyyyyyyyyyyzzzzzzzzzzafter');
  const gapChunk = d.payloads.find((p) => p.tcpGap);
  assert.ok(gapChunk);
  assert.equal(gapChunk.frameNo, 5, 'the segment that overflowed the hold releases it');
  assert.equal(d.stats.tcpGaps, 1);
  assert.equal(d.stats.dropped.get('tcp-bytes'), 96, 'stream offsets 4..99 were never seen');
  const late = decodeAll([...frames, seg(4, 'late bytes')], { maxTcpBufferBytes: 25 });
  assert.equal(late.payloads.length, d.payloads.length, 'bytes arriving after the skip are not handed on');
});

test('both directions are reassembled independently', () => {
  const d = decodeAll([syn, synAck, seg(0, 'REQ'), ipTcp({ ...B, seq: 7001, flags: 'PA' }, text('RESP')), seg(3, 'UEST')]);
  const ab = d.payloads.filter((p) => p.src === A.src);
  const ba = d.payloads.filter((p) => p.src === B.src);
  assert.equal(joined(ab), 'REQUEST');
  assert.equal(joined(ba), 'RESP');
  assert.equal(ba[0]!.srcPort, 5060);
});

test('FIN closes: later retransmissions are not handed on; RST drops held bytes after a gap', () => {
  const fin = decodeAll([syn, seg(0, 'bye'), seg(3, '', 'FA'), seg(0, 'bye')]);
  assert.equal(joined(fin.payloads), 'bye');
  const rst = decodeAll([syn, seg(0, 'one'), seg(10, 'held'), seg(3, '', 'R'), seg(3, 'two')]);
  assert.equal(joined(rst.payloads), 'oneheld');
  assert.equal(rst.payloads[1]!.tcpGap, true);
});

test('a new SYN with another ISN on the same ports starts a new stream', () => {
  const again = ipTcp({ ...A, seq: 90000, flags: 'S' }, new Uint8Array(0));
  const d = decodeAll([syn, seg(0, 'first connection'), again, ipTcp({ ...A, seq: 90001 }, text('second connection'))]);
  assert.equal(joined(d.payloads), 'first connectionsecond connection');
  assert.equal(d.stats.tcpGaps, 0);
});

test('sequence numbers wrap around 2^32', () => {
  const isn = 0xfffffff0;
  const frames = [
    ipTcp({ ...A, seq: isn, flags: 'S' }, new Uint8Array(0)),
    ipTcp({ ...A, seq: isn + 1 }, text('0123456789')),
    ipTcp({ ...A, seq: (isn + 1 + 20) >>> 0 }, text('KLMNOPQRST')),
    ipTcp({ ...A, seq: isn + 1 + 10 }, text('ABCDEFGHIJ')),
  ];
  const d = decodeAll(frames);
  assert.equal(joined(d.payloads), '0123456789ABCDEFGHIJKLMNOPQRST');
});

test('the stream table is capped; the least recently used direction is evicted', () => {
  const flows = [1, 2, 3].map((n) => ({ ...A, srcPort: 41000 + n }));
  const d = decodeAll(
    [...flows.map((f) => ipTcp({ ...f, seq: 1 }, text('a'))), ipTcp({ ...flows[0]!, seq: 2 }, text('b'))],
    { maxTcpStreams: 2 },
  );
  assert.equal(d.stats.dropped.get('tcp-streams'), 2);
  assert.equal(d.payloads.length, 4, 'a re-created stream starts again at the first segment it sees');
});

test('streams inside different GTP-U tunnels with the same 4-tuple stay apart', () => {
  const inner = (seq: number, s: string) => ipv4({ src: '10.45.0.2', dst: '10.0.0.9', proto: PROTO.tcp }, tcp({ srcPort: 5000, dstPort: 5060, seq }, text(s)));
  const wrap = (teid: number, pkt: Uint8Array) => ipUdp({ src: '192.168.1.1', dst: '192.168.1.2', srcPort: 2152, dstPort: 2152 }, gtpu({ teid }, pkt));
  const d = decodeAll([wrap(1, inner(100, 'one-')), wrap(2, inner(100, 'two-')), wrap(1, inner(104, 'ONE')), wrap(2, inner(104, 'TWO'))]);
  const t1 = d.payloads.filter((p) => p.tunnel[0]?.kind === 'gtpu' && p.tunnel[0].teid === 1);
  const t2 = d.payloads.filter((p) => p.tunnel[0]?.kind === 'gtpu' && p.tunnel[0].teid === 2);
  assert.equal(joined(t1), 'one-ONE');
  assert.equal(joined(t2), 'two-TWO');
});

test('without a payload listener nothing is reassembled, but layers are still counted', () => {
  const decoder = new NetDecoder({});
  [syn, seg(0, 'x'), seg(5, 'y')].forEach((b, i) => decoder.decode(frameOf(b, { frameNo: i + 1 })));
  decoder.finish();
  assert.equal(decoder.stats.layerFrames.get('tcp'), 3);
  assert.equal(decoder.stats.tcpGaps, 0);
});

test('TCP options are skipped by the data offset', () => {
  const options = Uint8Array.from([2, 4, 5, 0xb4, 1, 1, 4, 2]); // MSS, NOP, NOP, SACK permitted
  const pkt = ethernet({}, ipv4({ src: A.src, dst: A.dst, proto: PROTO.tcp }, tcp({ srcPort: 1, dstPort: 2, seq: 5, options }, text('data'))));
  assert.equal(joined(decodeAll([pkt]).payloads), 'data');
});
