// The dictionary tables against an independent dictionary: Wireshark's Diameter XML, found
// through `tshark -G folders`. Codes, names, types, enumerated values, command and application
// names must agree, apart from the few AVPs whose names follow the 3GPP specifications.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { needTools } from '../../support/environment.js';
import { AVP_DEFINITIONS } from '../../../src/protocols/diameter/avp-dictionary.js';
import { AVP_ENUMS } from '../../../src/protocols/diameter/avp-enums.js';
import { APPLICATIONS, COMMANDS } from '../../../src/protocols/diameter/commands.js';
import { avpDefinition, resultCodeName } from '../../../src/protocols/diameter/dictionary.js';
import { tsharkGlobalConfigDir } from './tshark-oracle.js';

interface WsAvp {
  name: string;
  type: string;
  enums: Map<number, string>;
}

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w-]+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

function loadWireshark(dir: string): { avps: Map<string, WsAvp[]>; commands: Map<number, string[]>; applications: Map<number, string> } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(join(dir, f), 'utf8').replace(/<!--[\s\S]*?-->/g, ''));
  const vendors = new Map<string, number>();
  for (const f of files) for (const m of f.matchAll(/<vendor\s([^>]*)>/g)) {
    const a = attrs(m[1]!);
    if (a['vendor-id'] !== undefined && a.code !== undefined) vendors.set(a['vendor-id'], Number(a.code));
  }
  const avps = new Map<string, WsAvp[]>();
  const commands = new Map<number, string[]>();
  const applications = new Map<number, string>();
  for (const f of files) {
    for (const m of f.matchAll(/<avp\s([^>]*?)>([\s\S]*?)<\/avp>/g)) {
      const a = attrs(m[1]!);
      const body = m[2]!;
      const vendor = vendors.get(a['vendor-id'] ?? 'None') ?? 0;
      const type = body.includes('<grouped') ? 'Grouped' : (/<type type-name="([^"]+)"/.exec(body)?.[1] ?? '?');
      const enums = new Map<number, string>();
      for (const e of body.matchAll(/<enum\s([^>]*)>/g)) {
        const ea = attrs(e[1]!);
        enums.set(Number(ea.code), ea.name!);
      }
      const key = `${vendor}:${a.code}`;
      avps.set(key, [...(avps.get(key) ?? []), { name: a.name!, type, enums }]);
    }
    for (const m of f.matchAll(/<command\s([^>]*)>/g)) {
      const a = attrs(m[1]!);
      commands.set(Number(a.code), [...(commands.get(Number(a.code)) ?? []), a.name!]);
    }
    for (const m of f.matchAll(/<application\s([^>]*)>/g)) {
      const a = attrs(m[1]!);
      applications.set(Number(a.id), a.name!);
    }
  }
  return { avps, commands, applications };
}

// Names from the 3GPP / IETF specifications where Wireshark's dictionary spells them otherwise.
const SPEC_NAMES: Readonly<Record<string, string>> = {
  '0:50': 'Accounting-Multi-Session-Id', // RFC 6733 §9.8.5 Acct-Multi-Session-Id
  '10415:606': 'Cx-User-Data', // TS 29.229 User-Data
  '10415:607': '3GPP-SIP-Number-Auth-Items',
  '10415:608': '3GPP-SIP-Authentication-Scheme',
  '10415:609': '3GPP-SIP-Authenticate',
  '10415:610': '3GPP-SIP-Authorization',
  '10415:612': '3GPP-SIP-Auth-Data-Item',
  '10415:613': '3GPP-SIP-Item-Number',
  '10415:702': 'Sh-User-Data', // TS 29.329 User-Data
  '10415:824': '3GPP-SIP-Method', // TS 32.299 SIP-Method
  '10415:872': '3GPP-Reporting-Reason', // TS 32.299 Reporting-Reason
  '10415:1015': 'PDP-Session-operation', // TS 29.212 PDP-Session-Operation
};

// Wireshark types the dictionary reads the same way under the RFC 6733 name.
const SAME_TYPE: Readonly<Record<string, string>> = {
  IPAddress: 'Address',
  AppId: 'Unsigned32',
  VendorId: 'Unsigned32',
  OctetStringOrUTF8: 'OctetString',
  QoSFilterRule: 'IPFilterRule',
};

