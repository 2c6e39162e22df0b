import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethernet, frameOf, ipv4, ipv4Fragments, ipv6, ipv6Fragments, text, udp, PROTO } from '../fixtures/packets.js';
import { decodeAll, layer, utf8 } from './harness.js';

const body = text('INVITE sip:bob@example.com SIP/2.0\r\n' + 'X-Filler: 0123456789abcdef\r\n'.repeat(60) + '\r\n');
const v4 = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, id: 0x1234 }, udp({ srcPort: 5060, dstPort: 5060 }, body));
const v6 = ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, body));
const frags4 = ipv4Fragments(v4, 600).map((f) => ethernet({}, f));
const frags6 = ipv6Fragments(v6, 600, 0xabcdef).map((f) => ethernet({}, f));

for (const [name, frags, key] of [
  ['IPv4', frags4, 'ipv4-frag'],
  ['IPv6', frags6, 'ipv6-frag'],
] as const) {
  test(`${name}: fragments in order reassemble on the frame of the last one`, () => {
    assert.ok(frags.length >= 3);
    const d = decodeAll(frags);
    assert.equal(d.payloads.length, 1);
    assert.deepEqual(d.payloads[0]!.bytes, body);
    assert.equal(d.payloads[0]!.frameNo, frags.length);
    assert.equal(layer(d, key), frags.length);
    assert.equal(layer(d, 'udp'), 1, 'only the reassembled frame has UDP');
    assert.equal(d.problems.length, 0);
  });

  test(`${name}: out of order, the payload appears when the datagram completes`, () => {
    const order = [2, 0, frags.length - 1, ...Array.from({ length: frags.length }, (_, i) => i).filter((i) => i !== 2 && i !== 0 && i !== frags.length - 1)];
    const d = decodeAll(order.map((i) => frags[i]!));
    assert.equal(d.payloads.length, 1);
    assert.deepEqual(d.payloads[0]!.bytes, body);
    assert.equal(d.payloads[0]!.frameNo, order.length);
  });

  test(`${name}: duplicated fragments neither repeat nor corrupt the datagram`, () => {
    const d = decodeAll([frags[0]!, frags[0]!, frags[1]!, frags[1]!, ...frags.slice(2)]);
    assert.equal(d.payloads.length, 1);
    assert.deepEqual(d.payloads[0]!.bytes, body);
    assert.equal(d.stats.malformed, 0);
  });

  test(`${name}: datagrams never completed are reported at the end`, () => {
    const d = decodeAll(frags.slice(0, -1));
    assert.equal(d.payloads.length, 0);
    assert.equal(d.stats.dropped.get('fragments-incomplete'), 1);
    assert.equal(d.problems.at(-1)!.frameNo, 1, 'reported on the first fragment');
  });

  test(`${name}: fragments older than the timeout expire`, () => {
    const frames = frags.map((f, i) => frameOf(f, { frameNo: i + 1, tsSec: i === frags.length - 1 ? 1_700_000_100 : 1_700_000_000 }));
    const d = decodeAll(frames, { fragmentTimeoutSec: 30 });
    assert.equal(d.payloads.length, 0);
    assert.equal(d.stats.dropped.get('fragments-expired'), 1);
    const kept = decodeAll(frames, { fragmentTimeoutSec: 200 });
    assert.equal(kept.payloads.length, 1);
  });
}

test('IPv4: overlapping fragments keep the first bytes and report differing data', () => {
  const [a, b, ...rest] = ipv4Fragments(v4, 600);
  // A rogue fragment at offset 8 with other bytes, overlapping the first one.
  const rogue = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, id: 0x1234, mf: true, fragOffset: 8 }, new Uint8Array(16).fill(0x41));
  const d = decodeAll([a!, rogue, b!, ...rest].map((f) => ethernet({}, f)));
  assert.equal(d.payloads.length, 1);
  assert.deepEqual(d.payloads[0]!.bytes, body);
  assert.ok(d.problems.some((p) => /overlapping/.test(p.reason)));
});

test('IPv4: a fragment that extends an earlier one partially still completes the datagram', () => {
  const pieces = ipv4Fragments(v4, 600);
  const widened = ipv4Fragments(v4, 1200)[0]!; // covers the first two 600-byte pieces at once
  const d = decodeAll([pieces[0]!, widened, ...pieces.slice(2)].map((f) => ethernet({}, f)));
  assert.deepEqual(d.payloads[0]!.bytes, body);
  assert.equal(d.stats.malformed, 0);
});

