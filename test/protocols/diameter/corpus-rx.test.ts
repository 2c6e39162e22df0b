// Rx AAR/AAA, RAR/RAA, STR/STA over SCTP from an Amarisoft VoNR call, checked against tshark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFile, needTools } from '../../support/environment.js';
import { compareWithTshark } from './corpus-compare.js';

test('VoNR call Rx session: messages, media components and flows equal tshark', (t) => {
  const file = corpusFile(t, 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap');
  if (file === undefined || !needTools(t, 'tshark')) return;
  const { messages, compared } = compareWithTshark(file);
  assert.deepEqual(messages.map((m) => `${m.message.interfaceName}:${m.message.commandAbbrev}`), ['Rx:AAR', 'Rx:AAA', 'Rx:RAR', 'Rx:RAA', 'Rx:STR', 'Rx:STA']);
  for (const field of ['Session-Id', 'Origin-Host', 'Result-Code', 'Flow-Description', 'Codec-Data', 'Media-Type', 'Flow-Number', 'Flow-Status',
    'Specific-Action', 'Max-Requested-Bandwidth-UL', 'Max-Requested-Bandwidth-DL', 'Framed-IPv6-Prefix', 'Termination-Cause']) {
    assert.ok((compared.get(`diameter.${field}`) ?? 0) > 0, `${field} was compared`);
  }
});
