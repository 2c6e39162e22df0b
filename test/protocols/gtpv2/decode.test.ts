import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGtpv2 } from '../../../src/protocols/gtpv2/decode.js';
import { findIe, findIes, isRejection, messageCause } from '../../../src/protocols/gtpv2/query.js';
import { isDecodeError } from '../../../src/decode-error.js';
import type { Gtpv2Ie, Gtpv2IeValue, Gtpv2Message } from '../../../src/protocols/gtpv2/types.js';
import { be, concat, gtpv2, hex, ie, labels, plmn, tbcd, u32 } from './build.js';

function decoded(bytes: Uint8Array): Gtpv2Message[] {
  const r = decodeGtpv2(bytes);
  if (isDecodeError(r)) assert.fail(r.reason);
  return r;
}

function one(bytes: Uint8Array): Gtpv2Message {
  const [m, ...rest] = decoded(bytes);
  assert.equal(rest.length, 0);
  return m!;
}

function value(m: Gtpv2Message | Gtpv2Ie, type: number, instance?: number): Gtpv2IeValue {
  const found = findIe(m, type, instance === undefined ? { recursive: true } : { recursive: true, instance });
  assert.ok(found, `IE ${type} missing`);
  return found.value;
}

test('header with TEID (T flag), sequence number, message priority (MP flag)', () => {
  const m = one(gtpv2({ type: 32, teid: 0xdeadbeef, sequence: 0x0a0b0c, priority: 9, ies: [] }));
  assert.equal(m.version, 2);
  assert.equal(m.messageType, 32);
  assert.equal(m.messageName, 'Create Session Request');
  assert.equal(m.teid, 0xdeadbeef);
  assert.equal(m.sequence, 0x0a0b0c);
  assert.equal(m.messagePriority, 9);
  assert.equal(m.length, 8);
  assert.equal(m.piggybacked, false);
  assert.deepEqual(m.errors, []);
});

test('header without TEID (Echo Request, TS 29.274 §7.1.1) carries a Recovery IE', () => {
  const m = one(gtpv2({ type: 1, sequence: 77, ies: [ie(3, Uint8Array.of(42))] }));
  assert.equal(m.teid, undefined);
  assert.equal(m.messageName, 'Echo Request');
  assert.equal(m.sequence, 77);
  assert.deepEqual(value(m, 3), { kind: 'uint', value: 42 });
});

test('message type names (TS 29.274 Table 6.1-1)', () => {
  const names: [number, string][] = [
    [2, 'Echo Response'], [33, 'Create Session Response'], [34, 'Modify Bearer Request'], [35, 'Modify Bearer Response'],
    [36, 'Delete Session Request'], [37, 'Delete Session Response'], [95, 'Create Bearer Request'], [96, 'Create Bearer Response'],
    [97, 'Update Bearer Request'], [98, 'Update Bearer Response'], [99, 'Delete Bearer Request'], [100, 'Delete Bearer Response'],
    [170, 'Release Access Bearers Request'], [171, 'Release Access Bearers Response'], [176, 'Downlink Data Notification'],
    [177, 'Downlink Data Notification Acknowledgement'],
  ];
  for (const [type, name] of names) assert.equal(one(gtpv2({ type, teid: 1, sequence: 1, ies: [] })).messageName, name);
  assert.equal(one(gtpv2({ type: 250, teid: 1, sequence: 1, ies: [] })).messageName, undefined);
});

test('piggybacking: P flag, a Create Bearer Request follows the Create Session Response (§5.5.1)', () => {
  const first = gtpv2({ type: 33, teid: 1, sequence: 5, piggybacked: true, ies: [ie(2, Uint8Array.of(16, 0))] });
  const second = gtpv2({ type: 95, teid: 2, sequence: 900, ies: [ie(73, Uint8Array.of(6))] });
  const ms = decoded(concat(first, second));
  assert.deepEqual(ms.map((m) => [m.messageType, m.sequence, m.piggybacked, m.offset]), [[33, 5, true, 0], [95, 900, false, first.length]]);
  assert.deepEqual(value(ms[1]!, 73), { kind: 'uint', value: 6 });
  assert.equal(ms[1]!.ies[0]!.offset, first.length + 12);

  const dangling = decoded(first);
  assert.equal(dangling.length, 1);
  assert.match(dangling[0]!.errors[0]!.reason, /no piggybacked message follows/);
});

