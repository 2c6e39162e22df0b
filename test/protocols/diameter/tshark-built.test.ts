// Messages of interfaces the corpus lacks (Cx, Sh, capability exchange), built here, written to
// a capture and shown to tshark: its dissection must agree with the decoder's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needTools } from '../../support/environment.js';
import { resultCode } from '../../../src/protocols/diameter/query.js';
import { AVP_CHECKS, addressFromHex, check, compareWithTshark, num, octets, text } from './corpus-compare.js';
import { ipv4Tcp, rawIpCapture } from './tshark-oracle.js';
import { avp, avp3gpp, concat, diameter, hex, i32, u32, u64, utf8, TGPP } from './build.js';

const CX = 16777216;
const SH = 16777217;

const session = (n: number): Uint8Array => avp(263, utf8(`scscf.ims.example;${n};cx`));
const origin = [avp(264, utf8('scscf.ims.example')), avp(296, utf8('ims.example'))];
const vsai = (app: number): Uint8Array => avp(260, concat(avp(266, u32(TGPP)), avp(258, u32(app))));
const experimental = (code: number): Uint8Array => avp(297, concat(avp(266, u32(TGPP)), avp(298, u32(code))));

const authItem = (n: number, rand: string, autn: string, xres: string, ck: string, ik: string): Uint8Array =>
  avp3gpp(612, concat(
    avp3gpp(613, u32(n)),
    avp3gpp(608, utf8('Digest-AKAv1-MD5')),
    avp3gpp(609, hex(rand + autn)),
    avp3gpp(610, hex(xres)),
    avp3gpp(625, hex(ck)),
    avp3gpp(626, hex(ik)),
  ));

const MESSAGES: Uint8Array[] = [
  // RFC 6733 §5.3 capability exchange with IPv4 and IPv6 Host-IP-Address (Address type, §4.3.1)
  diameter({ commandCode: 257, applicationId: 0, request: true, proxiable: false, hopByHop: 0x100, endToEnd: 0x200, avps: [
    ...origin, avp(257, hex('0001 c0000201')), avp(257, hex('0002 20010db8000000000000000000000042')), avp(266, u32(0)),
    avp(269, utf8('imscap test peer')), avp(265, u32(TGPP)), vsai(CX), vsai(SH), avp(278, u32(1_700_000_000)),
  ] }),
  diameter({ commandCode: 257, applicationId: 0, request: false, proxiable: false, hopByHop: 0x100, endToEnd: 0x200, avps: [
    avp(268, u32(2001)), avp(264, utf8('hss.ims.example')), avp(296, utf8('ims.example')), avp(257, hex('0001 c0000202')), avp(266, u32(0)),
    avp(269, utf8('hss')), vsai(CX),
  ] }),
  // TS 29.229 §6.1.1 UAR / §6.1.2 UAA
  diameter({ commandCode: 300, applicationId: CX, request: true, hopByHop: 1, endToEnd: 11, avps: [
    session(1), vsai(CX), avp(277, u32(1)), ...origin, avp(283, utf8('ims.example')), avp(1, utf8('alice@ims.example')),
    avp3gpp(601, utf8('sip:alice@ims.example')), avp3gpp(600, utf8('ims.example')), avp3gpp(623, u32(0)),
  ] }),
  diameter({ commandCode: 300, applicationId: CX, request: false, hopByHop: 1, endToEnd: 11, avps: [
    session(1), vsai(CX), avp(277, u32(1)), experimental(2001), avp3gpp(602, utf8('sip:scscf.ims.example:6060')),
  ] }),
  // TS 29.229 §6.1.7 MAR / §6.1.8 MAA with two authentication vectors
  diameter({ commandCode: 303, applicationId: CX, request: true, hopByHop: 2, endToEnd: 12, avps: [
    session(2), vsai(CX), avp(277, u32(1)), ...origin, avp(1, utf8('alice@ims.example')), avp3gpp(601, utf8('sip:alice@ims.example')),
    avp3gpp(607, u32(2)), avp3gpp(612, concat(avp3gpp(608, utf8('Digest-AKAv1-MD5')), avp3gpp(610, hex('00112233445566778899aabbccddeeff' + '0102030405060708090a0b0c0d0e')))),
    avp3gpp(602, utf8('sip:scscf.ims.example:6060')),
  ] }),
  diameter({ commandCode: 303, applicationId: CX, request: false, hopByHop: 2, endToEnd: 12, avps: [
    session(2), vsai(CX), avp(268, u32(2001)), avp(277, u32(1)), avp(1, utf8('alice@ims.example')), avp3gpp(601, utf8('sip:alice@ims.example')),
    avp3gpp(607, u32(2)),
    authItem(1, 'a1'.repeat(16), 'b2'.repeat(16), 'c3'.repeat(8), 'd4'.repeat(16), 'e5'.repeat(16)),
    authItem(2, '0f'.repeat(16), '1e'.repeat(16), '2d'.repeat(8), '3c'.repeat(16), '4b'.repeat(16)),
  ] }),
  // TS 29.229 §6.1.3 SAR / §6.1.4 SAA, then an RTR with a Deregistration-Reason (§6.1.9)
  diameter({ commandCode: 301, applicationId: CX, request: true, hopByHop: 3, endToEnd: 13, avps: [
    session(3), vsai(CX), avp(277, u32(1)), ...origin, avp3gpp(601, utf8('sip:alice@ims.example')), avp3gpp(601, utf8('tel:+15551234567')),
    avp3gpp(602, utf8('sip:scscf.ims.example:6060')), avp3gpp(614, u32(1)), avp3gpp(624, u32(0)),
  ] }),
  diameter({ commandCode: 301, applicationId: CX, request: false, hopByHop: 3, endToEnd: 13, avps: [
    session(3), vsai(CX), avp(268, u32(2001)), avp3gpp(606, utf8('<?xml version="1.0"?><IMSSubscription/>')),
  ] }),
  diameter({ commandCode: 304, applicationId: CX, request: true, hopByHop: 4, endToEnd: 14, avps: [
    avp(263, utf8('hss.ims.example;4')), vsai(CX), avp(1, utf8('alice@ims.example')),
    avp3gpp(615, concat(avp3gpp(616, u32(0)), avp3gpp(617, utf8('subscription removed')))),
  ] }),
  diameter({ commandCode: 302, applicationId: CX, request: false, hopByHop: 5, endToEnd: 15, avps: [
    session(5), vsai(CX), experimental(5001),
  ] }),
  // TS 29.329 §6.1.1 UDR / UDA
  diameter({ commandCode: 306, applicationId: SH, request: true, hopByHop: 6, endToEnd: 16, avps: [
    avp(263, utf8('as.ims.example;6')), vsai(SH), avp3gpp(700, avp3gpp(601, utf8('sip:alice@ims.example'))), avp3gpp(703, u32(14)),
  ] }),
  // RFC 4006 Gy CCA with a negative Exponent and an Integer64 Value-Digits inside Cost-Information
  diameter({ commandCode: 272, applicationId: 4, request: false, hopByHop: 7, endToEnd: 17, avps: [
    avp(263, utf8('pgw;7')), avp(268, u32(4012)), avp(416, u32(2)), avp(415, u32(3)),
    avp(423, concat(avp(445, concat(avp(447, u64(0xfffffffffffffc18n)), avp(429, i32(-2)))), avp(425, u32(978)))),
  ] }),
];

