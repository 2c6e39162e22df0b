// Each problem the registration report flags, on an IMS capture built here to have it (and the
// clean capture above has none): the finding's rule, severity and frames are the ones the
// scenario says the problem is in.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { runPass } from '../../src/pipeline/pass.js';
import { RegistrationAnalyzer, type RegistrationAnalyzerOptions } from '../../src/analysis/registration/registrations.js';
import type { RegistrationReport } from '../../src/analysis/registration/types.js';
import type { Finding } from '../../src/report/findings.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { ImsScenario, type UeSpec } from '../fixtures/ims-scenario.js';

const UE: UeSpec = { ip: '2001:db8:20:1::7', imsi: '001010000000002', msisdn: '15551230002' };

async function analyse(t: TestContext, s: ImsScenario, options?: RegistrationAnalyzerOptions): Promise<RegistrationReport> {
  const analyzer = new RegistrationAnalyzer(options);
  await runPass(tempCaptureFile(t, 'ims.pcap', s.pcap()), analyzer.handlers());
  return analyzer.finish();
}

function rule(report: RegistrationReport, ruleId: string): Finding[] {
  return report.findings.filter((f) => f.ruleId === ruleId);
}

test('a clean registration flags nothing', async (t) => {
  const s = new ImsScenario({ ue: UE });
  s.attach({ at: 0 });
  s.register({ at: 1 });
  s.subscribe({ at: 2 });
  const report = await analyse(t, s, { minExpires: 600 });
  assert.deepEqual(report.findings, []);
});

test('repeated-401: the network rejects the first answer with a new challenge', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const reg = s.register({ at: 1, challenges: 2 });
  const report = await analyse(t, s);
  const p = report.registrations[0]!.procedures[0]!;
  assert.equal(p.outcome, 'success');
  assert.deepEqual(p.challenges.map((c) => c.frame), reg.frames.challenge);
  assert.deepEqual(rule(report, 'repeated-401').map((f) => [f.severity, f.frames]), [['warning', [reg.frames.challenge[1], reg.frames.register[0]]]]);
});

test('SQN resynchronisation: AUTS, a new challenge, and the SQN section recovers', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const reg = s.register({ at: 1, resync: true });
  const report = await analyse(t, s);
  const r = report.registrations[0]!;
  const c = r.procedures[0]!.challenges;
  assert.equal(c.length, 2);
  assert.deepEqual([c[0]!.answer?.frame, c[0]!.answer?.auts, c[0]!.answer?.result], [reg.auts!.frame, reg.auts!.value, 401]);
  assert.equal(c[1]!.answer?.matchesXres, true);
  assert.deepEqual(r.sqn, { subscriber: s.impi, verdict: 'recovered', rounds: 1 });
  const repeated = rule(report, 'repeated-401');
  assert.equal(repeated.length, 1);
  assert.match(repeated[0]!.message, new RegExp(`AUTS .* frame ${reg.auts!.frame}`));
  assert.deepEqual(report.sqnFindings.map((f) => f.ruleId), ['sqn-resync']);
});

test('registration-failed is an error, and the SQN analysis does not report the same attempt again', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const reg = s.register({ at: 1, final: 403 });
  const report = await analyse(t, s);
  assert.deepEqual(rule(report, 'registration-failed').map((f) => [f.severity, f.frames]), [['error', [reg.frames.final, reg.frames.register[0]]]]);
  assert.equal(report.sqn.findings.filter((f) => f.ruleId === 'registration-not-completed').length, 1, 'the SQN analysis sees the failed authentication');
  assert.deepEqual(rule(report, 'registration-not-completed'), [], 'one fact, one finding');
});

test('expires-below-min: below the configured floor, and below the Min-Expires of a 423', async (t) => {
  const floor = new ImsScenario({ ue: UE });
  const reg = floor.register({ at: 1, grant: 300 });
  const low = await analyse(t, floor, { minExpires: 600 });
  assert.deepEqual(rule(low, 'expires-below-min').map((f) => [f.frames, f.properties?.granted, f.properties?.minimum]), [[[reg.frames.final], 300, 600]]);
  assert.deepEqual(rule(await analyse(t, floor, { minExpires: 300 }), 'expires-below-min'), []);

  // RFC 3261 §10.2.8: after a 423 with Min-Expires 7200 the UE asks for 3600 again.
  const s = new ImsScenario({ ue: UE });
  const brief = s.register({ at: 1, expires: 60, final: 423, minExpires: 7200 });
  const retry = s.register({ at: 2, expires: 3600, grant: 7200 });
  const report = await analyse(t, s);
  const p = report.registrations[0]!.procedures;
  assert.equal(p.length, 1, 'the retry after 423 continues the same procedure');
  assert.deepEqual([p[0]!.expiry.minExpires?.value, p[0]!.expiry.minExpires?.frame], [7200, brief.frames.final]);
  const below = rule(report, 'expires-below-min');
  assert.deepEqual(below.map((f) => f.frames), [[retry.frames.register[0], brief.frames.final]]);
});

