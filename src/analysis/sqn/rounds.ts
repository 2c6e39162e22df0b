// Resync rounds: each distinct AUTS with the challenge it rejected and the HSS's next challenge,
// and — with keys — the SIM's and the HSS's SQN side by side (TS 33.102 §6.3.5, Annex C.2);
// an SQN whose MAC does not verify is shown but compared with nothing.
import { sqnDelta, sqnFreshness } from '../../protocols/aka/sqn.js';
import type { ChallengeEntry, ResyncEntry, SqnRound, SqnTimelineEntry } from './report-types.js';

export function buildRounds(timeline: readonly SqnTimelineEntry[], indBits: number): SqnRound[] {
  const byRound = new Map<number, ResyncEntry[]>();
  // SQN_HE of each challenge number, from the first of its messages whose MAC-A verifies: with
  // wrong keys the "SQN" is noise and compares to nothing.
  const sqnByChallenge = new Map<number, bigint>();
  for (const e of timeline) {
    if (e.kind === 'challenge' && e.challenge !== undefined && e.check?.macAValid && !sqnByChallenge.has(e.challenge)) {
      sqnByChallenge.set(e.challenge, e.check.sqn);
    }
    if (e.kind !== 'resync' || e.round === undefined) continue;
    const list = byRound.get(e.round);
    if (list === undefined) byRound.set(e.round, [e]);
    else list.push(e);
  }
  const challengeSqn = (challenge: number | undefined): bigint | undefined =>
    challenge === undefined ? undefined : sqnByChallenge.get(challenge);
  // Rounds are numbered in order of first appearance, so each starts after the previous one.
  const starts = [...byRound.values()].map((list) => (list[0] as ResyncEntry).index);
  const rounds: SqnRound[] = [];
  for (const [round, entries] of byRound) {
    const first = entries[0] as ResyncEntry;
    const end = starts[round] ?? timeline.length;
    const rejected = entries.find((e) => e.answersChallenge !== undefined);
    const rejectedChallenge = rejected?.answersChallenge;

    // The HSS's answer: the first other challenge after the AUTS, before the next round.
    let next: ChallengeEntry | undefined;
    for (let i = first.index + 1; i < end && next === undefined; i++) {
      const e = timeline[i];
      if (e?.kind === 'challenge' && e.challenge !== undefined && e.challenge !== rejectedChallenge) next = e;
    }
    const nextFrames: number[] = [];
    let nextAnswered = false;
    if (next !== undefined) {
      for (let i = next.index; i < end; i++) {
        const e = timeline[i];
        if (e?.kind === 'challenge' && e.challenge === next.challenge) nextFrames.push(e.frameNo);
        if (e?.kind === 'auth-response' && (e.answersChallenge === undefined || e.answersChallenge === next.challenge)) nextAnswered = true;
      }
    }

    const opened = entries.find((e) => e.check !== undefined)?.check;
    const rejectedSqn = challengeSqn(rejectedChallenge);
    const nextSqn = challengeSqn(next?.challenge);
    const sqnMs = opened?.macSValid ? opened.sqnMs : undefined;
    const freshness = { indBits };
    rounds.push({
      round,
      auts: first.auts ?? new Uint8Array(0),
      frames: entries.map((e) => e.frameNo),
      ts: first.ts,
      ...(rejectedChallenge !== undefined ? { rejectedChallenge, rejectedFrame: rejected?.answersFrame ?? first.frameNo } : {}),
      ...(next?.challenge !== undefined ? { nextChallenge: next.challenge } : {}),
      nextFrames,
      nextAnswered,
      ...(opened !== undefined ? { sqnMs: opened.sqnMs, macSValid: opened.macSValid } : {}),
      ...(rejectedSqn !== undefined ? { rejectedSqn } : {}),
      ...(rejectedSqn !== undefined && sqnMs !== undefined
        ? { rejectedSeqDelta: sqnDelta(rejectedSqn, sqnMs, indBits), rejectedFreshness: sqnFreshness(rejectedSqn, sqnMs, freshness) }
        : {}),
      ...(nextSqn !== undefined ? { nextSqn } : {}),
      ...(nextSqn !== undefined && sqnMs !== undefined
        ? { nextSeqDelta: sqnDelta(nextSqn, sqnMs, indBits), nextFreshness: sqnFreshness(nextSqn, sqnMs, freshness) }
        : {}),
    });
  }
  return rounds;
}
