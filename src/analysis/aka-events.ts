// Adapters from pipeline events to the SQN analysis' AkaEvent: SIP REGISTER transactions (Gm and
// Mw), Cx MAR/MAA/SAA and S6a AIR/AIA/ULA. akaEventsFromSip and akaEventsFromDiameter are pure:
// one message in, its AKA steps out. AkaEventFeed adds what one message cannot know — whom an
// answer is about, learnt from its request by Call-ID or Session-Id — and feeds a consumer.
import { isDecodeError } from '../decode-error.js';
import type { DiameterEvent, PassHandlers, SipEvent } from '../pipeline/events.js';
import { decodeAkaNonce } from '../protocols/aka/nonce.js';
import { avpText, findAvp, findAvps, resultClass, resultCode, sessionId } from '../protocols/diameter/query.js';
import { VENDOR_3GPP } from '../protocols/diameter/avp-dictionary.js';
import type { DiameterAvp, DiameterMessage } from '../protocols/diameter/types.js';
import type { AuthHeader } from '../protocols/sip/auth.js';
import type { SipMessage } from '../protocols/sip/message.js';
import { parseHex } from './sqn/hex.js';
import { isImsi } from './sqn/identity.js';
import type { AkaChallengeEvent, AkaEvent, AkaEventBase, AkaOutcomeEvent, AkaResyncEvent } from './sqn/events.js';

// TS 29.229 §6.1: Cx command codes.
const SERVER_ASSIGNMENT = 301;
const MULTIMEDIA_AUTH = 303;
// TS 29.272 §7.2: S6a command codes.
const UPDATE_LOCATION = 316;
const AUTHENTICATION_INFORMATION = 318;
const AKA_COMMANDS: ReadonlySet<number> = new Set([SERVER_ASSIGNMENT, MULTIMEDIA_AUTH, UPDATE_LOCATION, AUTHENTICATION_INFORMATION]);

// RFC 6733 §8.14 User-Name; TS 29.229 §6.3 Cx AVPs; TS 29.272 §7.3 S6a AVPs.
const USER_NAME = 1;
const SIP_AUTHENTICATION_SCHEME = 608;
const SIP_AUTHENTICATE = 609;
const SIP_AUTHORIZATION = 610;
const SIP_AUTH_DATA_ITEM = 612;
const CONFIDENTIALITY_KEY = 625;
const INTEGRITY_KEY = 626;
const REQUESTED_EUTRAN_AUTHENTICATION_INFO = 1408;
const REQUESTED_UTRAN_GERAN_AUTHENTICATION_INFO = 1409;
const RE_SYNCHRONIZATION_INFO = 1411;
const AUTHENTICATION_INFO = 1413;
const E_UTRAN_VECTOR = 1414;
const UTRAN_VECTOR = 1415;
const RAND = 1447;
const XRES = 1448;
const AUTN = 1449;

// TS 33.102 §6.3.2: RAND is 16 bytes (SIP-Authenticate = RAND ‖ AUTN, TS 29.229 §6.3.10).
const RAND_BYTES = 16;

// ---- SIP (RFC 3310, TS 24.229 §5.1.1.5, §5.4.1.2) ---------------------------------------------

/** RFC 3310 §3.1 "AKAv1-MD5", RFC 4169 §3 "AKAv2-MD5". */
function isAkaAlgorithm(algorithm: string | undefined): boolean {
  return algorithm !== undefined && algorithm.trim().toUpperCase().startsWith('AKAV');
}

function authHeaders(message: SipMessage, names: readonly ('WWW-Authenticate' | 'Proxy-Authenticate' | 'Authorization' | 'Proxy-Authorization')[]): AuthHeader[] {
  const out: AuthHeader[] = [];
  for (const name of names) for (const h of message.authHeaders(name)) if (!isDecodeError(h)) out.push(h);
  return out;
}

/** Hex CK / IK of a challenge (TS 24.229 §7.2A.2); malformed hex is left out. */
function hexParam(value: string | undefined): Uint8Array | undefined {
  return value === undefined ? undefined : parseHex(value.trim());
}

function cseqMethod(message: SipMessage): string | undefined {
  const cseq = message.cseq;
  return cseq === undefined || isDecodeError(cseq) ? undefined : cseq.method.toUpperCase();
}

