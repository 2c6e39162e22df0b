import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { RtpStreamStats, type RtpStreamStatsOptions } from '../../src/analysis/rtp-stream-stats.js';
import { corpusFile, needTools } from '../support/environment.js';

interface Sent {
  seq: number;
  ts: number;
  pt?: number;
  arrival?: number;
}

/** Packets 20 ms apart at 8 kHz: sequence `start + i`, timestamp `ts0 + 160 i`. */
function stream(count: number, start: number, ts0 = 1000): Sent[] {
  return Array.from({ length: count }, (_, i) => ({ seq: (start + i) & 0xffff, ts: (ts0 + 160 * i) >>> 0 }));
}

function run(packets: readonly Sent[], options: RtpStreamStatsOptions = { clockRate: 8000 }) {
  const s = new RtpStreamStats(options);
  packets.forEach((p, i) => s.add({ sequence: p.seq, timestamp: p.ts, payloadType: p.pt ?? 96 }, { frameNo: i + 1, ts: p.arrival ?? 100 + i * 0.02 }));
  return s.summary();
}

test('in-order packets across the 16-bit sequence wrap: nothing lost, one wrap', () => {
  const s = run(stream(100, 65500));
  assert.equal(s.packets, 100);
  assert.equal(s.expected, 100);
  assert.equal(s.lost, 0);
  assert.equal(s.sequenceWraps, 1);
  assert.equal(s.duplicates, 0);
  assert.equal(s.reordered, 0);
  assert.equal(s.firstSequence, 65500);
  assert.equal(s.lastSequence, (65500 + 99) & 0xffff);
  assert.equal(s.firstFrameNo, 1);
  assert.equal(s.lastFrameNo, 100);
});

test('dropped packets are lost; duplicates make loss smaller, even negative (RFC 3550 A.3)', () => {
  const all = stream(200, 65400);
  const dropped = new Set([3, 50, 51, 52, 150, 198]);
  const kept = all.filter((_, i) => !dropped.has(i));
  const s = run(kept);
  assert.equal(s.expected, 200);
  assert.equal(s.packets, 194);
  assert.equal(s.lost, 6);

  const withDups = [...all.slice(0, 10), all[4] as Sent, all[9] as Sent, ...all.slice(10), all[199] as Sent];
  const d = run(withDups);
  assert.equal(d.duplicates, 3);
  assert.equal(d.packets, 203);
  assert.equal(d.lost, -3);
  assert.equal(d.reordered, 0, 'copies are duplicates, not late packets');
});

test('late packets count as reordered, also across the wrap', () => {
  const all = stream(40, 65530);
  const order = all.slice();
  // Swap packets 5/6 (65535/0 across the wrap) and move packet 20 three places later.
  [order[5], order[6]] = [order[6] as Sent, order[5] as Sent];
  const [p20] = order.splice(20, 1);
  order.splice(23, 0, p20 as Sent);
  const s = run(order);
  assert.equal(s.reordered, 2);
  assert.equal(s.lost, 0);
  assert.equal(s.expected, 40);
  assert.equal(s.duplicates, 0);
  assert.equal(s.sequenceWraps, 1);
});

test('a confirmed sequence jump is a restart; a single stray packet is left out (RFC 3550 A.1)', () => {
  const first = stream(50, 100);
  const second = stream(30, 40000, 900000);
  const s = run([...first, ...second]);
  assert.equal(s.sequenceRestarts, 1);
  assert.equal(s.expected, 80);
  assert.equal(s.lost, 0);
  assert.equal(s.outOfSequence, 0);

  const stray = [...first.slice(0, 25), { seq: 30000, ts: 5 }, ...first.slice(25)];
  const t = run(stray);
  assert.equal(t.outOfSequence, 1);
  assert.equal(t.sequenceRestarts, 0);
  assert.equal(t.expected, 50);
  assert.equal(t.lost, 0);
});

test('jitter follows J += (|D| − J)/16 when the transit time alternates (RFC 3550 A.8)', () => {
  // Transit alternates between 0 and 5 ms, so every |D| is 5 ms = 40 units at 8 kHz:
  // J after n differences is 40 (1 − (15/16)^n).
  const packets = stream(60, 1).map((p, i) => ({ ...p, arrival: 50 + i * 0.02 + (i % 2 === 1 ? 0.005 : 0) }));
  // Telephone events (RFC 4733) carry the event start as timestamp: they must not move J.
  const withEvents: Sent[] = [];
  packets.forEach((p, i) => {
    withEvents.push(p);
    if (i % 10 === 3) withEvents.push({ seq: 0, ts: 12345, pt: 101, arrival: (p.arrival ?? 0) + 0.0071 });
  });
  // Renumber so that sequence accounting stays clean.
  withEvents.forEach((p, i) => (p.seq = i + 1));
  const s = run(withEvents, { clockRate: 8000, telephoneEventPayloadTypes: [101], comfortNoisePayloadTypes: [13] });
  const expected = 40 * (1 - (15 / 16) ** 59);
  assert.ok(Math.abs(s.jitter - expected) < 1e-6, `jitter ${s.jitter} vs ${expected}`);
  assert.ok(Math.abs(s.jitterMs - (expected / 8000) * 1000) < 1e-9);
  assert.ok(Math.abs(s.maxJitterMs - s.jitterMs) < 1e-9, 'J only grows here');
  assert.equal(s.telephoneEventPackets, 6);
  assert.equal(s.comfortNoisePackets, 0);
  assert.deepEqual(s.payloadTypes, [
    { payloadType: 96, packets: 60 },
    { payloadType: 101, packets: 6 },
  ]);
});

