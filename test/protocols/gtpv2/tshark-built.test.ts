// GTPv2-C messages built here cover what the corpus lacks (piggybacking, IPv6 PAA and F-TEID,
// every ULI identity, PCO answers with IPv6 P-CSCF, ePCO, APCO, Flow QoS, FQDN, Node Type,
// rejection causes). Written to a capture and shown to tshark, they must dissect the same way.
// tshark 4.0 does not show Macro / Extended Macro eNodeB IDs, so decode.test.ts checks those.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needTools } from '../../support/environment.js';
import { compareGtpv2WithTshark } from './corpus-compare.js';
import { ipv4Udp, rawIpCapture } from '../diameter/tshark-oracle.js';
import { be, concat, gtpv2, hex, ie, labels, plmn, tbcd, u32 } from './build.js';

const v6 = (last: string): Uint8Array => hex(`20010db8000000000000000000${last.padStart(6, '0')}`);
const fteid = (iface: number, teid: number, v4?: readonly number[], v6addr?: Uint8Array, instance = 0): Uint8Array =>
  ie(87, concat(Uint8Array.of((v4 ? 0x80 : 0) | (v6addr ? 0x40 : 0) | iface), u32(teid), Uint8Array.from(v4 ?? []), v6addr ?? new Uint8Array(0)), { instance });
const qos = (pci: number, pl: number, pvi: number, qci: number, rates: readonly number[]): Uint8Array =>
  ie(80, concat(Uint8Array.of((pci << 6) | (pl << 2) | pvi, qci), ...rates.map((r) => be(r, 5))));
const container = (id: number, data: Uint8Array): Uint8Array => concat(Uint8Array.of(id >> 8, id & 0xff, data.length), data);

const uliAll = concat(
  Uint8Array.of(0xbf), // CGI SAI RAI TAI ECGI LAI + Extended Macro eNodeB ID
  plmn('310', '260'), be(0x0102, 2), be(0x0304, 2),
  plmn('310', '260'), be(0x0506, 2), be(0x0708, 2),
  plmn('310', '260'), be(0x090a, 2), Uint8Array.of(0x0b, 0xff),
  plmn('310', '260'), be(0x0c0d, 2),
  plmn('310', '260'), u32((0x12345 << 8) | 0x67),
  plmn('310', '260'), be(0x0e0f, 2),
  plmn('310', '260'), Uint8Array.of(0x1a), be(0xbcde, 2),
);

const requestPco = concat(
  Uint8Array.of(0x80),
  container(0x8021, Uint8Array.of(1, 1, 0, 16, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0)),
  container(0x0001, new Uint8Array(0)),
  container(0x0003, new Uint8Array(0)),
  container(0x000c, new Uint8Array(0)),
  container(0x000d, new Uint8Array(0)),
  container(0x0002, new Uint8Array(0)),
  container(0x0010, new Uint8Array(0)),
);

const answerPco = concat(
  Uint8Array.of(0x80),
  container(0x8021, Uint8Array.of(3, 1, 0, 16, 129, 6, 9, 9, 9, 9, 131, 6, 9, 9, 9, 10)),
  container(0x0001, v6('53')),
  container(0x000c, Uint8Array.of(10, 100, 3, 11)),
  container(0x0003, v6('35')),
  container(0x000d, Uint8Array.of(10, 100, 3, 12)),
  container(0x0010, Uint8Array.of(0x05, 0x78)),
  container(0x0002, new Uint8Array(0)),
);

