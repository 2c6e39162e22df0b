import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CaptureError } from '../../src/capture/source.js';
import { needTools } from '../support/environment.js';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_RAW,
  tempCaptureFile,
  writePcapng,
  type FixtureSection,
} from '../fixtures/capture-writer.js';
import { collect, epoch, patterned } from './collect.js';

// Two sections with opposite byte orders; interfaces with different link types and
// timestamp units (µs by default, ns, 2^-20 s with an offset, 10^-3 s); EPB, PB and SPB;
// blocks nobody reads (NRB, ISB, custom, unknown) and options in between.
const sections: FixtureSection[] = [
  {
    interfaces: [
      { linkType: LINKTYPE_ETHERNET, snapLen: 262144, name: 'eth0', description: 'core side' },
      { linkType: LINKTYPE_RAW, tsResol: 9, name: 'gtp0' },
      { linkType: LINKTYPE_LINUX_SLL, tsResol: 0x80 | 20, tsOffset: 1_600_000_000 },
    ],
    records: [
      { bytes: patterned(60, 1), tsSec: 1_700_000_000, tsNsec: 250_000, comment: 'first' },
      { bytes: patterned(98, 2), interfaceId: 1, tsSec: 1_700_000_000, tsNsec: 250_000_001 },
      // 2^-20 s: 2^11 units of 2^-20 s are exactly 1953125 ns.
      { bytes: patterned(77, 3), interfaceId: 2, tsSec: 1_700_000_003, tsNsec: 1_953_125 * 3 },
      { bytes: patterned(1514, 4), tsSec: 1_700_000_004, tsNsec: 999_999_000, origLen: 4000, block: 'pb' },
      { bytes: patterned(40, 5), interfaceId: 1, tsSec: 0xffffff00, tsNsec: 123_456_789 },
    ],
    extraBlocks: [
      { type: 4, body: Uint8Array.of(1, 0, 4, 0, 10, 0, 0, 1, 0, 0, 0, 0), before: 1 },
      { type: 5, body: new Uint8Array(20), before: 3 },
      { type: 0x00000bad, body: Uint8Array.of(0, 0, 0x7e, 0x7e, 1, 2, 3), before: 3 },
      { type: 0x12345678 },
    ],
  },
  {
    bigEndian: true,
    interfaces: [
      { linkType: LINKTYPE_RAW, snapLen: 128, tsResol: 3 },
      { linkType: LINKTYPE_ETHERNET, tsResol: 6 },
    ],
    records: [
      { bytes: patterned(128, 6), origLen: 1400, block: 'spb' },
      { bytes: patterned(90, 7), interfaceId: 1, tsSec: 1_700_000_010, tsNsec: 5_000 },
      { bytes: patterned(100, 8), tsSec: 1_700_000_011, tsNsec: 7_000_000, block: 'pb' },
      { bytes: patterned(64, 9), block: 'spb' },
    ],
  },
];

/** What a reader must deliver for `sections`: global interface ids, no timestamp on SPBs. */
function expected(secs: FixtureSection[]) {
  const out = [];
  let base = 0;
  let frameNo = 0;
  for (const s of secs) {
    const numbered = (s.extraBlocks ?? []).filter((e) => e.type === 0xbad || e.type === 0x40000bad || e.type === 9);
    for (const [index, r] of s.records.entries()) {
      frameNo += numbered.filter((e) => e.before === index).length;
      const id = r.block === 'spb' ? 0 : (r.interfaceId ?? 0);
      const iface = s.interfaces[id]!;
      out.push({
        frameNo: ++frameNo,
        tsSec: r.block === 'spb' ? 0 : r.tsSec,
        tsNsec: r.block === 'spb' ? 0 : r.tsNsec,
        linkType: iface.linkType,
        interfaceId: base + id,
        origLen: r.origLen ?? r.bytes.length,
        bytes: r.bytes,
      });
    }
    base += s.interfaces.length;
  }
  return out;
}

