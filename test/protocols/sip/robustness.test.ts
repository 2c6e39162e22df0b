// Malformed and hostile input: decoders must return values (never throw) and stay linear.
// Quadratic or worse behaviour on these inputs takes minutes; the time bounds only catch that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../../src/decode-error.js';
import { parseAccessNetworkInfo } from '../../../src/protocols/sip/access-network-info.js';
import { parseAuthHeader } from '../../../src/protocols/sip/auth.js';
import { bodyParts, sdpOf } from '../../../src/protocols/sip/body.js';
import { parseContact } from '../../../src/protocols/sip/contact.js';
import { decodeSipMessage, looksLikeSip } from '../../../src/protocols/sip/decode.js';
import { parseNameAddr } from '../../../src/protocols/sip/name-addr.js';
import { parseSecurityMechanism } from '../../../src/protocols/sip/security-agreement.js';
import { SipStreamFramer } from '../../../src/protocols/sip/stream-framer.js';
import { parseUri } from '../../../src/protocols/sip/uri.js';
import { parseVia } from '../../../src/protocols/sip/via.js';
import { parseSdp } from '../../../src/protocols/sdp/parse.js';
import type { SipMessage } from '../../../src/protocols/sip/message.js';
import { basicHeaders, bytes, sipBytes } from './message-builder.js';

/** Touches every accessor so lazily parsed values are exercised too. */
function exercise(m: SipMessage): void {
  void [m.callId, m.cseq, m.from, m.to, m.fromTag, m.toTag, m.vias, m.topVia, m.contacts, m.contentType, m.contentLength, m.expires, m.minExpires, m.userAgent, m.server, m.bodyText];
  for (const f of m.headerFields) void m.headers(f.name);
  bodyParts(m);
  sdpOf(m);
  for (const v of m.headers('Security-Client')) parseSecurityMechanism(v);
  for (const v of m.headers('P-Access-Network-Info')) parseAccessNetworkInfo(v);
  for (const v of m.headers('WWW-Authenticate')) parseAuthHeader(v);
}