function sipChallenges(message: SipMessage, base: AkaEventBase): AkaEvent[] {
  const out: AkaEvent[] = [];
  for (const h of authHeaders(message, ['WWW-Authenticate', 'Proxy-Authenticate'])) {
    if (!isAkaAlgorithm(h.algorithm) || h.nonce === undefined) continue;
    // TS 24.229 §5.4.1.2.1: the S-CSCF adds ik and ck for the P-CSCF; the P-CSCF removes them.
    const ck = hexParam(h.ck);
    const ik = hexParam(h.ik);
    out.push({ kind: 'challenge', source: 'sip-401', ...base, nonce: h.nonce, ...(ck ? { ck } : {}), ...(ik ? { ik } : {}) });
  }
  return out;
}

function sipCredentials(message: SipMessage, base: AkaEventBase): AkaEvent[] {
  const out: AkaEvent[] = [];
  for (const h of authHeaders(message, ['Authorization', 'Proxy-Authorization'])) {
    const impi = h.username !== undefined && h.username !== '' ? h.username : undefined;
    const who = impi !== undefined ? { ...base, impi } : base;
    if (h.auts !== undefined && h.auts !== '') {
      // RFC 3310 §3.4: the REGISTER carrying auts names the nonce (RAND ‖ AUTN) it rejects.
      const nonce = h.nonce === undefined || h.nonce === '' ? undefined : decodeAkaNonce(h.nonce);
      const rand = nonce === undefined || isDecodeError(nonce) ? undefined : nonce.rand;
      out.push({ kind: 'resync', source: 'sip-register', ...who, auts: h.auts, ...(rand ? { rand } : {}) });
      continue;
    }
    // TS 24.229 §5.1.1.2.1: the initial REGISTER carries empty nonce and response: not an answer.
    if (impi === undefined || h.response === undefined || h.response === '' || h.nonce === undefined || h.nonce === '') continue;
    if (h.algorithm !== undefined && !isAkaAlgorithm(h.algorithm)) continue;
    out.push({ kind: 'auth-response', source: 'sip-register', ...base, impi, nonce: h.nonce });
  }
  return out;
}

/**
 * The AKA steps of one SIP message: a 401/407 to REGISTER with an AKA nonce is a challenge (with
 * ik/ck when present, on the S-CSCF → P-CSCF hop); a REGISTER whose Authorization carries auts
 * is a resync, one with a Digest response an auth-response; a 2xx to REGISTER is a success and
 * any other final response (not 401/407) a failure.
 */
export function akaEventsFromSip(event: SipEvent): AkaEvent[] {
  const { message } = event;
  if (message.isRequest) return isRegister(message) ? sipCredentials(message, sipBase(event)) : [];
  const status = message.statusCode;
  if (status === undefined || status < 200 || cseqMethod(message) !== 'REGISTER') return [];
  if (status === 401 || status === 407) return sipChallenges(message, sipBase(event));
  return [{ kind: 'outcome', source: 'sip', ...sipBase(event), success: status < 300, status }];
}

function isRegister(message: SipMessage): boolean {
  return message.method?.toUpperCase() === 'REGISTER';
}

function sipBase(event: SipEvent): AkaEventBase {
  const callId = event.message.callId;
  return { frameNo: event.meta.frameNo, ts: event.meta.ts, ...(callId !== undefined && callId !== '' ? { callId } : {}) };
}

// ---- Diameter (TS 29.229 Cx, TS 29.272 S6a) ---------------------------------------------------

function octets(source: DiameterAvp | DiameterMessage, code: number): Uint8Array | undefined {
  return findAvp(source, code, VENDOR_3GPP)?.data;
}

/** TS 29.229 §6.3.13: one challenge per SIP-Auth-Data-Item whose SIP-Authenticate is RAND ‖ AUTN. */
function cxChallenges(message: DiameterMessage, base: AkaEventBase): AkaChallengeEvent[] {
  const out: AkaChallengeEvent[] = [];
  for (const item of findAvps(message, SIP_AUTH_DATA_ITEM, VENDOR_3GPP)) {
    const scheme = avpText(findAvp(item, SIP_AUTHENTICATION_SCHEME, VENDOR_3GPP));
    const authenticate = octets(item, SIP_AUTHENTICATE);
    if (authenticate === undefined || (scheme !== undefined && !scheme.toUpperCase().includes('AKA'))) continue;
    // In an MAA, SIP-Authorization carries XRES (TS 29.229 §6.3.11).
    const xres = octets(item, SIP_AUTHORIZATION);
    const ck = octets(item, CONFIDENTIALITY_KEY);
    const ik = octets(item, INTEGRITY_KEY);
    out.push({
      kind: 'challenge',
      source: 'cx-maa',
      ...base,
      rand: authenticate.subarray(0, RAND_BYTES),
      autn: authenticate.subarray(RAND_BYTES),
      ...(xres ? { xres } : {}),
      ...(ck ? { ck } : {}),
      ...(ik ? { ik } : {}),
    });
  }
  return out;
}

