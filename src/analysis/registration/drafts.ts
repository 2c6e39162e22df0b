// The working state of the registration analysis while the capture is read: per registration,
// its procedures and REGISTER transactions, and the facts gathered so far. Everything here is
// bounded per registration (the caps below); `finish` turns it into the report's records.
import type { AuthHeader } from '../../protocols/sip/auth.js';
import type { Finding } from '../../report/findings.js';
import type { ChallengeDraft } from './authentication.js';
import type { NegotiationDraft } from './security-agreement.js';
import type { CxRecord } from './cx.js';
import type { ExpiryInfo, Fact, ImeiView, PaniView, ProcedureKind, ProcedureOutcome, RouteCheck, Sighting } from './types.js';

export const MAX_PROCEDURES = 256;
export const MAX_NEGOTIATIONS = 16;
export const MAX_FACTS = 16;
export const MAX_ROUTE_CHECKS = 16;
export const MAX_SIGHTINGS = 8;
/** REGISTER transactions per procedure; a longer one (an endless challenge loop) goes on as a new procedure. */
export const MAX_TRANSACTIONS = 128;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface StepDraft {
  readonly label: string;
  readonly status?: number;
  readonly cseq?: number;
  ts: number;
  readonly sightings: Sighting[];
}

/** One REGISTER transaction (Call-ID + CSeq), every hop's copy folded in. */
export interface TxDraft {
  readonly callId: string;
  readonly cseq?: number;
  readonly procedure: ProcedureDraft;
  readonly request: StepDraft;
  final?: StepDraft;
  finalStatus?: number;
  /** The challenge this REGISTER answers (its Authorization nonce), and the one its 401 carries. */
  answers?: ChallengeDraft;
  challenge?: ChallengeDraft;
  /** The credentials of the REGISTER that answered a challenge (for the XRES check at the end). */
  credentials?: AuthHeader;
  /** The UE's copy offered a new SA (Security-Client) without Security-Verify: it was sent unprotected. */
  ueOffer?: boolean;
  /** Frame of a network copy saying integrity-protected="yes" (TS 24.229 §5.2.2). */
  integrityClaimFrame?: number;
}

export interface ProcedureDraft {
  readonly registration: RegistrationDraft;
  readonly index: number;
  readonly callId: string;
  kind: ProcedureKind;
  kindDetail: string;
  readonly kindFrame: number;
  readonly txs: TxDraft[];
  outcome: ProcedureOutcome;
  final?: { status: number; reason: string; frame: number; ts: number };
  readonly firstFrame: number;
  lastFrame: number;
  readonly startTs: number;
  endTs: number;
  readonly expiry: Mutable<ExpiryInfo>;
  readonly challenges: ChallengeDraft[];
  readonly cx: CxRecord[];
  negotiation?: NegotiationDraft;
}

export interface RegistrationDraft {
  readonly id: number;
  impi?: Fact<string>;
  impiFromCredentials: boolean;
  aor?: Fact<string>;
  readonly contact: Fact<string>;
  readonly contactKey: string;
  readonly callIds: string[];
  ueAddress?: string;
  pcscfAddress?: string;
  pcscfUsed?: Fact<string>;
  readonly procedures: ProcedureDraft[];
  droppedProcedures: number;
  readonly negotiations: NegotiationDraft[];
  readonly impus: Fact<string>[];
  readonly msisdn: Fact<string>[];
  instance?: Fact<string>;
  imei?: Fact<ImeiView>;
  userAgent?: Fact<string>;
  readonly pani: Fact<PaniView>[];
  serviceRoute?: Fact<readonly string[]>;
  serviceRouteKeys: readonly string[];
  path?: Fact<readonly string[]>;
  readonly routeChecks: RouteCheck[];
  readonly findings: Finding[];
  readonly firstFrame: number;
  lastFrame: number;
  /** No REGISTER of it is in the capture: it was made from requests sent over an existing SA. */
  readonly inUse: boolean;
}

export function newRegistration(id: number, contact: Fact<string>, contactKey: string, inUse: boolean): RegistrationDraft {
  return {
    id,
    impiFromCredentials: false,
    contact,
    contactKey,
    callIds: [],
    procedures: [],
    droppedProcedures: 0,
    negotiations: [],
    impus: [],
    msisdn: [],
    pani: [],
    serviceRouteKeys: [],
    routeChecks: [],
    findings: [],
    firstFrame: contact.frame,
    lastFrame: contact.frame,
    inUse,
  };
}

/** Adds a fact unless the same value is already known; keeps at most `max`. */
export function addFact<T>(list: Fact<T>[], fact: Fact<T>, same: (a: T, b: T) => boolean = (a, b) => a === b): void {
  if (list.length >= MAX_FACTS || list.some((f) => same(f.value, fact.value))) return;
  list.push(fact);
}
