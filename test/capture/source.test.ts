import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CaptureError, readCapture, type ChunkBuffers, type ReadCaptureOptions } from '../../src/capture/source.js';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_RAW,
  tempCaptureFile,
  writePcap,
  writePcapng,
  type FixtureRecord,
} from '../fixtures/capture-writer.js';
import { collect, patterned } from './collect.js';

const records: FixtureRecord[] = Array.from({ length: 40 }, (_, i) => ({
  bytes: patterned(20 + ((i * 37) % 300), i),
  tsSec: 1_700_000_000 + i,
  tsNsec: (i * 123_457) % 1_000_000 * 1000,
  origLen: 20 + ((i * 37) % 300) + (i % 3) * 10,
}));

const fixtures: Record<string, Uint8Array> = {
  'pcap-us-le': writePcap(records),
  'pcap-ns-be': writePcap(records, { nanosecond: true, bigEndian: true, linkType: LINKTYPE_RAW }),
  'pcapng-2-sections': writePcapng([
    {
      interfaces: [{ linkType: LINKTYPE_ETHERNET, tsResol: 9 }, { linkType: LINKTYPE_RAW }],
      records: records.slice(0, 20).map((r, i) => ({ ...r, interfaceId: i % 2, ...(i % 5 === 0 ? { block: 'pb' as const, comment: `c${i}` } : {}) })),
      extraBlocks: [{ type: 4, body: new Uint8Array(12), before: 3 }, { type: 0xbad, body: Uint8Array.of(0, 0, 1, 2, 9), before: 7 }],
    },
    {
      bigEndian: true,
      interfaces: [{ linkType: LINKTYPE_LINUX_SLL, snapLen: 200, tsResol: 0x80 | 24, tsOffset: 100 }],
      // An SPB holds min(original length, snapshot length) bytes.
      records: records.slice(20).map((r, i) => {
        const bytes = r.bytes.subarray(0, 200);
        return i % 4 === 3 ? { bytes, origLen: bytes.length < 200 ? bytes.length : (r.origLen ?? 0), block: 'spb' as const } : { ...r, bytes };
      }),
    },
  ]),
};

/** The capture as a stream handed out in one piece, read through the '-' path. */
function fromStdin(bytes: Uint8Array, chunkSize: number) {
  return collect('-', { stdin: Readable.from([Buffer.from(bytes)]), chunkSize });
}

test('every fixture gives the same frames whatever the chunk size (1, 7, 64, default)', async (t) => {
  for (const [name, bytes] of Object.entries(fixtures)) {
    const path = tempCaptureFile(t, `${name}.cap`, bytes);
    const reference = await collect(path);
    assert.ok(reference.frames.length >= 39, name);
    assert.deepEqual(reference.summary.warnings, [], name);
    for (const chunkSize of [1, 7, 64, 4096]) {
      // Byte-by-byte file reads cost a thread-pool round trip each: the tiniest go through a stream.
      const chunked = chunkSize === 1 ? await fromStdin(bytes, chunkSize) : await collect(path, { chunkSize });
      assert.deepEqual(chunked.frames, reference.frames, `${name} chunk ${chunkSize}`);
      assert.deepEqual(chunked.summary, reference.summary, `${name} chunk ${chunkSize}`);
    }
  }
});

test('every chunk size from 1 to 40 cuts the pcapng blocks in every possible place', async (t) => {
  const bytes = fixtures['pcapng-2-sections']!;
  const reference = await collect(tempCaptureFile(t, 'cuts.pcapng', bytes));
  for (let chunkSize = 1; chunkSize <= 40; chunkSize++) {
    const chunked = await fromStdin(bytes, chunkSize);
    assert.deepEqual(chunked.frames, reference.frames, `chunk ${chunkSize}`);
    assert.deepEqual(chunked.summary, reference.summary, `chunk ${chunkSize}`);
  }
});

