// Turns the working state into the report's records once the capture has been read: procedures
// with their Cx exchanges, kinds and challenges; each registration with its security agreement
// and ESP counts, identities (cross-checked between SIP, GTPv2 and Gx), routing, access and bearer.
import type { SqnReport } from '../sqn/report-types.js';
import { paniMatchesUli } from './access.js';
import { addVector, finishChallenge, responseMatchesXres, type ChallengeDraft } from './authentication.js';
import type { PdnRecord } from './bearer.js';
import { imsiOfDraft, type PdnIndex, type PolicyIndex } from './correlate.js';
import type { CxRecord } from './cx.js';
import { deviceFromUserAgent } from './device.js';
import { addFact, type ProcedureDraft, type RegistrationDraft } from './drafts.js';
import type { EspTally } from './esp-tally.js';
import { sameEquipment, sameNumber } from './identities.js';
import { decideKind, hssEvidence } from './kinds.js';
import { espSummary, finishNegotiation } from './security-agreement.js';
import type {
  AccessInfo,
  CxExchange,
  Fact,
  GxExchange,
  Identities,
  RegistrationProcedure,
  RegistrationState,
  RoutingInfo,
  RxExchange,
  SecurityInfo,
  TimelineStep,
} from './types.js';

export interface AssembleContext {
  readonly pdns: PdnIndex;
  readonly policies: PolicyIndex;
  readonly esp: EspTally;
  readonly sqn: SqnReport;
  /** Time of the last message in the capture. */
  readonly lastTs: number;
}

function cxExchange(r: CxRecord): CxExchange {
  const { vectors: _vectors, sessionId: _session, ...rest } = r;
  return rest;
}

/** MAA vectors land on the challenge with the same RAND and AUTN (RFC 3310 §3.2, TS 29.229 §6.3.10). */
function attachVectors(d: RegistrationDraft): void {
  const all: ChallengeDraft[] = d.procedures.flatMap((p) => p.challenges);
  for (const p of d.procedures) {
    for (const x of p.cx) {
      for (const v of x.vectors) {
        const own = p.challenges.find((c) => c.aka?.rand === v.rand && c.aka?.autn === v.autn) ?? all.find((c) => c.aka?.rand === v.rand && c.aka?.autn === v.autn);
        if (own !== undefined) addVector(own, { frame: v.frame, ...(v.xres !== undefined ? { xres: v.xres } : {}), ...(v.ik !== undefined ? { ik: v.ik } : {}), ...(v.ck !== undefined ? { ck: v.ck } : {}) });
      }
    }
  }
}

function procedureRecord(p: ProcedureDraft): RegistrationProcedure {
  for (const tx of p.txs) {
    if (tx.answers?.answer === undefined) continue;
    if (tx.finalStatus !== undefined) tx.answers.answer.result = tx.finalStatus;
    if (tx.credentials !== undefined) {
      const matches = responseMatchesXres(tx.answers, tx.credentials, 'REGISTER');
      if (matches !== undefined) tx.answers.answer.matchesXres = matches;
    }
  }
  const steps: TimelineStep[] = [];
  for (const tx of p.txs) {
    steps.push({ ...tx.request, sightings: [...tx.request.sightings] });
    if (tx.final !== undefined) steps.push({ ...tx.final, sightings: [...tx.final.sightings] });
  }
  const sip = { source: 'sip' as const, kind: p.kind, detail: p.kindDetail, frame: p.kindFrame };
  const hss = hssEvidence(p.cx);
  const { kind, agrees } = decideKind(sip, hss);
  return {
    index: p.index,
    kind,
    kindEvidence: [sip, ...hss],
    kindAgrees: agrees,
    callId: p.callId,
    steps,
    outcome: p.outcome,
    ...(p.final !== undefined ? { final: { ...p.final } } : {}),
    firstFrame: p.firstFrame,
    lastFrame: p.cx.reduce((m, x) => Math.max(m, x.answerFrame ?? x.requestFrame ?? 0), p.lastFrame),
    startTs: p.startTs,
    endTs: p.endTs,
    expiry: { ...p.expiry },
    challenges: p.challenges.map(finishChallenge),
    cx: p.cx.map(cxExchange),
  };
}

function stateOf(d: RegistrationDraft, procedures: readonly RegistrationProcedure[], lastTs: number): RegistrationState {
  const last = procedures[procedures.length - 1];
  if (last === undefined) return d.inUse ? 'in-use' : 'incomplete';
  if (last.outcome === 'failure') return 'failed';
  if (last.outcome === 'incomplete') return 'incomplete';
  if (last.kind === 'de-registration') return 'deregistered';
  const deadline = last.expiry.deadline;
  return deadline !== undefined && deadline < lastTs ? 'expired' : 'registered';
}

