// Compares the GTPv2-C decoder with tshark: every GTPv2 PDU tshark dissects is decoded from its
// raw bytes, then header fields, the IE tree and a broad sample of IE values are checked
// against tshark's `-T fields` output for the same frame.
import assert from 'node:assert/strict';
import { decodeGtpv2 } from '../../../src/protocols/gtpv2/decode.js';
import { isDecodeError } from '../../../src/decode-error.js';
import type { Gtpv2Ie, Gtpv2Message } from '../../../src/protocols/gtpv2/types.js';
import { tsharkFields, tsharkPdus, type FieldRow } from '../diameter/tshark-oracle.js';

const hex = (n: number, digits: number): string => `0x${n.toString(16).padStart(digits, '0')}`;
const int = (s: string): string => String(Number(s));

/** Every IE of the message, depth first, in message order (the order tshark lists them). */
export function allIes(ies: readonly Gtpv2Ie[], out: Gtpv2Ie[] = []): Gtpv2Ie[] {
  for (const ie of ies) {
    out.push(ie);
    if (ie.value.kind === 'grouped') allIes(ie.value.ies, out);
  }
  return out;
}

export interface IeCheck {
  readonly field: string;
  /** IE types the field comes from; undefined: every IE. */
  readonly types?: readonly number[];
  /** Values the IE gives for the field, in tshark's order. */
  readonly show: (ie: Gtpv2Ie) => readonly string[];
  /** Turns one tshark value into the form `show` produces. */
  readonly oracle?: (tsharkValue: string) => string;
}

const c = (field: string, types: readonly number[] | undefined, show: (ie: Gtpv2Ie) => readonly (string | number | undefined)[], oracle?: (s: string) => string): IeCheck => ({
  field,
  ...(types === undefined ? {} : { types }),
  show: (ie) => show(ie).filter((v) => v !== undefined).map(String),
  ...(oracle === undefined ? {} : { oracle }),
});

const v = (ie: Gtpv2Ie) => ie.value;
const offending = (ie: Gtpv2Ie): { type: number; instance: number } | undefined => (ie.value.kind === 'cause' ? ie.value.offendingIe : undefined);

