// Diameter and GTPv2-C through the whole pipeline (capture reader → network layer with TCP and
// SCTP reassembly → dispatcher → decoders → `imscap decode --format json`), checked against
// tshark on every Diameter / GTPv2 capture of the corpus and on a built Cx capture whose
// messages are split across TCP segments: the (frame, command code, application id, R flag)
// and (frame, message type) lists, and a broad sample of AVP / IE values per frame.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFile, needTools } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { AVP_CHECKS, check, num, octets, text, type AvpCheck } from '../protocols/diameter/corpus-compare.js';
import { ipv4Tcp, rawIpCapture, tsharkFields, type FieldRow } from '../protocols/diameter/tshark-oracle.js';
import { avp, avp3gpp, concat, diameter, hex, u32, utf8, TGPP } from '../protocols/diameter/build.js';
import { IE_CHECKS, allIes } from '../protocols/gtpv2/corpus-compare.js';
import type { Gtpv2Ie } from '../../src/protocols/gtpv2/types.js';
import type { DiameterAvpRecord, DiameterRecord } from '../../src/report/decode/diameter.js';
import type { Gtpv2Record } from '../../src/report/decode/gtpv2.js';

const CAPTURES = [
  'magma__gx_gy_combined_03_210505_132953-1.pcapng',
  'magma__inbound_roaming_01_210505_130828-1.pcapng',
  'nDPI__diameter.pcap',
  'pyhss__Diameter_AIA2.pcapng',
  'SSMTK-projekt__VoNR_poziv_PJSUA.pcap',
];

/** The IMS AVPs (TS 29.229 Cx) the corpus lacks; the built capture below carries them. */
const CX_CHECKS: readonly AvpCheck[] = [
  check('Public-Identity', 601, TGPP, text),
  check('Server-Name', 602, TGPP, text),
  check('3GPP-SIP-Number-Auth-Items', 607, TGPP, num),
  check('3GPP-SIP-Item-Number', 613, TGPP, num),
  check('3GPP-SIP-Authentication-Scheme', 608, TGPP, text),
  check('3GPP-SIP-Authenticate', 609, TGPP, octets),
  check('3GPP-SIP-Authorization', 610, TGPP, octets),
  check('Confidentiality-Key', 625, TGPP, octets),
  check('Integrity-Key', 626, TGPP, octets),
];

const CHECKS = [...AVP_CHECKS, ...CX_CHECKS];

