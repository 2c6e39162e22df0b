import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAuthVector, resolveAuts } from '../../../src/protocols/aka/resolve.js';
import { decodeAkaNonce } from '../../../src/protocols/aka/nonce.js';
import { splitRandAuts } from '../../../src/protocols/aka/auts.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { ALL_SETS, TS_35_208_SETS, hex, toHex, type MilenageTestSet } from '../../crypto/milenage-vectors.js';

const xorHex = (a: string, b: string): string => (BigInt(`0x${a}`) ^ BigInt(`0x${b}`)).toString(16).padStart(a.length, '0');
// AUTN = (SQN ⊕ AK) ‖ AMF ‖ MAC-A from the published columns.
const autnOf = (s: MilenageTestSet): string => xorHex(s.sqn, s.f5) + s.amf + s.f1;

test('a challenge built from each test set opens to its SQN, a valid MAC-A and RES/CK/IK/AK', () => {
  for (const s of ALL_SETS) {
    const r = resolveAuthVector({ k: hex(s.k), opc: hex(s.opc), rand: hex(s.rand), autn: hex(autnOf(s)) });
    assert.ok(!isDecodeError(r), s.name);
    assert.equal(r.sqn, BigInt(`0x${s.sqn}`), s.name);
    assert.equal(toHex(r.amf), s.amf);
    assert.equal(r.macAValid, true, s.name);
    assert.equal(toHex(r.macA), s.f1);
    assert.equal(toHex(r.xmacA), s.f1);
    assert.deepEqual([r.res, r.ck, r.ik, r.ak].map(toHex), [s.f2, s.f3, s.f4, s.f5], s.name);
  }
});

test('the challenge travels as a Digest AKA nonce and opens the same way', () => {
  const s = TS_35_208_SETS[4] as MilenageTestSet;
  const nonce = decodeAkaNonce(Buffer.from(s.rand + autnOf(s), 'hex').toString('base64'));
  assert.ok(!isDecodeError(nonce));
  const r = resolveAuthVector({ k: hex(s.k), opc: hex(s.opc), rand: nonce.rand, autn: nonce.autn });
  assert.ok(!isDecodeError(r));
  assert.equal(r.sqn, BigInt(`0x${s.sqn}`));
  assert.equal(r.macAValid, true);
});

test('an E-UTRAN vector (AMF 8000): separation bit set, SQN 21 recovered', () => {
  // A third-party HSS test vector: K of TS 35.208 set 1 with its OP value used as OPc,
  // RAND ...08a7, SQN 0x15, AMF 8000 → AUTN a3216fff22dd 8000 aad7d3010fa706fb, XRES c30ca0658493835c.
  const r = resolveAuthVector({
    k: hex('465b5ce8b199b49faa5f0a2ee238a6bc'),
    opc: hex('cdc202d5123e20f62b6d676ac72cb318'),
    rand: hex('000000000000000000000000000008a7'),
    autn: hex('a3216fff22dd8000aad7d3010fa706fb'),
  });
  assert.ok(!isDecodeError(r));
  assert.equal(r.macAValid, true);
  assert.equal(r.sqn, 21n);
  assert.equal(r.amfSeparationBit, true);
  assert.equal(toHex(r.res), 'c30ca0658493835c');
});

test('a flipped bit anywhere in AUTN, or a wrong key, makes MAC-A invalid', () => {
  const s = TS_35_208_SETS[2] as MilenageTestSet;
  const good = hex(autnOf(s));
  for (let i = 0; i < 16; i++) {
    const bad = good.slice();
    bad[i] = (bad[i] ?? 0) ^ 0x01;
    const r = resolveAuthVector({ k: hex(s.k), opc: hex(s.opc), rand: hex(s.rand), autn: bad });
    assert.ok(!isDecodeError(r));
    assert.equal(r.macAValid, false, `octet ${i}`);
  }
  const wrongK = hex(s.k);
  wrongK[15] = (wrongK[15] ?? 0) ^ 0x80;
  const r = resolveAuthVector({ k: wrongK, opc: hex(s.opc), rand: hex(s.rand), autn: good });
  assert.ok(!isDecodeError(r));
  assert.equal(r.macAValid, false);
});

