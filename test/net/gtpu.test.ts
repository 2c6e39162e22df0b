import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { concat, gtpu, ipUdp, ipv4, ipv6, text, udp, PROTO } from '../fixtures/packets.js';
import { decodeAll, layer, utf8 } from './harness.js';

const outer = { src: '192.168.10.1', dst: '192.168.10.2', srcPort: 2152, dstPort: 2152 };
const inner4 = ipv4({ src: '10.45.0.7', dst: '10.0.0.1', proto: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, text('REGISTER over GTP-U')));
const inner6 = ipv6({ src: '2001:db8:45::7', dst: '2001:db8::1', nextHeader: PROTO.udp }, udp({ srcPort: 49152, dstPort: 5004 }, text('RTP over GTP-U')));
// TS 38.415 PDU session container (0x85): 1 unit, QFI 9; TS 29.281 §5.2.2.1 UDP port (0x40): 1 unit.
const pduSession = { type: 0x85, content: Uint8Array.from([0x10, 0x09]) };
const udpPortExt = { type: 0x40, content: Uint8Array.from([0x08, 0x68]) };

test('a G-PDU carries IPv4 or IPv6 by the inner version nibble, with a gtpu hop of the outer addresses', () => {
  const d = decodeAll([ipUdp(outer, gtpu({ teid: 0x1234abcd }, inner4)), ipUdp(outer, gtpu({ teid: 7 }, inner6))]);
  assert.equal(d.payloads.length, 2);
  assert.equal(utf8(d.payloads[0]!.bytes), 'REGISTER over GTP-U');
  assert.equal(d.payloads[0]!.src, '10.45.0.7');
  assert.deepEqual(d.payloads[0]!.tunnel, [{ kind: 'gtpu', teid: 0x1234abcd, src: '192.168.10.1', dst: '192.168.10.2' }]);
  assert.equal(d.payloads[1]!.src, '2001:db8:45::7');
  assert.equal(d.payloads[1]!.dstPort, 5004);
  assert.equal(layer(d, 'gtpu'), 2);
  assert.equal(layer(d, 'udp'), 2);
  assert.equal(layer(d, 'ipv4'), 2);
  assert.equal(layer(d, 'ipv6'), 1);
});

test('optional sequence / N-PDU fields and chains of extension headers are skipped', () => {
  for (const opts of [{ seq: 42 }, { npdu: 3 }, { extHeaders: [pduSession] }, { seq: 1, extHeaders: [udpPortExt, pduSession] }, { extHeaders: [{ type: 0x85, content: new Uint8Array(10) }] }]) {
    const d = decodeAll([ipUdp(outer, gtpu({ teid: 1, ...opts }, inner6))]);
    assert.equal(d.problems.length, 0, JSON.stringify(opts));
    assert.equal(utf8(d.payloads[0]!.bytes), 'RTP over GTP-U', JSON.stringify(opts));
  }
});

test('GTP-U is recognised on either port 2152', () => {
  const d = decodeAll([ipUdp({ ...outer, srcPort: 40000 }, gtpu({ teid: 1 }, inner4)), ipUdp({ ...outer, dstPort: 40000 }, gtpu({ teid: 1 }, inner4))]);
  assert.equal(d.payloads.length, 2);
});

test('signalling messages are counted by name and carry nothing', () => {
  const echo = gtpu({ teid: 0, seq: 5, messageType: 1 }, Uint8Array.from([14, 0])); // Recovery IE
  const endMarker = gtpu({ teid: 9, messageType: 254 }, new Uint8Array(0));
  const d = decodeAll([ipUdp(outer, echo), ipUdp(outer, endMarker), ipUdp(outer, gtpu({ teid: 9, messageType: 99 }, new Uint8Array(0)))]);
  assert.equal(layer(d, 'gtpu:echo-request'), 1);
  assert.equal(layer(d, 'gtpu:end-marker'), 1);
  assert.equal(layer(d, 'gtpu:other'), 1);
  assert.equal(layer(d, 'gtpu'), 3);
  assert.equal(d.payloads.length, 0);
});

test('a G-PDU whose T-PDU is not IP is counted, not decoded', () => {
  const d = decodeAll([ipUdp(outer, gtpu({ teid: 1 }, Uint8Array.from([0x02, 0, 0, 0, 0, 1])))]);
  assert.equal(layer(d, 'gtpu:non-ip'), 1);
  assert.equal(d.problems.length, 0);
});

test('broken headers are malformed: wrong version, GTP-prime, zero-length extension, extension past the end, length past the datagram', () => {
  const good = gtpu({ teid: 1, extHeaders: [pduSession] }, inner4);
  const cases: [string, Uint8Array][] = [
    ['version 2', concat(Uint8Array.from([0x48]), good.subarray(1))],
    ["GTP'", concat(Uint8Array.from([0x24]), good.subarray(1))],
    ['zero-length extension', (() => { const b = good.slice(); b[12] = 0; return b; })()],
    ['extension past the end', gtpu({ teid: 1, extHeaders: [pduSession] }, new Uint8Array(0)).subarray(0, 14)],
    ['header cut', good.subarray(0, 6)],
  ];
  for (const [name, bytes] of cases) {
    const d = decodeAll([ipUdp(outer, bytes)]);
    assert.equal(d.stats.malformed, 1, name);
    assert.equal(d.payloads.length, 0, name);
  }
  const lying = gtpu({ teid: 1 }, inner4);
  lying[3] = lying[3]! + 50; // length claims 50 more octets than the datagram has
  const d = decodeAll([ipUdp(outer, lying)]);
  assert.equal(d.stats.malformed, 1);
  assert.equal(d.payloads.length, 1, 'the T-PDU present is still decoded');
});

test('random bytes on port 2152 never throw', () => {
  for (let i = 0; i < 2000; i++) {
    const junk = randomBytes(1 + (i % 60));
    if (i % 2 === 0) junk[0] = 0x30 | (junk[0]! & 0x07);
    decodeAll([ipUdp(outer, junk)]);
  }
});
