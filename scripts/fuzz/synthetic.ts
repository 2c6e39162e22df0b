// Seeds built in code, so the fuzz pass has every protocol imscap decodes even without samples
// or the public corpus: a SIP/SDP call with AMR-WB and AMR RTP over UDP; an IMS registration with
// an AKA challenge and a resync over TCP/IPv6 (pcapng, big-endian, nanoseconds); Diameter S6a
// over SCTP and Cx over TCP; GTPv2-C, GTP-U and NULL-encrypted ESP carrying SIP; IP fragments.
import {
  concat,
  espNull,
  ethernet,
  gtpu,
  ipTcp,
  ipUdp,
  ipv4,
  ipv4Fragments,
  ipv6,
  ipv6Fragments,
  loopback,
  PROTO,
  sctp,
  sctpData,
  sll,
  tcp,
  text,
  udp,
} from '../../test/fixtures/packets.js';
import { writePcap, writePcapng, type FixtureRecord } from '../../test/fixtures/capture-writer.js';
import { buildRtp, packAmrPayload, randomFrame, seededRandom } from '../../test/fixtures/amr-frames.js';
import { avp, avp3gpp, diameter, hex, u32, utf8 } from '../../test/protocols/diameter/build.js';
import { gtpv2, ie, labels, plmn, tbcd } from '../../test/protocols/gtpv2/build.js';
import type { Seed } from './seeds.js';

const UE = '10.10.0.2';
const PCSCF = '10.20.0.1';
const UE6 = '2001:db8:10::2';
const PCSCF6 = '2001:db8:20::1';
const RAND = '00112233445566778899aabbccddeeff';
const AUTN = 'fedcba98765432100123456789abcdef';

function records(frames: readonly Uint8Array[], startSec = 1_700_000_000): FixtureRecord[] {
  return frames.map((bytes, i) => ({ bytes, tsSec: startSec + Math.floor(i / 50), tsNsec: (i % 50) * 20_000_000 }));
}

function sipMessage(startLine: string, headers: readonly string[], body = ''): Uint8Array {
  const len = Buffer.byteLength(body, 'utf8');
  return text(`${[startLine, ...headers, `Content-Length: ${len}`].join('\r\n')}\r\n\r\n${body}`);
}

function dialogHeaders(method: string, cseq: number, callId: string, extra: readonly string[] = []): string[] {
  return [
    `Via: SIP/2.0/UDP ${UE}:5060;branch=z9hG4bK-${method.toLowerCase()}-${cseq}`,
    'Max-Forwards: 70',
    'From: <sip:+15550001@ims.example.net>;tag=ue-1',
    'To: <tel:+15550002>',
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} ${method}`,
    `Contact: <sip:+15550001@${UE}:5060>;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel"`,
    'P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=0010100011234567',
    ...extra,
  ];
}

