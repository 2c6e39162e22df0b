import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AMR_DECODE_REASONS, decodeAmrFrames, decodeAmrPayload, singleTocKeyOf } from '../../../src/protocols/amr/decode.js';
import { AmrFrameList } from '../../../src/protocols/amr/frame-list.js';
import type { AmrPayload, AmrPayloadOptions } from '../../../src/protocols/amr/types.js';
import { isDecodeError, type DecodeError } from '../../../src/decode-error.js';
import { NO_DATA, WB_SPEECH_LOST, frameBits, packAmrPayload, randomFrame, seededRandom, sidType, synthFrames, type FixtureAmrFrame } from '../../fixtures/amr-frames.js';

function ok(bytes: Uint8Array, options: AmrPayloadOptions): AmrPayload {
  const p = decodeAmrPayload(bytes, options);
  if (isDecodeError(p)) assert.fail(`unexpected decode error: ${p.reason}`);
  return p;
}

function err(bytes: Uint8Array, options: AmrPayloadOptions): DecodeError {
  const p = decodeAmrPayload(bytes, options);
  if (!isDecodeError(p)) assert.fail('expected a decode error');
  return p;
}

function sameFrames(actual: AmrPayload, expected: readonly FixtureAmrFrame[]): void {
  assert.equal(actual.frames.length, expected.length);
  actual.frames.forEach((f, i) => {
    const e = expected[i] as FixtureAmrFrame;
    assert.equal(f.ft, e.ft, `frame ${i} FT`);
    assert.equal(f.q, e.q, `frame ${i} Q`);
    assert.equal(f.bitLength, frameBits(e.ft, actual.wideband));
    assert.deepEqual([...f.bits], [...e.bits], `frame ${i} bits`);
    assert.equal(f.block, i);
    assert.equal(f.channel, 0);
  });
  assert.deepEqual(
    actual.tocEntries.map((t) => [t.f, t.ft, t.q]),
    expected.map((e, i) => [i < expected.length - 1, e.ft, e.q]),
  );
}

for (const wideband of [false, true]) {
  for (const octetAligned of [false, true]) {
    const label = `${wideband ? 'AMR-WB' : 'AMR'} ${octetAligned ? 'octet-aligned' : 'bandwidth-efficient'}`;
    test(`${label}: every frame type, 1–3 frames a packet, any CMR, round trip through the payload`, () => {
      const random = seededRandom(wideband ? 11 : 12);
      const types = [...Array.from({ length: wideband ? 10 : 9 }, (_, i) => i), NO_DATA, ...(wideband ? [WB_SPEECH_LOST] : [])];
      let packets = 0;
      for (const ft of types) {
        for (let n = 1; n <= 3; n++) {
          const frames = Array.from({ length: n }, (_, i) => randomFrame(i === 0 ? ft : (types[Math.floor(random() * types.length)] as number), wideband, random, random() < 0.8));
          const cmr = Math.floor(random() * 16);
          const p = ok(packAmrPayload(frames, { wideband, octetAligned, cmr }), { wideband, octetAligned });
          assert.equal(p.cmr, cmr);
          assert.equal(p.octetAligned, octetAligned);
          assert.equal(p.reservedBitsZero, true);
          sameFrames(p, frames);
          packets++;
        }
      }
      assert.equal(packets, types.length * 3);
    });

    test(`${label}: reserved frame types discard the packet with a countable reason`, () => {
      const reserved = wideband ? [10, 11, 12, 13] : [9, 10, 11, 12, 13, 14];
      const random = seededRandom(3);
      for (const ft of reserved) {
        // Build with a valid type, then overwrite the FT field of the second TOC entry.
        const frames = [randomFrame(0, wideband, random), randomFrame(0, wideband, random)];
        const bytes = packAmrPayload(frames, { wideband, octetAligned });
        if (octetAligned) bytes[2] = ((bytes[2] as number) & 0x87) | (ft << 3);
        else {
          // CMR(4) F(1) FT(4) Q(1) | F(1) FT(4) Q(1): the second FT is bits 11–14 of the first two octets.
          const w = ((((bytes[0] as number) << 8) | (bytes[1] as number)) & ~(0x0f << 1)) | (ft << 1);
          bytes[0] = (w >> 8) & 0xff;
          bytes[1] = w & 0xff;
        }
        assert.equal(err(bytes, { wideband, octetAligned }).reason, AMR_DECODE_REASONS.reservedFrameType);
      }
    });

    test(`${label}: short payloads, extra octets and F bits running off the end are errors`, () => {
      const random = seededRandom(5);
      const frames = [randomFrame(wideband ? 8 : 7, wideband, random), randomFrame(sidType(wideband), wideband, random)];
      const bytes = packAmrPayload(frames, { wideband, octetAligned });
      for (let cut = 1; cut < bytes.length; cut++) {
        const reason = err(bytes.subarray(0, cut), { wideband, octetAligned }).reason;
        assert.ok(reason === AMR_DECODE_REASONS.short || reason === AMR_DECODE_REASONS.tocPastEnd, `cut at ${cut}: ${reason}`);
      }
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      assert.equal(err(longer, { wideband, octetAligned }).reason, AMR_DECODE_REASONS.long);
      assert.equal(err(new Uint8Array(0), { wideband, octetAligned }).reason, AMR_DECODE_REASONS.empty);
      // Every TOC entry says "another follows".
      const chain = octetAligned ? Uint8Array.from([0xf0, 0xfc, 0xfc, 0xfc]) : Uint8Array.from([0xff, 0xff, 0xff]);
      assert.equal(err(chain, { wideband, octetAligned }).reason, AMR_DECODE_REASONS.tocPastEnd);
    });
  }
}

