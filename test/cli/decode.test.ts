// `imscap decode` on a capture built here: every record states the frame, time, flow, tunnel
// and the typed fields the test put into its packets (SIP with SDP and IMS headers, RTP with an
// AMR-WB payload, Diameter split over two TCP segments, GTPv2-C); --proto, --frame and
// --decode-as select what it shows; the text form draws the same messages as a tree.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { runCli } from '../support/run-cli.js';
import { tempCaptureFile, writePcap } from '../fixtures/capture-writer.js';
import { concat, gtpu, ipTcp, ipUdp, ipv4, text, udp, ethernet, PROTO } from '../fixtures/packets.js';
import { buildRtp, packAmrPayload, randomFrame, seededRandom } from '../fixtures/amr-frames.js';
import { avp, avp3gpp, diameter, u32, u64, utf8, hex, TGPP } from '../protocols/diameter/build.js';
import { be, gtpv2, ie, labels, tbcd } from '../protocols/gtpv2/build.js';
import type { DecodedRecord } from '../../src/report/decode/record.js';
import type { SdpRecord, SipRecord } from '../../src/report/decode/sip.js';
import type { RtpRecord } from '../../src/report/decode/rtp.js';
import type { DiameterAvpRecord, DiameterRecord } from '../../src/report/decode/diameter.js';
import type { Gtpv2IeRecord, Gtpv2Record } from '../../src/report/decode/gtpv2.js';

const T0 = 1_700_000_000;
/** Frame n (1-based) is written at T0 + n seconds and n × 1000 + 7 microseconds. */
const tsOf = (n: number): { tsSec: number; tsNsec: number } => ({ tsSec: T0 + n, tsNsec: (n * 1000 + 7) * 1000 });
const isoOf = (n: number): string => `${new Date((T0 + n) * 1000).toISOString().slice(0, 19)}.${String(n * 1000 + 7).padStart(6, '0')}Z`;

const CALL_ID = 'a84b4c76e66710@ue.ims.example';
const SDP = [
  'v=0', 'o=ue 2890844526 2890844527 IN IP4 10.0.0.2', 's=-', 'c=IN IP4 10.0.0.2', 't=0 0',
  'm=audio 4000 RTP/AVP 97', 'a=rtpmap:97 AMR-WB/16000', 'a=fmtp:97 octet-align=1; mode-set=2', 'a=ptime:20', '',
].join('\r\n');
const INVITE = [
  'INVITE sip:bob@ims.example SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK776asdhds, SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKouter',
  'From: "Alice" <sip:alice@ims.example>;tag=1928301774',
  'To: <sip:bob@ims.example>',
  `i: ${CALL_ID}`,
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@10.0.0.2:5060>;expires=600',
  'Security-Client: ipsec-3gpp;alg=hmac-sha-1-96;spi-c=1111;spi-s=2222;port-c=5062;port-s=5064',
  'Authorization: Digest username="001010000000001@ims.example",realm="ims.example",nonce="",uri="sip:ims.example",response=""',
  // TS 24.229 §7.2A.4.3: MCC 262, MNC 01, TAC 00a1, ECI b2c3d4e
  'P-Access-Network-Info: 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=2620100a1b2c3d4e',
  'Content-Type: application/sdp',
  `Content-Length: ${SDP.length}`,
  '',
  SDP,
].join('\r\n');

const AMR_FRAME = randomFrame(2, true, seededRandom(7));
const RTP = buildRtp({ payloadType: 97, sequence: 4242, timestamp: 160_000, ssrc: 0x11223344, marker: true, payload: packAmrPayload([AMR_FRAME], { wideband: true, octetAligned: true, cmr: 2 }) });

const NTP_UNIX = 2_208_988_800;
const CCR = diameter({ commandCode: 272, applicationId: 16777238, request: true, hopByHop: 0x0a0b0c0d, endToEnd: 0x01020304, avps: [
  avp(263, utf8('pgw.example;1;gx')),
  avp(264, utf8('pgw.example')),
  avp(416, u32(1)),
  avp(412, u64(9_007_199_254_740_993n)),
  avp(55, u32(T0 + NTP_UNIX)),
  avp(8, Uint8Array.from([10, 45, 0, 7])),
  avp3gpp(1016, avp3gpp(1028, u32(5))),
  avp(99999, hex('cafe'), { vendorId: 12345 }),
] });

