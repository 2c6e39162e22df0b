// Where output goes: an existing file is not replaced without --force (one line, exit 2, the
// file untouched); with --force it is; a report path in a missing directory or naming a
// directory is a one-line error; file names made from packet data (a Call-ID of "../../x")
// stay inside the output directory and use only safe characters; no temporary file remains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandVariant } from '../../scripts/fuzz/commands.js';
import { sipCallCapture } from '../../scripts/fuzz/synthetic.js';
import { captureCommands, imscap, lines, scratchDir, STACK_FRAME } from './support.js';

const OUT = 'OUTDIR';

/** Commands with a report-file option, as (name, argv builder) with the file as `report`. */
function reportFileLines(): Array<{ name: string; argv: (capture: string, report: string, force: boolean) => string[] }> {
  const out: Array<{ name: string; argv: (capture: string, report: string, force: boolean) => string[] }> = [];
  for (const c of captureCommands()) {
    const v = c.variants.find((x) => / FILE\b/.test(x.label) && !/ DIR\b/.test(x.label));
    if (v === undefined) continue;
    const template = v.argv('CAPTURE', OUT);
    const fileAt = template.findIndex((a) => a.startsWith(`${OUT}/`));
    out.push({
      name: c.name,
      argv: (capture, report, force) => {
        const argv = template.map((a, i) => (a === 'CAPTURE' ? capture : i === fileAt ? report : a));
        return force ? argv : argv.filter((a) => a !== '--force');
      },
    });
  }
  return out;
}

/** Commands that write files into an output directory. */
function directoryVariants(): Array<{ name: string; variant: CommandVariant }> {
  return captureCommands().flatMap((c) => {
    const v = c.variants.find((x) => / DIR\b/.test(x.label));
    return v === undefined ? [] : [{ name: c.name, variant: v }];
  });
}

function listTree(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [];
}

test('a report file that exists is kept without --force (one line, exit 2) and replaced with it', async (t) => {
  const commands = reportFileLines();
  if (commands.length === 0) return t.skip('no command writes a report file');
  const dir = scratchDir(t);
  const capture = join(dir, 'call.pcap');
  writeFileSync(capture, sipCallCapture('keep-1@x'));
  for (const c of commands) {
    const report = join(dir, `${c.name}-report.txt`);
    writeFileSync(report, 'keep me\n');
    const refused = await imscap(...c.argv(capture, report, false));
    assert.equal(refused.code, 2, `${c.name}: ${refused.err}`);
    assert.equal(refused.err, `imscap: ${report} exists (use --force to overwrite)\n`, c.name);
    assert.equal(readFileSync(report, 'utf8'), 'keep me\n', `${c.name}: untouched`);
    const forced = await imscap(...c.argv(capture, report, true));
    assert.ok(forced.code === 0 || forced.code === 1, `${c.name}: ${forced.err}`);
    assert.notEqual(readFileSync(report, 'utf8'), 'keep me\n', `${c.name}: replaced with --force`);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], `${c.name}: no temporary file`);
  }
});

test('a report file in a missing directory, or that is a directory: one line, exit 2, nothing created', async (t) => {
  const commands = reportFileLines();
  if (commands.length === 0) return t.skip('no command writes a report file');
  const dir = scratchDir(t);
  const capture = join(dir, 'call.pcap');
  writeFileSync(capture, sipCallCapture('missing-1@x'));
  const taken = join(dir, 'a-directory');
  mkdirSync(taken);
  for (const c of commands) {
    for (const [report, force] of [
      [join(dir, 'no', 'such', 'dir', 'report.txt'), true],
      [taken, false],
      [taken, true],
    ] as const) {
      const r = await imscap(...c.argv(capture, report, force));
      assert.equal(r.code, 2, `${c.name} ${report}: ${r.err}`);
      assert.equal(lines(r.err).length, 1, `${c.name}: ${r.err}`);
      assert.match(r.err, /^imscap: /, c.name);
      assert.doesNotMatch(r.err, STACK_FRAME, c.name);
      assert.ok(r.err.includes(report) || r.err.includes(join(dir, 'no')), `${c.name}: names the path: ${r.err}`);
    }
    assert.equal(existsSync(join(dir, 'no')), false, c.name);
    assert.ok(statSync(taken).isDirectory() && readdirSync(taken).length === 0, `${c.name}: the directory is untouched`);
    assert.deepEqual(listTree(dir).filter((f) => f.endsWith('.tmp')), [], c.name);
  }
});

const HOSTILE_CALL_IDS = ['../../../../escaped@x', '/etc/passwd@x', '..\\..\\windows@x', 'a/../../b%2f..%2f@x', '.hidden@x', `${'x'.repeat(5000)}@x`, 'nul\u0000byte/..@x', 'CON@x'];

test('files named from packet data stay inside the output directory, with safe names, never replaced without --force', async (t) => {
  const commands = directoryVariants();
  if (commands.length === 0) return t.skip('no command writes into an output directory');
  const root = scratchDir(t);
  for (const [i, callId] of HOSTILE_CALL_IDS.entries()) {
    const inputDir = join(root, `in-${i}`);
    mkdirSync(inputDir);
    const capture = join(inputDir, 'call.pcap');
    writeFileSync(capture, sipCallCapture(callId));
    for (const c of commands) {
      const out = join(root, `out-${i}-${c.name}`);
      const argv = c.variant.argv(capture, out);
      const first = await imscap(...argv);
      assert.ok(first.code === 0 || first.code === 1, `${c.name} ${JSON.stringify(callId)}: ${first.err}`);
      const written = listTree(out);
      assert.ok(written.length > 0, `${c.name}: the call's streams are written`);
      for (const f of written) {
        assert.match(f, /^[A-Za-z0-9._-]+$/, `${c.name} ${JSON.stringify(callId)}: file name ${JSON.stringify(f)}`);
        assert.ok(!f.startsWith('.'), `${c.name}: no hidden file ${f}`);
        assert.ok(f.length <= 255, `${c.name}: name fits a file system`);
        assert.ok(statSync(join(out, f)).isFile(), `${c.name}: ${f} is a file, not a directory`);
      }
      assert.deepEqual(readdirSync(inputDir), ['call.pcap'], `${c.name}: nothing beside the capture`);
      const expectedRoot = new Set([...HOSTILE_CALL_IDS.keys()].flatMap((k) => [`in-${k}`, ...commands.map((x) => `out-${k}-${x.name}`)]));
      assert.deepEqual(readdirSync(root).filter((f) => !expectedRoot.has(f)), [], `${c.name}: nothing beside the output directory`);

      // Run again without --force: the files exist, so the command refuses and keeps them.
      const before = new Map(written.map((f) => [f, readFileSync(join(out, f))]));
      const again = await imscap(...argv.filter((a) => a !== '--force'));
      assert.equal(again.code, 2, `${c.name}: refuses to replace: ${again.err}`);
      assert.match(again.err, /^imscap: .+ exists \(use --force to overwrite\)\n$/, c.name);
      for (const [f, bytes] of before) assert.deepEqual(readFileSync(join(out, f)), bytes, `${c.name}: ${f} untouched`);
      assert.deepEqual(listTree(out).sort(), written.sort(), `${c.name}: no temporary or extra file`);
    }
  }
});
