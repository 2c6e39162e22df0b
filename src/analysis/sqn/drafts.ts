// Turns an AKA event into the timeline record the analyzer keeps: AUTN / AUTS decoded
// structurally (no keys needed), byte values copied out of the packet buffers, malformed values
// kept as a reason.
import { isDecodeError } from '../../decode-error.js';
import { splitAutn } from '../../protocols/aka/autn.js';
import { decodeAuts, splitRandAuts } from '../../protocols/aka/auts.js';
import { decodeAkaNonce } from '../../protocols/aka/nonce.js';
import { AUTS_BYTES, RAND_BYTES } from '../../protocols/aka/types.js';
import type { AkaChallengeEvent, AkaEvent, AkaResyncEvent } from './events.js';
import type { AuthResponseEntry, ChallengeEntry, OutcomeEntry, ResyncEntry } from './report-types.js';

export type ChallengeDraft = Omit<ChallengeEntry, 'index' | 'challenge' | 'check'>;
export type ResyncDraft = Omit<ResyncEntry, 'index' | 'round' | 'check' | 'rand' | 'randFrom' | 'answersChallenge' | 'answersFrame'> & {
  /** RAND carried with the AUTS (Cx / S6a, or a SIP adapter that resolved it). */
  readonly carriedRand?: Uint8Array;
};
export type AuthResponseDraft = Omit<AuthResponseEntry, 'index' | 'answersChallenge'>;
export type OutcomeDraft = Omit<OutcomeEntry, 'index'>;
export type EntryDraft = ChallengeDraft | ResyncDraft | AuthResponseDraft | OutcomeDraft;

function base(event: AkaEvent) {
  return {
    frameNo: event.frameNo,
    ts: event.ts,
    ...(event.impi !== undefined ? { impi: event.impi } : {}),
    ...(event.imsi !== undefined ? { imsi: event.imsi } : {}),
    ...(event.callId !== undefined ? { callId: event.callId } : {}),
    ...(event.sessionId !== undefined ? { sessionId: event.sessionId } : {}),
  };
}

function copyOptional(name: 'xres' | 'ck' | 'ik', value: Uint8Array | undefined): Partial<Record<'xres' | 'ck' | 'ik', Uint8Array>> {
  return value === undefined ? {} : { [name]: value.slice() };
}

function challengeDraft(event: AkaChallengeEvent): ChallengeDraft {
  const common = {
    kind: 'challenge' as const,
    source: event.source,
    ...base(event),
    ...copyOptional('xres', event.xres),
    ...copyOptional('ck', event.ck),
    ...copyOptional('ik', event.ik),
  };
  let rand: Uint8Array;
  let autn: Uint8Array;
  if ('nonce' in event) {
    // RFC 3310 §3.2: nonce = base64(RAND ‖ AUTN ‖ server data); decoding makes fresh bytes.
    const nonce = decodeAkaNonce(event.nonce);
    if (isDecodeError(nonce)) return { ...common, error: nonce.reason };
    rand = nonce.rand.slice();
    autn = nonce.autn.slice();
  } else {
    rand = event.rand.slice();
    autn = event.autn.slice();
  }
  if (rand.length !== RAND_BYTES) return { ...common, error: `RAND must be 16 bytes, got ${rand.length}` };
  const fields = splitAutn(autn);
  if (isDecodeError(fields)) return { ...common, rand, error: fields.reason };
  return { ...common, rand, autn, autnFields: fields };
}

function resyncDraft(event: AkaResyncEvent): ResyncDraft {
  const common = { kind: 'resync' as const, source: event.source, ...base(event) };
  if ('randAuts' in event) {
    // TS 29.229 §6.3.11 / TS 29.272 §7.3.15: RAND (16) ‖ AUTS (14).
    const split = splitRandAuts(event.randAuts.slice());
    if (isDecodeError(split)) return { ...common, error: split.reason };
    return { ...common, carriedRand: split.rand, auts: split.autsBytes, autsFields: split.auts };
  }
  let carriedRand: Uint8Array | undefined;
  if (event.rand !== undefined) {
    if (event.rand.length !== RAND_BYTES) return { ...common, error: `RAND must be 16 bytes, got ${event.rand.length}` };
    carriedRand = event.rand.slice();
  }
  const withRand = carriedRand === undefined ? common : { ...common, carriedRand };
  const decoded = decodeAuts(event.auts);
  if (isDecodeError(decoded)) return { ...withRand, error: decoded.reason };
  const auts = new Uint8Array(AUTS_BYTES);
  auts.set(decoded.sqnMsXorAkStar, 0);
  auts.set(decoded.macS, 6);
  return { ...withRand, auts, autsFields: { sqnMsXorAkStar: auts.subarray(0, 6), macS: auts.subarray(6) } };
}

export function draftFromEvent(event: AkaEvent): EntryDraft {
  switch (event.kind) {
    case 'challenge':
      return challengeDraft(event);
    case 'resync':
      return resyncDraft(event);
    case 'auth-response': {
      const nonce = event.nonce === undefined ? undefined : decodeAkaNonce(event.nonce);
      return {
        kind: 'auth-response',
        source: event.source,
        ...base(event),
        ...(event.nonce !== undefined ? { nonce: event.nonce } : {}),
        ...(nonce !== undefined && !isDecodeError(nonce) ? { rand: nonce.rand.slice() } : {}),
      };
    }
    case 'outcome':
      return {
        kind: 'outcome',
        source: event.source,
        ...base(event),
        success: event.success,
        ...(event.status !== undefined ? { status: event.status } : {}),
        ...(event.resultCode !== undefined ? { resultCode: event.resultCode } : {}),
      };
  }
}
