// The SQN report as readable text: what resynchronisation is, a summary, then per subscriber
// the verdict, the SIM's and HSS's SQN, the resync rounds and the timeline, with frames.
import { renderTable } from '../../report/table.js';
import type { FreshnessVerdict } from '../../protocols/aka/sqn.js';
import { describeOutcome } from './findings.js';
import { sqnHex, toHex } from './hex.js';
import { SQN_VERDICTS, type SqnReport, type SqnRound, type SqnSubscriberReport, type SqnTimelineEntry } from './report-types.js';

export const SQN_RESYNC_EXPLANATION =
  'A USIM accepts a challenge only when its sequence number SQN is fresh; otherwise it answers with AUTS, ' +
  'which carries its own highest SQN (SQN_MS), and the HSS must restart its SQN above SQN_MS ' +
  '(resynchronisation, TS 33.102 §6.3.5) — an HSS that does not keeps sending stale challenges and the registration loops.';

const VERDICT_TEXT: Readonly<Record<SqnSubscriberReport['verdict'], string>> = {
  ok: 'OK — challenged and registered, no resynchronisation',
  recovered: 'RECOVERED — resynchronised, then registered',
  loop: 'LOOP — repeated resynchronisations without a successful registration',
  failed: 'FAILED — the authentication ended with an error',
  incomplete: 'INCOMPLETE — the capture ends before the authentication completes',
};

function sqnText(sqn: bigint, indBits: number): string {
  const seq = sqn >> BigInt(indBits);
  const ind = Number(sqn & ((1n << BigInt(indBits)) - 1n));
  return `0x${sqnHex(sqn)} (${sqn}; SEQ ${seq}, IND ${ind})`;
}

function freshnessText(v: FreshnessVerdict | undefined): string {
  if (v === undefined) return '';
  if (v.accepted) return 'accepted';
  if (v.reason === 'not-fresh') return 'rejected (not fresh: SEQ ≤ SEQ_MS)';
  if (v.reason === 'delta-exceeded') return 'rejected (SEQ more than Δ ahead of SEQ_MS)';
  return 'rejected (older than the limit L)';
}

function seconds(value: number): string {
  return `${value.toFixed(3)} s`;
}

