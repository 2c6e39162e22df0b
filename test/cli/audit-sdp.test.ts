// `imscap audit-sdp`, run in-process through main(): exit codes for CI (0 clean, 1 at or above
// --fail-on, 2 usage or unreadable input), --rules, and each output format read back by an
// independent reader: XML parser for JUnit, the SARIF 2.1.0 JSON schema for SARIF.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCli } from '../support/run-cli.js';
import { repoRoot } from '../support/environment.js';
import { scratchDir } from '../fixtures/amr-frames.js';
import { SdpCall, amrNb, amrWb, telephoneEvent } from '../fixtures/sdp-call.js';

const Ajv4 = createRequire(import.meta.url)('ajv-draft-04') as { new (options: object): { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } } };

const RULE_COUNT = 12;

interface Frames {
  readonly invite: number;
  readonly answer: number;
}

/** The motivating call: AMR mode-set 0–7 offered, mode-set=7 answered (RFC 4867 §8.3.1). */
function brokenCall(t: TestContext, callId = 'broken@example.com'): { path: string; frames: Frames; callId: string } {
  const call = new SdpCall({ callId });
  const invite = call.request('caller', 'INVITE', 1, { body: call.sdp('caller', 1, [amrWb(104, 'mode-set=0,1,2,3,4,5,6,7,8'), amrNb(102, 'mode-set=0,1,2,3,4,5,6,7'), telephoneEvent(100, 8000)]) });
  const answer = call.response('callee', 200, 1, 'INVITE', { body: call.sdp('callee', 1, [amrNb(102, 'mode-set=7'), telephoneEvent(100, 8000)]) });
  call.request('caller', 'ACK', 1, { branch: 'z9hG4bK-ack-1' });
  return { path: call.write(t, 'broken.pcap'), frames: { invite, answer }, callId };
}

/** A compliant call, then (when asked) a second one with only a warning (telephone-event rate). */
function cleanCall(t: TestContext, withWarning = false): string {
  const call = new SdpCall({ callId: 'clean@example.com' });
  call.request('caller', 'INVITE', 1, { body: call.sdp('caller', 1, [amrWb(96, 'mode-set=0,1,2'), telephoneEvent(100, withWarning ? 8000 : 16000)]) });
  call.response('callee', 200, 1, 'INVITE', { body: call.sdp('callee', 1, [amrWb(96, 'mode-set=0,1,2'), telephoneEvent(100, withWarning ? 8000 : 16000)]) });
  call.request('caller', 'ACK', 1, { branch: 'z9hG4bK-ack-1' });
  call.amr('caller', { pt: 96, wideband: true, frameTypes: [2, 2, 1] });
  return call.write(t, withWarning ? 'warning.pcap' : 'clean.pcap');
}

test('a clean capture exits 0 with a text block per call and the summary line', async (t) => {
  const r = await runCli(['audit-sdp', cleanCall(t)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Call clean@example\.com /m);
  assert.match(r.stdout, /INVITE: offer frame 1 \(INVITE, caller\) → answer frame 2 \(200\), complete/);
  assert.match(r.stdout, /AMR-WB\/16000 PT 96 mode-set=0,1,2/);
  assert.equal(r.stdout.trimEnd().split('\n').at(-1), '0 findings (0 errors, 0 warnings) in 1 calls');
});

test('a finding at or above --fail-on exits 1; --fail-on never and a higher threshold exit 0', async (t) => {
  const { path, frames } = brokenCall(t);
  const r = await runCli(['audit-sdp', path]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, new RegExp(`error   mode-set-modified \\(frames ${frames.answer}, ${frames.invite}\\)`));
  assert.equal(r.stdout.trimEnd().split('\n').at(-1), '1 findings (1 errors, 0 warnings) in 1 calls');
  assert.equal((await runCli(['audit-sdp', path, '--fail-on', 'never'])).code, 0);

  const warning = cleanCall(t, true);
  assert.equal((await runCli(['audit-sdp', warning])).code, 0);
  assert.equal((await runCli(['audit-sdp', warning, '--fail-on', 'warning'])).code, 1);
  assert.equal((await runCli(['audit-sdp', warning, '--fail-on', 'note'])).code, 1);
});

test('--rules runs only the listed rules or disables the ones prefixed with -', async (t) => {
  const { path } = brokenCall(t);
  const off = await runCli(['audit-sdp', path, '--rules', '-mode-set-modified']);
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stdout, /0 findings/);
  const onlyOthers = await runCli(['audit-sdp', path, '--rules', 'mode-set-dropped,octet-align-mismatch', '--format', 'junit']);
  assert.equal(onlyOthers.code, 0);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(onlyOthers.stdout);
  assert.equal(doc.testsuites.tests, '2');
  const kept = await runCli(['audit-sdp', path, '--rules', 'mode-set-modified', '--rules', 'mode-set-dropped']);
  assert.equal(kept.code, 1);
});

