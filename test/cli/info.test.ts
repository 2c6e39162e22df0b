// `imscap info` on every corpus capture: frame count equal to capinfos', layer counts equal to
// tshark's (frames whose protocol list holds each layer), SIP/Diameter frames equal to tshark's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needTools } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { CORPUS_CAPTURES, corpusPaths, mergedCapture } from '../net/corpus.js';
import { tsharkFields } from '../net/tshark.js';
import { writePcap } from '../fixtures/capture-writer.js';
import { ipUdp, text } from '../fixtures/packets.js';

interface InfoJson {
  frames: number;
  layers: Record<string, number>;
  applicationFrames: Record<string, number>;
  variant: string;
}

async function info(path: string): Promise<InfoJson> {
  const r = await runCli(['info', path, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as InfoJson;
}

test('info counts frames as capinfos does, on every corpus capture', async (t) => {
  if (!needTools(t, 'capinfos')) return;
  const paths = corpusPaths(t, CORPUS_CAPTURES);
  if (paths === undefined) return;
  for (const path of paths) {
    const r = spawnSync('capinfos', ['-M', '-c', '-T', '-r', path], { encoding: 'utf8' });
    // capinfos still reports the frames it read from a damaged file (non-zero exit).
    const expected = Number(r.stdout.trim().split('\t').pop());
    const mine = await info(path);
    assert.equal(mine.frames, expected, path);
  }
});

test('info layer and application counts equal tshark on every corpus capture', async (t) => {
  if (!needTools(t, 'tshark', 'mergecap')) return;
  const paths = corpusPaths(t, CORPUS_CAPTURES);
  if (paths === undefined) return;
  const mine: InfoJson[] = [];
  for (const path of paths) mine.push(await info(path));
  const rows = tsharkFields(mergedCapture(t, paths), ['frame.protocols']);
  const layers: [string, (j: InfoJson) => number][] = [
    ['ip', (j) => j.layers.ipv4 ?? 0],
    ['ipv6', (j) => j.layers.ipv6 ?? 0],
    ['udp', (j) => j.layers.udp ?? 0],
    ['tcp', (j) => j.layers.tcp ?? 0],
    ['sctp', (j) => j.layers.sctp ?? 0],
    ['esp', (j) => j.layers.esp ?? 0],
  ];
  let at = 0;
  for (const [i, name] of CORPUS_CAPTURES.entries()) {
    const m = mine[i]!;
    const frames = rows.slice(at, at + m.frames).map(([p = '']) => p.split(':'));
    at += m.frames;
    await t.test(name, () => {
      for (const [proto, pick] of layers) assert.equal(pick(m), frames.filter((f) => f.includes(proto)).length, `${proto} frames`);
    });
  }
});

test('info reads stdin and gzip, and names a file that is not a capture', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-info-'));
  const pcap = writePcap([{ bytes: ipUdp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 5060, dstPort: 5060 }, text('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n')) }]);
  const gz = join(dir, 'one.pcap.gz');
  const { gzipSync } = await import('node:zlib');
  writeFileSync(gz, gzipSync(pcap));
  const j = await info(gz);
  assert.equal(j.frames, 1);
  assert.equal(j.applicationFrames.sip, 1);
  const bogus = join(dir, 'notes.txt');
  writeFileSync(bogus, 'these are not packets\n');
  const r = await runCli(['info', bogus]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /notes\.txt.*not a pcap or pcapng file/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