const DATAGRAMS: Uint8Array[] = [
  gtpv2({ type: 1, sequence: 0x100, ies: [ie(3, Uint8Array.of(7))] }),
  gtpv2({ type: 32, teid: 0, sequence: 0x200, priority: 5, ies: [
    ie(1, tbcd('310260123456789')), ie(76, tbcd('14255550100')), ie(75, tbcd('353491012345678')),
    ie(86, uliAll), ie(83, plmn('310', '260')), ie(82, Uint8Array.of(6)),
    fteid(10, 0x0a0b0c0d, [192, 0, 2, 1], v6('1')),
    ie(71, labels('ims')), ie(128, Uint8Array.of(1)), ie(99, Uint8Array.of(3)),
    ie(79, concat(Uint8Array.of(3, 64), new Uint8Array(16), Uint8Array.of(0, 0, 0, 0))),
    ie(127, Uint8Array.of(1)), ie(72, concat(u32(50_000), u32(150_000))), ie(78, requestPco),
    ie(93, concat(ie(73, Uint8Array.of(5)), fteid(4, 0x11, [192, 0, 2, 2], undefined, 2), qos(0, 9, 1, 5, [0, 0, 0, 0]))),
    ie(114, Uint8Array.of(0x40, 0)), ie(136, labels('mme1.mmec01.mmegi0001.mme.epc.mnc260.mcc310.3gppnetwork.org')),
  ] }),
  concat(
    gtpv2({ type: 33, teid: 0x0a0b0c0d, sequence: 0x200, piggybacked: true, ies: [
      ie(2, Uint8Array.of(16, 0)), fteid(7, 0x99, undefined, v6('2'), 1),
      ie(79, concat(Uint8Array.of(2, 64), v6('abc'))), ie(127, Uint8Array.of(0)), ie(78, answerPco),
      ie(197, concat(Uint8Array.of(0x80), container(0x000c, Uint8Array.of(10, 100, 3, 13)))),
      ie(163, concat(Uint8Array.of(0x80), container(0x000c, Uint8Array.of(10, 100, 3, 14)))),
      ie(93, concat(ie(73, Uint8Array.of(5)), ie(2, Uint8Array.of(16, 0)), fteid(5, 0x1600, undefined, v6('3'), 2), ie(94, u32(0x01020304)))),
      ie(3, Uint8Array.of(3)),
    ] }),
    gtpv2({ type: 95, teid: 0x0a0b0c0d, sequence: 0x800001, ies: [
      ie(73, Uint8Array.of(5)),
      ie(93, concat(ie(73, Uint8Array.of(0)), fteid(5, 0x1700, [192, 0, 2, 9]), qos(1, 2, 0, 1, [64, 64, 2 ** 32 + 1, 38]))),
    ] }),
  ),
  gtpv2({ type: 34, teid: 0x99, sequence: 0x300, ies: [
    ie(86, concat(Uint8Array.of(0x40), plmn('001', '01'), Uint8Array.of(0x0a), be(0xbcde, 2))),
    ie(81, concat(Uint8Array.of(1), be(49, 5), be(49, 5), be(49, 5), be(49, 5))),
    ie(135, Uint8Array.of(0)), ie(82, Uint8Array.of(10)),
    ie(74, v6('7')),
  ] }),
  gtpv2({ type: 37, teid: 0x99, sequence: 0x301, ies: [ie(2, Uint8Array.of(64, 0x01, 93, 0, 0, 0))] }),
];

test('built GTPv2-C datagrams: tshark agrees on headers, the IE tree and IE values', (t) => {
  if (!needTools(t, 'tshark')) return;
  const packets = DATAGRAMS.map((d, i) => ipv4Udp({ src: [10, 0, 0, 1 + (i % 2)], dst: [10, 0, 0, 2 - (i % 2)], srcPort: 2123, dstPort: 2123 }, d));
  const file = rawIpCapture(t, 'gtpv2.pcap', packets);
  const { messages, compared } = compareGtpv2WithTshark(file);
  assert.deepEqual(messages.map((m) => m.message.messageType), [1, 32, 33, 95, 34, 37]);
  const expectCompared = ['gtpv2.rec', 'e164.msisdn', 'gtpv2.mei', 'gtpv2.pdn_addr_and_prefix.ipv6', 'gtpv2.pdn_ipv6_len', 'gtpv2.f_teid_ipv6', 'gtpv2.fqdn',
    'gtpv2.node_type', 'gtpv2.flow_qos_label_qci', 'gtpv2.flow_qos_mbr_up', 'gtpv2.ip_address_ipv6', 'e212.cgi.mcc', 'gtpv2.uli_cgi_lac', 'gtpv2.uli_cgi_ci',
    'gtpv2.sai_sac', 'gtpv2.rai_rac', 'gtpv2.uli_lai_lac', 'gtpv2.enodebid',
    'gsm_a.gm.sm.pco.pcscf.ipv6', 'gsm_a.gm.sm.pco.dns.ipv6', 'gsm_a.gm.sm.pco.ipv4_link_mtu_size', 'ipcp.opt.sec_dns_address', 'gtpv2.bearer_qos_gbr_up',
    'gtpv2.charging_id', 'gtpv2.cause', 'gtpv2.cs', 'gtpv2.cause_off_ie_t', 'gtpv2.ue_time_zone_dst', 'gtpv2.apn_rest', 'gtpv2.selec_mode'];
  for (const field of expectCompared) assert.ok((compared.get(field) ?? 0) > 0, `${field} was compared`);
});
