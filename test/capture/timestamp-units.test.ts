import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimestampUnits, isSupportedTsresol } from '../../src/capture/timestamp-units.js';

/** Exact reference: floor division of the 64-bit count, as Wireshark does with 64-bit integers. */
function reference(tsresol: number, count: bigint): [number, number] {
  const perSecond = tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
  return [Number(count / perSecond), Number(((count % perSecond) * 1_000_000_000n) / perSecond)];
}

/** A deterministic spread of 64-bit counts: small, around 2^52–2^53, near 2^64, and random bits. */
function counts(): bigint[] {
  const out: bigint[] = [0n, 1n, 999_999n, 1_000_000n, (1n << 32n) - 1n, 1n << 32n, (1n << 52n) - 1n, 1n << 52n, (1n << 53n) + 1n, (1n << 64n) - 1n, (1n << 63n) + 12345n];
  let x = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < 400; i++) {
    x ^= x << 13n;
    x &= (1n << 64n) - 1n;
    x ^= x >> 7n;
    x ^= x << 17n;
    x &= (1n << 64n) - 1n;
    out.push(x >> BigInt(i % 40));
  }
  return out;
}

test('every supported if_tsresol splits every 64-bit count exactly like 64-bit integer arithmetic', () => {
  const resolutions = [...Array.from({ length: 20 }, (_, k) => k), ...Array.from({ length: 64 }, (_, k) => 0x80 | k)];
  const values = counts();
  for (const tsresol of resolutions) {
    assert.ok(isSupportedTsresol(tsresol));
    const units = new TimestampUnits(tsresol);
    for (const count of values) {
      units.split(Number(count >> 32n), Number(count & 0xffffffffn));
      const [sec, nsec] = reference(tsresol, count);
      // Seconds beyond 2^53 cannot be exact doubles; compare them as the nearest double.
      assert.equal(units.sec, sec, `tsresol 0x${tsresol.toString(16)} count ${count}`);
      assert.equal(units.nsec, nsec, `tsresol 0x${tsresol.toString(16)} count ${count}`);
    }
  }
});

test('resolutions a 64-bit count cannot express are not supported', () => {
  assert.equal(isSupportedTsresol(20), false);
  assert.equal(isSupportedTsresol(0x80 | 64), false);
  assert.equal(isSupportedTsresol(0xff), false);
});

test('resolution labels', () => {
  assert.deepEqual([6, 9, 3, 0x80 | 20].map((r) => new TimestampUnits(r).label), ['µs', 'ns', '10^-3 s', '2^-20 s']);
});