test('IE header: type, length, CR bits and instance; IMSI, MSISDN, MEI in TBCD (§8.3, §8.10, §8.11)', () => {
  const m = one(gtpv2({ type: 32, teid: 0, sequence: 1, ies: [
    ie(1, tbcd('001010123456789')),
    ie(76, tbcd('15551234567')),
    ie(75, tbcd('3534910123456789')),
    ie(87, concat(Uint8Array.of(0x80 | 10), u32(0x11223344), Uint8Array.of(10, 1, 2, 3)), { instance: 1, cr: 0 }),
  ] }));
  assert.deepEqual(m.ies.map((x) => [x.type, x.length, x.instance, x.name]), [
    [1, 8, 0, 'International Mobile Subscriber Identity (IMSI)'],
    [76, 6, 0, 'MSISDN'],
    [75, 8, 0, 'Mobile Equipment Identity (MEI)'],
    [87, 9, 1, 'Fully Qualified Tunnel Endpoint Identifier (F-TEID)'],
  ]);
  assert.deepEqual(value(m, 1), { kind: 'digits', digits: '001010123456789' });
  assert.deepEqual(value(m, 76), { kind: 'digits', digits: '15551234567' });
  assert.deepEqual(value(m, 75), { kind: 'digits', digits: '3534910123456789' });
  assert.deepEqual(value(m, 87), { kind: 'f-teid', interfaceType: 10, interfaceName: 'S11 MME GTP-C interface', teid: 0x11223344, ipv4: '10.1.2.3' });
  const cr = one(gtpv2({ type: 32, teid: 0, sequence: 1, ies: [ie(3, Uint8Array.of(1), { cr: 0xa, instance: 0xf })] })).ies[0]!;
  assert.equal(cr.cr, 0xa);
  assert.equal(cr.instance, 0xf);
});

test('Cause with flags and offending IE; rejection range (§8.4 Table 8.4-1)', () => {
  const m = one(gtpv2({ type: 33, teid: 1, sequence: 1, ies: [ie(2, Uint8Array.of(70, 0x05, 87, 0, 0, 2))] }));
  assert.deepEqual(value(m, 2), { kind: 'cause', cause: 70, name: 'Mandatory IE missing', pce: true, bce: false, cs: true, offendingIe: { type: 87, instance: 2 } });
  assert.deepEqual(messageCause(m), { cause: 70, name: 'Mandatory IE missing' });
  assert.equal(isRejection(70), true);
  assert.equal(isRejection(16), false);
  assert.equal(isRejection(63), false);
  assert.equal(isRejection(64), true);
});

test('APN and FQDN labels (§8.6, §8.66, TS 23.003 §9.1); AMBR; EBI; IP Address v4/v6', () => {
  const m = one(gtpv2({ type: 32, teid: 0, sequence: 1, ies: [
    ie(71, labels('ims.mnc001.mcc001.gprs')),
    ie(136, concat(labels('topon.s5s8.pgw.epc.mnc001.mcc001.3gppnetwork.org'), Uint8Array.of(0))),
    ie(72, concat(u32(100_000), u32(200_000))),
    ie(73, Uint8Array.of(0xf5)),
    ie(74, Uint8Array.of(192, 0, 2, 7)),
    ie(74, hex('20010db8000000000000000000000009'), { instance: 1 }),
  ] }));
  assert.deepEqual(value(m, 71), { kind: 'name', name: 'ims.mnc001.mcc001.gprs' });
  assert.deepEqual(value(m, 136), { kind: 'name', name: 'topon.s5s8.pgw.epc.mnc001.mcc001.3gppnetwork.org' });
  assert.deepEqual(value(m, 72), { kind: 'ambr', uplinkKbps: 100_000, downlinkKbps: 200_000 });
  assert.deepEqual(value(m, 73), { kind: 'uint', value: 5 }, 'EBI is bits 1-4');
  assert.deepEqual(value(m, 74, 0), { kind: 'ip-address', address: '192.0.2.7' });
  assert.deepEqual(value(m, 74, 1), { kind: 'ip-address', address: '2001:db8::9' });
});

