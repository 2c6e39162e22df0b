import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AddressText, formatIpv6 } from '../../src/net/address.js';

function bytesOf(words: number[]): Uint8Array {
  const b = new Uint8Array(16);
  words.forEach((w, i) => {
    b[2 * i] = w >> 8;
    b[2 * i + 1] = w & 0xff;
  });
  return b;
}

test('RFC 5952 §4 examples', () => {
  // §4.1 leading zeros, §4.2.1 longest run, §4.2.2 single 0 field, §4.2.3 first of equal runs, §4.3 lowercase
  assert.equal(formatIpv6(bytesOf([0x2001, 0x0db8, 0, 0, 0, 0, 0, 1]), 0), '2001:db8::1');
  assert.equal(formatIpv6(bytesOf([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]), 0), '2001:db8:0:1:1:1:1:1');
  assert.equal(formatIpv6(bytesOf([0x2001, 0, 0, 1, 0, 0, 0, 1]), 0), '2001:0:0:1::1');
  assert.equal(formatIpv6(bytesOf([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), 0), '2001:db8::1:0:0:1');
  assert.equal(formatIpv6(bytesOf([0x2001, 0xdb8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeee, 0xaaaa]), 0), '2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa');
  assert.equal(formatIpv6(bytesOf([0, 0, 0, 0, 0, 0, 0, 0]), 0), '::');
  assert.equal(formatIpv6(bytesOf([0, 0, 0, 0, 0, 0, 0, 1]), 0), '::1');
  assert.equal(formatIpv6(bytesOf([1, 0, 0, 0, 0, 0, 0, 0]), 0), '1::');
  // §5: IPv4-mapped addresses keep the dotted quad
  assert.equal(formatIpv6(bytesOf([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0280]), 0), '::ffff:192.0.2.128');
});

test('random addresses format as the WHATWG URL serializer does (same compression rules)', () => {
  const cache = new AddressText();
  for (let i = 0; i < 3000; i++) {
    const b = randomBytes(16);
    // Zero some groups so that runs of every length occur.
    for (let g = 0; g < 8; g++) if (b[g * 2]! < 128) b.fill(0, g * 2, g * 2 + 2);
    if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) continue; // mapped: URL writes hex words
    const oracle = new URL(`http://[${[...Array(8).keys()].map((g) => ((b[2 * g]! << 8) | b[2 * g + 1]!).toString(16)).join(':')}]/`).hostname.slice(1, -1);
    assert.equal(formatIpv6(b, 0), oracle);
    assert.equal(cache.ipv6(b, 0), oracle, 'cached text');
    assert.equal(cache.ipv6(b, 0), oracle, 'cached text, second lookup');
  }
});

test('cached IPv4 text matches the dotted quad, at any offset', () => {
  const cache = new AddressText();
  const buf = Uint8Array.from([9, 9, 10, 0, 255, 1, 192, 168, 0, 1]);
  assert.equal(cache.ipv4(buf, 2), '10.0.255.1');
  assert.equal(cache.ipv4(buf, 6), '192.168.0.1');
  assert.equal(cache.ipv4(buf, 2), '10.0.255.1');
});
