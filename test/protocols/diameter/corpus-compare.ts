// Compares the Diameter decoder with tshark on a real capture: every PDU tshark dissects is
// decoded from its raw bytes, then header fields, command / application names and a broad
// sample of AVP values are checked against tshark's own output for the same frame.
import assert from 'node:assert/strict';
import { decodeDiameterMessage } from '../../../src/protocols/diameter/decode.js';
import { avpNumber, avpText, findAvps } from '../../../src/protocols/diameter/query.js';
import { isDecodeError } from '../../../src/decode-error.js';
import type { DiameterAvp, DiameterMessage } from '../../../src/protocols/diameter/types.js';
import { tsharkFields, tsharkPdus, type FieldRow } from './tshark-oracle.js';

const TGPP = 10415;

export type Show = (avp: DiameterAvp) => string;

export const text: Show = (a) => avpText(a) ?? `<${a.value.type}>`;
export const num: Show = (a) => {
  const v = a.value;
  if (v.type === 'Integer64' || v.type === 'Unsigned64') return v.value.toString();
  return String(avpNumber(a) ?? `<${v.type}>`);
};
export const octets: Show = (a) => (a.value.type === 'OctetString' ? a.value.hex : `<${a.value.type}>`);
export const time: Show = (a) => (a.value.type === 'Time' ? a.value.iso : `<${a.value.type}>`);

/** tshark prints Address AVPs as the hex of their data; read it as an address independently. */
export function addressFromHex(hex: string): string {
  const b = Buffer.from(hex, 'hex');
  const body = b.length === 6 || b.length === 18 ? b.subarray(2) : b;
  if (body.length === 4) return [...body].join('.');
  if (body.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(body.readUInt16BE(i).toString(16));
    return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1); // WHATWG URL serialises IPv6 compressed
  }
  return hex;
}

/** tshark's absolute time "May  5, 2021 20:29:58.000000000 UTC" as ISO 8601. */
export function isoFromTshark(s: string): string {
  const m = /^(\w+)\s+(\d+), (\d+) (\d\d:\d\d:\d\d)\.(\d{3})\d* UTC$/.exec(s);
  if (!m) return `<unparsed ${s}>`;
  return new Date(`${m[1]} ${m[2]}, ${m[3]} ${m[4]}.${m[5]} UTC`).toISOString();
}

/** tshark -T fields escapes control characters in strings. */
function unescapeTshark(s: string): string {
  return s.replace(/\\([nrt\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '\\': '\\' })[c]!);
}

export interface AvpCheck {
  readonly field: string;
  readonly code: number;
  readonly vendorId: number;
  readonly show: Show;
  /** Turns one tshark value into the form `show` produces. */
  readonly oracle?: (tsharkValue: string) => string;
}

export const check = (field: string, code: number, vendorId: number, show: Show, oracle?: (v: string) => string): AvpCheck =>
  oracle === undefined ? { field: `diameter.${field}`, code, vendorId, show } : { field: `diameter.${field}`, code, vendorId, show, oracle };