test('PAA for IPv4, IPv6 and IPv4v6 (§8.14); PDN Type (§8.34)', () => {
  const v6 = hex('20010db8abcd00000000000000000000');
  const m = one(gtpv2({ type: 33, teid: 1, sequence: 1, ies: [
    ie(79, Uint8Array.of(1, 10, 45, 0, 9)),
    ie(79, concat(Uint8Array.of(2, 64), v6), { instance: 1 }),
    ie(79, concat(Uint8Array.of(3, 64), v6, Uint8Array.of(10, 45, 0, 10)), { instance: 2 }),
    ie(99, Uint8Array.of(0xf8 | 3)),
  ] }));
  assert.deepEqual(value(m, 79, 0), { kind: 'paa', pdnType: 1, pdnTypeName: 'IPv4', ipv4: '10.45.0.9' });
  assert.deepEqual(value(m, 79, 1), { kind: 'paa', pdnType: 2, pdnTypeName: 'IPv6', ipv6PrefixLength: 64, ipv6: '2001:db8:abcd::' });
  assert.deepEqual(value(m, 79, 2), { kind: 'paa', pdnType: 3, pdnTypeName: 'IPv4/IPv6', ipv6PrefixLength: 64, ipv6: '2001:db8:abcd::', ipv4: '10.45.0.10' });
  assert.deepEqual(value(m, 99), { kind: 'uint', value: 3, name: 'IPv4/IPv6' });
});

test('Bearer QoS: ARP bits, QCI and 5-octet bit rates (§8.15); Flow QoS (§8.16)', () => {
  const arp = (1 << 6) | (11 << 2) | 0; // PCI=1, PL=11, PVI=0
  const m = one(gtpv2({ type: 95, teid: 1, sequence: 1, ies: [
    ie(80, concat(Uint8Array.of(arp, 1), be(128, 5), be(2 ** 33 + 5, 5), be(64, 5), be(0xffffffffff, 5))),
    ie(81, concat(Uint8Array.of(2), be(1, 5), be(2, 5), be(3, 5), be(4, 5))),
  ] }));
  assert.deepEqual(value(m, 80), { kind: 'bearer-qos', pci: 1, pl: 11, pvi: 0, qci: 1, mbrUplinkKbps: 128, mbrDownlinkKbps: 2 ** 33 + 5, gbrUplinkKbps: 64, gbrDownlinkKbps: 0xffffffffff });
  assert.deepEqual(value(m, 81), { kind: 'flow-qos', qci: 2, mbrUplinkKbps: 1, mbrDownlinkKbps: 2, gbrUplinkKbps: 3, gbrDownlinkKbps: 4 });
});

test('Serving Network with 2- and 3-digit MNC (§8.18), RAT Type (§8.17), UE Time Zone (§8.44)', () => {
  const m = one(gtpv2({ type: 32, teid: 0, sequence: 1, ies: [
    ie(83, plmn('310', '410')),
    ie(83, plmn('262', '01'), { instance: 1 }),
    ie(82, Uint8Array.of(10)),
    ie(114, Uint8Array.of(0x8a, 0x01)), // -(2*10 + 8) quarter hours = UTC-7, DST +1 h
  ] }));
  assert.deepEqual(value(m, 83, 0), { kind: 'plmn', mcc: '310', mnc: '410' });
  assert.deepEqual(value(m, 83, 1), { kind: 'plmn', mcc: '262', mnc: '01' });
  assert.deepEqual(value(m, 82), { kind: 'uint', value: 10, name: 'NR' });
  assert.deepEqual(value(m, 114), { kind: 'time-zone', quarterHours: -28, daylightSavingHours: 1 });
});

