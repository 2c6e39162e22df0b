// Follows REGISTER transactions through a capture: folds every hop's copy of a request or
// response into one transaction (Call-ID + CSeq), groups transactions into procedures (a REGISTER,
// its challenges and the REGISTERs answering them, up to the final response) and procedures into
// registrations, and gathers what each message says (expiry, authentication, security agreement,
// identities, access, routing). Requests the UE sends outside REGISTER are checked against the
// registration's Service-Route and security agreement.
import { isDecodeError } from '../../decode-error.js';
import { hostPort } from '../../net/events.js';
import type { SipEvent } from '../../pipeline/events.js';
import type { SipMessage } from '../../protocols/sip/message.js';
import { uePaniOf } from './access.js';
import { answerOf, challengeDraft, mergeChallengeCopy } from './authentication.js';
import { addFact, MAX_FACTS, MAX_NEGOTIATIONS, MAX_PROCEDURES, MAX_ROUTE_CHECKS, MAX_SIGHTINGS, MAX_TRANSACTIONS, type ProcedureDraft, type RegistrationDraft, type StepDraft, type TxDraft } from './drafts.js';
import { grantedExpiry, refreshTime, requestedExpiry } from './expiry.js';
import { sipKind } from './kinds.js';
import { registrationFinding, type RegistrationRuleId } from './findings.js';
import { associatedUris, msisdnOfUri } from './identities.js';
import { RegistrationRegistry, type RegisterKeys } from './registry.js';
import { routesThrough, routeUris, serviceRouteKeys } from './routing.js';
import { mechanismsOf, newNegotiation, observePorts, settle, type NegotiationDraft } from './security-agreement.js';
import { addressOfRecord, contactOf, credentialsOf, cseqOf, fromUri, hopOf, privateIdentityOf, sightingOf, toUri, type ContactView } from './sip-view.js';
import type { SecMechanismView, Sighting } from './types.js';

/** RFC 3261 §10.2.8, §22.2: the UA retries the same registration after 401, 407 and 423. */
const RETRY_STATUSES = new Set([401, 407, 423]);
/** REGISTER transactions remembered for their later hop copies and responses. */
const MAX_OPEN_TRANSACTIONS = 65_536;
const MAX_CHALLENGES = 64;
/** UE addresses remembered for telling requests to a UE from requests by it. */
const MAX_UE_ADDRESSES = 65_536;
const MAX_FINDINGS = 64;

export interface SipTrackerOptions {
  readonly maxRegistrations: number;
}

export class SipTracker {
  readonly registry: RegistrationRegistry;
  private readonly txs = new Map<string, TxDraft>();
  private readonly byUeAddress = new Map<string, RegistrationDraft>();
  /** Procedures waiting for the REGISTER that answers their 401/407/423, by Call-ID. */
  private readonly awaiting = new Map<string, ProcedureDraft>();
  registerRequests = 0;
  registerResponses = 0;
  orphanResponses = 0;

  constructor(options: SipTrackerOptions) {
    this.registry = new RegistrationRegistry(options.maxRegistrations);
  }

  sip(event: SipEvent): void {
    const m = event.message;
    const cseq = cseqOf(m);
    if (m.isRequest) {
      if (m.method?.toUpperCase() === 'REGISTER') this.registerRequest(event, cseq?.seq);
      else this.otherRequest(event);
    } else if (cseq?.method === 'REGISTER') {
      this.registerResponse(event, cseq.seq);
    }
  }

  // ---- REGISTER requests ----------------------------------------------------------------------

  private registerRequest(event: SipEvent, seq: number | undefined): void {
    this.registerRequests++;
    const { message: m, meta } = event;
    const callId = m.callId ?? '';
    const sighting = sightingOf(meta, hopOf(m));
    const key = `${callId}\u0000${seq ?? '-'}`;
    const known = this.txs.get(key);
    if (known !== undefined) {
      addSighting(known.request, sighting);
      this.requestFacts(known, m, sighting, contactOf(m));
      return;
    }
    const contact = contactOf(m);
    const impi = privateIdentityOf(m);
    const aor = addressOfRecord(toUri(m));
    const keys: RegisterKeys = {
      callId,
      frame: meta.frameNo,
      ...(contact !== undefined ? { contactKey: contact.key, contactText: contact.text } : {}),
      ...(impi !== undefined ? { impi } : {}),
      ...(aor !== undefined ? { aor } : {}),
    };
    // The REGISTER answering a challenge continues its procedure, whatever its Contact says.
    const open = this.awaiting.get(callId);
    const continues = open !== undefined && (aor === undefined || open.registration.aor === undefined || open.registration.aor.value === aor);
    const reg = continues ? this.registry.join(open.registration, keys) : this.registry.forRegister(keys);
    if (reg === undefined) return;
    const proc = this.procedureFor(reg, callId, m, contact, sighting);
    if (proc === undefined) return;
    const tx: TxDraft = { callId, procedure: proc, request: { label: 'REGISTER', ts: meta.ts, sightings: [sighting], ...(seq !== undefined ? { cseq: seq } : {}) }, ...(seq !== undefined ? { cseq: seq } : {}) };
    proc.txs.push(tx);
    this.remember(key, tx);
    this.requestFacts(tx, m, sighting, contact);
  }

