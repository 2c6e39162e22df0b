// The findings of the SQN resynchronisation analysis, and the rules they come from.
import type { Finding, RuleDescription } from '../../report/findings.js';
import type { OutcomeEntry, SqnAttempt, SqnSubscriberReport } from './report-types.js';

export const SQN_RULES: readonly RuleDescription[] = [
  {
    id: 'sqn-resync-loop',
    severity: 'error',
    summary: 'Repeated SQN resynchronisations without a successful registration: the HSS keeps sending challenges the USIM rejects',
    reference: 'TS 33.102 §6.3.5',
  },
  {
    id: 'sqn-resync',
    severity: 'note',
    summary: 'SQN resynchronisation that recovered: the USIM rejected a challenge, the HSS resynchronised, the registration succeeded',
    reference: 'TS 33.102 §6.3.5',
  },
  {
    id: 'sqn-hss-not-resynchronised',
    severity: 'error',
    summary: 'After a resynchronisation the HSS sent an SQN the USIM will reject (it did not restart above SQN_MS)',
    reference: 'TS 33.102 §6.3.5, Annex C.2',
  },
  {
    id: 'mac-a-invalid',
    severity: 'warning',
    summary: 'MAC-A in AUTN does not verify with the subscriber keys (wrong K/OP/OPc, or AUTN corrupted)',
    reference: 'TS 33.102 §6.3.3',
  },
  {
    id: 'mac-s-invalid',
    severity: 'warning',
    summary: 'MAC-S in AUTS does not verify with the subscriber keys (wrong K/OP/OPc, wrong RAND, or AUTS corrupted)',
    reference: 'TS 33.102 §6.3.5',
  },
  {
    id: 'registration-not-completed',
    severity: 'warning',
    summary: 'An authentication that was challenged did not end in a successful registration',
    reference: 'TS 24.229 §5.1.1.5',
  },
  {
    id: 'aka-malformed',
    severity: 'warning',
    summary: 'An AKA value (nonce, AUTN, AUTS, RAND ‖ AUTS) has the wrong length or encoding',
    reference: 'RFC 3310 §3.2, §3.4; TS 29.229 §6.3.11; TS 29.272 §7.3.15',
  },
];

function seconds(value: number): string {
  return `${value.toFixed(3)} s`;
}

export function describeOutcome(o: OutcomeEntry): string {
  const what = o.status !== undefined ? `SIP ${o.status}` : o.resultCode !== undefined ? `Result-Code ${o.resultCode}` : o.success ? 'success' : 'failure';
  const where = o.source === 'sip' ? '' : ` (${o.source === 'cx' ? 'Cx' : 'S6a'})`;
  return `${what}${where} at frame ${o.frameNo}`;
}

function callIdOf(s: SqnSubscriberReport, a: SqnAttempt): string | undefined {
  for (let i = a.firstIndex; i <= a.lastIndex; i++) {
    const c = s.timeline[i]?.callId;
    if (c !== undefined) return c;
  }
  return undefined;
}

function finding(
  s: SqnSubscriberReport,
  ruleId: string,
  severity: Finding['severity'],
  message: string,
  frames: readonly number[],
  callId: string | undefined,
  properties?: Record<string, string | number | boolean>,
): Finding {
  return {
    ruleId,
    severity,
    message: `${s.id}: ${message}`,
    frames,
    ...(callId !== undefined ? { callId } : {}),
    subject: `subscriber ${s.id}`,
    ...(properties !== undefined ? { properties } : {}),
  };
}

function roundFrames(s: SqnSubscriberReport, a: SqnAttempt): number[] {
  return s.resyncs.filter((r) => r.frames.some((f) => f >= a.firstFrame && f <= a.lastFrame)).map((r) => r.frames[0] as number);
}