test('ULI: the flags decide which identities are present (§8.21)', () => {
  const eci = (0xabcde << 8) | 0x42;
  const all = concat(
    Uint8Array.of(0xff & ~0x40), // every identity but Macro eNodeB ID (only one of the two eNodeB forms may appear)
    plmn('001', '01'), be(0x1111, 2), be(0x2222, 2), // CGI
    plmn('001', '01'), be(0x3333, 2), be(0x4444, 2), // SAI
    plmn('001', '01'), be(0x5555, 2), Uint8Array.of(0x66, 0xff), // RAI
    plmn('001', '001'), be(0x7777, 2), // TAI
    plmn('001', '001'), u32(eci), // ECGI
    plmn('001', '01'), be(0x8888, 2), // LAI
    plmn('001', '01'), Uint8Array.of(0x80 | 0x03), be(0xffff, 2), // Extended Macro eNodeB ID, short (SMeNB)
  );
  const m = one(gtpv2({ type: 34, teid: 1, sequence: 1, ies: [ie(86, all)] }));
  const uli = value(m, 86);
  assert.equal(uli.kind, 'uli');
  if (uli.kind !== 'uli') return;
  assert.deepEqual(uli.uli, {
    cgi: { mcc: '001', mnc: '01', lac: 0x1111, ci: 0x2222 },
    sai: { mcc: '001', mnc: '01', lac: 0x3333, sac: 0x4444 },
    rai: { mcc: '001', mnc: '01', lac: 0x5555, rac: 0x66 },
    tai: { mcc: '001', mnc: '001', tac: 0x7777 },
    ecgi: { mcc: '001', mnc: '001', eci, enodebId: 0xabcde, cellId: 0x42 },
    lai: { mcc: '001', mnc: '01', lac: 0x8888 },
    extendedMacroEnodebId: { mcc: '001', mnc: '01', enodebId: 0x3ffff, short: true },
  });
  const macro = one(gtpv2({ type: 34, teid: 1, sequence: 1, ies: [ie(86, concat(Uint8Array.of(0x40), plmn('001', '01'), Uint8Array.of(0xf5), be(0x1234, 2)))] }));
  assert.deepEqual(value(macro, 86), { kind: 'uli', uli: { macroEnodebId: { mcc: '001', mnc: '01', enodebId: 0x51234 } } });
  const truncated = one(gtpv2({ type: 34, teid: 1, sequence: 1, ies: [ie(86, concat(Uint8Array.of(0x18), plmn('001', '01'), be(1, 2), plmn('001', '01')))] }));
  assert.deepEqual(value(truncated, 86), { kind: 'uli', uli: { tai: { mcc: '001', mnc: '01', tac: 1 } } });
  assert.match(truncated.errors[0]!.reason, /ECGI flagged but only 3 octets left/);
});

test('F-TEID with IPv6 only and with both addresses (§8.22)', () => {
  const v6 = hex('fd000000000000000000000000000001');
  const m = one(gtpv2({ type: 33, teid: 1, sequence: 1, ies: [
    ie(87, concat(Uint8Array.of(0x40 | 7), u32(9), v6)),
    ie(87, concat(Uint8Array.of(0xc0 | 1), u32(10), Uint8Array.of(1, 2, 3, 4), v6), { instance: 1 }),
  ] }));
  assert.deepEqual(value(m, 87, 0), { kind: 'f-teid', interfaceType: 7, interfaceName: 'S5/S8 PGW GTP-C interface', teid: 9, ipv6: 'fd00::1' });
  assert.deepEqual(value(m, 87, 1), { kind: 'f-teid', interfaceType: 1, interfaceName: 'S1-U SGW GTP-U interface', teid: 10, ipv4: '1.2.3.4', ipv6: 'fd00::1' });
});

