// SDP → media bindings: which <address, port> a packet is matched on, RTCP ports, rebinding by
// a later offer/answer, and the oldest binding leaving first when the table is full.
import assert from 'node:assert/strict';
import test from 'node:test';
import { MediaBindings } from '../../src/pipeline/media-bindings.js';
import { parseSdp } from '../../src/protocols/sdp/parse.js';
import type { SdpSession } from '../../src/protocols/sdp/types.js';
import { isDecodeError } from '../../src/decode-error.js';

function sdp(address: string, port: number, extra: string[] = [], pt = 96, codec = 'AMR-WB/16000'): SdpSession {
  const ipVersion = address.includes(':') ? 'IP6' : 'IP4';
  const s = parseSdp(['v=0', `o=- 1 1 IN ${ipVersion} ${address}`, 's=-', `c=IN ${ipVersion} ${address}`, 't=0 0', `m=audio ${port} RTP/AVP ${pt}`, `a=rtpmap:${pt} ${codec}`, ...extra, ''].join('\r\n'));
  assert.ok(!isDecodeError(s));
  return s;
}

test('a binding is found by its address and port, and its RTCP port (port + 1) by both', () => {
  const b = new MediaBindings();
  b.bindSdp(sdp('10.0.0.1', 4000), 'call-1', 7);
  const rtp = b.lookup('10.0.0.1', 4000);
  assert.equal(rtp?.callId, 'call-1');
  assert.equal(rtp?.sdpFrameNo, 7);
  assert.equal(rtp?.rtcp, false);
  assert.equal(rtp?.formats.get(96)?.encodingName, 'AMR-WB');
  assert.equal(b.lookup('10.0.0.1', 4001)?.rtcp, true);
  assert.equal(b.lookup('10.0.0.2', 4000), undefined, 'same port, other address');
  assert.equal(b.lookup('10.0.0.1', 4002), undefined, 'same address, other port');
  assert.equal(b.size, 2);
});

test('two endpoints on the same port are told apart by address; IPv6 text is canonical', () => {
  const b = new MediaBindings();
  b.bindSdp(sdp('10.0.0.1', 4000), 'a', 1);
  b.bindSdp(sdp('2001:DB8:0:0::5', 4000, ['a=rtcp-mux']), 'b', 2);
  assert.equal(b.lookup('10.0.0.1', 4000)?.callId, 'a');
  assert.equal(b.lookup('2001:db8::5', 4000)?.callId, 'b');
  assert.equal(b.lookup('2001:db8::5', 4001), undefined, 'rtcp-mux: no separate RTCP port');
  assert.equal(b.size, 3);
});

test('a=rtcp moves the RTCP binding to its own port', () => {
  const b = new MediaBindings();
  b.bindSdp(sdp('10.0.0.1', 4000, ['a=rtcp:5005']), 'a', 1);
  assert.equal(b.lookup('10.0.0.1', 5005)?.rtcp, true);
  assert.equal(b.lookup('10.0.0.1', 4001), undefined);
});

test('a later SDP for the same address and port replaces the binding (re-INVITE, UPDATE)', () => {
  const b = new MediaBindings();
  b.bindSdp(sdp('10.0.0.1', 4000), 'call-1', 1);
  b.bindSdp(sdp('10.0.0.1', 4000, [], 97, 'AMR/8000'), 'call-1', 9);
  const found = b.lookup('10.0.0.1', 4000);
  assert.equal(found?.sdpFrameNo, 9);
  assert.equal(found?.formats.get(97)?.encodingName, 'AMR');
  assert.equal(found?.formats.has(96), false);
  assert.equal(b.size, 2);
});

test('over the limit the oldest binding goes first, whatever port it shares', () => {
  const b = new MediaBindings(3);
  b.bindSdp(sdp('10.0.0.1', 4000, ['a=rtcp-mux']), 'first', 1);
  b.bindSdp(sdp('10.0.0.2', 4000, ['a=rtcp-mux']), 'second', 2);
  b.bindSdp(sdp('10.0.0.3', 6000, ['a=rtcp-mux']), 'third', 3);
  // Rebinding the first does not make it younger: eviction follows first appearance.
  b.bindSdp(sdp('10.0.0.1', 4000, ['a=rtcp-mux']), 'first again', 4);
  b.bindSdp(sdp('10.0.0.4', 4000, ['a=rtcp-mux']), 'fourth', 5);
  assert.equal(b.size, 3);
  assert.equal(b.lookup('10.0.0.1', 4000), undefined);
  assert.equal(b.lookup('10.0.0.2', 4000)?.callId, 'second');
  assert.equal(b.lookup('10.0.0.3', 6000)?.callId, 'third');
  assert.equal(b.lookup('10.0.0.4', 4000)?.callId, 'fourth');
  for (let i = 0; i < 10; i++) b.bindSdp(sdp(`10.1.0.${i}`, 7000 + i * 2, ['a=rtcp-mux']), `n${i}`, 10 + i);
  assert.equal(b.size, 3);
  assert.equal(b.lookup('10.1.0.9', 7018)?.callId, 'n9');
  assert.equal(b.lookup('10.0.0.4', 4000), undefined);
});

test('a slot kept by a flow cache follows its pair: the later SDP’s binding, then nothing once evicted', () => {
  const b = new MediaBindings(4);
  b.bindSdp(sdp('10.0.0.1', 4000), 'first', 1);
  const slot = b.slot('10.0.0.1', 4000);
  assert.equal(slot?.binding?.callId, 'first');
  b.bindSdp(sdp('10.0.0.1', 4000, [], 97, 'AMR/8000'), 'second', 9);
  assert.equal(b.slot('10.0.0.1', 4000), slot, 'set again: the same slot');
  assert.equal(slot?.binding?.callId, 'second');
  assert.equal(slot?.binding, b.lookup('10.0.0.1', 4000));
  // Two more media lines (RTP and RTCP each) fill the table of 4: the oldest pairs leave.
  b.bindSdp(sdp('10.0.0.2', 5000), 'third', 10);
  b.bindSdp(sdp('10.0.0.3', 6000), 'fourth', 11);
  assert.equal(b.lookup('10.0.0.1', 4000), undefined);
  assert.equal(slot?.binding, undefined, 'evicted: the slot is empty');
  b.bindSdp(sdp('10.0.0.1', 4000), 'again', 12);
  assert.notEqual(b.slot('10.0.0.1', 4000), slot, 'bound anew: a new slot');
  assert.equal(slot?.binding, undefined, 'the old slot stays empty');
});
