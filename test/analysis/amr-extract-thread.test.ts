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

async function inOutputThread(path: string, container: AmrContainer, dir: string, ringSize: number): Promise<Extracted> {
  const outputs = new ThreadSegmentOutputs(place(dir), ringSize);
  const x = new AmrExtractor({ container, outputs });
  await outputs.started();
  await runPass(path, x.handlers(), { rtpHeuristic: true, betweenChunks: () => outputs.check() });
  const report = JSON.stringify(await x.finishWritten());
  const names = readdirSync(dir);
  assert.deepEqual(names.filter((n) => n.endsWith('.tmp')), [], 'no temporary file is left');
  return { report, files: new Map(names.map((n) => [n, readFileSync(join(dir, n)).toString('base64')])) };
}

async function compare(t: TestContext, path: string, container: AmrContainer = 'amr', ringSize = 4096): Promise<number> {
  const local = await inThisThread(path, container);
  const thread = await inOutputThread(path, container, scratchDir(t), ringSize);
  assert.equal(thread.report, local.report, `${path}: the summaries differ`);
  assert.deepEqual([...thread.files.keys()].sort(), [...local.files.keys()].sort(), `${path}: the files differ`);
  for (const [name, bytes] of local.files) assert.ok(thread.files.get(name) === bytes, `${path}: ${name} differs`);
  return local.files.size;
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
    entries.open(r.at);
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

test('output thread = this thread: the shipped samples, .amr and .3ga', async (t) => {
  const samples = join(repoRoot, 'samples');
  let files = 0;
  for (const name of readdirSync(samples).filter((n) => n.endsWith('.pcap'))) {
    files += await compare(t, join(samples, name));
    files += await compare(t, join(samples, name), '3gp');
  }
  assert.ok(files >= 4, `${files} files`);
});

test('output thread = this thread: a capture of many concurrent calls (the benchmark generator), through a 4 KiB and a 64 KiB ring', async (t) => {
  const dir = scratchDir(t);
  const path = join(dir, 'calls.pcap');
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'generate.ts'), path, '3'], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const files = await compare(t, path, 'amr', 4096);
  assert.ok(files >= 20, `${files} files`);
  await compare(t, path, '3gp', 65536);
});

test('output thread = this thread: every corpus capture', async (t) => {
  const captures = corpusCaptures(t);
  if (captures === undefined) return;
  let files = 0;
  for (const path of captures) files += await compare(t, path);
  assert.ok(files >= 5, `${files} files`);
});

/** A few seconds of one call, extracted through the output thread into `dir`. */
async function extractSample(dir: string, force: boolean, between?: () => void): Promise<{ x: AmrExtractor; outputs: ThreadSegmentOutputs; run: Promise<unknown> }> {
  const outputs = new ThreadSegmentOutputs(place(dir, force));
  const x = new AmrExtractor({ outputs });
  await outputs.started();
  const run = runPass(join(repoRoot, 'samples', 'volte-call.pcap'), x.handlers(), { rtpHeuristic: true, betweenChunks: () => outputs.check() }).then(
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
