import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { decodeRtp, looksLikeRtp } from '../../../src/protocols/rtp/decode.js';
import { decodeRtcpCompound, looksLikeRtcp } from '../../../src/protocols/rtp/rtcp.js';
import { isDecodeError } from '../../../src/decode-error.js';
import type { RtpPacket } from '../../../src/protocols/rtp/types.js';
import { buildRtp, seededRandom } from '../../fixtures/amr-frames.js';
import { corpusFile, needTools } from '../../support/environment.js';

function rtp(bytes: Uint8Array): RtpPacket {
  const p = decodeRtp(bytes);
  if (isDecodeError(p)) assert.fail(`unexpected decode error: ${p.reason}`);
  return p;
}

test('fixed header fields come back as the packet stated them', () => {
  const payload = Uint8Array.from([1, 2, 3, 4, 5]);
  const p = rtp(buildRtp({ payloadType: 96, sequence: 0xfffe, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, marker: true, payload }));
  assert.equal(p.version, 2);
  assert.equal(p.marker, true);
  assert.equal(p.payloadType, 96);
  assert.equal(p.sequence, 0xfffe);
  assert.equal(p.timestamp, 0xfffffff0);
  assert.equal(p.ssrc, 0xdeadbeef);
  assert.deepEqual([...p.payload], [...payload]);
  assert.equal(p.headerLength, 12);
  assert.equal(p.paddingLength, 0);
  assert.deepEqual(p.csrcs, []);
  assert.equal(p.extension, undefined);
});

test('CSRC list, header extension and padding are all skipped to reach the payload', () => {
  const payload = Uint8Array.from([0xaa, 0xbb, 0xcc]);
  const extData = Uint8Array.from([0x10, 0x01, 0x02, 0x03, 0x20, 0x04, 0x05, 0x06]);
  const bytes = buildRtp({
    payloadType: 8,
    sequence: 7,
    timestamp: 160,
    ssrc: 1,
    payload,
    csrcs: [0x11111111, 0x22222222],
    extension: { profile: 0xbede, data: extData },
    padding: 5,
  });
  const p = rtp(bytes);
  assert.deepEqual(p.csrcs, [0x11111111, 0x22222222]);
  assert.equal(p.extension?.profile, 0xbede);
  assert.deepEqual([...(p.extension?.data ?? [])], [...extData]);
  assert.equal(p.paddingLength, 5);
  assert.equal(p.headerLength, 12 + 8 + 4 + 8);
  assert.deepEqual([...p.payload], [...payload]);
  // A view, not a copy.
  assert.equal(p.payload.buffer, bytes.buffer);
});

test('malformed headers are decode errors, not exceptions', () => {
  const good = buildRtp({ payloadType: 0, sequence: 1, timestamp: 2, ssrc: 3, payload: new Uint8Array(4) });
  assert.ok(isDecodeError(decodeRtp(good.subarray(0, 11))), 'short');
  const v1 = good.slice();
  v1[0] = 0x40;
  assert.ok(isDecodeError(decodeRtp(v1)), 'version 1');
  const csrcPastEnd = good.slice();
  csrcPastEnd[0] = 0x80 | 15;
  assert.ok(isDecodeError(decodeRtp(csrcPastEnd)), 'CSRC list past end');
  const extPastEnd = buildRtp({ payloadType: 0, sequence: 1, timestamp: 2, ssrc: 3, payload: new Uint8Array(0), extension: { profile: 1, data: new Uint8Array(8) } });
  assert.ok(isDecodeError(decodeRtp(extPastEnd.subarray(0, extPastEnd.length - 1))), 'extension past end');
  const zeroPad = good.slice();
  zeroPad[0] = (zeroPad[0] as number) | 0x20;
  zeroPad[zeroPad.length - 1] = 0;
  assert.ok(isDecodeError(decodeRtp(zeroPad)), 'padding count 0');
  const bigPad = good.slice();
  bigPad[0] = (bigPad[0] as number) | 0x20;
  bigPad[bigPad.length - 1] = 5;
  assert.ok(isDecodeError(decodeRtp(bigPad)), 'padding longer than payload');
  // Padding covering exactly the whole payload is legal: empty payload.
  const allPad = good.slice();
  allPad[0] = (allPad[0] as number) | 0x20;
  allPad[allPad.length - 1] = 4;
  assert.equal(rtp(allPad).payload.length, 0);
});