function elapsed(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

test('a 1 MB header value decodes and parses in linear time', () => {
  const big = 'x'.repeat(1 << 20);
  const variants = [
    `Subject: ${big}`,
    `Contact: <sip:${big}@example.com>;+sip.instance="<urn:gsma:imei:${big}>"`,
    `Via: SIP/2.0/UDP ${big};branch=z9hG4bK${big}`,
    `WWW-Authenticate: Digest realm="${big}, nonce="${big}`,
    `Security-Client: ipsec-3gpp;alg=${big},${big};spi-c=${big}`,
    `P-Access-Network-Info: 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=${big}`,
    `Route: ${'<sip:a;lr>,'.repeat(100_000)}`,
    `P-Asserted-Identity: "${big}`,
  ];
  for (const h of variants) {
    const ms = elapsed(() => {
      const m = decodeSipMessage(sipBytes('INVITE sip:bob@example.com SIP/2.0', [...basicHeaders('INVITE'), h]));
      assert.ok(!isDecodeError(m));
      exercise(m);
    });
    assert.ok(ms < 5000, `${h.slice(0, 30)}… took ${ms.toFixed(0)} ms`);
  }
  const ms = elapsed(() => {
    parseUri(`sip:${big}`);
    parseNameAddr(`"${big} <sip:a@b>`);
    parseNameAddr(`${'<'.repeat(1 << 20)}`);
    parseVia(`SIP/2.0/UDP [${big}`);
    parseContact(`<sip:a@b>;${';'.repeat(1 << 20)}`);
    parseAuthHeader(`Digest ${'a="\\"'.repeat(200_000)}`);
  });
  assert.ok(ms < 5000, `parsers took ${ms.toFixed(0)} ms`);
});

test('100k headers decode in linear time and stay searchable', () => {
  const headers = basicHeaders('OPTIONS');
  for (let i = 0; i < 100_000; i++) headers.push(i % 2 === 0 ? `X-H${i}: v${i}` : `Via: SIP/2.0/UDP h${i};branch=z9hG4bK${i}`);
  const input = sipBytes('OPTIONS sip:bob@example.com SIP/2.0', headers);
  let m: SipMessage | undefined;
  const ms = elapsed(() => {
    const r = decodeSipMessage(input);
    assert.ok(!isDecodeError(r));
    m = r;
    assert.equal(r.headers('Via').length, 50_001);
    assert.equal(r.header('x-h99998'), 'v99998');
  });
  assert.ok(m !== undefined && m.headerFields.length === 100_000 + 7);
  assert.ok(ms < 8000, `took ${ms.toFixed(0)} ms`);
});

test('unterminated quotes, NUL bytes and lone brackets are values, not exceptions', () => {
  const hostile = [
    'From: "unterminated <sip:a@b>;tag=1',
    'To: <sip:bob@example.com',
    'Contact: "a\\',
    'Via: SIP/2.0/UDP [::1',
    'Via: SIP',
    'CSeq: INVITE',
    'CSeq: 99999999999999999999 INVITE',
    'WWW-Authenticate: Digest nonce="abc',
    'Security-Server: ipsec-3gpp;spi-c="',
    'Content-Type: multipart/mixed;boundary="',
    'P-Access-Network-Info: ;',
    'X-Nul: a\u0000b\u0000c',
  ];
  for (const h of hostile) {
    const m = decodeSipMessage(sipBytes('INVITE sip:bob@example.com SIP/2.0', [...basicHeaders('INVITE').filter((x) => !x.startsWith(h.split(':')[0] ?? '')), h], '--\r\n\u0000'));
    assert.ok(!isDecodeError(m));
    exercise(m);
  }
  const nul = new Uint8Array(sipBytes('SIP/2.0 200 OK', basicHeaders('INVITE'), 'body'));
  for (let i = 20; i < nul.length; i += 7) nul[i] = 0;
  const m = decodeSipMessage(nul);
  if (!isDecodeError(m)) exercise(m);
  assert.ok(isDecodeError(decodeSipMessage(new Uint8Array(1000))));
});

test('random bytes and mutated messages never throw (decoder, accessors, framer, SDP)', () => {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const sdp = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 96 101\r\na=rtpmap:96 AMR/8000\r\na=fmtp:96 mode-set=0,2;octet-align=1\r\na=curr:qos local sendrecv\r\n';
  const seedMsg = sipBytes('INVITE sip:bob@example.com SIP/2.0', [...basicHeaders('INVITE'), 'Content-Type: application/sdp', 'Contact: <sip:a@192.0.2.1>;+sip.instance="<urn:gsma:imei:35263060-131002-0>"'], sdp);
  const alphabet = bytes('\r\n :;,<>"\\=/@[]%0123456789abcSIP/2.0INVITE');
  for (let round = 0; round < 800; round++) {
    const b = new Uint8Array(seedMsg);
    const edits = 1 + rand(12);
    for (let k = 0; k < edits; k++) b[rand(b.length)] = round % 2 === 0 ? rand(256) : alphabet[rand(alphabet.length)]!;
    const m = decodeSipMessage(b.subarray(0, rand(b.length + 1)));
    if (!isDecodeError(m)) exercise(m);
    looksLikeSip(b);
    parseSdp(Buffer.from(b).toString('latin1'));
    const framer = new SipStreamFramer({ maxMessageBytes: 4096 });
    let at = 0;
    while (at < b.length) {
      const n = 1 + rand(200);
      framer.push(b.subarray(at, at + n), round, 0);
      at += n;
    }
    framer.end(round);
  }
  for (let round = 0; round < 300; round++) {
    const b = new Uint8Array(rand(3000));
    for (let i = 0; i < b.length; i++) b[i] = rand(256);
    const m = decodeSipMessage(b);
    if (!isDecodeError(m)) exercise(m);
  }
});

test('SDP with a 1 MB attribute line or 100k lines parses in linear time', () => {
  const head = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 96\r\n';
  const big = 'x'.repeat(1 << 20);
  const spaced = 'a '.repeat(1 << 19);
  const lines = [
    `a=fmtp:96 ${big}`, `a=floorid:${spaced}`, `a=imageattr:96 send [${']'.repeat(1 << 19)}`, `a=rtpmap:96 ${big}`, `a=curr:qos ${big}`,
    `a=ptime:${'1.'.repeat(1 << 19)}`, `a=candidate:${spaced}`, `a=simulcast: ${spaced}!`, `a=simulcast:send ${'1;'.repeat(1 << 19)} x`,
    `a=rid:1 send ${spaced}`, `a=ssrc:1 ${big}`, `a=extmap:1/${big}`, `a=crypto:1 ${spaced}`, `a=mediaclk:${' '.repeat(1 << 20)}x`,
    `a=source-filter: ${' '.repeat(1 << 20)}`, `c=IN IP4 ${big}`, `m=audio ${big}`, `b=AS:${'9'.repeat(1 << 20)}`, `o=- ${spaced}`,
  ];
  for (const l of lines) {
    const ms = elapsed(() => parseSdp(`${head}${l}\r\n`));
    assert.ok(ms < 5000, `${l.slice(0, 20)} took ${ms.toFixed(0)} ms`);
  }
  const many = head + 'a=rtpmap:96 AMR/8000\r\n'.repeat(100_000);
  const ms = elapsed(() => {
    const s = parseSdp(many);
    assert.ok(!isDecodeError(s));
  });
  assert.ok(ms < 8000, `100k lines took ${ms.toFixed(0)} ms`);
});
