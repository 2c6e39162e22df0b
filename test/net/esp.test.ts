import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ethernet, espNull, gtpu, ipUdp, ipv4, ipv6, tcp, text, udp, PROTO } from '../fixtures/packets.js';
import { decodeAll, joined, layer, utf8 } from './harness.js';

const ue = '2001:db8:45::7';
const pcscf = '2001:db8::10';
const sipUdp = udp({ srcPort: 5060, dstPort: 5060 }, text('REGISTER sip:ims.example SIP/2.0\r\n\r\n'));
// RFC 4303 §2: in transport mode the checksum covers the outer addresses, so build via ipv6() and peel off the header.
function transportSegment(proto: number, segment: Uint8Array, src = ue, dst = pcscf): Uint8Array {
  return ipv6({ src, dst, nextHeader: proto }, segment).subarray(40);
}

function espIn6(payload: Uint8Array): Uint8Array {
  return ethernet({}, ipv6({ src: ue, dst: pcscf, nextHeader: PROTO.esp }, payload));
}

test('NULL-encrypted ESP with 12- and 16-byte ICVs (and none) is decoded, with an esp hop', () => {
  for (const icvLength of [12, 16, 0] as const) {
    for (const padLength of [undefined, 0, 7]) {
      const esp = espNull({ spi: 0xc0ffee01, seq: 17, nextHeader: PROTO.udp, icvLength, padLength }, transportSegment(PROTO.udp, sipUdp));
      const d = decodeAll([espIn6(esp)]);
      const tag = `icv ${icvLength} pad ${padLength}`;
      assert.equal(d.payloads.length, 1, tag);
      assert.equal(utf8(d.payloads[0]!.bytes), 'REGISTER sip:ims.example SIP/2.0\r\n\r\n', tag);
      assert.deepEqual(d.payloads[0]!.tunnel, [{ kind: 'esp', spi: 0xc0ffee01, seq: 17, src: ue, dst: pcscf, udpEncap: false }]);
      assert.deepEqual(d.esp, [{ frameNo: 1, ts: d.esp[0]!.ts, spi: 0xc0ffee01, seq: 17, src: ue, dst: pcscf, udpEncap: false, decoded: true }]);
      assert.equal(layer(d, 'esp-null-decoded'), 1);
    }
  }
});

test('NULL ESP carrying SIP over TCP inside GTP-U, as a VoNR UE sends it', () => {
  const seg1 = transportSegment(PROTO.tcp, tcp({ srcPort: 6100, dstPort: 5060, seq: 1 }, text('INVITE sip:b SIP/2.0\r\n')));
  const seg2 = transportSegment(PROTO.tcp, tcp({ srcPort: 6100, dstPort: 5060, seq: 23 }, text('Content-Length: 0\r\n\r\n')));
  const frame = (seq: number, seg: Uint8Array) =>
    ipUdp({ src: '192.168.1.1', dst: '192.168.1.2', srcPort: 2152, dstPort: 2152 }, gtpu({ teid: 0x10, extHeaders: [{ type: 0x85, content: Uint8Array.from([0x10, 0x05]) }] }, ipv6({ src: ue, dst: pcscf, nextHeader: PROTO.esp }, espNull({ spi: 0x1000, seq, nextHeader: PROTO.tcp, icvLength: 12 }, seg))));
  const d = decodeAll([frame(1, seg1), frame(2, seg2)]);
  assert.equal(joined(d.payloads), 'INVITE sip:b SIP/2.0\r\nContent-Length: 0\r\n\r\n');
  const hops = d.payloads[1]!.tunnel;
  assert.equal(hops.length, 2);
  assert.equal(hops[0]!.kind, 'gtpu');
  assert.deepEqual(hops[1], { kind: 'esp', spi: 0x1000, seq: 2, src: ue, dst: pcscf, udpEncap: false });
  assert.equal(d.payloads[0]!.transport, 'tcp');
  assert.equal(layer(d, 'esp'), 2);
  assert.equal(layer(d, 'gtpu'), 2);
});

