// Typed header parsers, checked against the values each test writes into the header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError, type DecodeError } from '../../../src/decode-error.js';
import { decodeCellIdentity, parseAccessNetworkInfo } from '../../../src/protocols/sip/access-network-info.js';
import { parseAuthHeader } from '../../../src/protocols/sip/auth.js';
import { parseContact, percentDecode } from '../../../src/protocols/sip/contact.js';
import { parseContentType } from '../../../src/protocols/sip/content-type.js';
import { parseCSeq } from '../../../src/protocols/sip/cseq.js';
import { parseEventHeader, parseSubscriptionState } from '../../../src/protocols/sip/event.js';
import { parseNameAddr } from '../../../src/protocols/sip/name-addr.js';
import { parseRAck, parseRSeq } from '../../../src/protocols/sip/reliable-provisional.js';
import { parseSecurityMechanism } from '../../../src/protocols/sip/security-agreement.js';
import { parseUri } from '../../../src/protocols/sip/uri.js';
import { parseVia } from '../../../src/protocols/sip/via.js';

function ok<T>(v: T | DecodeError): T {
  assert.ok(!isDecodeError(v), `unexpected error: ${isDecodeError(v) ? v.reason : ''}`);
  return v as T;
}

test('SIP, SIPS and TEL URIs (RFC 3261 §19.1.1, RFC 3966)', () => {
  const u = ok(parseUri('sip:+4526797004;npdi@ims.mnc020.mcc238.3gppnetwork.org:5060;user=phone;transport=TCP?Subject=hi&Priority=urgent'));
  assert.equal(u.scheme, 'sip');
  assert.equal(u.user, '+4526797004;npdi');
  assert.equal(u.host, 'ims.mnc020.mcc238.3gppnetwork.org');
  assert.equal(u.hostKind, 'domain');
  assert.equal(u.port, 5060);
  assert.equal(u.params['user'], 'phone');
  assert.equal(u.params['transport'], 'TCP');
  assert.equal(u.headers['subject'], 'hi');
  assert.equal(u.headers['priority'], 'urgent');
  const v6 = ok(parseUri('sips:alice:secret@[2001:db8::10]:5061;lr'));
  assert.equal(v6.scheme, 'sips');
  assert.equal(v6.password, 'secret');
  assert.equal(v6.host, '2001:db8::10');
  assert.equal(v6.hostKind, 'ipv6');
  assert.equal(v6.port, 5061);
  assert.equal(v6.params['lr'], '');
  const v4 = ok(parseUri('SIP:192.0.2.4'));
  assert.equal(v4.scheme, 'sip');
  assert.equal(v4.hostKind, 'ipv4');
  assert.equal(v4.port, undefined);
  const tel = ok(parseUri('tel:+1-201-555-0123;phone-context=example.com'));
  assert.equal(tel.scheme, 'tel');
  assert.equal(tel.user, '+1-201-555-0123');
  assert.equal(tel.params['phone-context'], 'example.com');
  const urn = ok(parseUri('urn:service:sos'));
  assert.equal(urn.opaque, 'service:sos');
  assert.ok(isDecodeError(parseUri('sip:host:99999')));
  assert.ok(isDecodeError(parseUri('sip:@')));
  assert.ok(isDecodeError(parseUri('no-scheme')));
  assert.ok(isDecodeError(parseUri('sip:[::1')));
});

test('name-addr and addr-spec with header parameters (RFC 3261 §20.10)', () => {
  const a = ok(parseNameAddr('"Alice \\"A\\" Liddell" <sip:alice@example.com;transport=udp>;tag=88sja8x;x=1'));
  assert.equal(a.displayName, 'Alice "A" Liddell');
  assert.equal(a.uriText, 'sip:alice@example.com;transport=udp');
  assert.equal(ok(a.uri).params['transport'], 'udp');
  assert.equal(a.tag, '88sja8x');
  assert.equal(a.params['x'], '1');
  const b = ok(parseNameAddr('Bob Smith <sip:bob@example.com>'));
  assert.equal(b.displayName, 'Bob Smith');
  // Without <>, the parameters after the URI belong to the header.
  const c = ok(parseNameAddr('sip:carol@example.com;tag=c1'));
  assert.equal(c.displayName, undefined);
  assert.equal(c.uriText, 'sip:carol@example.com');
  assert.equal(c.tag, 'c1');
  assert.equal(Object.keys(ok(c.uri).params).length, 0);
  const t = ok(parseNameAddr('<tel:+15551234567>'));
  assert.equal(ok(t.uri).user, '+15551234567');
  assert.ok(isDecodeError(parseNameAddr('"unterminated <sip:a@b>')));
  assert.ok(isDecodeError(parseNameAddr('<sip:a@b')));
  assert.ok(isDecodeError(parseNameAddr('')));
});

