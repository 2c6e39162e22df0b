// The SQN resynchronisation report: per subscriber, the AKA timeline with frames, the resync
// rounds, the authentication attempts and a verdict; with keys, the SQNs and MAC checks.
import type { Finding } from '../../report/findings.js';
import type { FreshnessVerdict } from '../../protocols/aka/sqn.js';
import type { AkaAuthResponseEvent, AkaChallengeEvent, AkaOutcomeEvent, AkaResyncEvent } from './events.js';

/**
 * How a subscriber's authentication went (the verdict of its deciding attempt, see SqnAttempt):
 * - ok: challenged, no resynchronisation, then a successful registration;
 * - recovered: at least one resynchronisation, then a successful registration;
 * - loop: `loopRounds` (default 2) or more resynchronisation rounds since the last successful
 *   registration and none after them, whether the capture then ends or a failure follows;
 * - failed: fewer rounds than that, and the attempt ended with a failure outcome (SIP error
 *   response, Diameter error Result-Code) with no challenge, resync or answer after it;
 * - incomplete: fewer rounds than that, and the capture ends while the attempt is open (the last
 *   event is a challenge, a resync or an answer, not an outcome).
 */
export type SqnVerdict = 'ok' | 'recovered' | 'loop' | 'failed' | 'incomplete';

export const SQN_VERDICTS: readonly SqnVerdict[] = ['loop', 'failed', 'incomplete', 'recovered', 'ok'];

/** AUTN = SQN ⊕ AK ‖ AMF ‖ MAC-A (TS 33.102 §6.3.2), as carried. */
export interface AutnFields {
  readonly sqnXorAk: Uint8Array;
  readonly amf: Uint8Array;
  readonly macA: Uint8Array;
  readonly amfSeparationBit: boolean;
}

/** AUTS = SQN_MS ⊕ AK* ‖ MAC-S (TS 33.102 §6.3.3), as carried. */
export interface AutsFields {
  readonly sqnMsXorAkStar: Uint8Array;
  readonly macS: Uint8Array;
}

/** A challenge opened with the subscriber's keys (TS 33.102 §6.3.3). */
export interface ChallengeCheck {
  readonly sqn: bigint;
  readonly seq: bigint;
  readonly ind: number;
  readonly ak: Uint8Array;
  readonly xmacA: Uint8Array;
  readonly macAValid: boolean;
  readonly res: Uint8Array;
  readonly ck: Uint8Array;
  readonly ik: Uint8Array;
  /** Whether the XRES / CK / IK the HSS sent equal the derived ones (when it sent them). */
  readonly xresMatches?: boolean;
  readonly ckMatches?: boolean;
  readonly ikMatches?: boolean;
  /** Whether the AUTN's AMF is the subscriber's configured AMF (when one is configured). */
  readonly amfMatches?: boolean;
}

/** A resynchronisation token opened with the subscriber's keys (TS 33.102 §6.3.5). */
export interface AutsCheck {
  readonly sqnMs: bigint;
  readonly seq: bigint;
  readonly ind: number;
  readonly akStar: Uint8Array;
  readonly xmacS: Uint8Array;
  readonly macSValid: boolean;
}

interface EntryBase {
  /** Position in the subscriber's timeline, 0-based. */
  readonly index: number;
  readonly frameNo: number;
  readonly ts: number;
  readonly impi?: string;
  readonly imsi?: string;
  readonly callId?: string;
  readonly sessionId?: string;
  /** Why the AKA values of this event could not be decoded. */
  readonly error?: string;
}

export interface ChallengeEntry extends EntryBase {
  readonly kind: 'challenge';
  readonly source: AkaChallengeEvent['source'];
  readonly rand?: Uint8Array;
  readonly autn?: Uint8Array;
  readonly autnFields?: AutnFields;
  readonly xres?: Uint8Array;
  readonly ck?: Uint8Array;
  readonly ik?: Uint8Array;
  /** 1-based number of the distinct RAND within the subscriber (the same vector on Cx and SIP shares it). */
  readonly challenge?: number;
  readonly check?: ChallengeCheck;
}

export interface ResyncEntry extends EntryBase {
  readonly kind: 'resync';
  readonly source: AkaResyncEvent['source'];
  readonly auts?: Uint8Array;
  readonly autsFields?: AutsFields;
  /** RAND of the rejected challenge: carried with the AUTS, or that of the latest challenge before it. */
  readonly rand?: Uint8Array;
  readonly randFrom: 'event' | 'challenge' | 'unknown';
  /** The challenge this AUTS answers (number and first frame), when it is in the capture. */
  readonly answersChallenge?: number;
  readonly answersFrame?: number;
  /** 1-based resync round (the same AUTS on SIP and Cx/S6a is one round). */
  readonly round?: number;
  readonly check?: AutsCheck;
}

export interface AuthResponseEntry extends EntryBase {
  readonly kind: 'auth-response';
  readonly source: AkaAuthResponseEvent['source'];
  readonly nonce?: string;
  /** RAND of the nonce answered (RFC 3310 §3.2), and the challenge it names. */
  readonly rand?: Uint8Array;
  readonly answersChallenge?: number;
}