export const AVP_CHECKS: readonly AvpCheck[] = [
  check('Session-Id', 263, 0, text),
  check('Origin-Host', 264, 0, text),
  check('Origin-Realm', 296, 0, text),
  check('Destination-Host', 293, 0, text),
  check('Destination-Realm', 283, 0, text),
  check('Origin-State-Id', 278, 0, num),
  check('Result-Code', 268, 0, num),
  check('Experimental-Result-Code', 298, 0, num),
  check('Auth-Application-Id', 258, 0, num),
  check('Vendor-Id', 266, 0, num),
  check('User-Name', 1, 0, text),
  check('Termination-Cause', 295, 0, num),
  check('Event-Timestamp', 55, 0, time, isoFromTshark),
  check('CC-Request-Type', 416, 0, num),
  check('CC-Request-Number', 415, 0, num),
  check('Rating-Group', 432, 0, num),
  check('Service-Identifier', 439, 0, num),
  check('Subscription-Id-Type', 450, 0, num),
  check('Subscription-Id-Data', 444, 0, text),
  check('CC-Input-Octets', 412, 0, num),
  check('CC-Output-Octets', 414, 0, num),
  check('CC-Total-Octets', 421, 0, num),
  check('CC-Time', 420, 0, num),
  check('Validity-Time', 448, 0, num),
  check('Service-Context-Id', 461, 0, text),
  check('Value-Digits', 447, 0, num),
  check('Exponent', 429, 0, num),
  check('Currency-Code', 425, 0, num),
  check('Tariff-Time-Change', 451, 0, time, isoFromTshark),
  check('User-Equipment-Info-Value', 460, 0, octets),
  check('Called-Station-Id', 30, 0, text),
  check('Framed-IP-Address', 8, 0, text, addressFromHex),
  check('Framed-IPv6-Prefix', 97, 0, octets),
  check('Service-Selection', 493, 0, text),
  check('MIP-Home-Agent-Address', 334, 0, text, addressFromHex),
  check('3GPP-SGSN-Address', 6, TGPP, text, addressFromHex),
  check('3GPP-GGSN-Address', 7, TGPP, text, addressFromHex),
  check('3GPP-Charging-Characteristics', 13, TGPP, text),
  check('3GPP-RAT-Type', 21, TGPP, octets),
  check('3GPP-User-Location-Info', 22, TGPP, octets),
  check('QoS-Class-Identifier', 1028, TGPP, num),
  check('APN-Aggregate-Max-Bitrate-UL', 1041, TGPP, num),
  check('APN-Aggregate-Max-Bitrate-DL', 1040, TGPP, num),
  check('Priority-Level', 1046, TGPP, num),
  check('Pre-emption-Capability', 1047, TGPP, num),
  check('Pre-emption-Vulnerability', 1048, TGPP, num),
  check('Charging-Rule-Name', 1005, TGPP, octets),
  check('Event-Trigger', 1006, TGPP, num),
  check('IP-CAN-Type', 1027, TGPP, num),
  check('RAT-Type', 1032, TGPP, num),
  check('AN-GW-Address', 1050, TGPP, text, addressFromHex),
  check('Access-Network-Charging-Address', 501, TGPP, text, addressFromHex),
  check('ToS-Traffic-Class', 1014, TGPP, octets),
  check('Served-Party-IP-Address', 848, TGPP, text, addressFromHex),
  check('RAND', 1447, TGPP, octets),
  check('XRES', 1448, TGPP, octets),
  check('AUTN', 1449, TGPP, octets),
  check('KASME', 1450, TGPP, octets),
  check('Visited-PLMN-Id', 1407, TGPP, octets),
  check('ULR-Flags', 1405, TGPP, num),
  check('ULA-Flags', 1406, TGPP, num),
  check('Number-Of-Requested-Vectors', 1410, TGPP, num),
  check('Context-Identifier', 1423, TGPP, num),
  check('Subscriber-Status', 1424, TGPP, num),
  check('Network-Access-Mode', 1417, TGPP, num),
  check('MSISDN', 701, TGPP, octets),
  check('Max-Requested-Bandwidth-UL', 516, TGPP, num),
  check('Max-Requested-Bandwidth-DL', 515, TGPP, num),
  check('Flow-Description', 507, TGPP, text, unescapeTshark),
  check('Codec-Data', 524, TGPP, text, unescapeTshark),
  check('Media-Type', 520, TGPP, num),
  check('Media-Component-Number', 518, TGPP, num),
  check('Flow-Number', 509, TGPP, num),
  check('Flow-Status', 511, TGPP, num),
  check('Flow-Usage', 512, TGPP, num),
  check('Specific-Action', 513, TGPP, num),
  check('Rx-Request-Type', 533, TGPP, num),
  check('Feature-List', 630, TGPP, num),
];

const HEADER_FIELDS = ['diameter.cmd.code', 'diameter.applicationId', 'diameter.flags.request', 'diameter.flags.proxyable', 'diameter.flags.error',
  'diameter.flags.T', 'diameter.hopbyhopid', 'diameter.endtoendid', 'diameter.length', '_ws.col.Info'] as const;

const INFO = /cmd=(.+?) (Request|Answer)\((\d+)\) flags=\S+ appl=(.+?)\((\d+)\)/g;

