// Input that is not a readable capture: every capture command answers with one line on stderr,
// "imscap: <file>: <reason>", exit 2, nothing on stdout and no file written — never a stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writePcap } from '../fixtures/capture-writer.js';
import { repoRoot } from '../support/environment.js';
import { imscap, plainCommandLines, scratchDir, sipFrames, STACK_FRAME } from './support.js';

interface BadInput {
  readonly name: string;
  /** Makes the input inside `dir`; returns the path to give imscap. */
  make(dir: string): string;
  /** What follows "imscap: <path>: ". */
  readonly reason: RegExp;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
const validPcap = (): Uint8Array => writePcap(sipFrames(3).map((bytes) => ({ bytes })));

const CASES: readonly BadInput[] = [
  {
    name: 'not a capture (text)',
    make: (dir) => write(dir, 'notes.pcap', new TextEncoder().encode('hello, this is not a capture\n')),
    reason: new RegExp(`^not a pcap or pcapng file \\(starts with ${hex(new TextEncoder().encode('hell'))}\\)$`),
  },
  {
    name: 'not a capture (zip archive)',
    make: (dir) => write(dir, 'archive.pcap', Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0)),
    reason: /^not a pcap or pcapng file \(starts with 50 4b 03 04: a zip archive\)$/,
  },
  { name: 'empty file', make: (dir) => write(dir, 'empty.pcap', new Uint8Array(0)), reason: /^empty file$/ },
  {
    name: 'three bytes',
    make: (dir) => write(dir, 'short.pcap', validPcap().subarray(0, 3)),
    reason: /^not a pcap or pcapng file \(only 3 bytes\)$/,
  },
  {
    name: 'pcap file header cut short',
    make: (dir) => write(dir, 'header.pcap', validPcap().subarray(0, 10)),
    reason: /^pcap file header is truncated \(10 of 24 bytes\)$/,
  },
  {
    name: 'pcapng section header with an unknown byte-order magic',
    make: (dir) => write(dir, 'bom.pcapng', Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0)),
    reason: /^section header block at offset 0 has an unknown byte-order magic 01 02 03 04$/,
  },
  { name: 'missing file', make: (dir) => join(dir, 'absent.pcap'), reason: /^no such file$/ },
  {
    name: 'directory',
    make: (dir) => {
      const d = join(dir, 'captures.pcap');
      mkdirSync(d);
      return d;
    },
    reason: /^is a directory$/,
  },
  {
    name: 'a path through a file (ENOTDIR)',
    make: (dir) => join(write(dir, 'plain.pcap', validPcap()), 'inner.pcap'),
    reason: /^cannot be read \(ENOTDIR\)$/,
  },
  {
    name: 'gzip magic, then garbage',
    make: (dir) => write(dir, 'garbage.pcap.gz', Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9)),
    reason: /^gzip-compressed, but cannot be decompressed \(.+\)$/,
  },
  {
    name: 'gzip of something that is not a capture',
    make: (dir) => write(dir, 'text.pcap.gz', new Uint8Array(gzipSync('plain text, compressed'))),
    reason: new RegExp(`^gzip-compressed, but not a pcap or pcapng file inside \\(starts with ${hex(new TextEncoder().encode('plai'))}\\)$`),
  },
  {
    name: 'gzip of nothing',
    make: (dir) => write(dir, 'nothing.pcap.gz', new Uint8Array(gzipSync(new Uint8Array(0)))),
    reason: /^gzip-compressed, but holds no data$/,
  },
];