test('random bytes never throw, and the heuristic accepts exactly the decodable non-RTCP headers', () => {
  const random = seededRandom(7);
  for (let i = 0; i < 5000; i++) {
    const bytes = new Uint8Array(Math.floor(random() * 40));
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
    if (random() < 0.5 && bytes.length > 0) bytes[0] = 0x80 | ((bytes[0] as number) & 0x3f);
    const p = decodeRtp(bytes);
    const rtcpRange = bytes.length > 1 && ((bytes[1] as number) & 0x7f) >= 72 && ((bytes[1] as number) & 0x7f) <= 76;
    assert.equal(looksLikeRtp(bytes), !isDecodeError(p) && !rtcpRange);
  }
});

test('RTP and RTCP are told apart, also when RTCP is seen through the marker bit', () => {
  const rtpBytes = buildRtp({ payloadType: 96, sequence: 1, timestamp: 0, ssrc: 5, payload: new Uint8Array(20) });
  assert.equal(looksLikeRtp(rtpBytes), true);
  assert.equal(looksLikeRtcp(rtpBytes), false);
  // RFC 3550 §6.4.2 receiver report with one report block, then SDES with a CNAME.
  const rr = Uint8Array.from([0x81, 201, 0, 7, 0, 0, 0, 5, ...new Array<number>(24).fill(0)]);
  const sdes = Uint8Array.from([0x81, 202, 0, 3, 0, 0, 0, 5, 1, 2, 0x61, 0x62, 0, 0, 0, 0]);
  const compound = new Uint8Array([...rr, ...sdes]);
  assert.equal(looksLikeRtcp(compound), true);
  assert.equal(looksLikeRtp(compound), false, 'PT 201 & 0x7f = 73 is in the RTCP range');
  const packets = decodeRtcpCompound(compound);
  if (isDecodeError(packets)) assert.fail(packets.reason);
  assert.deepEqual(
    packets.map((p) => [p.packetType, p.count, p.ssrc, p.bytes.length]),
    [
      [201, 1, 5, 32],
      [202, 1, 5, 16],
    ],
  );
  assert.ok(isDecodeError(decodeRtcpCompound(compound.subarray(0, 40))), 'truncated second packet');
  assert.ok(isDecodeError(decodeRtcpCompound(Uint8Array.from([0x80, 96, 0, 0]))), 'not RTCP');
});

test('header fields agree with tshark on corpus RTP streams', (t) => {
  if (!needTools(t, 'tshark')) return;
  for (const name of ['nesfit__codecs3-amr-wb.pcap', 'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng']) {
    const file = corpusFile(t, name);
    if (file === undefined) return;
    const out = spawnSync(
      'tshark',
      ['-r', file, '-Y', 'rtp', '-T', 'fields', '-e', 'rtp.p_type', '-e', 'rtp.marker', '-e', 'rtp.seq', '-e', 'rtp.timestamp', '-e', 'rtp.ssrc', '-e', 'rtp.payload', '-e', 'udp.payload'],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    ).stdout;
    const lines = out.trim().split('\n');
    assert.ok(lines.length > 100, `${name}: tshark found RTP`);
    for (const line of lines) {
      const [pt, marker, seq, ts, ssrc, payload, udp] = line.split('\t') as [string, string, string, string, string, string, string];
      const p = rtp(Buffer.from(udp, 'hex'));
      assert.equal(p.payloadType, Number(pt));
      assert.equal(p.marker, marker === '1' || marker === 'True');
      assert.equal(p.sequence, Number(seq));
      assert.equal(p.timestamp, Number(ts));
      assert.equal(p.ssrc, Number(ssrc));
      assert.equal(Buffer.from(p.payload).toString('hex'), payload);
      assert.equal(looksLikeRtp(Buffer.from(udp, 'hex')), true);
    }
  }
});