test('bandwidth-efficient: padding up to the octet boundary is fine, and its bits are checked', () => {
  // AMR 4.75: 4 + 6 + 95 = 105 bits → 14 octets with 7 padding bits.
  const random = seededRandom(9);
  const frame = randomFrame(0, false, random);
  const bytes = packAmrPayload([frame], { wideband: false, octetAligned: false });
  assert.equal(bytes.length, 14);
  assert.equal(ok(bytes, { wideband: false, octetAligned: false }).reservedBitsZero, true);
  const dirty = bytes.slice();
  dirty[13] = (dirty[13] as number) | 0x01;
  const p = ok(dirty, { wideband: false, octetAligned: false });
  assert.equal(p.reservedBitsZero, false);
  assert.deepEqual([...(p.frames[0]?.bits ?? [])], [...frame.bits], 'padding never leaks into the speech bits');
});

test('octet-aligned: non-zero reserved and padding bits are flagged and cleared from the frame', () => {
  const random = seededRandom(10);
  const frame = randomFrame(7, false, random); // 244 bits: 4 padding bits in the last octet
  const bytes = packAmrPayload([frame], { wideband: false, octetAligned: true });
  const dirty = bytes.slice();
  dirty[0] = (dirty[0] as number) | 0x03;
  dirty[dirty.length - 1] = (dirty[dirty.length - 1] as number) | 0x0f;
  const p = ok(dirty, { wideband: false, octetAligned: true });
  assert.equal(p.reservedBitsZero, false);
  assert.deepEqual([...(p.frames[0]?.bits ?? [])], [...frame.bits]);
  assert.equal(dirty[dirty.length - 1], bytes[bytes.length - 1]! | 0x0f, 'the input is left untouched');
  // A clean octet-aligned frame is a view into the payload, not a copy.
  const clean = ok(bytes, { wideband: false, octetAligned: true });
  assert.equal(clean.frames[0]?.bits.buffer, bytes.buffer);
});

test('octet-aligned with crc=1: one CRC octet per frame with bits is skipped (RFC 4867 §4.4.2.1)', () => {
  const random = seededRandom(21);
  const frames = [randomFrame(2, true, random), { ft: NO_DATA, q: true, bits: new Uint8Array(0) }, randomFrame(9, true, random)];
  const bytes = packAmrPayload(frames, { wideband: true, octetAligned: true, crc: true });
  const p = ok(bytes, { wideband: true, octetAligned: true, crc: true });
  sameFrames(p, frames);
  // Without crc the same bytes do not add up.
  assert.ok(isDecodeError(decodeAmrPayload(bytes, { wideband: true, octetAligned: true })));
});