async function decodeJson<T>(file: string, args: readonly string[]): Promise<T[]> {
  const r = await runCli(['decode', file, '--format', 'json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T[];
}

function byFrame<T extends { frame: number }>(records: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of records) out.set(r.frame, [...(out.get(r.frame) ?? []), r]);
  return out;
}

/** Every AVP with this code and vendor, depth first in message order (the order tshark lists them). */
function findAvps(avps: readonly DiameterAvpRecord[], code: number, vendorId: number, out: DiameterAvpRecord[] = []): DiameterAvpRecord[] {
  for (const a of avps) {
    if (a.code === code && a.vendorId === vendorId) out.push(a);
    if (a.avps !== undefined) findAvps(a.avps, code, vendorId, out);
  }
  return out;
}

/** The JSON value as the checks' oracles write it: text, decimal, hex, address or ISO time. */
const shown = (a: DiameterAvpRecord): string => (a.value === undefined ? `<${a.type}>` : String(a.value));

const split = (cell: string | undefined): string[] => (cell === undefined || cell === '' ? [] : cell.split('|'));

const DIAMETER_HEADER = ['diameter.cmd.code', 'diameter.applicationId', 'diameter.flags.request'];

/** tshark's rows for the frames holding Diameter or GTPv2-C, with every field both comparisons read. */
function tsharkRows(file: string, checks: readonly AvpCheck[]): FieldRow[] {
  return tsharkFields(file, 'diameter || gtpv2', [...DIAMETER_HEADER, ...checks.map((c) => c.field), 'gtpv2.message_type', ...IE_CHECKS.map((k) => k.field)]);
}

/** Fails on the first difference; returns field → frames where tshark had a value to compare. */
function compareDiameter(allRows: readonly FieldRow[], records: readonly DiameterRecord[], checks: readonly AvpCheck[]): Map<string, number> {
  const rows = allRows.filter((row) => split(row['diameter.cmd.code']).length > 0);
  const expected = rows.flatMap((row) => {
    const apps = split(row['diameter.applicationId']);
    const requests = split(row['diameter.flags.request']);
    return split(row['diameter.cmd.code']).map((code, i) => `frame ${row.frameNo}: cmd ${code} app ${apps[i]} R=${requests[i]}`);
  });
  assert.deepEqual(records.map((r) => `frame ${r.frame}: cmd ${r.commandCode} app ${r.applicationId} R=${r.flags.request ? 1 : 0}`), expected);
  const mine = byFrame(records);
  const compared = new Map<string, number>();
  for (const row of rows) {
    const messages = mine.get(row.frameNo) ?? [];
    for (const c of checks) {
      const theirs = split(row[c.field]);
      const oracle = c.oracle;
      const want = oracle === undefined ? theirs : theirs.map((v) => oracle(v));
      const got = messages.flatMap((m) => findAvps(m.avps, c.code, c.vendorId).map(shown));
      assert.deepEqual(got, want, `frame ${row.frameNo} ${c.field}`);
      if (theirs.length > 0) compared.set(c.field, (compared.get(c.field) ?? 0) + 1);
    }
    for (const m of messages) assert.deepEqual(m.errors, [], `frame ${row.frameNo}: decode errors`);
  }
  return compared;
}

function compareGtpv2(allRows: readonly FieldRow[], records: readonly Gtpv2Record[]): Map<string, number> {
  const rows = allRows.filter((row) => split(row['gtpv2.message_type']).length > 0);
  const expected = rows.flatMap((row) => split(row['gtpv2.message_type']).map((t) => `frame ${row.frameNo}: type ${t}`));
  assert.deepEqual(records.map((r) => `frame ${r.frame}: type ${r.messageType}`), expected);
  const mine = byFrame(records);
  const compared = new Map<string, number>();
  for (const row of rows) {
    const messages = mine.get(row.frameNo) ?? [];
    // The JSON IE records keep the decoder's value shapes, so the decoder-level checks read them.
    const ies = messages.flatMap((m) => allIes(m.ies as unknown as readonly Gtpv2Ie[]));
    for (const k of IE_CHECKS) {
      const theirs: string = row[k.field] ?? '';
      const oracle = k.oracle;
      const want = oracle === undefined || theirs === '' ? theirs : theirs.split('|').map((v) => oracle(v)).join('|');
      const got = ies.filter((ie) => k.types === undefined || k.types.includes(ie.type)).flatMap(k.show).join('|');
      assert.equal(got, want, `frame ${row.frameNo} ${k.field}`);
      if (theirs !== '') compared.set(k.field, (compared.get(k.field) ?? 0) + 1);
    }
    for (const m of messages) assert.deepEqual(m.errors, [], `frame ${row.frameNo}: decode errors`);
  }
  return compared;
}

function add(total: Map<string, number>, part: Map<string, number>): void {
  for (const [k, v] of part) total.set(k, (total.get(k) ?? 0) + v);
}

test('corpus Diameter and GTPv2-C captures through imscap decode: messages and sampled values equal tshark', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const diameterCompared = new Map<string, number>();
  const gtpCompared = new Map<string, number>();
  let diameterMessages = 0;
  let gtpMessages = 0;
  for (const name of CAPTURES) {
    await t.test(name, async (st: TestContext) => {
      const file = corpusFile(st, name);
      if (file === undefined) return;
      const records = await decodeJson<DiameterRecord | Gtpv2Record>(file, ['--proto', 'diameter,gtpv2']);
      const d = records.filter((r): r is DiameterRecord => r.proto === 'diameter');
      const g = records.filter((r): r is Gtpv2Record => r.proto === 'gtpv2');
      assert.ok(d.length > 0, 'the capture holds Diameter');
      const rows = tsharkRows(file, CHECKS);
      add(diameterCompared, compareDiameter(rows, d, CHECKS));
      add(gtpCompared, compareGtpv2(rows, g));
      diameterMessages += d.length;
      gtpMessages += g.length;
    });
  }
  if (diameterMessages === 0) return;
  // MANIFEST.tsv: 124 + 94 + 6 + 2 + 6 Diameter messages, 4 GTPv2-C (inbound roaming).
  assert.equal(diameterMessages, 232);
  assert.equal(gtpMessages, 4);
  for (const field of ['Session-Id', 'Origin-Host', 'Origin-Realm', 'Result-Code', 'QoS-Class-Identifier', 'APN-Aggregate-Max-Bitrate-UL', 'APN-Aggregate-Max-Bitrate-DL',
    'RAND', 'XRES', 'AUTN', 'KASME', 'MSISDN', 'Subscription-Id-Data', 'CC-Request-Type', 'Flow-Description', 'Framed-IP-Address', 'Event-Timestamp']) {
    assert.ok((diameterCompared.get(`diameter.${field}`) ?? 0) > 0, `${field} was compared`);
  }
  for (const field of ['e212.imsi', 'e164.msisdn', 'gtpv2.apn', 'gtpv2.ambr_up', 'gtpv2.ambr_down', 'gtpv2.bearer_qos_label_qci', 'gtpv2.ecgi_eci', 'e212.ecgi.mcc',
    'gtpv2.cellid', 'gsm_a.gm.sm.pco.pcscf.ipv4', 'gtpv2.f_teid_gre_key', 'gtpv2.cause']) {
    assert.ok((gtpCompared.get(field) ?? 0) > 0, `${field} was compared`);
  }
});

