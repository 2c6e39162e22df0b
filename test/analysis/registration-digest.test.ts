// Fixed-line registrations with plain Digest-MD5 (RFC 2617, no AKA, no IPsec, no Cx) built here,
// and how the report groups REGISTERs: credentials replace a From-derived identity, hop copies
// fold into one transaction, several UEs stay apart, and the registration cap is counted.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { runPass } from '../../src/pipeline/pass.js';
import { RegistrationAnalyzer, type RegistrationAnalyzerOptions } from '../../src/analysis/registration/registrations.js';
import type { RegistrationReport } from '../../src/analysis/registration/types.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { ImsScenario, mergedPcap, type NetworkSpec } from '../fixtures/ims-scenario.js';

const FIXED_LINE: Partial<NetworkSpec> = {
  realm: 'voip.example.net',
  pcscf: { ip: '198.51.100.10', mwIp: '198.51.100.10', sipPort: 5060, sa: { spiC: 1, spiS: 2, portC: 5100, portS: 5101 } },
};

async function analyse(t: TestContext, bytes: Uint8Array, options?: RegistrationAnalyzerOptions): Promise<RegistrationReport> {
  const analyzer = new RegistrationAnalyzer(options);
  await runPass(tempCaptureFile(t, 'digest.pcap', bytes), analyzer.handlers());
  return analyzer.finish();
}

function fixedLine(ip = '192.0.2.10', imsi = '4930123456'): ImsScenario {
  return new ImsScenario({ ue: { ip, imsi, msisdn: '4930123456', password: 'open sesame', userAgent: 'Linphone/5.2.0 (belle-sip/5.2.0)' }, network: FIXED_LINE });
}

test('Digest-MD5 fixed-line registration: challenge, answer, expiry, no security agreement', async (t) => {
  const s = fixedLine();
  const reg = s.register({ at: 1, auth: 'Digest-MD5', expires: 1800, grant: 900 });
  const report = await analyse(t, s.pcap());
  assert.equal(report.registrations.length, 1);
  const r = report.registrations[0]!;

  // The first REGISTER names the user only in From; the answer's credentials name the IMPI.
  assert.equal(r.impi?.value, reg.impi);
  assert.equal(r.impi?.source, 'Authorization username');
  assert.equal(r.impi?.frame, reg.frames.register[1]);
  assert.equal(r.state, 'registered');
  const p = r.procedures[0]!;
  assert.deepEqual([p.kind, p.outcome], ['initial', 'success']);
  assert.deepEqual(p.steps.map((x) => x.sightings.map((y) => y.frame)), [[reg.frames.register[0]], [reg.frames.challenge[0]], [reg.frames.register[1]], [reg.frames.final]]);
  assert.ok(p.steps.every((x) => x.sightings.every((y) => y.hop === 'ue' && y.espSpi === undefined)));
  assert.deepEqual(p.cx, []);

  const c = p.challenges[0]!;
  assert.equal(c.algorithm, 'Digest-MD5');
  assert.equal(c.realm, FIXED_LINE.realm);
  assert.equal(c.nonce.value, reg.challenges[0]!.nonce);
  assert.equal(c.aka, undefined);
  assert.equal(c.akaError, undefined);
  assert.deepEqual([c.answer?.frame, c.answer?.username, c.answer?.result, c.answer?.matchesXres], [reg.frames.register[1], reg.impi, 200, undefined]);
  assert.ok(c.answer?.response !== undefined && /^[0-9a-f]{32}$/.test(c.answer.response));

  assert.deepEqual([p.expiry.requested?.value, p.expiry.granted?.value], [1800, 900]);
  assert.ok(Math.abs((p.expiry.refreshBy ?? 0) - (reg.finalTs! + 450)) < 1e-6, 'a 900 s registration is refreshed half way');
  assert.deepEqual(r.security.negotiations, []);
  assert.equal(r.security.esp.readable, undefined);
  assert.equal(r.identities.userAgent?.value, 'Linphone/5.2.0 (belle-sip/5.2.0)');
  assert.equal(r.identities.device?.client, 'Linphone');
  assert.deepEqual(report.findings, []);
});

test('a wrong password: the registrar refuses with 403 and the registration failed', async (t) => {
  const s = fixedLine();
  const reg = s.register({ at: 1, auth: 'Digest-MD5', final: 403 });
  const report = await analyse(t, s.pcap());
  const r = report.registrations[0]!;
  assert.equal(r.state, 'failed');
  assert.deepEqual(r.procedures[0]!.final, { status: 403, reason: 'Forbidden', frame: reg.frames.final, ts: reg.finalTs });
  assert.deepEqual(report.findings.map((f) => [f.ruleId, f.severity, f.frames]), [['registration-failed', 'error', [reg.frames.final, reg.frames.register[0]]]]);
});

test('a REGISTER nobody answers, and a challenge the UE never answers, are incomplete', async (t) => {
  const a = fixedLine('192.0.2.10', '4930000001');
  const unanswered = a.register({ at: 1, auth: 'Digest-MD5', stopAfter: 'register' });
  const b = fixedLine('192.0.2.11', '4930000002');
  const unchallenged = b.register({ at: 2, auth: 'Digest-MD5', stopAfter: 'challenge' });
  const report = await analyse(t, mergedPcap(a, b));
  assert.deepEqual(report.registrations.map((r) => [r.ueAddress, r.state]), [['192.0.2.10', 'incomplete'], ['192.0.2.11', 'incomplete']]);
  const frames = report.findings.map((f) => [f.ruleId, f.message.includes('has no final response'), f.message.includes('never answered')]);
  assert.deepEqual(frames, [['registration-incomplete', true, false], ['registration-incomplete', false, true]]);
  // The merged capture renumbers frames: the two UEs' frames interleave in time order.
  assert.equal(unanswered.frames.register.length, 1);
  assert.equal(unchallenged.frames.challenge.length, 1);
});

test('several UEs stay apart, and registrations beyond the cap are counted', async (t) => {
  const ues = [fixedLine('192.0.2.21', '4930000021'), fixedLine('192.0.2.22', '4930000022'), fixedLine('192.0.2.23', '4930000023')];
  ues.forEach((s, i) => s.register({ at: 1 + i, auth: 'Digest-MD5' }));
  const all = await analyse(t, mergedPcap(...ues));
  assert.deepEqual(all.registrations.map((r) => [r.impi?.value, r.state]), ues.map((s) => [s.ue.imsi, 'registered']));
  assert.equal(all.droppedRegistrations, 0);
  const capped = await analyse(t, mergedPcap(...ues), { maxRegistrations: 2 });
  assert.equal(capped.registrations.length, 2);
  // Each UE sends two REGISTERs: the third UE's are counted, not analysed.
  assert.equal(capped.droppedRegistrations, 2);
});
