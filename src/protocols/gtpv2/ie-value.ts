// Reads the value of one GTPv2-C information element by its type (TS 29.274 §8). Grouped IEs
// are read by ie-list.ts. Never throws: a value too short for its type is an `invalid` value
// (hex kept); a partly readable one (ULI, PCO) keeps what was read and names the problem.
import { formatIpv4, formatIpv6 } from '../../net/address.js';
import { toHex } from '../diameter/hex.js';
import { readPco } from './pco.js';
import { readPlmn, tbcdDigits } from './tbcd.js';
import { readUli } from './uli.js';
import { APN_RESTRICTION_NAMES, CAUSE_NAMES, INTERFACE_TYPE_NAMES, NODE_TYPE_NAMES, PDN_TYPE_NAMES, RAT_TYPE_NAMES, SELECTION_MODE_NAMES } from './value-names.js';
import type { Gtpv2IeValue } from './types.js';

export const IE_IMSI = 1;
export const IE_CAUSE = 2;
export const IE_RECOVERY = 3;
export const IE_APN = 71;
export const IE_AMBR = 72;
export const IE_EBI = 73;
export const IE_IP_ADDRESS = 74;
export const IE_MEI = 75;
export const IE_MSISDN = 76;
export const IE_INDICATION = 77;
export const IE_PCO = 78;
export const IE_PAA = 79;
export const IE_BEARER_QOS = 80;
export const IE_FLOW_QOS = 81;
export const IE_RAT_TYPE = 82;
export const IE_SERVING_NETWORK = 83;
export const IE_ULI = 86;
export const IE_F_TEID = 87;
export const IE_BEARER_CONTEXT = 93;
export const IE_CHARGING_ID = 94;
export const IE_CHARGING_CHARACTERISTICS = 95;
export const IE_PDN_TYPE = 99;
export const IE_UE_TIME_ZONE = 114;
export const IE_APN_RESTRICTION = 127;
export const IE_SELECTION_MODE = 128;
export const IE_CHANGE_REPORTING_ACTION = 131;
export const IE_NODE_TYPE = 135;
export const IE_FQDN = 136;
export const IE_APCO = 163;
export const IE_EPCO = 197;

export interface IeValueResult {
  readonly value: Gtpv2IeValue;
  readonly problem?: string;
}

const u16 = (b: Uint8Array, off: number): number => (b[off]! << 8) | b[off + 1]!;
const u32 = (b: Uint8Array, off: number): number => ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
/** TS 29.274 §8.15: bit rates are 5-octet kbps values. */
const u40 = (b: Uint8Array, off: number): number => b[off]! * 0x1_0000_0000 + u32(b, off + 1);

function invalid(reason: string, data: Uint8Array): IeValueResult {
  return { value: { kind: 'invalid', reason, hex: toHex(data) }, problem: reason };
}

function uint(value: number, names?: ReadonlyMap<number, string>): IeValueResult {
  const name = names?.get(value);
  return { value: name === undefined ? { kind: 'uint', value } : { kind: 'uint', value, name } };
}

/** TS 23.003 §9.1 / RFC 1035 §3.1 labels: length octet, then that many characters; joined with dots. */
function readLabels(data: Uint8Array): IeValueResult {
  const labels: string[] = [];
  let off = 0;
  while (off < data.length) {
    const length = data[off]!;
    if (length === 0) break; // root label ends a DNS name
    if (off + 1 + length > data.length) {
      return { value: { kind: 'name', name: labels.join('.') }, problem: `label length ${length} exceeds the ${data.length - off - 1} octets left` };
    }
    labels.push(String.fromCharCode(...data.subarray(off + 1, off + 1 + length)));
    off += 1 + length;
  }
  return { value: { kind: 'name', name: labels.join('.') } };
}

function need(data: Uint8Array, size: number, what: string): IeValueResult | undefined {
  return data.length < size ? invalid(`${what} of ${data.length} octets (needs ${size})`, data) : undefined;
}