test('pcap frames come back as written (the reference the chunked reads are held to)', async (t) => {
  const { frames } = await collect(tempCaptureFile(t, 'ref.pcap', fixtures['pcap-us-le']!));
  assert.deepEqual(
    frames.map((f) => [f.frameNo, f.tsSec, f.tsNsec, f.origLen, Buffer.from(f.bytes).toString('hex')]),
    records.map((r, i) => [i + 1, r.tsSec, r.tsNsec, r.origLen, Buffer.from(r.bytes).toString('hex')]),
  );
});

test('gzip is detected by its magic, whatever the file is called, and read transparently', async (t) => {
  for (const [name, bytes] of Object.entries(fixtures)) {
    const plain = await collect(tempCaptureFile(t, `${name}.pcap`, bytes));
    for (const fileName of [`${name}.pcap.gz`, `${name}.pcap`]) {
      const path = tempCaptureFile(t, fileName, bytes, { gzip: true });
      for (const chunkSize of [7, undefined]) {
        const gz = await collect(path, chunkSize === undefined ? {} : { chunkSize });
        assert.deepEqual(gz.frames, plain.frames, `${fileName} chunk ${chunkSize}`);
        assert.deepEqual({ ...gz.summary, gzip: false }, plain.summary, fileName);
        assert.equal(gz.summary.gzip, true);
        assert.equal(gz.summary.bytesRead, bytes.length);
      }
    }
  }
});

test('a cut gzip file yields the frames it holds and a mid-record warning', async (t) => {
  const bytes = fixtures['pcap-us-le']!;
  const gz = gzipSync(bytes);
  const path = tempCaptureFile(t, 'cut.pcap.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
  const { frames, summary } = await collect(path);
  assert.ok(frames.length > 0 && frames.length < records.length);
  const plain = await collect(tempCaptureFile(t, 'whole.pcap', bytes));
  assert.deepEqual(frames, plain.frames.slice(0, frames.length));
  assert.equal(summary.warnings.length, 1);
  assert.match(summary.warnings[0]?.message ?? '', new RegExp(`^capture ends mid-record at offset \\d+ \\(frame ${frames.length + 1} incomplete\\)`));
});

test('corrupt gzip data: a CaptureError up front, a fatal warning after the first frames', async (t) => {
  const gz = gzipSync(fixtures['pcap-us-le']!);
  const badHeader = Uint8Array.from(gz);
  badHeader[2] = 0x63; // compression method must be 8 (RFC 1952 §2.3.1)
  await assert.rejects(collect(tempCaptureFile(t, 'badhdr.gz', badHeader)), (e: unknown) => e instanceof CaptureError && /gzip-compressed, but cannot be decompressed/.test(e.message));
  // Enough data for gunzip to hand out frames before it reaches the member's CRC32.
  const many = writePcap(Array.from({ length: 4000 }, (_, i) => ({ bytes: patterned(1000, i), tsSec: i })));
  const badTail = Uint8Array.from(gzipSync(many));
  badTail[badTail.length - 8] = (badTail[badTail.length - 8] ?? 0) ^ 0xff; // CRC32 of the member (RFC 1952 §2.3.1)
  const r = await collect(tempCaptureFile(t, 'badcrc.gz', badTail));
  assert.ok(r.frames.length > 0);
  assert.deepEqual(r.frames.map((f) => f.tsSec), Array.from({ length: r.frames.length }, (_, i) => i));
  assert.equal(r.summary.warnings.length, 1);
  assert.equal(r.summary.warnings[0]?.fatal, true);
  assert.match(r.summary.warnings[0]?.message ?? '', /^gzip data is corrupt after \d+ bytes of capture data \(incorrect data check\)/);
});

test("'-' reads stdin, plain or gzipped, in any chunking of the stream", async (t) => {
  const bytes = fixtures['pcapng-2-sections']!;
  const fromFile = await collect(tempCaptureFile(t, 'stdin-ref.pcapng', bytes));
  const pieces = (data: Uint8Array, size: number) => Readable.from(Array.from({ length: Math.ceil(data.length / size) }, (_, i) => Buffer.from(data.subarray(i * size, (i + 1) * size))));
  for (const [data, gzip] of [
    [bytes, false],
    [gzipSync(bytes), true],
  ] as const) {
    for (const streamPiece of [5, 1000, data.length]) {
      for (const chunkSize of [3, undefined]) {
        const r = await collect('-', { stdin: pieces(data, streamPiece), ...(chunkSize === undefined ? {} : { chunkSize }) });
        const label = `gzip ${gzip}, stream pieces of ${streamPiece}, chunk ${chunkSize}`;
        assert.equal(r.frames.length, fromFile.frames.length, label);
        assert.deepEqual(r.frames, fromFile.frames, label);
        assert.deepEqual(r.summary, { ...fromFile.summary, gzip }, label);
      }
    }
  }
});

test('empty stdin is not a capture', async () => {
  await assert.rejects(readCapture('-', () => undefined, { stdin: Readable.from([]) }), (e: unknown) => e instanceof CaptureError && e.file === '-' && e.message === 'standard input: empty input');
});

test('what is not a capture is a CaptureError that names the file and says why', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-notcap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cases: [string, Uint8Array | 'dir' | 'missing', RegExp][] = [
    ['sdp.xml', new TextEncoder().encode('<?xml version="1.0"?><x/>'), /not a pcap or pcapng file \(starts with 3c 3f 78 6d\)$/],
    ['empty.pcap', new Uint8Array(0), /: empty file$/],
    ['three.pcap', Uint8Array.of(0xd4, 0xc3, 0xb2), /not a pcap or pcapng file \(only 3 bytes\)$/],
    ['capture.zst', Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0, 0), /starts with 28 b5 2f fd: zstd-compressed, decompress it first\)$/],
    ['kuznetzov.pcap', Uint8Array.of(0x34, 0xcd, 0xb2, 0xa1, 2, 0, 4, 0), /starts with 34 cd b2 a1: a modified \(Kuznetzov\) pcap, convert it with editcap -F pcap\)$/],
    ['text.gz', gzipSync(new TextEncoder().encode('hello, world')), /gzip-compressed, but not a pcap or pcapng file inside \(starts with 68 65 6c 6c\)$/],
    ['empty.gz', gzipSync(new Uint8Array(0)), /gzip-compressed, but holds no data$/],
    ['a-directory', 'dir', /: is a directory$/],
    ['missing.pcap', 'missing', /: no such file$/],
  ];
  for (const [name, content, reason] of cases) {
    const path = join(dir, name);
    if (content === 'dir') mkdirSync(path);
    else if (content !== 'missing') writeFileSync(path, content);
    await assert.rejects(
      readCapture(path, () => assert.fail('no frame expected')),
      (e: unknown) => e instanceof CaptureError && e.file === path && e.message.startsWith(`${path}: `) && reason.test(e.message),
      name,
    );
  }
});

