// The capture-aware mutator, checked against capinfos and tshark: its record layout has the
// records capinfos counts; a cut at every record boundary leaves exactly the records before it
// (capinfos and imscap agree, with no warning); a packet it resizes still has consistent IP and
// UDP lengths as tshark reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePcap, writePcapng } from '../fixtures/capture-writer.js';
import { captureLayout, mulberry32, mutate, recordBoundaries, resizePacket, truncateAtBoundary } from '../fixtures/mutate.js';
import { corpusCaptures, needTools } from '../support/environment.js';
import { imscap, scratchDir, sipFrames } from './support.js';
import { syntheticSeeds } from '../../scripts/fuzz/synthetic.js';

const frames = sipFrames(5);
const BUILT = [
  { name: 'built.pcap', bytes: writePcap(frames.map((bytes) => ({ bytes }))) },
  { name: 'built-be-ns.pcap', bytes: writePcap(frames.map((bytes) => ({ bytes })), { bigEndian: true, nanosecond: true }) },
  { name: 'built.pcapng', bytes: writePcapng([{ interfaces: [{ linkType: 1, name: 'eth0' }], records: frames.map((bytes) => ({ bytes })) }]) },
  { name: 'built-be.pcapng', bytes: writePcapng([{ bigEndian: true, interfaces: [{ linkType: 1 }], records: frames.map((bytes, i) => ({ bytes, block: i % 2 === 0 ? ('epb' as const) : ('spb' as const) })) }]) },
];

function capinfosCount(path: string): number {
  return Number(execFileSync('capinfos', ['-T', '-r', '-c', '-M', path], { encoding: 'utf8' }).trim().split('\t')[1]);
}


test('the record layout of every corpus capture has the packets capinfos counts and ends at the end of the file', (t) => {
  if (!needTools(t, 'capinfos')) return;
  const paths = corpusCaptures(t);
  if (paths === undefined) return;
  for (const path of paths) {
    const bytes = new Uint8Array(readFileSync(path));
    const layout = captureLayout(bytes);
    assert.notEqual(layout.format, 'unknown', path);
    assert.equal(layout.records.filter((r) => r.kind === 'packet').length, capinfosCount(path), path);
    assert.equal(layout.end, bytes.length, `${path}: no bytes left over`);
  }
});

test('a cut at every record boundary leaves the records before it: capinfos and imscap agree, no warning', async (t) => {
  if (!needTools(t, 'capinfos')) return;
  const dir = scratchDir(t);
  for (const built of BUILT) {
    const layout = captureLayout(built.bytes);
    const boundaries = recordBoundaries(layout);
    const packetsBefore = (offset: number): number => layout.records.filter((r) => r.kind === 'packet' && r.offset + r.length <= offset).length;
    assert.equal(boundaries.length, layout.records.length + 1, built.name);
    for (let k = 0; k < boundaries.length; k++) {
      const cut = truncateAtBoundary(built.bytes, layout, k);
      assert.ok(cut !== undefined);
      const path = join(dir, `${k}-${built.name}`);
      writeFileSync(path, cut.bytes);
      const expected = packetsBefore(boundaries[k] as number);
      assert.equal(capinfosCount(path), expected, `${built.name} cut at boundary ${k}`);
      const r = await imscap('info', path, '--format', 'json');
      assert.equal(r.code, 0, r.err);
      const info = JSON.parse(r.out) as { frames: number; warnings: unknown[] };
      assert.equal(info.frames, expected, `${built.name} cut at boundary ${k}`);
      assert.deepEqual(info.warnings, [], `${built.name} cut at boundary ${k}: a whole-record cut is no problem`);
      assert.equal(r.err, '');
    }
  }
});

test('a SIP header grown by 5,000 bytes: tshark reads the new IP and UDP lengths and the whole message', (t) => {
  if (!needTools(t, 'tshark')) return;
  const dir = scratchDir(t);
  for (const built of BUILT.slice(0, 3)) {
    const layout = captureLayout(built.bytes);
    const index = layout.records.findIndex((r) => r.kind === 'packet');
    const r = layout.records[index];
    assert.ok(r !== undefined);
    const data = built.bytes.subarray(r.dataOffset, r.dataOffset + r.dataLength);
    const at = r.dataOffset + Buffer.from(data).indexOf('Call-ID: ') + 'Call-ID: '.length;
    const grown = resizePacket(built.bytes, layout, index, at, at, new TextEncoder().encode('x'.repeat(5000)));
    const path = join(dir, `grown-${built.name}`);
    writeFileSync(path, grown);
    const out = execFileSync('tshark', ['-r', path, '-c', '1', '-T', 'fields', '-E', 'separator=,', '-e', 'frame.cap_len', '-e', 'ip.len', '-e', 'udp.length', '-e', 'sip.Call-ID', '-e', '_ws.malformed'], { encoding: 'utf8' });
    const [capLen, ipLen, udpLen, callId, malformed] = out.trim().split(',');
    assert.equal(Number(capLen), r.dataLength + 5000, built.name);
    assert.equal(Number(ipLen), r.dataLength + 5000 - 14, built.name);
    assert.equal(Number(udpLen), r.dataLength + 5000 - 14 - 20, built.name);
    assert.equal(callId, `${'x'.repeat(5000)}robust-0@192.0.2.1`, built.name);
    assert.equal(malformed ?? '', '', built.name);
  }
});

test('mutations never throw, are the same for the same seed, and keep every capture within bounds', () => {
  for (const seed of syntheticSeeds()) {
    for (let i = 0; i < 300; i++) {
      const a = mutate(seed.bytes, mulberry32(i));
      const b = mutate(seed.bytes, mulberry32(i));
      assert.deepEqual(a.steps, b.steps);
      assert.deepEqual(a.bytes, b.bytes);
      assert.ok(a.steps.length >= 1, `${seed.name} #${i}: at least one mutation`);
      assert.ok(a.bytes.length < seed.bytes.length * 4 + 4 * 65536, `${seed.name} #${i}: ${a.bytes.length} bytes`);
    }
  }
});