const CX_CHECKS = [
  ...AVP_CHECKS,
  check('Public-Identity', 601, TGPP, text),
  check('Server-Name', 602, TGPP, text),
  check('Visited-Network-Identifier', 600, TGPP, octets),
  check('User-Authorization-Type', 623, TGPP, num),
  check('Server-Assignment-Type', 614, TGPP, num),
  check('User-Data-Already-Available', 624, TGPP, num),
  check('3GPP-SIP-Number-Auth-Items', 607, TGPP, num),
  check('3GPP-SIP-Item-Number', 613, TGPP, num),
  check('3GPP-SIP-Authentication-Scheme', 608, TGPP, text),
  check('3GPP-SIP-Authenticate', 609, TGPP, octets),
  check('3GPP-SIP-Authorization', 610, TGPP, octets),
  check('Confidentiality-Key', 625, TGPP, octets),
  check('Integrity-Key', 626, TGPP, octets),
  check('Cx-User-Data', 606, TGPP, octets),
  check('Reason-Code', 616, TGPP, num),
  check('Reason-Info', 617, TGPP, text),
  check('Data-Reference', 703, TGPP, num),
  check('Host-IP-Address', 257, 0, text, addressFromHex),
  check('Product-Name', 269, 0, text),
  check('Supported-Vendor-Id', 265, 0, num),
];

test('built Cx, Sh, CER/CEA and Gy messages: tshark agrees on every header and AVP value', (t) => {
  if (!needTools(t, 'tshark')) return;
  const ep = { src: [10, 0, 0, 1], dst: [10, 0, 0, 2], srcPort: 3868, dstPort: 3868 };
  let seq = 1;
  const packets = MESSAGES.map((m) => {
    const p = ipv4Tcp(ep, seq, m);
    seq += m.length;
    return p;
  });
  const file = rawIpCapture(t, 'cx.pcap', packets);
  const { messages, compared } = compareWithTshark(file, CX_CHECKS);
  assert.equal(messages.length, MESSAGES.length);
  assert.deepEqual(messages.map((m) => `${m.message.interfaceName}:${m.message.commandAbbrev}`), [
    'base:CER', 'base:CEA', 'Cx:UAR', 'Cx:UAA', 'Cx:MAR', 'Cx:MAA', 'Cx:SAR', 'Cx:SAA', 'Cx:RTR', 'Cx:LIA', 'Sh:UDR', 'Gy/Ro:CCA',
  ]);
  for (const c of CX_CHECKS.slice(AVP_CHECKS.length)) assert.ok((compared.get(c.field) ?? 0) > 0, `${c.field} was compared`);
  for (const field of ['Experimental-Result-Code', 'Value-Digits', 'Exponent', 'Result-Code']) assert.ok((compared.get(`diameter.${field}`) ?? 0) > 0, field);
  assert.deepEqual(resultCode(messages[3]!.message), { code: 2001, experimental: true, vendorId: TGPP, name: 'DIAMETER_FIRST_REGISTRATION' });
  assert.deepEqual(resultCode(messages[9]!.message), { code: 5001, experimental: true, vendorId: TGPP, name: 'DIAMETER_ERROR_USER_UNKNOWN' });
});