export function readIeValue(type: number, data: Uint8Array): IeValueResult {
  switch (type) {
    case IE_IMSI: // §8.3
    case IE_MEI: // §8.10
    case IE_MSISDN: // §8.11
      return { value: { kind: 'digits', digits: tbcdDigits(data) } };
    case IE_CAUSE: {
      // §8.4: cause value, then spare | PCE | BCE | CS; octets 7–10 name an offending IE when present
      const short = need(data, 2, 'Cause');
      if (short) return short;
      const cause = data[0]!;
      const flags = data[1]!;
      const name = CAUSE_NAMES.get(cause);
      const base = { kind: 'cause' as const, cause, pce: (flags & 0x04) !== 0, bce: (flags & 0x02) !== 0, cs: (flags & 0x01) !== 0 };
      const withName = name === undefined ? base : { ...base, name };
      return { value: data.length >= 6 ? { ...withName, offendingIe: { type: data[2]!, instance: data[5]! & 0x0f } } : withName };
    }
    case IE_RECOVERY: // §8.5
      return need(data, 1, 'Recovery') ?? uint(data[0]!);
    case IE_APN: // §8.6
    case IE_FQDN: // §8.66
      return readLabels(data);
    case IE_AMBR: // §8.7: APN-AMBR uplink, downlink in kbps
      return need(data, 8, 'AMBR') ?? { value: { kind: 'ambr', uplinkKbps: u32(data, 0), downlinkKbps: u32(data, 4) } };
    case IE_EBI: // §8.8: EBI in bits 1–4
      return need(data, 1, 'EBI') ?? uint(data[0]! & 0x0f);
    case IE_IP_ADDRESS: // §8.9
      if (data.length === 4) return { value: { kind: 'ip-address', address: formatIpv4(data, 0) } };
      if (data.length === 16) return { value: { kind: 'ip-address', address: formatIpv6(data, 0) } };
      return invalid(`IP Address of ${data.length} octets`, data);
    case IE_INDICATION: // §8.12: flag octets, kept as they are
      return { value: { kind: 'raw', hex: toHex(data) } };
    case IE_PCO: // §8.13
    case IE_APCO: // §8.68
    case IE_EPCO: { // §8.128
      const { pco, problem } = readPco(data);
      return problem === undefined ? { value: { kind: 'pco', pco } } : { value: { kind: 'pco', pco }, problem };
    }
    case IE_PAA:
      return readPaa(data);
    case IE_BEARER_QOS: {
      // §8.15: spare | PCI | PL (4 bits) | spare | PVI, QCI, MBR UL/DL, GBR UL/DL (5 octets each)
      const short = need(data, 22, 'Bearer QoS');
      if (short) return short;
      const arp = data[0]!;
      return {
        value: {
          kind: 'bearer-qos',
          pci: (arp >> 6) & 1,
          pl: (arp >> 2) & 0x0f,
          pvi: arp & 1,
          qci: data[1]!,
          mbrUplinkKbps: u40(data, 2),
          mbrDownlinkKbps: u40(data, 7),
          gbrUplinkKbps: u40(data, 12),
          gbrDownlinkKbps: u40(data, 17),
        },
      };
    }
    case IE_FLOW_QOS: {
      // §8.16: QCI, MBR UL/DL, GBR UL/DL (5 octets each)
      const short = need(data, 21, 'Flow QoS');
      if (short) return short;
      return {
        value: { kind: 'flow-qos', qci: data[0]!, mbrUplinkKbps: u40(data, 1), mbrDownlinkKbps: u40(data, 6), gbrUplinkKbps: u40(data, 11), gbrDownlinkKbps: u40(data, 16) },
      };
    }
    case IE_RAT_TYPE: // §8.17
      return need(data, 1, 'RAT Type') ?? uint(data[0]!, RAT_TYPE_NAMES);
    case IE_SERVING_NETWORK: // §8.18
      return need(data, 3, 'Serving Network') ?? { value: { kind: 'plmn', ...readPlmn(data, 0) } };
    case IE_ULI: {
      const { uli, problem } = readUli(data);
      return problem === undefined ? { value: { kind: 'uli', uli } } : { value: { kind: 'uli', uli }, problem };
    }
    case IE_F_TEID:
      return readFteid(data);
    case IE_CHARGING_ID: // §8.29
      return need(data, 4, 'Charging ID') ?? uint(u32(data, 0));
    case IE_CHARGING_CHARACTERISTICS: // §8.30
      return need(data, 2, 'Charging Characteristics') ?? uint(u16(data, 0));
    case IE_PDN_TYPE: // §8.34: PDN type in bits 1–3
      return need(data, 1, 'PDN Type') ?? uint(data[0]! & 0x07, PDN_TYPE_NAMES);
    case IE_UE_TIME_ZONE: {
      // §8.44 → TS 24.008 §10.5.3.8: swapped semi-octets of quarter hours, bit 4 the sign; then DST hours
      const short = need(data, 2, 'UE Time Zone');
      if (short) return short;
      const tz = data[0]!;
      const quarters = (tz & 0x07) * 10 + (tz >> 4);
      return { value: { kind: 'time-zone', quarterHours: tz & 0x08 ? -quarters : quarters, daylightSavingHours: data[1]! & 0x03 } };
    }
    case IE_APN_RESTRICTION: // §8.57
      return need(data, 1, 'APN Restriction') ?? uint(data[0]!, APN_RESTRICTION_NAMES);
    case IE_SELECTION_MODE: // §8.58: mode in bits 1–2
      return need(data, 1, 'Selection Mode') ?? uint(data[0]! & 0x03, SELECTION_MODE_NAMES);
    case IE_CHANGE_REPORTING_ACTION: // §8.61
      return need(data, 1, 'Change Reporting Action') ?? uint(data[0]!);
    case IE_NODE_TYPE: // §8.65
      return need(data, 1, 'Node Type') ?? uint(data[0]!, NODE_TYPE_NAMES);
    default:
      return { value: { kind: 'raw', hex: toHex(data) } };
  }
}