test('multi-section pcapng: byte orders, link types, if_tsresol, if_tsoffset, EPB/PB/SPB', async (t) => {
  const path = tempCaptureFile(t, 'multi.pcapng', writePcapng(sections));
  const { frames, summary } = await collect(path);
  assert.deepEqual(summary.warnings, []);
  assert.equal(summary.format, 'pcapng');
  assert.equal(summary.variant, 'pcapng (2 sections)');
  assert.deepEqual(frames, expected(sections));
  assert.deepEqual(
    summary.interfaces.map((i) => [i.id, i.linkType, i.linkTypeName, i.snapLen, i.tsResolution, i.name, i.description]),
    [
      [0, LINKTYPE_ETHERNET, 'Ethernet', 262144, 'µs', 'eth0', 'core side'],
      [1, LINKTYPE_RAW, 'Raw IP', 0, 'ns', 'gtp0', undefined],
      [2, LINKTYPE_LINUX_SLL, 'Linux cooked v1', 0, '2^-20 s', undefined, undefined],
      [3, LINKTYPE_RAW, 'Raw IP', 128, '10^-3 s', undefined, undefined],
      [4, LINKTYPE_ETHERNET, 'Ethernet', 0, 'µs', undefined, undefined],
    ],
  );
  // Simple Packet Blocks carry no timestamp: they do not count for first/last.
  assert.equal(summary.firstTs, 1_700_000_000.00025);
  assert.equal(summary.lastTs, 0xffffff00 + 0.123456789);
});

test('tshark reads the same frames, timestamps and lengths from the multi-section fixture', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const path = tempCaptureFile(t, 'multi.pcapng', writePcapng(sections));
  const { frames } = await collect(path);
  const out = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  const lines = out.stdout.trim().split('\n');
  // tshark shows the custom block as a frame of its own: it has the only number we skip.
  const delivered = new Set(frames.map((f) => String(f.frameNo)));
  assert.deepEqual(
    lines.filter((l) => !delivered.has(l.split('\t')[0]!)).map((l) => l.split('\t')[1]),
    [''],
  );
  // Simple Packet Blocks have no timestamp: tshark shows none.
  const records = sections.flatMap((s) => s.records);
  const spb = new Set(expected(sections).filter((_, i) => records[i]?.block === 'spb').map((f) => f.frameNo));
  assert.equal(spb.size, 2);
  assert.deepEqual(
    frames.map((f) => [f.frameNo, spb.has(f.frameNo) ? '' : epoch(f), f.origLen, f.bytes.length].join('\t')),
    lines.filter((l) => delivered.has(l.split('\t')[0]!)),
  );
});

test('Simple Packet Blocks: interface 0, length from the block, capped by the snapshot length', async (t) => {
  const path = tempCaptureFile(
    t,
    'spb.pcapng',
    writePcapng([{ interfaces: [{ linkType: LINKTYPE_RAW, snapLen: 96 }], records: [{ bytes: patterned(96, 1), origLen: 1500, block: 'spb' }, { bytes: patterned(33, 2), block: 'spb' }] }]),
  );
  const { frames } = await collect(path);
  assert.deepEqual(
    frames.map((f) => [f.bytes.length, f.origLen, f.interfaceId]),
    [
      [96, 1500, 0],
      [33, 33, 0],
    ],
  );
  assert.deepEqual(frames[1]?.bytes, patterned(33, 2));
});

test('SHB and IDB alone make a valid capture with no frames', async (t) => {
  const { summary } = await collect(tempCaptureFile(t, 'empty.pcapng', writePcapng([{ interfaces: [{ linkType: LINKTYPE_ETHERNET }], records: [] }])));
  assert.equal(summary.frames, 0);
  assert.equal(summary.interfaces.length, 1);
  assert.equal(summary.variant, 'pcapng, little-endian');
  assert.deepEqual(summary.warnings, []);
  const big = await collect(tempCaptureFile(t, 'shb.pcapng', writePcapng([{ bigEndian: true, interfaces: [], records: [] }])));
  assert.equal(big.summary.frames, 0);
  assert.equal(big.summary.variant, 'pcapng, big-endian');
});

test('timestamps far beyond 2^53 units (2106 in ns, 10^-12 s) are split exactly', async (t) => {
  const cases = [
    { tsResol: 9, tsSec: 0xffffff00, tsNsec: 999_999_999 },
    { tsResol: 9, tsSec: 1_700_000_000, tsNsec: 1 },
    { tsResol: 12, tsOffset: 1_690_000_000, tsSec: 1_700_000_000, tsNsec: 123_456_789 },
    { tsResol: 0x80 | 30, tsSec: 1_700_000_000, tsNsec: 0 },
    { tsResol: 6, tsSec: 0xffffffff, tsNsec: 999_999_000 },
  ];
  const path = tempCaptureFile(
    t,
    'far.pcapng',
    writePcapng([{ interfaces: cases.map((c) => ({ linkType: LINKTYPE_RAW, tsResol: c.tsResol, ...('tsOffset' in c ? { tsOffset: c.tsOffset } : {}) })), records: cases.map((c, i) => ({ bytes: patterned(20, i), interfaceId: i, tsSec: c.tsSec, tsNsec: c.tsNsec })) }]),
  );
  const { frames } = await collect(path);
  assert.deepEqual(
    frames.map((f) => [f.tsSec, f.tsNsec]),
    cases.map((c) => [c.tsSec, c.tsNsec]),
  );
});