test('tunnel-mode NULL ESP carries a whole IP packet', () => {
  const inner = ipv4({ src: '10.1.0.1', dst: '10.2.0.1', proto: PROTO.udp }, udp({ srcPort: 1, dstPort: 2 }, text('tunnelled')));
  const d = decodeAll([ethernet({}, ipv4({ src: '203.0.113.1', dst: '203.0.113.2', proto: PROTO.esp }, espNull({ spi: 5, seq: 1, nextHeader: PROTO.ipv4, icvLength: 16 }, inner)))]);
  assert.equal(utf8(d.payloads[0]!.bytes), 'tunnelled');
  assert.equal(d.payloads[0]!.src, '10.1.0.1');
  assert.deepEqual(
    d.payloads[0]!.tunnel.map((h) => h.kind),
    ['esp'],
  );
});

test('encrypted-looking ESP yields an undecoded EspEvent and no payload', () => {
  let decoded = 0;
  for (let i = 0; i < 3000; i++) {
    const body = randomBytes(40 + (i % 200));
    const d = decodeAll([espIn6(body)]);
    assert.equal(d.esp.length, 1);
    if (d.esp[0]!.decoded) decoded++;
    assert.equal(d.esp[0]!.spi, body.readUInt32BE(0));
    assert.equal(d.esp[0]!.seq, body.readUInt32BE(4));
  }
  assert.ok(decoded <= 2, `${decoded} random packets passed the NULL heuristic`);
});

test('padding that is not 1, 2, 3, … or an unknown next header defeats the heuristic; so does turning it off', () => {
  const good = espNull({ spi: 1, seq: 1, nextHeader: PROTO.udp, icvLength: 12, padLength: 3 }, transportSegment(PROTO.udp, sipUdp));
  const badPad = good.slice();
  badPad[badPad.length - 12 - 2 - 2] = 9; // the second padding byte
  assert.equal(decodeAll([espIn6(badPad)]).esp[0]!.decoded, false);
  const unknownNext = espNull({ spi: 1, seq: 1, nextHeader: 99, icvLength: 12 }, transportSegment(PROTO.udp, sipUdp));
  assert.equal(decodeAll([espIn6(unknownNext)]).esp[0]!.decoded, false);
  const off = decodeAll([espIn6(good)], { espNullHeuristic: false });
  assert.equal(off.esp[0]!.decoded, false);
  assert.equal(off.payloads.length, 0);
  assert.equal(decodeAll([espIn6(good)]).esp[0]!.decoded, true);
});

test('a UDP length that does not match the ESP payload defeats the heuristic', () => {
  const wrong = transportSegment(PROTO.udp, sipUdp).slice();
  wrong[5] = wrong[5]! + 4;
  assert.equal(decodeAll([espIn6(espNull({ spi: 1, seq: 1, nextHeader: PROTO.udp, icvLength: 12 }, wrong))]).esp[0]!.decoded, false);
});

test('UDP 4500: ESP (udpEncap), NAT keepalive, and IKE behind the non-ESP marker', () => {
  const nat = { src: '198.51.100.20', dst: '203.0.113.5', srcPort: 4500, dstPort: 4500 };
  const seg = ipv4({ src: nat.src, dst: nat.dst, proto: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, text('SIP'))).subarray(20);
  const esp = espNull({ spi: 0xabc, seq: 3, nextHeader: PROTO.udp, icvLength: 12 }, seg);
  const ike = Uint8Array.from([0, 0, 0, 0, ...randomBytes(28)]);
  const d = decodeAll([ipUdp(nat, esp), ipUdp(nat, Uint8Array.from([0xff])), ipUdp(nat, ike)]);
  assert.deepEqual(
    d.esp.map((e) => [e.frameNo, e.spi, e.udpEncap, e.decoded]),
    [[1, 0xabc, true, true]],
  );
  assert.equal(d.payloads.length, 2);
  assert.equal(utf8(d.payloads[0]!.bytes), 'SIP');
  assert.equal(d.payloads[0]!.tunnel[0]?.kind === 'esp' && d.payloads[0]!.tunnel[0].udpEncap, true);
  assert.equal(d.payloads[1]!.frameNo, 3);
  assert.deepEqual(d.payloads[1]!.bytes, ike.subarray(4), 'IKE message without the marker');
  assert.equal(d.payloads[1]!.srcPort, 4500);
  assert.equal(layer(d, 'nat-keepalive'), 1);
  assert.equal(layer(d, 'esp'), 1);
});

test('ESP shorter than its header is malformed', () => {
  const d = decodeAll([espIn6(Uint8Array.from([1, 2, 3, 4, 5]))]);
  assert.equal(d.stats.malformed, 1);
  assert.equal(d.esp.length, 0);
});