  /** The open procedure this REGISTER continues (after a 401/407/423 on the same Call-ID), or a new one. */
  private procedureFor(reg: RegistrationDraft, callId: string, m: SipMessage, contact: ContactView | undefined, s: Sighting): ProcedureDraft | undefined {
    const last = reg.procedures[reg.procedures.length - 1];
    const lastTx = last?.txs[last.txs.length - 1];
    const retried = lastTx?.finalStatus !== undefined && RETRY_STATUSES.has(lastTx.finalStatus);
    if (last !== undefined && last.callId === callId && last.outcome === 'incomplete' && retried && last.txs.length < MAX_TRANSACTIONS) return last;
    if (reg.procedures.length >= MAX_PROCEDURES) {
      reg.droppedProcedures++;
      return undefined;
    }
    const [kind, kindDetail] = sipKind(reg, m, contact, s);
    const proc: ProcedureDraft = {
      registration: reg,
      index: reg.procedures.length + reg.droppedProcedures + 1,
      callId,
      kind,
      kindDetail,
      kindFrame: s.frame,
      txs: [],
      outcome: 'incomplete',
      firstFrame: s.frame,
      lastFrame: s.frame,
      startTs: s.ts,
      endTs: s.ts,
      expiry: {},
      challenges: [],
      cx: [],
    };
    reg.procedures.push(proc);
    return proc;
  }

  private requestFacts(tx: TxDraft, m: SipMessage, s: Sighting, contact: ContactView | undefined): void {
    const proc = tx.procedure;
    const reg = proc.registration;
    touch(proc, s);
    if (s.hop === 'ue') {
      reg.ueAddress = s.src;
      this.indexUe(s.src, reg);
      reg.pcscfAddress = s.dst;
      reg.pcscfUsed ??= { value: hostPort(s.dst, s.dstPort), frame: s.frame, source: 'destination of the REGISTER' };
    }
    // The first copy of each REGISTER states what it asks for; a retry (after a 423) may ask for another value.
    if (tx.request.sightings.length === 1) {
      const requested = requestedExpiry(m, contact, s.frame);
      if (requested !== undefined) {
        if (proc.expiry.requested?.value !== requested.value) proc.expiry.requested = requested;
        const min = latestMinExpires(reg);
        const known = reg.findings.some((f) => f.ruleId === 'expires-below-min' && min !== undefined && f.frames.includes(min.frame));
        if (min !== undefined && requested.value > 0 && requested.value < min.value && !known) {
          this.flag(reg, 'expires-below-min', `REGISTER asks for ${requested.value} s, below the Min-Expires ${min.value} s the registrar set in frame ${min.frame}`, [s.frame, min.frame], tx.callId);
        }
      }
    }
    this.securityFacts(tx, m, s);
    this.credentialFacts(tx, m, s);
    this.deviceFacts(reg, m, s, contact);
    const aor = toUri(m);
    if (aor !== undefined) addFact(reg.impus, { value: aor.raw, frame: s.frame, source: 'To of the REGISTER' });
    if (s.hop === 'network' && reg.path === undefined) {
      const path = routeUris(m, 'Path');
      if (path.length > 0) reg.path = { value: path, frame: s.frame, source: 'Path of the REGISTER (inserted by the P-CSCF)' };
    }
  }