function details(e: SqnTimelineEntry, indBits: number): string {
  const parts: string[] = [];
  switch (e.kind) {
    case 'challenge':
      if (e.challenge !== undefined) parts.push(`challenge #${e.challenge}`);
      if (e.rand) parts.push(`RAND ${toHex(e.rand)}`);
      if (e.autnFields) {
        const f = e.autnFields;
        parts.push(`AUTN SQN⊕AK ${toHex(f.sqnXorAk)} AMF ${toHex(f.amf)}${f.amfSeparationBit ? ' (separation bit 1)' : ''} MAC-A ${toHex(f.macA)}`);
      }
      if (e.xres) parts.push(`XRES ${toHex(e.xres)}`);
      if (e.check) {
        const c = e.check;
        parts.push(`SQN ${sqnText(c.sqn, indBits)}`);
        parts.push(c.macAValid ? 'MAC-A valid' : `MAC-A INVALID (XMAC-A ${toHex(c.xmacA)})`);
        parts.push(`RES ${toHex(c.res)} CK ${toHex(c.ck)} IK ${toHex(c.ik)}`);
        if (c.xresMatches === false) parts.push('XRES differs from the derived RES');
        if (c.ckMatches === false || c.ikMatches === false) parts.push('CK/IK differ from the derived ones');
        if (c.amfMatches === false) parts.push('AMF differs from the subscriber AMF');
      }
      break;
    case 'resync':
      if (e.round !== undefined) parts.push(`round ${e.round}`);
      if (e.autsFields) parts.push(`AUTS SQN_MS⊕AK* ${toHex(e.autsFields.sqnMsXorAkStar)} MAC-S ${toHex(e.autsFields.macS)}`);
      if (e.answersChallenge !== undefined) parts.push(`answers challenge #${e.answersChallenge} (frame ${e.answersFrame})`);
      else if (e.rand) parts.push(`RAND ${toHex(e.rand)}`);
      else parts.push('RAND unknown (its challenge is not in the capture)');
      if (e.check) {
        parts.push(`SQN_MS ${sqnText(e.check.sqnMs, indBits)}`);
        parts.push(e.check.macSValid ? 'MAC-S valid' : `MAC-S INVALID (XMAC-S ${toHex(e.check.xmacS)})`);
      }
      break;
    case 'auth-response':
      parts.push(`UE answered${e.answersChallenge !== undefined ? ` challenge #${e.answersChallenge}` : ''} with a Digest response`);
      break;
    case 'outcome':
      parts.push(`${e.success ? 'success' : 'failure'}: ${describeOutcome(e)}`);
      break;
  }
  if (e.error !== undefined) parts.push(`malformed: ${e.error}`);
  return parts.join('; ');
}

function roundsTable(rounds: readonly SqnRound[], keyed: boolean): string {
  const head = keyed
    ? ['round', 'AUTS frames', 'rejected', 'SQN_HE rejected', 'SQN_MS', 'SEQ Δ', 'HSS next', 'next SQN_HE', 'next SEQ Δ', 'USIM on next']
    : ['round', 'AUTS frames', 'rejected', 'HSS next', 'UE answered next'];
  const rows = rounds.map((r) => {
    const rejected = r.rejectedChallenge !== undefined ? `#${r.rejectedChallenge} (frame ${r.rejectedFrame})` : '?';
    const next = r.nextChallenge !== undefined ? `#${r.nextChallenge} (frame ${r.nextFrames.join(', ')})` : 'none';
    if (!keyed) return [r.round, r.frames.join(', '), rejected, next, r.nextAnswered ? 'yes' : 'no'];
    const fmt = (v: bigint | undefined): string => (v === undefined ? '?' : `0x${sqnHex(v)}`);
    const delta = (v: bigint | undefined): string => (v === undefined ? '' : v.toString());
    return [
      r.round,
      r.frames.join(', '),
      rejected,
      fmt(r.rejectedSqn),
      `${fmt(r.sqnMs)}${r.macSValid === false ? ' (MAC-S invalid)' : ''}`,
      delta(r.rejectedSeqDelta),
      next,
      r.nextChallenge === undefined ? '' : fmt(r.nextSqn),
      delta(r.nextSeqDelta),
      freshnessText(r.nextFreshness) || (r.nextChallenge === undefined ? 'no next challenge' : '?'),
    ];
  });
  return renderTable(head, rows);
}

function subscriberText(s: SqnSubscriberReport, indBits: number): string[] {
  const lines: string[] = [];
  lines.push(`== ${s.id} ==`);
  if (s.impis.length > 1 || (s.impis.length === 1 && s.id !== s.impis[0])) lines.push(`IMPI: ${s.impis.join(', ')}`);
  if (s.imsis.length > 0) lines.push(`IMSI: ${s.imsis.join(', ')}`);
  const a = s.attempts[s.decidingAttempt];
  const ending = a?.outcome !== undefined ? `; ${a.verdict === 'recovered' || a.verdict === 'ok' ? 'closed by' : 'ended with'} ${describeOutcome(a.outcome)}` : '';
  lines.push(`Verdict: ${VERDICT_TEXT[s.verdict]}`);
  lines.push(`  ${s.rounds} resync round(s) over ${seconds(s.duration)}, frames ${s.firstFrame}–${s.lastFrame}${ending}`);
  if (s.attempts.length > 1) {
    lines.push(`  attempts: ${s.attempts.map((x) => `${x.verdict} (${x.rounds} round(s), frames ${x.firstFrame}–${x.lastFrame})`).join('; ')}`);
  }
  lines.push(s.keyOrigin !== undefined ? `Keys: ${s.keyOrigin}` : 'Keys: none for this subscriber (SQN values stay concealed by AK / AK*)');
  if (s.keys) {
    const k = s.keys;
    lines.push(`  K ${toHex(k.k)}${k.op ? ` OP ${toHex(k.op)}` : ''} OPc ${toHex(k.opc)}${k.amf ? ` AMF ${toHex(k.amf)}` : ''}`);
  }
  if (s.sqn) {
    const c = s.sqn;
    lines.push('SIM and HSS sequence numbers (latest seen):');
    lines.push(`  SIM SQN_MS  ${c.sqnMs !== undefined ? `${sqnText(c.sqnMs, indBits)}, frame ${c.sqnMsFrame}` : 'not seen (no AUTS)'}`);
    lines.push(`  HSS SQN_HE  ${c.sqnHe !== undefined ? `${sqnText(c.sqnHe, indBits)}, frame ${c.sqnHeFrame}` : 'not seen'}`);
    if (c.seqDelta !== undefined) lines.push(`  SEQ_HE − SEQ_MS = ${c.seqDelta}; the USIM: ${freshnessText(c.freshness)}`);
  }
  if (s.resyncs.length > 0) {
    lines.push('Resync rounds:');
    lines.push(indent(roundsTable(s.resyncs, s.keyOrigin !== undefined)));
  }
  lines.push('Timeline:');
  const t0 = s.timeline[0]?.ts ?? 0;
  const rows = s.timeline.map((e) => [e.frameNo, `+${(e.ts - t0).toFixed(3)}`, e.kind, e.source, details(e, indBits)]);
  lines.push(indent(renderTable(['frame', 'time', 'event', 'source', 'details'], rows)));
  return lines;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');
}

export function renderSqnText(report: SqnReport): string {
  const lines: string[] = ['SQN resynchronisation report', '', SQN_RESYNC_EXPLANATION, ''];
  const n = report.subscribers.length;
  const counts = SQN_VERDICTS.filter((v) => report.verdicts[v] > 0).map((v) => `${report.verdicts[v]} ${v}`);
  lines.push(`Subscribers with AKA traffic: ${n}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`);
  if (!report.keysSupplied) lines.push('No subscriber keys given: AUTN and AUTS are shown as carried (SQN concealed); give --k with --op/--opc, or --subscribers, to open them.');
  if (report.unattributed > 0) lines.push(`${report.unattributed} AKA event(s) named no subscriber and are left out.`);
  for (const s of report.subscribers) {
    lines.push('');
    lines.push(...subscriberText(s, report.indBits));
  }
  if (report.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of report.findings) lines.push(`  [${f.severity}] ${f.ruleId}: ${f.message} (frames ${f.frames.join(', ')})`);
  }
  return `${lines.join('\n')}\n`;
}