/** TS 29.229 §6.3.11: in an MAR, SIP-Authorization is RAND ‖ AUTS after a synchronisation failure. */
function cxResyncs(message: DiameterMessage, base: AkaEventBase): AkaResyncEvent[] {
  const out: AkaResyncEvent[] = [];
  for (const item of findAvps(message, SIP_AUTH_DATA_ITEM, VENDOR_3GPP)) {
    const randAuts = octets(item, SIP_AUTHORIZATION);
    if (randAuts !== undefined) out.push({ kind: 'resync', source: 'cx-mar', ...base, randAuts });
  }
  return out;
}

/** TS 29.272 §7.3.18 / §7.3.19: one challenge per E-UTRAN-Vector (RAND, XRES, AUTN, KASME) or UTRAN-Vector (with CK, IK). */
function s6aChallenges(message: DiameterMessage, base: AkaEventBase): AkaChallengeEvent[] {
  const out: AkaChallengeEvent[] = [];
  for (const info of findAvps(message, AUTHENTICATION_INFO, VENDOR_3GPP)) {
    const vectors = [...findAvps(info, E_UTRAN_VECTOR, VENDOR_3GPP), ...findAvps(info, UTRAN_VECTOR, VENDOR_3GPP)];
    vectors.sort((a, b) => a.offset - b.offset);
    for (const vector of vectors) {
      const rand = octets(vector, RAND);
      const autn = octets(vector, AUTN);
      if (rand === undefined || autn === undefined) continue;
      const xres = octets(vector, XRES);
      const ck = octets(vector, CONFIDENTIALITY_KEY);
      const ik = octets(vector, INTEGRITY_KEY);
      out.push({ kind: 'challenge', source: 's6a-aia', ...base, rand, autn, ...(xres ? { xres } : {}), ...(ck ? { ck } : {}), ...(ik ? { ik } : {}) });
    }
  }
  return out;
}

