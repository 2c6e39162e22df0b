import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDiameterMessage, looksLikeDiameter } from '../../../src/protocols/diameter/decode.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { readScalar } from '../../../src/protocols/diameter/avp-value.js';
import type { DiameterAvp, DiameterMessage } from '../../../src/protocols/diameter/types.js';
import { avp, avp3gpp, concat, diameter, hex, i32, u32, u64, utf8, TGPP } from './build.js';

function decoded(bytes: Uint8Array): DiameterMessage {
  const m = decodeDiameterMessage(bytes);
  if (isDecodeError(m)) assert.fail(`unexpected decode error: ${m.reason}`);
  return m;
}

function children(a: DiameterAvp | undefined): readonly DiameterAvp[] {
  assert.ok(a, 'AVP missing');
  assert.equal(a.value.type, 'Grouped');
  return a.value.type === 'Grouped' ? a.value.avps : [];
}

const base = { applicationId: 16777216, hopByHop: 0x11223344, endToEnd: 0xa1b2c3d4 };

test('header fields: version, length, R/P/E/T flags, command, application, hop-by-hop, end-to-end', () => {
  const bytes = diameter({ ...base, commandCode: 303, request: false, proxiable: true, error: true, retransmitted: true, avps: [] });
  const m = decoded(bytes);
  assert.equal(m.version, 1);
  assert.equal(m.length, 20);
  assert.deepEqual(m.flags, { request: false, proxiable: true, error: true, retransmitted: true });
  assert.equal(m.commandCode, 303);
  assert.equal(m.applicationId, 16777216);
  assert.equal(m.hopByHop, 0x11223344);
  assert.equal(m.endToEnd, 0xa1b2c3d4);
  assert.deepEqual(m.errors, []);
});

test('command abbreviations and interfaces follow the application (TS 29.229, 29.272, 29.214, 29.212, RFC 4006, RFC 6733)', () => {
  const cases: [number, number, boolean, string, string][] = [
    [300, 16777216, true, 'UAR', 'Cx'],
    [300, 16777216, false, 'UAA', 'Cx'],
    [301, 16777216, true, 'SAR', 'Cx'],
    [302, 16777216, true, 'LIR', 'Cx'],
    [303, 16777216, false, 'MAA', 'Cx'],
    [304, 16777216, true, 'RTR', 'Cx'],
    [305, 16777216, true, 'PPR', 'Cx'],
    [316, 16777251, true, 'ULR', 'S6a'],
    [318, 16777251, false, 'AIA', 'S6a'],
    [321, 16777251, true, 'PUR', 'S6a'],
    [265, 16777236, true, 'AAR', 'Rx'],
    [258, 16777236, false, 'RAA', 'Rx'],
    [275, 16777236, true, 'STR', 'Rx'],
    [274, 16777236, true, 'ASR', 'Rx'],
    [272, 16777238, true, 'CCR', 'Gx'],
    [272, 4, false, 'CCA', 'Gy/Ro'],
    [280, 0, true, 'DWR', 'base'],
    [257, 0, false, 'CEA', 'base'],
    [282, 0, true, 'DPR', 'base'],
  ];
  for (const [commandCode, applicationId, request, abbrev, iface] of cases) {
    const m = decoded(diameter({ commandCode, applicationId, request, hopByHop: 1, endToEnd: 2, avps: [] }));
    assert.equal(m.commandAbbrev, abbrev, `${commandCode}/${applicationId}`);
    assert.equal(m.interfaceName, iface, `${commandCode}/${applicationId}`);
  }
  const unknown = decoded(diameter({ commandCode: 9999, applicationId: 77, request: true, hopByHop: 1, endToEnd: 2, avps: [] }));
  assert.equal(unknown.commandName, undefined);
  assert.equal(unknown.commandAbbrev, undefined);
  assert.equal(unknown.interfaceName, undefined);
});

