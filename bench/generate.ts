// Writes a large synthetic capture for the benchmark: many concurrent VoLTE-like calls over
// Ethernet/IPv4/UDP, each with SIP signalling (INVITE/100/180/200/ACK … BYE/200, SDP offering
// AMR-WB octet-aligned) and 20 ms AMR-WB RTP in both directions (speech with DTX periods),
// plus periodic REGISTER/401/REGISTER/200 exchanges. Streams to disk in 8 MiB blocks.
//   node --import tsx bench/generate.ts OUT.pcap [SIZE_MB]
import { openSync, writeSync, closeSync } from 'node:fs';

const out = process.argv[2];
const sizeMb = Number(process.argv[3] ?? 512);
if (!out) {
  console.error('usage: generate.ts OUT.pcap [SIZE_MB]');
  process.exit(2);
}

const fd = openSync(out, 'w');
const block = Buffer.alloc(8 << 20);
let used = 0;
let total = 0;

function flush(): void {
  writeSync(fd, block, 0, used);
  total += used;
  used = 0;
}

// pcap global header (µs, little-endian, Ethernet)
const gh = Buffer.alloc(24);
gh.writeUInt32LE(0xa1b2c3d4, 0);
gh.writeUInt16LE(2, 4);
gh.writeUInt16LE(4, 6);
gh.writeUInt32LE(262144, 16);
gh.writeUInt32LE(1, 20);
gh.copy(block, 0);
used = 24;

function ipv4(a: number): Buffer {
  return Buffer.from([10, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff]);
}

