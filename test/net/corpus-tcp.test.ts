// TCP reassembly on real captures: for every TCP stream of these captures, the bytes handed on
// in each direction must equal tshark's "Follow TCP stream" (raw) output. The captures include
// SIP split over many segments, Diameter, SSH/TLS with retransmissions, and SIP over TCP
// inside GTP-U and NULL ESP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostPort } from '../../src/net/events.js';
import { needTools } from '../support/environment.js';
import { corpusPaths, mergedCapture } from './corpus.js';
import { decodeFile } from './harness.js';
import { TSHARK_PREFS, tsharkFields } from './tshark.js';
import { spawnSync } from 'node:child_process';

const CAPTURES = [
  'heplify__sip_ipv4_tcp_fragmented.pcap',
  'suricata-verify__sip-body-large_sip-body-large.pcap',
  'pcaptoparquet__50_sip_ott.pcap',
  'nDPI__diameter.pcap',
  'SSMTK-projekt__VoNR_poziv_PJSUA.pcap',
  'heplify__sip_tcp_websocket.pcap',
  'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng',
  'pyhss__Diameter_AIA2.pcapng',
  'zeek__vlan-qinqinq.pcap',
  'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap',
  'tcpdump__tcp-handshake-nano.pcap',
];

/** "a:port>b:port" → hex of the bytes tshark follows in that direction. */
function followAll(path: string): Map<string, string> {
  const ids = new Set(tsharkFields(path, ['tcp.stream']).flatMap((row) => (row[0] ?? '').split(',').filter((s) => s !== '')));
  const args = ['-r', path, '-n', '-q', ...TSHARK_PREFS, ...[...ids].flatMap((id) => ['-z', `follow,tcp,raw,${id}`])];
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = new Map<string, string>();
  for (const section of r.stdout.split(/^=+\n/m)) {
    const n0 = /^Node 0: (.*)$/m.exec(section)?.[1];
    const n1 = /^Node 1: (.*)$/m.exec(section)?.[1];
    if (n0 === undefined || n1 === undefined) continue;
    let forward = '';
    let backward = '';
    for (const line of section.split('\n')) {
      if (/^\t[0-9a-f]+$/.test(line)) backward += line.slice(1);
      else if (/^[0-9a-f]+$/.test(line)) forward += line;
    }
    out.set(`${n0}>${n1}`, (out.get(`${n0}>${n1}`) ?? '') + forward);
    out.set(`${n1}>${n0}`, (out.get(`${n1}>${n0}`) ?? '') + backward);
  }
  return out;
}

test('reassembled TCP streams equal tshark Follow TCP Stream, byte for byte', async (t) => {
  if (!needTools(t, 'tshark', 'mergecap')) return;
  const paths = corpusPaths(t, CAPTURES);
  if (paths === undefined) return;
  const expected = followAll(mergedCapture(t, paths));
  const ours = new Map<string, string>();
  for (const path of paths) {
    const d = await decodeFile(path);
    assert.equal(d.stats.tcpGaps, 0, `${path}: no bytes are missing in these captures`);
    for (const e of d.payloads) {
      if (e.transport !== 'tcp') continue;
      const key = `${hostPort(e.src, e.srcPort)}>${hostPort(e.dst, e.dstPort)}`;
      ours.set(key, (ours.get(key) ?? '') + Buffer.from(e.bytes).toString('hex'));
    }
  }
  for (const [k, v] of [...expected]) if (v === '') expected.delete(k);
  assert.ok(expected.size > 50, `${expected.size} directions with data`);
  assert.deepEqual([...ours.keys()].sort(), [...expected.keys()].sort());
  for (const [key, hex] of expected) assert.ok(ours.get(key) === hex, `${key}: ${(ours.get(key)?.length ?? 0) / 2} bytes handed on, tshark follows ${hex.length / 2}`);
});
