// ESP decrypted with user-given security associations (RFC 4303 with 3DES-CBC RFC 2451 and
// AES-CBC RFC 3602): packets encrypted here by node:crypto must come out as the packets put in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ethernet, espCbc, espGcm, ipv4, ipv6, text, udp, PROTO } from '../fixtures/packets.js';
import { tempCaptureFile, writePcap } from '../fixtures/capture-writer.js';
import { needTools } from '../support/environment.js';
import { parseEspKeys, EspKeysError } from '../../src/net/esp-keys.js';
import { decodeAll, layer, utf8 } from './harness.js';

const KEY_3DES = Uint8Array.from({ length: 24 }, (_, i) => (i * 37 + 11) & 0xff);
const KEY_AES128 = Uint8Array.from({ length: 16 }, (_, i) => (i * 53 + 7) & 0xff);
const KEY_AES256 = Uint8Array.from({ length: 32 }, (_, i) => (i * 71 + 3) & 0xff);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** VoWiFi-style: ESP in UDP 4500 (RFC 3948) in IPv4, tunnel mode carrying IPv4/UDP. */
function vowifi(esp: Uint8Array): Uint8Array {
  return ethernet({}, ipv4({ src: '203.0.113.7', dst: '198.51.100.1', proto: PROTO.udp }, udp({ srcPort: 4500, dstPort: 4500 }, esp)));
}
const innerRtp = (n: number): Uint8Array => ipv4({ src: '10.9.0.2', dst: '10.9.0.1', proto: PROTO.udp }, udp({ srcPort: 12720, dstPort: 50010 }, text(`rtp packet ${n} ${'x'.repeat(n)}`)));

test('3DES-CBC and AES-CBC ESP decrypts with the key list, with or without the integrity algorithm', () => {
  const cases = [
    { spi: 0xd40016, cipher: 'des-ede3-cbc', key: KEY_3DES, line: `0x00d40016 des3_cbc 0x${hex(KEY_3DES)}`, icvLength: 12 },
    { spi: 0xcb97da43, cipher: 'aes-128-cbc', key: KEY_AES128, line: `cb97da43 aes_cbc ${hex(KEY_AES128)} hmac-sha256-128`, icvLength: 16 },
    { spi: 0x1234, cipher: 'aes-256-cbc', key: KEY_AES256, line: `0x1234 aes-256-cbc 0x${hex(KEY_AES256)} null`, icvLength: 0 },
    { spi: 0x77, cipher: 'aes-128-cbc', key: KEY_AES128, line: `0x77 aes-cbc ${hex(KEY_AES128)}`, icvLength: 12 },
  ] as const;
  const espKeys = parseEspKeys(['[SPI] [Encryption Algorithm] [Key]', '# a comment', ...cases.map((c) => c.line)].join('\n'), 'keys.txt');
  for (const c of cases) {
    // Lengths 0..40 cover every amount of padding for both block sizes.
    const frames = Array.from({ length: 41 }, (_, n) => vowifi(espCbc({ spi: c.spi, seq: n + 1, nextHeader: PROTO.ipv4, cipher: c.cipher, key: c.key, icvLength: c.icvLength }, innerRtp(n))));
    const d = decodeAll(frames, { espKeys });
    assert.equal(d.payloads.length, 41, c.line);
    d.payloads.forEach((p, n) => {
      assert.equal(utf8(p.bytes), `rtp packet ${n} ${'x'.repeat(n)}`, `${c.cipher} packet ${n}`);
      assert.equal(p.src, '10.9.0.2');
      assert.deepEqual(p.tunnel, [{ kind: 'esp', spi: c.spi, seq: n + 1, src: '203.0.113.7', dst: '198.51.100.1', udpEncap: true }]);
    });
    assert.ok(d.esp.every((e) => e.decoded && e.spi === c.spi));
    assert.equal(layer(d, 'esp-decrypted'), 41);
    assert.equal(layer(d, 'esp-null-decoded'), 0);
  }
});