function security(d: RegistrationDraft, esp: EspTally): SecurityInfo {
  const ue = d.ueAddress;
  const pcscf = d.pcscfAddress;
  const fromUe = ue !== undefined && pcscf !== undefined ? esp.between(ue, pcscf) : [];
  const toUe = ue !== undefined && pcscf !== undefined ? esp.between(pcscf, ue) : [];
  return { negotiations: d.negotiations.map(finishNegotiation), esp: espSummary(fromUe, toUe, d.negotiations) };
}

function agreeing(facts: readonly Fact<string>[], same: (a: string, b: string) => boolean): boolean | undefined {
  if (facts.length < 2) return undefined;
  const first = facts[0] as Fact<string>;
  return facts.every((f) => same(f.value, first.value));
}

function identities(d: RegistrationDraft, pdn: PdnRecord | undefined, gx: readonly { imsi?: string; msisdn?: string; frame: number }[]): Identities {
  const msisdn: Fact<string>[] = [...d.msisdn];
  const imsi: Fact<string>[] = [];
  const fromImpi = imsiOfDraft(d);
  if (fromImpi !== undefined && d.impi !== undefined) imsi.push({ value: fromImpi, frame: d.impi.frame, source: 'IMPI of the derived form (TS 23.003 §13.3)' });
  if (pdn?.imsi !== undefined) addFact(imsi, { value: pdn.imsi, frame: pdn.requestFrame, source: 'GTPv2 IMSI (Create Session Request)' }, () => false);
  if (pdn?.msisdn !== undefined) addFact(msisdn, { value: pdn.msisdn, frame: pdn.requestFrame, source: 'GTPv2 MSISDN (Create Session Request)' }, () => false);
  for (const g of gx) {
    if (g.imsi !== undefined && !imsi.some((f) => f.source.startsWith('Gx'))) imsi.push({ value: g.imsi, frame: g.frame, source: 'Gx Subscription-Id END_USER_IMSI' });
    if (g.msisdn !== undefined && !msisdn.some((f) => f.source.startsWith('Gx'))) msisdn.push({ value: g.msisdn, frame: g.frame, source: 'Gx Subscription-Id END_USER_E164' });
  }
  const mei = pdn?.mei !== undefined ? { value: pdn.mei, frame: pdn.requestFrame, source: 'GTPv2 MEI (Create Session Request)' } : undefined;
  const msisdnAgrees = agreeing(msisdn, sameNumber);
  const imsiAgrees = agreeing(imsi, (a, b) => a === b);
  const imeiAgrees = d.imei !== undefined && mei !== undefined ? sameEquipment(d.imei.value.imei, mei.value) : undefined;
  const device = d.userAgent !== undefined ? deviceFromUserAgent(d.userAgent.value) : undefined;
  return {
    ...(d.impi !== undefined ? { impi: d.impi } : {}),
    impus: [...d.impus],
    msisdn,
    ...(msisdnAgrees !== undefined ? { msisdnAgrees } : {}),
    imsi,
    ...(imsiAgrees !== undefined ? { imsiAgrees } : {}),
    ...(d.instance !== undefined ? { instance: d.instance } : {}),
    ...(d.imei !== undefined ? { imei: d.imei } : {}),
    ...(mei !== undefined ? { mei } : {}),
    ...(imeiAgrees !== undefined ? { imeiAgrees } : {}),
    ...(d.userAgent !== undefined ? { userAgent: d.userAgent } : {}),
    ...(device !== undefined && Object.keys(device).length > 0 ? { device } : {}),
  };
}

function routing(d: RegistrationDraft, procedures: readonly RegistrationProcedure[], pdn: PdnRecord | undefined): RoutingInfo {
  const offered: Fact<string>[] = (pdn?.pcscf ?? []).map((a) => ({ value: a, frame: pdn?.responseFrame ?? pdn?.requestFrame ?? 0, source: 'PCO of the Create Session Response' }));
  const scscf: Fact<string>[] = [];
  for (const p of procedures) {
    for (const x of p.cx) {
      // TS 29.229 §6.1.2, §6.1.3: the UAA names the S-CSCF to use, the SAR the S-CSCF that serves.
      if (x.serverName === undefined || (x.command !== 'SAR/SAA' && x.command !== 'UAR/UAA')) continue;
      const frame = x.command === 'SAR/SAA' ? x.requestFrame : x.answerFrame;
      const source = x.command === 'SAR/SAA' ? 'SAR Server-Name' : 'UAA Server-Name';
      // The same name from the UAA and from the SAR: both kept, they cross-check each other.
      if (frame !== undefined && !scscf.some((f) => f.value === x.serverName && f.source === source)) scscf.push({ value: x.serverName, frame, source });
    }
  }
  const inOffer = offered.length > 0 && d.pcscfAddress !== undefined ? offered.some((o) => o.value === d.pcscfAddress) : undefined;
  return {
    pcscfOffered: offered,
    ...(d.pcscfUsed !== undefined ? { pcscfUsed: d.pcscfUsed } : {}),
    ...(inOffer !== undefined ? { pcscfInOffer: inOffer } : {}),
    scscf,
    ...(d.serviceRoute !== undefined ? { serviceRoute: d.serviceRoute } : {}),
    ...(d.path !== undefined ? { path: d.path } : {}),
    routeChecks: [...d.routeChecks],
  };
}

