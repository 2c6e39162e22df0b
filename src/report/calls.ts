// Renderers for `imscap calls`: one row per dialog, the way sngrep lists calls (calls without a
// dialog, like REGISTER or OPTIONS, get one row of their own), and the full records as JSON.
import type { CallSummary, DialogSummary } from '../analysis/call-summary.js';
import { renderTable } from './table.js';
import { formatClock, formatTime } from './time.js';

export interface CallsDocument {
  readonly capture: string;
  /** In the order of their first message. */
  readonly calls: readonly CallSummary[];
  /** SIP messages that belong to no call (no Call-ID, no valid CSeq). */
  readonly unplaced: number;
}

const CALL_ID_WIDTH = 24;
const URI_WIDTH = 28;

/** Control characters (C0, C1, bidirectional overrides) replaced, so no capture can drive the terminal. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}

/** At most `max` characters, the cut marked with "…". */
export function shortened(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

const cell = (text: string, max: number): string => (text.length === 0 ? '-' : printable(shortened(text, max)));

export function callRows(doc: CallsDocument): string[][] {
  const rows: string[][] = [];
  for (const call of doc.calls) {
    if (call.dialogs.length === 0) {
      rows.push([
        formatClock(call.startTs),
        cell(call.callId, CALL_ID_WIDTH),
        cell(call.from, URI_WIDTH),
        cell(call.to, URI_WIDTH),
        cell(call.firstMethod, 12),
        '-',
        call.lastFinalStatus !== undefined ? String(call.lastFinalStatus) : '-',
        seconds(call.endTs - call.startTs),
        '-',
        `${call.firstFrameNo}–${call.lastFrameNo}`,
        String(call.messages + call.retransmissions + call.copies),
      ]);
      continue;
    }
    for (const d of call.dialogs) rows.push(dialogRow(d));
  }
  return rows;
}

function dialogRow(d: DialogSummary): string[] {
  return [
    formatClock(d.startTs),
    cell(d.callId, CALL_ID_WIDTH),
    cell(d.from, URI_WIDTH),
    cell(d.to, URI_WIDTH),
    cell(d.method, 12),
    `${d.state}${d.partial ? ' (partial)' : ''}${d.forked ? ' (fork)' : ''}`,
    d.finalStatus !== undefined ? String(d.finalStatus) : '-',
    seconds(d.duration),
    d.codec !== undefined ? cell(d.codec.name, 24) : '-',
    `${d.firstFrameNo}–${d.lastFrameNo}`,
    String(d.messages),
  ];
}

function seconds(s: number): string {
  return Number.isFinite(s) ? `${s.toFixed(3)} s` : '-';
}

export const CALL_COLUMNS = ['Start', 'Call-ID', 'From', 'To', 'Method', 'State', 'Status', 'Duration', 'Codec', 'Frames', 'Msgs'] as const;

export function renderCallsText(doc: CallsDocument): string {
  const rows = callRows(doc);
  const dialogs = doc.calls.reduce((n, c) => n + c.dialogs.length, 0);
  const first = doc.calls.reduce((t, c) => Math.min(t, c.startTs), Infinity);
  const lines = [`SIP calls in ${printable(doc.capture)}: ${doc.calls.length} call(s), ${dialogs} dialog(s)${Number.isFinite(first) ? `, from ${formatTime(first)}` : ''}`];
  if (rows.length > 0) lines.push(renderTable(CALL_COLUMNS, rows));
  if (doc.unplaced > 0) lines.push(`${doc.unplaced} SIP message(s) in no call (no Call-ID or no valid CSeq)`);
  return `${lines.join('\n')}\n`;
}

export function renderCallsJson(doc: CallsDocument): string {
  const calls = doc.calls.map((c) => ({
    ...c,
    start: formatTime(c.startTs),
    end: formatTime(c.endTs),
    dialogs: c.dialogs.map((d) => ({ ...d, start: formatTime(d.startTs), end: formatTime(d.endTs) })),
  }));
  const summary = { calls: doc.calls.length, dialogs: doc.calls.reduce((n, c) => n + c.dialogs.length, 0), unplaced: doc.unplaced };
  return `${JSON.stringify({ capture: doc.capture, summary, calls }, null, 2)}\n`;
}
