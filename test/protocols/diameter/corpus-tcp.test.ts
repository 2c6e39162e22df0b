// Diameter over TCP (Gy/Ro CCR/CCA from nDPI, S6a AIR/AIA from PyHSS), checked against tshark;
// the TCP payloads are also cut by DiameterStreamFramer and must give the same messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFile, needTools } from '../../support/environment.js';
import { DiameterStreamFramer } from '../../../src/protocols/diameter/framer.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { compareWithTshark } from './corpus-compare.js';
import { tsharkFields, tsharkPayloads } from './tshark-oracle.js';
import type { DiameterMessage } from '../../../src/protocols/diameter/types.js';

/** Feeds each direction's TCP payloads to its own framer; returns the messages with their frames. */
function frameStreams(file: string): { frameNo: number; message: DiameterMessage }[] {
  const flows = new Map<number, string>();
  for (const row of tsharkFields(file, 'tcp.len > 0', ['tcp.stream', 'ip.src', 'tcp.srcport'])) {
    flows.set(row.frameNo, `${row['tcp.stream']}/${row['ip.src']}:${row['tcp.srcport']}`);
  }
  const framers = new Map<string, DiameterStreamFramer>();
  const out: { frameNo: number; message: DiameterMessage }[] = [];
  for (const { frameNo, bytes } of tsharkPayloads(file, 'tcp.len > 0', 'tcp.payload')) {
    const key = flows.get(frameNo)!;
    let framer = framers.get(key);
    if (framer === undefined) framers.set(key, (framer = new DiameterStreamFramer()));
    for (const f of framer.push(bytes, frameNo, 0)) {
      if (isDecodeError(f.message)) assert.fail(`frame ${frameNo}: ${f.message.reason}`);
      out.push({ frameNo: f.frameNo, message: f.message });
    }
  }
  for (const framer of framers.values()) assert.equal(framer.buffered, 0);
  return out;
}

test('nDPI Gy/Ro over TCP: messages and AVPs equal tshark, and the stream framer finds the same messages', (t) => {
  const file = corpusFile(t, 'nDPI__diameter.pcap');
  if (file === undefined || !needTools(t, 'tshark')) return;
  const { messages, compared } = compareWithTshark(file);
  assert.deepEqual(messages.map((m) => `${m.message.interfaceName}:${m.message.commandAbbrev}`), ['Gy/Ro:CCR', 'Gy/Ro:CCA', 'Gy/Ro:CCR', 'Gy/Ro:CCA', 'Gy/Ro:CCR', 'Gy/Ro:CCA']);
  for (const field of ['Session-Id', 'Origin-Host', 'Result-Code', 'CC-Request-Type', 'CC-Request-Number', 'Subscription-Id-Data', 'Service-Context-Id']) {
    assert.ok((compared.get(`diameter.${field}`) ?? 0) > 0, `${field} was compared`);
  }
  const framed = frameStreams(file);
  assert.deepEqual(framed.map((f) => [f.frameNo, f.message.hopByHop, f.message.avps.length]), messages.map((m) => [m.frameNo, m.message.hopByHop, m.message.avps.length]));
});

test('PyHSS S6a AIR/AIA over TCP: authentication vectors equal tshark', (t) => {
  const file = corpusFile(t, 'pyhss__Diameter_AIA2.pcapng');
  if (file === undefined || !needTools(t, 'tshark')) return;
  const { messages, compared } = compareWithTshark(file);
  assert.deepEqual(messages.map((m) => m.message.commandAbbrev), ['AIR', 'AIA']);
  for (const field of ['Session-Id', 'Result-Code', 'RAND', 'XRES', 'AUTN', 'KASME', 'Visited-PLMN-Id', 'Number-Of-Requested-Vectors', 'User-Name']) {
    assert.ok((compared.get(`diameter.${field}`) ?? 0) > 0, `${field} was compared`);
  }
  const framed = frameStreams(file);
  assert.deepEqual(framed.map((f) => f.message.endToEnd), messages.map((m) => m.message.endToEnd));
});
