// BufferedWriter gathers small pieces into blocks: whatever the block boundaries, the sink must
// receive exactly the bytes written, in order, with each prefixed range's last octet masked.
import assert from 'node:assert/strict';
import test from 'node:test';
import { BufferedWriter } from '../../src/media/buffered-writer.js';

class Collect {
  chunks: Uint8Array[] = [];
  write(chunk: Uint8Array): void {
    // (Lent for the call only.)
    this.chunks.push(chunk.slice());
  }
  bytes(): number[] {
    return this.chunks.flatMap((c) => [...c]);
  }
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('bytes, ranges, prefixed frames (masked), repeats: the sink sees them in order, across block boundaries', () => {
  const rnd = seeded(4867);
  const sink = new Collect();
  const w = new BufferedWriter(sink);
  const expected: number[] = [];
  // Sources at every alignment, inside a larger buffer (as frames sit in a capture chunk).
  const source = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff);
  for (let n = 0; n < 20000; n++) {
    const kind = Math.floor(rnd() * 4);
    const start = Math.floor(rnd() * 3000);
    const length = kind === 3 ? Math.floor(rnd() * 40) : Math.floor(rnd() * 70);
    const end = start + length;
    if (kind === 0) {
      const v = Math.floor(rnd() * 256);
      w.byte(v);
      expected.push(v);
    } else if (kind === 1) {
      w.range(source, start, end);
      expected.push(...source.subarray(start, end));
    } else if (kind === 2) {
      const octet = Math.floor(rnd() * 256);
      const mask = rnd() < 0.5 ? 0xff : (0xff << Math.floor(1 + rnd() * 7)) & 0xff;
      w.prefixed(octet, source, start, end, mask);
      const body = [...source.subarray(start, end)];
      if (body.length > 0) body[body.length - 1] = (body[body.length - 1] as number) & mask;
      expected.push(octet, ...body);
    } else {
      w.repeat(0x7c, length);
      for (let k = 0; k < length; k++) expected.push(0x7c);
    }
  }
  assert.equal(w.position, expected.length);
  w.flush();
  assert.ok(sink.chunks.length > 10, 'several blocks');
  assert.deepEqual(sink.bytes(), expected);
  assert.deepEqual([...source.subarray(0, 8)], [7, 138, 13, 144, 19, 150, 25, 156], 'the source is never written to');
});

test('a prefixed range larger than a block goes to the sink whole, its last octet masked', () => {
  const sink = new Collect();
  const w = new BufferedWriter(sink);
  w.byte(1);
  const big = new Uint8Array(40000).fill(0xff);
  w.prefixed(0x3c, big, 0, big.length, 0xf0);
  w.byte(2);
  w.flush();
  const out = sink.bytes();
  assert.equal(out.length, 1 + 1 + 40000 + 1);
  assert.deepEqual(out.slice(0, 3), [1, 0x3c, 0xff]);
  assert.deepEqual(out.slice(-2), [0xf0, 2]);
  assert.equal(big[big.length - 1], 0xff, 'the source is left as it was');
});

test('a closed writer gives its block to the next writer; writing to it after close throws', () => {
  const lent: ArrayBufferLike[] = [];
  class Lent extends Collect {
    override write(chunk: Uint8Array): void {
      lent.push(chunk.buffer);
      super.write(chunk);
    }
  }
  const a = new Lent();
  const wa = new BufferedWriter(a);
  wa.range(Uint8Array.of(1, 2, 3), 0, 3);
  wa.close();
  wa.close();
  assert.throws(() => wa.byte(9), /write after close/);
  assert.throws(() => wa.range(Uint8Array.of(9), 0, 1), /write after close/);
  assert.throws(() => wa.repeat(0x7c, 2), /write after close/);
  const b = new Lent();
  const wb = new BufferedWriter(b);
  wb.repeat(0x7c, 5);
  wb.close();
  assert.deepEqual(a.bytes(), [1, 2, 3]);
  assert.deepEqual(b.bytes(), [0x7c, 0x7c, 0x7c, 0x7c, 0x7c]);
  assert.equal(lent.length, 2);
  assert.equal(lent[1], lent[0], 'the second writer filled the first one’s block');
});
