// For every capture of the public corpus, the number of frames containing each layer must equal
// what tshark reports (frame.protocols, NULL ESP heuristic on). The captures are concatenated
// with mergecap so that tshark runs once; each capture's frames are then compared on their own.
//
// Notes on what is compared:
//   - 'ip' ↔ ipv4, 'ipv6', 'udp', 'tcp', 'sctp', 'esp' ↔ the same names in NetStats.layerFrames;
//   - tshark's 'gtp' also names GTP-C (UDP 2123, handed to gtpv2); only frames with GTP on
//     UDP 2152 are compared with 'gtpu';
//   - like tshark, layers quoted inside ICMP errors count (icmp:ip:udp counts udp);
//   - a non-final IP fragment has 'ip' only; the frame completing a datagram has the rest.
// No capture is excluded: every one is meaningful for at least the link and IP layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCapture } from '../../src/capture/source.js';
import { NetDecoder } from '../../src/net/decoder.js';
import { needTools } from '../support/environment.js';
import { CORPUS_CAPTURES, corpusPaths, mergedCapture } from './corpus.js';
import { tsharkFields } from './tshark.js';

const COMPARED: [tshark: string, ours: string][] = [
  ['ip', 'ipv4'],
  ['ipv6', 'ipv6'],
  ['udp', 'udp'],
  ['tcp', 'tcp'],
  ['sctp', 'sctp'],
  ['gtp', 'gtpu'],
  ['esp', 'esp'],
];

test('layer counts agree with tshark for every corpus capture', async (t) => {
  if (!needTools(t, 'tshark', 'mergecap')) return;
  const paths = corpusPaths(t, CORPUS_CAPTURES);
  if (paths === undefined) return;
  const ours: { frames: number; counts: Record<string, number> }[] = [];
  for (const path of paths) {
    const decoder = new NetDecoder({});
    await readCapture(path, (frame) => decoder.decode(frame));
    decoder.finish();
    const s = decoder.stats;
    ours.push({ frames: s.frames, counts: Object.fromEntries(COMPARED.map(([name, key]) => [name, s.layerFrames.get(key) ?? 0])) });
  }

  const rows = tsharkFields(mergedCapture(t, paths), ['frame.protocols', 'udp.port']);
  assert.equal(rows.length, ours.reduce((n, o) => n + o.frames, 0), 'tshark and the capture reader see the same frames');

  let at = 0;
  for (const [i, name] of CORPUS_CAPTURES.entries()) {
    const mine = ours[i]!;
    const expected: Record<string, number> = Object.fromEntries(COMPARED.map(([n]) => [n, 0]));
    for (const [protocols = '', ports = ''] of rows.slice(at, at + mine.frames)) {
      const names = protocols.split(':');
      for (const [n] of COMPARED) {
        if (!names.includes(n)) continue;
        if (n === 'gtp' && !ports.split(',').includes('2152')) continue;
        expected[n]!++;
      }
    }
    at += mine.frames;
    await t.test(name, () => assert.deepEqual(mine.counts, expected));
  }
});
