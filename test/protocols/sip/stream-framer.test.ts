import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipStreamFramer, type SipStreamItem } from '../../../src/protocols/sip/stream-framer.js';
import { basicHeaders, bytes, sipText } from './message-builder.js';

const INVITE = sipText('INVITE sip:bob@example.com SIP/2.0', [...basicHeaders('INVITE'), 'Content-Type: application/sdp'], 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n');
const TRYING = sipText('SIP/2.0 100 Trying', basicHeaders('INVITE'));
const BYE = sipText('BYE sip:bob@example.com SIP/2.0', basicHeaders('BYE', 2), 'body with\r\n\r\nblank lines');

function labels(items: readonly SipStreamItem[]): string[] {
  return items.map((i) => (i.kind === 'message' ? `${i.message.method ?? i.message.statusCode}@${i.firstFrameNo}-${i.frameNo}` : i.kind === 'discarded' ? `discarded:${i.byteCount}` : `error:${i.error.reason}`));
}

test('several messages in one segment, bodies framed by Content-Length', () => {
  const f = new SipStreamFramer();
  const out = f.push(bytes(INVITE + TRYING + BYE), 7, 1.5);
  assert.deepEqual(labels(out), ['INVITE@7-7', '100@7-7', 'BYE@7-7']);
  const bye = out[2];
  assert.ok(bye?.kind === 'message');
  assert.equal(Buffer.from(bye.message.body).toString(), 'body with\r\n\r\nblank lines');
  assert.equal(bye.ts, 1.5);
  assert.equal(f.bufferedBytes, 0);
});

test('a message split at every possible point keeps its first and completing frames', () => {
  const whole = bytes(INVITE + BYE);
  for (let cut = 1; cut < whole.length; cut++) {
    const f = new SipStreamFramer();
    const out = [...f.push(whole.subarray(0, cut), 1, 0), ...f.push(whole.subarray(cut), 2, 0)];
    const inviteEnd = Buffer.byteLength(INVITE);
    const expected = cut < inviteEnd ? ['INVITE@1-2', 'BYE@2-2'] : cut === inviteEnd ? ['INVITE@1-1', 'BYE@2-2'] : ['INVITE@1-1', 'BYE@1-2'];
    assert.deepEqual(labels(out), expected, `cut at ${cut}`);
  }
});

test('byte-by-byte delivery frames the same messages', () => {
  const whole = bytes(TRYING + INVITE);
  const f = new SipStreamFramer();
  const out: SipStreamItem[] = [];
  whole.forEach((b, i) => out.push(...f.push(new Uint8Array([b]), 100 + i, 0)));
  assert.deepEqual(labels(out), [`100@100-${100 + Buffer.byteLength(TRYING) - 1}`, `INVITE@${100 + Buffer.byteLength(TRYING)}-${100 + whole.length - 1}`]);
});

test('CRLF keep-alives between messages are skipped silently (RFC 5626 §4.4.1)', () => {
  const f = new SipStreamFramer();
  const out = [...f.push(bytes('\r\n\r\n'), 1, 0), ...f.push(bytes(TRYING + '\r\n'), 2, 0), ...f.push(bytes('\r\n\r\n' + BYE), 3, 0)];
  assert.deepEqual(labels(out), ['100@2-2', 'BYE@3-3']);
});

test('garbage is discarded up to the next start line, and reported', () => {
  const f = new SipStreamFramer();
  const junk = '\u0016\u0003\u0001 binary junk\r\nmore junk\r\n';
  const out = [...f.push(bytes(junk + TRYING.slice(0, 10)), 1, 0), ...f.push(bytes(TRYING.slice(10) + 'xx garbage\r\n' + BYE), 2, 0)];
  assert.deepEqual(labels(out), [`discarded:${Buffer.byteLength(junk)}`, '100@1-2', 'discarded:12', 'BYE@2-2']);
});

test('a lying Content-Length is capped, reported, and the stream resynchronises', () => {
  const f = new SipStreamFramer({ maxMessageBytes: 64 * 1024 });
  const liar = sipText('MESSAGE sip:bob@example.com SIP/2.0', basicHeaders('MESSAGE'), '', 2_000_000_000);
  const out = [...f.push(bytes(liar + 'some body bytes\r\n'), 1, 0)];
  assert.equal(out.length, 2);
  assert.ok(out[0]?.kind === 'discarded' && out[0].reason.includes('2000000000'));
  assert.ok(f.bufferedBytes < 64 * 1024);
  for (let i = 0; i < 100; i++) out.push(...f.push(bytes('x'.repeat(1000) + '\r\n'), 2 + i, 0));
  assert.ok(f.bufferedBytes < 64 * 1024);
  out.push(...f.push(bytes(BYE), 200, 0));
  assert.deepEqual(labels(out).at(-1), 'BYE@200-200');
});

test('headers that never end, or a line that never ends, stay within the limit', () => {
  const f = new SipStreamFramer({ maxMessageBytes: 8192 });
  const out: SipStreamItem[] = [...f.push(bytes('OPTIONS sip:a@b SIP/2.0\r\n'), 1, 0)];
  for (let i = 0; i < 50; i++) out.push(...f.push(bytes(`X-Filler-${i}: ${'y'.repeat(300)}\r\n`), 2 + i, 0));
  assert.ok(out.some((o) => o.kind === 'discarded'));
  assert.ok(f.bufferedBytes <= 8192 + 400);
  const g = new SipStreamFramer({ maxMessageBytes: 8192 });
  const out2: SipStreamItem[] = [];
  for (let i = 0; i < 50; i++) out2.push(...g.push(bytes('z'.repeat(500)), i, 0));
  assert.ok(out2.some((o) => o.kind === 'discarded'));
  assert.ok(g.bufferedBytes <= 8192 + 500);
  out2.push(...g.push(bytes('\r\n' + TRYING), 99, 0));
  assert.equal(labels(out2).at(-1), '100@99-99');
});

test('gap() drops a partial message; the next message after the gap is found again', () => {
  const f = new SipStreamFramer();
  const out = [...f.push(bytes(INVITE.slice(0, 50)), 1, 0), ...f.gap(2)];
  assert.deepEqual(labels(out), ['discarded:50']);
  // The stream resumes in the middle of a message.
  const resumed = [...f.push(bytes(INVITE.slice(80) + BYE), 3, 0)];
  assert.equal(labels(resumed).at(-1), 'BYE@3-3');
  assert.ok(resumed.slice(0, -1).every((o) => o.kind === 'discarded'));
  assert.deepEqual(labels([...f.push(bytes(TRYING.slice(0, 20)), 4, 0), ...f.end(5)]), ['discarded:20']);
});

test('a 1 MB body in 1460-byte segments, and a long garbage line, are framed in linear time', () => {
  const big = 'a'.repeat(1 << 20);
  const msg = bytes(sipText('MESSAGE sip:bob@example.com SIP/2.0', basicHeaders('MESSAGE'), big));
  const f = new SipStreamFramer({ maxMessageBytes: 2 << 20 });
  const t0 = Date.now();
  const out: SipStreamItem[] = [];
  for (let at = 0, frame = 1; at < msg.length; at += 1460, frame++) out.push(...f.push(msg.subarray(at, at + 1460), frame, 0));
  const g = new SipStreamFramer({ maxMessageBytes: 2 << 20 });
  for (let at = 0; at < 1 << 20; at += 1460) g.push(bytes('Z'.repeat(1460)), 1, 0);
  const ms = Date.now() - t0;
  assert.equal(out.length, 1);
  assert.ok(out[0]?.kind === 'message' && out[0].message.body.length === 1 << 20);
  assert.equal(out[0].firstFrameNo, 1);
  assert.equal(out[0].frameNo, Math.ceil(msg.length / 1460));
  assert.ok(ms < 5000, `took ${ms} ms`);
});
