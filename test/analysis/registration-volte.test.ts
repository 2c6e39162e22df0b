// The registration report on complete VoLTE registrations built here (IPv6 UE, NULL ESP after
// the 401, Cx over SCTP, Rx and Gx over TCP, GTPv2 Create Session with PCO): every answer is
// compared with the value the scenario put into the packets, and the scenario itself with tshark.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runPass } from '../../src/pipeline/pass.js';
import { RegistrationAnalyzer } from '../../src/analysis/registration/registrations.js';
import type { Registration, RegistrationReport } from '../../src/analysis/registration/types.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { ImsScenario, type UeSpec } from '../fixtures/ims-scenario.js';
import { needTools } from '../support/environment.js';

const UE: UeSpec = { ip: '2001:db8:10:1::5', imsi: '001010000000001', msisdn: '15551230001', imei: '354224540979180', userAgent: 'SM-A346E-WK4 Samsung IMS 6.0' };

async function analyse(t: TestContext, s: ImsScenario, name = 'volte.pcap'): Promise<{ report: RegistrationReport; path: string }> {
  const path = tempCaptureFile(t, name, s.pcap());
  const analyzer = new RegistrationAnalyzer();
  await runPass(path, analyzer.handlers());
  return { report: analyzer.finish(), path };
}

function only(report: RegistrationReport): Registration {
  assert.equal(report.registrations.length, 1, `registrations: ${report.registrations.map((r) => r.contact.value).join(', ')}`);
  return report.registrations[0]!;
}

