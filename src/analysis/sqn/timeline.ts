// A subscriber's AKA events in capture order, each challenge numbered by its RAND, each AUTS tied
// to the challenge it answers and numbered as a resync round, and — with keys — opened.
import { isDecodeError } from '../../decode-error.js';
import { resolveAuthVector, resolveAuts } from '../../protocols/aka/resolve.js';
import { splitSqn } from '../../protocols/aka/sqn.js';
import { toHex } from './hex.js';
import type { ChallengeDraft, ResyncDraft } from './drafts.js';
import type { SequencedDraft } from './registry.js';
import type { SubscriberKey } from './keys.js';
import type { AutsCheck, ChallengeCheck, ChallengeEntry, ResyncEntry, SqnTimelineEntry } from './report-types.js';

export interface TimelineOptions {
  readonly key?: SubscriberKey;
  readonly indBits: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function openChallenge(draft: ChallengeDraft, key: SubscriberKey, indBits: number): ChallengeCheck | undefined {
  if (draft.rand === undefined || draft.autn === undefined) return undefined;
  const r = resolveAuthVector({ k: key.k, opc: key.opc, rand: draft.rand, autn: draft.autn });
  if (isDecodeError(r)) return undefined;
  const { seq, ind } = splitSqn(r.sqn, indBits);
  return {
    sqn: r.sqn,
    seq,
    ind,
    ak: r.ak,
    xmacA: r.xmacA,
    macAValid: r.macAValid,
    res: r.res,
    ck: r.ck,
    ik: r.ik,
    ...(draft.xres !== undefined ? { xresMatches: sameBytes(draft.xres, r.res) } : {}),
    ...(draft.ck !== undefined ? { ckMatches: sameBytes(draft.ck, r.ck) } : {}),
    ...(draft.ik !== undefined ? { ikMatches: sameBytes(draft.ik, r.ik) } : {}),
    ...(key.amf !== undefined ? { amfMatches: sameBytes(key.amf, r.amf) } : {}),
  };
}

function openAuts(auts: Uint8Array, rand: Uint8Array, key: SubscriberKey, indBits: number): AutsCheck | undefined {
  const r = resolveAuts({ k: key.k, opc: key.opc, rand, auts });
  if (isDecodeError(r)) return undefined;
  const { seq, ind } = splitSqn(r.sqnMs, indBits);
  return { sqnMs: r.sqnMs, seq, ind, akStar: r.akStar, xmacS: r.xmacS, macSValid: r.macSValid };
}

/** Orders the drafts (frame, then arrival) and completes them into timeline entries. */
export function buildTimeline(items: readonly SequencedDraft[], options: TimelineOptions): SqnTimelineEntry[] {
  const sorted = [...items].sort((a, b) => a.draft.frameNo - b.draft.frameNo || a.seq - b.seq);
  const { key, indBits } = options;
  const challengeByRand = new Map<string, { number: number; frame: number }>();
  const checkByVector = new Map<string, ChallengeCheck | undefined>();
  const roundByAuts = new Map<string, number>();
  const checkByToken = new Map<string, AutsCheck | undefined>();
  let latest: { rand: Uint8Array; number: number } | undefined;

  return sorted.map(({ draft }, index): SqnTimelineEntry => {
    switch (draft.kind) {
      case 'challenge': {
        if (draft.rand === undefined) return { ...draft, index };
        const randHex = toHex(draft.rand);
        let known = challengeByRand.get(randHex);
        if (known === undefined) {
          known = { number: challengeByRand.size + 1, frame: draft.frameNo };
          challengeByRand.set(randHex, known);
        }
        latest = { rand: draft.rand, number: known.number };
        const entry: ChallengeEntry = { ...draft, index, challenge: known.number };
        if (key === undefined || draft.autn === undefined) return entry;
        const vector = randHex + toHex(draft.autn);
        if (!checkByVector.has(vector)) checkByVector.set(vector, openChallenge(draft, key, indBits));
        const check = checkByVector.get(vector);
        return check === undefined ? entry : { ...entry, check };
      }
      case 'auth-response': {
        const answered = draft.rand === undefined ? undefined : challengeByRand.get(toHex(draft.rand));
        return answered === undefined ? { ...draft, index } : { ...draft, index, answersChallenge: answered.number };
      }
      case 'resync':
        return resyncEntry(draft, index, latest, challengeByRand, roundByAuts, checkByToken, options);
      default:
        return { ...draft, index };
    }
  });
}

function resyncEntry(
  draft: ResyncDraft,
  index: number,
  latest: { rand: Uint8Array; number: number } | undefined,
  challengeByRand: ReadonlyMap<string, { number: number; frame: number }>,
  roundByAuts: Map<string, number>,
  checkByToken: Map<string, AutsCheck | undefined>,
  { key, indBits }: TimelineOptions,
): ResyncEntry {
  const { carriedRand, ...rest } = draft;
  // TS 33.102 §6.3.5: the RAND of an AUTS is that of the challenge the USIM rejected.
  const rand = carriedRand ?? latest?.rand;
  const randFrom = carriedRand !== undefined ? 'event' : rand !== undefined ? 'challenge' : 'unknown';
  const answered = rand === undefined ? undefined : challengeByRand.get(toHex(rand));
  let round: number | undefined;
  let check: AutsCheck | undefined;
  if (draft.auts !== undefined) {
    const autsHex = toHex(draft.auts);
    round = roundByAuts.get(autsHex);
    if (round === undefined) {
      round = roundByAuts.size + 1;
      roundByAuts.set(autsHex, round);
    }
    if (key !== undefined && rand !== undefined) {
      // The same AUTS on SIP and on Cx / S6a is opened once.
      const token = toHex(rand) + autsHex;
      if (!checkByToken.has(token)) checkByToken.set(token, openAuts(draft.auts, rand, key, indBits));
      check = checkByToken.get(token);
    }
  }
  return {
    ...rest,
    index,
    randFrom,
    ...(rand !== undefined ? { rand } : {}),
    ...(answered !== undefined ? { answersChallenge: answered.number, answersFrame: answered.frame } : {}),
    ...(round !== undefined ? { round } : {}),
    ...(check !== undefined ? { check } : {}),
  };
}
