// Files written by the output thread must be exactly the files written in the pass's own thread:
// every capture is extracted both ways (the output thread through a ring far too small for it, so
// records wrap and the pass waits for room all the time) and the summaries and the bytes of every
// file must be identical. Then the promises of atomic output across the thread: nothing appears
// under a name before it is complete, no temporary file is left, an existing file is kept without
// --force and replaced with it, a failure stops the run with the error a user should see.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPass } from '../../src/pipeline/pass.js';
import { AmrExtractor } from '../../src/analysis/amr-extract/extractor.js';
import { ThreadSegmentOutputs, type OutputPlace } from '../../src/analysis/amr-extract/output-thread.js';
import { newRing, PacketEntries, RecordType, RingReader, RingWriter } from '../../src/analysis/amr-extract/segment-ring.js';
import type { AmrContainer, ExtractSink } from '../../src/analysis/amr-extract/types.js';
import { MemoryByteSink } from '../../src/media/byte-sink.js';
import { OutputDirectoryError, OutputExistsError } from '../../src/output/atomic-file.js';
import { scratchDir } from '../fixtures/amr-frames.js';
import { corpusCaptures, repoRoot } from '../support/environment.js';

class Sink extends MemoryByteSink implements ExtractSink {
  commit(): void {}
  abort(): void {}
}

interface Extracted {
  readonly report: string;
  readonly files: Map<string, string>;
  /** Payloads the output thread read in place from the capture's chunks (not copied). */
  readonly chunkPackets?: number;
}

async function inThisThread(path: string, container: AmrContainer): Promise<Extracted> {
  const sinks = new Map<string, Sink>();
  const x = new AmrExtractor({ container, sinks: (name) => sinks.set(name, new Sink()).get(name) as Sink });
  await runPass(path, x.handlers(), { rtpHeuristic: true });
  const report = JSON.stringify(x.finish());
  return { report, files: new Map([...sinks].map(([name, s]) => [name, Buffer.from(s.bytes()).toString('base64')])) };
}

function place(dir: string, force = false): OutputPlace {
  return (name) => ({ path: join(dir, name), force });
}

// As the command runs it: the capture read into the outputs' chunks of shared memory.
interface ThreadRun {
  readonly ringSize?: number;
  readonly chunkSize?: number;
  /** The pass starts before the thread runs and never waits for it between chunks: it runs ahead as far as the ring and the chunks let it. */
  readonly ahead?: boolean;
}

async function inOutputThread(path: string, container: AmrContainer, dir: string, { ringSize = 4096, chunkSize, ahead = false }: ThreadRun): Promise<Extracted> {
  const outputs = new ThreadSegmentOutputs(place(dir), ringSize);
  const x = new AmrExtractor({ container, outputs });
  if (!ahead) await outputs.started();
  await runPass(path, x.handlers(), { rtpHeuristic: true, chunkBuffers: outputs, ...(ahead ? {} : { betweenChunks: () => outputs.check() }), ...(chunkSize !== undefined ? { chunkSize } : {}) });
  const report = JSON.stringify(await x.finishWritten());
  const names = readdirSync(dir);
  assert.deepEqual(names.filter((n) => n.endsWith('.tmp')), [], 'no temporary file is left');
  return { report, files: new Map(names.map((n) => [n, readFileSync(join(dir, n)).toString('base64')])), chunkPackets: outputs.chunkPackets };
}

/** Extracts both ways and compares; returns the number of files and of payloads read in place. */
async function compare(t: TestContext, path: string, container: AmrContainer = 'amr', run: ThreadRun = {}): Promise<{ files: number; chunkPackets: number }> {
  const local = await inThisThread(path, container);
  const thread = await inOutputThread(path, container, scratchDir(t), run);
  assert.equal(thread.report, local.report, `${path}: the summaries differ`);
  assert.deepEqual([...thread.files.keys()].sort(), [...local.files.keys()].sort(), `${path}: the files differ`);
  for (const [name, bytes] of local.files) assert.ok(thread.files.get(name) === bytes, `${path}: ${name} differs`);
  return { files: local.files.size, chunkPackets: thread.chunkPackets ?? 0 };
}