const BEARER_QOS = concat(Uint8Array.from([(0 << 6) | (2 << 2) | 1, 5]), be(64, 5), be(128, 5), be(32, 5), be(48, 5));
const CSR = gtpv2({ type: 32, teid: 0, sequence: 0x123, ies: [
  ie(1, tbcd('001010123456789')),
  ie(71, labels('ims')),
  ie(72, concat(u32(50_000), u32(100_000))),
  ie(93, concat(ie(73, Uint8Array.from([5])), ie(80, BEARER_QOS))),
  // TS 24.008 §10.5.6.3: configuration protocol 0, container 0x000c P-CSCF IPv4 address
  ie(78, Uint8Array.from([0x80, 0x00, 0x0c, 0x04, 10, 0, 0, 9])),
] });
const ECHO = gtpv2({ type: 1, sequence: 0x77, ies: [ie(3, Uint8Array.from([7]))] });
const OPTIONS = `OPTIONS sip:pcscf.ims.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.45.0.7:5060;branch=z9hG4bKgtpu\r\nFrom: <sip:ue@ims.example>;tag=9\r\nTo: <sip:pcscf.ims.example>\r\nCall-ID: tunnelled@ue\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;

const HALF = 40;

/** The frames, in order; comments give the frame number. */
function packets(): Uint8Array[] {
  const tcpOut = { src: '10.0.0.3', dst: '10.0.0.4', srcPort: 40000, dstPort: 3868 };
  return [
    ipUdp({ src: '10.0.0.2', dst: '10.0.0.1', srcPort: 5060, dstPort: 5060 }, text(INVITE)), // 1
    ipUdp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 5000, dstPort: 4000 }, RTP), // 2
    ipTcp({ ...tcpOut, seq: 1000 }, CCR.subarray(0, HALF)), // 3
    ipTcp({ ...tcpOut, seq: 1000 + HALF }, CCR.subarray(HALF)), // 4
    ipUdp({ src: '10.0.0.5', dst: '10.0.0.6', srcPort: 2123, dstPort: 2123 }, CSR), // 5
    ipUdp({ src: '10.0.0.5', dst: '10.0.0.6', srcPort: 3386, dstPort: 3386 }, ECHO), // 6
    ipUdp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 5000, dstPort: 6000 }, RTP), // 7: no SDP names this port
    ethernet({}, ipv4({ src: '192.168.0.1', dst: '192.168.0.2', proto: PROTO.udp }, udp({ srcPort: 2152, dstPort: 2152 }, gtpu({ teid: 0x1234 },
      ipv4({ src: '10.45.0.7', dst: '10.0.0.1', proto: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, text(OPTIONS))))))), // 8
  ];
}

function capture(t: TestContext, frames: readonly Uint8Array[] = packets()): string {
  return tempCaptureFile(t, 'decode.pcap', writePcap(frames.map((bytes, i) => ({ bytes, ...tsOf(i + 1) }))));
}

async function decodeJson(args: readonly string[]): Promise<DecodedRecord[]> {
  const r = await runCli(['decode', ...args, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as DecodedRecord[];
}

function findAvp(avps: readonly DiameterAvpRecord[], code: number): DiameterAvpRecord | undefined {
  for (const a of avps) {
    if (a.code === code) return a;
    const inner = a.avps !== undefined ? findAvp(a.avps, code) : undefined;
    if (inner !== undefined) return inner;
  }
  return undefined;
}

const ieOf = (ies: readonly Gtpv2IeRecord[], type: number): Gtpv2IeRecord | undefined => ies.find((x) => x.type === type);

test('decode --format json: one record per message with the frame, time, flow and typed fields put into the capture', async (t) => {
  const records = await decodeJson([capture(t)]);
  assert.deepEqual(records.map((r) => `${r.frame}:${r.proto}`), ['1:sip', '2:rtp', '4:diameter', '5:gtpv2', '8:sip']);
  for (const r of records) {
    assert.equal(r.time, isoOf(r.frame), `frame ${r.frame} time`);
    assert.equal(r.epoch, T0 + r.frame + (r.frame * 1000 + 7) / 1e6);
  }

  const sip = records[0] as SipRecord;
  assert.deepEqual([sip.transport, sip.src, sip.srcPort, sip.dst, sip.dstPort, sip.firstFrame, sip.tunnel], ['udp', '10.0.0.2', 5060, '10.0.0.1', 5060, 1, []]);
  assert.deepEqual(sip.startLine, { kind: 'request', method: 'INVITE', requestUri: 'sip:bob@ims.example', version: 'SIP/2.0' });
  assert.equal(sip.callId, CALL_ID);
  assert.deepEqual(sip.headers.find((h) => h.value === CALL_ID), { name: 'Call-ID', rawName: 'i', value: CALL_ID });
  assert.equal(sip.headers.length, INVITE.split('\r\n\r\n')[0]!.split('\r\n').length - 1);
  assert.deepEqual(sip.via.map((v) => ('host' in v ? v.branch : 'malformed')), ['z9hG4bK776asdhds', 'z9hG4bKouter']);
  assert.deepEqual(sip.cseq, { seq: 314159, method: 'INVITE' });
  assert.ok(sip.from !== undefined && 'tag' in sip.from);
  assert.equal(sip.from.tag, '1928301774');
  assert.equal(sip.from.displayName, 'Alice');
  const contact = sip.contacts[0];
  assert.ok(contact !== undefined && 'kind' in contact && contact.kind === 'address');
  assert.equal(contact.expires, 600);
  const mech = sip.security?.['Security-Client']?.[0];
  assert.ok(mech !== undefined && 'mechanism' in mech);
  assert.deepEqual([mech.mechanism, mech.alg, mech.spiC, mech.spiS, mech.portC, mech.portS], ['ipsec-3gpp', 'hmac-sha-1-96', 1111, 2222, 5062, 5064]);
  const auth = sip.auth?.Authorization?.[0];
  assert.ok(auth !== undefined && 'scheme' in auth);
  assert.deepEqual([auth.scheme, auth.username, auth.realm], ['Digest', '001010000000001@ims.example', 'ims.example']);
  const pani = sip.accessNetworkInfo?.[0];
  assert.ok(pani !== undefined && 'accessType' in pani && pani.cell !== undefined && 'kind' in pani.cell && pani.cell.kind === 'e-utran');
  assert.deepEqual([pani.accessType, pani.cell.mcc, pani.cell.mnc, pani.cell.tac, pani.cell.eci], ['3GPP-E-UTRAN-FDD', '262', '01', 0x00a1, 0xb2c3d4e]);
  assert.deepEqual(sip.bodyParts, [{ mediaType: 'application/sdp', headers: [], length: SDP.length, text: SDP }]);
  assert.ok(sip.sdp !== undefined && 'media' in sip.sdp);
  const media = sip.sdp.media[0]!;
  assert.deepEqual([media.port, media.connection?.address, media.payloads[0]?.encodingName, media.payloads[0]?.clockRate, media.payloads[0]?.fmtp['octet-align']], [4000, '10.0.0.2', 'AMR-WB', 16000, '1']);

  const rtp = records[1] as RtpRecord;
  assert.deepEqual([rtp.src, rtp.srcPort, rtp.dst, rtp.dstPort], ['10.0.0.1', 5000, '10.0.0.2', 4000]);
  assert.deepEqual([rtp.payloadType, rtp.sequence, rtp.timestamp, rtp.ssrc, rtp.marker, rtp.headerLength, rtp.payloadLength], [97, 4242, 160_000, 0x11223344, true, 12, RTP.length - 12]);
  assert.deepEqual(rtp.binding, { callId: CALL_ID, sdpFrame: 1, by: 'destination' });
  assert.equal(rtp.encoding, 'AMR-WB/16000');
  assert.deepEqual(rtp.amr, { wideband: true, octetAligned: true, cmr: 2, toc: [{ f: false, ft: 2, q: true }] });

  const dia = records[2] as DiameterRecord;
  assert.deepEqual([dia.transport, dia.src, dia.srcPort, dia.dst, dia.dstPort, dia.firstFrame], ['tcp', '10.0.0.3', 40000, '10.0.0.4', 3868, 3]);
  assert.deepEqual([dia.commandCode, dia.applicationId, dia.flags.request, dia.hopByHop, dia.endToEnd, dia.length], [272, 16777238, true, 0x0a0b0c0d, 0x01020304, CCR.length]);
  assert.equal(dia.commandAbbrev, 'CCR'); // RFC 4006 §3.1 Credit-Control-Request
  assert.deepEqual(dia.avps.map((a) => a.code), [263, 264, 416, 412, 55, 8, 1016, 99999]);
  assert.equal(findAvp(dia.avps, 263)?.value, 'pgw.example;1;gx');
  assert.deepEqual([findAvp(dia.avps, 416)?.value, findAvp(dia.avps, 416)?.enum], [1, 'INITIAL_REQUEST']); // RFC 4006 §8.3
  assert.equal(findAvp(dia.avps, 412)?.value, '9007199254740993');
  assert.deepEqual([findAvp(dia.avps, 55)?.value, findAvp(dia.avps, 55)?.unix], [new Date(T0 * 1000).toISOString(), T0]);
  assert.equal(findAvp(dia.avps, 8)?.value, '10.45.0.7');
  assert.deepEqual([findAvp(dia.avps, 1028)?.value, findAvp(dia.avps, 1028)?.vendorId, findAvp(dia.avps, 1016)?.flags.vendor], [5, TGPP, true]);
  assert.deepEqual([findAvp(dia.avps, 99999)?.type, findAvp(dia.avps, 99999)?.value, findAvp(dia.avps, 99999)?.vendorId], ['Unknown', 'cafe', 12345]);
  assert.deepEqual(dia.errors, []);

  const gtp = records[3] as Gtpv2Record;
  assert.deepEqual([gtp.messageType, gtp.teid, gtp.sequence, gtp.length, gtp.piggybacked], [32, 0, 0x123, CSR.length - 4, false]);
  assert.deepEqual(ieOf(gtp.ies, 1)?.value, { kind: 'digits', digits: '001010123456789' });
  assert.deepEqual(ieOf(gtp.ies, 71)?.value, { kind: 'name', name: 'ims' });
  assert.deepEqual(ieOf(gtp.ies, 72)?.value, { kind: 'ambr', uplinkKbps: 50_000, downlinkKbps: 100_000 });
  const bearer = ieOf(gtp.ies, 93)?.value;
  assert.ok(bearer?.kind === 'grouped');
  assert.deepEqual(ieOf(bearer.ies, 80)?.value, { kind: 'bearer-qos', pci: 0, pl: 2, pvi: 1, qci: 5, mbrUplinkKbps: 64, mbrDownlinkKbps: 128, gbrUplinkKbps: 32, gbrDownlinkKbps: 48 });
  const pco = ieOf(gtp.ies, 78)?.value;
  assert.ok(pco?.kind === 'pco');
  assert.deepEqual(pco.pco.containers.map((c) => [c.id, c.hex, c.address]), [[0x000c, '0a000009', '10.0.0.9']]);

  const tunnelled = records[4] as SipRecord;
  assert.deepEqual(tunnelled.tunnel, [{ kind: 'gtpu', teid: 0x1234, src: '192.168.0.1', dst: '192.168.0.2' }]);
  assert.deepEqual([tunnelled.src, tunnelled.dst, tunnelled.callId], ['10.45.0.7', '10.0.0.1', 'tunnelled@ue']);
});

test('decode --proto, --frame and --decode-as select the messages shown', async (t) => {
  const file = capture(t);
  const shown = async (...args: string[]): Promise<string[]> => (await decodeJson([file, ...args])).map((r) => `${r.frame}:${r.proto}`);
  assert.deepEqual(await shown('--proto', 'diameter,gtpv2'), ['4:diameter', '5:gtpv2']);
  assert.deepEqual(await shown('--proto', 'rtp', '--proto', 'GTPv2'), ['2:rtp', '5:gtpv2']);
  assert.deepEqual(await shown('--frame', '2'), ['2:rtp']);
  // A Diameter message is shown at the frame that completes it, as tshark shows it.
  assert.deepEqual(await shown('--frame', '3'), []);
  assert.deepEqual(await shown('--frame', '3-5'), ['4:diameter', '5:gtpv2']);
  assert.deepEqual(await shown('--frame', '1,8', '--proto', 'sip'), ['1:sip', '8:sip']);
  // GTPv2-C on a port that is not 2123 is found only when asked for.
  assert.deepEqual(await shown('--proto', 'gtpv2', '--decode-as', '3386=gtpv2'), ['5:gtpv2', '6:gtpv2']);
  const echo = (await decodeJson([file, '--frame', '6', '--decode-as', '3386=gtpv2']))[0] as Gtpv2Record;
  assert.deepEqual([echo.messageType, echo.sequence, ieOf(echo.ies, 3)?.value], [1, 0x77, { kind: 'uint', value: 7 }]);
});

test('decode --proto sdp alone lists each SDP body with the message that carried it', async (t) => {
  const records = (await decodeJson([capture(t), '--proto', 'sdp'])) as SdpRecord[];
  assert.equal(records.length, 1);
  const r = records[0]!;
  assert.deepEqual([r.proto, r.frame, r.callId, r.carrier], ['sdp', 1, CALL_ID, 'INVITE']);
  assert.ok('media' in r.sdp);
  assert.deepEqual(r.sdp.origin, { username: 'ue', sessionId: '2890844526', sessionVersion: '2890844527', netType: 'IN', addrType: 'IP4', address: '10.0.0.2' });
  // With sip as well, the SDP stays inside the SIP record.
  assert.deepEqual((await decodeJson([capture(t), '--proto', 'sip,sdp'])).map((x) => x.proto), ['sip', 'sip']);
});

test('decode text form: a frame line per message, then the message as an indented tree', async (t) => {
  const r = await runCli(['decode', capture(t)]);
  assert.equal(r.code, 0, r.stderr);
  const blocks = r.stdout.split('\n\n').filter((b) => b.length > 0);
  assert.equal(blocks.length, 5);
  const lines = (i: number): string[] => blocks[i]!.split('\n');
  assert.equal(lines(0)[0], `Frame 1  ${isoOf(1)}  udp 10.0.0.2:5060 → 10.0.0.1:5060`);
  assert.equal(lines(0)[1], '  SIP INVITE sip:bob@ims.example SIP/2.0');
  assert.ok(lines(0).includes(`    i: ${CALL_ID}`));
  assert.ok(lines(0).some((l) => /^ {6}.*spiC=1111 spiS=2222 portC=5062 portS=5064/.test(l)), 'Security-Client parsed under its header');
  assert.ok(lines(0).some((l) => /^ {10}m=audio 4000 RTP\/AVP 97 {2}sendrecv$/.test(l)));
  assert.ok(lines(0).some((l) => /^ {12}payload 97 AMR-WB\/16000 {2}fmtp octet-align=1; mode-set=2$/.test(l)));
  assert.equal(lines(1)[0], `Frame 2  ${isoOf(2)}  udp 10.0.0.1:5000 → 10.0.0.2:4000`);
  assert.ok(lines(1).includes('    AMR-WB octet-aligned  CMR 2  TOC FT 2'));
  assert.equal(lines(2)[0], `Frame 4 (from frame 3)  ${isoOf(4)}  tcp 10.0.0.3:40000 → 10.0.0.4:3868`);
  assert.ok(lines(2).includes('    AVP Session-Id (263) l=24 f=-M-: pgw.example;1;gx'));
  assert.ok(lines(2).includes('    AVP CC-Request-Type (416) l=12 f=-M-: INITIAL_REQUEST (1)'));
  assert.ok(lines(2).includes(`      AVP QoS-Class-Identifier (1028) vnd=${TGPP} l=16 f=VM-: QCI_5 (5)`));
  assert.ok(lines(3).some((l) => /^ {4}IE .*\(1\) i=0 l=8: 001010123456789$/.test(l)));
  assert.ok(lines(3).some((l) => /^ {6}Container 0x000c .*: 10\.0\.0\.9$/.test(l)));
  assert.equal(lines(4)[1], '  in GTP-U TEID 0x00001234 192.168.0.1 → 192.168.0.2');
});

test('decode keeps malformed messages as data: the record names the problem, the pass goes on', async (t) => {
  const lying = diameter({ commandCode: 280, applicationId: 0, request: true, hopByHop: 1, endToEnd: 2, avps: [avp(264, utf8('peer')), avp(278, u32(1), { length: 400 })] });
  const file = capture(t, [
    ipUdp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 5060, dstPort: 5060 }, Uint8Array.from([0x00, 0xff, 0x13, 0x37, 0x42])),
    ipTcp({ src: '10.0.0.3', dst: '10.0.0.4', srcPort: 40000, dstPort: 3868, seq: 1 }, lying),
    ipUdp({ src: '10.0.0.5', dst: '10.0.0.6', srcPort: 2123, dstPort: 2123 }, gtpv2({ type: 1, sequence: 1, ies: [ie(3, Uint8Array.from([1]), { length: 90 })] })),
  ]);
  const r = await runCli(['decode', file, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const records = JSON.parse(r.stdout) as DecodedRecord[];
  assert.deepEqual(records.map((x) => `${x.frame}:${x.proto}`), ['2:diameter', '3:gtpv2']);
  const dia = records[0] as DiameterRecord;
  assert.equal(findAvp(dia.avps, 264)?.value, 'peer');
  assert.ok(dia.errors.length > 0, 'the lying AVP length is reported');
  assert.ok((records[1] as Gtpv2Record).errors.length > 0, 'the lying IE length is reported');
  assert.match(r.stderr, /frame 1 sip/);
});

test('decode writes JSON as it goes: chunks of bounded size, one message per line', async (t) => {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 600; i++) frames.push(ipUdp({ src: '10.0.0.5', dst: '10.0.0.6', srcPort: 2123, dstPort: 2123 }, gtpv2({ type: 1, sequence: i, ies: [ie(3, Uint8Array.from([i & 0xff]))] })));
  const file = capture(t, frames);
  const chunks: string[] = [];
  const code = await main(['decode', file, '--format', 'json'], { stdout: (s) => chunks.push(s), stderr: () => undefined });
  assert.equal(code, 0);
  const whole = chunks.join('');
  const lines = whole.split('\n');
  assert.deepEqual([lines[0], lines.at(-2), lines.at(-1)], ['[', ']', '']);
  assert.equal(lines.length, 600 + 3);
  assert.deepEqual((JSON.parse(whole) as Gtpv2Record[]).map((g) => g.sequence), frames.map((_, i) => i));
  assert.ok(chunks.length > 1, 'written in several chunks');
  for (const c of chunks) assert.ok(c.length < 80 * 1024, `chunk of ${c.length} characters`);
});

test('decode: an empty selection is an empty array; bad options are usage errors (exit 2)', async (t) => {
  const file = capture(t);
  const none = await runCli(['decode', file, '--format', 'json', '--frame', '100-200']);
  assert.deepEqual([none.code, none.stdout], [0, '[]\n']);
  const empty = await runCli(['decode', file, '--frame', '100']);
  assert.deepEqual([empty.code, empty.stdout], [0, '']);
  for (const [args, message] of [
    [['--proto', 'h323'], /unknown protocol 'h323'/],
    [['--frame', '5-3'], /bad --frame '5-3'/],
    [['--frame', '0'], /bad --frame '0'/],
    [['--frame', 'x'], /bad --frame 'x'/],
    [['--decode-as', '70000=sip'], /bad --decode-as '70000=sip'/],
    [['--decode-as', '5070=rtp'], /bad --decode-as '5070=rtp'/],
    [['--format', 'xml'], /unknown format 'xml'/],
  ] as const) {
    const r = await runCli(['decode', file, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});
