// One subscriber's report: timeline, rounds, attempts, verdict, and the SIM's and HSS's SQN.
import { sqnDelta, sqnFreshness } from '../../protocols/aka/sqn.js';
import { buildAttempts, decidingAttempt } from './attempts.js';
import type { SubscriberKey, SubscriberKeys } from './keys.js';
import type { SubscriberEvents } from './registry.js';
import { buildRounds } from './rounds.js';
import { buildTimeline } from './timeline.js';
import type { SqnComparison, SqnSubscriberReport, SqnTimelineEntry } from './report-types.js';

export interface SubscriberReportOptions {
  readonly keys?: SubscriberKeys;
  readonly showKeys: boolean;
  readonly indBits: number;
  readonly loopRounds: number;
}

function findKey(events: SubscriberEvents, keys: SubscriberKeys | undefined): SubscriberKey | undefined {
  if (keys === undefined) return undefined;
  for (const impi of events.impis) {
    const key = keys.lookup({ impi });
    if (key) return usable(key);
  }
  for (const imsi of events.imsis) {
    const key = keys.lookup({ imsi });
    if (key) return usable(key);
  }
  return usable(keys.lookup({}));
}

// TS 35.206 §4.1: K and OPc are 128 bits; anything else cannot open a vector.
function usable(key: SubscriberKey | undefined): SubscriberKey | undefined {
  return key !== undefined && key.k.length === 16 && key.opc.length === 16 ? key : undefined;
}

function compare(timeline: readonly SqnTimelineEntry[], indBits: number): SqnComparison | undefined {
  let ms: { sqn: bigint; frame: number } | undefined;
  let he: { sqn: bigint; frame: number } | undefined;
  for (const e of timeline) {
    // Only SQNs whose MAC verifies: with wrong keys they are noise.
    if (e.kind === 'resync' && e.check?.macSValid) ms = { sqn: e.check.sqnMs, frame: e.frameNo };
    if (e.kind === 'challenge' && e.check?.macAValid) he = { sqn: e.check.sqn, frame: e.frameNo };
  }
  if (ms === undefined && he === undefined) return undefined;
  return {
    ...(ms !== undefined ? { sqnMs: ms.sqn, sqnMsFrame: ms.frame } : {}),
    ...(he !== undefined ? { sqnHe: he.sqn, sqnHeFrame: he.frame } : {}),
    ...(ms !== undefined && he !== undefined
      ? { seqDelta: sqnDelta(he.sqn, ms.sqn, indBits), freshness: sqnFreshness(he.sqn, ms.sqn, { indBits }) }
      : {}),
  };
}

/** The report of one subscriber, or undefined when it saw no challenge and no resync. */
export function subscriberReport(events: SubscriberEvents, options: SubscriberReportOptions): SqnSubscriberReport | undefined {
  const key = findKey(events, options.keys);
  const timeline = buildTimeline(events.drafts, { indBits: options.indBits, ...(key !== undefined ? { key } : {}) });
  const attempts = buildAttempts(timeline, options.loopRounds);
  const deciding = decidingAttempt(attempts);
  const chosen = attempts[deciding];
  if (chosen === undefined) return undefined;
  const resyncs = buildRounds(timeline, options.indBits);
  const impis = [...events.impis];
  const imsis = [...events.imsis];
  const comparison = key !== undefined ? compare(timeline, options.indBits) : undefined;
  return {
    id: impis[0] ?? imsis[0] ?? '(unidentified)',
    impis,
    imsis,
    verdict: chosen.verdict,
    rounds: chosen.rounds,
    totalRounds: resyncs.length,
    duration: chosen.duration,
    firstFrame: chosen.firstFrame,
    lastFrame: chosen.lastFrame,
    decidingAttempt: deciding,
    attempts,
    resyncs,
    timeline,
    callIds: [...events.callIds],
    ...(key !== undefined ? { keyOrigin: key.origin } : {}),
    ...(key !== undefined && options.showKeys
      ? { keys: { k: key.k, opc: key.opc, ...(key.op ? { op: key.op } : {}), ...(key.amf ? { amf: key.amf } : {}) } }
      : {}),
    ...(comparison !== undefined ? { sqn: comparison } : {}),
  };
}