test('an unknown rule, format or --fail-on, or an unreadable capture, exits 2 with nothing on stdout', async (t) => {
  const { path } = brokenCall(t);
  const unknown = await runCli(['audit-sdp', path, '--rules', 'mode-set-modified,no-such-rule']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, '');
  assert.match(unknown.stderr, /'no-such-rule'/);
  // The message lists every valid id.
  for (const id of ['mode-set-modified', 'frame-type-outside-mode-set', 'cmr-outside-mode-set', 'octet-align-mismatch']) assert.ok(unknown.stderr.includes(id), id);
  assert.equal((await runCli(['audit-sdp', path, '--format', 'xml'])).code, 2);
  assert.equal((await runCli(['audit-sdp', path, '--fail-on', 'fatal'])).code, 2);
  const dir = scratchDir(t);
  const missing = await runCli(['audit-sdp', join(dir, 'absent.pcap')]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stdout, '');
  const junk = join(dir, 'junk.pcap');
  writeFileSync(junk, 'this is not a capture file at all');
  assert.equal((await runCli(['audit-sdp', junk])).code, 2);
});

test('JUnit: well-formed XML, one suite per call, one case per rule, the failure carries message and frames', async (t) => {
  const broken = brokenCall(t);
  const r = await runCli(['audit-sdp', broken.path, '--format', 'junit']);
  assert.equal(r.code, 1);
  assert.equal(XMLValidator.validate(r.stdout), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(r.stdout);
  const suites = doc.testsuites.testsuite as { name: string; tests: string; failures: string; testcase: { name: string; classname: string; failure?: { message: string; type: string; '#text': string } }[] }[];
  assert.deepEqual(suites.map((s) => s.name), [broken.callId]);
  assert.equal(suites[0]!.testcase.length, RULE_COUNT);
  assert.equal(doc.testsuites.tests, String(RULE_COUNT));
  assert.equal(doc.testsuites.failures, '1');
  const failing = suites[0]!.testcase.filter((c) => c.failure !== undefined);
  assert.equal(failing.length, 1);
  assert.equal(failing[0]!.name, `mode-set-modified: ${broken.callId}`);
  assert.equal(failing[0]!.failure!.type, 'mode-set-modified');
  assert.match(failing[0]!.failure!.message, /mode-set=7/);
  assert.match(failing[0]!.failure!['#text'], new RegExp(`frames ${broken.frames.answer}, ${broken.frames.invite}`));
});

test('SARIF: valid against the 2.1.0 schema, imscap/ rule ids, frames and Call-ID in properties, stable fingerprints', async (t) => {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const validate = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
  const broken = brokenCall(t);
  const first = await runCli(['audit-sdp', broken.path, '--format', 'sarif']);
  assert.equal(first.code, 1);
  const log = JSON.parse(first.stdout);
  assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 1));
  const run = log.runs[0];
  assert.equal(run.tool.driver.rules.length, RULE_COUNT);
  assert.ok(run.tool.driver.rules.every((r: { id: string }) => r.id.startsWith('imscap/')));
  assert.equal(run.artifacts[0].location.uri, `file://${broken.path}`);
  assert.equal(run.results.length, 1);
  const result = run.results[0];
  assert.equal(result.ruleId, 'imscap/mode-set-modified');
  assert.equal(result.level, 'error');
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'imscap/mode-set-modified');
  assert.deepEqual(result.properties.frames, [broken.frames.answer, broken.frames.invite]);
  assert.equal(result.properties.callId, broken.callId);
  const again = JSON.parse((await runCli(['audit-sdp', broken.path, '--format', 'sarif', '--fail-on', 'never'])).stdout);
  assert.deepEqual(again.runs[0].results[0].partialFingerprints, result.partialFingerprints);
  const other = JSON.parse((await runCli(['audit-sdp', brokenCall(t, 'other@example.com').path, '--format', 'sarif'])).stdout);
  assert.notDeepEqual(other.runs[0].results[0].partialFingerprints, result.partialFingerprints);
});

test('JSON: the summary counts the findings by severity, with the negotiations of each call', async (t) => {
  const broken = brokenCall(t);
  const r = await runCli(['audit-sdp', broken.path, '--format', 'json']);
  const doc = JSON.parse(r.stdout) as {
    summary: { findings: number; errors: number; warnings: number; calls: number };
    calls: { callId: string; negotiations: { offerFrameNo: number; answerFrameNo: number }[]; findings: { ruleId: string; frames: number[] }[] }[];
  };
  assert.deepEqual(doc.summary, { findings: 1, errors: 1, warnings: 0, notes: 0, calls: 1 });
  assert.equal(doc.calls[0]!.callId, broken.callId);
  assert.deepEqual(doc.calls[0]!.negotiations.map((n) => [n.offerFrameNo, n.answerFrameNo]), [[broken.frames.invite, broken.frames.answer]]);
  assert.deepEqual(doc.calls[0]!.findings.map((f) => f.ruleId), ['mode-set-modified']);
});

test('-o writes the report to a file, never replacing one without --force', async (t) => {
  const broken = brokenCall(t);
  const out = join(scratchDir(t), 'audit.xml');
  const r = await runCli(['audit-sdp', broken.path, '--format', 'junit', '-o', out]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(XMLValidator.validate(readFileSync(out, 'utf8')), true);
  writeFileSync(out, 'keep me');
  assert.equal((await runCli(['audit-sdp', broken.path, '-o', out])).code, 2);
  assert.equal(readFileSync(out, 'utf8'), 'keep me');
  assert.equal((await runCli(['audit-sdp', broken.path, '-o', out, '--force', '--format', 'json'])).code, 1);
  assert.ok(existsSync(out));
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).summary.errors, 1);
});
