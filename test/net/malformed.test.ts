import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  espNull,
  ethernet,
  frameOf,
  gtpu,
  ipTcp,
  ipUdp,
  ipv4,
  ipv4Fragments,
  ipv6,
  ipv6Fragments,
  sctp,
  sctpData,
  sll,
  tcp,
  text,
  udp,
  PROTO,
} from '../fixtures/packets.js';
import { decodeAll, type Decoded } from './harness.js';

const payload = text('x'.repeat(64));

/** The frame cut to `keep` bytes, as a capture with a small snap length records it. */
function snapped(bytes: Uint8Array, keep: number) {
  return frameOf(bytes.subarray(0, keep), { origLen: bytes.length });
}

function noInternalErrors(d: Decoded, what: string): void {
  const internal = d.problems.filter((p) => p.reason.startsWith('internal error'));
  assert.deepEqual(internal, [], what);
}

const samples: [string, Uint8Array, number][] = [
  ['eth/ipv4/udp', ipUdp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1, dstPort: 2 }, payload), 1],
  ['eth/ipv6/tcp', ipTcp({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 1, dstPort: 2, seq: 9 }, payload), 1],
  ['eth/vlan/ipv4/sctp', ethernet({ vlan: [5, 6] }, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.sctp }, sctp({ srcPort: 1, dstPort: 2 }, [sctpData({ tsn: 1, streamId: 0, ppid: 46 }, payload)]))), 1],
  ['sll/ipv4/udp/gtpu/ipv6/esp/tcp', sll({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp }, udp({ srcPort: 2152, dstPort: 2152 }, gtpu({ teid: 3, seq: 1, extHeaders: [{ type: 0x85, content: Uint8Array.from([0, 9]) }] }, ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.esp }, espNull({ spi: 1, seq: 1, nextHeader: PROTO.tcp, icvLength: 12 }, tcp({ srcPort: 1, dstPort: 2, seq: 1 }, payload))))))), 113],
  ['raw/ipv6 with extension headers', ipv6({ src: '::1', dst: '::2', nextHeader: PROTO.udp, extHeaders: [{ type: 0 }, { type: 60 }, { type: 51 }] }, udp({ srcPort: 1, dstPort: 2 }, payload)), 101],
  ['eth/ipv4 fragment', ethernet({}, ipv4Fragments(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp }, udp({ srcPort: 1, dstPort: 2 }, payload)), 32)[1]!), 1],
  ['eth/ipv6 fragment', ethernet({}, ipv6Fragments(ipv6({ src: '::1', dst: '::2', nextHeader: PROTO.udp }, udp({ srcPort: 1, dstPort: 2 }, payload)), 32, 1)[0]!), 1],
];

test('every layer cut short by the capture counts the frame as truncated, not malformed', () => {
  for (const [name, bytes, linkType] of samples) {
    for (let keep = 0; keep < bytes.length; keep++) {
      const d = decodeAll([{ ...snapped(bytes, keep), linkType }]);
      noInternalErrors(d, `${name} cut at ${keep}`);
      assert.equal(d.stats.malformed, 0, `${name} cut at ${keep}: ${JSON.stringify(d.problems)}`);
      assert.ok(d.stats.truncated <= 1);
    }
  }
});

test('the same cuts without the capture saying so are malformed (lengths lie), never thrown', () => {
  for (const [name, bytes, linkType] of samples) {
    let malformed = 0;
    for (let keep = 0; keep < bytes.length; keep++) {
      const d = decodeAll([frameOf(bytes.subarray(0, keep), { linkType })]);
      noInternalErrors(d, `${name} cut at ${keep}`);
      assert.equal(d.stats.truncated, 0);
      malformed += d.stats.malformed;
    }
    assert.ok(malformed > 0, name);
  }
});

test('a UDP length larger than the datagram uses the bytes present and is malformed', () => {
  const pkt = ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp }, udp({ srcPort: 1, dstPort: 2, length: 500 }, text('short'))));
  const d = decodeAll([pkt]);
  assert.equal(d.stats.malformed, 1);
  assert.equal(new TextDecoder().decode(d.payloads[0]!.bytes), 'short');
  const tiny = decodeAll([ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp }, udp({ srcPort: 1, dstPort: 2, length: 4 }, text('x'))))]);
  assert.equal(tiny.stats.malformed, 1);
  assert.equal(tiny.payloads.length, 0);
});