test('PCO containers (TS 24.008 §10.5.6.3): P-CSCF and DNS v4/v6, IM CN flag, MTU, IPCP DNS options, PAP raw', () => {
  const ipcp = Uint8Array.of(2, 0, 0, 16, 129, 6, 8, 8, 8, 8, 131, 6, 8, 8, 4, 4);
  const pco = concat(
    Uint8Array.of(0x80),
    Uint8Array.of(0x80, 0x21, ipcp.length), ipcp,
    Uint8Array.of(0x00, 0x0c, 4, 10, 100, 3, 11),
    Uint8Array.of(0x00, 0x01, 16), hex('20010db8000000000000000000000053'),
    Uint8Array.of(0x00, 0x0d, 4, 1, 1, 1, 1),
    Uint8Array.of(0x00, 0x03, 16), hex('20010db8000000000000000000000035'),
    Uint8Array.of(0x00, 0x02, 0),
    Uint8Array.of(0x00, 0x10, 2, 0x05, 0xdc),
    Uint8Array.of(0xc0, 0x23, 3, 1, 2, 3),
  );
  const m = one(gtpv2({ type: 33, teid: 1, sequence: 1, ies: [ie(78, pco)] }));
  const v = value(m, 78);
  assert.equal(v.kind, 'pco');
  if (v.kind !== 'pco') return;
  assert.equal(v.pco.configurationProtocol, 0);
  assert.deepEqual(v.pco.containers.map((k) => [k.id, k.name, k.address, k.mtu]), [
    [0x8021, 'IPCP', undefined, undefined],
    [0x000c, 'P-CSCF IPv4 Address', '10.100.3.11', undefined],
    [0x0001, 'P-CSCF IPv6 Address', '2001:db8::53', undefined],
    [0x000d, 'DNS Server IPv4 Address', '1.1.1.1', undefined],
    [0x0003, 'DNS Server IPv6 Address', '2001:db8::35', undefined],
    [0x0002, 'IM CN Subsystem Signaling Flag', undefined, undefined],
    [0x0010, 'IPv4 Link MTU', undefined, 1500],
    [0xc023, 'PAP', undefined, undefined],
  ]);
  const ipcpValue = v.pco.containers[0]!.ipcp!;
  assert.equal(ipcpValue.code, 2);
  assert.equal(ipcpValue.primaryDns, '8.8.8.8');
  assert.equal(ipcpValue.secondaryDns, '8.8.4.4');
  assert.deepEqual([...v.pco.containers[7]!.data], [1, 2, 3]);
});

test('ePCO (TS 24.301 §9.9.4.26) and APCO read like PCO', () => {
  const epco = concat(Uint8Array.of(0x80), Uint8Array.of(0x00, 0x0c, 4, 10, 0, 0, 1), Uint8Array.of(0x00, 0x02, 0));
  const apco = concat(Uint8Array.of(0x80), Uint8Array.of(0x00, 0x0c, 4, 10, 0, 0, 2));
  const m = one(gtpv2({ type: 33, teid: 1, sequence: 1, ies: [ie(197, epco), ie(163, apco)] }));
  const e = value(m, 197);
  const a = value(m, 163);
  assert.ok(e.kind === 'pco' && a.kind === 'pco');
  if (e.kind !== 'pco' || a.kind !== 'pco') return;
  assert.deepEqual(e.pco.containers.map((k) => [k.id, k.address]), [[0x000c, '10.0.0.1'], [0x0002, undefined]]);
  assert.deepEqual(a.pco.containers.map((k) => [k.id, k.address]), [[0x000c, '10.0.0.2']]);
});

test('grouped IEs to any depth: Bearer Contexts in order, instances, search by instance', () => {
  const bearer = (ebi: number, teid: number, instance: number): Uint8Array =>
    ie(93, concat(ie(73, Uint8Array.of(ebi)), ie(87, concat(Uint8Array.of(0x80 | 4), u32(teid), Uint8Array.of(10, 0, 0, ebi)), { instance: 2 })), { instance });
  const m = one(gtpv2({ type: 33, teid: 1, sequence: 1, ies: [
    ie(2, Uint8Array.of(16, 0)),
    bearer(5, 100, 0),
    bearer(6, 200, 0),
    bearer(7, 300, 1),
    ie(109, concat(ie(71, labels('internet')), bearer(8, 400, 0))), // PDN Connection holds Bearer Contexts
  ] }));
  assert.deepEqual(m.errors, []);
  const contexts = findIes(m, 93);
  assert.equal(contexts.length, 3, 'top level only');
  assert.deepEqual(findIes(m, 93, { recursive: true }).map((b) => (findIe(b, 73)!.value as { value: number }).value), [5, 6, 7, 8]);
  assert.deepEqual(findIes(m, 93, { instance: 1 }).length, 1);
  const teids = findIes(m, 87, { recursive: true, instance: 2 }).map((f) => (f.value.kind === 'f-teid' ? f.value.teid : -1));
  assert.deepEqual(teids, [100, 200, 300, 400]);
  assert.equal(contexts[1]!.offset, 4 + 8 + 6 + 4 + contexts[0]!.length, 'offsets count from the datagram start');
});