test('AVP basic and derived types read as the dictionary types them', () => {
  const when = Date.UTC(2021, 4, 5, 20, 29, 58) / 1000;
  const m = decoded(
    diameter({
      ...base,
      commandCode: 272,
      applicationId: 4,
      request: true,
      avps: [
        avp(263, utf8('pcscf.ims.example;1;ünïcode')), // UTF8String
        avp(264, utf8('hss.example.org')), // DiameterIdentity
        avp(292, utf8('aaa://hss.example.org:3868;transport=tcp')), // DiameterURI
        avp(415, u32(4294967295)), // Unsigned32
        avp(429, i32(-3)), // Integer32 (Exponent)
        avp(412, u64(18446744073709551615n)), // Unsigned64
        avp(447, u64(0xfffffffffffffffen)), // Integer64 (Value-Digits) = -2
        avp(416, u32(3)), // Enumerated with a name
        avp(416, u32(77)), // Enumerated without a name
        avp(257, hex('0001 0a000001')), // Address, IPv4 family
        avp(257, hex('0002 20010db8000000000000000000000001')), // Address, IPv6 family
        avp(8, hex('c0a80001')), // RADIUS-style bare IPv4
        avp(55, u32(when + 2_208_988_800)), // Time (NTP)
        avp3gpp(1447, hex('00112233445566778899aabbccddeeff')), // OctetString
        avp3gpp(507, utf8('permit out 17 from 10.0.0.1 1000 to 10.0.0.2 2000')), // IPFilterRule
      ],
    }),
  );
  const v = m.avps.map((a) => a.value);
  assert.deepEqual(v[0], { type: 'UTF8String', text: 'pcscf.ims.example;1;ünïcode' });
  assert.deepEqual(v[1], { type: 'DiameterIdentity', text: 'hss.example.org' });
  assert.deepEqual(v[2], { type: 'DiameterURI', text: 'aaa://hss.example.org:3868;transport=tcp' });
  assert.deepEqual(v[3], { type: 'Unsigned32', value: 4294967295 });
  assert.deepEqual(v[4], { type: 'Integer32', value: -3 });
  assert.deepEqual(v[5], { type: 'Unsigned64', value: 18446744073709551615n });
  assert.deepEqual(v[6], { type: 'Integer64', value: -2n });
  assert.deepEqual(v[7], { type: 'Enumerated', value: 3, name: 'TERMINATION_REQUEST' });
  assert.deepEqual(v[8], { type: 'Enumerated', value: 77 });
  assert.deepEqual(v[9], { type: 'Address', family: 1, text: '10.0.0.1' });
  assert.deepEqual(v[10], { type: 'Address', family: 2, text: '2001:db8::1' });
  assert.deepEqual(v[11], { type: 'Address', family: 1, text: '192.168.0.1' });
  assert.deepEqual(v[12], { type: 'Time', unixSeconds: when, iso: '2021-05-05T20:29:58.000Z' });
  assert.deepEqual(v[13], { type: 'OctetString', hex: '00112233445566778899aabbccddeeff' });
  assert.deepEqual(v[14], { type: 'IPFilterRule', text: 'permit out 17 from 10.0.0.1 1000 to 10.0.0.2 2000' });
  assert.deepEqual(
    m.avps.map((a) => a.name),
    ['Session-Id', 'Origin-Host', 'Redirect-Host', 'CC-Request-Number', 'Exponent', 'CC-Input-Octets', 'Value-Digits', 'CC-Request-Type', 'CC-Request-Type',
      'Host-IP-Address', 'Host-IP-Address', 'Framed-IP-Address', 'Event-Timestamp', 'RAND', 'Flow-Description'],
  );
  assert.deepEqual(m.errors, []);
});

test('Time after 2036 uses NTP era 1 (RFC 4330 §3): top bit clear counts from 2036-02-07', () => {
  const m = decoded(diameter({ ...base, commandCode: 280, request: true, avps: [avp(55, u32(100))] }));
  assert.deepEqual(m.avps[0]!.value, { type: 'Time', unixSeconds: 2085978496 + 100, iso: new Date((2085978496 + 100) * 1000).toISOString() });
});

test('Float32 AVPs (Max-PLR-DL, TS 29.212) and Float64 data', () => {
  const f32 = new Uint8Array(4);
  new DataView(f32.buffer).setFloat32(0, 0.25);
  const m = decoded(diameter({ ...base, commandCode: 272, request: true, avps: [avp3gpp(2852, f32)] }));
  assert.equal(m.avps[0]!.name, 'Max-PLR-DL');
  assert.deepEqual(m.avps[0]!.value, { type: 'Float32', value: 0.25 });
  const f64 = new Uint8Array(8);
  new DataView(f64.buffer).setFloat64(0, -1.5e300);
  assert.deepEqual(readScalar('Float64', f64), { type: 'Float64', value: -1.5e300 });
  assert.equal(readScalar('Float64', f32).type, 'Invalid');
});