test('Via with branch, received, rport forms, IPv6 sent-by and spaced protocol (RFC 3261 §20.42, RFC 3581)', () => {
  const v = ok(parseVia('SIP / 2.0 / udp [2001:db8::1]:6500;branch=z9hG4bK-524287-1;rport=40000;received=203.0.113.5;maddr=224.0.1.75;ttl=16'));
  assert.equal(v.protocolName, 'SIP');
  assert.equal(v.protocolVersion, '2.0');
  assert.equal(v.transport, 'UDP');
  assert.equal(v.host, '2001:db8::1');
  assert.equal(v.port, 6500);
  assert.equal(v.branch, 'z9hG4bK-524287-1');
  assert.equal(v.rport, 40000);
  assert.equal(v.received, '203.0.113.5');
  assert.equal(v.maddr, '224.0.1.75');
  assert.equal(v.ttl, 16);
  const flag = ok(parseVia('SIP/2.0/TCP client.example.com;branch=z9hG4bK74;rport'));
  assert.equal(flag.rport, true);
  assert.equal(flag.port, undefined);
  assert.equal(flag.host, 'client.example.com');
  assert.ok(isDecodeError(parseVia('SIP/2.0')));
  assert.ok(isDecodeError(parseVia('SIP/2.0/UDP host:port')));
});

test('CSeq, RSeq and RAck (RFC 3261 §20.16, RFC 3262 §7)', () => {
  assert.deepEqual(ok(parseCSeq('4711 INVITE')), { seq: 4711, method: 'INVITE' });
  assert.deepEqual(ok(parseCSeq(' 1\tACK ')), { seq: 1, method: 'ACK' });
  assert.ok(isDecodeError(parseCSeq('INVITE')));
  assert.ok(isDecodeError(parseCSeq('12')));
  assert.ok(isDecodeError(parseCSeq('4294967296 INVITE')));
  assert.equal(parseRSeq('988789'), 988789);
  assert.ok(isDecodeError(parseRSeq('0')));
  assert.deepEqual(ok(parseRAck('776656 1 INVITE')), { rseq: 776656, cseq: 1, method: 'INVITE' });
  assert.ok(isDecodeError(parseRAck('1 INVITE')));
});

