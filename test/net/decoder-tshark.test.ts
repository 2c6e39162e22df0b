// Packets built by the fixtures, written to a pcapng with one interface per link type, read by
// tshark and by the decoder: layer counts, payload ports / addresses / lengths and the builders'
// checksums must agree with tshark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writePcapng } from '../fixtures/capture-writer.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import {
  concat,
  espNull,
  ethernet,
  frameOf,
  gtpu,
  ipTcp,
  ipUdp,
  ipv4,
  ipv4Fragments,
  ipv6,
  ipv6Fragments,
  loopback,
  sctp,
  sctpChunk,
  sctpData,
  sll,
  sll2,
  tcp,
  text,
  udp,
  PROTO,
} from '../fixtures/packets.js';
import { needTools } from '../support/environment.js';
import { decodeAll, layer } from './harness.js';
import { framesWith, tsharkFields, tsharkProtocols } from './tshark.js';

const LINK_TYPES = [1, 113, 276, 0, 108, 101, 228, 229] as const;
type LinkType = (typeof LINK_TYPES)[number];

const sip = (n: number) => text(`OPTIONS sip:probe${n}@example.net SIP/2.0\r\nContent-Length: 0\r\n\r\n`);
const ue6 = '2001:db8:45::7';
const pcscf6 = '2001:db8::10';

function transportSegment6(proto: number, segment: Uint8Array): Uint8Array {
  return ipv6({ src: ue6, dst: pcscf6, nextHeader: proto }, segment).subarray(40);
}

