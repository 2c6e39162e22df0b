// S6a, Gx and Gy/Ro over SCTP from a Magma LTE attach, checked against tshark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFile, needTools } from '../../support/environment.js';
import { compareWithTshark } from './corpus-compare.js';

test('magma Gx/Gy/S6a capture: every Diameter message and a broad AVP sample equal tshark', (t) => {
  const file = corpusFile(t, 'magma__gx_gy_combined_03_210505_132953-1.pcapng');
  if (file === undefined || !needTools(t, 'tshark')) return;
  const { messages, compared } = compareWithTshark(file);
  const counts = new Map<string, number>();
  for (const { message } of messages) {
    const key = `${message.interfaceName}:${message.commandAbbrev}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // MANIFEST.tsv: Gx:CCAx2 Gx:CCRx2 Gy/Ro:CCAx14 Gy/Ro:CCRx14 S6a:AIAx1 S6a:AIRx1 S6a:PUAx1 S6a:PURx1 S6a:ULAx1 S6a:ULRx1 base:DWAx43 base:DWRx43
  assert.deepEqual(Object.fromEntries([...counts].sort()), {
    'Gx:CCA': 2, 'Gx:CCR': 2, 'Gy/Ro:CCA': 14, 'Gy/Ro:CCR': 14, 'S6a:AIA': 1, 'S6a:AIR': 1, 'S6a:PUA': 1, 'S6a:PUR': 1,
    'S6a:ULA': 1, 'S6a:ULR': 1, 'base:DWA': 43, 'base:DWR': 43,
  });
  for (const field of ['Session-Id', 'Origin-Host', 'Result-Code', 'QoS-Class-Identifier', 'APN-Aggregate-Max-Bitrate-UL', 'APN-Aggregate-Max-Bitrate-DL',
    'RAND', 'XRES', 'AUTN', 'KASME', 'Visited-PLMN-Id', 'ULR-Flags', 'CC-Request-Type', 'Rating-Group', 'Subscription-Id-Data', 'Event-Timestamp',
    'Charging-Rule-Name', 'Priority-Level', 'Framed-IP-Address', '3GPP-User-Location-Info', 'Value-Digits', 'Exponent', 'Tariff-Time-Change',
    'MIP-Home-Agent-Address', 'Access-Network-Charging-Address', 'CC-Total-Octets', 'MSISDN', 'Service-Selection']) {
    assert.ok((compared.get(`diameter.${field}`) ?? 0) > 0, `${field} was compared`);
  }
});
