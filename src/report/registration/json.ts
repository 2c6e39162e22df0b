// The registration report as JSON: the complete structure, every value with its frame, the
// rules, the SQN analysis and the counters.
import { sqnReportJson } from '../../analysis/sqn/render-json.js';
import type { RegistrationDocument } from './document.js';

export function registrationReportJson(doc: RegistrationDocument): unknown {
  const states: Record<string, number> = {};
  for (const r of doc.registrations) states[r.state] = (states[r.state] ?? 0) + 1;
  const severities: Record<string, number> = { error: 0, warning: 0, note: 0 };
  for (const f of doc.findings) severities[f.severity] = (severities[f.severity] ?? 0) + 1;
  return {
    report: 'registration',
    capture: doc.capture,
    summary: { registrations: doc.registrations.length, states, findings: doc.findings.length, ...severities },
    registrations: doc.registrations,
    findings: doc.findings,
    rules: doc.rules,
    sqn: sqnReportJson(doc.sqn),
    droppedRegistrations: doc.droppedRegistrations,
    stats: doc.stats,
  };
}

export function renderRegistrationJson(doc: RegistrationDocument): string {
  return `${JSON.stringify(registrationReportJson(doc), null, 2)}\n`;
}