// ---- a built Cx capture: IMS AVPs, messages split across TCP segments, two in one segment ----

const CX = 16777216;
const SCSCF = [avp(264, utf8('scscf.ims.example')), avp(296, utf8('ims.example'))];
const vsai = avp(260, concat(avp(266, u32(TGPP)), avp(258, u32(CX))));
const session = (n: number): Uint8Array => avp(263, utf8(`scscf.ims.example;${n};cx`));
const authItem = (n: number, rand: string, autn: string, xres: string, ck: string, ik: string): Uint8Array =>
  avp3gpp(612, concat(avp3gpp(613, u32(n)), avp3gpp(608, utf8('Digest-AKAv1-MD5')), avp3gpp(609, hex(rand + autn)), avp3gpp(610, hex(xres)), avp3gpp(625, hex(ck)), avp3gpp(626, hex(ik))));

// TS 29.229 §6.1.1–§6.1.8: UAR/UAA (Experimental-Result), MAR/MAA (two SIP-Auth-Data-Items), SAR/SAA.
const TO_HSS = [
  diameter({ commandCode: 300, applicationId: CX, request: true, hopByHop: 1, endToEnd: 11, avps: [
    session(1), vsai, avp(277, u32(1)), ...SCSCF, avp(283, utf8('ims.example')), avp(1, utf8('alice@ims.example')), avp3gpp(601, utf8('sip:alice@ims.example')),
    avp3gpp(600, utf8('ims.example')),
  ] }),
  diameter({ commandCode: 303, applicationId: CX, request: true, hopByHop: 2, endToEnd: 12, avps: [
    session(2), vsai, avp(277, u32(1)), ...SCSCF, avp(1, utf8('alice@ims.example')), avp3gpp(601, utf8('sip:alice@ims.example')), avp3gpp(607, u32(2)),
    avp3gpp(612, avp3gpp(608, utf8('Digest-AKAv1-MD5'))), avp3gpp(602, utf8('sip:scscf.ims.example:6060')),
  ] }),
  diameter({ commandCode: 301, applicationId: CX, request: true, hopByHop: 3, endToEnd: 13, avps: [
    session(3), vsai, avp(277, u32(1)), ...SCSCF, avp3gpp(601, utf8('sip:alice@ims.example')), avp3gpp(601, utf8('tel:+15551234567')),
    avp3gpp(602, utf8('sip:scscf.ims.example:6060')), avp3gpp(614, u32(1)), avp3gpp(624, u32(0)),
  ] }),
];
const FROM_HSS = [
  diameter({ commandCode: 300, applicationId: CX, request: false, hopByHop: 1, endToEnd: 11, avps: [
    session(1), vsai, avp(277, u32(1)), avp(297, concat(avp(266, u32(TGPP)), avp(298, u32(2001)))), avp3gpp(602, utf8('sip:scscf.ims.example:6060')),
  ] }),
  diameter({ commandCode: 303, applicationId: CX, request: false, hopByHop: 2, endToEnd: 12, avps: [
    session(2), vsai, avp(268, u32(2001)), avp(277, u32(1)), avp(1, utf8('alice@ims.example')), avp3gpp(601, utf8('sip:alice@ims.example')), avp3gpp(607, u32(2)),
    authItem(1, 'a1'.repeat(16), 'b2'.repeat(16), 'c3'.repeat(8), 'd4'.repeat(16), 'e5'.repeat(16)),
    authItem(2, '0f'.repeat(16), '1e'.repeat(16), '2d'.repeat(8), '3c'.repeat(16), '4b'.repeat(16)),
  ] }),
  diameter({ commandCode: 301, applicationId: CX, request: false, hopByHop: 3, endToEnd: 13, avps: [
    session(3), vsai, avp(268, u32(2001)), avp3gpp(606, utf8('<?xml version="1.0"?><IMSSubscription/>')),
  ] }),
];

