// The readers against independent tools on real captures: capinfos counts, tshark per-frame
// fields, and editcap conversions between pcap, nanosecond pcap and pcapng.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { corpusCaptures, corpusFile, needTools } from '../support/environment.js';
import { collect, epoch, type KeptFrame } from './collect.js';

const run = promisify(execFile);

async function tool(cmd: string, args: string[]): Promise<string> {
  const { stdout } = await run(cmd, args, { maxBuffer: 64 << 20 });
  return stdout;
}


function scratchDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-oracle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('every corpus capture has the frame count capinfos reports, without a fatal warning', async (t) => {
  if (!needTools(t, 'capinfos')) return;
  const paths = corpusCaptures(t);
  if (paths === undefined) return;
  assert.ok(paths.length >= 30);
  const out = await tool('capinfos', ['-T', '-r', '-c', '-M', ...paths]);
  const counts = new Map(out.trim().split('\n').map((l) => l.split('\t') as [string, string]));
  for (const path of paths) {
    const { summary } = await collect(path);
    assert.equal(String(summary.frames), counts.get(path), path);
    assert.deepEqual(summary.warnings.filter((w) => w.fatal), [], path);
  }
});

const fields = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_id'];

function asTsharkLine(f: KeptFrame, withInterface: boolean): string {
  return [f.frameNo, epoch(f), f.origLen, f.bytes.length, withInterface ? f.interfaceId : ''].join('\t');
}

test('per-frame number, timestamp, length and captured length agree with tshark', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const names = [
    'magma__gx_gy_combined_03_210505_132953-1.pcapng',
    'magma__inbound_roaming_01_210505_130828-1.pcapng',
    'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng',
    'tcpdump__tcp-handshake-nano.pcap',
    'zeek__trunc-hdr.pcap',
    'tcpdump__ip6_frag_asan.pcap',
  ];
  const paths = names.map((n) => corpusFile(t, n));
  if (paths.some((p) => p === undefined)) return;
  await Promise.all(
    (paths as string[]).map(async (path) => {
      const pcapng = path.endsWith('.pcapng');
      const tshark = await tool('tshark', ['-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]);
      const { frames, summary } = await collect(path);
      assert.ok(frames.length > 0, path);
      assert.deepEqual(
        frames.map((f) => asTsharkLine(f, pcapng)),
        tshark.split('\n').filter((l) => l !== ''),
        path,
      );
      if (path.includes('magma__')) assert.equal(summary.interfaces.length, 9, path);
    }),
  );
});

test('editcap conversions (pcap ⇄ nanosecond pcap ⇄ pcapng) read back as the same frames', async (t) => {
  if (!needTools(t, 'editcap')) return;
  const names = ['zeek__wireshark.pcap', 'tcpdump__tcp-handshake-nano.pcap', 'magma__inbound_roaming_01_210505_130828-1.pcapng', 'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap'];
  const paths = names.map((n) => corpusFile(t, n));
  if (paths.some((p) => p === undefined)) return;
  const dir = scratchDir(t);
  for (const [i, path] of (paths as string[]).entries()) {
    const original = await collect(path);
    for (const format of ['pcapng', 'nsecpcap', 'pcap']) {
      const out = join(dir, `${i}.${format}`);
      await tool('editcap', ['-F', format, path, out]);
      const converted = await collect(out);
      assert.deepEqual(converted.summary.warnings, [], `${path} as ${format}`);
      assert.equal(converted.summary.format, format === 'pcapng' ? 'pcapng' : 'pcap');
      assert.equal(converted.frames.length, original.frames.length, `${path} as ${format}`);
      const nsLost = format === 'pcap' && original.summary.interfaces.some((x) => x.tsResolution === 'ns');
      for (const [k, f] of converted.frames.entries()) {
        const o = original.frames[k]!;
        assert.equal(f.frameNo, o.frameNo);
        assert.equal(f.origLen, o.origLen);
        assert.equal(f.linkType, o.linkType);
        assert.deepEqual(f.bytes, o.bytes, `${path} as ${format} frame ${f.frameNo}`);
        assert.equal(f.tsSec, o.tsSec);
        assert.equal(f.tsNsec, nsLost ? Math.floor(o.tsNsec / 1000) * 1000 : o.tsNsec, `${path} as ${format} frame ${f.frameNo}`);
      }
    }
  }
});

test('timestamps shifted past 2038 by editcap stay unsigned and match tshark', async (t) => {
  if (!needTools(t, 'editcap', 'tshark')) return;
  const path = corpusFile(t, 'zeek__wireshark.pcap');
  if (path === undefined) return;
  const dir = scratchDir(t);
  // The capture is from the 2000s: two billion seconds later is past 2^31 (2038), before 2^32 (2106).
  for (const format of ['pcap', 'pcapng']) {
    const out = join(dir, `late.${format}`);
    await tool('editcap', ['-F', format, '-t', '2000000000', path, out]);
    const tshark = await tool('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len']);
    const { frames, summary } = await collect(out);
    assert.ok((summary.firstTs ?? 0) > 2 ** 31);
    assert.deepEqual(
      frames.map((f) => [f.frameNo, epoch(f), f.origLen, f.bytes.length].join('\t')),
      tshark.split('\n').filter((l) => l !== ''),
      format,
    );
  }
});

test('captures built by the test fixture writer are read identically by capinfos', async (t) => {
  if (!needTools(t, 'capinfos')) return;
  const { writePcap, writePcapng, writeCaptureFile } = await import('../fixtures/capture-writer.js');
  const dir = scratchDir(t);
  const frame = (n: number) => new Uint8Array(64).fill(n);
  const files = [
    writeCaptureFile(join(dir, 'us-be.pcap'), writePcap([{ bytes: frame(1), tsSec: 1_000_000_000, tsNsec: 1000 }, { bytes: frame(2), tsSec: 2_000_000_000, tsNsec: 999_999_000 }], { bigEndian: true })),
    writeCaptureFile(join(dir, 'ns-le.pcap'), writePcap([{ bytes: frame(1), tsSec: 1_000_000_000, tsNsec: 1 }, { bytes: frame(2), tsSec: 2_000_000_000, tsNsec: 999_999_999 }], { nanosecond: true })),
    writeCaptureFile(
      join(dir, 'two.pcapng'),
      writePcapng([
        { interfaces: [{ linkType: 1, tsResol: 9 }], records: [{ bytes: frame(1), tsSec: 1_000_000_000, tsNsec: 5 }] },
        { bigEndian: true, interfaces: [{ linkType: 1 }], records: [{ bytes: frame(2), tsSec: 2_000_000_000, tsNsec: 7000 }] },
      ]),
    ),
  ];
  // -S: start and end as seconds since the epoch; -c: packet count.
  const out = await tool('capinfos', ['-T', '-r', '-c', '-S', '-a', '-e', ...files]);
  for (const line of out.trim().split('\n')) {
    const [file, count, first, last] = line.split('\t');
    const { summary } = await collect(file!);
    assert.equal(String(summary.frames), count, file);
    assert.equal(summary.firstTs?.toFixed(6), Number(first).toFixed(6), file);
    assert.equal(summary.lastTs?.toFixed(6), Number(last).toFixed(6), file);
  }
});
