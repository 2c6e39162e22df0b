import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethernet, frameOf, ipv4, ipv6, loopback, sll, sll2, text, udp, PROTO, ETHERTYPE_ARP } from '../fixtures/packets.js';
import { decodeAll, layer, utf8 } from './harness.js';

const v4 = ipv4({ src: '192.0.2.1', dst: '198.51.100.7', proto: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5062 }, text('v4 payload')));
const v6 = ipv6({ src: '2001:db8::1', dst: '2001:db8:0:0:1::2', nextHeader: PROTO.udp }, udp({ srcPort: 5070, dstPort: 5080 }, text('v6 payload')));

function one(bytes: Uint8Array, linkType: number) {
  const d = decodeAll([frameOf(bytes, { linkType })]);
  assert.equal(d.problems.length, 0, JSON.stringify(d.problems));
  assert.equal(d.payloads.length, 1);
  return d;
}

test('Ethernet II carries IPv4 and IPv6', () => {
  const a = one(ethernet({}, v4), 1);
  assert.deepEqual([a.payloads[0]!.src, a.payloads[0]!.dst, a.payloads[0]!.srcPort, a.payloads[0]!.dstPort], ['192.0.2.1', '198.51.100.7', 5060, 5062]);
  assert.equal(utf8(a.payloads[0]!.bytes), 'v4 payload');
  assert.equal(layer(a, 'eth'), 1);
  const b = one(ethernet({}, v6), 1);
  assert.deepEqual([b.payloads[0]!.src, b.payloads[0]!.dst], ['2001:db8::1', '2001:db8::1:0:0:2']);
  assert.equal(layer(b, 'ipv6'), 1);
});

test('stacked VLAN tags of every TPID are walked', () => {
  for (const vlan of [[100], [{ id: 10, tpid: 0x88a8 }, 20], [{ id: 1, tpid: 0x9100 }, { id: 2, tpid: 0x88a8 }, 3], [1, 2, 3, 4, 5]]) {
    const d = one(ethernet({ vlan }, v4), 1);
    assert.equal(layer(d, 'vlan'), 1, `one frame with tags ${JSON.stringify(vlan)}`);
    assert.equal(utf8(d.payloads[0]!.bytes), 'v4 payload');
  }
});

test('ARP is counted, not decoded further', () => {
  const d = decodeAll([ethernet({ type: ETHERTYPE_ARP }, new Uint8Array(28))]);
  assert.equal(layer(d, 'arp'), 1);
  assert.equal(d.payloads.length, 0);
  assert.equal(d.problems.length, 0);
});

test('Linux cooked capture v1 and v2', () => {
  const a = one(sll({}, v4), 113);
  assert.equal(layer(a, 'sll'), 1);
  assert.equal(a.payloads[0]!.dstPort, 5062);
  const b = one(sll2({}, v6), 276);
  assert.equal(layer(b, 'sll2'), 1);
  assert.equal(b.payloads[0]!.dstPort, 5080);
  const c = one(sll({ protocol: 0x8100 }, Uint8Array.from([0, 5, 0x08, 0x00, ...v4])), 113);
  assert.equal(layer(c, 'vlan'), 1);
});

test('NULL loopback in either host byte order, with every BSD AF_INET6 value', () => {
  for (const bigEndian of [false, true]) {
    const a = one(loopback(2, v4, bigEndian), 0);
    assert.equal(layer(a, 'null'), 1);
    for (const family of [24, 28, 30]) {
      const b = one(loopback(family, v6, bigEndian), 0);
      assert.equal(b.payloads[0]!.src, '2001:db8::1');
    }
  }
  const unknownFamily = decodeAll([frameOf(loopback(7, v4), { linkType: 0 })]);
  assert.equal(unknownFamily.payloads.length, 0);
});

test('LOOP (108) is always network byte order', () => {
  const d = one(loopback(2, v4, true), 108);
  assert.equal(layer(d, 'loop'), 1);
  assert.equal(decodeAll([frameOf(loopback(2, v4, false), { linkType: 108 })]).payloads.length, 0);
});

test('raw IP link types pick the version from the first nibble or the link type', () => {
  for (const lt of [101, 12, 14]) {
    one(v4, lt);
    one(v6, lt);
  }
  one(v4, 228);
  one(v6, 229);
  const wrong = decodeAll([frameOf(Uint8Array.from([0x50, ...v4.subarray(1)]), { linkType: 101 })]);
  assert.equal(wrong.stats.malformed, 1);
});

test('unsupported link types are counted per frame and named once', () => {
  const frames = [1, 2, 3].map((n) => frameOf(v4, { frameNo: n, linkType: 127 }));
  const d = decodeAll([...frames, frameOf(v4, { frameNo: 4, linkType: 9 })]);
  assert.equal(layer(d, 'linktype:127'), 3);
  assert.equal(layer(d, 'linktype:9'), 1);
  assert.equal(d.problems.length, 2);
  assert.match(d.problems[0]!.reason, /127.*radiotap/);
  assert.equal(d.problems[0]!.kind, 'unsupported');
  assert.equal(d.stats.malformed, 0);
});

test('cooked captures of netlink or 802.2 frames carry no IP', () => {
  const netlink = decodeAll([frameOf(sll({ hatype: 824, protocol: 0x0800 }, v4), { linkType: 113 })]);
  assert.equal(layer(netlink, 'ipv4'), 0);
  const llc = decodeAll([frameOf(sll({ protocol: 0x0004 }, new Uint8Array(20)), { linkType: 113 })]);
  assert.equal(layer(llc, 'sll'), 1);
  assert.equal(llc.problems.length, 0);
});
