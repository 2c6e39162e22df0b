import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../../src/decode-error.js';
import { bodyParts, sdpOf, sdpTextOf } from '../../../src/protocols/sip/body.js';
import { decodeSipMessage } from '../../../src/protocols/sip/decode.js';
import type { SipMessage } from '../../../src/protocols/sip/message.js';
import { corpusFile, needTools } from '../../support/environment.js';
import { basicHeaders, sipBytes } from './message-builder.js';
import { fieldStrings, rawBytes, tsharkPackets } from './tshark-oracle.js';

const SDP = 'v=0\r\no=- 7 7 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n';

function message(contentType: string | undefined, body: string): SipMessage {
  const headers = basicHeaders('INVITE', 1, contentType === undefined ? [] : [`Content-Type: ${contentType}`]);
  const m = decodeSipMessage(sipBytes('INVITE sip:bob@example.com SIP/2.0', headers, body));
  assert.ok(!isDecodeError(m));
  return m;
}

test('a single body is one part with the message content type', () => {
  const m = message('application/sdp', SDP);
  const parts = bodyParts(m);
  assert.equal(parts.length, 1);
  assert.equal(parts[0]?.mediaType, 'application/sdp');
  assert.equal(Buffer.from(parts[0]!.bytes).toString(), SDP);
  assert.equal(sdpTextOf(m), SDP);
  const sdp = sdpOf(m);
  assert.ok(sdp !== undefined && !isDecodeError(sdp));
  assert.equal(sdp.media[0]?.port, 49170);
  assert.deepEqual(bodyParts(message(undefined, '')), []);
  assert.equal(sdpOf(message('text/plain', 'hello')), undefined);
});

test('multipart/mixed with preamble, nested multipart/alternative and epilogue (RFC 2046 §5.1)', () => {
  const isup = '\u0001\u0000\u0049\r\n--not-a-delimiter';
  const body = [
    'preamble to ignore',
    '--outer',
    'Content-Type: multipart/alternative; boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'plain text',
    '--inner',
    'Content-Type: application/sdp',
    'Content-Disposition: session;handling=required',
    '',
    SDP.slice(0, -2),
    '--inner--',
    '--outer',
    'Content-Type: application/ISUP; version=itu-t92+',
    '',
    isup,
    '--outer',
    '',
    'no headers at all',
    '--outer--',
    'epilogue',
  ].join('\r\n');
  const m = message('multipart/mixed;boundary=outer', body);
  const parts = bodyParts(m);
  assert.deepEqual(parts.map((p) => p.mediaType), ['text/plain', 'application/sdp', 'application/isup', '']);
  assert.deepEqual(parts.map((p) => Buffer.from(p.bytes).toString('latin1')), ['plain text', SDP.slice(0, -2), isup, 'no headers at all']);
  assert.deepEqual(parts[1]?.headers.map((h) => h.name), ['Content-Type', 'Content-Disposition']);
  assert.equal(parts[2]?.contentType?.params['version'], 'itu-t92+');
  const sdp = sdpOf(m);
  assert.ok(sdp !== undefined && !isDecodeError(sdp));
  assert.equal(sdp.origin?.sessionId, '7');
});

test('multipart with bare LF line ends and no closing delimiter keeps the last part', () => {
  const body = '--b\nContent-Type: application/sdp\n\n' + SDP + '--b\nContent-Type: text/plain\n\ntail without close';
  const parts = bodyParts(message('multipart/related; boundary=b', body));
  assert.deepEqual(parts.map((p) => p.mediaType), ['application/sdp', 'text/plain']);
  // The line end before a delimiter belongs to the delimiter.
  assert.equal(Buffer.from(parts[0]!.bytes).toString(), SDP.slice(0, -2));
  assert.equal(Buffer.from(parts[1]!.bytes).toString(), 'tail without close');
  const noBoundary = bodyParts(message('multipart/mixed', 'x'));
  assert.deepEqual(noBoundary.map((p) => p.mediaType), ['multipart/mixed']);
});

test('corpus: multipart SDP + ISUP over SCTP split as tshark splits it', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const file = corpusFile(t, 'heplify__sip_sctp.pcap');
  if (file === undefined) return;
  const packets = await tsharkPackets(file, 'mime_multipart');
  assert.ok(packets.length > 0);
  for (const p of packets) {
    const m = decodeSipMessage(rawBytes(p.layers, 'sip')[0]!);
    assert.ok(!isDecodeError(m));
    const ours = bodyParts(m);
    const theirs = rawBytes(p.layers, 'mime_multipart.part');
    const types = fieldStrings(p.layers, 'mime_multipart.header.content-type');
    assert.equal(ours.length, theirs.length);
    for (let i = 0; i < ours.length; i++) {
      const whole = Buffer.from(theirs[i]!);
      const content = whole.subarray(whole.indexOf('\r\n\r\n') + 4);
      assert.deepEqual(Buffer.from(ours[i]!.bytes), content, `part ${i} of frame ${p.frameNo}`);
      assert.equal(ours[i]!.mediaType, types[i]!.split(';')[0]!.trim().toLowerCase());
    }
  }
});
