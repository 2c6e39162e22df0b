// GTPv2-C messages as decode records (TS 29.274 §5 header, §8 IEs): the header and the IE
// tree, each IE value typed by its kind (digits, cause, AMBR, bearer QoS, F-TEID, ULI, PCO...).
import type { DecodeError } from '../../decode-error.js';
import type { Gtpv2Event } from '../../pipeline/events.js';
import { toHex } from '../../protocols/diameter/hex.js';
import type { Gtpv2Ie, Gtpv2IeValue, PcoContainer } from '../../protocols/gtpv2/types.js';
import { inlineFields } from './inline.js';
import { recordMeta, type RecordMeta } from './record.js';

/** A PCO container with its contents as hex (and its IPCP options' data likewise). */
export interface PcoContainerRecord {
  readonly id: number;
  readonly name?: string;
  readonly hex: string;
  readonly address?: string;
  readonly mtu?: number;
  readonly ipcp?: {
    readonly code: number;
    readonly identifier: number;
    readonly options: readonly { readonly type: number; readonly address?: string; readonly hex: string }[];
    readonly primaryDns?: string;
    readonly secondaryDns?: string;
  };
}

/** The decoder's value kinds, with byte views turned into hex and grouped IEs into records. */
export type Gtpv2IeValueRecord =
  | Exclude<Gtpv2IeValue, { kind: 'grouped' } | { kind: 'pco' }>
  | { readonly kind: 'grouped'; readonly ies: readonly Gtpv2IeRecord[] }
  | { readonly kind: 'pco'; readonly pco: { readonly configurationProtocol: number; readonly containers: readonly PcoContainerRecord[] } };

export interface Gtpv2IeRecord {
  readonly type: number;
  readonly name?: string;
  /** Length field: octets after the 4-octet IE header. */
  readonly length: number;
  /** The 4 spare bits before the instance ("CR flag"). */
  readonly cr: number;
  readonly instance: number;
  readonly value: Gtpv2IeValueRecord;
}

export interface Gtpv2Record extends RecordMeta {
  readonly proto: 'gtpv2';
  readonly version: number;
  /** P flag: another message follows in the same datagram. */
  readonly piggybacked: boolean;
  readonly messageType: number;
  readonly messageName?: string;
  readonly length: number;
  readonly teid?: number;
  readonly sequence: number;
  readonly messagePriority?: number;
  readonly ies: readonly Gtpv2IeRecord[];
  readonly errors: readonly DecodeError[];
}

export function gtpv2Record(event: Gtpv2Event): Gtpv2Record {
  const m = event.message;
  return {
    ...recordMeta(event.meta),
    proto: 'gtpv2',
    version: m.version,
    piggybacked: m.piggybacked,
    messageType: m.messageType,
    ...(m.messageName !== undefined ? { messageName: m.messageName } : {}),
    length: m.length,
    ...(m.teid !== undefined ? { teid: m.teid } : {}),
    sequence: m.sequence,
    ...(m.messagePriority !== undefined ? { messagePriority: m.messagePriority } : {}),
    ies: m.ies.map(ieRecord),
    errors: m.errors,
  };
}

function ieRecord(ie: Gtpv2Ie): Gtpv2IeRecord {
  return {
    type: ie.type,
    ...(ie.name !== undefined ? { name: ie.name } : {}),
    length: ie.length,
    cr: ie.cr,
    instance: ie.instance,
    value: valueRecord(ie.value),
  };
}

function valueRecord(v: Gtpv2IeValue): Gtpv2IeValueRecord {
  if (v.kind === 'grouped') return { kind: 'grouped', ies: v.ies.map(ieRecord) };
  if (v.kind === 'pco') return { kind: 'pco', pco: { configurationProtocol: v.pco.configurationProtocol, containers: v.pco.containers.map(containerRecord) } };
  return v;
}

function containerRecord(c: PcoContainer): PcoContainerRecord {
  return {
    id: c.id,
    ...(c.name !== undefined ? { name: c.name } : {}),
    hex: toHex(c.data),
    ...(c.address !== undefined ? { address: c.address } : {}),
    ...(c.mtu !== undefined ? { mtu: c.mtu } : {}),
    ...(c.ipcp !== undefined
      ? {
          ipcp: {
            code: c.ipcp.code,
            identifier: c.ipcp.identifier,
            options: c.ipcp.options.map((o) => ({ type: o.type, ...(o.address !== undefined ? { address: o.address } : {}), hex: toHex(o.data) })),
            ...(c.ipcp.primaryDns !== undefined ? { primaryDns: c.ipcp.primaryDns } : {}),
            ...(c.ipcp.secondaryDns !== undefined ? { secondaryDns: c.ipcp.secondaryDns } : {}),
          },
        }
      : {}),
  };
}

const hex = (n: number, digits: number): string => `0x${n.toString(16).padStart(digits, '0')}`;

