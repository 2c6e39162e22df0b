// Splits a subscriber's timeline into authentication attempts — each ends at a successful
// registration — and gives each attempt and the subscriber a verdict (see SqnVerdict).
import type { OutcomeEntry, SqnAttempt, SqnTimelineEntry, SqnVerdict } from './report-types.js';

function attempt(entries: readonly SqnTimelineEntry[], verdict: SqnVerdict, rounds: number, outcome: OutcomeEntry | undefined): SqnAttempt {
  const first = entries[0] as SqnTimelineEntry;
  const last = entries[entries.length - 1] as SqnTimelineEntry;
  const challenges = new Set<number>();
  for (const e of entries) if (e.kind === 'challenge' && e.challenge !== undefined) challenges.add(e.challenge);
  return {
    verdict,
    rounds,
    challenges: challenges.size,
    firstFrame: first.frameNo,
    lastFrame: last.frameNo,
    startTs: first.ts,
    endTs: last.ts,
    duration: Math.max(0, last.ts - first.ts),
    firstIndex: first.index,
    lastIndex: last.index,
    ...(outcome !== undefined ? { outcome } : {}),
  };
}

function roundsIn(entries: readonly SqnTimelineEntry[]): number {
  const rounds = new Set<number>();
  for (const e of entries) if (e.kind === 'resync' && e.round !== undefined) rounds.add(e.round);
  return rounds.size;
}

const isAka = (e: SqnTimelineEntry): boolean => e.kind === 'challenge' || e.kind === 'resync';

/**
 * Attempts in order. A successful outcome closes the open attempt (ok without resync, recovered
 * with); one that follows no challenge or resync (a second success for the same registration,
 * e.g. Cx SAA then SIP 200) closes nothing. Whatever is open at the end of the capture is
 * judged by `loopRounds`: loop, else failed when a failure outcome is the last word, else incomplete.
 */
export function buildAttempts(timeline: readonly SqnTimelineEntry[], loopRounds: number): SqnAttempt[] {
  const attempts: SqnAttempt[] = [];
  let start = 0;
  for (let i = 0; i < timeline.length; i++) {
    const e = timeline[i] as SqnTimelineEntry;
    if (e.kind !== 'outcome' || !e.success) continue;
    const entries = timeline.slice(start, i + 1);
    start = i + 1;
    if (!entries.some(isAka)) continue;
    const rounds = roundsIn(entries);
    attempts.push(attempt(entries, rounds === 0 ? 'ok' : 'recovered', rounds, e));
  }
  const open = timeline.slice(start);
  if (open.some(isAka)) {
    const rounds = roundsIn(open);
    const last = open[open.length - 1] as SqnTimelineEntry;
    const ending = last.kind === 'outcome' ? last : undefined;
    const verdict: SqnVerdict = rounds >= loopRounds ? 'loop' : ending !== undefined ? 'failed' : 'incomplete';
    attempts.push(attempt(open, verdict, rounds, ending));
  }
  return attempts;
}

/** The attempt a subscriber's verdict comes from: the open one, else the last recovered, else the last. */
export function decidingAttempt(attempts: readonly SqnAttempt[]): number {
  const last = attempts.length - 1;
  const lastAttempt = attempts[last];
  if (lastAttempt === undefined) return -1;
  if (lastAttempt.verdict !== 'ok' && lastAttempt.verdict !== 'recovered') return last;
  for (let i = last; i >= 0; i--) if (attempts[i]?.verdict === 'recovered') return i;
  return last;
}