test('the ring: packets of every size come out as they went in, across many wraps, in records of one segment each', () => {
  const ring = newRing(2048);
  // (Reader and writer share this thread: a writer waiting for room, or a reader for a record, fails soon.)
  const writer = new RingWriter(ring, 1000);
  const reader = new RingReader(ring);
  const entries = new PacketEntries(reader);
  let seed = 7;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const sent: { id: number; round: number; payload: Uint8Array }[] = [];
  let received = 0;
  let records = 0;
  let closes = 0;
  // Takes one record: packets must be the next ones sent, all of the record's segment.
  const take = (): void => {
    const r = reader.next(1000);
    records++;
    if (r.type === RecordType.Close) {
      closes++;
      return;
    }
    assert.equal(r.type, RecordType.Packets);
    entries.open(r);
    let count = 0;
    while (entries.next()) {
      const want = sent[received++] as { id: number; round: number; payload: Uint8Array };
      assert.equal(entries.id, want.id);
      assert.equal(entries.format, want.id % 5);
      assert.equal(entries.timestamp, (want.round * 320) >>> 0);
      assert.equal(entries.sequence, want.round & 0xffff);
      assert.equal(entries.frameNo, want.round + 0.5);
      assert.deepEqual(reader.bytes.slice(entries.start, entries.end), want.payload);
      count++;
    }
    assert.ok(count > 0);
  };
  let closesSent = 0;
  let undrained = 0;
  for (let round = 0; round < 3000; round++) {
    // Never more than fits (the writer would wait for a reader in this same thread).
    const payload = Uint8Array.from({ length: random(100) }, () => random(256));
    const bytes = new Uint8Array(payload.length + 5);
    bytes.set(payload, 3);
    // Runs of one segment, broken by another segment, a close, or a publish.
    const id = random(4) === 0 ? 1 + random(3) : (sent[sent.length - 1]?.id ?? 1);
    writer.packet(id, id % 5, round * 320, round & 0xffff, round + 0.5, bytes, 3, 3 + payload.length);
    sent.push({ id, round, payload });
    if (random(10) === 0) {
      writer.close(id);
      closesSent++;
    }
    // (Three rounds at most between drains: three records, three closes, the record taken last
    // (its room comes back with the next), a wrap and the next record's room fit the ring.)
    if (random(3) === 0 || ++undrained === 3) {
      undrained = 0;
      writer.publish();
      while (received < sent.length || closes < closesSent) take();
    }
  }
  writer.publish();
  while (received < sent.length || closes < closesSent) take();
  assert.equal(received, 3000);
  assert.ok(records - closes < 2400, `${records - closes} records for 3000 packets`);
});

test('the ring: payloads in a chunk go as places in it; the chunk is read into again only once every record naming it is taken', () => {
  const ring = newRing(4096);
  const writer = new RingWriter(ring, 300);
  const reader = new RingReader(ring);
  const entries = new PacketEntries(reader);
  const chunk = new Uint8Array(new SharedArrayBuffer(2000)).map((_, i) => (i * 13 + 5) & 0xff);
  const other = chunk.slice();
  writer.addChunk(chunk, 5);
  // Packets alternating between the chunk (sent as places) and a buffer of this thread (copied).
  const sent: { inChunk: boolean; start: number; length: number; round: number }[] = [];
  for (let round = 0; round < 40; round++) {
    const inChunk = round % 3 !== 2;
    const start = (round * 37) % 1900;
    const length = 1 + (round % 60);
    writer.packet(1, 2, round * 320, round, round + 0.25, inChunk ? chunk : other, start, start + length);
    sent.push({ inChunk, start, length, round });
  }
  writer.publish();
  assert.equal(writer.chunkPackets, sent.filter((p) => p.inChunk).length);
  // Until the reader has taken those records, the chunk may not be read into.
  assert.throws(() => writer.reuseChunk(chunk), /took no records/);
  // The reader needs the chunk to read its records.
  assert.throws(() => {
    const r = reader.next(100);
    assert.equal(r.type, RecordType.ChunkPackets);
    entries.open(r);
  }, /chunk 5, which the output thread does not have/);
  const reader2 = new RingReader(ring);
  const entries2 = new PacketEntries(reader2);
  reader2.chunks.set(5, chunk);
  let received = 0;
  while (received < sent.length) {
    const r = reader2.next(100);
    assert.ok(r.type === RecordType.Packets || r.type === RecordType.ChunkPackets);
    entries2.open(r);
    while (entries2.next()) {
      const want = sent[received++] as (typeof sent)[number];
      assert.equal(r.type === RecordType.ChunkPackets, want.inChunk, `packet ${want.round}: in the chunk or copied`);
      assert.equal(entries2.bytes === chunk, want.inChunk);
      if (want.inChunk) assert.equal(entries2.start, want.start);
      assert.equal(entries2.timestamp, want.round * 320);
      assert.equal(entries2.sequence, want.round);
      assert.equal(entries2.frameNo, want.round + 0.25);
      assert.deepEqual(entries2.bytes.slice(entries2.start, entries2.end), other.slice(want.start, want.start + want.length));
    }
  }
  // The reader gives the room back when it asks for the next record (none waits: it times out).
  assert.throws(() => reader2.next(10), /no record came/);
  writer.reuseChunk(chunk);
  // Forgotten, the chunk is named once more (for the reader to drop it), and its payloads are copied again.
  writer.forgetChunk(chunk);
  writer.packet(1, 2, 0, 0, 0, chunk, 10, 20);
  writer.publish();
  const forget = reader2.next(100);
  assert.equal(forget.type, RecordType.ForgetChunk);
  assert.equal(reader2.u32(forget.at), 5);
  const copied = reader2.next(100);
  assert.equal(copied.type, RecordType.Packets);
  assert.equal(writer.chunkPackets, sent.filter((p) => p.inChunk).length);
});