function access(d: RegistrationDraft, pdn: PdnRecord | undefined, rx: readonly RxExchange[], gx: readonly GxExchange[]): AccessInfo {
  const uli = pdn?.uli !== undefined && (pdn.uli.tai !== undefined || pdn.uli.ecgi !== undefined) ? { value: pdn.uli, frame: pdn.requestFrame, source: 'ULI of the Create Session Request' } : undefined;
  const firstPani = d.pani[0];
  const uliAgrees = uli !== undefined && firstPani !== undefined ? paniMatchesUli(firstPani.value, uli.value) : undefined;
  return {
    pani: [...d.pani],
    ...(uli !== undefined ? { uli } : {}),
    ...(uliAgrees !== undefined ? { uliAgrees } : {}),
    ...(pdn !== undefined
      ? {
          bearer: {
            requestFrame: pdn.requestFrame,
            ...(pdn.responseFrame !== undefined ? { responseFrame: pdn.responseFrame } : {}),
            ...(pdn.apn !== undefined ? { apn: pdn.apn } : {}),
            ...(pdn.ebi !== undefined ? { ebi: pdn.ebi } : {}),
            ...(pdn.qci !== undefined ? { qci: pdn.qci } : {}),
            ...(pdn.arp !== undefined ? { arp: pdn.arp } : {}),
            ...(pdn.apnAmbr !== undefined ? { apnAmbr: pdn.apnAmbr } : {}),
            ueAddresses: [...pdn.ueAddresses],
            ...(pdn.cause !== undefined ? { cause: pdn.cause } : {}),
          },
        }
      : {}),
    rx,
    gx,
  };
}

export interface AssembledRegistration {
  readonly draft: RegistrationDraft;
  readonly procedures: readonly RegistrationProcedure[];
  readonly state: RegistrationState;
  readonly security: SecurityInfo;
  readonly identities: Identities;
  readonly routing: RoutingInfo;
  readonly access: AccessInfo;
  /** ESP SA pairs (UE → P-CSCF, P-CSCF → UE) this registration accounts for. */
  readonly espPairs: readonly string[];
}

export function assembleRegistration(d: RegistrationDraft, ctx: AssembleContext): AssembledRegistration {
  attachVectors(d);
  const procedures = d.procedures.map(procedureRecord);
  const pdn = ctx.pdns.forRegistration(d);
  const imsi = imsiOfDraft(d) ?? pdn?.imsi;
  const msisdns = [...d.msisdn.map((m) => m.value), ...(pdn?.msisdn !== undefined ? [pdn.msisdn] : [])];
  const policies = ctx.policies.forRegistration(d, imsi, msisdns);
  const rx: RxExchange[] = [];
  const gx: GxExchange[] = [];
  const gxIds: { imsi?: string; msisdn?: string; frame: number }[] = [];
  for (const p of policies) {
    if (p.app === 'rx') rx.push(p.exchange);
    else {
      gx.push(p.exchange);
      gxIds.push({ ...(p.session.imsi !== undefined ? { imsi: p.session.imsi } : {}), ...(p.session.msisdn !== undefined ? { msisdn: p.session.msisdn } : {}), frame: p.exchange.requestFrame });
    }
  }
  const espPairs = d.ueAddress !== undefined && d.pcscfAddress !== undefined ? [`${d.ueAddress}|${d.pcscfAddress}`, `${d.pcscfAddress}|${d.ueAddress}`] : [];
  return {
    draft: d,
    procedures,
    state: stateOf(d, procedures, ctx.lastTs),
    security: security(d, ctx.esp),
    identities: identities(d, pdn, gxIds),
    routing: routing(d, procedures, pdn),
    access: access(d, pdn, rx, gx),
    espPairs,
  };
}