  private securityFacts(tx: TxDraft, m: SipMessage, s: Sighting): void {
    const proc = tx.procedure;
    const reg = proc.registration;
    const client = mechanismsOf(m, 'Security-Client');
    const verify = mechanismsOf(m, 'Security-Verify');
    if (client.length > 0) {
      const n = proc.negotiation ?? this.openNegotiation(reg, proc, s);
      if (n !== undefined) {
        n.client ??= { value: client, frame: s.frame, source: 'Security-Client of the REGISTER' };
        settle(n);
      }
    }
    if (verify.length > 0) {
      // The Security-Verify answers the newest Security-Server: this procedure's, or (at the start of
      // a re-registration, sent over the old SAs) the previous one's (TS 33.203 §7.4).
      const n = (proc.negotiation?.server !== undefined ? proc.negotiation : latestWithServer(reg)) ?? proc.negotiation ?? this.openNegotiation(reg, proc, s);
      if (n !== undefined) this.addVerify(reg, n, verify, s, 'REGISTER', tx.callId);
    }
    if (s.hop === 'ue') tx.ueOffer = client.length > 0 && verify.length === 0;
    const claim = credentialsOf(m)?.integrityProtected?.toLowerCase() === 'yes';
    if (s.hop === 'network' && claim) {
      tx.integrityClaimFrame ??= s.frame;
      // A capture that starts after the initial registration: the P-CSCF vouches that this first
      // REGISTER came over an SA, so it refreshes an existing registration (TS 24.229 §5.2.2).
      if (proc.txs[0] === tx && proc.kind === 'initial' && reg.procedures.length === 1 && tx.ueOffer !== true) {
        proc.kind = 're-registration';
        proc.kindDetail = `forwarded with integrity-protected="yes" (frame ${s.frame})`;
      }
    }
    this.checkIntegrityClaim(tx, m, s, verify.length > 0);
  }

  /**
   * integrity-without-sec-agree: TS 24.229 §5.1.1.2.1 sends the Security-Client offer unprotected
   * (the P-CSCF marks it integrity-protected="no"); protected requests travel on the SAs, between
   * the protected ports (TS 33.203 §7.1).
   */
  private checkIntegrityClaim(tx: TxDraft, m: SipMessage, s: Sighting, hasVerify: boolean): void {
    const reg = tx.procedure.registration;
    if (tx.ueOffer === true && tx.integrityClaimFrame !== undefined) {
      const ue = tx.request.sightings.find((x) => x.hop === 'ue');
      this.flag(reg, 'integrity-without-sec-agree', `REGISTER ${ue !== undefined ? `frame ${ue.frame} ` : ''}offers a new security agreement (Security-Client, no Security-Verify), so it was sent unprotected, yet it is forwarded with integrity-protected="yes" (frame ${tx.integrityClaimFrame})`, [tx.integrityClaimFrame, ...(ue !== undefined ? [ue.frame] : [])], tx.callId);
      tx.integrityClaimFrame = undefined;
      return;
    }
    if (s.hop !== 'ue' || !hasVerify || s.espSpi !== undefined) return;
    const n = latestWithServer(reg);
    const ports = n === undefined ? [] : [n.pcscf.portS, n.pcscf.portC].filter((p): p is number => p !== undefined);
    if (ports.length === 0 || ports.includes(s.dstPort)) return;
    this.flag(reg, 'integrity-without-sec-agree', `${m.method ?? 'request'} frame ${s.frame} carries Security-Verify but was sent in clear to port ${s.dstPort}, not over ESP to the P-CSCF's protected ports (${ports.join(', ')})`, [s.frame], tx.callId);
  }

  private credentialFacts(tx: TxDraft, m: SipMessage, s: Sighting): void {
    const cred = credentialsOf(m);
    if (cred === undefined || cred.nonce === undefined || cred.nonce === '') return;
    const answered = (cred.response !== undefined && cred.response !== '') || (cred.auts !== undefined && cred.auts !== '');
    if (!answered) return;
    const ch = tx.procedure.challenges.find((c) => c.nonce.value === cred.nonce);
    if (ch === undefined) return;
    tx.answers = ch;
    if (ch.answer === undefined || s.hop === 'ue') ch.answer = answerOf(cred, s.frame);
    tx.credentials = cred;
  }

  private deviceFacts(reg: RegistrationDraft, m: SipMessage, s: Sighting, contact: ContactView | undefined): void {
    const ua = m.userAgent;
    if (ua !== undefined) reg.userAgent ??= { value: ua, frame: s.frame, source: `User-Agent of the ${m.method ?? 'request'}` };
    const instance = contact?.contact?.instance;
    if (instance !== undefined) {
      reg.instance ??= { value: instance.urn, frame: s.frame, source: 'Contact +sip.instance' };
      if (instance.imei !== undefined) reg.imei ??= { value: { imei: instance.imei.digits, tac: instance.imei.tac, snr: instance.imei.snr }, frame: s.frame, source: 'Contact +sip.instance (urn:gsma:imei)' };
    }
    if (s.hop === 'ue') {
      const pani = uePaniOf(m);
      if (pani !== undefined) addFact(reg.pani, { value: pani, frame: s.frame, source: `P-Access-Network-Info of the ${m.method ?? 'request'}` }, (a, b) => a.raw === b.raw);
    }
  }

