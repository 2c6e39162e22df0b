import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createRequire } from 'node:module';
import { renderJunit } from '../../src/report/junit.js';
import { renderSarif, findingFingerprint } from '../../src/report/sarif.js';
import type { Finding, RuleDescription } from '../../src/report/findings.js';
import { repoRoot } from '../support/environment.js';

const Ajv4 = createRequire(import.meta.url)('ajv-draft-04') as { new (options: object): { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } } };

const rules: RuleDescription[] = [
  { id: 'mode-set-modified', severity: 'error', summary: 'answer changed the mode-set', reference: 'RFC 4867 §8.3.1' },
  { id: 'octet-align-mismatch', severity: 'warning', summary: 'octet-align differs', reference: 'RFC 4867 §8.3.1' },
];
const findings: Finding[] = [
  { ruleId: 'mode-set-modified', severity: 'error', message: 'offer mode-set=0,1,2 answered mode-set=7 <&"\u0001>', frames: [12, 15], callId: 'abc@host', subject: 'abc@host' },
];

test('JUnit output is well-formed XML with one case per subject and rule', () => {
  const xml = renderJunit({ name: 'audit-sdp', subjects: ['abc@host', 'clean@host'], rules, findings });
  assert.equal(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  assert.equal(doc.testsuites.tests, '4');
  assert.equal(doc.testsuites.failures, '1');
  const suites = doc.testsuites.testsuite as { name: string; testcase: { name: string; failure?: { message: string } }[] }[];
  assert.deepEqual(suites.map((s) => s.name), ['abc@host', 'clean@host']);
  const failing = suites[0]!.testcase.filter((c) => c.failure);
  assert.equal(failing.length, 1);
  assert.match(failing[0]!.name, /^mode-set-modified/);
  assert.match(failing[0]!.failure!.message, /answered mode-set=7/);
  assert.equal(suites[1]!.testcase.filter((c) => c.failure).length, 0);
});

test('SARIF output validates against the SARIF 2.1.0 schema and keeps frames and Call-ID', () => {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  const text = renderSarif({ toolVersion: '0.1.0', captureUri: 'capture.pcap', rules, findings });
  const log = JSON.parse(text);
  assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 1));
  const result = log.runs[0].results[0];
  assert.equal(result.ruleId, 'imscap/mode-set-modified');
  assert.deepEqual(result.properties.frames, [12, 15]);
  assert.equal(result.properties.callId, 'abc@host');
  // A broken log must fail the same validator (the check can fail).
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: {} }] }), false);
});

test('SARIF fingerprints are stable and distinguish findings', () => {
  const a = findingFingerprint(findings[0]!);
  assert.equal(a, findingFingerprint({ ...findings[0]! }));
  assert.notEqual(a, findingFingerprint({ ...findings[0]!, frames: [13, 15] }));
});
