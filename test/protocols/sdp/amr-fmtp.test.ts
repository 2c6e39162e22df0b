import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amrFmtpOf, parseAmrFmtp } from '../../../src/protocols/sdp/amr-fmtp.js';
import { parseFmtpParameters } from '../../../src/protocols/sdp/fmtp.js';
import { parseTelephoneEvents } from '../../../src/protocols/sdp/telephone-event.js';
import type { SdpPayloadFormat } from '../../../src/protocols/sdp/types.js';

test('RFC 4867 §8.1 defaults when no parameter is given', () => {
  assert.deepEqual(parseAmrFmtp({}), {
    octetAlign: false,
    modeChangePeriod: 1,
    modeChangeCapability: 1,
    modeChangeNeighbor: false,
    crc: false,
    robustSorting: false,
    channels: 1,
    errors: [],
  });
});

test('every parameter typed from its string value', () => {
  const f = parseAmrFmtp(parseFmtpParameters('mode-set=7,0,2; octet-align=1; mode-change-period=2; mode-change-capability=2; mode-change-neighbor=1; max-red=220; crc=1; robust-sorting=1; interleaving=4'), { channels: 2 });
  assert.deepEqual(f.modeSet, [7, 0, 2]);
  assert.equal(f.octetAlign, true);
  assert.equal(f.modeChangePeriod, 2);
  assert.equal(f.modeChangeCapability, 2);
  assert.equal(f.modeChangeNeighbor, true);
  assert.equal(f.maxRed, 220);
  assert.equal(f.crc, true);
  assert.equal(f.robustSorting, true);
  assert.equal(f.interleaving, 4);
  assert.equal(f.channels, 2);
  assert.deepEqual(f.errors, []);
});

test('invalid values are reported, never thrown; AMR-WB allows mode 8', () => {
  const nb = parseAmrFmtp({ 'mode-set': '0,8,x,2,2', 'octet-align': 'yes', 'mode-change-period': '3', 'max-red': '-1', crc: '1' });
  assert.deepEqual(nb.modeSet, [0, 2]);
  assert.equal(nb.octetAlign, false);
  assert.equal(nb.modeChangePeriod, 1);
  assert.equal(nb.maxRed, undefined);
  assert.equal(nb.errors.length, 7);
  assert.ok(nb.errors.some((e) => e.includes('requires octet-align=1')));
  const quoted = parseAmrFmtp({ 'mode-set': '"0,1,2"' });
  assert.deepEqual(quoted.modeSet, [0, 1, 2]);
  assert.deepEqual(quoted.errors, ['mode-set value is quoted']);
  const wb = parseAmrFmtp({ 'mode-set': '0,8' }, { wideband: true });
  assert.deepEqual(wb.modeSet, [0, 8]);
  assert.deepEqual(wb.errors, []);
});

test('amrFmtpOf picks AMR and AMR-WB formats and their rtpmap channels', () => {
  const base = { staticMapping: false, clockRate: 16000 } as const;
  const wb: SdpPayloadFormat = { ...base, payloadType: 104, encodingName: 'AMR-WB', encodingKey: 'amr-wb', channels: 1, fmtp: { 'mode-set': '8', 'octet-align': '1' } };
  assert.deepEqual(amrFmtpOf(wb)?.modeSet, [8]);
  assert.equal(amrFmtpOf(wb)?.octetAlign, true);
  const nb: SdpPayloadFormat = { ...base, payloadType: 97, encodingName: 'AMR', encodingKey: 'amr', fmtp: { 'mode-set': '8' } };
  assert.equal(amrFmtpOf(nb)?.errors.length, 1);
  const evs: SdpPayloadFormat = { ...base, payloadType: 112, encodingName: 'EVS', encodingKey: 'evs', fmtp: {} };
  assert.equal(amrFmtpOf(evs), undefined);
});

test('fmtp parameters: names lower-cased and trimmed, values strings', () => {
  assert.deepEqual({ ...parseFmtpParameters('Mode-Set=2;  OCTET-ALIGN=1 ;max-red=0;flag') }, { 'mode-set': '2', 'octet-align': '1', 'max-red': '0', flag: '' });
  assert.deepEqual({ ...parseFmtpParameters('') }, {});
});

test('telephone-event event lists (RFC 4733 §2.4.1)', () => {
  assert.deepEqual(parseTelephoneEvents('0-15').events, [...Array(16).keys()]);
  assert.deepEqual(parseTelephoneEvents('0-3,66, 70-71,2').events, [0, 1, 2, 3, 66, 70, 71]);
  const bad = parseTelephoneEvents('5-1,300,a');
  assert.deepEqual(bad.events, []);
  assert.equal(bad.errors.length, 3);
});