test('multi-channel payloads assign frames to channels and frame-blocks (RFC 4867 channels)', () => {
  const random = seededRandom(31);
  const frames = Array.from({ length: 6 }, () => randomFrame(Math.floor(random() * 8), false, random));
  const bytes = packAmrPayload(frames, { wideband: false, octetAligned: false });
  const p = ok(bytes, { wideband: false, octetAligned: false, channels: 2 });
  assert.deepEqual(
    p.frames.map((f) => [f.block, f.channel]),
    [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 0],
      [2, 1],
    ],
  );
  assert.equal(err(bytes, { wideband: false, octetAligned: false, channels: 4 }).reason, AMR_DECODE_REASONS.partialFrameBlock);
  assert.equal(err(bytes, { wideband: false, octetAligned: false, channels: 0 }).reason, AMR_DECODE_REASONS.channelCount);
});

test('interleaving and robust sorting are reported unsupported, and demand octet-aligned mode', () => {
  const bytes = packAmrPayload([randomFrame(0, false, seededRandom(1))], { wideband: false, octetAligned: true });
  assert.equal(err(bytes, { wideband: false, octetAligned: true, interleaving: true }).reason, AMR_DECODE_REASONS.interleaving);
  assert.equal(err(bytes, { wideband: false, octetAligned: true, robustSorting: true }).reason, AMR_DECODE_REASONS.robustSorting);
  assert.equal(err(bytes, { wideband: false, octetAligned: false, crc: true }).reason, AMR_DECODE_REASONS.needsOctetAligned);
});

test('random bytes never throw, and a 1 MB payload is decoded or refused quickly', () => {
  const random = seededRandom(77);
  for (let i = 0; i < 4000; i++) {
    const bytes = new Uint8Array(Math.floor(random() * 64));
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
    for (const wideband of [false, true]) {
      for (const octetAligned of [false, true]) decodeAmrPayload(bytes, { wideband, octetAligned, crc: octetAligned && random() < 0.3 });
    }
  }
  // 1 MB of TOC entries that all say "another follows" (F=1, FT=15): one linear pass.
  const big = new Uint8Array(1 << 20).fill(0xfc);
  const start = performance.now();
  assert.equal(err(big, { wideband: true, octetAligned: true }).reason, AMR_DECODE_REASONS.tocPastEnd);
  assert.ok(isDecodeError(decodeAmrPayload(big, { wideband: true, octetAligned: false })));
  // A real packet of many NO_DATA entries, then a frame: also linear.
  const many = synthFrames(true, 4, 20000);
  const packed = packAmrPayload(many, { wideband: true, octetAligned: false });
  assert.equal(ok(packed, { wideband: true, octetAligned: false }).frames.length, 20000);
  assert.ok(performance.now() - start < 8000, 'linear time');
});

