import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, ethernet, ipv4, ipv6, tcp, text, udp, PROTO } from '../fixtures/packets.js';
import { decodeAll, layer, utf8 } from './harness.js';

const seg = udp({ srcPort: 1000, dstPort: 2000 }, text('inner data'));

test('IPv4 options are skipped by the header length', () => {
  // Record route (7) with room for 2 addresses, then a NOP and router alert (RFC 2113).
  const options = Uint8Array.from([7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1, 148, 4, 0, 0]);
  const d = decodeAll([ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, options }, seg))]);
  assert.equal(d.payloads.length, 1);
  assert.equal(utf8(d.payloads[0]!.bytes), 'inner data');
  assert.equal(d.payloads[0]!.srcPort, 1000);
});

test('Ethernet padding after a short IPv4 packet is not payload', () => {
  const small = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp }, udp({ srcPort: 1, dstPort: 2 }, text('hi')));
  const d = decodeAll([ethernet({}, concat(small, new Uint8Array(20)))]);
  assert.equal(utf8(d.payloads[0]!.bytes), 'hi');
  assert.equal(d.problems.length, 0);
});

test('IPv4 total length 0 (segmentation offload) means "up to the end of the frame"', () => {
  const pkt = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, totalLength: 0 }, seg);
  const d = decodeAll([ethernet({}, pkt)]);
  assert.equal(utf8(d.payloads[0]!.bytes), 'inner data');
});

test('IPv6 extension headers (hop-by-hop, routing, destination options, AH) are walked', () => {
  const extHeaders = [
    { type: 0, data: Uint8Array.from([5, 2, 0, 0, 1, 0]) }, // router alert + PadN
    { type: 43, data: Uint8Array.from([0, 0, 0, 0, 0, 0, ...new Uint8Array(16)]) }, // type 0 routing, one address
    { type: 60, data: new Uint8Array(14) },
    { type: 51, data: new Uint8Array(22) }, // SPI, sequence, 12-byte ICV (+padding)
  ];
  const d = decodeAll([ethernet({}, ipv6({ src: 'fe80::1', dst: 'ff02::1:2', nextHeader: PROTO.udp, extHeaders }, seg))]);
  assert.equal(d.problems.length, 0, JSON.stringify(d.problems));
  assert.equal(utf8(d.payloads[0]!.bytes), 'inner data');
  assert.equal(d.payloads[0]!.src, 'fe80::1');
  assert.equal(layer(d, 'ah'), 1);
});

test('IPv6 "no next header" ends the packet quietly', () => {
  const d = decodeAll([ethernet({}, ipv6({ src: '::1', dst: '::2', nextHeader: 59 }, new Uint8Array(8)))]);
  assert.equal(d.payloads.length, 0);
  assert.equal(d.problems.length, 0);
});

test('IPv4 AH is skipped to the protected transport', () => {
  const ah = Uint8Array.from([PROTO.tcp, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 9, ...new Uint8Array(12)]); // (4+2)*4 = 24 bytes
  const body = concat(ah, tcp({ srcPort: 5060, dstPort: 5061, seq: 100 }, text('SIP over AH')));
  const d = decodeAll([ethernet({}, ipv4({ src: '10.1.1.1', dst: '10.1.1.2', proto: PROTO.ah }, body))]);
  assert.equal(utf8(d.payloads[0]!.bytes), 'SIP over AH');
  assert.equal(d.payloads[0]!.transport, 'tcp');
});

test('IP-in-IP (4 and 41) adds an ip-in-ip hop with the outer addresses', () => {
  const inner4 = ipv4({ src: '172.16.0.1', dst: '172.16.0.2', proto: PROTO.udp }, seg);
  const inner6 = ipv6({ src: '2001:db8::a', dst: '2001:db8::b', nextHeader: PROTO.udp }, seg);
  const d = decodeAll([
    ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.ipv4 }, inner4)),
    ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.ipv6 }, inner6)),
    ethernet({}, ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.ipv4 }, inner4)),
  ]);
  assert.equal(d.payloads.length, 3);
  assert.deepEqual(d.payloads[0]!.tunnel, [{ kind: 'ip-in-ip', src: '10.0.0.1', dst: '10.0.0.2' }]);
  assert.equal(d.payloads[0]!.src, '172.16.0.1');
  assert.equal(d.payloads[1]!.src, '2001:db8::a');
  assert.deepEqual(d.payloads[2]!.tunnel, [{ kind: 'ip-in-ip', src: '2001:db8::1', dst: '2001:db8::2' }]);
  assert.equal(layer(d, 'ip-in-ip'), 3);
  assert.equal(layer(d, 'ipv4'), 3);
  assert.equal(layer(d, 'ipv6'), 2);
});

test('tunnel depth is capped', () => {
  let pkt = ipv4({ src: '10.0.0.9', dst: '10.0.0.8', proto: PROTO.udp }, seg);
  for (let i = 0; i < 6; i++) pkt = ipv4({ src: `10.0.${i}.1`, dst: `10.0.${i}.2`, proto: PROTO.ipv4 }, pkt);
  assert.equal(decodeAll([ethernet({}, pkt)], { maxTunnelDepth: 6 }).payloads[0]!.tunnel.length, 6);
  const capped = decodeAll([ethernet({}, pkt)], { maxTunnelDepth: 3 });
  assert.equal(capped.payloads.length, 0);
  assert.equal(capped.stats.dropped.get('tunnel-depth'), 1);
});

test('ICMP errors: the quoted packet counts its IP and transport layers but yields no payload', () => {
  const quoted = ipv4({ src: '10.0.0.2', dst: '10.0.0.1', proto: PROTO.udp }, udp({ srcPort: 40000, dstPort: 5004 }, new Uint8Array(40)));
  const icmp = concat(Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0]), quoted);
  const d = decodeAll([ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.icmp }, icmp))]);
  assert.equal(layer(d, 'icmp'), 1);
  assert.equal(layer(d, 'udp'), 1);
  assert.equal(d.payloads.length, 0);
  const echo = concat(Uint8Array.from([8, 0, 0, 0, 0, 1, 0, 1]), quoted);
  assert.equal(layer(decodeAll([ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.icmp }, echo))]), 'udp'), 0, 'an echo request quotes nothing');
  const quoted6 = ipv6({ src: '2001:db8::2', dst: '2001:db8::1', nextHeader: PROTO.tcp }, tcp({ srcPort: 1, dstPort: 2, seq: 0 }, new Uint8Array(0)));
  const icmp6 = concat(Uint8Array.from([1, 4, 0, 0, 0, 0, 0, 0]), quoted6);
  const d6 = decodeAll([ethernet({}, ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.icmpv6 }, icmp6))]);
  assert.equal(layer(d6, 'icmpv6'), 1);
  assert.equal(layer(d6, 'tcp'), 1);
  assert.equal(layer(d6, 'ipv6'), 1);
});