  // ---- REGISTER responses ---------------------------------------------------------------------

  private registerResponse(event: SipEvent, seq: number): void {
    this.registerResponses++;
    const { message: m, meta } = event;
    const status = m.statusCode ?? 0;
    const tx = this.txs.get(`${m.callId ?? ''}\u0000${seq}`);
    if (tx === undefined) {
      this.orphanResponses++;
      return;
    }
    if (status < 200) return;
    const proc = tx.procedure;
    const reg = proc.registration;
    const s = sightingOf(meta, hopOf(m));
    touch(proc, s);
    if (tx.final === undefined) {
      tx.final = { label: `${status} ${m.reasonPhrase ?? ''}`.trim(), status, cseq: seq, ts: s.ts, sightings: [s] };
      tx.finalStatus = status;
    } else {
      addSighting(tx.final, s);
    }
    const isLast = proc.txs[proc.txs.length - 1] === tx;
    if (status === 401 || status === 407) this.challengeFacts(tx, m, s);
    else if (status === 423) {
      const min = m.minExpires;
      if (min !== undefined) proc.expiry.minExpires = { value: min, frame: s.frame, source: 'Min-Expires of the 423' };
    }
    if (!isLast) return;
    if (RETRY_STATUSES.has(status)) {
      proc.outcome = 'incomplete';
      this.await(tx.callId, proc);
      return;
    }
    if (this.awaiting.get(tx.callId) === proc) this.awaiting.delete(tx.callId);
    const first = proc.final === undefined;
    if (first || s.hop === 'ue') proc.final = { status, reason: m.reasonPhrase ?? '', frame: s.frame, ts: s.ts };
    proc.outcome = status < 300 ? 'success' : 'failure';
    if (status < 300) this.successFacts(proc, reg, m, s, first);
  }

  private challengeFacts(tx: TxDraft, m: SipMessage, s: Sighting): void {
    const proc = tx.procedure;
    for (const name of ['WWW-Authenticate', 'Proxy-Authenticate'] as const) {
      for (const h of m.authHeaders(name)) {
        if (isDecodeError(h)) continue;
        const nonce = h.nonce;
        if (nonce === undefined) continue;
        const known = proc.challenges.find((c) => c.nonce.value === nonce);
        if (known !== undefined) {
          mergeChallengeCopy(known, h, s.frame, s.ts, s.hop);
          tx.challenge ??= known;
        } else if (proc.challenges.length < MAX_CHALLENGES) {
          const ch = challengeDraft(h, s.frame, s.ts, m.statusCode ?? 401, s.hop);
          if (ch !== undefined) {
            proc.challenges.push(ch);
            tx.challenge ??= ch;
          }
        }
      }
    }
    const server = mechanismsOf(m, 'Security-Server');
    if (server.length > 0) {
      const n = proc.negotiation ?? this.openNegotiation(proc.registration, proc, s);
      if (n !== undefined) {
        n.server ??= { value: server, frame: s.frame, source: `Security-Server of the ${m.statusCode ?? ''}`.trim() };
        settle(n);
      }
    }
  }

  private successFacts(proc: ProcedureDraft, reg: RegistrationDraft, m: SipMessage, s: Sighting, first: boolean): void {
    if (proc.kind !== 'de-registration') {
      const granted = grantedExpiry(m, reg.contactKey, s.frame);
      if (granted !== undefined && (first || s.hop === 'ue')) {
        proc.expiry.granted = granted;
        proc.expiry.deadline = s.ts + granted.value;
        proc.expiry.refreshBy = refreshTime(s.ts, granted.value);
      }
    }
    for (const a of associatedUris(m, MAX_FACTS)) {
      addFact(reg.impus, { value: a.text, frame: s.frame, source: 'P-Associated-URI of the 200 OK' });
      const number = a.uri === undefined ? undefined : msisdnOfUri(a.uri);
      if (number !== undefined) addFact(reg.msisdn, { value: number, frame: s.frame, source: `P-Associated-URI ${a.text}` });
    }
    const route = routeUris(m, 'Service-Route');
    if (route.length > 0 && (reg.serviceRoute === undefined || reg.serviceRoute.frame < proc.firstFrame)) {
      reg.serviceRoute = { value: route, frame: s.frame, source: 'Service-Route of the 200 OK' };
      reg.serviceRouteKeys = serviceRouteKeys(m);
    }
    const path = routeUris(m, 'Path');
    if (path.length > 0 && reg.path === undefined) reg.path = { value: path, frame: s.frame, source: 'Path of the 200 OK' };
  }