function packets(): [LinkType, Uint8Array][] {
  const out: [LinkType, Uint8Array][] = [];
  const add = (lt: LinkType, b: Uint8Array) => out.push([lt, b]);
  const v4udp = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, sip(1)));
  const v6udp = ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: PROTO.udp }, udp({ srcPort: 5062, dstPort: 5064 }, sip(2)));
  add(1, ethernet({}, v4udp));
  add(1, ethernet({ vlan: [{ id: 10, tpid: 0x88a8 }, 20] }, v6udp));
  add(1, ethernet({ vlan: [1, 2, 3] }, ipv4({ src: '192.0.2.1', dst: '192.0.2.9', proto: PROTO.udp, options: Uint8Array.from([1, 1, 1, 0]) }, udp({ srcPort: 7, dstPort: 9 }, sip(3)))));
  add(113, sll({}, v4udp));
  add(276, sll2({}, v6udp));
  add(0, loopback(2, v4udp));
  add(0, loopback(30, v6udp));
  add(108, loopback(2, v4udp, true));
  add(101, v4udp);
  add(101, v6udp);
  add(228, v4udp);
  add(229, v6udp);
  // TCP, both families, a handshake and data
  add(1, ipTcp({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 40000, dstPort: 5060, seq: 100, flags: 'S' }, new Uint8Array(0)));
  add(1, ipTcp({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 40000, dstPort: 5060, seq: 101 }, sip(4)));
  add(1, ipTcp({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 40001, dstPort: 5060, seq: 1 }, sip(5)));
  // IPv6 with extension headers
  add(1, ethernet({}, ipv6({ src: 'fe80::1', dst: 'fe80::2', nextHeader: PROTO.udp, extHeaders: [{ type: 0, data: Uint8Array.from([1, 4, 0, 0, 0, 0]) }, { type: 60, data: Uint8Array.from([1, 4, 0, 0, 0, 0]) }] }, udp({ srcPort: 1000, dstPort: 2000 }, sip(6)))));
  // SCTP with two DATA chunks and a SACK
  add(1, ethernet({}, ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: PROTO.sctp }, sctp({ srcPort: 3868, dstPort: 3868 }, [sctpData({ tsn: 1, streamId: 0, ppid: 46 }, sip(7)), sctpChunk(3, 0, new Uint8Array(12)), sctpData({ tsn: 2, streamId: 1, ppid: 46 }, sip(8))]))));
  // GTP-U carrying IPv4 and IPv6, with extension headers
  const gtpOuter = { src: '10.10.0.1', dst: '10.10.0.2', srcPort: 2152, dstPort: 2152 };
  add(1, ipUdp(gtpOuter, gtpu({ teid: 0x11 }, v4udp)));
  add(1, ipUdp(gtpOuter, gtpu({ teid: 0x12, seq: 9, extHeaders: [{ type: 0x85, content: Uint8Array.from([0x10, 0x09]) }] }, v6udp)));
  add(1, ipUdp(gtpOuter, gtpu({ teid: 0, seq: 1, messageType: 1 }, Uint8Array.from([14, 0]))));
  // NULL ESP, 12- and 16-byte ICV, plain and inside GTP-U
  const espUdp = (seq: number, icvLength: 12 | 16) => ipv6({ src: ue6, dst: pcscf6, nextHeader: PROTO.esp }, espNull({ spi: 0x100, seq, nextHeader: PROTO.udp, icvLength }, transportSegment6(PROTO.udp, udp({ srcPort: 5060, dstPort: 5060 }, sip(9 + seq)))));
  const espTcp = ipv6({ src: ue6, dst: pcscf6, nextHeader: PROTO.esp }, espNull({ spi: 0x200, seq: 1, nextHeader: PROTO.tcp, icvLength: 12 }, transportSegment6(PROTO.tcp, tcp({ srcPort: 6100, dstPort: 5060, seq: 1 }, sip(20)))));
  add(1, ethernet({}, espUdp(1, 12)));
  add(1, ethernet({}, espUdp(2, 16)));
  add(1, ipUdp(gtpOuter, gtpu({ teid: 0x13, extHeaders: [{ type: 0x85, content: Uint8Array.from([0x10, 0x05]) }] }, espTcp)));
  // ESP in UDP 4500, a NAT keepalive
  const nat = { src: '198.51.100.20', dst: '203.0.113.5', srcPort: 4500, dstPort: 4500 };
  const natSeg = ipv4({ src: nat.src, dst: nat.dst, proto: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, sip(21))).subarray(20);
  add(1, ipUdp(nat, espNull({ spi: 0x300, seq: 1, nextHeader: PROTO.udp, icvLength: 12 }, natSeg)));
  add(1, ipUdp(nat, Uint8Array.from([0xff])));
  // IPv4 and IPv6 fragments (out of order for IPv6)
  const big = sip(22).length < 600 ? concat(sip(22), text('a'.repeat(1500))) : sip(22);
  for (const f of ipv4Fragments(ipv4({ src: '192.0.2.5', dst: '192.0.2.6', proto: PROTO.udp, id: 77 }, udp({ srcPort: 5060, dstPort: 5060 }, big)), 600)) add(1, ethernet({}, f));
  const f6 = ipv6Fragments(ipv6({ src: '2001:db8::5', dst: '2001:db8::6', nextHeader: PROTO.udp }, udp({ srcPort: 5060, dstPort: 5060 }, big)), 600, 99);
  for (const f of [f6[1]!, f6[0]!, ...f6.slice(2)]) add(1, ethernet({}, f));
  // IP-in-IP and an ICMP error quoting UDP
  add(1, ethernet({}, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.ipv6 }, v6udp)));
  add(1, ethernet({}, ipv4({ src: '192.0.2.2', dst: '192.0.2.1', proto: PROTO.icmp }, withIcmpChecksum(concat(Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0]), v4udp.subarray(0, 28))))));
  return out;
}