test('vendor-specific AVPs: the V bit adds a Vendor-ID and the same code means different AVPs per vendor', () => {
  const m = decoded(
    diameter({
      ...base,
      commandCode: 265,
      applicationId: 16777236,
      request: true,
      avps: [avp(458, concat(avp(459, u32(0)), avp(460, utf8('3534..')))), avp(458, u32(5), { vendorId: 13019 }), avp3gpp(601, utf8('sip:alice@ims.example'))],
    }),
  );
  const [uei, rp, pid] = m.avps;
  assert.equal(uei!.name, 'User-Equipment-Info');
  assert.equal(uei!.vendorId, 0);
  assert.equal(uei!.flags.vendor, false);
  assert.equal(children(uei)[0]!.name, 'User-Equipment-Info-Type');
  assert.equal(rp!.name, 'Reservation-Priority');
  assert.equal(rp!.vendorId, 13019);
  assert.deepEqual(rp!.value, { type: 'Enumerated', value: 5, name: 'PRIORITY-FIVE' });
  assert.deepEqual(pid!.flags, { vendor: true, mandatory: true, protected: false });
  assert.equal(pid!.vendorId, TGPP);
  assert.equal(pid!.length, 12 + 'sip:alice@ims.example'.length);
  assert.deepEqual(pid!.value, { type: 'UTF8String', text: 'sip:alice@ims.example' });
});

test('padding: data of 1, 2, 3, 5 octets is padded to 4 and the next AVP is read at the padded offset', () => {
  for (const n of [1, 2, 3, 5, 7]) {
    const data = new Uint8Array(n).fill(0x41);
    const m = decoded(diameter({ ...base, commandCode: 280, request: true, avps: [avp(263, data), avp(278, u32(n))] }));
    assert.equal(m.avps.length, 2);
    assert.equal(m.avps[0]!.length, 8 + n);
    assert.equal(m.avps[0]!.data.length, n);
    assert.deepEqual(m.avps[1]!.value, { type: 'Unsigned32', value: n });
    assert.equal(m.avps[1]!.offset, 20 + ((8 + n + 3) & ~3));
    assert.deepEqual(m.errors, []);
  }
});

test('grouped AVPs to any depth: MAA SIP-Auth-Data-Item and S6a Subscription-Data five levels deep', () => {
  const ck = '0123456789abcdeffedcba9876543210';
  const ik = 'fedcba98765432100123456789abcdef';
  const m = decoded(
    diameter({
      ...base,
      commandCode: 303,
      request: false,
      avps: [
        avp(263, utf8('scscf;42')),
        avp3gpp(612, concat(
          avp3gpp(613, u32(1)),
          avp3gpp(608, utf8('Digest-AKAv1-MD5')),
          avp3gpp(609, hex('0102030405060708090a0b0c0d0e0f10' + 'a1a2a3a4a5a6a7a8a9aaabacadaeafb0')),
          avp3gpp(610, hex('d1d2d3d4d5d6d7d8')),
          avp3gpp(625, hex(ck)),
          avp3gpp(626, hex(ik)),
        )),
        avp3gpp(1400, concat(
          avp3gpp(1417, u32(2)),
          avp3gpp(1429, concat(
            avp3gpp(1423, u32(1)),
            avp3gpp(1430, concat(
              avp(493, utf8('ims')),
              avp3gpp(1431, concat(avp3gpp(1028, u32(5)), avp3gpp(1034, concat(avp3gpp(1046, u32(15)), avp3gpp(1047, u32(1)))))),
            )),
          )),
        )),
      ],
    }),
  );
  assert.deepEqual(m.errors, []);
  const item = children(m.avps[1]);
  assert.equal(m.avps[1]!.name, 'SIP-Auth-Data-Item');
  assert.deepEqual(item.map((a) => a.name), ['SIP-Item-Number', 'SIP-Authentication-Scheme', 'SIP-Authenticate', 'SIP-Authorization', 'Confidentiality-Key', 'Integrity-Key']);
  assert.deepEqual(item[4]!.value, { type: 'OctetString', hex: ck });
  assert.deepEqual(item[5]!.value, { type: 'OctetString', hex: ik });
  const profile = children(m.avps[2]).find((a) => a.code === 1429);
  const apn = children(profile).find((a) => a.code === 1430);
  const qos = children(apn).find((a) => a.code === 1431);
  const arp = children(qos).find((a) => a.code === 1034);
  assert.deepEqual(children(arp).map((a) => [a.name, a.value]), [
    ['Priority-Level', { type: 'Unsigned32', value: 15 }],
    ['Pre-emption-Capability', { type: 'Enumerated', value: 1, name: 'PRE-EMPTION_CAPABILITY_DISABLED' }],
  ]);
  assert.deepEqual(children(qos)[0]!.value, { type: 'Enumerated', value: 5, name: 'QCI_5' });
});