test('an unreadable file is a CaptureError saying permission denied', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('root reads any file');
    return;
  }
  const path = tempCaptureFile(t, 'secret.pcap', fixtures['pcap-us-le']!);
  chmodSync(path, 0o000);
  await assert.rejects(readCapture(path, () => undefined), (e: unknown) => e instanceof CaptureError && /permission denied \(EACCES\)$/.test(e.message));
});

test('progress reports raw bytes against the file size, ending at the size', async (t) => {
  const bytes = fixtures['pcap-us-le']!;
  for (const gzip of [false, true]) {
    const path = tempCaptureFile(t, 'progress.pcap', bytes, { gzip });
    const size = statSync(path).size;
    const seen: [number, number | undefined][] = [];
    await readCapture(path, () => undefined, { chunkSize: 512, onProgress: (done, total) => seen.push([done, total]) });
    assert.ok(seen.length > 1);
    assert.ok(seen.every(([, total]) => total === size));
    assert.ok(seen.every(([done], i) => i === 0 || done >= seen[i - 1]![0]));
    assert.equal(seen.at(-1)?.[0], size);
  }
});

test('an abort between chunks rejects with the abort reason and stops delivering frames', async (t) => {
  const path = tempCaptureFile(t, 'abort.pcap', fixtures['pcap-us-le']!);
  const controller = new AbortController();
  let delivered = 0;
  await assert.rejects(
    readCapture(
      path,
      () => {
        delivered++;
        if (delivered === 5) controller.abort(new Error('stop here'));
      },
      { chunkSize: 64, signal: controller.signal },
    ),
    /stop here/,
  );
  assert.ok(delivered >= 5 && delivered < records.length);
  await assert.rejects(readCapture(path, () => undefined, { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('frame bytes are views into the read buffer, not copies', async (t) => {
  const path = tempCaptureFile(t, 'views.pcap', fixtures['pcap-us-le']!);
  const buffers = new Set<ArrayBufferLike>();
  await readCapture(path, (f) => {
    assert.ok(f.bytes.buffer.byteLength > f.bytes.length);
    buffers.add(f.bytes.buffer);
  });
  assert.equal(buffers.size, 1);
});

test('a maximum-size frame (262144 bytes) is reassembled from many small chunks', async (t) => {
  const big = patterned(262144, 9);
  const captures = {
    pcap: writePcap([{ bytes: patterned(10, 1) }, { bytes: big, tsSec: 7 }, { bytes: patterned(10, 2) }]),
    pcapng: writePcapng([{ interfaces: [{ linkType: LINKTYPE_ETHERNET }], records: [{ bytes: patterned(10, 1) }, { bytes: big, tsSec: 7, comment: 'max' }, { bytes: patterned(10, 2) }] }]),
  };
  for (const [name, bytes] of Object.entries(captures)) {
    const path = tempCaptureFile(t, `max.${name}`, bytes);
    // Chunks of 13 bytes leave, at some boundary, a cut record longer than the buffer's spare
    // room (256 KiB) in front of the next chunk: the buffer must grow around the new data.
    for (const chunkSize of [13, 4096, 100_000, undefined]) {
      const { frames, summary } = chunkSize === 13 ? await fromStdin(bytes, chunkSize) : await collect(path, chunkSize === undefined ? {} : { chunkSize });
      assert.deepEqual(summary.warnings, [], `${name} chunk ${chunkSize}`);
      assert.deepEqual(frames.map((f) => f.bytes.length), [10, 262144, 10], `${name} chunk ${chunkSize}`);
      assert.ok(Buffer.from(frames[1]!.bytes).equals(big), `${name} chunk ${chunkSize}`);
      assert.ok(Buffer.from(frames[2]!.bytes).equals(patterned(10, 2)), `${name} chunk ${chunkSize}`);
    }
  }
});

/**
 * Chunk buffers that check their contract: every frame's bytes stay as delivered until reuse()
 * of the buffer they are in, and no frame comes from a buffer after release().
 */
class CheckedChunkBuffers implements ChunkBuffers {
  readonly allocated: Uint8Array[] = [];
  readonly released = new Set<Uint8Array>();
  reuses = 0;
  // Per buffer, the frames delivered from it since it was last reused: where, and a copy.
  private readonly held = new Map<Uint8Array, { start: number; end: number; copy: Uint8Array }[]>();

  allocate(size: number): Uint8Array {
    const b = new Uint8Array(new SharedArrayBuffer(size));
    this.allocated.push(b);
    this.held.set(b, []);
    return b;
  }

  reuse(buf: Uint8Array): void {
    assert.ok(this.allocated.includes(buf) && !this.released.has(buf), 'reuse() of a buffer it gave and did not release');
    this.checkIntact(buf);
    this.held.set(buf, []);
    this.reuses++;
  }

  release(buf: Uint8Array): void {
    this.checkIntact(buf);
    this.released.add(buf);
  }

  frame(data: Uint8Array, start: number, end: number): void {
    const list = this.held.get(data);
    assert.ok(list !== undefined, 'a frame in a buffer the chunk buffers did not give');
    assert.ok(!this.released.has(data), 'a frame in a released buffer');
    list.push({ start, end, copy: data.slice(start, end) });
  }

  checkIntact(buf: Uint8Array): void {
    for (const f of this.held.get(buf) ?? []) assert.ok(Buffer.from(buf.subarray(f.start, f.end)).equals(f.copy), 'frame bytes overwritten before reuse()');
  }
}

async function collectThrough(path: string, buffers: CheckedChunkBuffers, options: ReadCaptureOptions): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  await readCapture(
    path,
    (f) => {
      buffers.frame(f.data, f.start, f.end);
      frames.push(f.data.slice(f.start, f.end));
    },
    { ...options, chunkBuffers: buffers },
  );
  for (const b of buffers.allocated) buffers.checkIntact(b);
  return frames;
}

test("with ChunkBuffers the capture is read into its buffers, five in turn, and a frame's bytes stay until reuse() of its buffer", async (t) => {
  for (const [name, bytes] of Object.entries(fixtures)) {
    const path = tempCaptureFile(t, `${name}.cap`, bytes);
    const reference = (await collect(path)).frames.map((f) => f.bytes);
    for (const chunkSize of [7, 64, 512]) {
      const buffers = new CheckedChunkBuffers();
      const frames = chunkSize === 7 ? await collectThrough('-', buffers, { stdin: Readable.from([Buffer.from(bytes)]), chunkSize }) : await collectThrough(path, buffers, { chunkSize });
      assert.deepEqual(frames, reference, `${name} chunk ${chunkSize}`);
      assert.equal(buffers.allocated.length, 5, `${name} chunk ${chunkSize}: five buffers`);
      assert.ok(buffers.reuses > 5, `${name} chunk ${chunkSize}: buffers reused (${buffers.reuses})`);
    }
  }
});

test('with ChunkBuffers a buffer too small for a cut record is released, and no frame comes from it afterwards', async (t) => {
  const big = patterned(262144, 9);
  const bytes = writePcap([{ bytes: patterned(10, 1) }, { bytes: big, tsSec: 7 }, { bytes: patterned(10, 2) }]);
  const buffers = new CheckedChunkBuffers();
  const frames = await collectThrough('-', buffers, { stdin: Readable.from([Buffer.from(bytes)]), chunkSize: 13 });
  assert.deepEqual(frames.map((f) => f.length), [10, 262144, 10]);
  assert.ok(Buffer.from(frames[1]!).equals(big));
  assert.ok(buffers.released.size >= 1, 'the smaller buffer is released');
  assert.equal(buffers.allocated.length, 5 + buffers.released.size);
});

test('with ChunkBuffers the first reads ask for 256 KiB and double up to the chunk size; without, every read asks for the chunk size', async (t) => {
  // 3,000 frames of 1,000 octets (1,016 with the record header): about 3 MiB.
  const bytes = writePcap(Array.from({ length: 3000 }, (_, i) => ({ bytes: patterned(1000, i) })));
  const path = tempCaptureFile(t, 'ramp.pcap', bytes);
  const chunkSize = 1 << 20;
  // Octets of records parsed per chunk (the chunk's frames, each with its 16-octet header).
  const perChunk = async (buffers: ChunkBuffers | undefined): Promise<number[]> => {
    const sizes: number[] = [];
    let octets = 0;
    await readCapture(path, (f) => (octets += f.end - f.start + 16), {
      chunkSize,
      afterChunk: () => {
        sizes.push(octets);
        octets = 0;
      },
      ...(buffers !== undefined ? { chunkBuffers: buffers } : {}),
    });
    if (octets > 0) sizes.push(octets);
    return sizes.filter((n) => n > 0);
  };
  const record = 1016;
  // (A chunk parses the whole records it holds: a record cut at its end is parsed with the next.)
  const near = (got: number | undefined, read: number, what: string): void => {
    assert.ok(got !== undefined && got < read + record && got > read - record, `${what}: ${got} octets of records for a read of ${read}`);
  };
  const ramped = await perChunk(new CheckedChunkBuffers());
  near(ramped[0], (256 << 10) - 24, 'first chunk (after the file header)');
  near(ramped[1], 512 << 10, 'second chunk');
  near(ramped[2], 1 << 20, 'third chunk');
  near(ramped[3], 1 << 20, 'fourth chunk');
  const plain = await perChunk(undefined);
  near(plain[0], chunkSize - 24, 'without chunk buffers, first chunk');
  assert.equal(ramped.reduce((a, b) => a + b, 0), plain.reduce((a, b) => a + b, 0), 'the same records either way');
});
