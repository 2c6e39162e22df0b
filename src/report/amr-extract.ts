// Renderers for `imscap extract-amr`: one row per output file (and per skipped stream), then a
// verdict line per stream saying whether it carried speech or only silence.
import type { AmrExtractReport, AmrOutputReport, AmrStreamResult } from '../analysis/amr-extract/types.js';
import { printable } from './calls.js';
import { callIdLabel, codecLabel, directionLabel, streamNotes } from './streams.js';
import { renderTable } from './table.js';

export interface AmrExtractDocument extends AmrExtractReport {
  readonly capture: string;
  readonly outDir: string;
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

function frameBreakdown(o: AmrOutputReport): string {
  return o.frameTypes.map((t) => `${t.name.replace(/^AMR(-WB)? /, '')}×${t.frames}`).join(', ');
}

function streamTitle(r: AmrStreamResult): string {
  const s = r.stream;
  const who = s.callId !== undefined ? `${callIdLabel(s.callId)} ${directionLabel(s)}` : s.flow;
  return `#${s.id} ${who} ${s.ssrcHex}`;
}

export function renderAmrExtractText(doc: AmrExtractDocument): string {
  const head = ['#', 'call', 'direction', 'SSRC', 'codec', 'modes', 'frames', 'speech', 'SID', 'NO_DATA', 'lost', 'jitter ms', 'duration', 'file'];
  const rows: (string | number)[][] = [];
  for (const r of doc.streams) {
    const s = r.stream;
    const common = [s.id, s.callId !== undefined ? callIdLabel(s.callId) : '(no SDP)', directionLabel(s), s.ssrcHex];
    const lost = `${s.stats.lost}/${s.stats.expected}`;
    if (r.outputs.length === 0) {
      rows.push([...common, codecLabel(s), '-', 0, '-', '-', '-', lost, s.stats.meanJitterMs.toFixed(3), '-', '(skipped)']);
      continue;
    }
    for (const o of r.outputs) {
      rows.push([...common, o.codec, o.modes.join(',') || '-', o.frames, percent(o.speechShare), percent(o.sidShare), percent(o.noDataShare), lost, s.stats.meanJitterMs.toFixed(3), `${o.durationSeconds.toFixed(2)} s`, o.file]);
    }
  }
  const lines = [`AMR streams in ${printable(doc.capture)}: ${doc.streams.length}, files written to ${printable(doc.outDir)}: ${doc.files.length}`];
  if (rows.length > 0) lines.push(renderTable(head, rows));
  lines.push('');
  for (const r of doc.streams) {
    const detail = r.outputs.map(frameBreakdown).filter((d) => d !== '');
    lines.push(`${streamTitle(r)}: ${printable(r.verdictText)}${detail.length > 0 ? ` (${detail.join('; ')})` : ''}`);
    for (const o of r.outputs) {
      const repairs = [o.filledSlots > 0 ? `${o.filledSlots} empty slot(s) stored as NO_DATA` : '', o.duplicateFrames > 0 ? `${o.duplicateFrames} duplicate frame(s) dropped` : '', o.lateDroppedFrames > 0 ? `${o.lateDroppedFrames} frame(s) too late` : '', o.discontinuities > 0 ? `${o.discontinuities} timestamp jump(s) joined` : ''].filter((x) => x !== '');
      lines.push(`  ${o.file}: ${o.payloadFormats.join('; ')}${repairs.length > 0 ? `; ${repairs.join(', ')}` : ''}`);
    }
    for (const k of r.skipped) lines.push(`  ${k.packets} packet(s) not extracted: ${printable(k.reason)} (first frame ${k.firstFrameNo})`);
  }
  const notes = streamNotes({ ...doc, streams: doc.streams.map((r) => r.stream) });
  if (doc.notSelected > 0) notes.push(`${doc.notSelected} stream(s) not selected by --call / --ssrc`);
  if (notes.length > 0) lines.push('', ...notes);
  return `${lines.join('\n')}\n`;
}

export function renderAmrExtractJson(doc: AmrExtractDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