test('unknown IEs are kept raw; a lying IE length is an error value and earlier IEs are kept', () => {
  const m = one(gtpv2({ type: 32, teid: 0, sequence: 1, ies: [ie(250, hex('0a0b0c')), ie(1, tbcd('00101')), ie(71, labels('ims'), { length: 300 })] }));
  assert.deepEqual(m.ies.map((x) => [x.type, x.value.kind]), [[250, 'raw'], [1, 'digits']]);
  assert.deepEqual(m.ies[0]!.value, { kind: 'raw', hex: '0a0b0c' });
  assert.equal(m.ies[0]!.name, undefined);
  assert.equal(m.errors.length, 1);
  assert.match(m.errors[0]!.reason, /IE 71 length 300 exceeds the 4 octets left/);

  const inner = one(gtpv2({ type: 33, teid: 1, sequence: 1, ies: [ie(93, concat(ie(73, Uint8Array.of(5)), ie(80, hex('00'), { length: 22 }))), ie(2, Uint8Array.of(16, 0))] }));
  assert.deepEqual(inner.ies.map((x) => x.type), [93, 2], 'the message goes on after the broken group');
  assert.deepEqual(findIes(inner, 73, { recursive: true }).length, 1);
  assert.match(inner.errors[0]!.reason, /IE 80 length 22 exceeds/);
});

test('values too short for their type are invalid values listed in errors', () => {
  const m = one(gtpv2({ type: 33, teid: 1, sequence: 1, ies: [ie(80, hex('0009')), ie(87, Uint8Array.of(0x80, 0, 0, 0, 1)), ie(72, u32(1)), ie(74, hex('0102'))] }));
  assert.deepEqual(m.ies.map((x) => x.value.kind), ['invalid', 'invalid', 'invalid', 'invalid']);
  assert.equal(m.errors.length, 4);
  assert.match(m.errors[1]!.reason, /F-TEID with its flagged addresses of 5 octets \(needs 9\)/);
});

test('unusable headers and truncation', () => {
  const ok = gtpv2({ type: 32, teid: 0, sequence: 1, ies: [ie(1, tbcd('001010000000001')), ie(71, labels('ims'))] });
  for (const [bytes, reason] of [
    [ok.subarray(0, 7), /too short for a GTPv2-C header/],
    [gtpv2({ type: 1, sequence: 1, ies: [], version: 1 }), /version 1/],
    [ok.subarray(0, 10), /too short for a header with TEID/],
    [gtpv2({ type: 32, teid: 0, sequence: 1, ies: [], length: 3 }), /shorter than the header/],
  ] as const) {
    const r = decodeGtpv2(bytes);
    assert.ok(isDecodeError(r));
    assert.match(r.reason, reason);
  }
  const cut = one(ok.subarray(0, ok.length - 3));
  assert.deepEqual(cut.ies.map((x) => x.type), [1]);
  assert.ok(cut.errors.some((e) => /exceeds the \d+ octets given/.test(e.reason)));
  const extra = one(concat(ok, Uint8Array.of(0, 0)));
  assert.match(extra.errors[0]!.reason, /2 octets follow the message/);
});

test('grouping deeper than the limit is an error value; random bytes never throw and stay fast', () => {
  let inner = ie(73, Uint8Array.of(5));
  for (let i = 0; i < 1000 && inner.length < 60000; i++) inner = ie(93, inner);
  const m = one(gtpv2({ type: 33, teid: 1, sequence: 1, ies: [inner] }));
  assert.ok(m.errors.some((e) => /nested deeper than 32 levels/.test(e.reason)));

  let seed = 7;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 16;
  };
  const real = gtpv2({ type: 33, teid: 1, sequence: 1, piggybacked: true, ies: [ie(2, Uint8Array.of(16, 0)), ie(93, concat(ie(73, Uint8Array.of(5)), ie(86, hex('18 00f110 0001 00f110 00000101')))), ie(78, hex('80 000c04 0a000001'))] });
  const started = performance.now();
  for (let i = 0; i < 6000; i++) {
    const b = i % 2 === 0 ? concat(real, real) : new Uint8Array(rnd() % 120);
    for (let k = 0; k < 1 + (rnd() % 5) && b.length > 0; k++) b[rnd() % b.length] = rnd() & 0xff;
    if (b.length > 0 && i % 3 === 0) b[0] = 0x48 | (rnd() & 0x10);
    decodeGtpv2(b);
  }
  assert.ok(performance.now() - started < 5000);
});