test('AES-GCM ESP (RFC 4106) decrypts with key and salt, for each ICV length', () => {
  const salt = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
  for (const [icvLength, name] of [[16, 'aes_gcm'], [12, 'aes-gcm-12'], [8, 'aes_gcm_8']] as const) {
    for (const key of [KEY_AES128, KEY_AES256]) {
      const espKeys = parseEspKeys(`0x4106 ${name} 0x${hex(key)}${hex(salt)}`, 'k');
      const frames = Array.from({ length: 9 }, (_, n) => vowifi(espGcm({ spi: 0x4106, seq: n + 1, nextHeader: PROTO.ipv4, key, salt, icvLength }, innerRtp(n))));
      const d = decodeAll(frames, { espKeys });
      assert.deepEqual(
        d.payloads.map((p) => utf8(p.bytes)),
        frames.map((_, n) => `rtp packet ${n} ${'x'.repeat(n)}`),
        `${name}, ${key.length * 8}-bit key`,
      );
    }
  }
  // A wrong salt is a wrong nonce: nothing decodes.
  const wrong = parseEspKeys(`0x4106 aes_gcm 0x${hex(KEY_AES128)}00000000`, 'k');
  assert.equal(decodeAll([vowifi(espGcm({ spi: 0x4106, seq: 1, nextHeader: PROTO.ipv4, key: KEY_AES128, salt, icvLength: 16 }, innerRtp(3)))], { espKeys: wrong }).payloads.length, 0);
});