test('an out-of-range if_tsresol is reported and microseconds are assumed', async (t) => {
  const bytes = writePcapng([{ interfaces: [{ linkType: LINKTYPE_RAW, tsResol: 20 }], records: [{ bytes: patterned(20, 1), tsUnits: 1_700_000_000_000_001n }] }]);
  const { frames, summary } = await collect(tempCaptureFile(t, 'resol.pcapng', bytes));
  assert.deepEqual([frames[0]?.tsSec, frames[0]?.tsNsec], [1_700_000_000, 1000]);
  assert.equal(summary.warnings.length, 1);
  assert.equal(summary.warnings[0]?.fatal, false);
  assert.match(summary.warnings[0]?.message ?? '', /if_tsresol 0x14 is out of range/);
});

// Offsets of each block in a one-section file, read back from its own length fields.
function blockOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let at = 0; at + 8 <= bytes.length; at += view.getUint32(at + 4, true)) out.push(at);
  return out;
}

const plain: FixtureSection[] = [
  {
    interfaces: [{ linkType: LINKTYPE_ETHERNET }],
    records: [0, 1, 2, 3].map((i) => ({ bytes: patterned(61 + i, i), tsSec: 1_700_000_000 + i })),
  },
];

test('corrupt block lengths stop reading with a fatal warning naming frame and offset', async (t) => {
  const clean = writePcapng(plain);
  const offsets = blockOffsets(clean);
  const thirdFrameAt = offsets[4]!; // SHB, IDB, EPB 1, EPB 2, EPB 3
  for (const lie of [0, 8, 13, 0x3d, 0x7ffffff0, 0xfffffffc]) {
    const bytes = clean.slice();
    new DataView(bytes.buffer).setUint32(thirdFrameAt + 4, lie, true);
    const { frames, summary } = await collect(tempCaptureFile(t, 'lie.pcapng', bytes));
    assert.equal(frames.length, 2, `length ${lie}`);
    assert.equal(summary.warnings.length, 1, `length ${lie}`);
    const w = summary.warnings[0]!;
    assert.deepEqual([w.fatal, w.frameNo, w.offset], [true, 3, thirdFrameAt], `length ${lie}`);
    assert.match(w.message, new RegExp(`^frame 3 \\(enhanced packet block\\) at offset ${thirdFrameAt} has block length ${lie}`));
  }
});

test('a block length off by one word is caught by the trailing copy', async (t) => {
  const clean = writePcapng(plain);
  const secondFrameAt = blockOffsets(clean)[3]!;
  for (const delta of [-4, 4]) {
    const bytes = clean.slice();
    const view = new DataView(bytes.buffer);
    view.setUint32(secondFrameAt + 4, view.getUint32(secondFrameAt + 4, true) + delta, true);
    const { frames, summary } = await collect(tempCaptureFile(t, 'obo.pcapng', bytes));
    assert.equal(frames.length, 1);
    assert.equal(summary.warnings[0]?.fatal, true);
    assert.equal(summary.warnings[0]?.frameNo, 2);
    assert.equal(summary.warnings[0]?.offset, secondFrameAt);
    assert.match(summary.warnings[0]?.message ?? '', /but its trailing copy says/);
  }
});

test('a captured length that does not fit its block is fatal', async (t) => {
  const clean = writePcapng(plain);
  const firstFrameAt = blockOffsets(clean)[2]!;
  const bytes = clean.slice();
  new DataView(bytes.buffer).setUint32(firstFrameAt + 20, 1000, true);
  const { frames, summary } = await collect(tempCaptureFile(t, 'caplen.pcapng', bytes));
  assert.equal(frames.length, 0);
  assert.match(summary.warnings[0]?.message ?? '', /^frame 1 at offset \d+: captured length 1000 does not fit its 96-byte block/);
});

test('a frame on an interface its section does not describe is fatal', async (t) => {
  const bytes = writePcapng([{ interfaces: [{ linkType: LINKTYPE_ETHERNET }], records: [{ bytes: patterned(60, 1) }, { bytes: patterned(60, 2), interfaceId: 3 }] }]);
  const { frames, summary } = await collect(tempCaptureFile(t, 'noif.pcapng', bytes));
  assert.equal(frames.length, 1);
  assert.match(summary.warnings[0]?.message ?? '', /^frame 2 at offset \d+ refers to interface 3, but its section describes 1/);
});