/** §8.14: PDN type in bits 1–3, then IPv4 address, IPv6 prefix length + address, or both. */
function readPaa(data: Uint8Array): IeValueResult {
  const short = need(data, 1, 'PAA');
  if (short) return short;
  const pdnType = data[0]! & 0x07;
  const pdnTypeName = PDN_TYPE_NAMES.get(pdnType);
  const base = pdnTypeName === undefined ? { kind: 'paa' as const, pdnType } : { kind: 'paa' as const, pdnType, pdnTypeName };
  switch (pdnType) {
    case 1:
      return need(data, 5, 'IPv4 PAA') ?? { value: { ...base, ipv4: formatIpv4(data, 1) } };
    case 2:
      return need(data, 18, 'IPv6 PAA') ?? { value: { ...base, ipv6PrefixLength: data[1]!, ipv6: formatIpv6(data, 2) } };
    case 3:
      return need(data, 22, 'IPv4v6 PAA') ?? { value: { ...base, ipv6PrefixLength: data[1]!, ipv6: formatIpv6(data, 2), ipv4: formatIpv4(data, 18) } };
    default:
      return { value: base };
  }
}

/** §8.22: V4 | V6 | interface type (6 bits), TEID / GRE key, then the flagged addresses. */
function readFteid(data: Uint8Array): IeValueResult {
  const short = need(data, 5, 'F-TEID');
  if (short) return short;
  const flags = data[0]!;
  const v4 = (flags & 0x80) !== 0;
  const v6 = (flags & 0x40) !== 0;
  const size = 5 + (v4 ? 4 : 0) + (v6 ? 16 : 0);
  const tooShort = need(data, size, 'F-TEID with its flagged addresses');
  if (tooShort) return tooShort;
  const interfaceType = flags & 0x3f;
  const interfaceName = INTERFACE_TYPE_NAMES.get(interfaceType);
  return {
    value: {
      kind: 'f-teid',
      interfaceType,
      ...(interfaceName === undefined ? {} : { interfaceName }),
      teid: u32(data, 1),
      ...(v4 ? { ipv4: formatIpv4(data, 5) } : {}),
      ...(v6 ? { ipv6: formatIpv6(data, v4 ? 9 : 5) } : {}),
    },
  };
}
