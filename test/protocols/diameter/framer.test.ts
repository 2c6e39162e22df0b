import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiameterStreamFramer, type FramedDiameterMessage } from '../../../src/protocols/diameter/framer.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { sessionId } from '../../../src/protocols/diameter/query.js';
import type { DiameterMessage } from '../../../src/protocols/diameter/types.js';
import { avp, concat, diameter, u32, utf8 } from './build.js';

function dwr(n: number, pad = 0): Uint8Array {
  return diameter({
    commandCode: 280,
    applicationId: 0,
    request: true,
    hopByHop: n,
    endToEnd: 1000 + n,
    avps: [avp(263, utf8(`peer;${n};${'x'.repeat(pad)}`)), avp(278, u32(n))],
  });
}

function messages(out: readonly FramedDiameterMessage[]): DiameterMessage[] {
  return out.flatMap((f) => (isDecodeError(f.message) ? [] : [f.message]));
}

function garbage(out: readonly FramedDiameterMessage[]): string[] {
  return out.flatMap((f) => (isDecodeError(f.message) ? [f.message.reason] : []));
}

test('several messages in one segment', () => {
  const framer = new DiameterStreamFramer();
  const out = framer.push(concat(dwr(1), dwr(2), dwr(3)), 10, 1.5);
  assert.deepEqual(messages(out).map((m) => m.hopByHop), [1, 2, 3]);
  assert.deepEqual(out.map((f) => [f.firstFrameNo, f.frameNo, f.ts]), [[10, 10, 1.5], [10, 10, 1.5], [10, 10, 1.5]]);
  assert.equal(framer.buffered, 0);
});

test('a message across segments is reported with the frame of the completing segment', () => {
  const framer = new DiameterStreamFramer();
  const m = dwr(7, 300);
  assert.deepEqual(framer.push(m.subarray(0, 5), 1, 0.1), []);
  assert.deepEqual(framer.push(m.subarray(5, 150), 2, 0.2), []);
  assert.equal(framer.buffered, 150);
  const out = framer.push(concat(m.subarray(150), dwr(8).subarray(0, 30)), 3, 0.3);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.frameNo, 3);
  assert.equal(out[0]!.firstFrameNo, 1);
  assert.equal(out[0]!.ts, 0.3);
  const msg = messages(out)[0]!;
  assert.equal(msg.hopByHop, 7);
  assert.equal(sessionId(msg), `peer;7;${'x'.repeat(300)}`);
  assert.equal(framer.buffered, 30);
  const next = framer.push(dwr(8).subarray(30), 4, 0.4);
  assert.deepEqual(next.map((f) => [f.firstFrameNo, f.frameNo]), [[3, 4]]);
});

test('byte-by-byte feeding yields every message once, each on its last byte', () => {
  const framer = new DiameterStreamFramer();
  const stream = concat(dwr(1), dwr(2, 5), dwr(3, 11));
  const seen: [number, number, number][] = [];
  for (let i = 0; i < stream.length; i++) {
    for (const f of framer.push(stream.subarray(i, i + 1), i + 1, i)) {
      if (!isDecodeError(f.message)) seen.push([f.message.hopByHop, f.firstFrameNo, f.frameNo]);
    }
  }
  const ends = [dwr(1).length, dwr(1).length + dwr(2, 5).length, stream.length];
  assert.deepEqual(seen, [[1, 1, ends[0]!], [2, ends[0]! + 1, ends[1]!], [3, ends[1]! + 1, ends[2]!]]);
});

test('messages cut from an internal buffer stay valid after later pushes reuse it', () => {
  const framer = new DiameterStreamFramer();
  const a = dwr(1, 40);
  framer.push(a.subarray(0, 10), 1, 0);
  const first = messages(framer.push(a.subarray(10), 2, 0))[0]!;
  const before = [...first.avps[0]!.data];
  const b = dwr(2, 40);
  framer.push(b.subarray(0, 10), 3, 0);
  framer.push(b.subarray(10), 4, 0);
  assert.deepEqual([...first.avps[0]!.data], before);
});

