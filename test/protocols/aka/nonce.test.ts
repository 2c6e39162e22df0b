import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAkaNonce } from '../../../src/protocols/aka/nonce.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { TS_35_208_SETS, hex, toHex, type MilenageTestSet } from '../../crypto/milenage-vectors.js';

// AUTN = (SQN ⊕ AK) ‖ AMF ‖ MAC-A, built from the published columns of a test set.
function autnHex(s: MilenageTestSet): string {
  const sqnXorAk = (BigInt(`0x${s.sqn}`) ^ BigInt(`0x${s.f5}`)).toString(16).padStart(12, '0');
  return sqnXorAk + s.amf + s.f1;
}

const set1 = TS_35_208_SETS[0] as MilenageTestSet;

test('RAND ‖ AUTN ‖ server data from TS 35.208 test sets round-trip through the nonce', () => {
  for (const s of TS_35_208_SETS) {
    const serverData = 'a5a5' + s.op; // any trailing bytes
    const nonce = Buffer.from(s.rand + autnHex(s) + serverData, 'hex').toString('base64');
    const decoded = decodeAkaNonce(nonce);
    assert.ok(!isDecodeError(decoded), s.name);
    assert.equal(toHex(decoded.rand), s.rand);
    assert.equal(toHex(decoded.autn), autnHex(s));
    assert.equal(toHex(decoded.serverData), serverData);
  }
});

test('test set 1 AUTN is 55f328b43577 b9b9 4a9ffac354dfafb3, and a bare 32-byte nonce has no server data', () => {
  assert.equal(autnHex(set1), '55f328b43577b9b94a9ffac354dfafb3');
  const nonce = Buffer.from(set1.rand + autnHex(set1), 'hex').toString('base64');
  const decoded = decodeAkaNonce(`"${nonce}"`);
  assert.ok(!isDecodeError(decoded));
  assert.equal(toHex(decoded.autn), '55f328b43577b9b94a9ffac354dfafb3');
  assert.equal(decoded.serverData.length, 0);
});

test('unpadded base64 is accepted', () => {
  const bytes = hex(set1.rand + autnHex(set1) + 'ffee'); // 34 bytes: base64 ends with '=='
  const padded = Buffer.from(bytes).toString('base64');
  assert.ok(padded.endsWith('=='));
  const decoded = decodeAkaNonce(padded.replace(/=+$/, ''));
  assert.ok(!isDecodeError(decoded));
  assert.equal(toHex(decoded.serverData), 'ffee');
});

test('malformed nonces are error values that say what is wrong', () => {
  const good = Buffer.from(set1.rand + autnHex(set1), 'hex').toString('base64');
  const cases: [string, RegExp][] = [
    ['', /0 bytes/],
    [Buffer.alloc(31).toString('base64'), /31 bytes; RAND \(16\) ‖ AUTN \(16\) needs at least 32/],
    [`${good.slice(0, 10)}!${good.slice(11)}`, /character 0x21 at offset 10/],
    [`${good.slice(0, 10)} ${good.slice(11)}`, /character 0x20 at offset 10/],
    [`${good.slice(0, 8)}=${good.slice(9)}`, /'=' before the end at offset 8/],
    [`${good}A`, /'=' before the end at offset 43/],
    [`${good.replace(/=+$/, '')}AA`, /45 significant characters leave a dangling 6 bits/],
    [`${good.slice(0, -1)}==`, /padding/],
    ['QUJD===', /padding/],
  ];
  for (const [nonce, reason] of cases) {
    const r = decodeAkaNonce(nonce);
    assert.ok(isDecodeError(r), `expected an error for ${JSON.stringify(nonce.slice(0, 60))}`);
    assert.equal(r.layer, 'aka');
    assert.match(r.reason, reason);
  }
});

test('never throws on arbitrary strings', () => {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < 2000; i++) {
    const len = next() % 80;
    let s = '';
    for (let j = 0; j < len; j++) s += String.fromCharCode(next() % 130);
    assert.doesNotThrow(() => decodeAkaNonce(s));
  }
});

test('a 1 MB nonce decodes (or fails) in linear time', () => {
  const big = Buffer.alloc(768 * 1024, 7).toString('base64'); // 1 MiB of base64 text
  let t0 = performance.now();
  const ok = decodeAkaNonce(big);
  assert.ok(!isDecodeError(ok));
  assert.equal(ok.serverData.length, 768 * 1024 - 32);
  const bad = decodeAkaNonce(`${big.slice(0, -4)}*AAA`);
  assert.ok(isDecodeError(bad));
  assert.ok(performance.now() - t0 < 5000, 'took too long');
  t0 = performance.now();
  assert.ok(isDecodeError(decodeAkaNonce('='.repeat(1 << 20))));
  assert.ok(performance.now() - t0 < 5000, 'took too long');
});
