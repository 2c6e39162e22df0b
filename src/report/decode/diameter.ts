// Diameter messages as decode records (RFC 6733 §3 header, §4 AVPs): the header, the command
// and application names, and the AVP tree with each value read as its dictionary type.
import type { DecodeError } from '../../decode-error.js';
import type { DiameterEvent } from '../../pipeline/events.js';
import type { DiameterAvp, DiameterFlags } from '../../protocols/diameter/types.js';
import { recordMeta, type RecordMeta } from './record.js';

export interface DiameterAvpRecord {
  readonly code: number;
  /** 0 when the V bit is clear. */
  readonly vendorId: number;
  readonly name?: string;
  readonly flags: { readonly vendor: boolean; readonly mandatory: boolean; readonly protected: boolean };
  /** AVP Length field (header + data, no padding). */
  readonly length: number;
  /** Dictionary type; "Unknown" when the dictionary lacks the AVP, "Invalid" when the data does not fit the type. */
  readonly type: string;
  /**
   * Text types: the text; OctetString, Unknown, Invalid: hex; 32-bit numbers and Enumerated: a
   * number; Integer64 / Unsigned64: a decimal string (exact beyond 2^53); Address: the address;
   * Time: ISO 8601. Absent for Grouped.
   */
  readonly value?: string | number;
  /** Enumerated: the name of the value. */
  readonly enum?: string;
  /** Address: IANA address family number. */
  readonly family?: number;
  /** Time: seconds since the Unix epoch. */
  readonly unix?: number;
  /** Invalid: why the data does not fit the type. */
  readonly error?: string;
  /** Grouped: the member AVPs. */
  readonly avps?: readonly DiameterAvpRecord[];
}

export interface DiameterRecord extends RecordMeta {
  readonly proto: 'diameter';
  readonly version: number;
  readonly length: number;
  readonly flags: DiameterFlags;
  readonly commandCode: number;
  readonly commandName?: string;
  /** "AIR", "CCA"... */
  readonly commandAbbrev?: string;
  readonly applicationId: number;
  readonly applicationName?: string;
  /** "S6a", "Cx", "Gx", "Gy/Ro", "Rx", "base"... */
  readonly interface?: string;
  readonly hopByHop: number;
  readonly endToEnd: number;
  readonly avps: readonly DiameterAvpRecord[];
  readonly errors: readonly DecodeError[];
}

export function diameterRecord(event: DiameterEvent): DiameterRecord {
  const m = event.message;
  return {
    ...recordMeta(event.meta),
    proto: 'diameter',
    version: m.version,
    length: m.length,
    flags: m.flags,
    commandCode: m.commandCode,
    ...(m.commandName !== undefined ? { commandName: m.commandName } : {}),
    ...(m.commandAbbrev !== undefined ? { commandAbbrev: m.commandAbbrev } : {}),
    applicationId: m.applicationId,
    ...(m.applicationName !== undefined ? { applicationName: m.applicationName } : {}),
    ...(m.interfaceName !== undefined ? { interface: m.interfaceName } : {}),
    hopByHop: m.hopByHop,
    endToEnd: m.endToEnd,
    avps: m.avps.map(avpRecord),
    errors: m.errors,
  };
}

function avpRecord(a: DiameterAvp): DiameterAvpRecord {
  const head = {
    code: a.code,
    vendorId: a.vendorId,
    ...(a.name !== undefined ? { name: a.name } : {}),
    flags: a.flags,
    length: a.length,
  };
  const v = a.value;
  switch (v.type) {
    case 'Grouped':
      return { ...head, type: v.type, avps: v.avps.map(avpRecord) };
    case 'OctetString':
    case 'Unknown':
      return { ...head, type: v.type, value: v.hex };
    case 'Invalid':
      return { ...head, type: v.type, value: v.hex, error: v.reason };
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
    case 'IPFilterRule':
      return { ...head, type: v.type, value: v.text };
    case 'Integer32':
    case 'Unsigned32':
    case 'Float32':
    case 'Float64':
      return { ...head, type: v.type, value: v.value };
    case 'Integer64':
    case 'Unsigned64':
      return { ...head, type: v.type, value: v.value.toString() };
    case 'Enumerated':
      return { ...head, type: v.type, value: v.value, ...(v.name !== undefined ? { enum: v.name } : {}) };
    case 'Address':
      return { ...head, type: v.type, value: v.text, family: v.family };
    case 'Time':
      return { ...head, type: v.type, value: v.iso, unix: v.unixSeconds };
  }
}

const hex32 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** tshark's flag notation: one letter per set bit, "-" per clear one. */
function flagLetters(bits: readonly [boolean, string][]): string {
  return bits.map(([set, letter]) => (set ? letter : '-')).join('');
}

export function diameterText(r: DiameterRecord, indent: string): string[] {
  const kind = r.flags.request ? 'Request' : 'Answer';
  const name = r.commandName !== undefined ? `${r.commandName} ${kind}${r.commandAbbrev !== undefined ? ` (${r.commandAbbrev})` : ''}` : `Command ${r.commandCode} ${kind}`;
  const app = `${r.applicationId}${r.applicationName !== undefined ? ` (${r.applicationName})` : ''}`;
  const flags = flagLetters([[r.flags.request, 'R'], [r.flags.proxiable, 'P'], [r.flags.error, 'E'], [r.flags.retransmitted, 'T']]);
  const lines = [
    `${indent}Diameter ${name}${r.interface !== undefined ? `  [${r.interface}]` : ''}`,
    `${indent}  version ${r.version}  length ${r.length}  flags ${flags}  cmd ${r.commandCode}  app ${app}`,
    `${indent}  hop-by-hop ${hex32(r.hopByHop)}  end-to-end ${hex32(r.endToEnd)}`,
  ];
  for (const a of r.avps) avpText(a, `${indent}  `, lines);
  for (const e of r.errors) lines.push(`${indent}  [Malformed: ${e.reason}]`);
  return lines;
}

function avpText(a: DiameterAvpRecord, indent: string, out: string[]): void {
  const name = a.name ?? 'Unknown AVP';
  const vendor = a.vendorId !== 0 ? ` vnd=${a.vendorId}` : '';
  const flags = flagLetters([[a.flags.vendor, 'V'], [a.flags.mandatory, 'M'], [a.flags.protected, 'P']]);
  const head = `${indent}AVP ${name} (${a.code})${vendor} l=${a.length} f=${flags}`;
  if (a.avps !== undefined) {
    out.push(head);
    for (const member of a.avps) avpText(member, `${indent}  `, out);
    return;
  }
  let value = String(a.value);
  if (a.enum !== undefined) value = `${a.enum} (${value})`;
  if (a.error !== undefined) value = `${value} [Invalid: ${a.error}]`;
  out.push(`${head}: ${value}`);
}