test('output thread = this thread: the shipped samples, .amr and .3ga', async (t) => {
  const samples = join(repoRoot, 'samples');
  let files = 0;
  for (const name of readdirSync(samples).filter((n) => n.endsWith('.pcap'))) {
    for (const container of ['amr', '3gp'] as const) {
      const run = await compare(t, join(samples, name), container);
      files += run.files;
      // Every file's payloads lie in the capture's chunks: none is copied into the ring.
      if (run.files > 0) assert.ok(run.chunkPackets > 0, `${name}: payloads read in place`);
    }
  }
  assert.ok(files >= 4, `${files} files`);
});

test('output thread = this thread: a capture of many concurrent calls (the benchmark generator), through a 4 KiB and a 64 KiB ring', async (t) => {
  const dir = scratchDir(t);
  const path = join(dir, 'calls.pcap');
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'generate.ts'), path, '3'], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const run = await compare(t, path, 'amr', { ringSize: 4096 });
  assert.ok(run.files >= 20, `${run.files} files`);
  await compare(t, path, '3gp', { ringSize: 65536 });
  // The pass far ahead of a thread still starting, in chunks of 16 KiB read into again while
  // records name them: each is read into only once the thread has taken those records.
  const ahead = await compare(t, path, 'amr', { ringSize: 64 << 20, chunkSize: 16 << 10, ahead: true });
  assert.ok(ahead.chunkPackets > 10_000, `${ahead.chunkPackets} payloads read in place`);
});

test('output thread = this thread: every corpus capture', async (t) => {
  const captures = corpusCaptures(t);
  if (captures === undefined) return;
  let files = 0;
  for (const path of captures) files += (await compare(t, path)).files;
  assert.ok(files >= 5, `${files} files`);
});

/** A few seconds of one call, extracted through the output thread into `dir`. */
async function extractSample(dir: string, force: boolean, between?: () => void): Promise<{ x: AmrExtractor; outputs: ThreadSegmentOutputs; run: Promise<unknown> }> {
  const outputs = new ThreadSegmentOutputs(place(dir, force));
  const x = new AmrExtractor({ outputs });
  await outputs.started();
  const run = runPass(join(repoRoot, 'samples', 'volte-call.pcap'), x.handlers(), { rtpHeuristic: true, betweenChunks: () => outputs.check(), chunkBuffers: outputs }).then(
    async () => {
      between?.();
      return x.finishWritten();
    },
    async (err: unknown) => {
      // As the command does: a pass stopped by the thread's failure still ends the thread.
      x.abort();
      await outputs.settle().catch(() => undefined);
      throw outputs.failure ?? err;
    },
  );
  return { x, outputs, run };
}

test('a file that appears under the name while it is written is kept; the run fails with OutputExistsError, no temporary file left', async (t) => {
  const dir = scratchDir(t);
  const local = await inThisThread(join(repoRoot, 'samples', 'volte-call.pcap'), 'amr');
  const first = [...local.files.keys()][0] as string;
  const { run } = await extractSample(dir, false, () => writeFileSync(join(dir, first), 'user data'));
  await assert.rejects(run, (e: unknown) => e instanceof OutputExistsError && e.path === join(dir, first));
  assert.equal(readFileSync(join(dir, first), 'utf8'), 'user data');
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
});

test('with --force an existing file is replaced', async (t) => {
  const dir = scratchDir(t);
  const local = await inThisThread(join(repoRoot, 'samples', 'volte-call.pcap'), 'amr');
  for (const name of local.files.keys()) writeFileSync(join(dir, name), 'old');
  const { run } = await extractSample(dir, true);
  await run;
  for (const [name, bytes] of local.files) assert.equal(readFileSync(join(dir, name)).toString('base64'), bytes);
  assert.equal(readdirSync(dir).length, local.files.size);
});

test('an output directory that goes away fails the run with OutputDirectoryError', async (t) => {
  const dir = join(scratchDir(t), 'gone');
  const { run } = await extractSample(dir, false);
  await assert.rejects(run, (e: unknown) => e instanceof OutputDirectoryError && /does not exist/.test(e.message));
  assert.equal(existsSync(dir), false);
});

test('abort: nothing appears, no temporary file is left, and the thread ends', async (t) => {
  const dir = scratchDir(t);
  const outputs = new ThreadSegmentOutputs(place(dir));
  const x = new AmrExtractor({ outputs });
  await outputs.started();
  await runPass(join(repoRoot, 'samples', 'volte-call.pcap'), x.handlers(), { rtpHeuristic: true });
  x.abort();
  await outputs.settle();
  assert.deepEqual(readdirSync(dir), []);
  rmSync(dir, { recursive: true });
});