test('IPv4 and IPv6 headers that lie about their lengths or versions are malformed', () => {
  const base = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp }, udp({ srcPort: 1, dstPort: 2 }, payload));
  const badIhl = base.slice();
  badIhl[0] = 0x43;
  const bigTotal = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, totalLength: 1400 }, udp({ srcPort: 1, dstPort: 2 }, payload));
  const smallTotal = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, totalLength: 10 }, udp({ srcPort: 1, dstPort: 2 }, payload));
  const v6Long = ipv6({ src: '::1', dst: '::2', nextHeader: PROTO.udp, payloadLength: 900 }, udp({ srcPort: 1, dstPort: 2 }, payload));
  const v6Ext = ipv6({ src: '::1', dst: '::2', nextHeader: PROTO.udp, extHeaders: [{ type: 60, data: new Uint8Array(6) }] }, udp({ srcPort: 1, dstPort: 2 }, payload));
  v6Ext[41] = 200; // extension header length past the packet
  for (const [name, b] of [
    ['ihl 3', badIhl],
    ['total 1400', bigTotal],
    ['total 10', smallTotal],
    ['ipv6 payload length', v6Long],
    ['ipv6 ext length', v6Ext],
  ] as const) {
    const d = decodeAll([ethernet({}, b)]);
    assert.equal(d.stats.malformed, 1, name);
    noInternalErrors(d, name);
  }
  const wrongVersion = decodeAll([ethernet({ type: 0x0800 }, ipv6({ src: '::1', dst: '::2', nextHeader: 59 }, new Uint8Array(0)))]);
  assert.equal(wrongVersion.stats.malformed, 1);
});

test('TCP data offsets below 5 words or past the segment are malformed', () => {
  const seg = tcp({ srcPort: 1, dstPort: 2, seq: 1 }, payload);
  const low = seg.slice();
  low[12] = 0x30;
  const high = seg.slice();
  high[12] = 0xf0;
  high.fill(0, 20); // a short segment would otherwise be long enough
  for (const s of [low, high.subarray(0, 40)]) {
    const d = decodeAll([ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.tcp }, s))]);
    assert.equal(d.stats.malformed, 1);
  }
});

test('first malformed problems are kept (20), every malformed frame is counted', () => {
  const bad = ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp }, udp({ srcPort: 1, dstPort: 2, length: 3 }, payload)));
  const d = decodeAll(Array.from({ length: 30 }, () => bad));
  assert.equal(d.stats.malformed, 30);
  assert.equal(d.stats.firstMalformed.length, 20);
  assert.equal(d.stats.firstMalformed[19]!.frameNo, 20);
  assert.equal(d.stats.firstMalformed[0]!.layer, 'udp');
});

test('random mutations of valid packets never throw and never reach an internal error', () => {
  const frames = [];
  for (let round = 0; round < 400; round++) {
    for (const [, bytes, linkType] of samples) {
      const b = bytes.slice();
      const flips = 1 + (round % 6);
      const noise = randomBytes(flips * 2);
      for (let k = 0; k < flips; k++) b[noise[2 * k]! % b.length] = noise[2 * k + 1]!;
      frames.push(frameOf(b.subarray(0, b.length - (round % 3 === 0 ? noise[0]! % b.length : 0)), { frameNo: frames.length + 1, linkType }));
    }
  }
  const d = decodeAll(frames);
  noInternalErrors(d, 'mutations');
  assert.equal(d.stats.frames, frames.length);
});

test('random bytes under every link type never throw', () => {
  const frames = [];
  for (const linkType of [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147]) {
    for (let i = 0; i < 300; i++) {
      const b = randomBytes(i % 120);
      if (i % 2 === 0 && b.length > 20 && linkType === 1) b[12] = 0x08;
      frames.push(frameOf(b, { frameNo: frames.length + 1, linkType }));
    }
  }
  noInternalErrors(decodeAll(frames), 'random');
});