test('unknown AVPs are kept raw (code, vendor, bytes) and do not stop the message', () => {
  const m = decoded(
    diameter({ ...base, commandCode: 280, request: true, avps: [avp(99999, hex('deadbeef01'), { vendorId: 4242 }), avp(264, utf8('peer'))] }),
  );
  assert.equal(m.avps[0]!.code, 99999);
  assert.equal(m.avps[0]!.vendorId, 4242);
  assert.equal(m.avps[0]!.name, undefined);
  assert.deepEqual(m.avps[0]!.value, { type: 'Unknown', hex: 'deadbeef01' });
  assert.deepEqual([...m.avps[0]!.data], [0xde, 0xad, 0xbe, 0xef, 0x01]);
  assert.equal(m.avps[1]!.name, 'Origin-Host');
  assert.deepEqual(m.errors, []);
});

test('a lying AVP length is an error value: the AVPs before it are kept, nothing throws', () => {
  const m = decoded(
    diameter({ ...base, commandCode: 280, request: true, avps: [avp(263, utf8('s;1')), avp(264, utf8('host')), avp(296, utf8('realm'), { length: 400 })] }),
  );
  assert.deepEqual(m.avps.map((a) => a.name), ['Session-Id', 'Origin-Host']);
  assert.equal(m.errors.length, 1);
  assert.match(m.errors[0]!.reason, /AVP 296 length 400 exceeds/);
  assert.equal(m.errors[0]!.offset, 20 + 12 + 12);

  const short = decoded(diameter({ ...base, commandCode: 280, request: true, avps: [avp(263, utf8('s;1')), avp3gpp(601, utf8('x'), { length: 10 })] }));
  assert.deepEqual(short.avps.map((a) => a.name), ['Session-Id']);
  assert.match(short.errors[0]!.reason, /shorter than its 12-octet header/);
});

test('a lying length inside a Grouped AVP ends that group only; the outer AVPs before and after are kept', () => {
  const m = decoded(
    diameter({
      ...base,
      commandCode: 272,
      applicationId: 4,
      request: false,
      avps: [
        avp(263, utf8('s;2')),
        avp(456, concat(avp(432, u32(7)), avp(431, avp(420, u32(60)), { length: 200 }))),
        avp(268, u32(2001)),
      ],
    }),
  );
  assert.deepEqual(m.avps.map((a) => a.name), ['Session-Id', 'Multiple-Services-Credit-Control', 'Result-Code']);
  assert.deepEqual(children(m.avps[1]).map((a) => a.name), ['Rating-Group']);
  assert.equal(m.errors.length, 1);
  assert.match(m.errors[0]!.reason, /AVP 431 length 200 exceeds/);
  assert.deepEqual(m.avps[2]!.value, { type: 'Unsigned32', value: 2001 });
});

test('values that do not fit their type become Invalid values listed in errors', () => {
  const m = decoded(diameter({ ...base, commandCode: 280, request: true, avps: [avp(278, hex('010203')), avp(55, hex('0102')), avp(257, hex('0001 0a0000'))] }));
  assert.deepEqual(m.avps.map((a) => a.value.type), ['Invalid', 'Invalid', 'Invalid']);
  assert.equal(m.errors.length, 3);
  assert.match(m.errors[0]!.reason, /Origin-State-Id: Unsigned32 of 3 octets/);
});

test('truncated message: length beyond the bytes given is an error, the AVPs that fit are kept', () => {
  const full = diameter({ ...base, commandCode: 280, request: true, avps: [avp(263, utf8('s;3')), avp(264, utf8('host.example'))] });
  const m = decoded(full.subarray(0, full.length - 6));
  assert.deepEqual(m.avps.map((a) => a.name), ['Session-Id']);
  assert.ok(m.errors.some((e) => /exceeds the \d+ octets given/.test(e.reason)));
  assert.ok(m.errors.some((e) => /AVP 264/.test(e.reason)));
});

