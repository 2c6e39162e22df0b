// S6a over SCTP from a Magma inbound-roaming run (the same capture carries S8 GTPv2-C), checked
// against tshark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFile, needTools } from '../../support/environment.js';
import { compareWithTshark } from './corpus-compare.js';

test('magma inbound roaming capture: S6a and watchdog messages and their AVPs equal tshark', (t) => {
  const file = corpusFile(t, 'magma__inbound_roaming_01_210505_130828-1.pcapng');
  if (file === undefined || !needTools(t, 'tshark')) return;
  const { messages, compared } = compareWithTshark(file);
  const counts = new Map<string, number>();
  for (const { message } of messages) counts.set(`${message.interfaceName}:${message.commandAbbrev}`, (counts.get(`${message.interfaceName}:${message.commandAbbrev}`) ?? 0) + 1);
  // MANIFEST.tsv: S6a:AIAx1 S6a:AIRx1 S6a:PUAx1 S6a:PURx1 S6a:ULAx1 S6a:ULRx1 base:DWAx44 base:DWRx44
  assert.deepEqual(Object.fromEntries([...counts].sort()), {
    'S6a:AIA': 1, 'S6a:AIR': 1, 'S6a:PUA': 1, 'S6a:PUR': 1, 'S6a:ULA': 1, 'S6a:ULR': 1, 'base:DWA': 44, 'base:DWR': 44,
  });
  for (const field of ['Session-Id', 'Origin-Host', 'Result-Code', 'RAND', 'AUTN', 'XRES', 'KASME', 'ULR-Flags', 'Context-Identifier', 'Service-Selection',
    'QoS-Class-Identifier', 'Priority-Level', 'MSISDN', 'Served-Party-IP-Address']) {
    assert.ok((compared.get(`diameter.${field}`) ?? 0) > 0, `${field} was compared`);
  }
});