test('Contact: expires, q, +sip.instance (IMEI and UUID), reg-id, ICSI and feature tags, "*"', () => {
  const c = parseContact('<sip:+4526797053@[2001:2092:20d:8209::3e55:8e1]:6500>;expires=600000;q=0.5;+sip.instance="<urn:gsma:imei:35263060-131002-0>";reg-id=1;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel,urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel.gsma.ipcall";+g.3gpp.smsip;audio;video');
  assert.ok(!isDecodeError(c) && c.kind === 'address');
  assert.equal(c.expires, 600000);
  assert.equal(c.q, 0.5);
  assert.equal(c.regId, 1);
  assert.deepEqual(c.instance, { urn: 'urn:gsma:imei:35263060-131002-0', imei: { tac: '35263060', snr: '131002', spare: '0', digits: '352630601310020' } });
  assert.deepEqual(c.icsiRefs, ['urn:urn-7:3gpp-service.ims.icsi.mmtel', 'urn:urn-7:3gpp-service.ims.icsi.mmtel.gsma.ipcall']);
  assert.deepEqual(Object.keys(c.featureTags).sort(), ['+g.3gpp.icsi-ref', '+g.3gpp.smsip', '+sip.instance', 'audio', 'video']);
  assert.equal(ok(c.uri).port, 6500);
  const uuid = parseContact('<sip:u@192.0.2.1>;+sip.instance="<urn:uuid:F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6>"');
  assert.ok(!isDecodeError(uuid) && uuid.kind === 'address');
  assert.equal(uuid.instance?.uuid, 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6');
  assert.equal(uuid.instance?.imei, undefined);
  const star = parseContact(' * ');
  assert.ok(!isDecodeError(star) && star.kind === 'star');
  const badQ = parseContact('<sip:a@b>;q=1.5;expires=soon');
  assert.ok(!isDecodeError(badQ) && badQ.kind === 'address');
  assert.equal(badQ.q, undefined);
  assert.equal(badQ.expires, undefined);
  assert.equal(percentDecode('a%3Ab%zz%E2%82%AC'), 'a:b%zz€');
});

test('Digest challenge and credentials, AKA and IMS parameters (RFC 3261 §25.1, RFC 3310, TS 24.229 §7.2A)', () => {
  const ch = ok(parseAuthHeader('Digest realm="ims.mnc001.mcc001.3gppnetwork.org", nonce="q5pQp0n3+2vKGwj9bLIaGT7NsqaIJQAA", algorithm=AKAv1-MD5, qop="auth,auth-int", opaque="op1", stale=TRUE, ik="0123456789abcdef0123456789abcdef", ck="fedcba9876543210fedcba9876543210"'));
  assert.equal(ch.scheme, 'Digest');
  assert.equal(ch.realm, 'ims.mnc001.mcc001.3gppnetwork.org');
  assert.equal(ch.nonce, 'q5pQp0n3+2vKGwj9bLIaGT7NsqaIJQAA');
  assert.equal(ch.algorithm, 'AKAv1-MD5');
  assert.deepEqual(ch.qop, ['auth', 'auth-int']);
  assert.equal(ch.opaque, 'op1');
  assert.equal(ch.stale, true);
  assert.equal(ch.ik, '0123456789abcdef0123456789abcdef');
  assert.equal(ch.ck, 'fedcba9876543210fedcba9876543210');
  assert.deepEqual([...ch.quoted].sort(), ['ck', 'ik', 'nonce', 'opaque', 'qop', 'realm']);
  const cr = ok(parseAuthHeader('Digest username="001010123456789@ims.mnc001.mcc001.3gppnetwork.org",realm="ims.mnc001.mcc001.3gppnetwork.org",uri="sip:ims.mnc001.mcc001.3gppnetwork.org",nonce="abc",response="6629fae49393a05397450978507c4ef1",algorithm=AKAv2-MD5,qop=auth,nc=00000001,cnonce="0a4f113b",auts="CjkyMzRfOiwg5CfhIAvFAk",integrity-protected="yes"'));
  assert.equal(cr.username, '001010123456789@ims.mnc001.mcc001.3gppnetwork.org');
  assert.equal(cr.uri, 'sip:ims.mnc001.mcc001.3gppnetwork.org');
  assert.equal(cr.response, '6629fae49393a05397450978507c4ef1');
  assert.equal(cr.algorithm, 'AKAv2-MD5');
  assert.deepEqual(cr.qop, ['auth']);
  assert.equal(cr.nc, '00000001');
  assert.equal(cr.cnonce, '0a4f113b');
  assert.equal(cr.auts, 'CjkyMzRfOiwg5CfhIAvFAk');
  assert.equal(cr.integrityProtected, 'yes');
  assert.equal(cr.params['username'], cr.username);
  assert.ok(isDecodeError(parseAuthHeader('')));
  const unterminated = ok(parseAuthHeader('Digest nonce="abc, realm=x'));
  assert.equal(unterminated.realm, undefined);
});

test('Security-Client / -Server / -Verify ipsec-3gpp mechanisms (RFC 3329 §2.2, TS 33.203 Annex H)', () => {
  const s = ok(parseSecurityMechanism('ipsec-3gpp; q=0.1; alg=hmac-sha-1-96; ealg=aes-cbc; spi-c=4294967295; spi-s=11969887; port-c=7807; port-s=7777; prot=esp; mod=trans'));
  assert.equal(s.mechanism, 'ipsec-3gpp');
  assert.equal(s.q, 0.1);
  assert.equal(s.alg, 'hmac-sha-1-96');
  assert.equal(s.ealg, 'aes-cbc');
  assert.equal(s.spiC, 4294967295);
  assert.equal(s.spiS, 11969887);
  assert.equal(s.portC, 7807);
  assert.equal(s.portS, 7777);
  assert.equal(s.prot, 'esp');
  assert.equal(s.mod, 'trans');
  const d = ok(parseSecurityMechanism('Digest;d-alg=MD5;d-qop=auth-int;q=0.2'));
  assert.equal(d.mechanism, 'digest');
  assert.equal(d.params['d-alg'], 'MD5');
  const bad = ok(parseSecurityMechanism('ipsec-3gpp;spi-c=4294967296;port-s=70000'));
  assert.equal(bad.spiC, undefined);
  assert.equal(bad.portS, undefined);
});

test('P-Access-Network-Info cell identities by access type (TS 24.229 §7.2A.4)', () => {
  const lte = ok(parseAccessNetworkInfo('3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=238205deb2752a1e'));
  assert.equal(lte.accessType, '3GPP-E-UTRAN-FDD');
  assert.equal(lte.networkProvided, false);
  assert.equal(lte.cellIdText, '238205deb2752a1e');
  const cell = ok(lte.cell);
  assert.ok(cell !== undefined && cell.kind === 'e-utran');
  assert.equal(cell.mcc, '238');
  assert.equal(cell.mnc, '20');
  assert.equal(cell.tac, 0x5deb);
  assert.equal(cell.eci, 0x2752a1e);
  assert.equal(cell.enbId, 0x2752a1e >> 8);
  assert.equal(cell.cellId, 0x1e);
  const mnc3 = ok(decodeCellIdentity('3GPP-E-UTRAN-TDD', '3114800000011C000'));
  assert.ok(mnc3.kind === 'e-utran');
  assert.equal(mnc3.mnc, '480');
  assert.equal(mnc3.tac, 0);
  assert.equal(mnc3.eci, 0x011c000);
  const nr = ok(parseAccessNetworkInfo('3GPP-NR-FDD; utran-cell-id-3gpp="00101000001000000001"; network-provided'));
  assert.equal(nr.networkProvided, true);
  const nrCell = ok(nr.cell);
  assert.ok(nrCell !== undefined && nrCell.kind === 'nr');
  assert.equal(nrCell.mnc, '01');
  assert.equal(nrCell.tac, 0x000001);
  assert.equal(nrCell.nci, 0x000000001);
  const geran = ok(decodeCellIdentity('3GPP-GERAN', '23415D0FCE11'.padEnd(13, '0')));
  assert.ok(geran.kind === 'geran');
  const wifi = ok(parseAccessNetworkInfo('IEEE-802.11;i-wlan-node-id=ffffffffffff;country=DK'));
  assert.equal(wifi.cell, undefined);
  assert.equal(wifi.params['i-wlan-node-id'], 'ffffffffffff');
  assert.ok(isDecodeError(decodeCellIdentity('3GPP-E-UTRAN-FDD', '2382')));
  assert.ok(isDecodeError(decodeCellIdentity('3GPP-E-UTRAN-FDD', '23820zzzzzzzzzzz')));
  assert.ok(isDecodeError(decodeCellIdentity('IEEE-802.11', '238205deb2752a1e')));
});

test('Content-Type, Event and Subscription-State (RFC 3261 §20.15, RFC 6665 §8.2)', () => {
  const ct = ok(parseContentType('Multipart/Mixed; boundary="unique-boundary-1"; charset=UTF-8'));
  assert.equal(ct.mediaType, 'multipart/mixed');
  assert.equal(ct.type, 'multipart');
  assert.equal(ct.subtype, 'mixed');
  assert.equal(ct.params['boundary'], 'unique-boundary-1');
  assert.equal(ct.params['charset'], 'UTF-8');
  assert.ok(isDecodeError(parseContentType('sdp')));
  const ev = ok(parseEventHeader('Reg;id=7;x=y'));
  assert.equal(ev.package, 'reg');
  assert.equal(ev.id, '7');
  const ss = ok(parseSubscriptionState('terminated;reason=timeout;retry-after=30'));
  assert.equal(ss.state, 'terminated');
  assert.equal(ss.reason, 'timeout');
  assert.equal(ss.retryAfter, 30);
  const active = ok(parseSubscriptionState('active;expires=600000'));
  assert.equal(active.expires, 600000);
});