test('the fragment table is capped, least recently touched datagram evicted', () => {
  const first = (id: number) => ethernet({}, ipv4Fragments(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, id }, udp({ srcPort: 1, dstPort: 2 }, body)), 600)[0]!);
  const rest = (id: number) => ipv4Fragments(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, id }, udp({ srcPort: 1, dstPort: 2 }, body)), 600).slice(1).map((f) => ethernet({}, f));
  const d = decodeAll([first(1), first(2), first(3), ...rest(1), ...rest(3)], { maxFragmentBuffers: 2 });
  assert.equal(d.stats.dropped.get('fragments'), 2, 'datagram 1 evicted by 3, then 2 evicted when 1 restarts');
  assert.equal(d.payloads.length, 1, 'only datagram 3 completes');
  assert.equal(d.payloads[0]!.frameNo, 3 + 2 * (frags4.length - 1));
});

test('IPv4: a truncated fragment is not reassembled; a fragment past 65535 bytes is malformed', () => {
  const pieces = ipv4Fragments(v4, 600).map((f) => ethernet({}, f));
  const cut = frameOf(pieces[0]!.subarray(0, 100), { frameNo: 1, origLen: pieces[0]!.length });
  const d = decodeAll([cut, ...pieces.slice(1).map((p, i) => frameOf(p, { frameNo: i + 2 }))]);
  assert.equal(d.payloads.length, 0);
  assert.equal(d.stats.truncated, 1);
  const far = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, id: 9, mf: true, fragOffset: 65528 }, new Uint8Array(16));
  const e = decodeAll([ethernet({}, far)]);
  assert.equal(e.stats.malformed, 1);
});

test('IPv4: two different "last fragment" lengths are malformed', () => {
  const pieces = ipv4Fragments(v4, 600);
  assert.equal(pieces.length, 3);
  const early = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, id: 0x1234, fragOffset: 600 }, new Uint8Array(8));
  const d = decodeAll([pieces[0]!, pieces[2]!, early, pieces[1]!].map((f) => ethernet({}, f)));
  assert.ok(d.problems.some((p) => p.kind === 'malformed' && /last fragment ends at 608/.test(p.reason)));
  assert.deepEqual(d.payloads[0]!.bytes, body, 'the conflicting fragment was not used');
});

test('IPv6 atomic fragment (offset 0, M clear) is processed as a whole packet', () => {
  const atomic = ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.udp, extHeaders: [{ type: 44, data: Uint8Array.from([0, 0, 0, 0, 0, 7]) }] }, udp({ srcPort: 9, dstPort: 10 }, text('atomic')));
  const d = decodeAll([ethernet({}, atomic)]);
  assert.equal(utf8(d.payloads[0]!.bytes), 'atomic');
  assert.equal(d.stats.dropped.size, 0);
});

test('fragments of the same id from different sources do not mix', () => {
  const other = ipv4({ src: '10.9.9.9', dst: '10.0.0.2', proto: PROTO.udp, id: 0x1234 }, udp({ srcPort: 5060, dstPort: 5060 }, body));
  const mine = ipv4Fragments(v4, 600);
  const theirs = ipv4Fragments(other, 600);
  const interleaved = mine.flatMap((f, i) => [f, theirs[i]!]).map((f) => ethernet({}, f));
  const d = decodeAll(interleaved);
  assert.equal(d.payloads.length, 2);
  assert.deepEqual(new Set(d.payloads.map((p) => p.src)), new Set(['10.0.0.1', '10.9.9.9']));
  for (const p of d.payloads) assert.deepEqual(p.bytes, body);
});

test('a non-final fragment whose length is not a multiple of 8 is malformed and not used', () => {
  const odd = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp, id: 5, mf: true }, new Uint8Array(13));
  const d = decodeAll([ethernet({}, odd)]);
  assert.equal(d.stats.malformed, 1);
  assert.equal(d.stats.dropped.size, 0, 'nothing was held');
});

test('IPv6: an overlapping fragment with other bytes is reported; the first bytes are kept', () => {
  const pieces = ipv6Fragments(v6, 600, 0xabcdef);
  // offset 16, M set, same identification: 0xabcdef
  const rogue = ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.udp, extHeaders: [{ type: 44, data: Uint8Array.from([0, 16 | 1, 0, 0xab, 0xcd, 0xef]) }] }, new Uint8Array(24).fill(0x42));
  const d = decodeAll([pieces[0]!, rogue, ...pieces.slice(1)].map((f) => ethernet({}, f)));
  assert.equal(d.payloads.length, 1);
  assert.deepEqual(d.payloads[0]!.bytes, body);
  assert.ok(d.problems.some((p) => p.kind === 'malformed' && /overlapping/.test(p.reason)));
});
