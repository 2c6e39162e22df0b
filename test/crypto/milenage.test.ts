import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import {
  DEFAULT_MILENAGE_CONSTANTS,
  computeOpc,
  f1,
  f1star,
  f2345,
  f5star,
  milenageForRand,
  type MilenageConstants,
} from '../../src/crypto/milenage.js';
import { ALL_SETS, TS_35_208_SETS, hex, toHex, type MilenageTestSet } from './milenage-vectors.js';

for (const s of ALL_SETS) {
  test(`${s.name}: OPc, f1, f1*, f2, f3, f4, f5, f5*`, () => {
    const k = hex(s.k);
    const rand = hex(s.rand);
    const opc = computeOpc(k, hex(s.op));
    assert.equal(toHex(opc), s.opc, 'OPc');
    assert.equal(toHex(f1(k, opc, rand, hex(s.sqn), hex(s.amf))), s.f1, 'f1 (MAC-A)');
    assert.equal(toHex(f1star(k, opc, rand, hex(s.sqn), hex(s.amf))), s.f1star, 'f1* (MAC-S)');
    const { res, ck, ik, ak } = f2345(k, opc, rand);
    assert.equal(toHex(res), s.f2, 'f2 (RES)');
    assert.equal(toHex(ck), s.f3, 'f3 (CK)');
    assert.equal(toHex(ik), s.f4, 'f4 (IK)');
    assert.equal(toHex(ak), s.f5, 'f5 (AK)');
    assert.equal(toHex(f5star(k, opc, rand)), s.f5star, 'f5* (AK*)');
  });
}

test('one milenageForRand context gives every function of a test set, and leaves its inputs alone', () => {
  const s = TS_35_208_SETS[3] as MilenageTestSet;
  const k = hex(s.k);
  const opc = hex(s.opc);
  const rand = hex(s.rand);
  const sqn = hex(s.sqn);
  const amf = hex(s.amf);
  const m = milenageForRand(k, opc, rand);
  const { res, ck, ik, ak } = m.f2345();
  assert.deepEqual(
    [m.f1(sqn, amf), m.f1star(sqn, amf), res, ck, ik, ak, m.f5star()].map(toHex),
    [s.f1, s.f1star, s.f2, s.f3, s.f4, s.f5, s.f5star],
  );
  assert.deepEqual([k, opc, rand, sqn, amf].map(toHex), [s.k, s.opc, s.rand, s.sqn, s.amf]);
});

test('wrong-length keys and parameters throw a RangeError naming the field', () => {
  const s = TS_35_208_SETS[0] as MilenageTestSet;
  const k = hex(s.k);
  const opc = hex(s.opc);
  const rand = hex(s.rand);
  assert.throws(() => computeOpc(k.subarray(0, 15), hex(s.op)), { name: 'RangeError', message: /K must be 16 bytes, got 15/ });
  assert.throws(() => computeOpc(k, new Uint8Array(17)), { name: 'RangeError', message: /OP must be 16 bytes, got 17/ });
  assert.throws(() => f2345(k, opc.subarray(1), rand), { name: 'RangeError', message: /OPc must be 16 bytes/ });
  assert.throws(() => f5star(k, opc, new Uint8Array(0)), { name: 'RangeError', message: /RAND must be 16 bytes, got 0/ });
  assert.throws(() => f1(k, opc, rand, new Uint8Array(5), hex(s.amf)), { name: 'RangeError', message: /SQN must be 6 bytes/ });
  assert.throws(() => f1star(k, opc, rand, hex(s.sqn), new Uint8Array(3)), { name: 'RangeError', message: /AMF must be 2 bytes/ });
  const badR: MilenageConstants = { c: DEFAULT_MILENAGE_CONSTANTS.c, r: [64, 0, 32, 64, 128] };
  assert.throws(() => f2345(k, opc, rand, badR), { name: 'RangeError', message: /r5/ });
});