test('garbage before and between messages is skipped and reported once per run', () => {
  const framer = new DiameterStreamFramer();
  const junk = utf8('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  const out = framer.push(concat(junk, dwr(1), junk, junk, dwr(2)), 5, 0);
  assert.deepEqual(messages(out).map((m) => m.hopByHop), [1, 2]);
  assert.deepEqual(garbage(out), [`skipped ${junk.length} octets that do not start a Diameter message`, `skipped ${2 * junk.length} octets that do not start a Diameter message`]);
});

test('a length that lies long: the message is cut where the next header starts and the next message survives', () => {
  const framer = new DiameterStreamFramer();
  const liar = dwr(1);
  const claimed = liar.length + 64;
  liar[1] = (claimed >> 16) & 0xff;
  liar[2] = (claimed >> 8) & 0xff;
  liar[3] = claimed & 0xff;
  const out = framer.push(concat(liar, dwr(2), dwr(3, 50)), 1, 0);
  const ms = messages(out);
  assert.deepEqual(ms.map((m) => m.hopByHop), [1, 2, 3]);
  assert.ok(ms[0]!.errors.some((e) => /exceeds the \d+ octets given/.test(e.reason)));
  assert.deepEqual(ms[1]!.errors, []);
});

test('a length that lies long at the end of the stream is resolved by flush()', () => {
  const framer = new DiameterStreamFramer();
  const liar = dwr(1);
  liar[3] = liar[3]! + 200; // claims 200 more octets than the stream will ever carry
  assert.deepEqual(framer.push(concat(liar, dwr(2)), 1, 0), []);
  const out = framer.flush(9, 9.5);
  assert.deepEqual(messages(out).map((m) => m.hopByHop), [1, 2]);
  assert.deepEqual(out.map((f) => f.frameNo), [9, 9]);
  assert.equal(framer.buffered, 0);
});

test('a length that lies short: the message ends early, its tail is skipped, the next message is found', () => {
  const framer = new DiameterStreamFramer();
  const liar = dwr(1, 40);
  const sessionAvp = (8 + 'peer;1;'.length + 40 + 3) & ~3;
  const claimed = 20 + sessionAvp; // covers the Session-Id AVP, not Origin-State-Id
  liar[1] = 0;
  liar[2] = 0;
  liar[3] = claimed;
  const out = framer.push(concat(liar, dwr(2)), 1, 0);
  const ms = messages(out);
  assert.deepEqual(ms.map((m) => m.hopByHop), [1, 2]);
  assert.deepEqual(ms[0]!.avps.map((a) => a.name), ['Session-Id']);
  assert.deepEqual(garbage(out), [`skipped ${liar.length - claimed} octets that do not start a Diameter message`]);
});

test('a header whose first AVP overruns the claimed length is not taken for a message', () => {
  const framer = new DiameterStreamFramer();
  const liar = dwr(1, 40);
  liar[1] = 0;
  liar[2] = 0;
  liar[3] = 20 + 12;
  const out = framer.push(concat(liar, dwr(2)), 1, 0);
  assert.deepEqual(messages(out).map((m) => m.hopByHop), [2]);
  assert.deepEqual(garbage(out), [`skipped ${liar.length} octets that do not start a Diameter message`]);
});

test('a length above maxMessageLength is garbage: the buffer stays bounded', () => {
  const framer = new DiameterStreamFramer({ maxMessageLength: 4096 });
  const huge = dwr(1);
  huge[1] = 0x10; // claims ~1 MiB
  let out = framer.push(huge, 1, 0);
  for (let i = 0; i < 100; i++) {
    out = out.concat(framer.push(new Uint8Array(1000).fill(0x55), 2 + i, 0));
    assert.ok(framer.buffered < 20, `buffered ${framer.buffered}`);
  }
  out = out.concat(framer.push(dwr(2), 200, 0));
  assert.deepEqual(messages(out).map((m) => m.hopByHop), [2]);
  assert.equal(garbage(out).length, 1);
});

test('gap() drops a partial message and the stream resynchronises on the next header', () => {
  const framer = new DiameterStreamFramer();
  const a = dwr(1, 100);
  framer.push(a.subarray(0, 60), 1, 0);
  framer.gap();
  assert.equal(framer.buffered, 0);
  const b = dwr(2);
  const out = framer.push(concat(a.subarray(90), b), 3, 0);
  assert.deepEqual(messages(out).map((m) => m.hopByHop), [2]);
  assert.deepEqual(garbage(out), [`skipped ${a.length - 90} octets that do not start a Diameter message`]);
});

test('random chunking of a long stream never loses or duplicates a message and stays linear', () => {
  const count = 3000;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) parts.push(dwr(i, i % 37));
  const stream = concat(...parts);
  let seed = 99;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 16;
  };
  const framer = new DiameterStreamFramer();
  const seen: number[] = [];
  const started = performance.now();
  for (let off = 0, frame = 1; off < stream.length; frame++) {
    const n = 1 + (rnd() % 700);
    for (const m of messages(framer.push(stream.subarray(off, off + n), frame, 0))) seen.push(m.hopByHop);
    off += n;
  }
  assert.equal(seen.length, count);
  assert.ok(seen.every((h, i) => h === i));
  assert.ok(performance.now() - started < 5000);
});

test('in step, commands the dictionary does not know are framed; while resynchronising they are not believed', () => {
  const vendorCommand = (hbh: number): Uint8Array =>
    diameter({ commandCode: 8388620, applicationId: 16777255, request: true, hopByHop: hbh, endToEnd: hbh, avps: [avp(263, utf8(`gmlc;${hbh}`))] });
  const framer = new DiameterStreamFramer();
  const out = framer.push(concat(vendorCommand(1), dwr(2), vendorCommand(3)), 1, 0);
  assert.deepEqual(messages(out).map((m) => [m.commandCode, m.hopByHop]), [[8388620, 1], [280, 2], [8388620, 3]]);

  framer.gap();
  const after = framer.push(concat(vendorCommand(4), dwr(5), vendorCommand(6)), 2, 0);
  assert.deepEqual(messages(after).map((m) => m.hopByHop), [5, 6]);
  assert.deepEqual(garbage(after), [`skipped ${vendorCommand(4).length} octets that do not start a Diameter message`]);
});

test('a 1 MB message fed in 64-octet segments is framed in linear time with its first frame', () => {
  const big = diameter({ commandCode: 306, applicationId: 16777217, request: false, hopByHop: 1, endToEnd: 1, avps: [avp(263, new Uint8Array((1 << 20) - 64).fill(0x61))] });
  const framer = new DiameterStreamFramer({ maxMessageLength: 2 << 20 });
  const started = performance.now();
  const out: FramedDiameterMessage[] = [];
  let frame = 100;
  for (let off = 0; off < big.length; off += 64) out.push(...framer.push(big.subarray(off, off + 64), frame++, 0));
  out.push(...framer.push(dwr(2), frame, 0));
  assert.deepEqual(out.map((f) => [f.firstFrameNo, f.frameNo]), [[100, frame - 1], [frame, frame]]);
  assert.ok(performance.now() - started < 5000);
});
