// The RTP decoder and the RTP / RTCP header checks run in place on a capture buffer: looking at bytes[start, end)
// must give the answer the same bytes give alone, whatever surrounds them.
import assert from 'node:assert/strict';
import test from 'node:test';
import { decodeRtp, decodeRtpAt, looksLikeRtp } from '../../../src/protocols/rtp/decode.js';
import { looksLikeRtcp } from '../../../src/protocols/rtp/rtcp.js';

function rtp(o: { cc?: number; x?: number; pad?: number; pt?: number; payload?: number }): Uint8Array {
  const cc = o.cc ?? 0;
  const ext = o.x ?? -1;
  const pad = o.pad ?? 0;
  const len = 12 + 4 * cc + (ext >= 0 ? 4 + 4 * ext : 0) + (o.payload ?? 10) + pad;
  const b = new Uint8Array(len);
  b[0] = 0x80 | cc | (ext >= 0 ? 0x10 : 0) | (pad > 0 ? 0x20 : 0);
  b[1] = o.pt ?? 96;
  if (ext >= 0) b[12 + 4 * cc + 3] = ext;
  if (pad > 0) b[len - 1] = pad;
  return b;
}

/** What a decode gives, by content: header fields, extension and payload (view and offsets), or the error. */
function fields(p: ReturnType<typeof decodeRtp>): unknown {
  if ('reason' in p) return p;
  const { marker, payloadType, sequence, timestamp, ssrc, csrcs, extension, paddingLength, headerLength } = p;
  return {
    header: [marker, payloadType, sequence, timestamp, ssrc, [...csrcs], paddingLength, headerLength],
    extension: extension === undefined ? undefined : [extension.profile, [...extension.data]],
    payload: [...p.payload],
    inBuffer: [...p.buf.subarray(p.payloadStart, p.payloadEnd)],
  };
}

const rtcpSr = Uint8Array.from([0x80, 200, 0, 6, ...new Array<number>(24).fill(1)]);

test('header checks at an offset agree with the checks on the bytes alone', () => {
  const cases: Uint8Array[] = [
    rtp({}),
    rtp({ cc: 3 }),
    rtp({ x: 2 }),
    rtp({ pad: 4 }),
    rtp({ pt: 72 }),
    rtp({ cc: 15, payload: 0 }).subarray(0, 40), // CSRC list runs past the end
    rtp({ x: 5, payload: 0 }).subarray(0, 20), // extension runs past the end
    rtcpSr,
    rtcpSr.subarray(0, 20), // RTCP length runs past the end
    Uint8Array.from([0x40, 96, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), // version 1
    new Uint8Array(5),
  ];
  for (const [i, bytes] of cases.entries()) {
    // Surrounded by bytes that would change the answer if read: a padding count and RTP-looking data.
    const chunk = new Uint8Array(7 + bytes.length + 9).fill(0xa0);
    chunk.set(bytes, 7);
    const start = 7;
    const end = 7 + bytes.length;
    assert.equal(looksLikeRtp(chunk, start, end), looksLikeRtp(bytes), `case ${i}: RTP`);
    assert.equal(looksLikeRtcp(chunk, start, end), looksLikeRtcp(bytes), `case ${i}: RTCP`);
  }
  assert.equal(looksLikeRtp(rtp({ pad: 4 })), true);
  assert.equal(looksLikeRtp(rtp({ cc: 15, payload: 0 }).subarray(0, 40)), false);
  assert.equal(looksLikeRtcp(rtcpSr), true);
  assert.equal(looksLikeRtcp(rtcpSr.subarray(0, 20)), false);
});

test('decoding a packet in place gives the packet the bytes alone give', () => {
  const withCsrc = rtp({ cc: 2, payload: 5 });
  withCsrc.set([0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff], 12);
  const withExt = rtp({ x: 1, pad: 3, payload: 6 });
  withExt.set([0xbe, 0xde, 0, 1, 1, 2, 3, 4], 12);
  const cases = [rtp({}), withCsrc, withExt, rtp({ pad: 200, payload: 1 }), rtp({ cc: 15, payload: 0 }).subarray(0, 40), new Uint8Array(11)];
  for (const [i, bytes] of cases.entries()) {
    const chunk = new Uint8Array(5 + bytes.length + 5).fill(0x21);
    chunk.set(bytes, 5);
    const alone = decodeRtp(bytes);
    const inPlace = decodeRtpAt(chunk, 5, 5 + bytes.length);
    // Views compare by content: the in-place payload must hold exactly the packet's payload bytes,
    // as a view and as its offsets into the buffer.
    assert.deepEqual(fields(inPlace), fields(alone), `case ${i}`);
  }
  const ext = decodeRtp(withExt);
  assert.ok(!('reason' in ext));
  assert.deepEqual(Array.from(ext.extension!.data), [1, 2, 3, 4]);
  assert.equal(ext.paddingLength, 3);
  assert.equal(ext.payload.length, 6 + 3 - 3);
});