test('comfort noise packets are counted apart and timestamps wrapping do not disturb jitter', () => {
  const packets = stream(100, 10, 0xffffffff - 160 * 50).map((p, i) => ({ ...p, pt: i % 8 === 7 ? 13 : 96 }));
  const s = run(packets, { clockRate: 8000, comfortNoisePayloadTypes: [13] });
  assert.equal(s.comfortNoisePackets, 12);
  assert.ok(s.jitter < 1e-6, `constant transit gives zero jitter across the timestamp wrap, got ${s.jitter}`);
});

interface TsharkStream {
  ssrc: number;
  packets: number;
  lost: number;
  meanJitter: number;
  maxJitter: number;
}

function tsharkStreams(out: string): TsharkStream[] {
  const rows: TsharkStream[] = [];
  for (const line of out.split('\n')) {
    const m = /(0x[0-9A-Fa-f]{8})\s+\S+\s+(\d+)\s+(-?\d+)\s+\([^)]*\)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)/.exec(line);
    if (m === null) continue;
    rows.push({ ssrc: Number(m[1]), packets: Number(m[2]), lost: Number(m[3]), meanJitter: Number(m[4]), maxJitter: Number(m[5]) });
  }
  return rows;
}

test('packets, loss and jitter agree with tshark RTP stream analysis on the corpus', (t) => {
  if (!needTools(t, 'tshark')) return;
  for (const name of ['nesfit__codecs3-amr-wb.pcap', 'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng', 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap']) {
    const file = corpusFile(t, name);
    if (file === undefined) return;
    // One run: the packets' fields, then the RTP stream analysis table.
    const out = spawnSync(
      'tshark',
      ['-r', file, '-Y', 'rtp', '-z', 'rtp,streams', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'rtp.ssrc', '-e', 'rtp.seq', '-e', 'rtp.timestamp', '-e', 'rtp.p_type', '-e', 'rtp.marker'],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    ).stdout;
    const tableAt = out.indexOf('=== RTP Streams');
    assert.ok(tableAt > 0, 'tshark printed the stream table');
    const fields = out.slice(0, out.lastIndexOf('\n', tableAt));
    const streams = new Map<number, RtpStreamStats>();
    // Wireshark leaves packets with the marker bit out of its mean jitter (not of RFC 3550's J).
    const markedLater = new Set<number>();
    for (const line of fields.trim().split('\n')) {
      const [frameNo, time, ssrc, seq, ts, pt, marker] = line.split('\t').map(Number) as [number, number, number, number, number, number, number];
      let s = streams.get(ssrc);
      if (s !== undefined && marker === 1) markedLater.add(ssrc);
      if (s === undefined) {
        // AMR-WB: 16 kHz RTP clock (RFC 4867 §4.1).
        s = new RtpStreamStats({ clockRate: 16000 });
        streams.set(ssrc, s);
      }
      s.add({ sequence: seq, timestamp: ts, payloadType: pt }, { frameNo, ts: time });
    }
    const reference = tsharkStreams(out.slice(tableAt));
    let compared = 0;
    assert.equal(reference.length, streams.size, `${name}: stream count`);
    for (const r of reference) {
      const s = streams.get(r.ssrc)?.summary();
      assert.ok(s !== undefined, `${name}: stream ${r.ssrc.toString(16)}`);
      assert.equal(s.packets, r.packets, `${name} ${r.ssrc.toString(16)} packets`);
      assert.equal(s.lost, r.lost, `${name} ${r.ssrc.toString(16)} lost`);
      assert.ok(Math.abs(s.maxJitterMs - r.maxJitter) < 0.0015, `${name} ${r.ssrc.toString(16)} max jitter ${s.maxJitterMs} vs ${r.maxJitter}`);
      if (!markedLater.has(r.ssrc)) {
        assert.ok(Math.abs(s.meanJitterMs - r.meanJitter) < 0.0015, `${name} ${r.ssrc.toString(16)} mean jitter ${s.meanJitterMs} vs ${r.meanJitter}`);
        compared++;
      }
    }
    assert.ok(compared > 0, `${name}: a stream without later markers to compare the mean jitter on`);
  }
});