test('decodeAmrFrames fills a reused frame list with what decodeAmrPayload returns (both modes, dirty padding, channels)', () => {
  const random = seededRandom(4867);
  const list = new AmrFrameList();
  for (const wideband of [false, true]) {
    for (const octetAligned of [false, true]) {
      for (let n = 0; n < 40; n++) {
        const channels = 1 + (n % 3);
        const types = wideband ? [0, 2, 5, 8, sidType(true), NO_DATA, WB_SPEECH_LOST] : [0, 3, 7, sidType(false), NO_DATA];
        const frames = Array.from({ length: channels * (1 + (n % 4)) }, () => randomFrame(types[Math.floor(random() * types.length)] as number, wideband, random, random() < 0.8));
        const bytes = packAmrPayload(frames, { wideband, octetAligned });
        // Octet-aligned senders sometimes leave garbage in the padding bits: set them all.
        if (octetAligned) {
          let pos = 1 + frames.length;
          for (const f of frames) {
            const bits = frameBits(f.ft, wideband) ?? 0;
            pos += Math.ceil(bits / 8);
            if (bits % 8 !== 0) bytes[pos - 1] = (bytes[pos - 1] as number) | (0xff >> bits % 8);
          }
        }
        const options = { wideband, octetAligned, channels };
        const payload = ok(bytes, options);
        assert.equal(decodeAmrFrames(bytes, options, list), undefined);
        assert.equal(list.count, payload.frames.length);
        assert.equal(list.channels, channels);
        assert.equal(list.cmr, payload.cmr);
        assert.equal(list.reservedBitsZero, payload.reservedBitsZero);
        payload.frames.forEach((f, i) => {
          assert.equal(list.ft[i], f.ft);
          assert.equal(list.q[i] === 1, f.q);
          // The octets as a reader of the list sees them: the last one masked with pad.
          const octets = list.bytes.slice(list.start[i], list.end[i]);
          if (octets.length > 0) octets[octets.length - 1] = (octets[octets.length - 1] as number) & (list.pad[i] as number);
          assert.deepEqual([...octets], [...f.bits], `${wideband ? 'WB' : 'NB'} ${octetAligned ? 'octet' : 'bwe'} frame ${i}`);
          assert.deepEqual([...f.bits], [...(frames[i] as FixtureAmrFrame).bits]);
        });
      }
    }
  }
  // Errors are the same values; a list that failed is not to be read.
  for (const bytes of [new Uint8Array([0xf0]), new Uint8Array([0xf0, 0x3c]), new Uint8Array([0xf0, 0x64, 1, 2])]) {
    const a = decodeAmrPayload(bytes, { wideband: false, octetAligned: true });
    const b = decodeAmrFrames(bytes, { wideband: false, octetAligned: true }, list);
    assert.ok(isDecodeError(a) && b !== undefined);
    assert.deepEqual(b, a);
  }
});

/** A payload's first two octets, big-endian (as the flow cache keeps them). */
const lead = (p: Uint8Array): number => ((p[0] ?? 0) << 8) | (p[1] ?? 0);

test('singleTocKeyOf: a payload with the key and length of one that decoded to one frame decodes too (both modes, crc)', () => {
  const random = seededRandom(5253);
  const list = new AmrFrameList();
  let matched = 0;
  for (const wideband of [false, true]) {
    for (const [octetAligned, crc] of [[false, false], [true, false], [true, true]] as const) {
      const options: AmrPayloadOptions = { wideband, octetAligned, crc };
      const types = wideband ? [0, 2, 5, 8, sidType(true), NO_DATA, WB_SPEECH_LOST] : [0, 3, 7, sidType(false), NO_DATA];
      for (const ft of types) {
        const p = packAmrPayload([randomFrame(ft, wideband, random, random() < 0.5)], { wideband, octetAligned, crc });
        assert.equal(decodeAmrFrames(p, options, list), undefined);
        assert.equal(list.count, 1);
        const key = singleTocKeyOf(lead(p), octetAligned);
        for (let i = 0; i < 2000; i++) {
          const q = new Uint8Array(p.length);
          for (let j = 0; j < q.length; j++) q[j] = Math.floor(random() * 256);
          // Half of them carry p's F and FT bits (RFC 4867 §4.4.2 / §4.3.2), the rest are random throughout.
          if (i % 2 === 0) {
            if (octetAligned) q[1] = ((q[1] as number) & 0x07) | ((p[1] as number) & 0xf8);
            else {
              q[0] = ((q[0] as number) & 0xf0) | ((p[0] as number) & 0x0f);
              q[1] = ((q[1] as number) & 0x7f) | ((p[1] as number) & 0x80);
            }
            assert.equal(singleTocKeyOf(lead(q), octetAligned), key);
          }
          if (singleTocKeyOf(lead(q), octetAligned) !== key) continue;
          matched++;
          assert.equal(decodeAmrFrames(q, options, list), undefined, `${wideband ? 'WB' : 'NB'} ${octetAligned ? 'octet' : 'bwe'} FT ${ft}: [${[...q.subarray(0, 2)]}]`);
          assert.equal(list.count, 1);
          assert.equal(list.ft[0], ft);
        }
      }
    }
  }
  assert.ok(matched > 30000);
});
