// AMR / AMR-WB streams of real captures, extracted: per stream the frames of each type equal
// those tshark's AMR dissector finds in the packets, the file spans the stream's RTP timestamps
// (first to last frame, 20 ms a frame), and sox decodes every file to frames × 20 ms of audio.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runPass } from '../../src/pipeline/pass.js';
import { AmrExtractor } from '../../src/analysis/amr-extract/extractor.js';
import type { AmrExtractReport, ExtractSink } from '../../src/analysis/amr-extract/types.js';
import { MemoryByteSink } from '../../src/media/byte-sink.js';
import { scratchDir } from '../fixtures/amr-frames.js';
import { corpusFile, needTools } from '../support/environment.js';

const run = promisify(execFile);

interface Corpus {
  readonly file: string;
  readonly wideband: boolean;
  readonly octetAligned: boolean;
  readonly payloadType: number;
  readonly streams: number;
  readonly tsharkOptions?: readonly string[];
}

interface OracleStream {
  /** Frames per frame type over every packet (duplicates would count twice; these captures have none). */
  readonly frameTypes: Map<number, number>;
  /** Slots from the first to the last frame, by RTP timestamp. */
  readonly slots: number;
}

/** Frame types and timestamps per stream (SSRC and innermost UDP ports) from packet-amr.c. */
async function tsharkAmr(path: string, c: Corpus): Promise<Map<string, OracleStream>> {
  const codec = c.wideband ? 'wb' : 'nb';
  const args = [
    '-n', '-r', path, ...(c.tsharkOptions ?? []),
    '-o', `amr.encoding.version:${c.octetAligned ? 'RFC 3267 octet aligned' : 'RFC 3267 BW-efficient'}`,
    '-o', `amr.mode:${c.wideband ? 'Wideband AMR' : 'Narrowband AMR'}`,
    '-d', `rtp.pt==${c.payloadType},amr`,
    '-Y', 'amr', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,',
    '-e', 'rtp.ssrc', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'rtp.timestamp', '-e', `amr.${codec}.toc.ft`,
  ];
  const { stdout } = await run('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  // Tunnelled packets have two UDP headers: the innermost (last) one is the media's.
  const innermost = (list: string): string => list.split(',').pop() ?? '';
  const step = c.wideband ? 320 : 160;
  const acc = new Map<string, { types: Map<number, number>; first: number; last: number; lastFrames: number }>();
  for (const line of stdout.trim().split('\n')) {
    const [ssrc, sports, dports, ts, fts] = line.split('\t') as [string, string, string, string, string];
    const key = `${parseInt(ssrc, 16)} ${innermost(sports)} ${innermost(dports)}`;
    const frames = fts.split(',').map(Number);
    const timestamp = Number(ts);
    let s = acc.get(key);
    if (s === undefined) {
      s = { types: new Map(), first: timestamp, last: timestamp, lastFrames: frames.length };
      acc.set(key, s);
    }
    for (const ft of frames) s.types.set(ft, (s.types.get(ft) ?? 0) + 1);
    if (timestamp < s.first) s.first = timestamp;
    if (timestamp >= s.last) [s.last, s.lastFrames] = [timestamp, frames.length];
  }
  return new Map([...acc].map(([k, s]) => [k, { frameTypes: s.types, slots: (s.last - s.first) / step + s.lastFrames }]));
}

class KeptSink extends MemoryByteSink implements ExtractSink {
  commit(): void {}
  abort(): void {}
}

async function extract(path: string): Promise<{ report: AmrExtractReport; files: Map<string, KeptSink> }> {
  const files = new Map<string, KeptSink>();
  const extractor = new AmrExtractor({
    sinks: (name) => {
      const sink = new KeptSink();
      files.set(name, sink);
      return sink;
    },
  });
  await runPass(path, extractor.handlers(), { rtpHeuristic: true });
  return { report: extractor.finish(), files };
}

async function check(t: TestContext, c: Corpus): Promise<void> {
  const path = corpusFile(t, c.file);
  if (path === undefined || !needTools(t, 'tshark', 'sox')) return;
  const [{ report, files }, oracle] = await Promise.all([extract(path), tsharkAmr(path, c)]);
  assert.equal(report.streams.length, c.streams);
  assert.equal(oracle.size, c.streams);
  const dir = scratchDir(t);
  for (const r of report.streams) {
    const key = `${r.stream.ssrc} ${r.stream.srcPort} ${r.stream.dstPort}`;
    const o = oracle.get(key);
    assert.ok(o !== undefined, `${c.file}: tshark sees ${key}`);
    assert.equal(r.outputs.length, 1, `${c.file} ${key}: one file`);
    const out = r.outputs[0] as (typeof r.outputs)[number];
    assert.equal(out.codec, c.wideband ? 'AMR-WB' : 'AMR');
    // Frames from packets = frames written, minus the NO_DATA put in empty slots.
    const fromPackets = new Map(out.frameTypes.map((f) => [f.ft, f.frames - (f.ft === 15 ? out.filledSlots : 0)]));
    for (const [ft, n] of [...fromPackets]) if (n === 0) fromPackets.delete(ft);
    assert.deepEqual([...fromPackets].sort((a, b) => a[0] - b[0]), [...o.frameTypes].sort((a, b) => a[0] - b[0]), `${c.file} ${key}: frames by type`);
    assert.equal(out.frames, o.slots, `${c.file} ${key}: the file spans the RTP timestamps`);
    const file = join(dir, out.file);
    writeFileSync(file, (files.get(out.file) as KeptSink).bytes());
    const { stdout } = await run('sox', ['--', file, '-t', 's16', '-c', '1', '-'], { encoding: 'buffer', maxBuffer: 1 << 26 });
    assert.equal(stdout.length / 2, out.frames * (c.wideband ? 320 : 160), `${c.file} ${key}: sox decodes frames × 20 ms`);
  }
}

// tshark takes seconds to start: the captures are compared side by side.
describe('AMR extraction of corpus captures against tshark and sox', { concurrency: true }, () => {
  it('AMR-WB octet-aligned, SDP PT 123 (nesfit codecs3-amr-wb)', async (t) => {
    await check(t, { file: 'nesfit__codecs3-amr-wb.pcap', wideband: true, octetAligned: true, payloadType: 123, streams: 2 });
  });

  it('AMR-WB octet-aligned with DTX and a lost packet (SSMTK wp3_v2 pcapng)', async (t) => {
    await check(t, { file: 'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng', wideband: true, octetAligned: true, payloadType: 96, streams: 2 });
  });

  it('AMR-WB bandwidth-efficient PT 116, inside GTP-U and plain (SSMTK VoNR_poziv_PJSUA)', async (t) => {
    await check(t, { file: 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap', wideband: true, octetAligned: false, payloadType: 116, streams: 4, tsharkOptions: ['-o', 'rtp.heuristic_rtp:TRUE', '-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'] });
  });

  it('AMR-NB bandwidth-efficient in UDP-encapsulated ESP (rtpdump VoWiFi sample2)', async (t) => {
    await check(t, { file: 'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap', wideband: false, octetAligned: false, payloadType: 99, streams: 1 });
  });
});