function write(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

for (const c of CASES) {
  test(`${c.name}: one-line error, exit 2, for every capture command`, async (t) => {
    const dir = scratchDir(t);
    const input = c.make(dir);
    for (const cmd of plainCommandLines(input, join(dir, 'out'))) {
      const r = await imscap(...cmd.argv);
      assert.equal(r.code, 2, `${cmd.name}: exit code (stderr: ${r.err})`);
      assert.equal(r.out, '', `${cmd.name}: nothing on stdout`);
      assert.doesNotMatch(r.err, STACK_FRAME, `${cmd.name}: no stack trace`);
      const prefix = `imscap: ${input}: `;
      assert.ok(r.err.startsWith(prefix) && r.err.endsWith('\n') && r.err.indexOf('\n') === r.err.length - 1, `${cmd.name}: one line naming the file, got ${JSON.stringify(r.err)}`);
      assert.match(r.err.slice(prefix.length, -1), c.reason, cmd.name);
      const out = join(dir, 'out');
      assert.deepEqual(existsSync(out) ? readdirSync(out) : [], [], `${cmd.name}: no file written`);
    }
  });
}

test('unreadable file: the read error is named, exit 2', async (t) => {
  // /proc/self/mem opens as a regular file but every read at offset 0 fails (EIO), even for root.
  if (process.platform !== 'linux') return t.skip('needs Linux /proc');
  const dir = scratchDir(t);
  for (const cmd of plainCommandLines('/proc/self/mem', join(dir, 'out'))) {
    const r = await imscap(...cmd.argv);
    assert.equal(r.code, 2, cmd.name);
    assert.match(r.err, /^imscap: \/proc\/self\/mem: cannot be read \(EIO[^\n]*\)\n$/, cmd.name);
  }
});

test('file without read permission: "permission denied", exit 2', async (t) => {
  const dir = scratchDir(t);
  const input = write(dir, 'secret.pcap', validPcap());
  chmodSync(input, 0o000);
  // Permission bits do not bind root (CI runs as root): the check only means something for others.
  if (process.getuid?.() === 0) return t.skip('running as root: permission bits are not enforced');
  for (const cmd of plainCommandLines(input, join(dir, 'out'))) {
    const r = await imscap(...cmd.argv);
    assert.equal(r.code, 2, cmd.name);
    assert.equal(r.err, `imscap: ${input}: permission denied (EACCES)\n`, cmd.name);
  }
});

test('an unknown option or a bad format value is a usage error: one line, exit 2', async (t) => {
  const dir = scratchDir(t);
  const input = write(dir, 'ok.pcap', validPcap());
  for (const cmd of plainCommandLines(input, join(dir, 'out'))) {
    const unknown = await imscap(...cmd.argv, '--no-such-option');
    assert.equal(unknown.code, 2, `${cmd.name}: unknown option`);
    assert.match(unknown.err, new RegExp(`^imscap: unknown option '--no-such-option'\\n$`), cmd.name);
    const format = await imscap(...cmd.argv.filter((a, i, all) => a !== '--format' && all[i - 1] !== '--format'), '--format', 'no-such-format');
    assert.equal(format.code, 2, `${cmd.name}: unknown format`);
    assert.match(format.err, new RegExp(`^imscap: unknown format 'no-such-format' \\(choose [a-z, ]+\\)\\n$`), cmd.name);
  }
});

test('an empty standard input: one-line error, exit 2', (t) => {
  const dir = scratchDir(t);
  const [cmd] = plainCommandLines('-', join(dir, 'out'));
  if (cmd === undefined) return;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...cmd.argv], { cwd: repoRoot, input: '', encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, `imscap: standard input: empty input\n`);
  assert.equal(r.stdout, '');
});

test('every capture command reports through the output sinks main is given, on a valid capture', async (t) => {
  // In-process callers (tests, the fuzz pass) give main their own sinks; a command that writes to
  // process.stdout instead bypasses them, and its report is lost to the caller.
  const dir = scratchDir(t);
  const input = write(dir, 'ok.pcap', validPcap());
  for (const cmd of plainCommandLines(input, join(dir, 'out'))) {
    const r = await imscap(...cmd.argv);
    assert.ok(r.code === 0 || r.code === 1, `${cmd.name}: ${r.err}`);
    assert.notEqual(r.out, '', `${cmd.name}: its report reaches the stdout sink`);
  }
});
