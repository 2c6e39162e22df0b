// Malformed packets among good ones: the pass goes on, and every capture command says how many
// packets and messages could not be decoded and which ones came first (frame and reason); info
// lists the first twenty of each kind. The bad frames are the ones this test broke.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePcap } from '../fixtures/capture-writer.js';
import { ipUdp, text } from '../fixtures/packets.js';
import { escapeRegExp, imscap, lines, plainCommandLines, scratchDir, sipFrames, STACK_FRAME } from './support.js';

type Breakage = 'ipv4' | 'udp' | 'sip';

const COUNT = 90;
/** Every third frame is broken, cycling through an IPv4 header length of 16, a UDP length of 3, and a datagram to port 5060 without a SIP start line. */
function build(): { bytes: Uint8Array; broken: Map<number, Breakage> } {
  const good = sipFrames(COUNT);
  const broken = new Map<number, Breakage>();
  const frames = good.map((frame, i) => {
    if (i % 3 !== 1) return frame;
    const kind: Breakage = (['ipv4', 'udp', 'sip'] as const)[Math.floor(i / 3) % 3] as Breakage;
    broken.set(i + 1, kind);
    if (kind === 'sip') return ipUdp({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 5060, dstPort: 5060 }, text('NOT A START LINE\r\nVia: x\r\n\r\n'));
    const copy = frame.slice();
    // RFC 791 §3.1: IHL counts 32-bit words, at least 5. RFC 768: the UDP length is at least 8.
    if (kind === 'ipv4') copy[14] = 0x44;
    else copy.set([0, 3], 14 + 20 + 4);
    return copy;
  });
  return { bytes: writePcap(frames.map((bytes) => ({ bytes }))), broken };
}

test('undecodable packets and messages are counted and the first ones listed with frame and reason; the rest is decoded', async (t) => {
  const { bytes, broken } = build();
  const dir = scratchDir(t);
  const path = join(dir, 'mixed.pcap');
  writeFileSync(path, bytes);
  const netBad = [...broken].filter(([, k]) => k !== 'sip').map(([f]) => f);
  const sipBad = [...broken].filter(([, k]) => k === 'sip').map(([f]) => f);

  const info = await imscap('info', path, '--format', 'json');
  assert.equal(info.code, 0, info.err);
  const report = JSON.parse(info.out) as { frames: number; malformedFrames: number; undecodableMessages: number; applicationMessages: Record<string, number>; problems: Array<{ frameNo: number; layer: string; reason: string }> };
  assert.equal(report.frames, COUNT);
  assert.equal(report.malformedFrames, netBad.length);
  assert.equal(report.undecodableMessages, sipBad.length);
  assert.equal(report.applicationMessages.sip, COUNT - broken.size, 'every good message is still decoded');
  const netListed = report.problems.filter((p) => p.layer !== 'sip');
  const sipListed = report.problems.filter((p) => p.layer === 'sip');
  assert.deepEqual(netListed.map((p) => p.frameNo), netBad.slice(0, 20), 'the first twenty malformed packets');
  assert.deepEqual(sipListed.map((p) => p.frameNo), sipBad.slice(0, 20), 'the first twenty undecodable messages');
  for (const p of report.problems) {
    assert.equal(p.layer, broken.get(p.frameNo), `frame ${p.frameNo}`);
    assert.ok(p.reason.length > 0);
  }

  for (const cmd of plainCommandLines(path, join(dir, 'out'))) {
    const r = await imscap(...cmd.argv);
    assert.ok(r.code === 0 || r.code === 1, `${cmd.name}: ${r.err}`);
    assert.doesNotMatch(r.err, STACK_FRAME, cmd.name);
    const summary = lines(r.err).find((l) => l.startsWith(`imscap: warning: ${path}: `) && l.includes('malformed'));
    assert.ok(summary !== undefined, `${cmd.name}: ${r.err}`);
    assert.match(summary, new RegExp(`^imscap: warning: ${escapeRegExp(path)}: ${netBad.length} malformed packet\\(s\\), ${sipBad.length} undecodable message\\(s\\); first: `), cmd.name);
    const named = [...summary.matchAll(/frame (\d+) (\w+): /g)].map((m) => [Number(m[1]), m[2]] as const);
    assert.ok(named.length >= 1 && named.length <= 3, `${cmd.name}: ${summary}`);
    for (const [frameNo, layer] of named) assert.equal(layer, broken.get(frameNo), `${cmd.name}: frame ${frameNo}`);
  }
});