/** TS 29.272 §7.3.11 / §7.3.12: Re-Synchronization-Info (RAND ‖ AUTS) in the requested authentication info. */
function s6aResyncs(message: DiameterMessage, base: AkaEventBase): AkaResyncEvent[] {
  const out: AkaResyncEvent[] = [];
  const seen: Uint8Array[] = [];
  for (const code of [REQUESTED_EUTRAN_AUTHENTICATION_INFO, REQUESTED_UTRAN_GERAN_AUTHENTICATION_INFO]) {
    for (const requested of findAvps(message, code, VENDOR_3GPP)) {
      const randAuts = octets(requested, RE_SYNCHRONIZATION_INFO);
      if (randAuts === undefined || seen.some((s) => sameBytes(s, randAuts))) continue;
      seen.push(randAuts);
      out.push({ kind: 'resync', source: 's6a-air', ...base, randAuts });
    }
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The outcome an answer states: a failure for any Result-Code / Experimental-Result-Code outside
 * 1xxx–2xxx (RFC 6733 §7.1); a success only where success ends an authentication (`successful`).
 */
function answerOutcome(message: DiameterMessage, base: AkaEventBase, source: AkaOutcomeEvent['source'], successful: boolean): AkaOutcomeEvent[] {
  const result = resultCode(message);
  if (result === undefined) return [];
  const cls = resultClass(result.code);
  if (cls === 'success') return successful ? [{ kind: 'outcome', source, ...base, success: true, resultCode: result.code }] : [];
  if (cls === 'informational') return [];
  return [{ kind: 'outcome', source, ...base, success: false, resultCode: result.code }];
}

/** User-Name is the IMPI on Cx (TS 29.229 §6.1.7) and the IMSI on S6a (TS 29.272 §7.2.5). */
function diameterIdentity(message: DiameterMessage): Pick<AkaEventBase, 'impi' | 'imsi'> {
  const userName = avpText(findAvp(message, USER_NAME, 0));
  if (userName === undefined || userName === '') return {};
  const s6a = message.commandCode === AUTHENTICATION_INFORMATION || message.commandCode === UPDATE_LOCATION;
  return s6a && isImsi(userName) ? { imsi: userName } : { impi: userName };
}

function diameterBase(event: DiameterEvent): AkaEventBase {
  const { message, meta } = event;
  const session = sessionId(message);
  return { frameNo: meta.frameNo, ts: meta.ts, ...diameterIdentity(message), ...(session !== undefined && session !== '' ? { sessionId: session } : {}) };
}

/**
 * The AKA steps of one Diameter message: Cx MAA vectors and S6a AIA vectors are challenges
 * (with XRES/CK/IK when present); an MAR with SIP-Authorization and an AIR with
 * Re-Synchronization-Info are resyncs; an error result of MAA, SAA, AIA or ULA is a failure,
 * and a successful SAA (Cx) or ULA (S6a) a success.
 */
export function akaEventsFromDiameter(event: DiameterEvent): AkaEvent[] {
  const { message } = event;
  const request = message.flags.request;
  switch (message.commandCode) {
    case MULTIMEDIA_AUTH: {
      const base = diameterBase(event);
      return request ? cxResyncs(message, base) : [...cxChallenges(message, base), ...answerOutcome(message, base, 'cx', false)];
    }
    case AUTHENTICATION_INFORMATION: {
      const base = diameterBase(event);
      return request ? s6aResyncs(message, base) : [...s6aChallenges(message, base), ...answerOutcome(message, base, 's6a', false)];
    }
    case SERVER_ASSIGNMENT:
      return request ? [] : answerOutcome(message, diameterBase(event), 'cx', true);
    case UPDATE_LOCATION:
      return request ? [] : answerOutcome(message, diameterBase(event), 's6a', true);
    default:
      return [];
  }
}

// ---- The feed: identities learnt from requests ------------------------------------------------

/** Anything that takes AKA events in capture order (SqnResyncAnalyzer does). */
export interface AkaEventConsumer {
  push(event: AkaEvent): void;
}

export interface AkaEventFeedOptions {
  /** Call-IDs and Session-Ids whose subscriber is remembered at once (oldest forgotten first). Default 100 000. */
  readonly maxRemembered?: number;
}

type Identity = Pick<AkaEventBase, 'impi' | 'imsi'>;

/**
 * Feeds both adapters' events to a consumer. A 401 or a 200 names no IMPI, nor does an AIA or
 * a ULA name the IMSI: the feed remembers the Authorization username of each REGISTER by
 * Call-ID and the User-Name of each Cx / S6a request by Session-Id, and puts them on the events
 * of the answers (TS 24.229 §5.1.1.2.1; TS 29.229 §6.1.7; TS 29.272 §7.2.5).
 */
export class AkaEventFeed {
  private readonly remembered = new Map<string, Identity>();
  private readonly maxRemembered: number;

  constructor(
    private readonly consumer: AkaEventConsumer,
    options: AkaEventFeedOptions = {},
  ) {
    this.maxRemembered = options.maxRemembered ?? 100_000;
  }

  sip(event: SipEvent): void {
    const { message } = event;
    const callId = message.callId;
    if (callId !== undefined && callId !== '' && message.isRequest && isRegister(message)) {
      for (const h of authHeaders(message, ['Authorization', 'Proxy-Authorization'])) {
        if (h.username !== undefined && h.username !== '') {
          this.remember(`call:${callId}`, { impi: h.username });
          break;
        }
      }
    }
    for (const e of akaEventsFromSip(event)) this.consumer.push(this.complete(e));
  }

  diameter(event: DiameterEvent): void {
    const { message } = event;
    if (!AKA_COMMANDS.has(message.commandCode)) return;
    const session = sessionId(message);
    if (session !== undefined && session !== '') {
      const identity = diameterIdentity(message);
      if (identity.impi !== undefined || identity.imsi !== undefined) this.remember(`session:${session}`, identity);
    }
    for (const e of akaEventsFromDiameter(event)) this.consumer.push(this.complete(e));
  }

  /** The pass handlers that drive this feed. */
  handlers(): Pick<PassHandlers, 'sip' | 'diameter'> {
    return { sip: (e) => this.sip(e), diameter: (e) => this.diameter(e) };
  }

  private remember(key: string, identity: Identity): void {
    this.remembered.delete(key);
    this.remembered.set(key, identity);
    if (this.remembered.size > this.maxRemembered) {
      const oldest = this.remembered.keys().next();
      if (oldest.done !== true) this.remembered.delete(oldest.value);
    }
  }

  private complete(event: AkaEvent): AkaEvent {
    if (event.impi !== undefined || event.imsi !== undefined) return event;
    const identity =
      (event.callId !== undefined ? this.remembered.get(`call:${event.callId}`) : undefined) ??
      (event.sessionId !== undefined ? this.remembered.get(`session:${event.sessionId}`) : undefined);
    return identity === undefined ? event : { ...event, ...identity };
  }
}