export const IE_CHECKS: readonly IeCheck[] = [
  // tshark also lists the length (0) and instance of the IE a Cause names as offending (§8.4)
  c('gtpv2.ie_type', undefined, (ie) => [ie.type]),
  c('gtpv2.cause_off_ie_t', [2], (ie) => [offending(ie)?.type]),
  c('gtpv2.ie_len', undefined, (ie) => [ie.length, offending(ie) && 0]),
  c('gtpv2.instance', undefined, (ie) => [ie.instance, offending(ie)?.instance]),
  c('e212.imsi', [1], (ie) => [v(ie).kind === 'digits' ? (v(ie) as { digits: string }).digits : '<>']),
  c('e164.msisdn', [76], (ie) => [v(ie).kind === 'digits' ? (v(ie) as { digits: string }).digits : '<>']),
  c('gtpv2.mei', [75], (ie) => [v(ie).kind === 'digits' ? (v(ie) as { digits: string }).digits : '<>']),
  c('gtpv2.cause', [2], (ie) => { const x = v(ie); return x.kind === 'cause' ? [x.cause] : ['<>']; }),
  c('gtpv2.pce', [2], (ie) => { const x = v(ie); return x.kind === 'cause' ? [Number(x.pce)] : ['<>']; }),
  c('gtpv2.bce', [2], (ie) => { const x = v(ie); return x.kind === 'cause' ? [Number(x.bce)] : ['<>']; }),
  c('gtpv2.cs', [2], (ie) => { const x = v(ie); return x.kind === 'cause' ? [Number(x.cs)] : ['<>']; }),
  c('gtpv2.rec', [3], (ie) => { const x = v(ie); return x.kind === 'uint' ? [x.value] : ['<>']; }),
  c('gtpv2.apn', [71], (ie) => { const x = v(ie); return x.kind === 'name' ? [x.name] : ['<>']; }),
  c('gtpv2.fqdn', [136], (ie) => { const x = v(ie); return x.kind === 'name' ? [x.name] : ['<>']; }),
  c('gtpv2.ambr_up', [72], (ie) => { const x = v(ie); return x.kind === 'ambr' ? [x.uplinkKbps] : ['<>']; }),
  c('gtpv2.ambr_down', [72], (ie) => { const x = v(ie); return x.kind === 'ambr' ? [x.downlinkKbps] : ['<>']; }),
  c('gtpv2.ebi', [73], (ie) => { const x = v(ie); return x.kind === 'uint' ? [x.value] : ['<>']; }),
  c('gtpv2.ip_address_ipv4', [74], (ie) => { const x = v(ie); return x.kind === 'ip-address' && !x.address.includes(':') ? [x.address] : []; }),
  c('gtpv2.ip_address_ipv6', [74], (ie) => { const x = v(ie); return x.kind === 'ip-address' && x.address.includes(':') ? [x.address] : []; }),
  c('gtpv2.rat_type', [82], (ie) => { const x = v(ie); return x.kind === 'uint' ? [x.value] : ['<>']; }),
  c('gtpv2.pdn_type', [79, 99], (ie) => { const x = v(ie); return x.kind === 'paa' ? [x.pdnType] : x.kind === 'uint' ? [x.value] : ['<>']; }),
  c('gtpv2.pdn_addr_and_prefix.ipv4', [79], (ie) => { const x = v(ie); return x.kind === 'paa' ? [x.ipv4] : ['<>']; }),
  c('gtpv2.pdn_addr_and_prefix.ipv6', [79], (ie) => { const x = v(ie); return x.kind === 'paa' ? [x.ipv6] : ['<>']; }),
  c('gtpv2.pdn_ipv6_len', [79], (ie) => { const x = v(ie); return x.kind === 'paa' ? [x.ipv6PrefixLength] : ['<>']; }),
  c('gtpv2.bearer_qos_pci', [80], (ie) => { const x = v(ie); return x.kind === 'bearer-qos' ? [x.pci] : ['<>']; }),
  c('gtpv2.bearer_qos_pl', [80], (ie) => { const x = v(ie); return x.kind === 'bearer-qos' ? [x.pl] : ['<>']; }),
  c('gtpv2.bearer_qos_pvi', [80], (ie) => { const x = v(ie); return x.kind === 'bearer-qos' ? [x.pvi] : ['<>']; }),
  c('gtpv2.bearer_qos_label_qci', [80], (ie) => { const x = v(ie); return x.kind === 'bearer-qos' ? [x.qci] : ['<>']; }),
  c('gtpv2.bearer_qos_mbr_up', [80], (ie) => { const x = v(ie); return x.kind === 'bearer-qos' ? [x.mbrUplinkKbps] : ['<>']; }),
  c('gtpv2.bearer_qos_mbr_down', [80], (ie) => { const x = v(ie); return x.kind === 'bearer-qos' ? [x.mbrDownlinkKbps] : ['<>']; }),
  c('gtpv2.bearer_qos_gbr_up', [80], (ie) => { const x = v(ie); return x.kind === 'bearer-qos' ? [x.gbrUplinkKbps] : ['<>']; }),
  c('gtpv2.bearer_qos_gbr_down', [80], (ie) => { const x = v(ie); return x.kind === 'bearer-qos' ? [x.gbrDownlinkKbps] : ['<>']; }),
  c('gtpv2.flow_qos_label_qci', [81], (ie) => { const x = v(ie); return x.kind === 'flow-qos' ? [x.qci] : ['<>']; }),
  c('gtpv2.flow_qos_mbr_up', [81], (ie) => { const x = v(ie); return x.kind === 'flow-qos' ? [x.mbrUplinkKbps] : ['<>']; }),
  c('gtpv2.flow_qos_mbr_down', [81], (ie) => { const x = v(ie); return x.kind === 'flow-qos' ? [x.mbrDownlinkKbps] : ['<>']; }),
  c('gtpv2.flow_qos_gbr_up', [81], (ie) => { const x = v(ie); return x.kind === 'flow-qos' ? [x.gbrUplinkKbps] : ['<>']; }),
  c('gtpv2.f_teid_interface_type', [87], (ie) => { const x = v(ie); return x.kind === 'f-teid' ? [x.interfaceType] : ['<>']; }),
  c('gtpv2.f_teid_gre_key', [87], (ie) => { const x = v(ie); return x.kind === 'f-teid' ? [hex(x.teid, 8)] : ['<>']; }),
  c('gtpv2.f_teid_ipv4', [87], (ie) => { const x = v(ie); return x.kind === 'f-teid' ? [x.ipv4] : ['<>']; }),
  c('gtpv2.f_teid_ipv6', [87], (ie) => { const x = v(ie); return x.kind === 'f-teid' ? [x.ipv6] : ['<>']; }),
  c('gtpv2.charging_id', [94], (ie) => { const x = v(ie); return x.kind === 'uint' ? [x.value] : ['<>']; }),
  c('gtpv2.apn_rest', [127], (ie) => { const x = v(ie); return x.kind === 'uint' ? [x.value] : ['<>']; }),
  c('gtpv2.selec_mode', [128], (ie) => { const x = v(ie); return x.kind === 'uint' ? [x.value] : ['<>']; }),
  c('gtpv2.cng_rep_act', [131], (ie) => { const x = v(ie); return x.kind === 'uint' ? [x.value] : ['<>']; }),
  c('gtpv2.node_type', [135], (ie) => { const x = v(ie); return x.kind === 'uint' ? [x.value] : ['<>']; }),
  c('e212.tai.mcc', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.tai && int(x.uli.tai.mcc)] : ['<>']; }),
  c('e212.tai.mnc', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.tai && int(x.uli.tai.mnc)] : ['<>']; }),
  c('gtpv2.tai_tac', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.tai && hex(x.uli.tai.tac, 4)] : ['<>']; }),
  c('e212.ecgi.mcc', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.ecgi && int(x.uli.ecgi.mcc)] : ['<>']; }),
  c('e212.ecgi.mnc', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.ecgi && int(x.uli.ecgi.mnc)] : ['<>']; }),
  c('gtpv2.ecgi_eci', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.ecgi?.eci] : ['<>']; }),
  c('gtpv2.enodebid', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.ecgi?.enodebId] : ['<>']; }),
  c('gtpv2.cellid', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.ecgi?.cellId] : ['<>']; }),
  c('e212.cgi.mcc', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.cgi && int(x.uli.cgi.mcc)] : ['<>']; }),
  c('e212.cgi.mnc', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.cgi && int(x.uli.cgi.mnc)] : ['<>']; }),
  c('gtpv2.uli_cgi_lac', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.cgi && hex(x.uli.cgi.lac, 4)] : ['<>']; }),
  c('gtpv2.uli_cgi_ci', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.cgi?.ci] : ['<>']; }),
  c('e212.sai.mcc', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.sai && int(x.uli.sai.mcc)] : ['<>']; }),
  c('gtpv2.sai_lac', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.sai && hex(x.uli.sai.lac, 4)] : ['<>']; }),
  c('gtpv2.sai_sac', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.sai && hex(x.uli.sai.sac, 4)] : ['<>']; }),
  c('e212.rai.mnc', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.rai && int(x.uli.rai.mnc)] : ['<>']; }),
  c('gtpv2.rai_lac', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.rai && hex(x.uli.rai.lac, 4)] : ['<>']; }),
  // Wireshark reads RAC as both octets c+5..c+6; TS 29.274 §8.21.3 puts RAC in c+5 only
  c('gtpv2.rai_rac', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.rai && hex(x.uli.rai.rac, 2)] : ['<>']; }, (s) => hex(Number(s) >> 8, 2)),
  c('e212.lai.mcc', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.lai && int(x.uli.lai.mcc)] : ['<>']; }),
  c('gtpv2.uli_lai_lac', [86], (ie) => { const x = v(ie); return x.kind === 'uli' ? [x.uli.lai && hex(x.uli.lai.lac, 4)] : ['<>']; }),
  c('gtpv2.ue_time_zone_dst', [114], (ie) => { const x = v(ie); return x.kind === 'time-zone' ? [x.daylightSavingHours] : ['<>']; }),
  c('gsm_a.gm.configuration_protocol', [78, 163, 197], (ie) => { const x = v(ie); return x.kind === 'pco' ? [x.pco.configurationProtocol] : ['<>']; }),
  c('gsm_a.gm.sm.pco_pid', [78, 163, 197], (ie) => { const x = v(ie); return x.kind === 'pco' ? x.pco.containers.map((k) => hex(k.id, 4)) : ['<>']; }),
  c('gsm_a.gm.sm.pco.pcscf.ipv4', [78, 163, 197], (ie) => { const x = v(ie); return x.kind === 'pco' ? x.pco.containers.filter((k) => k.id === 0x000c).map((k) => k.address) : ['<>']; }),
  c('gsm_a.gm.sm.pco.pcscf.ipv6', [78, 163, 197], (ie) => { const x = v(ie); return x.kind === 'pco' ? x.pco.containers.filter((k) => k.id === 0x0001).map((k) => k.address) : ['<>']; }),
  c('gsm_a.gm.sm.pco.dns.ipv4', [78, 163, 197], (ie) => { const x = v(ie); return x.kind === 'pco' ? x.pco.containers.filter((k) => k.id === 0x000d).map((k) => k.address) : ['<>']; }),
  c('gsm_a.gm.sm.pco.dns.ipv6', [78, 163, 197], (ie) => { const x = v(ie); return x.kind === 'pco' ? x.pco.containers.filter((k) => k.id === 0x0003).map((k) => k.address) : ['<>']; }),
  c('gsm_a.gm.sm.pco.ipv4_link_mtu_size', [78, 163, 197], (ie) => { const x = v(ie); return x.kind === 'pco' ? x.pco.containers.map((k) => k.mtu) : ['<>']; }),
  c('ipcp.opt.pri_dns_address', [78, 163, 197], (ie) => { const x = v(ie); return x.kind === 'pco' ? x.pco.containers.map((k) => k.ipcp?.primaryDns) : ['<>']; }),
  c('ipcp.opt.sec_dns_address', [78, 163, 197], (ie) => { const x = v(ie); return x.kind === 'pco' ? x.pco.containers.map((k) => k.ipcp?.secondaryDns) : ['<>']; }),
];