/** Frames: UAR | UAA | MAR+SAR in one segment | MAA in three segments | SAA. */
function cxCapture(t: TestContext): string {
  const toHss = { src: [10, 0, 0, 1], dst: [10, 0, 0, 2], srcPort: 40001, dstPort: 3868 };
  const fromHss = { src: [10, 0, 0, 2], dst: [10, 0, 0, 1], srcPort: 3868, dstPort: 40001 };
  let up = 1000;
  let down = 5000;
  const send = (ep: typeof toHss, bytes: Uint8Array): Uint8Array => {
    const upward = ep === toHss;
    const p = ipv4Tcp(ep, upward ? up : down, bytes);
    if (upward) up += bytes.length;
    else down += bytes.length;
    return p;
  };
  const [uar, mar, sar] = TO_HSS as [Uint8Array, Uint8Array, Uint8Array];
  const [uaa, maa, saa] = FROM_HSS as [Uint8Array, Uint8Array, Uint8Array];
  const third = Math.floor(maa.length / 3);
  return rawIpCapture(t, 'cx-split.pcap', [
    send(toHss, uar),
    send(fromHss, uaa),
    send(toHss, concat(mar, sar)),
    send(fromHss, maa.subarray(0, third)),
    send(fromHss, maa.subarray(third, 2 * third)),
    send(fromHss, maa.subarray(2 * third)),
    send(fromHss, saa),
  ]);
}

test('built Cx capture through imscap decode: reassembled messages and IMS AVPs equal tshark', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const file = cxCapture(t);
  const records = await decodeJson<DiameterRecord>(file, ['--proto', 'diameter']);
  // The test's own layout: MAR and SAR share frame 3, the MAA completes in frame 6.
  assert.deepEqual(records.map((r) => `${r.frame}:${r.commandAbbrev}`), ['1:UAR', '2:UAA', '3:MAR', '3:SAR', '6:MAA', '7:SAA']);
  const compared = compareDiameter(tsharkRows(file, CHECKS), records, CHECKS);
  for (const c of CX_CHECKS) assert.ok((compared.get(c.field) ?? 0) > 0, `${c.field} was compared`);
  for (const field of ['Experimental-Result-Code', 'Session-Id', 'Origin-Host', 'Result-Code']) assert.ok((compared.get(`diameter.${field}`) ?? 0) > 0, `${field} was compared`);
});

test('built Cx capture: a message reassembled from TCP segments starts at tshark\'s first segment', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const file = cxCapture(t);
  const records = await decodeJson<DiameterRecord>(file, ['--proto', 'diameter']);
  const rows: FieldRow[] = tsharkFields(file, 'diameter', ['tcp.segment']);
  const firstSegment = new Map(rows.map((r) => [r.frameNo, Number(split(r['tcp.segment'])[0] ?? r.frameNo)]));
  assert.deepEqual(records.map((r) => [r.frame, r.firstFrame]), records.map((r) => [r.frame, firstSegment.get(r.frame) ?? r.frame]));
});