// Enumerated value names that follow the specification text rather than Wireshark.
const SPEC_ENUM_NAMES = new Set([
  '10415:1019:2', // TS 29.212 TEMPORARILY_INACTIVE
  '10415:1031:9', // TS 29.212 MISSING_FLOW_INFORMATION
  '10415:1032:1006', // TS 29.212 NR
]);

// Enumerated values of later releases that Wireshark's dictionary does not list yet.
const SPEC_ONLY_VALUES = new Set([
  ...[67, 75, 79, 80, 82, 83, 84, 85].map((qci) => `10415:1028:${qci}`), // TS 23.203 Table 6.1.7-A QCIs
  '10415:1068:2', // TS 29.212 ADC_RULE_LEVEL
  '10415:1456:5', // TS 29.272 Ethernet
]);

const normalise = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

test('AVP codes, names, types and enumerated values agree with Wireshark\'s dictionary', (t) => {
  if (!needTools(t, 'tshark')) return;
  const dir = join(tsharkGlobalConfigDir() ?? '', 'diameter');
  if (!existsSync(dir)) return t.skip('tshark has no Diameter dictionary');
  const ws = loadWireshark(dir);
  for (const [code, vendorId, name, type] of AVP_DEFINITIONS) {
    const key = `${vendorId}:${code}`;
    const theirs = ws.avps.get(key);
    assert.ok(theirs, `${name} (${key}) is not in Wireshark's dictionary`);
    const expectedName = SPEC_NAMES[key] ?? name;
    const match = theirs.find((d) => d.name === expectedName);
    assert.ok(match, `${key}: ${name} vs ${theirs.map((d) => d.name).join(', ')}`);
    const theirType = SAME_TYPE[match.type] ?? match.type;
    if (key === '0:268' || key === '0:298') assert.equal(theirType, 'Enumerated'); // Unsigned32 in RFC 6733 §7.1 / §7.7
    else assert.equal(type, theirType, `${name} type`);
    for (const [value, label] of Object.entries(AVP_ENUMS[key] ?? {})) {
      const theirLabel = match.enums.get(Number(value));
      const at = `${key}:${value}`;
      if (SPEC_ONLY_VALUES.has(at)) {
        assert.equal(theirLabel, undefined, `${at} is in Wireshark's dictionary now`);
        continue;
      }
      assert.ok(theirLabel !== undefined, `${name} value ${value} is not in Wireshark's dictionary`);
      assert.equal(normalise(label) === normalise(theirLabel), !SPEC_ENUM_NAMES.has(at), `${name} value ${value}: ${label} / ${theirLabel}`);
    }
  }
  for (const key of Object.keys(AVP_ENUMS)) {
    const [vendorId, code] = key.split(':').map(Number);
    assert.equal(avpDefinition(code!, vendorId!)?.type, 'Enumerated', `${key} has names but is not Enumerated`);
  }
  for (const [code, name] of COMMANDS) assert.ok(ws.commands.get(code)?.includes(name), `command ${code} ${name}`);
  for (const [id, name] of APPLICATIONS) assert.equal(ws.applications.get(id), name, `application ${id}`);
  const resultCodes = ws.avps.get('0:268')![0]!.enums;
  for (const code of [2001, 3002, 4001, 5001, 5004, 5012, 4012, 5030]) assert.equal(resultCodeName(code), resultCodes.get(code), `Result-Code ${code}`);
  const experimental = ws.avps.get('0:298')![0]!.enums;
  for (const code of [2001, 2004, 5001, 5003, 5065, 5420, 4181, 5143]) assert.equal(resultCodeName(code, 10415), experimental.get(code), `Experimental-Result-Code ${code}`);
});

test('lookups are scoped by vendor: the same code names different AVPs', () => {
  assert.equal(avpDefinition(458, 0)?.name, 'User-Equipment-Info');
  assert.equal(avpDefinition(458, 13019)?.name, 'Reservation-Priority');
  assert.equal(avpDefinition(1, 0)?.name, 'User-Name');
  assert.equal(avpDefinition(1, 10415)?.name, '3GPP-IMSI');
  assert.equal(avpDefinition(601, 0), undefined);
  assert.equal(resultCodeName(5001, 99), undefined);
});
