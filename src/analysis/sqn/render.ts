// The formats the SQN report renders to: a command that reports it (`sqn-check`,
// `registration-report`) is a thin wrapper around these.
import { renderSqnJson } from './render-json.js';
import { renderSqnText } from './render-text.js';
import type { SqnReport } from './report-types.js';

export const SQN_REPORT_FORMATS = ['text', 'json'] as const;
export type SqnReportFormat = (typeof SQN_REPORT_FORMATS)[number];

export function renderSqnReport(report: SqnReport, format: SqnReportFormat): string {
  return format === 'json' ? renderSqnJson(report) : renderSqnText(report);
}

/** True when any subscriber is in a resynchronisation loop (`sqn-check` then exits 1). */
export function hasResyncLoop(report: SqnReport): boolean {
  return report.subscribers.some((s) => s.verdict === 'loop');
}