export interface CompareResult {
  /** Decoded messages with their frame, in dissection order. */
  readonly messages: { frameNo: number; message: DiameterMessage }[];
  /** tshark field → number of frames where a non-empty value was compared. */
  readonly compared: Map<string, number>;
}

/** Runs the comparison for one capture, failing the test on the first difference. */
export function compareWithTshark(file: string, checks: readonly AvpCheck[] = AVP_CHECKS): CompareResult {
  const pdus = tsharkPdus(file, 'diameter');
  const rows = new Map<number, FieldRow>();
  for (const row of tsharkFields(file, 'diameter', [...HEADER_FIELDS, ...checks.map((c) => c.field)])) rows.set(row.frameNo, row);

  const messages: { frameNo: number; message: DiameterMessage }[] = [];
  const byFrame = new Map<number, DiameterMessage[]>();
  for (const pdu of pdus) {
    const m = decodeDiameterMessage(pdu.bytes);
    if (isDecodeError(m)) assert.fail(`frame ${pdu.frameNo}: ${m.reason}`);
    assert.deepEqual(m.errors, [], `frame ${pdu.frameNo}: decode errors`);
    messages.push({ frameNo: pdu.frameNo, message: m });
    const list = byFrame.get(pdu.frameNo) ?? [];
    list.push(m);
    byFrame.set(pdu.frameNo, list);
  }

  const joined = (ms: DiameterMessage[], f: (m: DiameterMessage) => string): string => ms.map(f).join('|');
  let tsharkCount = 0;
  const compared = new Map<string, number>();
  for (const [frameNo, ms] of byFrame) {
    const row = rows.get(frameNo);
    assert.ok(row, `tshark has no row for frame ${frameNo}`);
    const at = `frame ${frameNo}`;
    tsharkCount += row['diameter.cmd.code']!.split('|').length;
    assert.equal(joined(ms, (m) => String(m.commandCode)), row['diameter.cmd.code'], `${at} command code`);
    assert.equal(joined(ms, (m) => String(m.applicationId)), row['diameter.applicationId'], `${at} application id`);
    assert.equal(joined(ms, (m) => (m.flags.request ? '1' : '0')), row['diameter.flags.request'], `${at} R flag`);
    assert.equal(joined(ms, (m) => (m.flags.proxiable ? '1' : '0')), row['diameter.flags.proxyable'], `${at} P flag`);
    assert.equal(joined(ms, (m) => (m.flags.error ? '1' : '0')), row['diameter.flags.error'], `${at} E flag`);
    assert.equal(joined(ms, (m) => (m.flags.retransmitted ? '1' : '0')), row['diameter.flags.T'], `${at} T flag`);
    assert.equal(joined(ms, (m) => `0x${m.hopByHop.toString(16).padStart(8, '0')}`), row['diameter.hopbyhopid'], `${at} hop-by-hop`);
    assert.equal(joined(ms, (m) => `0x${m.endToEnd.toString(16).padStart(8, '0')}`), row['diameter.endtoendid'], `${at} end-to-end`);
    assert.equal(joined(ms, (m) => String(m.length)), row['diameter.length'], `${at} length`);

    const info = [...row['_ws.col.Info']!.matchAll(INFO)];
    assert.equal(info.length, ms.length, `${at} Info column`);
    ms.forEach((m, i) => {
      const [, name, kind, code, appName, appId] = info[i]!;
      assert.equal(m.commandName, name, `${at} command name`);
      assert.equal(m.flags.request ? 'Request' : 'Answer', kind);
      assert.equal(String(m.commandCode), code);
      assert.equal(m.applicationName, appName, `${at} application name`);
      assert.equal(String(m.applicationId), appId);
    });

    for (const c of checks) {
      const expected: string = row[c.field] ?? '';
      const mine = ms.flatMap((m) => findAvps(m, c.code, c.vendorId, { recursive: true }).map(c.show)).join('|');
      const oracle: string = c.oracle === undefined || expected === '' ? expected : expected.split('|').map(c.oracle).join('|');
      assert.equal(mine, oracle, `${at} ${c.field}`);
      if (expected !== '') compared.set(c.field, (compared.get(c.field) ?? 0) + 1);
    }
  }
  assert.equal(messages.length, tsharkCount, 'message count');
  return { messages, compared };
}