// An independent model of TS 35.206 §4.1 built on 128-bit bigints (rotation as integer
// arithmetic rather than byte shuffling), validated on the published sets with the default
// constants and then used as the oracle for operator-variant constants.
const MASK128 = (1n << 128n) - 1n;
const big = (b: Uint8Array): bigint => BigInt(`0x${toHex(b) || '0'}`);
const bytes16 = (v: bigint): Uint8Array => hex(v.toString(16).padStart(32, '0'));
const rot = (v: bigint, r: number): bigint => ((v << BigInt(r)) | (v >> BigInt(128 - r))) & MASK128;
function e(k: Uint8Array, v: bigint): bigint {
  const c = createCipheriv('aes-128-ecb', k, null);
  c.setAutoPadding(false);
  return big(new Uint8Array(c.update(bytes16(v))));
}
function model(s: MilenageTestSet, constants: MilenageConstants) {
  const k = hex(s.k);
  const opc = big(hex(s.opc));
  const [c1, c2, c3, c4, c5] = constants.c.map(big) as [bigint, bigint, bigint, bigint, bigint];
  const [r1, r2, r3, r4, r5] = constants.r;
  const temp = e(k, big(hex(s.rand)) ^ opc);
  const in1 = big(hex(s.sqn + s.amf + s.sqn + s.amf));
  const out1 = e(k, temp ^ rot(in1 ^ opc, r1) ^ c1) ^ opc;
  const out = (c: bigint, r: number) => e(k, rot(temp ^ opc, r) ^ c) ^ opc;
  const o1 = toHex(bytes16(out1));
  const o2 = toHex(bytes16(out(c2, r2)));
  return {
    f1: o1.slice(0, 16),
    f1star: o1.slice(16),
    f2: o2.slice(16),
    f5: o2.slice(0, 12),
    f3: toHex(bytes16(out(c3, r3))),
    f4: toHex(bytes16(out(c4, r4))),
    f5star: toHex(bytes16(out(c5, r5))).slice(0, 12),
  };
}
function implementation(s: MilenageTestSet, constants: MilenageConstants) {
  const m = milenageForRand(hex(s.k), hex(s.opc), hex(s.rand), constants);
  const { res, ck, ik, ak } = m.f2345();
  return {
    f1: toHex(m.f1(hex(s.sqn), hex(s.amf))),
    f1star: toHex(m.f1star(hex(s.sqn), hex(s.amf))),
    f2: toHex(res),
    f5: toHex(ak),
    f3: toHex(ck),
    f4: toHex(ik),
    f5star: toHex(m.f5star()),
  };
}

test('the bigint model of TS 35.206 reproduces the published sets with the default constants', () => {
  for (const s of ALL_SETS) {
    const { f1: m1, f1star: m1s, f2: m2, f3: m3, f4: m4, f5: m5, f5star: m5s } = model(s, DEFAULT_MILENAGE_CONSTANTS);
    assert.deepEqual([m1, m1s, m2, m3, m4, m5, m5s], [s.f1, s.f1star, s.f2, s.f3, s.f4, s.f5, s.f5star], s.name);
  }
});

test('operator-variant constants (rotations not on byte boundaries) agree with the model', () => {
  const variants: MilenageConstants[] = [
    {
      c: [hex('0f'.repeat(16)), hex('00112233445566778899aabbccddeeff'), hex('80'.padEnd(32, '0')), hex('01'.padStart(32, '0')), hex('a5'.repeat(16))],
      r: [3, 127, 17, 64, 101],
    },
    { c: DEFAULT_MILENAGE_CONSTANTS.c, r: [1, 9, 33, 71, 120] },
  ];
  for (const constants of variants) {
    for (const s of ALL_SETS) {
      const got = implementation(s, constants);
      assert.deepEqual(got, model(s, constants), s.name);
      assert.notEqual(got.f3, s.f3, 'variant constants change the output');
    }
  }
});