function offer(port: number, address: string): string {
  return [
    'v=0',
    `o=- 1 1 IN IP4 ${address}`,
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 96 97 98 100`,
    'b=AS:41',
    'a=rtpmap:96 AMR-WB/16000/1',
    'a=fmtp:96 mode-change-capability=2;max-red=0;octet-align=1',
    'a=rtpmap:97 AMR-WB/16000/1',
    'a=fmtp:97 mode-change-capability=2;max-red=0',
    'a=rtpmap:98 AMR/8000/1',
    'a=fmtp:98 mode-set=0,2,4,7;octet-align=1',
    'a=rtpmap:100 telephone-event/16000',
    'a=fmtp:100 0-15',
    'a=ptime:20',
    'a=maxptime:240',
    'a=curr:qos local none',
    'a=des:qos mandatory local sendrecv',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/** A call over UDP: INVITE/183/PRACK/200/ACK with SDP, AMR-WB octet-aligned RTP both ways, RTCP, BYE. */
export function sipCallCapture(callId: string): Uint8Array {
  const up = { src: UE, dst: PCSCF, srcPort: 5060, dstPort: 5060 };
  const down = { src: PCSCF, dst: UE, srcPort: 5060, dstPort: 5060 };
  const frames: Uint8Array[] = [
    ipUdp(up, sipMessage('INVITE tel:+15550002 SIP/2.0', dialogHeaders('INVITE', 1, callId, ['Supported: 100rel, precondition', 'Content-Type: application/sdp']), offer(40000, UE))),
    ipUdp(down, sipMessage('SIP/2.0 100 Trying', dialogHeaders('INVITE', 1, callId))),
    ipUdp(down, sipMessage('SIP/2.0 183 Session Progress', dialogHeaders('INVITE', 1, callId, ['Require: 100rel', 'RSeq: 1', 'Content-Type: application/sdp']), offer(50000, PCSCF))),
    ipUdp(up, sipMessage('PRACK sip:+15550002@10.20.0.1 SIP/2.0', dialogHeaders('PRACK', 2, callId, ['RAck: 1 1 INVITE']))),
    ipUdp(down, sipMessage('SIP/2.0 200 OK', dialogHeaders('INVITE', 1, callId, ['Content-Type: application/sdp']), offer(50000, PCSCF))),
    ipUdp(up, sipMessage('ACK sip:+15550002@10.20.0.1 SIP/2.0', dialogHeaders('ACK', 1, callId))),
  ];
  const random = seededRandom(7);
  for (let i = 0; i < 12; i++) {
    const wb = [randomFrame(8, true, random), randomFrame(i % 9, true, random)];
    const payload = packAmrPayload(i % 4 === 3 ? [randomFrame(9, true, random)] : wb.slice(0, 1 + (i % 2)), { wideband: true, octetAligned: true });
    frames.push(ipUdp({ src: UE, dst: PCSCF, srcPort: 40000, dstPort: 50000 }, buildRtp({ payloadType: 96, sequence: 100 + i, timestamp: 320 * i, ssrc: 0x1234, payload, marker: i === 0 })));
    frames.push(ipUdp({ src: PCSCF, dst: UE, srcPort: 50000, dstPort: 40000 }, buildRtp({ payloadType: 96, sequence: 900 + i, timestamp: 320 * i, ssrc: 0x5678, payload })));
  }
  frames.push(ipUdp({ src: UE, dst: PCSCF, srcPort: 40001, dstPort: 50001 }, hex('81c8000c000012340000000000000000000000000000000000000000')));
  frames.push(ipUdp(up, sipMessage('BYE sip:+15550002@10.20.0.1 SIP/2.0', dialogHeaders('BYE', 3, callId))));
  frames.push(ipUdp(down, sipMessage('SIP/2.0 200 OK', dialogHeaders('BYE', 3, callId))));
  return writePcap(records(frames));
}

function registerHeaders(cseq: number, extra: readonly string[]): string[] {
  return [
    `Via: SIP/2.0/TCP [${UE6}]:5060;branch=z9hG4bK-reg-${cseq}`,
    'Max-Forwards: 70',
    'From: <sip:001010123456789@ims.mnc001.mcc001.3gppnetwork.org>;tag=reg',
    'To: <sip:001010123456789@ims.mnc001.mcc001.3gppnetwork.org>',
    'Call-ID: reg-1@ue',
    `CSeq: ${cseq} REGISTER`,
    `Contact: <sip:001010123456789@[${UE6}]:5060>;expires=600000`,
    'Supported: path, sec-agree',
    'Require: sec-agree',
    'Proxy-Require: sec-agree',
    'Security-Client: ipsec-3gpp;alg=hmac-sha-1-96;ealg=null;spi-c=1111;spi-s=2222;port-c=5100;port-s=5101',
    ...extra,
  ];
}

/** REGISTER → 401 (AKA nonce) → REGISTER with auts → 401 → REGISTER → 200, over TCP/IPv6, pcapng. */
function imsRegisterTcp(): Seed {
  const nonce = Buffer.from(hex(RAND + AUTN)).toString('base64');
  const auth = (extra: string): string =>
    `Authorization: Digest username="001010123456789@ims.mnc001.mcc001.3gppnetwork.org",realm="ims.mnc001.mcc001.3gppnetwork.org",uri="sip:ims.mnc001.mcc001.3gppnetwork.org",nonce="${nonce}",algorithm=AKAv1-MD5${extra}`;
  const challenge = `WWW-Authenticate: Digest realm="ims.mnc001.mcc001.3gppnetwork.org",nonce="${nonce}",algorithm=AKAv1-MD5,qop="auth",ck="00",ik="00"`;
  const server = 'Security-Server: ipsec-3gpp;q=0.1;alg=hmac-sha-1-96;ealg=null;spi-c=3333;spi-s=4444;port-c=5200;port-s=5201';
  const messages = [
    { up: true, bytes: sipMessage('REGISTER sip:ims.mnc001.mcc001.3gppnetwork.org SIP/2.0', registerHeaders(1, [auth(',response=""')])) },
    { up: false, bytes: sipMessage('SIP/2.0 401 Unauthorized', registerHeaders(1, [challenge, server])) },
    { up: true, bytes: sipMessage('REGISTER sip:ims.mnc001.mcc001.3gppnetwork.org SIP/2.0', registerHeaders(2, [auth(',response="",auts="AAECAwQFBgcICQoLDA0="')])) },
    { up: false, bytes: sipMessage('SIP/2.0 401 Unauthorized', registerHeaders(2, [challenge, server])) },
    { up: true, bytes: sipMessage('REGISTER sip:ims.mnc001.mcc001.3gppnetwork.org SIP/2.0', registerHeaders(3, [auth(',response="0123456789abcdef0123456789abcdef",qop=auth,nc=00000001,cnonce="abc"')])) },
    { up: false, bytes: sipMessage('SIP/2.0 200 OK', registerHeaders(3, ['Service-Route: <sip:scscf.ims.example.net;lr>', 'P-Associated-URI: <tel:+15550001>'])) },
  ];
  const seq = { up: 1000, down: 5000 };
  const frames: Uint8Array[] = [];
  const segment = (up: boolean, payload: Uint8Array, flags = 'PA'): Uint8Array => {
    const o = up ? { src: UE6, dst: PCSCF6, srcPort: 5060, dstPort: 5060 } : { src: PCSCF6, dst: UE6, srcPort: 5060, dstPort: 5060 };
    const s = up ? seq.up : seq.down;
    if (up) seq.up += payload.length;
    else seq.down += payload.length;
    return ethernet({ vlan: [100] }, ipv6({ src: o.src, dst: o.dst, nextHeader: PROTO.tcp }, tcp({ srcPort: o.srcPort, dstPort: o.dstPort, seq: s, flags }, payload)));
  };
  for (const m of messages) {
    // The first challenge arrives in two segments: the framer must join them.
    if (!m.up && frames.length === 1) {
      frames.push(segment(false, m.bytes.subarray(0, 200)), segment(false, m.bytes.subarray(200)));
    } else {
      frames.push(segment(m.up, m.bytes));
    }
  }
  return { name: 'synthetic:ims-register-tcp.pcapng', bytes: writePcapng([{ bigEndian: true, interfaces: [{ linkType: 1, tsResol: 9, name: 'eth0' }], records: records(frames) }]) };
}

/** S6a AIR/AIA (with a resync) over SCTP, Cx MAR/MAA over TCP; Linux cooked capture. */
function diameterSeed(): Seed {
  const host = (name: string): Uint8Array => avp(264, utf8(name));
  const realm = avp(296, utf8('epc.mnc001.mcc001.3gppnetwork.org'));
  const air = diameter({
    commandCode: 318,
    applicationId: 16777251,
    request: true,
    hopByHop: 1,
    endToEnd: 1,
    avps: [
      avp(263, utf8('mme.example;1;1')),
      avp(277, u32(1)),
      host('mme.example'),
      realm,
      avp(1, utf8('001010123456789')),
      avp3gpp(1407, hex('00f110')),
      avp3gpp(1408, concat(avp3gpp(1410, u32(1)), avp3gpp(1411, hex(RAND + '000102030405060708090a0b0c0d')))),
    ],
  });
  const aia = diameter({
    commandCode: 318,
    applicationId: 16777251,
    request: false,
    hopByHop: 1,
    endToEnd: 1,
    avps: [
      avp(263, utf8('mme.example;1;1')),
      avp(268, u32(2001)),
      host('hss.example'),
      realm,
      avp3gpp(1413, avp3gpp(1414, concat(avp3gpp(1447, hex(RAND)), avp3gpp(1448, hex('0011223344556677')), avp3gpp(1449, hex(AUTN)), avp3gpp(1450, new Uint8Array(32))))),
    ],
  });
  const mar = diameter({
    commandCode: 303,
    applicationId: 16777216,
    request: true,
    hopByHop: 2,
    endToEnd: 2,
    avps: [avp(263, utf8('scscf;2')), host('scscf.example'), realm, avp(1, utf8('001010123456789@ims.example')), avp3gpp(601, utf8('sip:001010123456789@ims.example')), avp3gpp(607, u32(1)), avp3gpp(612, avp3gpp(608, utf8('Digest-AKAv1-MD5')))],
  });
  const maa = diameter({
    commandCode: 303,
    applicationId: 16777216,
    request: false,
    hopByHop: 2,
    endToEnd: 2,
    avps: [avp(263, utf8('scscf;2')), avp(268, u32(2001)), host('hss.example'), realm, avp3gpp(612, concat(avp3gpp(608, utf8('Digest-AKAv1-MD5')), avp3gpp(609, hex(RAND + AUTN)), avp3gpp(610, hex('0011223344556677'))))],
  });
  const viaSctp = (up: boolean, tsn: number, msg: Uint8Array): Uint8Array =>
    sll({ protocol: 0x0800 }, ipv4({ src: up ? '10.0.0.1' : '10.0.0.2', dst: up ? '10.0.0.2' : '10.0.0.1', proto: PROTO.sctp }, sctp({ srcPort: up ? 36412 : 3868, dstPort: up ? 3868 : 36412 }, [sctpData({ tsn, streamId: 0, ppid: 46 }, msg)])));
  let upSeq = 1;
  let downSeq = 1;
  const viaTcp = (up: boolean, msg: Uint8Array): Uint8Array => {
    const s = up ? upSeq : downSeq;
    if (up) upSeq += msg.length;
    else downSeq += msg.length;
    return sll({ protocol: 0x0800 }, ipv4({ src: up ? '10.0.1.1' : '10.0.1.2', dst: up ? '10.0.1.2' : '10.0.1.1', proto: PROTO.tcp }, tcp({ srcPort: up ? 40000 : 3868, dstPort: up ? 3868 : 40000, seq: s }, msg)));
  };
  const frames = [viaSctp(true, 1, air), viaSctp(false, 1, aia), viaTcp(true, mar.subarray(0, 40)), viaTcp(true, mar.subarray(40)), viaTcp(false, concat(maa, maa))];
  return { name: 'synthetic:diameter-s6a-cx.pcap', bytes: writePcap(records(frames), { linkType: 113 }) };
}

/** GTPv2-C Create Session, SIP inside GTP-U, SIP inside NULL-encrypted ESP; raw IP link type. */
function tunnelsSeed(): Seed {
  const csr = gtpv2({
    type: 32,
    teid: 0,
    sequence: 1,
    ies: [
      ie(1, tbcd('001010123456789')),
      ie(76, tbcd('15550001')),
      ie(82, Uint8Array.of(6)),
      ie(87, concat(Uint8Array.of(0x8a), hex('0000abcd'), Uint8Array.of(10, 0, 2, 1))),
      ie(71, labels('ims')),
      ie(86, concat(Uint8Array.of(0x18), plmn('001', '01'), hex('0001'), plmn('001', '01'), hex('00000101'))),
      ie(93, concat(ie(73, Uint8Array.of(5)), ie(80, hex('0009000000000000000000000000000000000000000000')))),
    ],
  });
  const csresp = gtpv2({ type: 33, teid: 0xabcd, sequence: 1, ies: [ie(2, Uint8Array.of(16, 0)), ie(87, concat(Uint8Array.of(0x8b), hex('0000dcba'), Uint8Array.of(10, 0, 2, 2)), { instance: 1 }), ie(79, concat(Uint8Array.of(1), Uint8Array.of(10, 45, 0, 2)))] });
  const inner = ipv4({ src: '10.45.0.2', dst: PCSCF, proto: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, sipMessage('INVITE tel:+15550002 SIP/2.0', dialogHeaders('INVITE', 1, 'gtp-call', ['Content-Type: application/sdp']), offer(40000, '10.45.0.2'))));
  const rtp = ipv4({ src: '10.45.0.2', dst: PCSCF, proto: PROTO.udp }, udp({ srcPort: 40000, dstPort: 50000 }, buildRtp({ payloadType: 97, sequence: 1, timestamp: 0, ssrc: 9, payload: packAmrPayload([randomFrame(2, true, seededRandom(3))], { wideband: true, octetAligned: false }) })));
  const esp = espNull({ spi: 0x2222, seq: 1, nextHeader: PROTO.udp, icvLength: 12 }, udp({ srcPort: 5100, dstPort: 5201 }, sipMessage('MESSAGE sip:+15550002@ims.example.net SIP/2.0', dialogHeaders('MESSAGE', 1, 'esp-1', ['Content-Type: text/plain']), 'hello')));
  const frames = [
    ipv4({ src: '10.0.2.1', dst: '10.0.2.2', proto: PROTO.udp }, udp({ srcPort: 2123, dstPort: 2123 }, csr)),
    ipv4({ src: '10.0.2.2', dst: '10.0.2.1', proto: PROTO.udp }, udp({ srcPort: 2123, dstPort: 2123 }, csresp)),
    ipv4({ src: '10.0.3.1', dst: '10.0.3.2', proto: PROTO.udp }, udp({ srcPort: 2152, dstPort: 2152 }, gtpu({ teid: 0xabcd, seq: 1, extHeaders: [{ type: 0x85, content: Uint8Array.of(0, 9) }] }, inner))),
    ipv4({ src: '10.0.3.1', dst: '10.0.3.2', proto: PROTO.udp }, udp({ srcPort: 2152, dstPort: 2152 }, gtpu({ teid: 0xabcd }, rtp))),
    ipv4({ src: UE, dst: PCSCF, proto: PROTO.esp }, esp),
    ipv4({ src: UE, dst: PCSCF, proto: PROTO.udp }, udp({ srcPort: 4500, dstPort: 4500 }, esp)),
  ];
  return { name: 'synthetic:gtp-esp.pcap', bytes: writePcap(records(frames), { linkType: 101, nanosecond: true, bigEndian: true }) };
}

/** A large SIP MESSAGE in IPv4 and in IPv6 fragments, on a loopback link. */
function fragmentsSeed(): Seed {
  const body = 'x'.repeat(3000);
  const msg = (v6: boolean): Uint8Array => sipMessage('MESSAGE sip:bob@example.com SIP/2.0', dialogHeaders('MESSAGE', 1, v6 ? 'frag-6' : 'frag-4', ['Content-Type: text/plain']), body);
  const v4 = ipv4({ src: UE, dst: PCSCF, proto: PROTO.udp, id: 77 }, udp({ srcPort: 5060, dstPort: 5060 }, msg(false)));
  const v6 = ipv6({ src: UE6, dst: PCSCF6, nextHeader: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, msg(true)));
  const frames = [...ipv4Fragments(v4, 1200).map((f) => loopback(2, f)), ...ipv6Fragments(v6, 1200, 99).map((f) => loopback(30, f))];
  return { name: 'synthetic:fragments.pcap', bytes: writePcap(records(frames), { linkType: 0 }) };
}

/** Every built seed; the first is a plain, valid capture every command must accept. */
export function syntheticSeeds(): Seed[] {
  return [{ name: 'synthetic:sip-call-udp.pcap', bytes: sipCallCapture('call-1@10.10.0.2') }, imsRegisterTcp(), diameterSeed(), tunnelsSeed(), fragmentsSeed(), { name: 'synthetic:sip-tcp.pcap', bytes: writePcap(records([ipTcp({ src: UE, dst: PCSCF, srcPort: 5060, dstPort: 5060, seq: 1 }, sipMessage('OPTIONS sip:pcscf SIP/2.0', dialogHeaders('OPTIONS', 1, 'opt-1')))])) }];
}
