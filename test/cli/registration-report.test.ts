// `imscap registration-report`, run in-process through main(): the three formats (text with a
// header line per registration and [frame N] after every value, JSON read back, Markdown tables),
// the exit code (0 unless --fail-on asks; 2 for usage errors), -o, and a public capture whose
// values tshark confirms.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/run-cli.js';
import { corpusFile, needTools } from '../support/environment.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { ImsScenario, type RegisterOptions, type RegisterRecord } from '../fixtures/ims-scenario.js';

function scenario(t: TestContext, options: Partial<RegisterOptions> = {}): { path: string; s: ImsScenario; reg: RegisterRecord } {
  const s = new ImsScenario({ ue: { ip: '2001:db8:30:1::9', imsi: '001010000000003', msisdn: '15551230003' } });
  s.attach({ at: 0 });
  const reg = s.register({ at: 1, ...options });
  return { path: tempCaptureFile(t, 'cli.pcap', s.pcap()), s, reg };
}

test('text: a header line per registration, a timeline table, sections, every value with its frame', async (t) => {
  const { path, s, reg } = scenario(t);
  const r = await runCli(['registration-report', path]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], `IMS registration report — ${path}`);
  assert.ok(lines.includes(`Registration 1 — ${s.impi} — REGISTERED — initial registration ok — registered until ${new Date((reg.finalTs! + 3600) * 1000).toISOString().slice(0, 19)}.${String(Math.round(((reg.finalTs! + 3600) % 1) * 1e6)).padStart(6, '0')}Z`), r.stdout);
  for (const section of ['Timeline', 'Kind', 'Expiry', 'Authentication', 'Security agreement', 'Identities and device', 'Routing', 'Access and bearer', 'Findings']) {
    assert.ok(lines.includes(`  ${section}`), `section ${section}`);
  }
  const v = reg.challenges[0]!.aka!;
  assert.match(r.stdout, new RegExp(`nonce +${v.nonce.replace(/[+/=]/g, (c) => `\\${c}`)} \\(WWW-Authenticate nonce\\) \\[frame ${reg.frames.challenge[0]}\\]`));
  assert.match(r.stdout, new RegExp(`RAND +${v.rand}`));
  assert.match(r.stdout, new RegExp(`AUTN +${v.autn} = SQN⊕AK ${v.sqnXorAk} · AMF ${v.amf} \\(separation bit set\\) · MAC ${v.mac}`));
  assert.match(r.stdout, new RegExp(`XRES +${v.res} \\(MAA SIP-Authorization \\(XRES\\)\\) \\[frame ${reg.frames.maa[0]}\\]`));
  assert.match(r.stdout, /The nonce carries RAND/);
  assert.match(r.stdout, new RegExp(`granted +3600 s \\(Contact expires in the 200 OK\\) \\[frame ${reg.frames.final}\\]`));
  // A timeline row: the 200 OK on the UE hop and on Mw, inside ESP on the UE's spi-c.
  assert.match(r.stdout, new RegExp(`200 OK \\(CSeq \\d+\\) +${reg.frames.final} +${reg.frames.finalMw} +ESP 0x${reg.sa!.ue.spiC.toString(16).padStart(8, '0')}`));
});