/** Appends one Ethernet/IPv4/UDP frame. */
function udpFrame(tUs: number, src: number, dst: number, sport: number, dport: number, payload: Uint8Array): void {
  const len = 14 + 20 + 8 + payload.length;
  if (used + 16 + len > block.length) flush();
  const b = block;
  let o = used;
  b.writeUInt32LE(Math.floor(tUs / 1e6), o);
  b.writeUInt32LE(tUs % 1e6, o + 4);
  b.writeUInt32LE(len, o + 8);
  b.writeUInt32LE(len, o + 12);
  o += 16;
  b.fill(0x02, o, o + 12);
  b.writeUInt16BE(0x0800, o + 12);
  o += 14;
  b[o] = 0x45;
  b[o + 1] = 0xb8;
  b.writeUInt16BE(20 + 8 + payload.length, o + 2);
  b.writeUInt32BE(0, o + 4);
  b[o + 8] = 64;
  b[o + 9] = 17;
  b.writeUInt16BE(0, o + 10);
  ipv4(src).copy(b, o + 12);
  ipv4(dst).copy(b, o + 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += b.readUInt16BE(o + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  b.writeUInt16BE(~sum & 0xffff, o + 10);
  o += 20;
  b.writeUInt16BE(sport, o);
  b.writeUInt16BE(dport, o + 2);
  b.writeUInt16BE(8 + payload.length, o + 4);
  b.writeUInt16BE(0, o + 6);
  o += 8;
  b.set(payload, o);
  used = o + payload.length;
}

function ip(a: number): string {
  return `10.${(a >> 16) & 0xff}.${(a >> 8) & 0xff}.${a & 0xff}`;
}

function sdp(addr: number, port: number): string {
  return [
    'v=0', `o=- ${port} 1 IN IP4 ${ip(addr)}`, 's=-', `c=IN IP4 ${ip(addr)}`, 't=0 0',
    `m=audio ${port} RTP/AVP 96 97 100`, 'b=AS:41',
    'a=rtpmap:96 AMR-WB/16000/1', 'a=fmtp:96 mode-change-capability=2;max-red=0;octet-align=1',
    'a=rtpmap:97 AMR/8000/1', 'a=fmtp:97 mode-change-capability=2;max-red=0;octet-align=1',
    'a=rtpmap:100 telephone-event/16000', 'a=fmtp:100 0-15', 'a=ptime:20', 'a=maxptime:240', 'a=sendrecv', '',
  ].join('\r\n');
}

function sip(startLine: string, callId: string, cseq: string, from: number, to: number, body = ''): Buffer {
  const headers = [
    startLine,
    `Via: SIP/2.0/UDP ${ip(from)}:5060;branch=z9hG4bK${callId}${cseq.replace(/\W/g, '')}`,
    'Max-Forwards: 70',
    `From: <sip:+4912345${from}@ims.mnc001.mcc001.3gppnetwork.org>;tag=f${from}`,
    `To: <sip:+4912345${to}@ims.mnc001.mcc001.3gppnetwork.org>${startLine.startsWith('SIP/') ? `;tag=t${to}` : ''}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    `Contact: <sip:+4912345${from}@${ip(from)}:5060>;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel"`,
    'User-Agent: bench-ue/1.0',
    'P-Access-Network-Info: 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=0010100010019B01',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return Buffer.from(headers.join('\r\n'));
}

// AMR-WB octet-aligned payload: CMR byte, one TOC byte, frame bytes (23.85 kbit/s = 477 bits → 60 bytes; SID = 40 bits → 5 bytes).
const speech = Buffer.alloc(2 + 60);
speech[0] = 0xf0;
speech[1] = (8 << 3) | 0x04;
for (let i = 2; i < speech.length; i++) speech[i] = (i * 37) & 0xff;
const sid = Buffer.alloc(2 + 5);
sid[0] = 0xf0;
sid[1] = (9 << 3) | 0x04;

const rtp = Buffer.alloc(12 + speech.length);
function rtpPacket(seq: number, ts: number, ssrc: number, payload: Buffer): Buffer {
  rtp[0] = 0x80;
  rtp[1] = 96;
  rtp.writeUInt16BE(seq & 0xffff, 2);
  rtp.writeUInt32BE(ts >>> 0, 4);
  rtp.writeUInt32BE(ssrc >>> 0, 8);
  payload.copy(rtp, 12);
  return rtp.subarray(0, 12 + payload.length);
}

const CONCURRENT = 200;
const CALL_SECONDS = 60;
const target = sizeMb * 1e6;
let t0 = 1_700_000_000 * 1e6;
let callNo = 0;
let frames = 0;
const pcscf = 1;

while (total + used < target) {
  // One "round" of CONCURRENT calls set up, talking CALL_SECONDS, and torn down.
  const calls = Array.from({ length: CONCURRENT }, () => {
    callNo++;
    const ue = 0x100000 + callNo * 2;
    const peer = ue + 1;
    return { id: `bench-${callNo}@${ip(ue)}`, ue, peer, uePort: 40000 + (callNo % 10000) * 2, peerPort: 50000 + (callNo % 7000) * 2, ssrcA: callNo * 7919, ssrcB: callNo * 104729, seqA: 0, seqB: 1000 };
  });
  // Signalling in time order: each phase sends one message per call, 1 ms apart.
  const phases: ((c: (typeof calls)[number], t: number) => void)[] = [
    (c, t) => udpFrame(t, c.ue, pcscf, 5060, 5060, sip('REGISTER sip:ims.mnc001.mcc001.3gppnetwork.org SIP/2.0', `reg-${c.id}`, '1 REGISTER', c.ue, c.ue)),
    (c, t) => udpFrame(t, pcscf, c.ue, 5060, 5060, sip('SIP/2.0 200 OK', `reg-${c.id}`, '1 REGISTER', c.ue, c.ue)),
    (c, t) => udpFrame(t, c.ue, c.peer, 5060, 5060, sip(`INVITE sip:+4912345${c.peer}@ims SIP/2.0`, c.id, '1 INVITE', c.ue, c.peer, sdp(c.ue, c.uePort))),
    (c, t) => udpFrame(t, c.peer, c.ue, 5060, 5060, sip('SIP/2.0 100 Trying', c.id, '1 INVITE', c.ue, c.peer)),
    (c, t) => udpFrame(t, c.peer, c.ue, 5060, 5060, sip('SIP/2.0 180 Ringing', c.id, '1 INVITE', c.ue, c.peer)),
    (c, t) => udpFrame(t, c.peer, c.ue, 5060, 5060, sip('SIP/2.0 200 OK', c.id, '1 INVITE', c.ue, c.peer, sdp(c.peer, c.peerPort))),
    (c, t) => udpFrame(t, c.ue, c.peer, 5060, 5060, sip(`ACK sip:+4912345${c.peer}@ims SIP/2.0`, c.id, '1 ACK', c.ue, c.peer)),
  ];
  phases.forEach((send, p) => calls.forEach((c, i) => send(c, t0 + p * 250_000 + i * 1000)));
  frames += phases.length * calls.length;
  const mediaStart = t0 + 2_000_000;
  for (let slot = 0; slot < CALL_SECONDS * 50 && total + used < target; slot++) {
    const ts = mediaStart + slot * 20000;
    for (let i = 0; i < calls.length; i++) {
      const c = calls[i]!;
      // Alternate talk spurts: 3 s speech, 2 s silence (SID every 8th slot), per direction. The
      // sequence number counts packets sent (RFC 3550 §5.1): a silence is a timestamp jump only.
      const phaseA = Math.floor((slot + i * 13) / 50) % 5 < 3;
      const phaseB = !phaseA;
      if (phaseA || slot % 8 === 0) {
        udpFrame(ts + i * 50, c.ue, c.peer, c.uePort, c.peerPort, rtpPacket(c.seqA++, slot * 320, c.ssrcA, phaseA ? speech : sid));
        frames++;
      }
      if (phaseB || slot % 8 === 0) {
        udpFrame(ts + i * 50 + 10, c.peer, c.ue, c.peerPort, c.uePort, rtpPacket(c.seqB++, slot * 320 + 5000, c.ssrcB, phaseB ? speech : sid));
        frames++;
      }
    }
  }
  const end = mediaStart + CALL_SECONDS * 1e6;
  calls.forEach((c, i) => udpFrame(end + i * 1000, c.ue, c.peer, 5060, 5060, sip(`BYE sip:+4912345${c.peer}@ims SIP/2.0`, c.id, '2 BYE', c.ue, c.peer)));
  calls.forEach((c, i) => udpFrame(end + 250_000 + i * 1000, c.peer, c.ue, 5060, 5060, sip('SIP/2.0 200 OK', c.id, '2 BYE', c.ue, c.peer)));
  frames += 2 * calls.length;
  const t = end + 500_000;
  t0 = t + 1_000_000;
}
flush();
closeSync(fd);
console.error(`wrote ${out}: ${(total / 1e6).toFixed(0)} MB, ${frames} frames, ${callNo} calls`);
