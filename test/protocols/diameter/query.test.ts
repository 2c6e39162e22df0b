import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDiameterMessage } from '../../../src/protocols/diameter/decode.js';
import { avpNumber, avpText, findAvp, findAvps, resultClass, resultCode, sessionId } from '../../../src/protocols/diameter/query.js';
import { isDecodeError } from '../../../src/decode-error.js';
import type { DiameterMessage } from '../../../src/protocols/diameter/types.js';
import { avp, avp3gpp, concat, diameter, hex, u32, u64, utf8, TGPP } from './build.js';

function decoded(bytes: Uint8Array): DiameterMessage {
  const m = decodeDiameterMessage(bytes);
  if (isDecodeError(m)) assert.fail(m.reason);
  return m;
}

const ids = { hopByHop: 7, endToEnd: 8 };

// A Gy CCA (RFC 4006) with two Multiple-Services-Credit-Control groups, each with its own Result-Code.
const cca = decoded(
  diameter({
    ...ids,
    commandCode: 272,
    applicationId: 4,
    request: false,
    avps: [
      avp(263, utf8('pgw.example;17;1')),
      avp(268, u32(2001)),
      avp(456, concat(avp(432, u32(10)), avp(431, avp(421, u64(1_000_000n))), avp(268, u32(2001)))),
      avp(456, concat(avp(432, u32(20)), avp(268, u32(4012)))),
      avp(458, u32(0), { vendorId: 13019 }),
      avp(458, concat(avp(459, u32(0)), avp(460, hex('3533')))),
    ],
  }),
);

test('findAvp / findAvps: top level by default, recursive on request, message order, vendor filter', () => {
  assert.deepEqual(findAvps(cca, 268).map(avpNumber), [2001]);
  assert.deepEqual(findAvps(cca, 268, 0, { recursive: true }).map(avpNumber), [2001, 2001, 4012]);
  assert.deepEqual(findAvps(cca, 432, undefined, { recursive: true }).map(avpNumber), [10, 20]);
  assert.equal(findAvp(cca, 432), undefined, 'Rating-Group is only inside MSCC');
  assert.equal(avpNumber(findAvp(cca, 421, 0, { recursive: true })), 1_000_000);
  assert.equal(findAvp(cca, 458, 13019)!.name, 'Reservation-Priority');
  assert.equal(findAvp(cca, 458, 0)!.name, 'User-Equipment-Info');
  assert.equal(findAvps(cca, 458).length, 2, 'any vendor when the vendor is omitted');
  const mscc = findAvps(cca, 456)[1]!;
  assert.deepEqual(findAvps(mscc, 268).map(avpNumber), [4012], 'search inside one Grouped AVP');
  assert.deepEqual(findAvps(cca.avps.slice(0, 2), 268).map(avpNumber), [2001], 'search an AVP list');
});

test('sessionId and resultCode of a plain Result-Code answer', () => {
  assert.equal(sessionId(cca), 'pgw.example;17;1');
  assert.deepEqual(resultCode(cca), { code: 2001, experimental: false, name: 'DIAMETER_SUCCESS' });
});

test('resultCode reads Experimental-Result with its Vendor-Id (RFC 6733 §7.6, TS 29.229 §6.2)', () => {
  const uaa = decoded(
    diameter({
      ...ids,
      commandCode: 300,
      applicationId: 16777216,
      request: false,
      avps: [avp(263, utf8('icscf;1')), avp(297, concat(avp(266, u32(TGPP)), avp(298, u32(5001)))), avp3gpp(602, utf8('sip:scscf.ims.example'))],
    }),
  );
  assert.deepEqual(resultCode(uaa), { code: 5001, experimental: true, vendorId: TGPP, name: 'DIAMETER_ERROR_USER_UNKNOWN' });
  assert.equal(avpText(findAvp(uaa, 602, TGPP)), 'sip:scscf.ims.example');

  const other = decoded(diameter({ ...ids, commandCode: 300, applicationId: 16777216, request: false, avps: [avp(297, concat(avp(266, u32(99)), avp(298, u32(5001))))] }));
  assert.deepEqual(resultCode(other), { code: 5001, experimental: true, vendorId: 99 });

  const request = decoded(diameter({ ...ids, commandCode: 300, applicationId: 16777216, request: true, avps: [avp(263, utf8('x'))] }));
  assert.equal(resultCode(request), undefined);
  const noSession = decoded(diameter({ ...ids, commandCode: 280, applicationId: 0, request: true, avps: [] }));
  assert.equal(sessionId(noSession), undefined);
});

test('resultClass follows the thousands digit (RFC 6733 §7.1)', () => {
  assert.equal(resultClass(1001), 'informational');
  assert.equal(resultClass(2001), 'success');
  assert.equal(resultClass(3002), 'protocol-error');
  assert.equal(resultClass(4001), 'transient-failure');
  assert.equal(resultClass(5420), 'permanent-failure');
  assert.equal(resultClass(42), 'unrecognized');
});

test('avpText and avpNumber refuse values of other types', () => {
  const [sid, rc] = cca.avps;
  assert.equal(avpNumber(sid), undefined);
  assert.equal(avpText(rc), undefined);
  assert.equal(avpText(undefined), undefined);
  const big = decoded(diameter({ ...ids, commandCode: 272, applicationId: 4, request: true, avps: [avp(412, u64(2n ** 60n))] }));
  assert.equal(avpNumber(big.avps[0]), undefined, 'beyond 2^53');
});
