// Renderers for `imscap audit-sdp`: text (a block per call with its negotiations and findings),
// JSON, JUnit (one test case per call and rule) and SARIF 2.1.0.
import type { AuditedCall, NegotiationSummary, SdpAuditReport } from '../analysis/sdp-audit/types.js';
import type { Finding } from './findings.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';

export interface SdpAuditDocument extends SdpAuditReport {
  /** The capture as given on the command line. */
  readonly capture: string;
}

export interface SeverityCounts {
  readonly findings: number;
  readonly errors: number;
  readonly warnings: number;
  readonly notes: number;
}

export function severityCounts(findings: readonly Finding[]): SeverityCounts {
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else notes++;
  }
  return { findings: findings.length, errors, warnings, notes };
}

/** "N findings (E errors, W warnings) in C calls", with notes when there are any. */
export function summaryLine(doc: SdpAuditReport): string {
  const c = severityCounts(doc.findings);
  const notes = c.notes > 0 ? `, ${c.notes} notes` : '';
  return `${c.findings} findings (${c.errors} errors, ${c.warnings} warnings${notes}) in ${doc.calls.length} calls`;
}

function negotiationLines(n: NegotiationSummary): string[] {
  const answer =
    n.answerFrameNo === undefined ? 'no answer' : `answer frame ${n.answerFrameNo} (${n.answerCarrier ?? '?'}${n.answerFromEarlySdp ? ', early SDP' : ''})`;
  const status = n.status === 'complete' ? 'complete' : `${n.status}${n.statusDetail !== undefined ? `: ${n.statusDetail}` : ''}`;
  const seen = n.offerSeenFrameNo !== undefined ? `, reached the answerer in frame ${n.offerSeenFrameNo}` : '';
  const lines = [`  ${n.trigger}: offer frame ${n.offerFrameNo} (${n.offerCarrier}, ${n.offerSide}${seen}) → ${answer}, ${status}`];
  for (const m of n.media) {
    const what = m.chosen !== undefined ? `${m.chosen.codec} PT ${m.chosen.payloadType}${m.chosen.fmtp !== '' ? ` ${m.chosen.fmtp}` : ''}` : m.accepted ? 'no codec in common' : n.answerFrameNo === undefined ? 'not answered' : 'rejected';
    lines.push(`    m=${m.type} #${m.index + 1}: ${what}`);
  }
  return lines;
}

function findingLines(f: Finding): string[] {
  return [`  ${f.severity.padEnd(7)} ${f.ruleId} (frames ${f.frames.join(', ')})`, `          ${f.message}`];
}

function callBlock(call: AuditedCall): string[] {
  const lines = [`Call ${call.callId} (first frame ${call.firstFrameNo})`];
  for (const n of call.negotiations) lines.push(...negotiationLines(n));
  if (call.findings.length === 0) lines.push('  no findings');
  for (const f of call.findings) lines.push(...findingLines(f));
  return lines;
}

export function renderSdpAuditText(doc: SdpAuditDocument): string {
  const lines = [
    `SDP audit of ${doc.capture}: ${doc.calls.length} calls, ${doc.calls.reduce((n, c) => n + c.negotiations.length, 0)} negotiations, ${doc.rtp.packets} RTP packets (${doc.rtp.checked} checked against their negotiation)`,
    '',
  ];
  for (const call of doc.calls) lines.push(...callBlock(call), '');
  lines.push(summaryLine(doc));
  return `${lines.join('\n')}\n`;
}

export function renderSdpAuditJson(doc: SdpAuditDocument): string {
  const out = {
    capture: doc.capture,
    summary: { ...severityCounts(doc.findings), calls: doc.calls.length },
    rules: doc.rules.map((r) => r.id),
    rtp: doc.rtp,
    calls: doc.calls,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function renderSdpAuditJunit(doc: SdpAuditDocument): string {
  return renderJunit({ name: 'audit-sdp', subjects: doc.calls.map((c) => c.callId), rules: doc.rules, findings: doc.findings });
}

export function renderSdpAuditSarif(doc: SdpAuditDocument, toolVersion: string, captureUri: string): string {
  return renderSarif({ toolVersion, captureUri, rules: doc.rules, findings: doc.findings });
}