export function subscriberFindings(s: SqnSubscriberReport): Finding[] {
  const out: Finding[] = [];
  const deciding = s.attempts[s.decidingAttempt];
  for (const a of s.attempts) {
    const callId = callIdOf(s, a);
    const props = { verdict: a.verdict, rounds: a.rounds, durationSeconds: Number(a.duration.toFixed(6)) };
    if (a.verdict === 'loop') {
      const ending = a.outcome !== undefined ? `it ended with ${describeOutcome(a.outcome)}` : 'the capture ends while it is still going on';
      out.push(
        finding(
          s,
          'sqn-resync-loop',
          'error',
          `SQN resynchronisation loop: ${a.rounds} rounds over ${seconds(a.duration)} (frames ${a.firstFrame}–${a.lastFrame}) without a successful registration; ${ending}`,
          roundFrames(s, a),
          callId,
          props,
        ),
      );
    } else if (a.verdict === 'recovered') {
      const done = a.outcome !== undefined ? ` (${describeOutcome(a.outcome)})` : '';
      out.push(
        finding(s, 'sqn-resync', 'note', `SQN resynchronised after ${a.rounds} round(s) over ${seconds(a.duration)}; registration succeeded${done}`, roundFrames(s, a), callId, props),
      );
    } else if ((a.verdict === 'failed' || a.verdict === 'incomplete') && a === deciding) {
      const message =
        a.verdict === 'failed' && a.outcome !== undefined
          ? `authentication failed: ${describeOutcome(a.outcome)} after ${a.challenges} challenge(s) and ${a.rounds} resync round(s)`
          : `the capture ends before the authentication completes (last event at frame ${a.lastFrame}, ${a.rounds} resync round(s))`;
      const frames = a.outcome !== undefined ? [a.outcome.frameNo, a.firstFrame] : [a.lastFrame, a.firstFrame];
      out.push(finding(s, 'registration-not-completed', a.verdict === 'failed' ? 'warning' : 'note', message, frames, callId, props));
    }
  }

  const stale = s.resyncs.filter((r) => r.nextFreshness !== undefined && !r.nextFreshness.accepted);
  if (stale.length > 0) {
    const detail = stale
      .map((r) => `round ${r.round}: SQN_HE ${r.nextSqn} vs SQN_MS ${r.sqnMs} (${r.nextFreshness?.accepted === false ? r.nextFreshness.reason : ''})`)
      .join('; ');
    out.push(
      finding(s, 'sqn-hss-not-resynchronised', 'error', `the HSS answered ${stale.length} resync(s) with an SQN the USIM rejects: ${detail}`, stale.flatMap((r) => r.nextFrames.slice(0, 1)), undefined),
    );
  }

  const badMacA: number[] = [];
  const badMacS: number[] = [];
  const malformed: number[] = [];
  const reasons = new Set<string>();
  for (const e of s.timeline) {
    if (e.kind === 'challenge' && e.check?.macAValid === false) badMacA.push(e.frameNo);
    if (e.kind === 'resync' && e.check?.macSValid === false) badMacS.push(e.frameNo);
    if (e.error !== undefined) {
      malformed.push(e.frameNo);
      reasons.add(e.error);
    }
  }
  const keys = s.keyOrigin !== undefined ? ` (keys from ${s.keyOrigin})` : '';
  if (badMacA.length > 0) {
    out.push(finding(s, 'mac-a-invalid', 'warning', `MAC-A does not verify in ${badMacA.length} challenge message(s)${keys}: wrong K/OP/OPc, or AUTN corrupted`, badMacA, undefined));
  }
  if (badMacS.length > 0) {
    out.push(finding(s, 'mac-s-invalid', 'warning', `MAC-S does not verify in ${badMacS.length} resync message(s)${keys}: wrong K/OP/OPc, wrong RAND, or AUTS corrupted`, badMacS, undefined));
  }
  if (malformed.length > 0) {
    out.push(finding(s, 'aka-malformed', 'warning', `${malformed.length} AKA value(s) could not be decoded: ${[...reasons].join('; ')}`, malformed, undefined));
  }
  return out;
}