export function gtpv2Text(r: Gtpv2Record, indent: string): string[] {
  const name = r.messageName ?? 'Unknown message';
  const teid = r.teid !== undefined ? `  TEID ${hex(r.teid, 8)}` : '';
  const priority = r.messagePriority !== undefined ? `  priority ${r.messagePriority}` : '';
  const lines = [
    `${indent}GTPv2 ${name} (${r.messageType})`,
    `${indent}  version ${r.version}  length ${r.length}${teid}  sequence ${hex(r.sequence, 6)}${priority}${r.piggybacked ? '  piggybacked' : ''}`,
  ];
  for (const ie of r.ies) ieText(ie, `${indent}  `, lines);
  for (const e of r.errors) lines.push(`${indent}  [Malformed: ${e.reason}]`);
  return lines;
}

function ieText(ie: Gtpv2IeRecord, indent: string, out: string[]): void {
  const head = `${indent}IE ${ie.name ?? 'Unknown'} (${ie.type}) i=${ie.instance} l=${ie.length}`;
  const v = ie.value;
  switch (v.kind) {
    case 'grouped':
      out.push(head);
      for (const member of v.ies) ieText(member, `${indent}  `, out);
      return;
    case 'pco':
      out.push(`${head}: configuration protocol ${v.pco.configurationProtocol}`);
      for (const c of v.pco.containers) out.push(`${indent}  Container ${hex(c.id, 4)}${c.name !== undefined ? ` ${c.name}` : ''} (${c.hex.length / 2} octets)${containerValue(c)}`);
      return;
    default:
      out.push(`${head}: ${scalarValue(v)}`);
  }
}

function containerValue(c: PcoContainerRecord): string {
  if (c.address !== undefined) return `: ${c.address}`;
  if (c.mtu !== undefined) return `: ${c.mtu}`;
  if (c.ipcp !== undefined) return `: ${inlineFields({ code: c.ipcp.code, primaryDns: c.ipcp.primaryDns, secondaryDns: c.ipcp.secondaryDns })}`;
  return c.hex.length > 0 ? `: ${c.hex}` : '';
}

function scalarValue(v: Exclude<Gtpv2IeValueRecord, { kind: 'grouped' } | { kind: 'pco' }>): string {
  switch (v.kind) {
    case 'digits':
      return v.digits;
    case 'cause': {
      const flags = [v.pce ? 'PCE' : '', v.bce ? 'BCE' : '', v.cs ? 'CS' : ''].filter((f) => f !== '').join(' ');
      const offending = v.offendingIe !== undefined ? ` offending IE ${v.offendingIe.type} i=${v.offendingIe.instance}` : '';
      return `${v.name ?? 'Cause'} (${v.cause})${flags !== '' ? ` ${flags}` : ''}${offending}`;
    }
    case 'uint':
      return v.name !== undefined ? `${v.name} (${v.value})` : String(v.value);
    case 'name':
      return v.name;
    case 'ambr':
      return `uplink ${v.uplinkKbps} kbps, downlink ${v.downlinkKbps} kbps`;
    case 'ip-address':
      return v.address;
    case 'paa':
      return inlineFields({ pdnType: v.pdnTypeName ?? v.pdnType, ipv4: v.ipv4, ipv6: v.ipv6, prefixLength: v.ipv6PrefixLength });
    case 'bearer-qos':
      return `QCI ${v.qci} ARP PL ${v.pl} PCI ${v.pci} PVI ${v.pvi}; MBR ${v.mbrUplinkKbps}/${v.mbrDownlinkKbps} kbps, GBR ${v.gbrUplinkKbps}/${v.gbrDownlinkKbps} kbps (up/down)`;
    case 'flow-qos':
      return `QCI ${v.qci}; MBR ${v.mbrUplinkKbps}/${v.mbrDownlinkKbps} kbps, GBR ${v.gbrUplinkKbps}/${v.gbrDownlinkKbps} kbps (up/down)`;
    case 'plmn':
      return `MCC ${v.mcc} MNC ${v.mnc}`;
    case 'uli':
      return inlineFields(v.uli);
    case 'f-teid':
      return inlineFields({ interface: v.interfaceName ?? v.interfaceType, teid: hex(v.teid, 8), ipv4: v.ipv4, ipv6: v.ipv6 });
    case 'time-zone':
      return `UTC${utcOffset(v.quarterHours)}, daylight saving +${v.daylightSavingHours} h`;
    case 'raw':
      return v.hex;
    case 'invalid':
      return `${v.hex} [Invalid: ${v.reason}]`;
  }
}

/** TS 24.008 §10.5.3.8: the zone in quarter hours, as "+01:45". */
function utcOffset(quarterHours: number): string {
  const q = Math.abs(quarterHours);
  return `${quarterHours < 0 ? '-' : '+'}${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;
}
