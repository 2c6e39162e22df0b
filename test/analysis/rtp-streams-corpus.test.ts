// The RTP streams of real captures agree with tshark's `-z rtp,streams`: the same flows and
// SSRCs, and per stream the same packet count, loss and maximum jitter (RFC 3550 A.8).
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runPass } from '../../src/pipeline/pass.js';
import { RtpStreamTable, type RtpStreamsReport } from '../../src/analysis/rtp-streams.js';
import { readFileSync } from 'node:fs';
import { corpusFile, needTools } from '../support/environment.js';
import { parseEspKeys, type EspKeys } from '../../src/net/esp-keys.js';

interface TsharkStream {
  key: string;
  packets: number;
  lost: number;
  maxJitter: number;
}

const run = promisify(execFile);

async function tsharkStreams(path: string, extra: readonly string[]): Promise<TsharkStream[]> {
  const { stdout } = await run('tshark', ['-n', '-r', path, ...extra, '-q', '-z', 'rtp,streams'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const rows: TsharkStream[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+0x([0-9A-Fa-f]+)\s+\S.*?\s(\d+)\s+(-?\d+) \([-\d.]+%\)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)/.exec(line);
    if (m === null) continue;
    rows.push({ key: `${m[1]} ${m[2]} ${m[3]} ${m[4]} ${parseInt(m[5] as string, 16)}`, packets: Number(m[6]), lost: Number(m[7]), maxJitter: Number(m[8]) });
  }
  return rows;
}

async function ours(path: string, espKeys?: EspKeys): Promise<RtpStreamsReport> {
  const table = new RtpStreamTable();
  await runPass(path, { sip: (e) => table.sip(e), rtp: (e) => table.rtp(e) }, { rtpHeuristic: true, ...(espKeys !== undefined ? { net: { espKeys } } : {}) });
  return table.finish();
}

/**
 * tshark keys streams by addresses, ports and SSRC only: the same flow seen inside and outside
 * a tunnel is one row there. Our streams (keyed with the tunnel path too) are compared per row.
 */
async function compare(t: TestContext, name: string, tsharkOptions: readonly string[], expectedStreams: number, espKeys?: EspKeys, seenTwice: readonly string[] = []): Promise<void> {
  const path = corpusFile(t, name);
  if (path === undefined || !needTools(t, 'tshark')) return;
  const [report, oracle] = await Promise.all([ours(path, espKeys), tsharkStreams(path, tsharkOptions)]);
  assert.equal(oracle.length, expectedStreams, `tshark finds ${expectedStreams} streams in ${name}`);
  const keyOf = (s: RtpStreamsReport['streams'][number]): string => `${s.src} ${s.srcPort} ${s.dst} ${s.dstPort} ${s.ssrc}`;
  const oracleKeys = new Set(oracle.map((o) => o.key));
  assert.deepEqual(report.streams.map(keyOf).filter((k) => !oracleKeys.has(k)), [], 'no stream tshark does not see');
  for (const o of oracle) {
    const mine = report.streams.filter((s) => keyOf(s) === o.key);
    if (seenTwice.includes(o.key)) {
      // One flow captured inside and outside the tunnel: tshark's one row holds both of ours.
      assert.deepEqual(mine.map((s) => s.tunnel === '').sort(), [false, true], `${name}: ${o.key} once inside and once outside`);
      assert.equal(mine.reduce((n, s) => n + s.stats.packets, 0), o.packets, `${name}: ${o.key} packets`);
      continue;
    }
    assert.equal(mine.length, 1, `${name}: ${o.key}`);
    const s = mine[0] as RtpStreamsReport['streams'][number];
    assert.equal(s.stats.packets, o.packets, `${name}: ${o.key} packets`);
    assert.equal(s.stats.lost, o.lost, `${name}: ${o.key} lost`);
    assert.ok(Math.abs(s.stats.maxJitterMs - o.maxJitter) < 0.002, `${name}: ${o.key} max jitter ${s.stats.maxJitterMs} vs ${o.maxJitter}`);
  }
}

// tshark takes seconds to start: the captures are compared side by side.
describe('RTP streams of corpus captures against tshark', { concurrency: true }, () => {
  it('AMR-WB octet-aligned call (nesfit codecs3-amr-wb): both streams as tshark counts them', async (t) => {
    await compare(t, 'nesfit__codecs3-amr-wb.pcap', [], 2);
  });

  it('VoNR call with a lost packet (SSMTK wp3_v2 pcapng): streams, loss and jitter as tshark', async (t) => {
    await compare(t, 'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng', [], 2);
  });

  it('VoNR call with GTP-U-tunnelled media (SSMTK VoNR_poziv_PJSUA): four streams as tshark with RTP heuristics', async (t) => {
    await compare(t, 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap', ['-o', 'rtp.heuristic_rtp:TRUE', '-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'], 4);
  });

  it('VoWiFi call, AMR-NB in UDP-encapsulated ESP (rtpdump sample2): the stream as tshark', async (t) => {
    await compare(t, 'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap', [], 1);
  });

  it('VoWiFi call decrypted with its 3DES keys: the downlink found only inside ESP, the uplink inside and outside, as tshark decrypts them', async (t) => {
    const keysPath = corpusFile(t, 'rtpdump__esp-keys.txt');
    if (keysPath === undefined) return;
    const listed = parseEspKeys(readFileSync(keysPath, 'utf8'), keysPath);
    assert.equal(listed.size, 2);
    // The SAs as lines of Wireshark's ESP SA table: tshark and imscap read the very same lines
    // (the integrity algorithm only sizes the ICV).
    const lines = [...listed.values()].map((sa) => `"IPv4","*","*","0x${sa.spi.toString(16).padStart(8, '0')}","TripleDES-CBC [RFC2451]","0x${Buffer.from(sa.key).toString('hex')}","HMAC-SHA-1-96 [RFC2404]",""`);
    const espKeys = parseEspKeys(lines.join('\n'), 'esp_sa');
    const uplink = `10.192.51.201 12720 186.196.183.115 50010 ${0x20ae3805}`;
    await compare(t, 'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap', ['-o', 'esp.enable_encryption_decode:TRUE', ...lines.flatMap((l) => ['-o', `uat:esp_sa:${l}`])], 2, espKeys, [uplink]);
  });
});
