// Every command samples/README.md shows runs as written, in-process, with the exit code its
// comment states; every sample has a command; the main README's first command is one of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../fixtures/amr-frames.js';
import { repoRoot } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { cliArgs, readmeCommands, samplesDir } from './samples-support.js';

test('every command of samples/README.md exits as its comment says, with a report on stdout and nothing on stderr', async (t) => {
  const commands = readmeCommands();
  assert.ok(commands.length >= 8, `${commands.length} commands`);
  for (const command of commands) {
    const out = command.args.includes('--out') ? join(scratchDir(t), 'out') : undefined;
    const r = await runCli(cliArgs(command, out));
    assert.equal(r.code, command.exit, `${command.line}: exit ${r.code}\n${r.stderr}`);
    assert.equal(r.stderr, '', command.line);
    assert.ok(r.stdout.length > 0, `${command.line}: empty report`);
    if (out !== undefined) assert.ok(readdirSync(out).length > 0, `${command.line}: wrote no file`);
  }
});

test('every sample is used by a README command, and every command names a sample that exists', () => {
  const samples = readdirSync(samplesDir).filter((f) => f.endsWith('.pcap')).sort();
  const named = new Set(readmeCommands().flatMap((c) => c.args.filter((a) => a.startsWith('samples/')).map((a) => a.slice('samples/'.length))));
  assert.deepEqual([...named].sort(), samples);
});

test("the main README's first command is the sample README's extract-amr command", () => {
  const main = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const first = /node bin\/imscap\.js (extract-amr [^\n]*)/.exec(main)?.[1];
  assert.ok(first !== undefined, 'README.md runs extract-amr on a sample');
  assert.ok(readmeCommands().some((c) => c.args.join(' ') === first.trim()), first);
});

test('the first command of a fresh clone, as a process: node bin/imscap.js extract-amr on the sample call (after npm run build)', (t) => {
  if (!existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))) {
    t.skip('dist/ not built (npm test builds it first)');
    return;
  }
  const command = readmeCommands()[0];
  assert.ok(command !== undefined && command.args[0] === 'extract-amr', 'the README starts with extract-amr');
  const out = join(scratchDir(t), 'amr-out');
  const args = command.args.map((a, i) => (command.args[i - 1] === '--out' ? out : a));
  const r = spawnSync(process.execPath, [join('bin', 'imscap.js'), ...args], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(readdirSync(out).filter((f) => f.endsWith('.amr')).length, 2);
  assert.match(r.stdout, /AMR streams in samples\/volte-call\.pcap: 2/);
});