function near(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≠ ${expected}`);
}

test('initial VoLTE registration: timeline, expiry, AKA challenge, keys, XRES, security agreement and ESP', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const pdn = s.attach({ at: 0 });
  const reg = s.register({ at: 1, expires: 600000, grant: 3600 });
  const sub = s.subscribe({ at: 2 });
  const { report } = await analyse(t, s);
  const r = only(report);

  assert.equal(r.impi?.value, s.impi);
  assert.equal(r.impi?.frame, reg.frames.register[0]);
  assert.equal(r.contact.value, reg.contact);
  assert.equal(r.ueAddress, UE.ip);
  assert.equal(r.state, 'registered');
  assert.deepEqual(r.callIds, [reg.callId]);

  // Timeline: REGISTER → 401 → REGISTER → 200, each with its UE-hop and Mw frames.
  assert.equal(r.procedures.length, 1);
  const p = r.procedures[0]!;
  assert.equal(p.kind, 'initial');
  assert.equal(p.outcome, 'success');
  assert.equal(p.kindAgrees, true);
  assert.deepEqual(
    p.kindEvidence.map((e) => [e.source, e.kind, e.frame]),
    [['sip', 'initial', reg.frames.register[0]], ['uaa', 'initial', reg.frames.uaa[0]], ['uaa', 'initial', reg.frames.uaa[1]], ['sar', 'initial', reg.frames.sar]],
  );
  const frames = (i: number, hop: 'ue' | 'network'): number[] => p.steps[i]!.sightings.filter((x) => x.hop === hop).map((x) => x.frame);
  assert.deepEqual(p.steps.map((x) => x.status ?? 'REGISTER'), ['REGISTER', 401, 'REGISTER', 200]);
  assert.deepEqual([frames(0, 'ue'), frames(1, 'ue'), frames(2, 'ue'), frames(3, 'ue')], [[reg.frames.register[0]], [reg.frames.challenge[0]], [reg.frames.register[1]], [reg.frames.final]]);
  assert.deepEqual([frames(0, 'network'), frames(1, 'network'), frames(2, 'network'), frames(3, 'network')], [[reg.frames.registerMw[0]], [reg.frames.challengeMw[0]], [reg.frames.registerMw[1]], [reg.frames.finalMw]]);
  assert.equal(p.final?.frame, reg.frames.final);
  // ESP carries everything on the UE hop after the 401 (TS 33.203 §7.2).
  assert.equal(p.steps[0]!.sightings[0]!.espSpi, undefined);
  assert.equal(p.steps[2]!.sightings.find((x) => x.hop === 'ue')!.espSpi, reg.sa!.pcscf.spiS);
  assert.equal(p.steps[3]!.sightings.find((x) => x.hop === 'ue')!.espSpi, reg.sa!.ue.spiC);

  // Expiry: asked, granted, and the deadline and refresh time from the 200 OK's capture time.
  assert.deepEqual([p.expiry.requested?.value, p.expiry.requested?.frame], [reg.requestedExpires, reg.frames.register[0]]);
  assert.deepEqual([p.expiry.granted?.value, p.expiry.granted?.frame], [reg.grantedExpires, reg.frames.final]);
  near(p.expiry.deadline, reg.finalTs! + 3600, 'deadline');
  near(p.expiry.refreshBy, reg.finalTs! + 3600 - 600, 'refresh time');
  assert.deepEqual(r.expiry, p.expiry);

  // Authentication: the nonce split into RAND and AUTN, AUTN into SQN⊕AK, AMF, MAC; IK/CK from Mw and MAA; XRES.
  assert.equal(p.challenges.length, 1);
  const c = p.challenges[0]!;
  const v = reg.challenges[0]!.aka!;
  assert.equal(c.algorithm, 'AKAv1-MD5');
  assert.equal(c.frame, reg.frames.challenge[0]);
  assert.deepEqual([...c.frames].sort((a, b) => a - b), [reg.frames.challengeMw[0], reg.frames.challenge[0]]);
  assert.equal(c.nonce.value, v.nonce);
  assert.deepEqual(c.aka, { rand: v.rand, autn: v.autn, sqnXorAk: v.sqnXorAk, amf: v.amf, mac: v.mac, amfSeparationBit: true });
  assert.deepEqual(c.ik.map((f) => [f.value, f.frame]).sort(), [[v.ik, reg.frames.challengeMw[0]], [v.ik, reg.frames.maa[0]]].sort());
  assert.deepEqual(c.ck.map((f) => [f.value, f.frame]).sort(), [[v.ck, reg.frames.challengeMw[0]], [v.ck, reg.frames.maa[0]]].sort());
  assert.equal(c.keysAgree, true);
  assert.deepEqual([c.xres?.value, c.xres?.frame], [v.res, reg.frames.maa[0]]);
  assert.equal(c.answer?.frame, reg.frames.register[1]);
  assert.equal(c.answer?.matchesXres, true);
  assert.equal(c.answer?.result, 200);

  // Security agreement: the SPIs and ports both sides put in their headers, the algorithms chosen.
  const n = r.security.negotiations;
  assert.equal(n.length, 1);
  const sa = reg.sa!;
  assert.deepEqual([n[0]!.ue.spiC, n[0]!.ue.spiS, n[0]!.ue.portC, n[0]!.ue.portS, n[0]!.ue.address], [sa.ue.spiC, sa.ue.spiS, sa.ue.portC, sa.ue.portS, UE.ip]);
  assert.deepEqual([n[0]!.pcscf.spiC, n[0]!.pcscf.spiS, n[0]!.pcscf.portC, n[0]!.pcscf.portS, n[0]!.pcscf.address], [sa.pcscf.spiC, sa.pcscf.spiS, sa.pcscf.portC, sa.pcscf.portS, s.net.pcscf.ip]);
  assert.deepEqual([n[0]!.chosen?.value.mechanism, n[0]!.chosen?.value.alg, n[0]!.chosen?.value.ealg], ['ipsec-3gpp', sa.alg, sa.ealg]);
  assert.equal(n[0]!.verifyMatchesServer, true);
  assert.equal(n[0]!.client?.frame, reg.frames.register[0]);
  assert.equal(n[0]!.server?.frame, reg.frames.challenge[0]);
  // ESP: the packets the scenario sent, per direction and SPI; all NULL, all read.
  const fromUe = [...reg.esp.fromUe, ...(sub.spi !== undefined ? [{ frame: sub.frame, spi: sub.spi }] : [])];
  const toUe = [...reg.esp.toUe, { frame: sub.response, spi: sa.ue.spiC }];
  assert.equal(r.security.esp.fromUe.packets, fromUe.length);
  assert.equal(r.security.esp.toUe.packets, toUe.length);
  assert.deepEqual(r.security.esp.fromUe.spis.map((x) => [x.spi, x.packets, x.firstFrame, x.negotiated]), [[sa.pcscf.spiS, fromUe.length, fromUe[0]!.frame, true]]);
  assert.deepEqual(r.security.esp.toUe.spis.map((x) => [x.spi, x.packets, x.firstFrame, x.negotiated]), [[sa.ue.spiC, toUe.length, toUe[0]!.frame, true]]);
  assert.equal(r.security.esp.readable, true);
  assert.equal(report.stats.espUnattributed, 0);

  // No problem to report.
  assert.deepEqual(report.findings, []);
  assert.equal(r.sqn?.verdict, 'ok');
  void pdn;
});

test('identities, device, routing and access are read from SIP, GTPv2, Cx, Rx and Gx and cross-checked', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const pdn = s.attach({ at: 0, qci: 5, arp: { priorityLevel: 9, pci: 0, pvi: 1 }, ambr: { uplinkKbps: 640, downlinkKbps: 1280 }, rule: { name: 'ims-sig', qci: 5 } });
  const reg = s.register({ at: 1 });
  const sub = s.subscribe({ at: 2 });
  const voice = s.gxInstall({ at: 3, rule: { name: 'voice-bearer', qci: 1 } });
  const { report } = await analyse(t, s);
  const r = only(report);
  const id = r.identities;

  assert.deepEqual(id.msisdn.map((f) => [f.value, f.frame]), [[UE.msisdn, reg.frames.finalMw], [UE.msisdn, pdn.frames.request], [UE.msisdn, pdn.frames.ccr]]);
  assert.equal(id.msisdnAgrees, true);
  assert.deepEqual(id.imsi.map((f) => f.value), [UE.imsi, UE.imsi, UE.imsi]);
  assert.equal(id.imsiAgrees, true);
  assert.deepEqual(id.impus.map((f) => f.value), [s.impu, ...reg.associatedUris.filter((u) => u !== s.impu)]);
  assert.deepEqual(id.imei?.value, { imei: UE.imei, tac: UE.imei!.slice(0, 8), snr: UE.imei!.slice(8, 14) });
  assert.deepEqual([id.mei?.value, id.mei?.frame, id.imeiAgrees], [UE.imei, pdn.frames.request, true]);
  assert.equal(id.userAgent?.value, UE.userAgent);
  // The User-Agent of a Samsung IMS stack: "<model>-<build> Samsung IMS <version>".
  assert.deepEqual(id.device, { vendor: 'Samsung', model: 'SM-A346E', client: 'Samsung IMS 6.0' });

  const g = r.routing;
  assert.deepEqual(g.pcscfOffered.map((f) => [f.value, f.frame]), pdn.pcscf.map((a) => [a, pdn.frames.response]));
  assert.equal(g.pcscfUsed?.value, `[${s.net.pcscf.ip}]:${s.net.pcscf.sipPort}`);
  assert.equal(g.pcscfInOffer, true);
  assert.deepEqual(g.scscf.map((f) => [f.value, f.source, f.frame]), [[s.net.scscf.name, 'UAA Server-Name', reg.frames.uaa[0]], [s.net.scscf.name, 'SAR Server-Name', reg.frames.sar]]);
  assert.deepEqual(g.serviceRoute?.value, reg.serviceRoute);
  assert.equal(g.serviceRoute?.frame, reg.frames.finalMw);
  assert.deepEqual(g.path?.value, [reg.path]);
  assert.deepEqual(g.routeChecks.map((c) => [c.frame, c.method, c.usesServiceRoute]), [[sub.frame, 'SUBSCRIBE', true]]);

  const a = r.access;
  const cell = s.ue.cell;
  assert.equal(a.pani.length, 1);
  assert.deepEqual([a.pani[0]!.value.mcc, a.pani[0]!.value.mnc, a.pani[0]!.value.tac, a.pani[0]!.value.eci, a.pani[0]!.value.enbId, a.pani[0]!.value.cellId], [cell.mcc, cell.mnc, cell.tac, cell.eci, Math.floor(cell.eci / 256), cell.eci % 256]);
  assert.deepEqual(a.uli?.value.ecgi, { mcc: cell.mcc, mnc: cell.mnc, eci: cell.eci, enbId: Math.floor(cell.eci / 256), cellId: cell.eci % 256 });
  assert.deepEqual(a.uli?.value.tai, { mcc: cell.mcc, mnc: cell.mnc, tac: cell.tac });
  assert.equal(a.uliAgrees, true);
  assert.deepEqual(a.bearer, {
    requestFrame: pdn.frames.request,
    responseFrame: pdn.frames.response,
    apn: pdn.apn,
    ebi: 5,
    qci: pdn.qci,
    arp: { priorityLevel: 9, preemptionCapability: true, preemptionVulnerability: false },
    apnAmbr: pdn.ambr,
    ueAddresses: [pdn.prefix],
    cause: { value: 16, name: 'Request accepted' },
  });
  assert.equal(a.rx.length, 1);
  assert.deepEqual([a.rx[0]!.command, a.rx[0]!.requestFrame, a.rx[0]!.answerFrame, a.rx[0]!.result?.code], ['AAR/AAA', reg.frames.aar, reg.frames.aaa, 2001]);
  assert.deepEqual(a.rx[0]!.specificActions, ['INDICATION_OF_LOSS_OF_BEARER', 'INDICATION_OF_RELEASE_OF_BEARER']);
  assert.deepEqual(a.rx[0]!.mediaComponents[0]!.flows[0]!.usage, 'AF_SIGNALLING');
  assert.equal(a.gx.length, 2);
  const gx = a.gx[0]!;
  assert.deepEqual([gx.requestFrame, gx.answerFrame, gx.requestType, gx.defaultBearerQci], [pdn.frames.ccr, pdn.frames.cca, 'INITIAL_REQUEST', pdn.qci]);
  assert.deepEqual(gx.rulesInstalled.map((x) => [x.name, x.qci]), [[pdn.rule.name, pdn.rule.qci]]);
  assert.deepEqual(gx.apnAmbr, { uplinkBps: pdn.ambr.uplinkKbps * 1000, downlinkBps: pdn.ambr.downlinkKbps * 1000 });
  // The RAR of the same Gx session names no UE address: it is the CCR's session that ties it to the UE.
  const rar = a.gx[1]!;
  assert.deepEqual([rar.command, rar.requestFrame, rar.answerFrame, rar.result?.code], ['RAR/RAA', voice.rar, voice.raa, 2001]);
  assert.deepEqual(rar.rulesInstalled.map((x) => [x.name, x.qci]), [['voice-bearer', 1]]);
});

test('re-registration over the old SAs, new SAs after its 401, then de-registration', async (t) => {
  const s = new ImsScenario({ ue: UE });
  s.attach({ at: 0 });
  const first = s.register({ at: 1, grant: 1200 });
  const again = s.register({ at: 590, kind: 're-registration', grant: 1200 });
  const gone = s.register({ at: 900, kind: 'de-registration' });
  const { report } = await analyse(t, s);
  const r = only(report);

  assert.deepEqual(r.procedures.map((p) => [p.kind, p.outcome, p.kindAgrees]), [['initial', 'success', true], ['re-registration', 'success', true], ['de-registration', 'success', true]]);
  assert.equal(r.state, 'deregistered');
  const re = r.procedures[1]!;
  assert.deepEqual(re.kindEvidence.map((e) => [e.source, e.kind, e.frame]), [['sip', 're-registration', again.frames.register[0]], ['uaa', 're-registration', again.frames.uaa[0]], ['uaa', 're-registration', again.frames.uaa[1]], ['sar', 're-registration', again.frames.sar]]);
  assert.match(re.kindEvidence[1]!.detail, /2002/);
  // TS 24.229 §5.1.1.4.1: 1200 s or less → refresh half way.
  near(re.expiry.refreshBy, again.finalTs! + 600, 'refresh time');
  assert.deepEqual(r.procedures[2]!.kindEvidence.map((e) => [e.source, e.kind, e.frame]), [['sip', 'de-registration', gone.frames.register[0]], ['uaa', 'de-registration', gone.frames.uar[0]], ['sar', 'de-registration', gone.frames.sar]]);
  assert.equal(r.procedures[2]!.expiry.requested?.value, 0);

  // Two agreements, one per 401; ESP on both SA sets, each negotiated.
  assert.deepEqual(r.security.negotiations.map((n) => [n.ue.spiC, n.pcscf.spiS]), [[first.sa!.ue.spiC, first.sa!.pcscf.spiS], [again.sa!.ue.spiC, again.sa!.pcscf.spiS]]);
  const expectSpis = (list: readonly { spi: number }[]): [number, number][] => {
    const m = new Map<number, number>();
    for (const e of list) m.set(e.spi, (m.get(e.spi) ?? 0) + 1);
    return [...m];
  };
  assert.deepEqual(r.security.esp.fromUe.spis.map((x) => [x.spi, x.packets]), expectSpis([...first.esp.fromUe, ...again.esp.fromUe, ...gone.esp.fromUe]));
  assert.deepEqual(r.security.esp.toUe.spis.map((x) => [x.spi, x.packets]), expectSpis([...first.esp.toUe, ...again.esp.toUe, ...gone.esp.toUe]));
  assert.ok([...r.security.esp.fromUe.spis, ...r.security.esp.toUe.spis].every((x) => x.negotiated === true));
  assert.deepEqual(report.findings, []);
});

test('the UE side inside GTP-U, as a callbox captures it, reads the same', async (t) => {
  const s = new ImsScenario({ ue: { ...UE, gtpu: { enb: '192.168.200.2', sgw: '192.168.200.1', uplinkTeid: 0x101, downlinkTeid: 0x202 } } });
  s.attach({ at: 0 });
  const reg = s.register({ at: 1 });
  const { report } = await analyse(t, s);
  const r = only(report);
  assert.equal(r.ueAddress, UE.ip);
  assert.equal(r.procedures[0]!.outcome, 'success');
  assert.equal(r.security.esp.fromUe.packets, reg.esp.fromUe.length);
  assert.equal(r.security.esp.toUe.packets, reg.esp.toUe.length);
  assert.equal(r.procedures[0]!.challenges[0]!.answer?.matchesXres, true);
});

test('AKAv2-MD5: the response is checked with the AKAv2 password made of RES, IK and CK', async (t) => {
  const s = new ImsScenario({ ue: UE });
  const reg = s.register({ at: 1, auth: 'AKAv2-MD5' });
  const { report } = await analyse(t, s);
  const c = only(report).procedures[0]!.challenges[0]!;
  assert.equal(c.algorithm, 'AKAv2-MD5');
  assert.equal(c.nonce.value, reg.challenges[0]!.nonce);
  assert.equal(c.answer?.matchesXres, true);
});

test('tshark reads the built registration as the scenario says (the fixture is valid)', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const s = new ImsScenario({ ue: UE });
  const pdn = s.attach({ at: 0 });
  const reg = s.register({ at: 1 });
  const path = tempCaptureFile(t, 'volte-tshark.pcap', s.pcap());
  // One tshark run: every field of every frame the checks need, by frame number.
  const names = ['frame.number', 'sip.auth.nonce', 'sip.auth.ik', 'sip.auth.ck', 'esp.spi', 'diameter.3GPP-SIP-Authorization', 'gsm_a.gm.sm.pco.pcscf.ipv6'];
  const out = spawnSync('tshark', ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE', '-r', path, '-T', 'fields', '-E', 'separator=/t', ...names.flatMap((n) => ['-e', n])], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  const rows = new Map(out.stdout.split('\n').filter((l) => l.length > 0).map((l) => {
    const cells = l.split('\t');
    return [Number(cells[0]), Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']))] as const;
  }));
  const at = (frame: number | undefined, name: string): string | undefined => rows.get(frame ?? -1)?.[name];
  const v = reg.challenges[0]!.aka!;
  assert.deepEqual([at(reg.frames.challengeMw[0], 'sip.auth.nonce'), at(reg.frames.challengeMw[0], 'sip.auth.ik'), at(reg.frames.challengeMw[0], 'sip.auth.ck')], [`"${v.nonce}"`, `"${v.ik}"`, `"${v.ck}"`]);
  assert.deepEqual([at(reg.frames.challenge[0], 'sip.auth.nonce'), at(reg.frames.challenge[0], 'sip.auth.ik')], [`"${v.nonce}"`, '']);
  assert.equal(at(reg.frames.register[1], 'esp.spi'), `0x${reg.sa!.pcscf.spiS.toString(16).padStart(8, '0')}`);
  assert.equal(at(reg.frames.register[0], 'esp.spi'), '');
  assert.equal(at(reg.frames.maa[0], 'diameter.3GPP-SIP-Authorization'), v.res);
  assert.equal(at(pdn.frames.response, 'gsm_a.gm.sm.pco.pcscf.ipv6'), s.net.pcscf.ip);
});