test('a corrupt length on a block nobody reads is skipped to the end, never looped on', async (t) => {
  const bytes = writePcapng([{ ...plain[0]!, extraBlocks: [{ type: 4, body: new Uint8Array(16), before: 2 }] }]);
  const nrbAt = blockOffsets(bytes)[4]!;
  new DataView(bytes.buffer).setUint32(nrbAt + 4, 0x7ffffff0, true);
  for (const chunkSize of [7, undefined]) {
    const { frames, summary } = await collect(tempCaptureFile(t, 'nrb.pcapng', bytes), chunkSize === undefined ? {} : { chunkSize });
    assert.equal(frames.length, 2);
    assert.deepEqual(summary.warnings, [{ offset: nrbAt, message: `capture ends mid-record at offset ${nrbAt} (block of type 0x00000004 incomplete)`, fatal: false }]);
  }
});

test('a block larger than the buffer streams by and its trailing copy is still checked', async (t) => {
  const big = { type: 0x40000bad, body: patterned(300_000, 1), before: 1 };
  const ok = writePcapng([{ ...plain[0]!, extraBlocks: [big] }]);
  const { frames } = await collect(tempCaptureFile(t, 'bigblock.pcapng', ok), { chunkSize: 4096 });
  // The custom block takes frame number 2, as tshark shows it.
  assert.deepEqual(frames.map((f) => f.frameNo), [1, 3, 4, 5]);
  const bad = ok.slice();
  const at = blockOffsets(ok)[3]!;
  const view = new DataView(bad.buffer);
  view.setUint32(at + view.getUint32(at + 4, true) - 4, 12, true);
  const r = await collect(tempCaptureFile(t, 'bigblock-bad.pcapng', bad), { chunkSize: 4096 });
  assert.equal(r.frames.length, 1);
  assert.deepEqual([r.summary.warnings[0]?.offset, r.summary.warnings[0]?.frameNo, r.summary.warnings[0]?.fatal], [at, 2, true]);
  assert.match(r.summary.warnings[0]?.message ?? '', /^frame 2 \(custom block\) at offset \d+ has block length 300012 but its trailing copy says 12/);
});

test('a file that ends inside a packet block keeps the frames before it', async (t) => {
  const clean = writePcapng(plain);
  const lastAt = blockOffsets(clean)[5]!;
  for (const cut of [lastAt + 3, lastAt + 20, clean.length - 1]) {
    const { frames, summary } = await collect(tempCaptureFile(t, 'cut.pcapng', clean.subarray(0, cut)));
    assert.equal(frames.length, 3);
    const w = summary.warnings[0]!;
    assert.equal(w.offset, lastAt);
    assert.equal(w.fatal, false);
    assert.match(w.message, new RegExp(`^capture ends mid-record at offset ${lastAt} \\(`));
  }
});

test('a broken first section header means the file is not a capture', async (t) => {
  const clean = writePcapng(plain);
  const badOrder = clean.slice();
  new DataView(badOrder.buffer).setUint32(8, 0x11223344, true);
  await assert.rejects(collect(tempCaptureFile(t, 'bom.pcapng', badOrder)), (e: unknown) => e instanceof CaptureError && /unknown byte-order magic 44 33 22 11/.test(e.message));
  const badVersion = clean.slice();
  new DataView(badVersion.buffer).setUint16(12, 2, true);
  await assert.rejects(collect(tempCaptureFile(t, 'version.pcapng', badVersion)), (e: unknown) => e instanceof CaptureError && /unsupported pcapng version 2\.0/.test(e.message));
  await assert.rejects(collect(tempCaptureFile(t, 'tiny.pcapng', clean.subarray(0, 10))), (e: unknown) => e instanceof CaptureError && /section header block is truncated/.test(e.message));
});

test('a broken later section header stops reading after the frames before it', async (t) => {
  const bytes = writePcapng([plain[0]!, { bigEndian: true, interfaces: [{ linkType: LINKTYPE_RAW }], records: [{ bytes: patterned(20, 1) }] }]);
  const secondShbAt = writePcapng([plain[0]!]).length;
  new DataView(bytes.buffer).setUint32(secondShbAt + 8, 0, true);
  const { frames, summary } = await collect(tempCaptureFile(t, 'shb2.pcapng', bytes));
  assert.equal(frames.length, 4);
  assert.deepEqual([summary.warnings[0]?.offset, summary.warnings[0]?.fatal], [secondShbAt, true]);
});
