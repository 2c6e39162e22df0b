import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAuts, splitRandAuts } from '../../../src/protocols/aka/auts.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { TS_35_208_SETS, hex, toHex, type MilenageTestSet } from '../../crypto/milenage-vectors.js';

const set3 = TS_35_208_SETS[2] as MilenageTestSet;
// AUTS with SQN_MS = the set's SQN: (SQN ⊕ AK*) ‖ MAC-S, from the published columns.
const concealed = (BigInt(`0x${set3.sqn}`) ^ BigInt(`0x${set3.f5star}`)).toString(16).padStart(12, '0');
const autsHex = concealed + set3.f1star;

test('AUTS from raw bytes and from the base64 auts parameter give the same fields', () => {
  const fromBytes = decodeAuts(hex(autsHex));
  const b64 = Buffer.from(autsHex, 'hex').toString('base64');
  const fromText = decodeAuts(b64);
  const fromQuoted = decodeAuts(`"${b64}"`);
  for (const r of [fromBytes, fromText, fromQuoted]) {
    assert.ok(!isDecodeError(r));
    assert.equal(toHex(r.sqnMsXorAkStar), concealed);
    assert.equal(toHex(r.macS), set3.f1star);
  }
});

test('RAND ‖ AUTS (Cx SIP-Authorization, S6a Re-Synchronization-Info) splits at 16', () => {
  const r = splitRandAuts(hex(set3.rand + autsHex));
  assert.ok(!isDecodeError(r));
  assert.equal(toHex(r.rand), set3.rand);
  assert.equal(toHex(r.autsBytes), autsHex);
  assert.equal(toHex(r.auts.sqnMsXorAkStar), concealed);
  assert.equal(toHex(r.auts.macS), set3.f1star);
});

test('RAND ‖ AUTS must be exactly 30 bytes, and the error says by how much it is off', () => {
  const short = splitRandAuts(new Uint8Array(28));
  assert.ok(isDecodeError(short));
  assert.match(short.reason, /exactly 30 bytes .*got 28: 2 byte\(s\) missing/);
  const long = splitRandAuts(new Uint8Array(32));
  assert.ok(isDecodeError(long));
  assert.match(long.reason, /got 32: 2 extra byte\(s\)/);
  assert.ok(isDecodeError(splitRandAuts(new Uint8Array(0))));
});

test('malformed AUTS values are error values', () => {
  const cases: [string | Uint8Array, RegExp][] = [
    [new Uint8Array(13), /AUTS must be 14 bytes .*got 13/],
    [new Uint8Array(16), /got 16/],
    [Buffer.alloc(16).toString('base64'), /got 16/],
    ['AAAA$AAAAAAAAAAAAAA=', /auts is not base64: character 0x24 at offset 4/],
    ['', /got 0/],
  ];
  for (const [input, reason] of cases) {
    const r = decodeAuts(input);
    assert.ok(isDecodeError(r));
    assert.match(r.reason, reason);
  }
});
