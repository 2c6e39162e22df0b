import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetDecoder } from '../../src/net/decoder.js';
import type { NetProblem } from '../../src/net/events.js';
import { ethernet, frameOf, ipUdp, ipv4, text, udp, PROTO } from '../fixtures/packets.js';

const good = ipUdp({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 5060, dstPort: 5060 }, text('OPTIONS'));

test('stats: frames, layer frames (once per frame), malformed and truncated frames', () => {
  const problems: NetProblem[] = [];
  const d = new NetDecoder({ problem: (p) => problems.push(p) });
  d.decode(frameOf(good, { frameNo: 1 }));
  // IP-in-IP: two IPv4 headers in one frame count once for 'ipv4'
  d.decode(frameOf(ethernet({}, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: PROTO.ipv4 }, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp }, udp({ srcPort: 1, dstPort: 2 }, text('x'))))), { frameNo: 2 }));
  // two problems in one frame: UDP length lies and the IPv4 total length lies
  d.decode(frameOf(ethernet({}, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: PROTO.udp, totalLength: 200 }, udp({ srcPort: 1, dstPort: 2, length: 100 }, text('x')))), { frameNo: 3 }));
  d.decode(frameOf(good.subarray(0, 30), { frameNo: 4, origLen: good.length }));
  d.finish();
  const s = d.stats;
  assert.equal(s.frames, 4);
  assert.equal(s.layerFrames.get('ipv4'), 4);
  assert.equal(s.layerFrames.get('eth'), 4);
  assert.equal(s.layerFrames.get('udp'), 3, 'frame 4 was cut inside the IPv4 header');
  assert.equal(s.layerFrames.get('ip-in-ip'), 1);
  assert.equal(s.malformed, 1);
  assert.equal(s.firstMalformed.length, 2);
  assert.equal(s.truncated, 1);
  assert.deepEqual(
    problems.map((p) => [p.frameNo, p.kind, p.layer]),
    [
      [3, 'malformed', 'ipv4'],
      [3, 'malformed', 'udp'],
      [4, 'truncated', 'ipv4'],
    ],
  );
});

test('a listener that throws does not escape decode(): the frame gets a problem', () => {
  const problems: NetProblem[] = [];
  const d = new NetDecoder({
    payload: () => {
      throw new Error('listener bug');
    },
    problem: (p) => problems.push(p),
  });
  assert.doesNotThrow(() => d.decode(frameOf(good, { frameNo: 7 })));
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.frameNo, 7);
  assert.match(problems[0]!.reason, /internal error: listener bug/);
  d.decode(frameOf(good, { frameNo: 8 }));
  assert.equal(d.stats.frames, 2);
});

test('payload events carry the frame time as floating seconds and a view of the frame bytes', () => {
  let seen: { ts: number; bytes: Uint8Array } | undefined;
  const d = new NetDecoder({ payload: (e) => (seen = { ts: e.ts, bytes: e.bytes }) });
  const frame = frameOf(good, { tsSec: 1_700_000_123, tsNsec: 456_000_000 });
  d.decode(frame);
  assert.equal(seen!.ts, 1_700_000_123.456);
  assert.equal(seen!.bytes.buffer, frame.bytes.buffer, 'a view, not a copy');
  assert.equal(new TextDecoder().decode(seen!.bytes), 'OPTIONS');
});

test('the same tunnel path array is shared between consecutive events of one tunnel', () => {
  const arrays: unknown[] = [];
  const d = new NetDecoder({ payload: (e) => arrays.push(e.tunnel) });
  const inner = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: PROTO.udp }, udp({ srcPort: 1, dstPort: 2 }, text('x')));
  const outer = ethernet({}, ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: PROTO.ipv4 }, inner));
  d.decode(frameOf(outer, { frameNo: 1 }));
  d.decode(frameOf(good, { frameNo: 2 }));
  d.decode(frameOf(good, { frameNo: 3 }));
  assert.equal(arrays[1], arrays[2]);
  assert.notEqual(arrays[0], arrays[1]);
  assert.deepEqual(arrays[1], []);
});