const HEADER_FIELDS = ['gtpv2.version', 'gtpv2.p', 'gtpv2.t', 'gtpv2.mp', 'gtpv2.message_type', 'gtpv2.msg_length', 'gtpv2.teid', 'gtpv2.seq'] as const;

export interface GtpCompareResult {
  readonly messages: { frameNo: number; message: Gtpv2Message }[];
  readonly compared: Map<string, number>;
}

/** Runs the comparison for one capture, failing the test on the first difference. */
export function compareGtpv2WithTshark(file: string, checks: readonly IeCheck[] = IE_CHECKS): GtpCompareResult {
  const rows = new Map<number, FieldRow>();
  for (const row of tsharkFields(file, 'gtpv2', [...HEADER_FIELDS, ...checks.map((k) => k.field)])) rows.set(row.frameNo, row);
  const messages: { frameNo: number; message: Gtpv2Message }[] = [];
  const compared = new Map<string, number>();
  let tsharkCount = 0;
  // tshark shows a piggybacked message as a second gtpv2 PDU of the frame: join them back into the datagram.
  const datagrams = new Map<number, Uint8Array[]>();
  for (const pdu of tsharkPdus(file, 'gtpv2')) datagrams.set(pdu.frameNo, [...(datagrams.get(pdu.frameNo) ?? []), pdu.bytes]);
  for (const [frameNo, parts] of datagrams) {
    const pdu = { frameNo, bytes: Buffer.concat(parts) };
    const decoded = decodeGtpv2(pdu.bytes);
    if (isDecodeError(decoded)) assert.fail(`frame ${pdu.frameNo}: ${decoded.reason}`);
    const at = `frame ${pdu.frameNo}`;
    for (const m of decoded) {
      assert.deepEqual(m.errors, [], `${at}: decode errors`);
      messages.push({ frameNo: pdu.frameNo, message: m });
    }
    const row = rows.get(pdu.frameNo);
    assert.ok(row, `tshark has no row for ${at}`);
    tsharkCount += row['gtpv2.message_type']!.split('|').length;
    const joined = (f: (m: Gtpv2Message) => string): string => decoded.map(f).join('|');
    assert.equal(joined((m) => String(m.version)), row['gtpv2.version'], `${at} version`);
    assert.equal(joined((m) => (m.piggybacked ? '1' : '0')), row['gtpv2.p'], `${at} P flag`);
    assert.equal(joined((m) => (m.teid === undefined ? '0' : '1')), row['gtpv2.t'], `${at} T flag`);
    // tshark names both the MP flag and the priority value gtpv2.mp
    assert.equal(joined((m) => (m.messagePriority === undefined ? '0' : `1|${hex(m.messagePriority, 2)}`)), row['gtpv2.mp'], `${at} MP flag and priority`);
    assert.equal(joined((m) => String(m.messageType)), row['gtpv2.message_type'], `${at} message type`);
    assert.equal(joined((m) => String(m.length)), row['gtpv2.msg_length'], `${at} length`);
    assert.equal(decoded.flatMap((m) => (m.teid === undefined ? [] : [hex(m.teid, 8)])).join('|'), row['gtpv2.teid'], `${at} TEID`);
    assert.equal(joined((m) => hex(m.sequence, 6)), row['gtpv2.seq'], `${at} sequence`);
    const ies = decoded.flatMap((m) => allIes(m.ies));
    for (const k of checks) {
      const expected: string = row[k.field] ?? '';
      const mine = ies.filter((ie) => k.types === undefined || k.types.includes(ie.type)).flatMap(k.show).join('|');
      const oracle: string = k.oracle === undefined || expected === '' ? expected : expected.split('|').map(k.oracle).join('|');
      assert.equal(mine, oracle, `${at} ${k.field}`);
      if (expected !== '') compared.set(k.field, (compared.get(k.field) ?? 0) + 1);
    }
  }
  assert.equal(messages.length, tsharkCount, 'message count');
  return { messages, compared };
}
