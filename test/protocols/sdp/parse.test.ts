import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../../src/decode-error.js';
import { parseSdp } from '../../../src/protocols/sdp/parse.js';
import type { SdpSession } from '../../../src/protocols/sdp/types.js';

function parsed(text: string): SdpSession {
  const s = parseSdp(text);
  assert.ok(!isDecodeError(s), isDecodeError(s) ? s.reason : '');
  return s;
}

const IMS_OFFER = [
  'v=0',
  'o=SAMSUNG-IMS-UE 5258951181 12345678901234567890 IN IP6 2001:db8::8e1',
  's=SS VOIP',
  'c=IN IP6 2001:db8::8e1',
  'b=AS:80',
  't=0 0',
  'a=sendonly',
  'm=audio 1256 RTP/AVP 116 107 118 96 0 111',
  'b=AS:50',
  'b=RS:0',
  'b=RR:2500',
  'b=TIAS:64000',
  'a=rtpmap:116 AMR-WB/16000/1',
  'a=fmtp:116 mode-set=0,1,2; mode-change-capability=2;max-red=220',
  'a=rtpmap:107 amr-wb/16000',
  'a=fmtp:107 Octet-Align=1;mode-set=2',
  'a=rtpmap:118 AMR/8000/1',
  'a=rtpmap:96 AMR/8000',
  'a=fmtp:96 octet-align=1;mode-change-capability=2;crc=',
  'a=rtpmap:111 telephone-event/16000',
  'a=fmtp:111 0-15',
  'a=curr:qos local none',
  'a=curr:qos remote none',
  'a=des:qos mandatory local sendrecv',
  'a=des:qos optional remote sendrecv',
  'a=conf:qos remote sendrecv',
  'a=ptime:20',
  'a=maxptime:240',
  'a=rtcp:1257 IN IP6 2001:db8::8e2',
  'a=x-private:42',
  'm=video 0 RTP/AVP 99',
  'a=rtpmap:99 H264/90000',
  'a=inactive',
  'm=text 4000/2 RTP/AVP 100',
  'c=IN IP4 224.2.1.1/127/3',
  'a=rtpmap:100 t140/1000',
  'a=recvonly',
  '',
].join('\r\n');

test('session and media fields, with media-level over session-level c= and direction', () => {
  const s = parsed(IMS_OFFER);
  assert.equal(s.version, 0);
  assert.deepEqual(s.origin, { username: 'SAMSUNG-IMS-UE', sessionId: '5258951181', sessionVersion: '12345678901234567890', netType: 'IN', addrType: 'IP6', address: '2001:db8::8e1' });
  assert.equal(s.name, 'SS VOIP');
  assert.deepEqual(s.connection, { netType: 'IN', addrType: 'IP6', address: '2001:db8::8e1' });
  assert.deepEqual(s.bandwidth, [{ type: 'AS', value: 80 }]);
  assert.equal(s.direction, 'sendonly');
  assert.deepEqual(s.attributes, [{ name: 'sendonly' }]);
  assert.equal(s.media.length, 3);
  const [audio, video, text] = s.media;
  assert.ok(audio !== undefined && video !== undefined && text !== undefined);
  assert.equal(audio.type, 'audio');
  assert.equal(audio.port, 1256);
  assert.equal(audio.numberOfPorts, 1);
  assert.equal(audio.proto, 'RTP/AVP');
  assert.deepEqual(audio.formats, ['116', '107', '118', '96', '0', '111']);
  assert.equal(audio.connection?.address, '2001:db8::8e1');
  assert.equal(audio.direction, 'sendonly', 'session-level direction applies when the media has none');
  assert.deepEqual(audio.bandwidth, [{ type: 'AS', value: 50 }, { type: 'RS', value: 0 }, { type: 'RR', value: 2500 }, { type: 'TIAS', value: 64000 }]);
  assert.equal(audio.ptime, 20);
  assert.equal(audio.maxptime, 240);
  assert.deepEqual(audio.rtcp, { port: 1257, address: '2001:db8::8e2' });
  assert.ok(audio.attributes.some((a) => a.name === 'x-private' && a.value === '42'));
  assert.equal(audio.attributes.length, 18);
  assert.equal(video.port, 0);
  assert.equal(video.direction, 'inactive');
  assert.equal(text.port, 4000);
  assert.equal(text.numberOfPorts, 2);
  assert.deepEqual(text.connection, { netType: 'IN', addrType: 'IP4', address: '224.2.1.1', ttl: 127, count: 3 });
  assert.equal(text.direction, 'recvonly');
  assert.deepEqual(s.warnings, []);
});

