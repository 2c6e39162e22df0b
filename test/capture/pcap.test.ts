import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureError } from '../../src/capture/source.js';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_RAW, tempCaptureFile, writePcap, type FixtureRecord } from '../fixtures/capture-writer.js';
import { collect, patterned } from './collect.js';

const records: FixtureRecord[] = [
  { bytes: patterned(60, 1), tsSec: 1_700_000_000, tsNsec: 123_456_000 },
  { bytes: patterned(1514, 2), tsSec: 1_700_000_001, tsNsec: 999_999_000, origLen: 9000 },
  { bytes: patterned(0, 3), tsSec: 1_700_000_002, tsNsec: 0, origLen: 42 },
  { bytes: patterned(301, 4), tsSec: 1_700_000_002, tsNsec: 1_000 },
];

for (const nanosecond of [false, true]) {
  for (const bigEndian of [false, true]) {
    const name = `pcap, ${nanosecond ? 'nanosecond' : 'microsecond'}, ${bigEndian ? 'big' : 'little'}-endian`;
    test(`${name}: every record comes back as written`, async (t) => {
      const nsRecords = records.map((r, i) => (nanosecond ? { ...r, tsNsec: (r.tsNsec ?? 0) + i * 7 } : r));
      const path = tempCaptureFile(t, 'v.pcap', writePcap(nsRecords, { nanosecond, bigEndian, linkType: LINKTYPE_LINUX_SLL, snapLen: 65535 }));
      const { frames, summary } = await collect(path);
      assert.equal(summary.format, 'pcap');
      assert.equal(summary.variant, name);
      assert.equal(summary.frames, nsRecords.length);
      assert.deepEqual(summary.warnings, []);
      assert.deepEqual(summary.interfaces, [{ id: 0, linkType: LINKTYPE_LINUX_SLL, linkTypeName: 'Linux cooked v1', snapLen: 65535, tsResolution: nanosecond ? 'ns' : 'µs' }]);
      assert.deepEqual(
        frames,
        nsRecords.map((r, i) => ({
          frameNo: i + 1,
          tsSec: r.tsSec,
          tsNsec: r.tsNsec,
          linkType: LINKTYPE_LINUX_SLL,
          interfaceId: 0,
          origLen: r.origLen ?? r.bytes.length,
          bytes: r.bytes,
        })),
      );
      assert.equal(summary.firstTs, 1_700_000_000 + nsRecords[0]!.tsNsec! / 1e9);
      assert.equal(summary.lastTs, 1_700_000_002 + nsRecords[3]!.tsNsec! / 1e9);
      assert.equal(summary.bytesRead, 24 + nsRecords.reduce((n, r) => n + 16 + r.bytes.length, 0));
    });
  }
}

test('seconds are unsigned 32-bit: 2106-era timestamps stay in the future', async (t) => {
  const late = [
    { bytes: patterned(20, 1), tsSec: 0xffffff00, tsNsec: 5_000 },
    { bytes: patterned(20, 2), tsSec: 0x80000000, tsNsec: 0 },
    { bytes: patterned(20, 3), tsSec: 0xffffffff, tsNsec: 999_999_000 },
  ];
  for (const bigEndian of [false, true]) {
    const { frames, summary } = await collect(tempCaptureFile(t, 'late.pcap', writePcap(late, { bigEndian, linkType: LINKTYPE_RAW })));
    assert.deepEqual(
      frames.map((f) => [f.tsSec, f.tsNsec]),
      late.map((r) => [r.tsSec, r.tsNsec]),
    );
    assert.equal(summary.firstTs, 0x80000000);
    assert.equal(summary.lastTs, 0xffffffff + 0.999999);
  }
});

test('a microsecond field of a million or more carries into the seconds', async (t) => {
  const bytes = writePcap([{ bytes: patterned(10, 1), tsSec: 100 }]);
  new DataView(bytes.buffer).setUint32(24 + 4, 2_500_000, true);
  const { frames } = await collect(tempCaptureFile(t, 'carry.pcap', bytes));
  assert.deepEqual([frames[0]?.tsSec, frames[0]?.tsNsec], [102, 500_000_000]);
});

test('the link type field keeps only its LINKTYPE bits (FCS bits above are masked)', async (t) => {
  const bytes = writePcap([{ bytes: patterned(64, 1) }], { linkType: LINKTYPE_ETHERNET });
  new DataView(bytes.buffer).setUint32(20, 0x14000000 | LINKTYPE_ETHERNET, true);
  const { frames, summary } = await collect(tempCaptureFile(t, 'fcs.pcap', bytes));
  assert.equal(frames[0]?.linkType, LINKTYPE_ETHERNET);
  assert.equal(summary.interfaces[0]?.linkTypeName, 'Ethernet');
});

