import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../../src/decode-error.js';
import { readWebSocketFrameHeader, unmaskInto, WS_OPCODE } from '../../../src/protocols/websocket/frame.js';
import { looksLikeHttpHandshake, parseWebSocketHandshake } from '../../../src/protocols/websocket/handshake.js';
import { WebSocketStream, type WebSocketStreamItem } from '../../../src/protocols/websocket/stream.js';

/** RFC 6455 §5.2 frame, written independently of the decoder under test. */
function frame(opcode: number, payload: Uint8Array, opts: { fin?: boolean; mask?: number[]; rsv1?: boolean; forceLength64?: boolean } = {}): Uint8Array {
  const head: number[] = [((opts.fin ?? true) ? 0x80 : 0) | (opts.rsv1 === true ? 0x40 : 0) | opcode];
  const maskBit = opts.mask === undefined ? 0 : 0x80;
  const n = payload.length;
  if (opts.forceLength64 === true || n > 0xffff) {
    head.push(maskBit | 127, 0, 0, 0, 0, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  } else if (n > 125) {
    head.push(maskBit | 126, n >> 8, n & 0xff);
  } else {
    head.push(maskBit | n);
  }
  const body = Uint8Array.from(payload);
  if (opts.mask !== undefined) {
    head.push(...opts.mask);
    for (let i = 0; i < body.length; i++) body[i] = body[i]! ^ opts.mask[i % 4]!;
  }
  return new Uint8Array([...head, ...body]);
}

const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const MASK = [0x37, 0xfa, 0x21, 0x3d];

test('frame headers: 7-, 16- and 64-bit lengths, masks, reserved opcodes, control frame limits (RFC 6455 §5.2, §5.5)', () => {
  const small = readWebSocketFrameHeader(frame(WS_OPCODE.text, text('Hello'), { mask: MASK }));
  assert.ok(small !== 'incomplete' && !isDecodeError(small));
  assert.deepEqual(small, { fin: true, rsv: 0, opcode: 1, masked: true, maskingKey: 0x37fa213d, payloadLength: 5, headerLength: 6 });
  const mid = readWebSocketFrameHeader(frame(WS_OPCODE.binary, new Uint8Array(300)));
  assert.ok(mid !== 'incomplete' && !isDecodeError(mid));
  assert.equal(mid.payloadLength, 300);
  assert.equal(mid.headerLength, 4);
  const big = readWebSocketFrameHeader(frame(WS_OPCODE.binary, new Uint8Array(70000), { fin: false, rsv1: true }));
  assert.ok(big !== 'incomplete' && !isDecodeError(big));
  assert.equal(big.payloadLength, 70000);
  assert.equal(big.headerLength, 10);
  assert.equal(big.fin, false);
  assert.equal(big.rsv, 4);
  assert.equal(readWebSocketFrameHeader(new Uint8Array([0x81])), 'incomplete');
  assert.equal(readWebSocketFrameHeader(new Uint8Array([0x81, 0xfe, 0x01])), 'incomplete');
  assert.equal(readWebSocketFrameHeader(new Uint8Array([0x81, 0x85, 1, 2, 3])), 'incomplete');
  assert.ok(isDecodeError(readWebSocketFrameHeader(new Uint8Array([0x83, 0x00]))));
  assert.ok(isDecodeError(readWebSocketFrameHeader(new Uint8Array([0x89, 126, 0, 200]))));
  assert.ok(isDecodeError(readWebSocketFrameHeader(new Uint8Array([0x09, 0x00]))));
  assert.ok(isDecodeError(readWebSocketFrameHeader(new Uint8Array([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1]))));
  // RFC 6455 §5.7 example: a single-frame masked text message "Hello".
  const sample = new Uint8Array([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
  const out = new Uint8Array(5);
  unmaskInto(out, 0, sample.subarray(6), 0x37fa213d, 0);
  assert.equal(Buffer.from(out).toString(), 'Hello');
});

test('HTTP upgrade request and 101 response with the "sip" subprotocol (RFC 6455 §4, RFC 7118 §4)', () => {
  const req = text('GET / HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n');
  assert.ok(looksLikeHttpHandshake(req));
  const r = parseWebSocketHandshake(req);
  assert.ok(r !== 'incomplete' && !isDecodeError(r));
  assert.equal(r.kind, 'request');
  assert.equal(r.method, 'GET');
  assert.equal(r.target, '/');
  assert.equal(r.upgrade, true);
  assert.deepEqual(r.protocols, ['sip']);
  assert.deepEqual(r.extensions, ['permessage-deflate; client_max_window_bits']);
  assert.equal(r.length, req.length);
  const head = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: sip\r\n\r\n';
  const resp = parseWebSocketHandshake(text(`${head}\x81\x00`));
  assert.ok(resp !== 'incomplete' && !isDecodeError(resp));
  assert.equal(resp.statusCode, 101);
  assert.equal(resp.length, head.length, 'the handshake ends at the empty line; frames follow');
  assert.equal(parseWebSocketHandshake(text('GET / HTTP/1.1\r\nHost: x\r\n')), 'incomplete');
  assert.ok(isDecodeError(parseWebSocketHandshake(text('SSH-2.0-OpenSSH\r\n\r\n'))));
  assert.ok(!looksLikeHttpHandshake(text('INVITE sip:a@b SIP/2.0')));
});

function messages(items: readonly WebSocketStreamItem[]): string[] {
  return items.map((i) => (i.kind === 'message' ? `${i.opcode}:${Buffer.from(i.payload).toString()}@${i.firstFrameNo}-${i.frameNo}` : i.kind === 'control' ? `control:${i.opcode}` : i.kind === 'handshake' ? `handshake:${i.handshake.kind}` : `discarded:${i.byteCount}`));
}

test('stream: handshake, masked and unmasked messages, fragmentation with an interleaved ping', () => {
  const sip = 'OPTIONS sip:a@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n';
  const s = new WebSocketStream();
  const out = [
    ...s.push(text('GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: sip\r\n\r\n'), 1, 0),
    ...s.push(frame(WS_OPCODE.text, text(sip), { mask: MASK }), 2, 0),
    ...s.push(frame(WS_OPCODE.text, text('part one, '), { fin: false, mask: MASK }), 3, 0),
    ...s.push(frame(WS_OPCODE.ping, text('hb'), { mask: MASK }), 4, 0),
    ...s.push(frame(WS_OPCODE.continuation, text('part two'), { mask: [1, 2, 3, 4] }), 5, 0),
    ...s.push(frame(WS_OPCODE.close, new Uint8Array([0x03, 0xe8])), 6, 0),
  ];
  assert.deepEqual(messages(out), ['handshake:request', `1:${sip}@2-2`, 'control:9', '1:part one, part two@3-5', 'control:8']);
});

test('stream: frames split at every byte, and a response side starting with 101', () => {
  const payload = 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'.repeat(10);
  const all = new Uint8Array([...text('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'), ...frame(WS_OPCODE.binary, text(payload)), ...frame(WS_OPCODE.text, text('x'))]);
  const s = new WebSocketStream();
  const out: WebSocketStreamItem[] = [];
  all.forEach((b, i) => out.push(...s.push(new Uint8Array([b]), i + 1, 0)));
  const msgs = out.filter((o) => o.kind === 'message');
  assert.equal(msgs.length, 2);
  assert.ok(msgs[0]?.kind === 'message');
  assert.equal(Buffer.from(msgs[0].payload).toString(), payload);
  assert.equal(msgs[0].opcode, WS_OPCODE.binary);
  assert.equal(out[0]?.kind, 'handshake');
});

test('stream: oversized messages are skipped without buffering; framing errors and gaps lose the stream', () => {
  const s = new WebSocketStream({ maxMessageBytes: 1000 });
  const big = frame(WS_OPCODE.text, new Uint8Array(5000).fill(0x41));
  const out = [...s.push(big.subarray(0, 100), 1, 0), ...s.push(big.subarray(100), 2, 0), ...s.push(frame(WS_OPCODE.text, text('after')), 3, 0)];
  assert.deepEqual(messages(out), ['discarded:5004', '1:after@3-3']);
  const bad = new WebSocketStream();
  const lost = [...bad.push(new Uint8Array([0x83, 0x00, 0x81, 0x01, 0x41]), 1, 0), ...bad.push(frame(WS_OPCODE.text, text('ignored')), 2, 0)];
  // The first 5 bytes are too few to tell HTTP from frames; with the next push the reserved opcode loses the stream.
  assert.deepEqual(messages(lost), ['discarded:14']);
  assert.deepEqual(messages(bad.push(text('more'), 3, 0)), ['discarded:4']);
  const gapped = new WebSocketStream();
  const g = [...gapped.push(frame(WS_OPCODE.text, text('hello')).subarray(0, 4), 1, 0), ...gapped.gap(2)];
  assert.deepEqual(messages(g), ['discarded:4']);
});
