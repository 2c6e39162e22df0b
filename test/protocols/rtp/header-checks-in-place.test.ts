// The RTP / RTCP header checks run in place on a capture buffer: looking at bytes[start, end)
// must give the answer the same bytes give alone, whatever surrounds them.
import assert from 'node:assert/strict';
import test from 'node:test';
import { looksLikeRtp } from '../../../src/protocols/rtp/decode.js';
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