  // ---- Other requests ---------------------------------------------------------------------------

  private otherRequest(event: SipEvent): void {
    const { message: m, meta } = event;
    // Which way the request goes: to or from a UE whose address a registration knows, else by its Vias.
    const target = this.byUeAddress.get(meta.dst);
    if (target !== undefined) {
      const n = target.negotiations[target.negotiations.length - 1];
      if (n !== undefined && meta.src === target.pcscfAddress) observePorts(n, false, meta.srcPort, meta.dstPort);
      return;
    }
    const hop = this.byUeAddress.has(meta.src) ? 'ue' : hopOf(m);
    if (hop !== 'ue') return;
    const s = sightingOf(meta, hop);
    const contact = contactOf(m);
    const verify = mechanismsOf(m, 'Security-Verify');
    let reg = (contact !== undefined ? this.registry.byContactKey(contact.key) : undefined) ?? this.byUeAddress.get(meta.src);
    if (reg === undefined && verify.length > 0) {
      // In-dialog requests (PRACK, ACK, BYE) name no Contact: the UE's address stands for it.
      const named = contact !== undefined && contact.key !== '*';
      reg = this.registry.forInUse(named ? contact.key : `ue:${meta.src}`, named ? contact.text : '(no Contact)', meta.frameNo);
      if (reg !== undefined) {
        reg.ueAddress = meta.src;
        reg.pcscfAddress = meta.dst;
        reg.pcscfUsed ??= { value: hostPort(meta.dst, meta.dstPort), frame: meta.frameNo, source: `destination of the ${m.method ?? 'request'}` };
        this.indexUe(meta.src, reg);
      }
    }
    if (reg === undefined) return;
    reg.lastFrame = Math.max(reg.lastFrame, meta.frameNo);
    this.deviceFacts(reg, m, s, contact);
    if (reg.inUse) this.inUseIdentity(reg, m, s);
    if (verify.length > 0) {
      const n = latestWithServer(reg) ?? reg.negotiations[reg.negotiations.length - 1] ?? this.openNegotiation(reg, undefined, s);
      if (n !== undefined) this.addVerify(reg, n, verify, s, m.method ?? 'request', m.callId ?? '');
    }
    const n = reg.negotiations[reg.negotiations.length - 1];
    if (n !== undefined && meta.dst === reg.pcscfAddress) observePorts(n, true, meta.srcPort, meta.dstPort);
    this.checkServiceRoute(reg, m, s);
  }

  /** For a registration seen only in use: the public identity the UE asserts (RFC 3325 §9.2). */
  private inUseIdentity(reg: RegistrationDraft, m: SipMessage, s: Sighting): void {
    const preferred = m.nameAddrs('P-Preferred-Identity')[0];
    const named = preferred !== undefined && !isDecodeError(preferred) && !isDecodeError(preferred.uri) ? { uri: preferred.uri, header: 'P-Preferred-Identity' } : undefined;
    const from = fromUri(m);
    const identity = named ?? (from !== undefined ? { uri: from, header: 'From' } : undefined);
    if (identity === undefined) return;
    const source = `${identity.header} of the ${m.method ?? 'request'}`;
    addFact(reg.impus, { value: identity.uri.raw, frame: s.frame, source });
    const number = msisdnOfUri(identity.uri);
    if (number !== undefined) addFact(reg.msisdn, { value: number, frame: s.frame, source });
    reg.aor ??= reg.impus[0];
  }

  /** RFC 3608 §6: an initial request (no To tag) from a registered UE carries the Service-Route in its Route. */
  private checkServiceRoute(reg: RegistrationDraft, m: SipMessage, s: Sighting): void {
    if (reg.serviceRouteKeys.length === 0 || m.toTag !== undefined || m.method?.toUpperCase() === 'ACK' || m.method?.toUpperCase() === 'CANCEL') return;
    const registered = reg.procedures.some((p) => p.outcome === 'success' && p.kind !== 'de-registration' && p.lastFrame < s.frame);
    if (!registered || reg.routeChecks.length >= MAX_ROUTE_CHECKS) return;
    reg.routeChecks.push({ frame: s.frame, method: m.method ?? '', route: routeUris(m, 'Route'), usesServiceRoute: routesThrough(m, reg.serviceRouteKeys) });
  }