test('unusable headers are DecodeError values', () => {
  const ok = diameter({ ...base, commandCode: 280, request: true, avps: [] });
  const cases: [Uint8Array, RegExp][] = [
    [ok.subarray(0, 19), /too short/],
    [diameter({ ...base, commandCode: 280, request: true, avps: [], version: 2 }), /version 2/],
    [diameter({ ...base, commandCode: 280, request: true, avps: [], length: 12 }), /shorter than the header/],
  ];
  for (const [bytes, reason] of cases) {
    const r = decodeDiameterMessage(bytes);
    assert.ok(isDecodeError(r));
    assert.match(r.reason, reason);
    assert.equal(r.layer, 'diameter');
  }
});

test('grouping deeper than the limit is an error value, not a stack overflow', () => {
  let inner = avp(432, u32(1));
  for (let i = 0; i < 2000; i++) inner = avp(456, inner);
  const m = decoded(diameter({ ...base, commandCode: 272, applicationId: 4, request: true, avps: [inner, avp(263, utf8('after'))] }));
  assert.ok(m.errors.some((e) => /nested deeper than 64 levels/.test(e.reason)));
  assert.equal(m.avps[1]!.name, 'Session-Id');
});

test('looksLikeDiameter: accepts real headers, rejects wrong version, length, flags, command and first AVP', () => {
  const good = diameter({ ...base, commandCode: 303, request: true, avps: [avp(263, utf8('s;4'))] });
  assert.equal(looksLikeDiameter(good), true);
  const mutate = (f: (b: Uint8Array) => void): Uint8Array => {
    const b = good.slice();
    f(b);
    return b;
  };
  assert.equal(looksLikeDiameter(mutate((b) => (b[0] = 2))), false, 'version');
  assert.equal(looksLikeDiameter(mutate((b) => (b[3] = b[3]! + 1))), false, 'length not a multiple of 4');
  assert.equal(looksLikeDiameter(mutate((b) => (b[4] = 0x81))), false, 'reserved flag');
  assert.equal(looksLikeDiameter(mutate((b) => (b[4] = 0xa0))), false, 'E bit on a request');
  assert.equal(looksLikeDiameter(mutate((b) => (b[7] = 0x99))), false, 'unknown command');
  assert.equal(looksLikeDiameter(mutate((b) => (b[27] = 0xff))), false, 'first AVP longer than the message');
  assert.equal(looksLikeDiameter(good.subarray(0, 19)), false, 'short');
  assert.equal(looksLikeDiameter(utf8('INVITE sip:bob@example.com SIP/2.0\r\n')), false, 'SIP');
});

test('never throws on random or mutated bytes, and stays fast', () => {
  let seed = 12345;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 16;
  };
  const real = diameter({
    ...base,
    commandCode: 303,
    request: false,
    avps: [avp(263, utf8('scscf;1')), avp3gpp(612, concat(avp3gpp(613, u32(1)), avp3gpp(625, hex('00ff')))), avp(297, concat(avp(266, u32(TGPP)), avp(298, u32(2001))))],
  });
  const started = performance.now();
  for (let i = 0; i < 6000; i++) {
    const b = i % 2 === 0 ? real.slice() : new Uint8Array(rnd() % 200);
    const flips = 1 + (rnd() % 6);
    for (let k = 0; k < flips && b.length > 0; k++) b[rnd() % b.length] = rnd() & 0xff;
    if (i % 2 === 1 && b.length > 0) b[0] = 1;
    decodeDiameterMessage(b);
    looksLikeDiameter(b);
  }
  assert.ok(performance.now() - started < 5000);
});

test('a 1 MB AVP and a message of 100 000 AVPs decode in linear time', () => {
  const big = new Uint8Array(1 << 20).fill(0x61);
  let started = performance.now();
  const m = decoded(diameter({ ...base, commandCode: 306, applicationId: 16777217, request: false, avps: [avp3gpp(702, big), avp(263, big)] }));
  assert.equal(m.avps.length, 2);
  assert.equal(m.avps[1]!.value.type === 'UTF8String' ? m.avps[1]!.value.text.length : -1, 1 << 20);
  assert.ok(performance.now() - started < 5000, 'large AVPs');

  const many = Array.from({ length: 100_000 }, (_, i) => avp(278, u32(i)));
  started = performance.now();
  const n = decoded(diameter({ ...base, commandCode: 280, request: true, avps: many }));
  assert.equal(n.avps.length, 100_000);
  assert.deepEqual(n.avps[99_999]!.value, { type: 'Unsigned32', value: 99_999 });
  assert.ok(performance.now() - started < 5000, 'many AVPs');
});