test('a file that ends mid-record keeps every complete frame and says where it was cut', async (t) => {
  const whole = writePcap(records);
  const thirdAt = 24 + 16 + 60 + 16 + 1514;
  const fourthAt = thirdAt + 16;
  for (const cut of [fourthAt + 5, fourthAt + 16 + 300, fourthAt + 3]) {
    const { frames, summary } = await collect(tempCaptureFile(t, 'cut.pcap', whole.subarray(0, cut)));
    assert.equal(frames.length, 3);
    assert.equal(summary.frames, 3);
    assert.deepEqual(summary.warnings, [{ offset: fourthAt, frameNo: 4, message: `capture ends mid-record at offset ${fourthAt} (frame 4 incomplete)`, fatal: false }]);
  }
});

test('a truncated file header is not a capture', async (t) => {
  const path = tempCaptureFile(t, 'short.pcap', writePcap([]).subarray(0, 10));
  await assert.rejects(collect(path), (err: unknown) => err instanceof CaptureError && err.file === path && /pcap file header is truncated \(10 of 24 bytes\)/.test(err.message));
});

test('a header alone is a capture with no frames', async (t) => {
  const { summary } = await collect(tempCaptureFile(t, 'none.pcap', writePcap([])));
  assert.equal(summary.frames, 0);
  assert.equal(summary.firstTs, undefined);
  assert.deepEqual(summary.warnings, []);
});

/** Sets the captured-length field of record `index` (0-based) in a little-endian pcap. */
function lieAboutCapLen(bytes: Uint8Array, index: number, capLen: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 24;
  for (let i = 0; i < index; i++) at += 16 + view.getUint32(at + 8, true);
  view.setUint32(at + 8, capLen, true);
  return at;
}

test('a captured length beyond 262144 stops reading with a fatal warning naming frame and offset', async (t) => {
  for (const lie of [262145, 0x7fffffff, 0xffffffff]) {
    const bytes = writePcap(records, { snapLen: 0 });
    const at = lieAboutCapLen(bytes, 1, lie);
    const { frames, summary } = await collect(tempCaptureFile(t, 'huge.pcap', bytes));
    assert.equal(frames.length, 1);
    assert.equal(summary.frames, 1);
    assert.equal(summary.firstTs, 1_700_000_000.123456);
    assert.equal(summary.lastTs, 1_700_000_000.123456);
    assert.equal(summary.bytesRead, at);
    assert.equal(summary.warnings.length, 1);
    const w = summary.warnings[0]!;
    assert.equal(w.fatal, true);
    assert.equal(w.frameNo, 2);
    assert.equal(w.offset, at);
    assert.match(w.message, new RegExp(`^frame 2 at offset ${at}: captured length ${lie} exceeds the 262144-byte maximum`));
  }
});

test('a captured length beyond a sane snapshot length is a lie', async (t) => {
  const bytes = writePcap(records, { snapLen: 1514 });
  const at = lieAboutCapLen(bytes, 3, 1515);
  const { frames, summary } = await collect(tempCaptureFile(t, 'snap.pcap', bytes));
  assert.equal(frames.length, 3);
  assert.equal(summary.warnings[0]?.fatal, true);
  assert.equal(summary.warnings[0]?.offset, at);
  assert.match(summary.warnings[0]?.message ?? '', /frame 4 .*exceeds the snapshot length 1514/);
});

test('a bogus tiny snapshot length does not bound captured lengths', async (t) => {
  const { frames, summary } = await collect(tempCaptureFile(t, 'tiny-snap.pcap', writePcap(records, { snapLen: 1 })));
  assert.equal(frames.length, records.length);
  assert.deepEqual(summary.warnings, []);
});

test('off-by-one and zero captured lengths never hang and keep the frames before them', async (t) => {
  // One byte too long on the last record: the file now ends mid-record.
  const longLast = writePcap(records);
  const lastAt = lieAboutCapLen(longLast, 3, 302);
  let r = await collect(tempCaptureFile(t, 'obo1.pcap', longLast));
  assert.equal(r.frames.length, 3);
  assert.deepEqual(r.summary.warnings.map((w) => [w.offset, w.fatal]), [[lastAt, false]]);

  // One byte too short on the first record: the next header is read one byte early, so its
  // captured length is made of the microsecond and length fields (0x05ea000f): a fatal lie.
  const shortFirst = writePcap(records);
  lieAboutCapLen(shortFirst, 0, 59);
  r = await collect(tempCaptureFile(t, 'obo2.pcap', shortFirst));
  assert.equal(r.frames.length, 1);
  assert.equal(r.frames[0]?.bytes.length, 59);
  assert.deepEqual(r.summary.warnings.map((w) => [w.offset, w.frameNo, w.fatal]), [[24 + 16 + 59, 2, true]]);

  // Zero is a legal captured length: an empty frame, then the next record.
  const zero = writePcap([{ bytes: new Uint8Array(0), origLen: 0 }, ...records]);
  r = await collect(tempCaptureFile(t, 'zero.pcap', zero));
  assert.equal(r.frames.length, records.length + 1);
  assert.equal(r.frames[0]?.bytes.length, 0);
  assert.deepEqual(r.summary.warnings, []);
});