function withIcmpChecksum(icmp: Uint8Array): Uint8Array {
  let sum = 0;
  for (let i = 0; i + 1 < icmp.length; i += 2) sum += (icmp[i]! << 8) | icmp[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const out = icmp.slice();
  out[2] = (~sum >> 8) & 0xff;
  out[3] = ~sum & 0xff;
  return out;
}

function writeCapture(t: import('node:test').TestContext, list: [LinkType, Uint8Array][]): string {
  const bytes = writePcapng([
    {
      interfaces: LINK_TYPES.map((linkType) => ({ linkType })),
      records: list.map(([lt, b], i) => ({ bytes: b, interfaceId: LINK_TYPES.indexOf(lt), tsSec: 1_700_000_000, tsNsec: i * 1000 })),
    },
  ]);
  return tempCaptureFile(t, 'built.pcapng', bytes);
}

test('layer counts of built packets agree with tshark', (t) => {
  if (!needTools(t, 'tshark')) return;
  const list = packets();
  const path = writeCapture(t, list);
  const oracle = framesWith(tsharkProtocols(path), ['ip', 'ipv6', 'udp', 'tcp', 'sctp', 'gtp', 'esp', 'vlan', 'icmp']);
  const d = decodeAll(list.map(([lt, b], i) => frameOf(b, { frameNo: i + 1, linkType: lt })));
  const ours = new Map([
    ['ip', layer(d, 'ipv4')],
    ['ipv6', layer(d, 'ipv6')],
    ['udp', layer(d, 'udp')],
    ['tcp', layer(d, 'tcp')],
    ['sctp', layer(d, 'sctp')],
    ['gtp', layer(d, 'gtpu')],
    ['esp', layer(d, 'esp')],
    ['vlan', layer(d, 'vlan')],
    ['icmp', layer(d, 'icmp')],
  ]);
  assert.deepEqual(ours, oracle);
  assert.equal(d.stats.malformed, 0, JSON.stringify(d.problems));
});

test('every UDP payload matches tshark: frame, innermost addresses, ports and length', (t) => {
  if (!needTools(t, 'tshark')) return;
  const list = packets();
  const path = writeCapture(t, list);
  const rows = tsharkFields(path, ['frame.number', 'ip.src', 'ipv6.src', 'udp.srcport', 'udp.dstport', 'udp.length', 'frame.protocols']);
  const expected: string[] = [];
  for (const [frame, ip4, ip6, sport, dport, len, protocols] of rows) {
    const names = (protocols ?? '').split(':');
    // Only frames whose innermost transport is UDP carrying an application payload.
    const u = names.lastIndexOf('udp');
    if (sport === '' || u < 0 || names.includes('icmp') || ['gtp', 'udpencap'].includes(names[u + 1] ?? '') || names.slice(u).some((n) => n === 'tcp' || n === 'sctp')) continue;
    const last = (cell: string | undefined) => (cell ?? '').split(',').at(-1) ?? '';
    // The innermost address: IPv6 when the innermost IP header is IPv6.
    const innerIs6 = names.lastIndexOf('ipv6') > names.lastIndexOf('ip');
    expected.push(`${frame} ${innerIs6 ? last(ip6) : last(ip4)} ${last(sport)}>${last(dport)} ${Number(last(len)) - 8}`);
  }
  const d = decodeAll(list.map(([lt, b], i) => frameOf(b, { frameNo: i + 1, linkType: lt })));
  const ours = d.payloads.filter((p) => p.transport === 'udp').map((p) => `${p.frameNo} ${p.src} ${p.srcPort}>${p.dstPort} ${p.bytes.length}`);
  assert.deepEqual(ours, expected);
});

test('the builders write valid IPv4, UDP, TCP and SCTP checksums', (t) => {
  if (!needTools(t, 'tshark')) return;
  const path = writeCapture(t, packets());
  const prefs = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'sctp.checksum:crc-32c', '-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
  const rows = tsharkFields(path, ['frame.number', 'ip.checksum.status', 'udp.checksum.status', 'tcp.checksum.status', 'sctp.checksum.status'], prefs);
  let checked = 0;
  for (const row of rows) {
    for (const cell of row.slice(1)) {
      for (const status of cell.split(',').filter((s) => s !== '')) {
        // 0 = bad, 1 = good, 2 = not verifiable (a header quoted in an ICMP error)
        assert.notEqual(status, '0', `frame ${row[0]}: bad checksum in ${row.join(' | ')}`);
        if (status === '1') checked++;
      }
    }
  }
  assert.ok(checked > 40, `${checked} checksums verified`);
});
