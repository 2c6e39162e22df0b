// Malformed and hostile input is data: REGISTERs with huge header values, nonsense values,
// responses without requests, and byte-mutated IMS captures go through the registration analysis
// and its three renderers without an exception, in a bounded time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPass } from '../../src/pipeline/pass.js';
import { RegistrationAnalyzer } from '../../src/analysis/registration/registrations.js';
import type { RegistrationReport } from '../../src/analysis/registration/types.js';
import { renderRegistrationJson } from '../../src/report/registration/json.js';
import { renderRegistrationMarkdown } from '../../src/report/registration/markdown.js';
import { renderRegistrationText } from '../../src/report/registration/text.js';
import { tempCaptureFile, writePcap, type FixtureRecord } from '../fixtures/capture-writer.js';
import { ImsScenario } from '../fixtures/ims-scenario.js';
import { ipTcp, ipUdp, text } from '../fixtures/packets.js';
import { mulberry32, randomInt } from '../fixtures/mutate.js';

/** Per header value: five of them still fit the 1 MB a SIP message over TCP may take. */
const BIG = 180_000;
const SEGMENT = 60_000;

async function analyse(path: string): Promise<RegistrationReport> {
  const analyzer = new RegistrationAnalyzer();
  await runPass(path, analyzer.handlers());
  const report = analyzer.finish();
  const doc = { capture: path, ...report };
  for (const render of [renderRegistrationText, renderRegistrationMarkdown, renderRegistrationJson]) assert.ok(render(doc).length > 0);
  return report;
}

/** SIP messages over one TCP connection, UE 10.9.0.1 ↔ P-CSCF 10.9.0.2, split into segments. */
function sipOverTcp(messages: readonly { fromUe: boolean; text: string }[]): Uint8Array {
  const records: FixtureRecord[] = [];
  const seq = { ue: 1, pcscf: 1 };
  messages.forEach((m, i) => {
    const bytes = text(m.text);
    for (let at = 0; at < bytes.length; at += SEGMENT) {
      const piece = bytes.subarray(at, Math.min(bytes.length, at + SEGMENT));
      const [src, dst] = m.fromUe ? ['10.9.0.1', '10.9.0.2'] : ['10.9.0.2', '10.9.0.1'];
      const s = m.fromUe ? seq.ue : seq.pcscf;
      records.push({ bytes: ipTcp({ src, dst, srcPort: m.fromUe ? 40000 : 5060, dstPort: m.fromUe ? 5060 : 40000, seq: s, ack: m.fromUe ? seq.pcscf : seq.ue }, piece), tsSec: 1_700_000_000 + i });
      if (m.fromUe) seq.ue += piece.length;
      else seq.pcscf += piece.length;
    }
  });
  return writePcap(records);
}

function sip(start: string, headers: readonly string[]): string {
  return `${start}\r\n${headers.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`;
}

const BASE = ['Via: SIP/2.0/TCP 10.9.0.1:40000;branch=z9hG4bK-1', 'From: <sip:ue@ims.example>;tag=1', 'To: <sip:ue@ims.example>', 'Call-ID: huge@10.9.0.1'];