test('payload formats in m= order with rtpmap, static types and string-valued fmtp', () => {
  const audio = parsed(IMS_OFFER).media[0];
  assert.ok(audio !== undefined);
  assert.deepEqual(audio.payloads.map((p) => p.payloadType), [116, 107, 118, 96, 0, 111]);
  const [wb, wbOa, nb, nbOa, pcmu, te] = audio.payloads;
  assert.ok(wb && wbOa && nb && nbOa && pcmu && te);
  assert.equal(wb.encodingName, 'AMR-WB');
  assert.equal(wb.encodingKey, 'amr-wb');
  assert.equal(wb.clockRate, 16000);
  assert.equal(wb.channels, 1);
  // sdp-transform turns "2" and "220" into numbers: the record keeps strings.
  assert.deepEqual({ ...wb.fmtp }, { 'mode-set': '0,1,2', 'mode-change-capability': '2', 'max-red': '220' });
  assert.equal(wbOa.encodingName, 'amr-wb', 'case as written');
  assert.equal(wbOa.encodingKey, 'amr-wb');
  assert.equal(wbOa.channels, undefined);
  assert.deepEqual({ ...wbOa.fmtp }, { 'octet-align': '1', 'mode-set': '2' });
  assert.deepEqual({ ...nbOa.fmtp }, { 'octet-align': '1', 'mode-change-capability': '2', crc: '' });
  assert.deepEqual({ ...nb.fmtp }, {});
  assert.equal(nb.fmtpText, undefined);
  assert.equal(pcmu.encodingName, 'PCMU');
  assert.equal(pcmu.clockRate, 8000);
  assert.equal(pcmu.staticMapping, true);
  assert.equal(wb.staticMapping, false);
  assert.equal(te.encodingName, 'telephone-event');
  assert.equal(te.fmtpText, '0-15');
  for (const p of audio.payloads) for (const v of Object.values(p.fmtp)) assert.equal(typeof v, 'string');
});

test('RFC 3312 preconditions: current, desired and confirmed status', () => {
  const audio = parsed(IMS_OFFER).media[0];
  assert.deepEqual(audio?.preconditions, [
    { kind: 'curr', type: 'qos', statusType: 'local', direction: 'none' },
    { kind: 'curr', type: 'qos', statusType: 'remote', direction: 'none' },
    { kind: 'des', type: 'qos', strength: 'mandatory', statusType: 'local', direction: 'sendrecv' },
    { kind: 'des', type: 'qos', strength: 'optional', statusType: 'remote', direction: 'sendrecv' },
    { kind: 'conf', type: 'qos', statusType: 'remote', direction: 'sendrecv' },
  ]);
  const bad = parsed('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=des:qos local sendrecv\r\na=curr:qos mandatory e2e send\r\n');
  assert.deepEqual(bad.media[0]?.preconditions, []);
  assert.equal(bad.warnings.length, 2);
});

test('problems are warnings; text without v= is an error', () => {
  const s = parsed('v=1\r\ns=-\r\nm=audio 4000 RTP/AVP 96 97\r\na=rtpmap:97 AMR/8000\r\na=rtpmap:98 PCMA/8000\r\nm=audio xx RTP/AVP 0\r\n');
  assert.equal(s.media.length, 1);
  assert.equal(s.origin, undefined);
  assert.equal(s.media[0]?.payloads[0]?.encodingName, undefined);
  const w = s.warnings.join('\n');
  for (const needle of ['v=1', 'o=', 'payload type 96 has no a=rtpmap', 'payload type 98 not listed', 'no c= line', 'malformed m= line']) assert.ok(w.includes(needle), `warning about ${needle}: ${w}`);
  assert.ok(isDecodeError(parseSdp('')));
  assert.ok(isDecodeError(parseSdp('hello\r\nworld')));
  const lf = parsed('v=0\no=- 1 2 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 5004 RTP/AVP 8\n');
  assert.equal(lf.media[0]?.payloads[0]?.encodingName, 'PCMA');
  assert.equal(lf.media[0]?.direction, 'sendrecv');
});