test('integrity-without-sec-agree: the unprotected offer forwarded as integrity-protected, and an answer sent in clear', async (t) => {
  const claimed = new ImsScenario({ ue: UE });
  const a = claimed.register({ at: 1, claimIntegrity: true });
  const first = await analyse(t, claimed);
  assert.deepEqual(rule(first, 'integrity-without-sec-agree').map((f) => [f.severity, f.frames]), [['error', [a.frames.registerMw[0], a.frames.register[0]]]]);

  const clear = new ImsScenario({ ue: UE });
  const b = clear.register({ at: 1, answerInClear: true });
  const second = await analyse(t, clear);
  assert.deepEqual(rule(second, 'integrity-without-sec-agree').map((f) => f.frames), [[b.frames.register[1]]]);
  assert.equal(second.registrations[0]!.procedures[0]!.steps[2]!.sightings[0]!.espSpi, undefined);
});

test('security-verify-mismatch: the UE echoes another algorithm than the P-CSCF offered', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const reg = s.register({ at: 1, tamperVerify: true });
  const report = await analyse(t, s);
  assert.equal(report.registrations[0]!.security.negotiations[0]!.verifyMatchesServer, false);
  assert.deepEqual(rule(report, 'security-verify-mismatch').map((f) => f.frames), [[reg.frames.register[1], reg.frames.challenge[0]]]);
});

test('esp-spi-not-negotiated: ESP on an SPI the agreement never set up', async (t) => {
  const s = new ImsScenario({ ue: UE });
  s.register({ at: 1 });
  const stray = s.strayEsp({ at: 2, spi: 0x0bad0bad, fromUe: true });
  const report = await analyse(t, s);
  const spis = report.registrations[0]!.security.esp.fromUe.spis;
  assert.deepEqual(spis.find((x) => x.spi === 0x0bad0bad), { spi: 0x0bad0bad, packets: 1, decoded: 1, firstFrame: stray, lastFrame: stray, negotiated: false });
  const f = rule(report, 'esp-spi-not-negotiated');
  assert.deepEqual(f.map((x) => x.frames), [[stray]]);
  assert.match(f[0]!.message, /0x0bad0bad/);
});

test('service-route-not-used: a SUBSCRIBE routed to the P-CSCF only', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const reg = s.register({ at: 1 });
  const sub = s.subscribe({ at: 2, route: [`<sip:[${s.net.pcscf.ip}]:${reg.sa!.pcscf.portS};lr>`] });
  const report = await analyse(t, s);
  assert.deepEqual(report.registrations[0]!.routing.routeChecks.map((c) => [c.frame, c.usesServiceRoute]), [[sub.frame, false]]);
  assert.deepEqual(rule(report, 'service-route-not-used').map((f) => f.frames), [[sub.frame, reg.frames.finalMw]]);
});

test('registration-kind-mismatch: the HSS says subsequent registration to an initial REGISTER', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const reg = s.register({ at: 1, uaaResult: 2002, sarType: 2 });
  const report = await analyse(t, s);
  const p = report.registrations[0]!.procedures[0]!;
  assert.equal(p.kind, 're-registration', 'the S-CSCF\'s SAR decides');
  assert.equal(p.kindAgrees, false);
  assert.deepEqual(rule(report, 'registration-kind-mismatch').map((f) => [f.severity, f.frames]), [['note', [reg.frames.register[0], reg.frames.uaa[0], reg.frames.uaa[1], reg.frames.sar]]]);
});

test('pcscf-not-offered: the UE registers through a P-CSCF the PCO did not name', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const pdn = s.attach({ at: 0, pcscf: ['2001:db8:0:1::99', '2001:db8:0:1::98'] });
  const reg = s.register({ at: 1 });
  const report = await analyse(t, s);
  const g = report.registrations[0]!.routing;
  assert.deepEqual(g.pcscfOffered.map((f) => f.value), pdn.pcscf);
  assert.equal(g.pcscfInOffer, false);
  assert.deepEqual(rule(report, 'pcscf-not-offered').map((f) => f.frames), [[reg.frames.register[0], pdn.frames.response]]);
});
