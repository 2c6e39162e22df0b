import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../../src/decode-error.js';
import { decodeSipMessage, looksLikeSip } from '../../../src/protocols/sip/decode.js';
import type { SipMessage } from '../../../src/protocols/sip/message.js';
import { basicHeaders, bytes, sipBytes } from './message-builder.js';

function decoded(b: Uint8Array): SipMessage {
  const m = decodeSipMessage(b);
  assert.ok(!isDecodeError(m), `decode failed: ${isDecodeError(m) ? m.reason : ''}`);
  return m;
}

test('request line, headers in order with original names, body by Content-Length', () => {
  const body = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
  const m = decoded(sipBytes('INVITE sip:bob@example.com;user=phone SIP/2.0', [...basicHeaders('INVITE'), 'Content-Type: application/sdp'], body));
  assert.equal(m.isRequest, true);
  assert.equal(m.method, 'INVITE');
  assert.equal(m.requestUri, 'sip:bob@example.com;user=phone');
  assert.equal(m.statusCode, undefined);
  assert.deepEqual(m.headerFields.map((h) => h.rawName), ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Type', 'Content-Length']);
  assert.equal(m.callId, 'call-1@192.0.2.1');
  assert.equal(m.header('call-id'), 'call-1@192.0.2.1');
  assert.equal(m.header('CALL-ID'), 'call-1@192.0.2.1');
  assert.equal(Buffer.from(m.body).toString('utf8'), body);
  assert.equal(m.bodyText, body);
  assert.equal(m.contentLength, Buffer.byteLength(body));
  assert.deepEqual(m.warnings, []);
  const cseq = m.cseq;
  assert.ok(cseq !== undefined && !isDecodeError(cseq));
  assert.deepEqual(cseq, { seq: 1, method: 'INVITE' });
  assert.equal(m.fromTag, 'a1');
  assert.equal(m.toTag, undefined);
});

test('status line with reason phrase, and an empty reason phrase', () => {
  const m = decoded(sipBytes('SIP/2.0 183 Session Progress', basicHeaders('INVITE')));
  assert.equal(m.isRequest, false);
  assert.equal(m.statusCode, 183);
  assert.equal(m.reasonPhrase, 'Session Progress');
  assert.equal(m.method, undefined);
  const bare = decoded(sipBytes('SIP/2.0 200', basicHeaders('INVITE')));
  assert.equal(bare.statusCode, 200);
  assert.equal(bare.reasonPhrase, '');
});

test('compact header forms are normalised to their full names (RFC 3261 §7.3.3)', () => {
  const m = decoded(
    sipBytes('INVITE sip:bob@example.com SIP/2.0', [
      'v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-c',
      'f: <sip:alice@example.com>;tag=x',
      't: <sip:bob@example.com>',
      'i: compact-1',
      'CSeq: 7 INVITE',
      'm: <sip:alice@192.0.2.1>',
      'k: 100rel, timer',
      'c: application/sdp',
      'o: presence',
      'u: dialog',
      'x: 1800',
      's: hello',
      'e: gzip',
      'r: <sip:carol@example.com>',
      'b: <sip:dave@example.com>',
      'a: *;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel"',
      'j: *;audio',
      'd: proxy',
      'y: signature',
      'n: <https://example.com/cert>',
    ], '', 0).subarray(0),
  );
  const expected: Record<string, string> = {
    v: 'Via', f: 'From', t: 'To', i: 'Call-ID', m: 'Contact', k: 'Supported', c: 'Content-Type', o: 'Event', u: 'Allow-Events',
    x: 'Session-Expires', s: 'Subject', e: 'Content-Encoding', r: 'Refer-To', b: 'Referred-By', a: 'Accept-Contact', j: 'Reject-Contact',
    d: 'Request-Disposition', y: 'Identity', n: 'Identity-Info', l: 'Content-Length',
  };
  for (const f of m.headerFields) {
    if (f.rawName.length === 1) assert.equal(f.name, expected[f.rawName], `compact ${f.rawName}`);
  }
  assert.equal(m.callId, 'compact-1');
  assert.equal(m.header('Call-ID'), m.header('i'));
  assert.deepEqual(m.headers('Supported'), ['100rel', 'timer']);
  assert.deepEqual(m.optionTags('Supported'), ['100rel', 'timer']);
  assert.equal(m.header('Event'), 'presence');
  const ct = m.contentType;
  assert.ok(ct !== undefined && !isDecodeError(ct));
  assert.equal(ct.mediaType, 'application/sdp');
});

test('folded continuation lines are joined with one space (RFC 3261 §7.3.1)', () => {
  const m = decoded(sipBytes('OPTIONS sip:bob@example.com SIP/2.0', [...basicHeaders('OPTIONS'), 'Subject: I know you\'re there,', '   pick up the phone', '\tand talk to me!']));
  assert.equal(m.header('Subject'), "I know you're there, pick up the phone and talk to me!");
});

test('list headers split on commas outside quotes and <>, across several field lines', () => {
  const m = decoded(
    sipBytes('INVITE sip:bob@example.com SIP/2.0', [
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1, SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK-2',
      'Via: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK-3;received=203.0.113.9',
      'From: "Doe, John" <sip:john@example.com>;tag=j',
      'To: <sip:bob@example.com>',
      'Call-ID: lists',
      'CSeq: 1 INVITE',
      'Contact: "Smith, A" <sip:a@192.0.2.1;x="1,2">;q=0.7, <sip:b@192.0.2.2>;expires=60',
      'Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>',
      'P-Asserted-Identity: "Doe, John" <sip:john@example.com>, <tel:+15551234567>',
      'Date: Sat, 13 Nov 2010 23:29:00 GMT',
      'WWW-Authenticate: Digest realm="a,b", nonce="n", qop="auth,auth-int"',
    ]),
  );
  assert.deepEqual(m.headers('Via'), [
    'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1',
    'SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK-2',
    'SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK-3;received=203.0.113.9',
  ]);
  assert.equal(m.header('Via'), 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1');
  assert.deepEqual(m.headers('Contact'), ['"Smith, A" <sip:a@192.0.2.1;x="1,2">;q=0.7', '<sip:b@192.0.2.2>;expires=60']);
  assert.deepEqual(m.headers('Route'), ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.deepEqual(m.headers('P-Asserted-Identity'), ['"Doe, John" <sip:john@example.com>', '<tel:+15551234567>']);
  // Not list headers: their commas stay.
  assert.deepEqual(m.headers('Date'), ['Sat, 13 Nov 2010 23:29:00 GMT']);
  assert.equal(m.headers('WWW-Authenticate').length, 1);
  assert.equal(m.fields('Via').length, 2);
  const vias = m.vias;
  assert.equal(vias.length, 3);
  const v1 = vias[1];
  assert.ok(v1 !== undefined && !isDecodeError(v1));
  assert.equal(v1.host, '2001:db8::1');
  assert.equal(v1.port, 5061);
  assert.equal(v1.transport, 'TCP');
  const from = m.from;
  assert.ok(from !== undefined && !isDecodeError(from));
  assert.equal(from.displayName, 'Doe, John');
});

test('junk and CRLF keep-alives before the start line are skipped and reported', () => {
  const msg = sipBytes('REGISTER sip:example.com SIP/2.0', basicHeaders('REGISTER'));
  const junk = new Uint8Array([0, 0, 0x17, 0xff, 0x0a, ...Buffer.from('garbage line\r\n'), ...msg]);
  const m = decoded(junk);
  assert.equal(m.method, 'REGISTER');
  assert.equal(m.offset, junk.length - msg.length);
  assert.deepEqual(m.warnings.map((w) => w.code), ['leading-junk']);
  const keepAlive = decoded(new Uint8Array([0x0d, 0x0a, 0x0d, 0x0a, ...msg]));
  assert.equal(keepAlive.method, 'REGISTER');
  assert.deepEqual(keepAlive.warnings, []);
  const onlyKeepAlive = decodeSipMessage(bytes('\r\n\r\n'));
  assert.ok(isDecodeError(onlyKeepAlive));
  assert.ok(isDecodeError(decodeSipMessage(bytes('HTTP/1.1 200 OK\r\n\r\n'))));
});

test('wrong Content-Length is a warning, not a failure (RFC 3261 §18.3)', () => {
  const body = 'hello world';
  const short = decoded(sipBytes('MESSAGE sip:bob@example.com SIP/2.0', basicHeaders('MESSAGE'), body, 500));
  assert.equal(Buffer.from(short.body).toString(), body);
  assert.deepEqual(short.warnings.map((w) => w.code), ['content-length-short']);
  const long = decoded(sipBytes('MESSAGE sip:bob@example.com SIP/2.0', basicHeaders('MESSAGE'), body, 5));
  assert.equal(Buffer.from(long.body).toString(), 'hello');
  assert.deepEqual(long.warnings.map((w) => w.code), ['content-length-trailing']);
  const missing = decoded(sipBytes('MESSAGE sip:bob@example.com SIP/2.0', basicHeaders('MESSAGE'), body, null));
  assert.equal(Buffer.from(missing.body).toString(), body);
  assert.deepEqual(missing.warnings, []);
  const invalid = decoded(sipBytes('MESSAGE sip:bob@example.com SIP/2.0', [...basicHeaders('MESSAGE'), 'Content-Length: twelve'], body, null));
  assert.equal(Buffer.from(invalid.body).toString(), body);
  assert.deepEqual(invalid.warnings.map((w) => w.code), ['content-length-invalid']);
});

test('bare LF line ends and a missing empty line are tolerated', () => {
  const lf = decoded(bytes('SIP/2.0 200 OK\nVia: SIP/2.0/UDP h;branch=z9hG4bK-x\nCall-ID: lf\nCSeq: 2 BYE\nContent-Length: 2\n\nok'));
  assert.equal(lf.callId, 'lf');
  assert.equal(Buffer.from(lf.body).toString(), 'ok');
  const truncated = decoded(bytes('SIP/2.0 200 OK\r\nCall-ID: t\r\nCSeq: 2 BYE'));
  assert.equal(truncated.callId, 't');
  assert.deepEqual(truncated.warnings.map((w) => w.code), ['no-header-end']);
  assert.equal(truncated.body.length, 0);
});

test('header lines without a colon are reported and skipped', () => {
  const m = decoded(sipBytes('OPTIONS sip:x@example.com SIP/2.0', [...basicHeaders('OPTIONS'), 'this is not a header', ': no name']));
  assert.deepEqual(m.warnings.map((w) => w.code), ['header-without-colon', 'empty-header-name']);
  assert.equal(m.callId, 'call-1@192.0.2.1');
});

test('looksLikeSip accepts request and status lines, rejects other protocols and binary', () => {
  assert.ok(looksLikeSip(bytes('INVITE sip:bob@example.com SIP/2.0\r\n')));
  assert.ok(looksLikeSip(bytes('MESSAGE tel:+15551234567 SIP/2.0\r\nVia: x')));
  assert.ok(looksLikeSip(bytes('SIP/2.0 200 OK\r\n')));
  assert.ok(looksLikeSip(bytes('\r\nSIP/2.0 486 Busy Here\r\n')));
  assert.ok(looksLikeSip(bytes('sip/2.0 100 Trying\r\n')));
  assert.ok(!looksLikeSip(bytes('GET / HTTP/1.1\r\n')));
  assert.ok(!looksLikeSip(bytes('HTTP/1.1 101 Switching Protocols\r\n')));
  assert.ok(!looksLikeSip(bytes('SIP/2.0 999 Nope\r\n')));
  assert.ok(!looksLikeSip(bytes('INVITE nocolon SIP/2.0\r\n')));
  assert.ok(!looksLikeSip(bytes('INVITE sip:a@b SIP/2.0 extra\r\n')));
  assert.ok(!looksLikeSip(new Uint8Array([0x80, 0x60, 0x12, 0x34, 0, 0, 0, 160, 1, 2, 3, 4])));
  assert.ok(!looksLikeSip(new Uint8Array(0)));
  assert.ok(!looksLikeSip(bytes('\r\n\r\n')));
});

test('typed accessors parse the IMS headers of a message', () => {
  const m = decoded(
    sipBytes('PRACK sip:bob@example.com SIP/2.0', [
      ...basicHeaders('PRACK', 2),
      'RAck: 1 1 INVITE',
      'Route: <sip:pcscf.example.com:7777;lr>, <sip:scscf.example.com;lr>',
      'P-Associated-URI: <sip:+4526797053@ims.example.com>, <tel:+4526797053>',
      'Proxy-Authorization: Digest username="u", realm="r", nonce="n", uri="sip:x", response="00"',
      'Security-Verify: ipsec-3gpp;alg=hmac-sha-1-96;spi-c=1;spi-s=2;port-c=3;port-s=4, ipsec-3gpp;alg=hmac-md5-96;spi-c=5;spi-s=6;port-c=7;port-s=8',
      'P-Access-Network-Info: 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=238205deb2752a1e, 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=2382000010000101;network-provided',
      'Event: reg',
      'Subscription-State: active;expires=30',
      'Expires: 600000',
      'Min-Expires: 3600',
      'User-Agent: UA/1.0',
      'Require: 100rel, Precondition',
    ]),
  );
  assert.deepEqual(m.rack, { rseq: 1, cseq: 1, method: 'INVITE' });
  assert.equal(m.rseq, undefined);
  assert.deepEqual(m.nameAddrs('Route').map((a) => (isDecodeError(a) ? a.reason : a.uriText)), ['sip:pcscf.example.com:7777;lr', 'sip:scscf.example.com;lr']);
  assert.deepEqual(m.nameAddrs('P-Associated-URI').map((a) => (isDecodeError(a) ? a.reason : a.uriText)), ['sip:+4526797053@ims.example.com', 'tel:+4526797053']);
  const auth = m.authHeaders('Proxy-Authorization')[0];
  assert.ok(auth !== undefined && !isDecodeError(auth));
  assert.equal(auth.username, 'u');
  assert.deepEqual(m.securityMechanisms('Security-Verify').map((s) => (isDecodeError(s) ? s.reason : [s.alg, s.spiC, s.spiS, s.portC, s.portS])), [['hmac-sha-1-96', 1, 2, 3, 4], ['hmac-md5-96', 5, 6, 7, 8]]);
  assert.deepEqual(m.accessNetworkInfo.map((p) => (isDecodeError(p) ? p.reason : p.networkProvided)), [false, true]);
  const ev = m.event;
  assert.ok(ev !== undefined && !isDecodeError(ev));
  assert.equal(ev.package, 'reg');
  const ss = m.subscriptionState;
  assert.ok(ss !== undefined && !isDecodeError(ss));
  assert.equal(ss.expires, 30);
  assert.equal(m.expires, 600000);
  assert.equal(m.minExpires, 3600);
  assert.equal(m.userAgent, 'UA/1.0');
  assert.deepEqual(m.optionTags('Require'), ['100rel', 'precondition']);
  assert.equal(m.has('require'), true);
  assert.equal(m.has('Unsupported'), false);
  const c = m.contacts;
  assert.deepEqual(c, []);
});