export interface OutcomeEntry extends EntryBase {
  readonly kind: 'outcome';
  readonly source: AkaOutcomeEvent['source'];
  readonly success: boolean;
  readonly status?: number;
  readonly resultCode?: number;
}

export type SqnTimelineEntry = ChallengeEntry | ResyncEntry | AuthResponseEntry | OutcomeEntry;

/** One resynchronisation: the rejected challenge, the AUTS, and what the HSS sent next. */
export interface SqnRound {
  readonly round: number;
  readonly auts: Uint8Array;
  /** Frames carrying this AUTS (SIP REGISTER, Cx MAR, S6a AIR), in order. */
  readonly frames: readonly number[];
  readonly ts: number;
  readonly rejectedChallenge?: number;
  readonly rejectedFrame?: number;
  /** The first different challenge after the AUTS: the HSS's answer to the resync. */
  readonly nextChallenge?: number;
  readonly nextFrames: readonly number[];
  /** The UE answered that next challenge with a Digest response (seen in the capture). */
  readonly nextAnswered: boolean;
  /** With keys: the SIM's SQN_MS, the HSS's rejected and next SQN, and the USIM's view of both. */
  readonly sqnMs?: bigint;
  readonly macSValid?: boolean;
  readonly rejectedSqn?: bigint;
  /** SEQ(rejected SQN_HE) − SEQ(SQN_MS) (TS 33.102 Annex C.2.1). */
  readonly rejectedSeqDelta?: bigint;
  readonly rejectedFreshness?: FreshnessVerdict;
  readonly nextSqn?: bigint;
  readonly nextSeqDelta?: bigint;
  readonly nextFreshness?: FreshnessVerdict;
}

/** Events between two successful registrations: one authentication, however many rounds it took. */
export interface SqnAttempt {
  readonly verdict: SqnVerdict;
  /** Distinct resync rounds in this attempt. */
  readonly rounds: number;
  /** Distinct challenges (RAND values) in this attempt. */
  readonly challenges: number;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly startTs: number;
  readonly endTs: number;
  /** endTs − startTs in seconds. */
  readonly duration: number;
  /** Timeline indexes of the attempt's first and last entries. */
  readonly firstIndex: number;
  readonly lastIndex: number;
  /** The outcome that closed (success) or ended (failure) the attempt. */
  readonly outcome?: OutcomeEntry;
}

/** The SIM's and the HSS's SQN side by side (with keys). */
export interface SqnComparison {
  /** Latest SQN_MS the SIM reported in an AUTS, and its frame. */
  readonly sqnMs?: bigint;
  readonly sqnMsFrame?: number;
  /** Latest SQN_HE the HSS sent in an AUTN, and its frame. */
  readonly sqnHe?: bigint;
  readonly sqnHeFrame?: number;
  /** SEQ_HE − SEQ_MS of those two. */
  readonly seqDelta?: bigint;
  /** The USIM's verdict on that latest SQN_HE against SQN_MS (TS 33.102 Annex C.2). */
  readonly freshness?: FreshnessVerdict;
}

export interface KeyMaterial {
  readonly k: Uint8Array;
  readonly opc: Uint8Array;
  readonly op?: Uint8Array;
  readonly amf?: Uint8Array;
}

export interface SqnSubscriberReport {
  /** IMPI when known, otherwise IMSI. */
  readonly id: string;
  readonly impis: readonly string[];
  readonly imsis: readonly string[];
  readonly verdict: SqnVerdict;
  /** Resync rounds of the deciding attempt, and over the whole capture. */
  readonly rounds: number;
  readonly totalRounds: number;
  /** Duration of the deciding attempt in seconds, and its frames. */
  readonly duration: number;
  readonly firstFrame: number;
  readonly lastFrame: number;
  /** Index into `attempts` of the attempt the verdict comes from. */
  readonly decidingAttempt: number;
  readonly attempts: readonly SqnAttempt[];
  readonly resyncs: readonly SqnRound[];
  readonly timeline: readonly SqnTimelineEntry[];
  /** Where the subscriber's keys came from; absent when no key applied. */
  readonly keyOrigin?: string;
  /** The keys themselves: present only when the report was asked to show them. */
  readonly keys?: KeyMaterial;
  readonly sqn?: SqnComparison;
  readonly callIds: readonly string[];
}

export interface SqnReport {
  readonly subscribers: readonly SqnSubscriberReport[];
  readonly findings: readonly Finding[];
  readonly verdicts: Readonly<Record<SqnVerdict, number>>;
  /** Events that named no subscriber and could not be attributed through Call-ID or Session-Id. */
  readonly unattributed: number;
  /** IND length used for SEQ/IND splits and freshness (TS 33.102 Annex C.1.2). */
  readonly indBits: number;
  readonly loopRounds: number;
  readonly keysSupplied: boolean;
}
