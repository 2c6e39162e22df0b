// Renderers for `imscap streams`: the RTP stream table, like Wireshark's RTP Streams.
import { hostPort } from '../net/events.js';
import type { RtpStreamReport, RtpStreamsReport } from '../analysis/rtp-streams.js';
import { printable, shortened } from './calls.js';
import { renderTable } from './table.js';

export interface StreamsDocument extends RtpStreamsReport {
  readonly capture: string;
}

/** Packet text (Call-IDs, encoding names) in a table cell: control characters replaced, long values cut. */
export function cellText(text: string, max: number): string {
  return printable(shortened(text, max));
}

const CALL_ID_WIDTH = 40;

export function callIdLabel(callId: string): string {
  return cellText(callId, CALL_ID_WIDTH);
}

/** "AMR-WB", "AMR-WB (guessed)", "AMR (--codec)"; events and comfort noise listed after. */
export function codecLabel(s: RtpStreamReport): string {
  const how = s.codecSource === 'guess' ? (s.codec.startsWith('PT ') ? ' (unidentified)' : ' (guessed)') : s.codecSource === 'option' ? ' (--codec)' : '';
  const others = s.payloadTypes.map((p) => p.name).filter((n) => n !== s.codec);
  return cellText(`${s.codec}${how}${others.length > 0 ? ` +${others.join(',')}` : ''}`, 48);
}

export function lostLabel(lost: number, expected: number): string {
  const pct = expected > 0 ? (lost / expected) * 100 : 0;
  return `${lost} (${pct.toFixed(1)}%)`;
}

export function directionLabel(s: Pick<RtpStreamReport, 'direction'>): string {
  return s.direction === 'a2b' ? 'caller→callee' : s.direction === 'b2a' ? 'callee→caller' : '-';
}

export function renderStreamsText(doc: StreamsDocument): string {
  const tunnels = doc.streams.some((s) => s.tunnel !== '');
  const head = ['#', ...(tunnels ? ['tunnel'] : []), 'source', 'destination', 'SSRC', 'payload', 'packets', 'lost', 'dup', 'late', 'jitter ms', 'max jitter', 'capture frames', 'call', 'direction'];
  const rows = doc.streams.map((s) => [
    s.id,
    ...(tunnels ? [s.tunnel || '-'] : []),
    hostPort(s.src, s.srcPort),
    hostPort(s.dst, s.dstPort),
    s.ssrcHex,
    codecLabel(s),
    s.stats.packets,
    lostLabel(s.stats.lost, s.stats.expected),
    s.stats.duplicates,
    s.stats.reordered,
    s.stats.meanJitterMs.toFixed(3),
    s.stats.maxJitterMs.toFixed(3),
    `${s.stats.firstFrameNo}-${s.stats.lastFrameNo}`,
    s.callId !== undefined ? callIdLabel(s.callId) : s.setup === 'heuristic' ? '(no SDP)' : '-',
    directionLabel(s),
  ]);
  const lines = [`RTP streams in ${printable(doc.capture)}: ${doc.streams.length}`];
  if (rows.length > 0) lines.push(renderTable(head, rows));
  lines.push(...streamNotes(doc));
  return `${lines.join('\n')}\n`;
}

/** Footnotes: guesses, packets counted apart, what limits and probation left out. */
export function streamNotes(doc: RtpStreamsReport): string[] {
  const notes: string[] = [];
  for (const s of doc.streams) {
    if (s.codecNote !== undefined) notes.push(`stream ${s.id}: ${printable(s.codecNote)}`);
    const apart = [s.stats.telephoneEventPackets > 0 ? `${s.stats.telephoneEventPackets} telephone-event` : '', s.stats.comfortNoisePackets > 0 ? `${s.stats.comfortNoisePackets} comfort noise` : ''].filter((x) => x !== '');
    if (apart.length > 0) notes.push(`stream ${s.id}: ${apart.join(', ')} packet(s) counted apart`);
    if (s.stats.sequenceRestarts > 0 || s.stats.outOfSequence > 0) notes.push(`stream ${s.id}: ${s.stats.sequenceRestarts} sequence restart(s), ${s.stats.outOfSequence} packet(s) out of sequence`);
  }
  if (doc.droppedStreams > 0) notes.push(`${doc.droppedStreams} stream(s) beyond the stream limit not analysed (${doc.droppedPackets} packets)`);
  if (doc.rejectedCandidates > 0) notes.push(`${doc.rejectedCandidates} RTP-like flow(s) never showed two packets in sequence; not counted as streams (${doc.rejectedPackets} packets)`);
  return notes;
}

export function renderStreamsJson(doc: StreamsDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