  // ---- Shared -----------------------------------------------------------------------------------

  private openNegotiation(reg: RegistrationDraft, proc: ProcedureDraft | undefined, s: Sighting): NegotiationDraft | undefined {
    if (reg.negotiations.length >= MAX_NEGOTIATIONS) return undefined;
    const fromUe = s.hop === 'ue' && s.src === reg.ueAddress;
    const n = newNegotiation(s.frame, reg.ueAddress ?? (fromUe ? s.src : undefined), reg.pcscfAddress);
    reg.negotiations.push(n);
    if (proc !== undefined) proc.negotiation = n;
    return n;
  }

  private addVerify(reg: RegistrationDraft, n: NegotiationDraft, verify: readonly SecMechanismView[], s: Sighting, method: string, callId: string): void {
    if (n.verify !== undefined) return;
    n.verify = { value: verify, frame: s.frame, source: `Security-Verify of the ${method}` };
    settle(n);
    if (n.verifyMatchesServer === false && n.server !== undefined) {
      this.flag(reg, 'security-verify-mismatch', `Security-Verify in frame ${s.frame} differs from the Security-Server of frame ${n.server.frame}`, [s.frame, n.server.frame], callId);
    }
  }

  private flag(reg: RegistrationDraft, rule: RegistrationRuleId, message: string, frames: readonly number[], callId?: string, properties?: Record<string, string | number | boolean>): void {
    if (reg.findings.length >= MAX_FINDINGS) return;
    reg.findings.push(registrationFinding(subjectOf(reg), rule, message, frames, callId, properties));
  }

  private indexUe(address: string, reg: RegistrationDraft): void {
    this.byUeAddress.delete(address);
    this.byUeAddress.set(address, reg);
    if (this.byUeAddress.size > MAX_UE_ADDRESSES) {
      const oldest = this.byUeAddress.keys().next();
      if (oldest.done !== true) this.byUeAddress.delete(oldest.value);
    }
  }

  private await(callId: string, proc: ProcedureDraft): void {
    this.awaiting.delete(callId);
    this.awaiting.set(callId, proc);
    if (this.awaiting.size > MAX_OPEN_TRANSACTIONS) {
      const oldest = this.awaiting.keys().next();
      if (oldest.done !== true) this.awaiting.delete(oldest.value);
    }
  }

  private remember(key: string, tx: TxDraft): void {
    this.txs.set(key, tx);
    if (this.txs.size > MAX_OPEN_TRANSACTIONS) {
      const oldest = this.txs.keys().next();
      if (oldest.done !== true) this.txs.delete(oldest.value);
    }
  }
}

export function subjectOf(reg: RegistrationDraft): { id: number; name: string } {
  const named = reg.impi?.value ?? reg.aor?.value;
  if (named !== undefined) return { id: reg.id, name: named };
  const unnamed = reg.contactKey.startsWith('call:') || reg.contactKey.startsWith('ue:');
  return { id: reg.id, name: unnamed && reg.ueAddress !== undefined ? `UE ${reg.ueAddress}` : reg.contact.value };
}

function addSighting(step: StepDraft, s: Sighting): void {
  if (step.sightings.length < MAX_SIGHTINGS && !step.sightings.some((x) => x.frame === s.frame)) step.sightings.push(s);
}

function touch(proc: ProcedureDraft, s: Sighting): void {
  proc.lastFrame = Math.max(proc.lastFrame, s.frame);
  proc.endTs = Math.max(proc.endTs, s.ts);
  proc.registration.lastFrame = Math.max(proc.registration.lastFrame, s.frame);
}

function latestWithServer(reg: RegistrationDraft): NegotiationDraft | undefined {
  for (let i = reg.negotiations.length - 1; i >= 0; i--) {
    const n = reg.negotiations[i];
    if (n?.server !== undefined || n?.verify !== undefined) return n;
  }
  return undefined;
}

function latestMinExpires(reg: RegistrationDraft): { value: number; frame: number } | undefined {
  for (let i = reg.procedures.length - 1; i >= 0; i--) {
    const min = reg.procedures[i]?.expiry.minExpires;
    if (min !== undefined) return min;
  }
  return undefined;
}
