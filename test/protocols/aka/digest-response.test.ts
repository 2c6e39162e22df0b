import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { digestResponse, parseDigestAlgorithm, type DigestParams } from '../../../src/protocols/aka/digest-response.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { corpusFile, needTools } from '../../support/environment.js';

// RFC 2617 §3.5 example.
const RFC2617: DigestParams = {
  username: 'Mufasa',
  realm: 'testrealm@host.com',
  password: 'Circle Of Life',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  qop: 'auth',
  nc: '00000001',
  cnonce: '0a4f113b',
};

// RFC 7616 §3.9.1 example (note "of", lower case).
const RFC7616: DigestParams = {
  username: 'Mufasa',
  realm: 'http-auth@example.org',
  password: 'Circle of Life',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  qop: 'auth',
  nc: '00000001',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

test('RFC 2617 §3.5: Mufasa / Circle Of Life → 6629fae49393a05397450978507c4ef1', () => {
  assert.equal(digestResponse(RFC2617), '6629fae49393a05397450978507c4ef1');
  assert.equal(digestResponse({ ...RFC2617, algorithm: 'MD5' }), '6629fae49393a05397450978507c4ef1');
  assert.equal(digestResponse({ ...RFC2617, algorithm: 'md5' }), '6629fae49393a05397450978507c4ef1');
});

test('RFC 7616 §3.9.1: MD5 and SHA-256 examples', () => {
  assert.equal(digestResponse({ ...RFC7616, algorithm: 'MD5' }), '8ca523f5e9506fed4657c9700eebdbec');
  assert.equal(
    digestResponse({ ...RFC7616, algorithm: 'SHA-256' }),
    '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
  );
});

test('RFC 2069 form (no qop), MD5-sess and auth-int on the RFC 2617 inputs', () => {
  // Expected values computed with the openssl command line (`openssl md5`) from the
  // RFC 2617 §3.2.2 formulas; the no-qop value is also published by another project's tests.
  const { qop: _q, nc: _n, cnonce: _c, ...noQop } = RFC2617;
  assert.equal(digestResponse(noQop), '670fd8c2df070c60b045671b8b24ff02');
  assert.equal(digestResponse({ ...RFC2617, algorithm: 'MD5-sess' }), '8e3825c57e897f5a0dec6c2d4e5059d0');
  assert.equal(
    digestResponse({ ...RFC2617, qop: 'auth-int', body: new TextEncoder().encode('hello') }),
    '4b9dff6a3247bddd2fed3d63a302e8dc',
  );
  assert.equal(digestResponse({ ...RFC2617, qop: 'auth-int' }), '5e6610ecf9ba3017a4870ad48e3ad30b');
});

test('AKAv1-MD5 hashes the raw RES octets as the password', () => {
  // RES of TS 35.208 test set 1 (a54211d5e3ba50bf, not valid UTF-8); expected value computed
  // with the openssl command line from the raw bytes.
  const res = Uint8Array.from(Buffer.from('a54211d5e3ba50bf', 'hex'));
  const params: DigestParams = {
    username: 'user@ims.test',
    realm: 'ims.test',
    password: res,
    method: 'REGISTER',
    uri: 'sip:ims.test',
    nonce: 'NONCE',
    qop: 'auth',
    nc: '00000001',
    cnonce: 'abcdef',
    algorithm: 'AKAv1-MD5',
  };
  assert.equal(digestResponse(params), '67ab8cf0e88084350235a8df4ea740fa');
});

test('algorithm tokens', () => {
  assert.deepEqual(parseDigestAlgorithm(undefined), { hash: 'md5', sess: false });
  assert.deepEqual(parseDigestAlgorithm('AKAv1-MD5'), { hash: 'md5', sess: false, akaVersion: 1 });
  assert.deepEqual(parseDigestAlgorithm('akav2-md5'), { hash: 'md5', sess: false, akaVersion: 2 });
  assert.deepEqual(parseDigestAlgorithm('SHA-256-sess'), { hash: 'sha256', sess: true });
  assert.deepEqual(parseDigestAlgorithm('SHA-512-256'), { hash: 'sha512-256', sess: false });
  for (const bad of ['SHA-1', 'AKAv3-MD5', 'AKAv-MD5', 'AKAv1', 'MD5-sess-sess', 'x'.repeat(100_000)]) {
    const r = parseDigestAlgorithm(bad);
    assert.ok(isDecodeError(r), bad.slice(0, 20));
    assert.equal(r.layer, 'digest');
  }
});

test('unusable parameters are error values, never exceptions', () => {
  const cases: [DigestParams, RegExp][] = [
    [{ ...RFC2617, algorithm: 'SHA-1' }, /unsupported Digest algorithm/],
    [{ ...RFC2617, qop: 'auth-conf' }, /unsupported qop/],
    [{ ...RFC2617, cnonce: undefined }, /needs nc and cnonce/],
    [{ ...RFC2617, nc: undefined }, /needs nc and cnonce/],
    [{ ...RFC2617, qop: undefined, cnonce: undefined, algorithm: 'MD5-sess' }, /needs cnonce/],
  ];
  for (const [params, reason] of cases) {
    const r = digestResponse(params);
    assert.ok(isDecodeError(r));
    assert.match(r.reason, reason);
  }
});

test('1 MB header values hash in linear time', () => {
  const t0 = performance.now();
  const r = digestResponse({ ...RFC2617, nonce: 'n'.repeat(1 << 20), uri: 'u'.repeat(1 << 20) });
  assert.equal(typeof r, 'string');
  assert.ok(performance.now() - t0 < 5000);
});

test('the Digest response of a real INVITE matches (Amarisoft IMS capture, tshark as field oracle)', (t) => {
  const file = corpusFile(t, 'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng');
  if (!file || !needTools(t, 'tshark')) return;
  const fields = ['sip.Method', 'sip.auth.username', 'sip.auth.realm', 'sip.auth.nonce', 'sip.auth.uri', 'sip.auth.digest.response', 'sip.auth.algorithm'];
  const out = spawnSync('tshark', ['-r', file, '-Y', 'sip.Method && sip.auth.digest.response', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
  });
  assert.equal(out.status, 0, out.stderr);
  const rows = out.stdout.trim().split('\n').filter((l) => l.length > 0);
  assert.ok(rows.length >= 1, 'the capture holds an authorised request');
  const unq = (v: string | undefined) => (v ?? '').replace(/^"|"$/g, '');
  for (const row of rows) {
    const [method, username, realm, nonce, uri, response, algorithm] = row.split('\t').map(unq);
    // The soft client's password; the capture's own response is the oracle.
    const params: DigestParams = {
      username: username ?? '',
      realm: realm ?? '',
      password: 'sipclient',
      method: method ?? '',
      uri: uri ?? '',
      nonce: nonce ?? '',
      ...(algorithm ? { algorithm } : {}),
    };
    assert.equal(digestResponse(params), response);
    assert.notEqual(digestResponse({ ...params, password: 'sipclient2' }), response);
  }
});