test('malformed RAND or AUTN from a capture is an error value; a bad key length throws', () => {
  const s = TS_35_208_SETS[0] as MilenageTestSet;
  const base = { k: hex(s.k), opc: hex(s.opc), rand: hex(s.rand), autn: hex(autnOf(s)) };
  const shortAutn = resolveAuthVector({ ...base, autn: base.autn.subarray(0, 15) });
  assert.ok(isDecodeError(shortAutn));
  assert.match(shortAutn.reason, /AUTN must be 16 bytes/);
  const shortRand = resolveAuthVector({ ...base, rand: new Uint8Array(8) });
  assert.ok(isDecodeError(shortRand));
  assert.match(shortRand.reason, /RAND must be 16 bytes, got 8/);
  assert.throws(() => resolveAuthVector({ ...base, k: new Uint8Array(32) }), { name: 'RangeError', message: /K must be 16 bytes/ });
  assert.ok(isDecodeError(resolveAuts({ k: base.k, opc: base.opc, rand: base.rand, auts: new Uint8Array(13) })));
  assert.ok(isDecodeError(resolveAuts({ k: base.k, opc: base.opc, rand: new Uint8Array(0), auts: new Uint8Array(14) })));
});

test('a published AUTS opens to SQN_MS 31 with a valid MAC-S (AMF* = 0000)', () => {
  // libosmocore's MILENAGE resynchronisation test: K = OPc = 000102…0f, RAND = 0,
  // AUTS = 8711a0ec9e1637df17f80b384ee4, expected SQN_MS = 31.
  const k = hex('000102030405060708090a0b0c0d0e0f');
  const bytes = hex('8711a0ec9e1637df17f80b384ee4');
  for (const auts of [bytes, Buffer.from(bytes).toString('base64')]) {
    const r = resolveAuts({ k, opc: k, rand: new Uint8Array(16), auts });
    assert.ok(!isDecodeError(r));
    assert.equal(r.sqnMs, 31n);
    assert.equal(r.macSValid, true);
    assert.equal(toHex(r.macS), '37df17f80b384ee4');
  }
});

test('AUTS with SQN_MS = the set SQN opens through RAND ‖ AUTS; MAC-S uses AMF* = 0, not the AMF', () => {
  for (const s of ALL_SETS) {
    // The published f1* is computed with the set's AMF, so an AUTS carrying it must fail
    // the check, while its concealed SQN_MS still opens with the published f5*.
    const auts = xorHex(s.sqn, s.f5star) + s.f1star;
    const split = splitRandAuts(hex(s.rand + auts));
    assert.ok(!isDecodeError(split));
    const r = resolveAuts({ k: hex(s.k), opc: hex(s.opc), rand: split.rand, auts: split.autsBytes });
    assert.ok(!isDecodeError(r));
    assert.equal(r.sqnMs, BigInt(`0x${s.sqn}`), s.name);
    assert.equal(toHex(r.akStar), s.f5star);
    assert.equal(r.macSValid, s.amf === '0000', s.name);
    // With the MAC-S computed here the token is accepted, and any flipped bit is not.
    const valid = hex(xorHex(s.sqn, s.f5star) + toHex(r.xmacS));
    const ok = resolveAuts({ k: hex(s.k), opc: hex(s.opc), rand: hex(s.rand), auts: valid });
    assert.ok(!isDecodeError(ok) && ok.macSValid);
    valid[3] = (valid[3] ?? 0) ^ 0x10;
    const flipped = resolveAuts({ k: hex(s.k), opc: hex(s.opc), rand: hex(s.rand), auts: valid });
    assert.ok(!isDecodeError(flipped) && !flipped.macSValid);
  }
});
