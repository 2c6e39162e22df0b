// The one-pass reader of a call's common SDP lines against sdp-transform (the oracle): parseSdp,
// which takes that reader when every line is one it knows, must give what parseSdp gives with
// every line read by sdp-transform — on the corpus calls, on typical VoLTE / VoNR offers and on
// thousands of SDPs assembled at random from common, odd and malformed lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPass } from '../../../src/pipeline/pass.js';
import { parseCommonSdp } from '../../../src/protocols/sdp/common-lines.js';
import { parseSdp, parseSdpThroughSdpTransform } from '../../../src/protocols/sdp/parse.js';
import { sdpTextOf } from '../../../src/protocols/sip/body.js';
import { corpusCaptures } from '../../support/environment.js';

function sameAsSdpTransform(text: string, where: string): void {
  assert.deepEqual(parseSdp(text), parseSdpThroughSdpTransform(text), `${where}:\n${text}`);
}

const VOLTE_OFFER = [
  'v=0',
  'o=rue 3059 3059 IN IP6 2001:db8::17',
  's=-',
  'c=IN IP6 2001:db8::17',
  'b=AS:41',
  'b=RS:0',
  'b=RR:1537',
  't=0 0',
  'm=audio 49154 RTP/AVP 116 107 97 111 110',
  'b=AS:41',
  'a=rtpmap:116 AMR-WB/16000/1',
  'a=fmtp:116 mode-change-capability=2;max-red=220',
  'a=rtpmap:107 AMR-WB/16000/1',
  'a=fmtp:107 octet-align=1;mode-change-capability=2;max-red=220',
  'a=rtpmap:97 AMR/8000/1',
  'a=fmtp:97 mode-set=0,2,5,7;mode-change-capability=2;max-red=220',
  'a=rtpmap:111 telephone-event/16000',
  'a=fmtp:111 0-15',
  'a=rtpmap:110 telephone-event/8000',
  'a=fmtp:110 0-15',
  'a=curr:qos local none',
  'a=curr:qos remote none',
  'a=des:qos mandatory local sendrecv',
  'a=des:qos optional remote sendrecv',
  'a=sendrecv',
  'a=ptime:20',
  'a=maxptime:240',
  'a=rtcp:49155',
  'a=mid:audio',
  'a=rtcp-mux',
  '',
].join('\r\n');

test('a typical VoLTE offer is read in one pass, and as sdp-transform reads it', () => {
  assert.notEqual(parseCommonSdp(VOLTE_OFFER), undefined, 'the one-pass reader takes it');
  sameAsSdpTransform(VOLTE_OFFER, 'VoLTE offer');
  const s = parseSdp(VOLTE_OFFER);
  assert.ok(!('reason' in s));
  const m = s.media[0];
  assert.equal(m?.payloads.find((p) => p.payloadType === 107)?.fmtp['octet-align'], '1');
  assert.equal(m?.preconditions.length, 4);
  assert.deepEqual(m?.rtcp, { port: 49155 });
});

test('lines the one-pass reader does not know send the whole text to sdp-transform', () => {
  for (const odd of ['a=sendrecvx', 'a=ptime:20ms', 'a=rtpmap:96 AMR-WB/16000/1 ', 'a=fmtp:96\toctet-align=1', 'a=rtcp-muxed', 'a=mid:a b', 'a=curr:qos here none', 's=caf\u00e9']) {
    const text = VOLTE_OFFER.replace('a=sendrecv\r\n', `${odd}\r\n`);
    assert.equal(parseCommonSdp(text), undefined, odd);
    sameAsSdpTransform(text, odd);
  }
});