test('json: the complete structure, with frames, parses and holds the values put into the capture', async (t) => {
  const { path, s, reg } = scenario(t);
  const r = await runCli(['registration-report', path, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    report: string;
    capture: string;
    summary: { registrations: number; findings: number; states: Record<string, number> };
    registrations: { impi: { value: string; frame: number }; procedures: { challenges: { aka: { rand: string; autn: string }; ik: { value: string; frame: number }[] }[] }[] }[];
    rules: { id: string }[];
    sqn: { report: string };
  };
  assert.equal(doc.report, 'registration');
  assert.equal(doc.capture, path);
  assert.deepEqual(doc.summary.states, { registered: 1 });
  assert.deepEqual([doc.registrations[0]!.impi.value, doc.registrations[0]!.impi.frame], [s.impi, reg.frames.register[0]]);
  const c = doc.registrations[0]!.procedures[0]!.challenges[0]!;
  assert.deepEqual([c.aka.rand, c.aka.autn], [reg.challenges[0]!.aka!.rand, reg.challenges[0]!.aka!.autn]);
  assert.ok(c.ik.some((f) => f.value === reg.challenges[0]!.aka!.ik && f.frame === reg.frames.challengeMw[0]));
  for (const id of ['registration-failed', 'registration-incomplete', 'repeated-401', 'expires-below-min', 'integrity-without-sec-agree', 'esp-spi-not-negotiated', 'service-route-not-used', 'sqn-resync-loop']) {
    assert.ok(doc.rules.some((x) => x.id === id), `rule ${id}`);
  }
  assert.equal(doc.sqn.report, 'sqn-resync');
});

test('markdown: a heading per registration, the timeline and question/answer tables, findings listed', async (t) => {
  const { path, s, reg } = scenario(t, { challenges: 2 });
  const r = await runCli(['registration-report', path, '-f', 'markdown']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^## Registration 1 — ${s.impi.replace(/\./g, '\\.')} — REGISTERED`, 'm'));
  assert.match(r.stdout, /^\| procedure \| outcome \| time \| message \| frames \|$/m);
  assert.match(r.stdout, /^\| Question \| Answer \|$/m);
  assert.match(r.stdout, new RegExp(`^\\| IMPI \\| ${s.impi.replace(/\./g, '\\.')} \\(Authorization username\\) \\\\\\[frame ${reg.frames.register[0]}\\\\\\] \\|$`, 'm'));
  assert.match(r.stdout, new RegExp(`^- \\*\\*warning\\*\\* \`repeated-401\` \\(frames ${reg.frames.challenge[1]}, ${reg.frames.register[0]}\\)`, 'm'));
});

test('exit code: 0 by default even when a registration failed; 1 when --fail-on reaches a finding; 2 for usage errors', async (t) => {
  const { path } = scenario(t, { final: 403 });
  const plain = await runCli(['registration-report', path]);
  assert.equal(plain.code, 0);
  assert.match(plain.stdout, /error   registration-failed/);
  assert.equal((await runCli(['registration-report', path, '--fail-on', 'error'])).code, 1);
  assert.equal((await runCli(['registration-report', path, '--fail-on', 'never'])).code, 0);

  const clean = scenario(t).path;
  assert.equal((await runCli(['registration-report', clean, '--fail-on', 'note'])).code, 0);
  // --min-expires turns the granted 3600 s into a warning.
  const low = await runCli(['registration-report', clean, '--min-expires', '7200', '--fail-on', 'warning']);
  assert.equal(low.code, 1);
  assert.match(low.stdout, /warning expires-below-min/);
  assert.equal((await runCli(['registration-report', clean, '--min-expires', '7200', '--fail-on', 'error'])).code, 0);

  for (const bad of [['--format', 'yaml'], ['--fail-on', 'sometimes'], ['--min-expires', '-5'], ['--max-registrations', '0']]) {
    const r = await runCli(['registration-report', clean, ...bad]);
    assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^imscap: /);
  }
  assert.equal((await runCli(['registration-report', join(dirname(clean), 'missing.pcap')])).code, 2);
});

test('-o writes the report to a file and nothing to stdout', async (t) => {
  const { path } = scenario(t);
  const out = join(dirname(path), 'report.md');
  const r = await runCli(['registration-report', path, '-f', 'markdown', '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(readFileSync(out, 'utf8'), /^# IMS registration report/);
  assert.equal((await runCli(['registration-report', path, '-o', out])).code, 2, 'an existing file is not replaced without --force');
});

test('on zeek wireshark.pcap the text report shows the nonces tshark reads, and --fail-on error exits 1 (403)', async (t) => {
  const path = corpusFile(t, 'zeek__wireshark.pcap');
  if (path === undefined || !needTools(t, 'tshark')) return;
  const out = spawnSync('tshark', ['-r', path, '-Y', 'sip.Status-Code == 401 && sip.CSeq.method == "REGISTER"', '-T', 'fields', '-e', 'frame.number', '-e', 'sip.auth.nonce'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  const r = await runCli(['registration-report', path, '--fail-on', 'error']);
  assert.equal(r.code, 1);
  const challenges = out.stdout.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t') as [string, string]);
  assert.ok(challenges.length > 0);
  for (const [frame, nonce] of challenges) {
    assert.ok(r.stdout.includes(`nonce           ${nonce.replaceAll('"', '')} (WWW-Authenticate nonce) [frame ${frame}]`), `nonce of frame ${frame}`);
  }
});
