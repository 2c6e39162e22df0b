import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { akaPassword } from '../../../src/protocols/aka/aka-password.js';
import { digestResponse } from '../../../src/protocols/aka/digest-response.js';
import { f2345 } from '../../../src/crypto/milenage.js';
import { ALL_SETS, TS_35_208_SETS, hex, toHex, type MilenageTestSet } from '../../crypto/milenage-vectors.js';

// HMAC-MD5 spelled out from RFC 2104 §2 on plain MD5, as the oracle for RFC 4169's PRF.
function hmacMd5(key: Uint8Array, data: Uint8Array): Buffer {
  const k = key.length > 64 ? createHash('md5').update(key).digest() : Buffer.from(key);
  const block = Buffer.alloc(64);
  k.copy(block);
  const ipad = Buffer.from(block.map((b) => b ^ 0x36));
  const opad = Buffer.from(block.map((b) => b ^ 0x5c));
  const inner = createHash('md5').update(ipad).update(data).digest();
  return createHash('md5').update(opad).update(inner).digest();
}

test('the RFC 2104 oracle reproduces RFC 2202 HMAC-MD5 test cases 2 and 6', () => {
  const ascii = (s: string) => new TextEncoder().encode(s);
  assert.equal(hmacMd5(ascii('Jefe'), ascii('what do ya want for nothing?')).toString('hex'), '750c783e6ab0b503eaa86e310a5db738');
  assert.equal(
    hmacMd5(new Uint8Array(80).fill(0xaa), ascii('Test Using Larger Than Block-Size Key - Hash Key First')).toString('hex'),
    '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd',
  );
});

test('AKAv1: the password is RES itself (RFC 3310 §3.3)', () => {
  for (const s of ALL_SETS) {
    const res = hex(s.f2);
    assert.equal(toHex(akaPassword(1, res, hex(s.f4), hex(s.f3))), s.f2, s.name);
  }
});

test('AKAv2: base64(HMAC-MD5(RES ‖ IK ‖ CK, "http-digest-akav2-password")) (RFC 4169 §3)', () => {
  for (const s of ALL_SETS) {
    const key = hex(s.f2 + s.f4 + s.f3); // RES ‖ IK ‖ CK
    const expected = hmacMd5(key, new TextEncoder().encode('http-digest-akav2-password')).toString('base64');
    const got = Buffer.from(akaPassword(2, hex(s.f2), hex(s.f4), hex(s.f3))).toString('latin1');
    assert.equal(got, expected, s.name);
  }
  // TS 35.208 set 1, cross-checked with `openssl dgst -md5 -mac HMAC ... | base64`.
  const s1 = TS_35_208_SETS[0] as MilenageTestSet;
  assert.equal(Buffer.from(akaPassword(2, hex(s1.f2), hex(s1.f4), hex(s1.f3))).toString('latin1'), 'shzt3q8CWaZnCAWqs3WmEQ==');
});

test('end to end: Milenage RES/IK/CK → AKAv2 password → Digest response', () => {
  const s = TS_35_208_SETS[5] as MilenageTestSet;
  const { res, ik, ck } = f2345(hex(s.k), hex(s.opc), hex(s.rand));
  const password = akaPassword(2, res, ik, ck);
  const params = {
    username: '001010000000001@ims.mnc001.mcc001.3gppnetwork.org',
    realm: 'ims.mnc001.mcc001.3gppnetwork.org',
    method: 'REGISTER',
    uri: 'sip:ims.mnc001.mcc001.3gppnetwork.org',
    nonce: 'bm9uY2U=',
    qop: 'auth',
    nc: '00000001',
    cnonce: '0123abcd',
    algorithm: 'AKAv2-MD5',
  };
  // Oracle: RFC 2617 §3.2.2.1 written out on MD5, with the RFC 2104 HMAC above.
  const md5 = (...parts: (string | Buffer)[]) => createHash('md5').update(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)))).digest('hex');
  const pw = hmacMd5(hex(s.f2 + s.f4 + s.f3), new TextEncoder().encode('http-digest-akav2-password')).toString('base64');
  const ha1 = md5(`${params.username}:${params.realm}:${pw}`);
  const ha2 = md5(`${params.method}:${params.uri}`);
  const expected = md5(`${ha1}:${params.nonce}:${params.nc}:${params.cnonce}:${params.qop}:${ha2}`);
  assert.equal(digestResponse({ ...params, password }), expected);
  assert.notEqual(digestResponse({ ...params, password: akaPassword(1, res, ik, ck) }), expected);
});
