// UDP and SCTP payloads on real captures, against tshark: for every frame whose innermost
// transport is UDP carrying application data, one payload event with tshark's innermost
// addresses, ports and length (IPv4/IPv6 reassembly, GTP-U, NULL ESP included); for SCTP, one
// event per user message with tshark's stream, PPID and length (fragments reassembled).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needTools } from '../support/environment.js';
import { CORPUS_CAPTURES, corpusPaths, mergedCapture } from './corpus.js';
import { decodeFile } from './harness.js';
import { tsharkFields } from './tshark.js';

function last(cell: string | undefined): string {
  return (cell ?? '').split(',').at(-1) ?? '';
}

const UDP_FIELDS = ['frame.cap_len', 'frame.len', 'frame.protocols', 'ip.src', 'ipv6.src', 'udp.srcport', 'udp.dstport', 'udp.length'];
const SCTP_FIELDS = ['sctp.chunk_type', 'sctp.chunk_length', 'sctp.data_b_bit', 'sctp.data_e_bit', 'sctp.data_sid', 'sctp.data_payload_proto_id', 'sctp.fragment'];

/** "frame src sport>dport length" for every frame whose innermost transport is UDP carrying data. */
function expectedUdp(frames: string[][]): string[] {
  const expected: string[] = [];
  frames.forEach(([capLen, len, protocols = '', ip4, ip6, sport, dport, udpLen], index) => {
    const names = protocols.split(':');
    const u = names.lastIndexOf('udp');
    if (u < 0 || capLen !== len) return; // no UDP, or the capture cut the frame
    if (names.includes('icmp') || names.includes('icmpv6')) return; // a quoted header, not a datagram
    if (names.slice(u).some((n) => n === 'tcp' || n === 'sctp')) return; // UDP is not the innermost transport
    if ([last(sport), last(dport)].some((port) => port === '2152' || port === '4500')) return; // GTP-U or ESP tunnel
    const payloadLength = Number(last(udpLen)) - 8;
    if (payloadLength === 0) return;
    const innerIs6 = names.lastIndexOf('ipv6') > names.lastIndexOf('ip');
    expected.push(`${index + 1} ${innerIs6 ? last(ip6) : last(ip4)} ${last(sport)}>${last(dport)} ${payloadLength}`);
  });
  return expected;
}

/**
 * "frame sid ppid length" for every complete user message: whole DATA chunks, and tshark's
 * reassemblies (which name their fragments by frame number in the merged file: `offset` before this capture).
 */
function expectedSctp(frames: string[][], offset: number): string[] {
  const fragmentLength = new Map<number, { length: number; sid: number; ppid: string }>();
  const expected: string[] = [];
  frames.forEach(([types = '', lengths = '', bBits = '', eBits = '', sids = '', ppids = '', fragments = ''], index) => {
    const frameNo = index + 1;
    const chunkLengths = lengths.split(',').map(Number);
    const b = bBits.split(',');
    const e = eBits.split(',');
    const sid = sids.split(',').map(Number);
    const ppid = ppids.split(',');
    let k = 0;
    types.split(',').forEach((type, c) => {
      if (type !== '0') return; // DATA only
      const length = chunkLengths[c]! - 16;
      if (b[k] === '1' && e[k] === '1') expected.push(`${frameNo} sid ${sid[k]} ppid ${ppid[k]} ${length}`);
      else fragmentLength.set(frameNo, { length, sid: sid[k]!, ppid: b[k] === '1' ? ppid[k]! : '' });
      k++;
    });
    if (fragments !== '') {
      const parts = fragments.split(',').map((f) => fragmentLength.get(Number(f) - offset)!);
      expected.push(`${frameNo} sid ${parts[0]!.sid} ppid ${parts[0]!.ppid} ${parts.reduce((n, p) => n + p.length, 0)}`);
    }
  });
  return expected;
}

test('UDP datagrams and SCTP user messages of every corpus capture match tshark', async (t) => {
  if (!needTools(t, 'tshark', 'mergecap')) return;
  const paths = corpusPaths(t, CORPUS_CAPTURES);
  if (paths === undefined) return;
  const rows = tsharkFields(mergedCapture(t, paths), [...UDP_FIELDS, ...SCTP_FIELDS]);
  let at = 0;
  let udpCompared = 0;
  let sctpCompared = 0;
  for (const [i, name] of CORPUS_CAPTURES.entries()) {
    const d = await decodeFile(paths[i]!);
    const frames = rows.slice(at, at + d.stats.frames);
    const udp = expectedUdp(frames.map((r) => r.slice(0, UDP_FIELDS.length)));
    const sctp = expectedSctp(frames.map((r) => r.slice(UDP_FIELDS.length)), at);
    at += d.stats.frames;
    udpCompared += udp.length;
    sctpCompared += sctp.length;
    const ours = (transport: string) =>
      d.payloads
        .filter((p) => p.transport === transport)
        .map((p) => (transport === 'udp' ? `${p.frameNo} ${p.src} ${p.srcPort}>${p.dstPort} ${p.bytes.length}` : `${p.frameNo} sid ${p.sctp?.streamId} ppid ${p.sctp?.ppid} ${p.bytes.length}`));
    await t.test(name, () => {
      assert.deepEqual(ours('udp'), udp);
      assert.deepEqual(ours('sctp'), sctp);
    });
  }
  assert.equal(at, rows.length);
  assert.ok(udpCompared > 5000, `${udpCompared} datagrams compared`);
  assert.ok(sctpCompared > 200, `${sctpCompared} SCTP messages compared`);
});