test('header values of hundreds of kilobytes in REGISTER, 401 and 200 are read in linear time', async (t) => {
  const many = (unit: string): string => Array.from({ length: Math.ceil(BIG / unit.length) }, () => unit).join(', ');
  const mechanism = 'ipsec-3gpp;alg=hmac-sha-1-96;ealg=null;spi-c=1;spi-s=2;port-c=3;port-s=4';
  const capture = sipOverTcp([
    {
      fromUe: true,
      text: sip('REGISTER sip:ims.example SIP/2.0', [
        ...BASE,
        'CSeq: 1 REGISTER',
        `Contact: <sip:ue@10.9.0.1:5060>;expires=600000;+sip.instance="<urn:gsma:imei:${'9'.repeat(BIG)}>"`,
        `Security-Client: ${many(mechanism)}`,
        `Authorization: Digest username="${'u'.repeat(BIG)}",realm="ims.example",nonce="",uri="sip:ims.example",response=""`,
        `P-Access-Network-Info: 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=${'f'.repeat(BIG)}`,
        `User-Agent: ${'SM-'.repeat(BIG / 3)}`,
      ]),
    },
    {
      fromUe: false,
      text: sip('SIP/2.0 401 Unauthorized', [...BASE.slice(0, 2), 'To: <sip:ue@ims.example>;tag=2', BASE[3]!, 'CSeq: 1 REGISTER', `WWW-Authenticate: Digest realm="ims.example",nonce="${'QUJD'.repeat(BIG / 4)}",algorithm=AKAv1-MD5,ik="${'0'.repeat(BIG)}"`, `Security-Server: ${many(mechanism)}`]),
    },
    { fromUe: true, text: sip('REGISTER sip:ims.example SIP/2.0', [...BASE, 'CSeq: 2 REGISTER', 'Contact: <sip:ue@10.9.0.1:5060>', `Security-Verify: ${many(mechanism)}`, `Authorization: Digest username="ue",nonce="${'QUJD'.repeat(BIG / 4)}",response="${'a'.repeat(BIG)}"`]) },
    {
      fromUe: false,
      text: sip('SIP/2.0 200 OK', [...BASE.slice(0, 2), 'To: <sip:ue@ims.example>;tag=2', BASE[3]!, 'CSeq: 2 REGISTER', `Contact: ${many('<sip:ue@10.9.0.1:5060>;expires=3600')}`, `P-Associated-URI: ${many('<tel:+15550000>')}`, `Service-Route: ${many('<sip:orig@scscf.ims.example;lr>')}`]),
    },
  ]);
  const started = performance.now();
  const report = await analyse(tempCaptureFile(t, 'huge.pcap', capture));
  const elapsed = performance.now() - started;
  assert.equal(report.registrations.length, 1);
  const p = report.registrations[0]!.procedures[0]!;
  assert.deepEqual([p.outcome, p.steps.length, p.expiry.granted?.value], ['success', 4, 3600]);
  // 135 000 bytes of base64 decode to RAND ‖ AUTN ‖ server data (RFC 3310 §3.2).
  assert.equal(p.challenges[0]!.aka?.rand, '414243'.repeat(6).slice(0, 32));
  assert.ok(elapsed < 10_000, `took ${elapsed.toFixed(0)} ms`);
});

test('nonsense values: no CSeq, a responses without request, Contact: *, unknown statuses', async (t) => {
  const records: FixtureRecord[] = [
    'REGISTER sip:x SIP/2.0\r\nCall-ID: a\r\nContact: *\r\nExpires: 0\r\n\r\n',
    'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.8.0.1;branch=z9hG4bK-9\r\nCall-ID: nobody\r\nCSeq: 9 REGISTER\r\nContact: <sip:u@10.8.0.1>;expires=99999999999\r\n\r\n',
    'REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 10.8.0.1;branch=z9hG4bK-1\r\nCall-ID: b\r\nCSeq: 1 REGISTER\r\nFrom: garbage\r\nTo: <>\r\nContact: <sip:u@10.8.0.1>;expires=abc\r\nAuthorization: Digest nonce="%%%",response=1\r\nSecurity-Verify: ;;;,,,\r\nExpires: -1\r\n\r\n',
    'SIP/2.0 999 Whatever\r\nVia: SIP/2.0/UDP 10.8.0.1;branch=z9hG4bK-1\r\nCall-ID: b\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest nonce="x",algorithm=AKAv9-MD5\r\n\r\n',
    'SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 10.8.0.1;branch=z9hG4bK-1\r\nCall-ID: b\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm=r,nonce="AAAA",algorithm=AKAv1-MD5\r\nSecurity-Server: ipsec-3gpp;spi-c=99999999999999\r\n\r\n',
    'INVITE sip:y SIP/2.0\r\nVia: SIP/2.0/UDP 10.8.0.1;branch=z9hG4bK-7\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nSecurity-Verify: ipsec-3gpp;port-s=70000\r\nRoute: <>\r\n\r\n',
  ].map((m, i) => ({ bytes: ipUdp({ src: i % 2 === 0 ? '10.8.0.1' : '10.8.0.2', dst: i % 2 === 0 ? '10.8.0.2' : '10.8.0.1', srcPort: 5060, dstPort: 5060 }, text(m)), tsSec: 1_700_000_000 + i }));
  const report = await analyse(tempCaptureFile(t, 'nonsense.pcap', writePcap(records)));
  assert.equal(report.stats.orphanResponses, 1);
  assert.ok(report.registrations.length >= 1);
});

test('byte-mutated IMS captures never throw', async (t) => {
  const s = new ImsScenario({ ue: { ip: '2001:db8:40:1::3', imsi: '001010000000004', msisdn: '15551230004' } });
  s.attach({ at: 0 });
  s.register({ at: 1, resync: true });
  s.subscribe({ at: 2 });
  s.register({ at: 100, kind: 're-registration' });
  const original = s.pcap();
  const random = mulberry32(0x1e6157e5);
  for (let i = 0; i < 40; i++) {
    const bytes = original.slice();
    // Past the 24-byte file header: flip bytes inside the packets.
    for (let k = 0; k < 24; k++) {
      const at = 24 + randomInt(random, bytes.length - 24);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << randomInt(random, 8));
    }
    await analyse(tempCaptureFile(t, `mutant-${i}.pcap`, bytes));
  }
});
