import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitAutn } from '../../../src/protocols/aka/autn.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { ALL_SETS, hex, toHex } from '../../crypto/milenage-vectors.js';

test('AUTN built from each test set splits back into SQN ⊕ AK, AMF and MAC-A', () => {
  for (const s of ALL_SETS) {
    const sqnXorAk = (BigInt(`0x${s.sqn}`) ^ BigInt(`0x${s.f5}`)).toString(16).padStart(12, '0');
    const autn = splitAutn(hex(sqnXorAk + s.amf + s.f1));
    assert.ok(!isDecodeError(autn), s.name);
    assert.equal(toHex(autn.sqnXorAk), sqnXorAk);
    assert.equal(toHex(autn.amf), s.amf);
    assert.equal(toHex(autn.macA), s.f1);
    // The separation bit is the most significant bit of the AMF as written in the set.
    assert.equal(autn.amfSeparationBit, parseInt(s.amf, 16) >= 0x8000, s.name);
  }
});

test('the AMF separation bit is bit 0 (the MSB) of AMF', () => {
  const base = '000000000000' + '0000' + '0000000000000000';
  const withAmf = (amf: string) => splitAutn(hex(base.slice(0, 12) + amf + base.slice(16)));
  const cases: [string, boolean][] = [['8000', true], ['0000', false], ['7fff', false], ['ffff', true], ['0080', false]];
  for (const [amf, bit] of cases) {
    const r = withAmf(amf);
    assert.ok(!isDecodeError(r));
    assert.equal(r.amfSeparationBit, bit, amf);
  }
});

test('fields are views into the input, not copies', () => {
  const bytes = hex('00112233445566778899aabbccddeeff');
  const r = splitAutn(bytes);
  assert.ok(!isDecodeError(r));
  assert.equal(r.macA.buffer, bytes.buffer);
  assert.equal(r.macA.byteOffset, bytes.byteOffset + 8);
});

test('a wrong-length AUTN is an error value', () => {
  for (const n of [0, 15, 17, 32]) {
    const r = splitAutn(new Uint8Array(n));
    assert.ok(isDecodeError(r));
    assert.match(r.reason, new RegExp(`AUTN must be 16 bytes .*got ${n}`));
  }
});