test('what tshark decrypts with the same Wireshark SA lines, imscap decrypts: 3DES-CBC, AES-CBC, AES-GCM', (t) => {
  if (!needTools(t, 'tshark')) return;
  const salt = Uint8Array.of(1, 2, 3, 4);
  const lines = [
    `"IPv4","*","*","0x00000101","TripleDES-CBC [RFC2451]","0x${hex(KEY_3DES)}","HMAC-SHA-1-96 [RFC2404]",""`,
    `"IPv4","*","*","0x00000102","AES-CBC [RFC3602]","0x${hex(KEY_AES128)}","HMAC-SHA-256-128 [RFC4868]",""`,
    `"IPv4","*","*","0x00000103","AES-GCM with 16 octet ICV [RFC4106]","0x${hex(KEY_AES256)}${hex(salt)}","NULL",""`,
  ];
  const sip = (n: number): Uint8Array => ipv4({ src: '10.9.0.2', dst: '10.9.0.1', proto: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, text(`OPTIONS sip:pcscf${n}.ims.example SIP/2.0\r\nCall-ID: esp-${n}@ue\r\nCSeq: ${n} OPTIONS\r\nContent-Length: 0\r\n\r\n`)));
  const frames = Array.from({ length: 30 }, (_, n) => {
    const kind = n % 3;
    const esp =
      kind === 0
        ? espCbc({ spi: 0x101, seq: n, nextHeader: PROTO.ipv4, cipher: 'des-ede3-cbc', key: KEY_3DES, icvLength: 12 }, sip(n))
        : kind === 1
          ? espCbc({ spi: 0x102, seq: n, nextHeader: PROTO.ipv4, cipher: 'aes-128-cbc', key: KEY_AES128, icvLength: 16 }, sip(n))
          : espGcm({ spi: 0x103, seq: n, nextHeader: PROTO.ipv4, key: KEY_AES256, salt, icvLength: 16 }, sip(n));
    return vowifi(esp);
  });
  const path = tempCaptureFile(t, 'esp.pcap', writePcap(frames.map((bytes, n) => ({ bytes, tsSec: 1_700_000_000 + n }))));
  const oracle = execFileSync('tshark', ['-n', '-r', path, '-o', 'esp.enable_encryption_decode:TRUE', ...lines.flatMap((l) => ['-o', `uat:esp_sa:${l}`]), '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n')
    .filter((l) => l !== '');
  assert.equal(oracle.length, 30, 'tshark decrypts every packet');
  const d = decodeAll(frames, { espKeys: parseEspKeys(lines.join('\n'), 'esp_sa') });
  assert.deepEqual(
    d.payloads.map((p) => /Call-ID: (\S+)/.exec(utf8(p.bytes))?.[1]),
    oracle,
  );
});

test('transport-mode ESP over IPv6 (a UE to its P-CSCF) decrypts to the UDP segment', () => {
  const ue = '2001:db8:45::7';
  const pcscf = '2001:db8::10';
  const segment = ipv6({ src: ue, dst: pcscf, nextHeader: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, text('REGISTER sip:ims.example SIP/2.0\r\n\r\n'))).subarray(40);
  const esp = espCbc({ spi: 0x5001, seq: 3, nextHeader: PROTO.udp, cipher: 'aes-128-cbc', key: KEY_AES128, icvLength: 12 }, segment);
  const d = decodeAll([ethernet({}, ipv6({ src: ue, dst: pcscf, nextHeader: PROTO.esp }, esp))], { espKeys: parseEspKeys(`0x5001 aes_cbc ${hex(KEY_AES128)} hmac-sha1-96`, 'k') });
  assert.equal(d.payloads.length, 1);
  assert.equal(utf8(d.payloads[0]!.bytes), 'REGISTER sip:ims.example SIP/2.0\r\n\r\n');
  assert.equal(d.payloads[0]!.srcPort, 5060);
});

test('a wrong key, an unknown SPI or a cut packet leave the ESP counted and undecoded', () => {
  const good = vowifi(espCbc({ spi: 0xabc, seq: 1, nextHeader: PROTO.ipv4, cipher: 'des-ede3-cbc', key: KEY_3DES, icvLength: 12 }, innerRtp(20)));
  const wrongKey = parseEspKeys(`0xabc des3_cbc ${hex(KEY_3DES.map((b) => b ^ 0x80))}`, 'k'); // (DES ignores bit 0 of each key octet: its parity)
  const otherSpi = parseEspKeys(`0xabd des3_cbc ${hex(KEY_3DES)}`, 'k');
  for (const [what, espKeys, frame] of [
    ['wrong key', wrongKey, good],
    ['unknown SPI', otherSpi, good],
    ['cut packet', parseEspKeys(`0xabc des3_cbc ${hex(KEY_3DES)}`, 'k'), good.subarray(0, good.length - 20)],
  ] as const) {
    const d = decodeAll([frame], { espKeys });
    assert.equal(d.payloads.length, 0, what);
    assert.equal(d.esp.length, 1, what);
    assert.equal(d.esp[0]!.decoded, false, what);
    assert.equal(layer(d, 'esp-decrypted'), 0, what);
  }
});

test("lines of Wireshark's ESP SA table give the same SAs", () => {
  const wireshark = parseEspKeys(
    [
      `"IPv4","*","*","0x00d40016","TripleDES-CBC [RFC2451]","0x${hex(KEY_3DES)}","HMAC-SHA-1-96 [RFC2404]","0x0011"`,
      `"IPv6","2001:db8::1","*","0xcb97da43","AES-CBC [RFC3602]","0x${hex(KEY_AES128)}","HMAC-SHA-256-128 [RFC4868]",""`,
      `"IPv4","*","*","0x1234","AES-CBC [RFC3602]","0x${hex(KEY_AES256)}","NULL",""`,
      `"IPv4","*","*","0x77","NULL","","ANY 96 bit authentication [no checking]",""`,
    ].join('\r\n'),
    'esp_sa',
  );
  const plain = parseEspKeys([`0x00d40016 des3_cbc ${hex(KEY_3DES)} hmac-sha1-96`, `0xcb97da43 aes_cbc ${hex(KEY_AES128)} hmac-sha256-128`, `0x1234 aes_cbc ${hex(KEY_AES256)} null`, '0x77 null - hmac-md5-96'].join('\n'), 'keys');
  assert.deepEqual(wireshark, plain);
  // And they decrypt: a 3DES packet through the Wireshark-given SA.
  const d = decodeAll([vowifi(espCbc({ spi: 0xd40016, seq: 9, nextHeader: PROTO.ipv4, cipher: 'des-ede3-cbc', key: KEY_3DES, icvLength: 12 }, innerRtp(5)))], { espKeys: wireshark });
  assert.equal(utf8(d.payloads[0]!.bytes), 'rtp packet 5 xxxxx');
});

test('an `ip xfrm state` dump gives the same SAs (AH and other blocks skipped)', () => {
  const salt = Uint8Array.of(9, 8, 7, 6);
  const dump = [
    'src 192.0.2.1 dst 198.51.100.1',
    '\tproto esp spi 0x00d40016 reqid 1 mode tunnel',
    '\treplay-window 0 flag af-unspec',
    `\tauth-trunc hmac(sha1) 0x${'11'.repeat(20)} 96`,
    `\tenc cbc(des3_ede) 0x${hex(KEY_3DES)}`,
    '\tanti-replay context: seq 0x0, oseq 0x0, bitmap 0x00000000',
    'src 198.51.100.1 dst 192.0.2.1',
    '\tproto esp spi 0xcb97da43 reqid 1 mode transport',
    `\tauth-trunc hmac(sha256) 0x${'22'.repeat(32)} 128`,
    `\tenc cbc(aes) 0x${hex(KEY_AES128)}`,
    'src 192.0.2.1 dst 198.51.100.1',
    '\tproto ah spi 0x00000999 reqid 2 mode transport',
    `\tauth hmac(sha1) 0x${'33'.repeat(20)}`,
    'src 192.0.2.7 dst 198.51.100.7',
    '\tproto esp spi 0x00004106 reqid 3 mode tunnel',
    `\taead rfc4106(gcm(aes)) 0x${hex(KEY_AES256)}${hex(salt)} 128`,
    'src 192.0.2.8 dst 198.51.100.8',
    '\tproto esp spi 0x00000077 reqid 4 mode transport',
    `\tauth hmac(md5) 0x${'44'.repeat(16)}`,
    '\tenc ecb(cipher_null) ',
  ].join('\n');
  const fromXfrm = parseEspKeys(dump, 'xfrm.txt');
  const plain = parseEspKeys([`0x00d40016 des3_cbc ${hex(KEY_3DES)} hmac-sha1-96`, `0xcb97da43 aes_cbc ${hex(KEY_AES128)} hmac-sha256-128`, `0x4106 aes_gcm_16 ${hex(KEY_AES256)}${hex(salt)}`, '0x77 null - hmac-md5-96'].join('\n'), 'keys');
  assert.deepEqual(fromXfrm, plain);
  const d = decodeAll([vowifi(espGcm({ spi: 0x4106, seq: 2, nextHeader: PROTO.ipv4, key: KEY_AES256, salt, icvLength: 16 }, innerRtp(4)))], { espKeys: fromXfrm });
  assert.equal(utf8(d.payloads[0]!.bytes), 'rtp packet 4 xxxx');
  assert.throws(() => parseEspKeys('src 1.1.1.1 dst 2.2.2.2\n\tproto esp spi 0x5 reqid 1\n\tenc cbc(twofish) 0x00', 'x'), /x: line 3: unsupported encryption algorithm 'cbc\(twofish\)'/);
  assert.throws(() => parseEspKeys('src 1.1.1.1 dst 2.2.2.2\n\tproto esp spi 0x5 reqid 1', 'x'), /x: line 1: an ESP SA without its spi or its enc/);
});

test('key list errors name the file and line', () => {
  const bad: [string, RegExp][] = [
    ['0xzz des3_cbc 00', /keys\.txt: line 2: bad SPI '0xzz'/],
    [`0x1 blowfish ${hex(KEY_3DES)}`, /line 2: unsupported encryption algorithm 'blowfish'/],
    ['0x1 des3_cbc 0x0011', /line 2: key for des3_cbc must be 192 bits in hex/],
    [`0x1 aes_cbc ${hex(KEY_3DES).slice(0, 30)}`, /line 2: key for aes_cbc must be 128 or 192 or 256 bits/],
    [`0x1 aes_cbc ${hex(KEY_AES128)} hmac-whirlpool`, /line 2: unsupported integrity algorithm 'hmac-whirlpool'/],
    ['0x1 des3_cbc', /line 2: expected SPI, encryption algorithm, key/],
    [`0x1 des3_cbc ${hex(KEY_3DES)}\n0x01 des3_cbc ${hex(KEY_3DES)}`, /line 3: SPI 0x00000001 listed twice/],
    [`"IPv4","*","*","*","TripleDES-CBC [RFC2451]","0x${hex(KEY_3DES)}","NULL",""`, /line 2: a wildcard SPI cannot be used/],
    [`"IPv4","*","*","0x5","AES-CTR [RFC3686]","0x${hex(KEY_AES128)}","NULL",""`, /line 2: unsupported encryption algorithm 'AES-CTR \[RFC3686\]'/],
    [`"IPv4","*","*","0x5","AES-GCM with 16 octet ICV [RFC4106]","0x${hex(KEY_AES128)}","NULL",""`, /line 2: key for aes_gcm_16 must be 160 or 224 or 288 bits/],
    [`0x5 aes_gcm_8 ${hex(KEY_AES128)}00112233 hmac-sha1-96`, /line 2: aes_gcm_8 carries an ICV of 8 octets, not 12/],
    [`"IPv4","*","*","0x5","AES-CBC [RFC3602]","0x${hex(KEY_AES128)}","HMAC-WHIRLPOOL",""`, /line 2: unsupported authentication algorithm 'HMAC-WHIRLPOOL'/],
    ['"IPv4","*","*"', /line 2: a Wireshark ESP SA line needs/],
  ];
  for (const [line, message] of bad) {
    assert.throws(() => parseEspKeys(`# keys\n${line}`, 'keys.txt'), (e: unknown) => e instanceof EspKeysError && message.test(e.message), line);
  }
});

test('damaged encrypted packets (cut anywhere, bytes flipped) never break the decoder', () => {
  const espKeys = parseEspKeys([`0x1 des3_cbc ${hex(KEY_3DES)}`, `0x2 aes_cbc ${hex(KEY_AES128)} hmac-sha1-96`].join('\n'), 'k');
  const originals = [
    vowifi(espCbc({ spi: 1, seq: 1, nextHeader: PROTO.ipv4, cipher: 'des-ede3-cbc', key: KEY_3DES, icvLength: 12 }, innerRtp(30))),
    vowifi(espCbc({ spi: 2, seq: 1, nextHeader: PROTO.ipv4, cipher: 'aes-128-cbc', key: KEY_AES128, icvLength: 12 }, innerRtp(31))),
  ];
  let state = 4303;
  const rnd = (n: number): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) % n);
  const frames: Uint8Array[] = [];
  for (let n = 0; n < 3000; n++) {
    const f = Uint8Array.from(originals[n % 2] as Uint8Array);
    // Flip bytes past the outer UDP header (ESP header, IV, ciphertext, ICV), then maybe cut.
    for (let k = rnd(4); k >= 0; k--) {
      const at = 42 + rnd(f.length - 42);
      f[at] = (f[at] as number) ^ (1 + rnd(255));
    }
    frames.push(rnd(3) === 0 ? f.subarray(0, 42 + rnd(f.length - 42)) : f);
  }
  const d = decodeAll(frames, { espKeys });
  assert.deepEqual(d.problems.filter((p) => /internal error/.test(p.reason)), []);
  // Every packet with a whole ESP header is still counted as ESP, decrypted or not.
  assert.equal(d.esp.length, frames.filter((f) => f.length >= 42 + 8).length);
  assert.ok(d.esp.some((e) => !e.decoded) && d.esp.some((e) => e.decoded), 'damage shows in some packets, not in all');
});
