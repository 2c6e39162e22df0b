// Start-up cost: registering the commands (what `imscap --help`, `imscap --version` and every
// `imscap <cmd> --help` load) must not pull in the pipeline, the decoders, the analyzers or the
// reports; each command loads its <command>-action module only when it runs. A child process
// records every module URL the ESM loader resolves (a module.register resolve hook) while it
// imports main.ts and shows the help of each command, then the list is checked against the
// few light modules registration may use. No timings: only which modules load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relative } from 'node:path';
import { DEFAULT_MAX_OPEN_CALLS } from '../../src/cli/calls.js';
import { DEFAULT_MAX_OPEN_CALLS as TRACKER_DEFAULT_MAX_OPEN_CALLS } from '../../src/analysis/dialogs.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Files outside src/cli that registering the commands may load: leaf modules of a few lines. */
const LIGHT_MODULES = new Set([
  'src/capture/capture-error.ts', // CaptureError, for main's error mapping
  'src/output/atomic-file.ts', // OutputExistsError, OutputDirectoryError (node built-ins only)
  'src/analysis/sdp-audit/rules.ts', // the rule ids audit-sdp --help lists
  'src/report/findings.ts', // parseSeverity, for --fail-on
  'src/protocols/aka/sqn.ts', // DEFAULT_IND_BITS, the default of --ind-bits
  'src/protocols/aka/types.ts',
  'src/decode-error.ts',
]);

/** src/cli modules that do a command's work: loaded only when a command runs. */
const WORK_MODULES = /^src\/cli\/(.*-action|capture-pass|progress|terminal|subscribers)\.ts$/;

/** The runtime dependencies of imscap that registration may load. */
const LIGHT_PACKAGES = new Set(['commander']);
const RUNTIME_PACKAGES = ['chalk', 'cli-table3', 'commander', 'sdp-transform'];

const HOOKS = `
const seen = [];
export async function resolve(specifier, context, next) {
  if (specifier === 'imscap-test:loaded') {
    return { url: 'data:text/javascript,export default ' + encodeURIComponent(JSON.stringify(seen)), shortCircuit: true };
  }
  const result = await next(specifier, context);
  seen.push(result.url);
  return result;
}
`;

function childScript(mainUrl: string): string {
  return `
import { register } from 'node:module';
import { Command } from 'commander';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), import.meta.url);
const { main } = await import(${JSON.stringify(mainUrl)});
const { COMMANDS } = await import(${JSON.stringify(new URL('src/cli/commands.ts', pathToFileURL(repoRoot)).href)});
const io = { stdout: () => undefined, stderr: () => undefined };
const codes = [await main(['--version'], io), await main(['--help'], io)];
const program = new Command();
for (const register of COMMANDS) register(program, () => undefined);
const names = program.commands.map((c) => c.name());
for (const name of names) codes.push(await main([name, '--help'], io));
codes.push(await main(['info'], io));
const { default: loaded } = await import('imscap-test:loaded');
process.stdout.write(JSON.stringify({ names, codes, loaded }));
`;
}

interface ChildReport {
  readonly names: string[];
  readonly codes: number[];
  readonly loaded: string[];
}

function loadedAtRegistration(): ChildReport {
  const mainUrl = new URL('src/cli/main.ts', pathToFileURL(repoRoot)).href;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', childScript(mainUrl)], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildReport;
}

test('registering every command loads no pipeline, decoder, analyzer, report or heavy package', () => {
  const report = loadedAtRegistration();
  // The child really went through main: --version, --help, each command's --help, a usage error.
  assert.ok(report.names.includes('info') && report.names.includes('decode'), `commands: ${report.names.join(', ')}`);
  assert.deepEqual(report.codes, [0, 0, ...report.names.map(() => 0), 2]);

  const files = [...new Set(report.loaded.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)))];
  const ours = files.map((f) => relative(repoRoot, f).split('\\').join('/')).filter((f) => f.startsWith('src/'));
  assert.ok(ours.includes('src/cli/main.ts') && ours.includes('src/cli/info.ts'), `the hook saw: ${ours.join(', ')}`);
  const heavy = ours.filter((f) => (f.startsWith('src/cli/') ? WORK_MODULES.test(f) : !LIGHT_MODULES.has(f)));
  assert.deepEqual(heavy, [], 'modules loaded just to register the commands (load them from the <command>-action module instead)');

  const packages = RUNTIME_PACKAGES.filter((p) => files.some((f) => f.includes(`/node_modules/${p}/`)));
  assert.deepEqual(packages.filter((p) => !LIGHT_PACKAGES.has(p)), [], 'runtime packages loaded just to register the commands');
  assert.ok(packages.includes('commander'), 'the hook saw commander');
});

test('the --max-open-calls default of calls and flow is the dialog tracker default', () => {
  assert.equal(DEFAULT_MAX_OPEN_CALLS, TRACKER_DEFAULT_MAX_OPEN_CALLS);
});
