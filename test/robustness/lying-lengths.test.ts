// Captures whose record lengths lie (0, huge, off by one or four) or which are cut mid-record:
// every capture command gives a warning naming the frame and offset plus the results of the
// frames before the problem (exit 0, never 2 or 3, never a stack trace). How many frames come
// before the problem is what tshark reads from the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writePcap, writePcapng } from '../fixtures/capture-writer.js';
import { captureLayout, readField, withField, type CaptureLayout, type Field } from '../fixtures/mutate.js';
import { needTools } from '../support/environment.js';
import { escapeRegExp, imscap, lines, plainCommandLines, scratchDir, sipFrames, STACK_FRAME } from './support.js';

const FRAMES = 6;
const frames = sipFrames(FRAMES);
const PCAP = writePcap(frames.map((bytes) => ({ bytes })));
const PCAPNG = writePcapng([{ interfaces: [{ linkType: 1 }], records: frames.map((bytes) => ({ bytes })) }]);

/** Frames tshark reads from `path` before it stops. */
function tsharkFrames(path: string): number {
  const r = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

/** The packet record that holds frame `frameNo` (pcapng records also hold the interface block). */
function packetRecord(layout: CaptureLayout, frameNo: number): { offset: number; fields: readonly Field[] } {
  const packets = layout.records.filter((r) => r.kind === 'packet');
  const r = packets[frameNo - 1];
  if (r === undefined) throw new Error(`no frame ${frameNo}`);
  return r;
}

function field(fields: readonly Field[], name: string): Field {
  const f = fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no field ${name}`);
  return f;
}

interface Lie {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The warning must name this frame (the first one not read whole) and this offset. */
  readonly frameNo: number;
  readonly offset: number;
  readonly reason: RegExp;
}

function lie(base: Uint8Array, frameNo: number, fieldName: string, value: (old: number) => number, reason: RegExp, name: string): Lie {
  const layout = captureLayout(base);
  const r = packetRecord(layout, frameNo);
  const f = field(r.fields, fieldName);
  return { name, bytes: withField(base, f, value(readField(base, f))), frameNo, offset: r.offset, reason };
}

const STOPPED = /; reading stopped$/;
const LIES: readonly Lie[] = [
  lie(PCAP, 4, 'captured length', () => 0x7fffffff, /^frame 4 at offset \d+: captured length 2147483647 exceeds the 262144-byte maximum; reading stopped$/, 'pcap captured length huge'),
  lie(PCAP, 4, 'captured length', () => 262145, /^frame 4 at offset \d+: captured length 262145 exceeds the 262144-byte maximum; reading stopped$/, 'pcap captured length one over the maximum'),
  lie(PCAP, 4, 'captured length', () => 0xffffffff, /captured length 4294967295 exceeds/, 'pcap captured length all ones'),
  lie(PCAP, FRAMES, 'captured length', (n) => n + 1, /^capture ends mid-record at offset \d+ \(frame 6 incomplete\)$/, 'pcap last captured length off by +1'),
  lie(PCAPNG, 3, 'block length', () => 0, /^frame 3 \(enhanced packet block\) at offset \d+ has block length 0, which is not a multiple of 4 of at least 12; reading stopped$/, 'pcapng block length 0'),
  // Rounded up to the next multiple of 4 (as Wireshark does), it no longer matches the trailing copy.
  lie(PCAPNG, 3, 'block length', (n) => n + 1, /has block length \d+ but its trailing copy says \d+; reading stopped$/, 'pcapng block length off by +1'),
  lie(PCAPNG, 3, 'block length', (n) => n + 4, /has block length (\d+) but its trailing copy says \d+; reading stopped$/, 'pcapng block length off by +4'),
  lie(PCAPNG, 3, 'block length', () => 0x7ffffffc, /has block length 2147483644, which exceeds \d+; reading stopped$/, 'pcapng block length huge'),
  lie(PCAPNG, 3, 'trailing block length', () => 0, /but its trailing copy says 0; reading stopped$/, 'pcapng trailing block length 0'),
  lie(PCAPNG, 3, 'trailing block length', (n) => n + 4, /but its trailing copy says \d+; reading stopped$/, 'pcapng trailing block length off by +4'),
  lie(PCAPNG, 3, 'captured length', () => 0x7fffffff, /^frame 3 at offset \d+: captured length 2147483647 does not fit its \d+-byte block; reading stopped$/, 'pcapng captured length huge'),
  lie(PCAPNG, 3, 'captured length', (n) => n + 4, /does not fit its \d+-byte block; reading stopped$/, 'pcapng captured length off by +4'),
  lie(PCAPNG, 3, 'interface id', () => 1, /^frame 3 at offset \d+ refers to interface 1, but its section describes 1; reading stopped$/, 'pcapng interface id out of range'),
];

/** Runs every capture command on `path`: exit 0, the results of `expectFrames`, one warning. */
async function checkAllCommands(t: import('node:test').TestContext, path: string, expectFrames: number, warning: RegExp): Promise<void> {
  const info = await imscap('info', path, '--format', 'json');
  assert.equal(info.code, 0, info.err);
  const report = JSON.parse(info.out) as { frames: number; warnings: Array<{ frameNo?: number; message: string }> };
  assert.equal(report.frames, expectFrames, 'frames read before the problem, as tshark reads them');
  assert.equal(report.warnings.length, 1, JSON.stringify(report.warnings));
  const dir = scratchDir(t);
  for (const cmd of plainCommandLines(path, join(dir, 'out'))) {
    const r = await imscap(...cmd.argv);
    assert.ok(r.code === 0 || r.code === 1, `${cmd.name}: exit ${r.code}: ${r.err}`);
    assert.doesNotMatch(r.err, STACK_FRAME, cmd.name);
    const captureWarnings = lines(r.err).filter((l) => l.startsWith(`imscap: warning: ${path}: frame `) || l.startsWith(`imscap: warning: ${path}: offset `));
    assert.equal(captureWarnings.length, 1, `${cmd.name}: ${r.err}`);
    assert.match(captureWarnings[0] ?? '', warning, cmd.name);
  }
}

for (const l of LIES) {
  test(`${l.name}: a warning at frame ${l.frameNo}, results of the frames before it`, async (t) => {
    if (!needTools(t, 'tshark')) return;
    const dir = scratchDir(t);
    const path = join(dir, `lie${captureLayout(l.bytes).format === 'pcap' ? '.pcap' : '.pcapng'}`);
    writeFileSync(path, l.bytes);
    const expected = tsharkFrames(path);
    assert.ok(expected < FRAMES, 'tshark stops too');
    const where = new RegExp(`^imscap: warning: ${escapeRegExp(path)}: frame ${l.frameNo}, offset ${l.offset}: `);
    await checkAllCommands(t, path, expected, where);
    const info = JSON.parse((await imscap('info', path, '--format', 'json')).out) as { warnings: Array<{ frameNo?: number; offset: number; message: string; fatal: boolean }> };
    const w = info.warnings[0];
    assert.equal(w?.frameNo, l.frameNo);
    assert.equal(w?.offset, l.offset);
    assert.match(w?.message ?? '', l.reason);
    assert.equal(w?.fatal, STOPPED.test(w?.message ?? ''));
  });
}

test('a pcap captured length of 0 mid-file: the next bytes are read as a record header, as tshark does', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const dir = scratchDir(t);
  const l = lie(PCAP, 4, 'captured length', () => 0, /./, 'zero');
  const path = join(dir, 'zero.pcap');
  writeFileSync(path, l.bytes);
  await checkAllCommands(t, path, tsharkFrames(path), new RegExp(`^imscap: warning: ${escapeRegExp(path)}: frame 5, offset \\d+: `));
});

test('a pcap captured length off by -1 mid-file: frames as tshark reads them, one warning', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const dir = scratchDir(t);
  const l = lie(PCAP, 4, 'captured length', (n) => n - 1, /./, 'minus one');
  const path = join(dir, 'minus-one.pcap');
  writeFileSync(path, l.bytes);
  await checkAllCommands(t, path, tsharkFrames(path), new RegExp(`^imscap: warning: ${escapeRegExp(path)}: frame 5, offset \\d+: `));
});

test('a capture cut inside every record: the frames before the cut, a warning naming the cut frame and offset', async (t) => {
  for (const [format, base] of [
    ['pcap', PCAP],
    ['pcapng', PCAPNG],
  ] as const) {
    const packets = captureLayout(base).records.filter((r) => r.kind === 'packet');
    for (const [i, r] of packets.entries()) {
      for (const cut of [r.offset + 1, r.offset + 15, r.offset + r.length - 1]) {
        const dir = scratchDir(t);
        const path = join(dir, `cut.${format}`);
        writeFileSync(path, base.subarray(0, cut));
        const frameNo = i + 1;
        const at = `offset ${r.offset}: capture ends mid-record at offset ${r.offset}`;
        // A pcapng cut before the 12-byte block header is whole cannot tell which block it cut.
        const expected = format === 'pcapng' && cut - r.offset < 12 ? `${at} (block header incomplete)` : `frame ${frameNo}, ${at} (frame ${frameNo} incomplete)`;
        await checkAllCommands(t, path, i, new RegExp(`^imscap: warning: ${escapeRegExp(path)}: ${escapeRegExp(expected)}$`));
      }
    }
  }
});

test('a gzip-compressed capture cut short: the frames it holds and a warning, exit 0', async (t) => {
  const z = gzipSync(PCAP, { level: 0 });
  const dir = scratchDir(t);
  const path = join(dir, 'cut.pcap.gz');
  // Stored blocks (level 0) keep the capture bytes in order: the cut falls inside frame 4.
  const frame4 = packetRecord(captureLayout(PCAP), 4);
  writeFileSync(path, z.subarray(0, 10 + 5 + frame4.offset + 20));
  await checkAllCommands(t, path, 3, new RegExp(`^imscap: warning: ${escapeRegExp(path)}: frame 4, offset ${frame4.offset}: capture ends mid-record`));
});

test('pcapng block lengths that leave out the padding are read as tshark reads them (rounded up to 4)', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const dir = scratchDir(t);
  for (const name of ['block length', 'trailing block length']) {
    const l = lie(PCAPNG, 3, name, (n) => n - 1, /./, name);
    const path = join(dir, 'unpadded.pcapng');
    writeFileSync(path, l.bytes);
    const info = JSON.parse((await imscap('info', path, '--format', 'json')).out) as { frames: number };
    assert.equal(info.frames, tsharkFrames(path), name);
  }
});