// Lines SDPs are assembled from: common ones, odd ones of the same kinds, others.
const SESSION_LINES = ['v=0', 'v=1', 'v=', 'o=- 1 1 IN IP4 10.0.0.1', 'o=- 00123 18446744073709551617 IN IP6 ::1', 'o=broken', 's=-', 's=42', 's= session', 'c=IN IP4 10.0.0.2', 'c=IN IP4 224.2.1.1/127/3', 'c=IN IP6 ff15::101/3', 'c=IN IP7 x', 'c=', 't=0 0', 'b=AS:64', 'b=CT:0064', 'b=X-YZ:1', 'b=AS:', 'i=info', 'k=prompt', 'x=unknown', 'a=sendonly', 'a=recvonly', 'a=group:BUNDLE audio'];
const MEDIA_LINES = ['m=audio 5004 RTP/AVP 96 97 8', 'm=audio 0 RTP/AVP 0', 'm=video 5006/2 RTP/AVPF 98', 'm=audio 7000 RTP/SAVP 96', 'm=text 5008 RTP/AVP 100', 'm=image 5010 udptl t38', 'm=audio x RTP/AVP 0'];
const ATTRIBUTE_LINES = [
  'a=rtpmap:96 AMR-WB/16000/1',
  'a=rtpmap:97 AMR/8000',
  'a=rtpmap:98 H264/90000',
  'a=rtpmap:96 AMR-WB/16000/2',
  'a=rtpmap:100 telephone-event/8000',
  'a=rtpmap:96AMR/8000',
  'a=rtpmap:101 red / 8000',
  'a=fmtp:96 octet-align=1;mode-set=2',
  'a=fmtp:97 mode-set=0,2,4,7; octet-align=1',
  'a=fmtp:100 0-15',
  'a=fmtp:96 1',
  'a=fmtp:96',
  'a=fmtp:x y',
  'a=ptime:20',
  'a=ptime:20.5',
  'a=maxptime:240',
  'a=maxptime:',
  'a=sendrecv',
  'a=inactive',
  'a=rtcp:5005',
  'a=rtcp:5005 IN IP4 10.0.0.9',
  'a=rtcp:x',
  'a=rtcp-mux',
  'a=rtcp-fb:96 nack',
  'a=mid:0',
  'a=mid:audio',
  'a=curr:qos e2e sendrecv',
  'a=des:qos mandatory e2e sendrecv',
  'a=conf:qos remote sendrecv',
  'a=CURR:QOS LOCAL SEND',
  'a=des:qos e2e sendrecv',
  'a=ssrc:1234 cname:x',
  'a=candidate:1 1 UDP 2130706431 10.0.0.1 5004 typ host',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc',
  'a=label:1',
  'a=setup:actpass',
  'a=',
  'a=flag',
  'a=x-unknown:with:colons',
];

function randomSdp(rand: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const lines = [rand() < 0.9 ? 'v=0' : pick(SESSION_LINES)];
  for (let i = Math.floor(rand() * 6); i > 0; i--) lines.push(rand() < 0.2 ? pick(ATTRIBUTE_LINES) : pick(SESSION_LINES));
  for (let m = Math.floor(rand() * 3); m > 0; m--) {
    lines.push(pick(MEDIA_LINES));
    for (let i = Math.floor(rand() * 10); i > 0; i--) lines.push(rand() < 0.85 ? pick(ATTRIBUTE_LINES) : pick(SESSION_LINES));
  }
  const end = pick(['\r\n', '\n', '\r']);
  return lines.join(end) + (rand() < 0.5 ? end : '');
}

test('SDPs assembled at random: parseSdp gives what sdp-transform gives, and the one-pass reader takes most of them', () => {
  // (A fixed seed: a failure names the text, and runs again the same.)
  let seed = 20261127;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let taken = 0;
  const runs = 4000;
  for (let i = 0; i < runs; i++) {
    const text = randomSdp(rand);
    if (parseCommonSdp(text) !== undefined) taken++;
    sameAsSdpTransform(text, `random SDP #${i}`);
  }
  assert.ok(taken > runs / 4, `the one-pass reader took ${taken} of ${runs}`);
  assert.ok(taken < runs, 'and some went to sdp-transform');
});

test('every SDP of the corpus: parseSdp gives what sdp-transform gives', async (t) => {
  const captures = corpusCaptures(t);
  if (captures === undefined) return;
  let sdps = 0;
  let taken = 0;
  for (const path of captures) {
    const texts: string[] = [];
    await runPass(path, { sip: (e) => void (sdpTextOf(e.message) !== undefined && texts.push(sdpTextOf(e.message) as string)) }).catch(() => undefined);
    for (const text of texts) {
      sdps++;
      if (parseCommonSdp(text) !== undefined) taken++;
      sameAsSdpTransform(text, path);
    }
  }
  assert.ok(sdps >= 20, `${sdps} SDPs in the corpus`);
  assert.ok(taken > 0, `the one-pass reader took ${taken} of them`);
});
