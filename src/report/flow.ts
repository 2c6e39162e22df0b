// Renderers for `imscap flow`: the ladder diagram of each call (hosts as columns, one arrow per
// SIP message with its time and frame), the same as a Mermaid sequenceDiagram, and the message
// list as JSON. Each renderer is a stream: a head, one piece per call as the pass hands calls
// over, and a tail, so a capture of any size is written without holding every call.
import { endpointText, type FlowCall, type FlowEndpoint, type FlowMessage, type FlowSdp } from '../analysis/dialogs/message-flow.js';
import { printable, shortened } from './calls.js';
import { formatClock, formatTime } from './time.js';

export interface FlowLane {
  /** "A", "B"... then "H27", "H28"... */
  readonly id: string;
  /** "10.0.0.1:5060", or the bare IP when the host used several ports in the call. */
  readonly address: string;
  /** The ports a bare-IP column stands for, in order of appearance. */
  readonly ports?: readonly number[];
  /** caller: sent the first INVITE; callee: sent the first final response to it. */
  readonly role?: 'caller' | 'callee';
}

export interface FlowLayout {
  readonly lanes: readonly FlowLane[];
  laneOf(endpoint: FlowEndpoint): number;
}

/** What the stream ends with: messages in no call, and counts. */
export interface FlowTail {
  readonly unplaced: readonly FlowMessage[];
  /** Messages in no call, including those beyond the list kept. */
  readonly unplacedTotal: number;
  readonly calls: number;
  readonly messages: number;
}

export interface FlowRenderer {
  head(): string;
  call(call: FlowCall): string;
  tail(tail: FlowTail): string;
}

const MAX_WIDTH = 160;
const MIN_LANE_GAP = 14;
const MIN_SQUEEZED_GAP = 10;
const TIME_WIDTH = 12;
const MAX_LABEL = 48;
const MAX_PORTS_SHOWN = 4;

export function laneId(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `H${index + 1}`;
}

/**
 * The hosts of a call as columns: the INVITE sender first, then in order of appearance. A host
 * that used one port is "IP:port"; one that used several (TCP clients, IPsec port pairs) is its
 * IP, unless it talks to itself (two programs on one address): then each port is a column.
 */
export function flowLayout(messages: readonly FlowMessage[]): FlowLayout {
  const portsByIp = new Map<string, Set<number>>();
  const note = (e: FlowEndpoint): void => {
    let ports = portsByIp.get(e.ip);
    if (ports === undefined) {
      ports = new Set();
      portsByIp.set(e.ip, ports);
    }
    ports.add(e.port);
  };
  const selfTalking = new Set<string>();
  for (const m of messages) {
    note(m.src);
    note(m.dst);
    if (m.src.ip === m.dst.ip && m.src.port !== m.dst.port) selfTalking.add(m.src.ip);
  }
  const keyOf = (e: FlowEndpoint): string => ((portsByIp.get(e.ip)?.size ?? 0) > 1 && !selfTalking.has(e.ip) ? e.ip : endpointText(e));
  const invite = messages.find((m) => m.kind === 'request' && m.method === 'INVITE' && m.repeat === undefined);
  const final = invite === undefined ? undefined : messages.find((m) => m.kind === 'response' && m.method === 'INVITE' && (m.statusCode ?? 0) >= 200 && m.repeat === undefined && m.cseq === invite.cseq);
  const order: string[] = [];
  const index = new Map<string, number>();
  const add = (key: string): void => {
    if (index.has(key)) return;
    index.set(key, order.length);
    order.push(key);
  };
  if (invite !== undefined) add(keyOf(invite.src));
  for (const m of messages) {
    add(keyOf(m.src));
    add(keyOf(m.dst));
  }
  const callerKey = invite === undefined ? undefined : keyOf(invite.src);
  const calleeKey = final === undefined ? undefined : keyOf(final.src);
  const lanes = order.map((key, i): FlowLane => {
    const role = key === callerKey ? 'caller' : key === calleeKey ? 'callee' : undefined;
    const ports = portsByIp.get(key);
    return { id: laneId(i), address: key, ...(ports !== undefined ? { ports: [...ports] } : {}), ...(role !== undefined ? { role } : {}) };
  });
  return { lanes, laneOf: (e) => index.get(keyOf(e)) ?? 0 };
}

/** "INVITE (SDP)", "183 Session Progress (SDP)", "200 OK (retransmission)". */
export function messageLabel(m: FlowMessage): string {
  const head = m.kind === 'request' ? m.method || '?' : `${m.statusCode ?? '?'}${m.reason !== undefined && m.reason.length > 0 ? ` ${m.reason}` : ''}`;
  const notes = [m.sdp !== undefined ? 'SDP' : '', m.repeat === 'retransmission' ? 'retransmission' : ''].filter((n) => n.length > 0);
  const tail = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  return printable(`${shortened(head, MAX_LABEL - tail.length)}${tail}`);
}

/** "offer audio 10.0.0.1:40000 AMR-WB/16000 telephone-event/16000 sendrecv". */
export function sdpText(sdp: FlowSdp): string {
  if (sdp.error !== undefined) return `unparseable: ${sdp.error}`;
  const media = sdp.media.map((m) => [m.type, m.address !== undefined ? endpointText({ ip: m.address, port: m.port }) : String(m.port), ...m.formats.map((f) => f.name), m.direction].join(' '));
  return [sdp.role ?? '', ...media].filter((x) => x.length > 0).join('; ');
}

// ---- text ladder ----------------------------------------------------------------------------

export function ladderRenderer(capture: string): FlowRenderer {
  let first = true;
  const sep = (): string => {
    const s = first ? '' : '\n';
    first = false;
    return s;
  };
  return {
    head: () => `SIP flow of ${printable(capture)}\n`,
    call: (call) => `${sep()}\n${renderLadder(callTitle(call), call.messages)}`,
    tail: (t) => {
      const parts: string[] = [];
      if (t.unplaced.length > 0) parts.push(`${sep()}\n${renderLadder(['Messages in no call (no Call-ID or no valid CSeq)'], t.unplaced)}`);
      if (t.unplacedTotal > t.unplaced.length) parts.push(`${t.unplacedTotal - t.unplaced.length} more message(s) in no call not shown\n`);
      parts.push(`\n${t.calls} call(s), ${t.messages} SIP message(s)\n`);
      return parts.join('');
    },
  };
}

function callTitle(call: FlowCall): string[] {
  const states = call.dialogs.map((d) => `${printable(shortened(d.method, 20))} ${d.state}${d.finalStatus !== undefined ? ` ${d.finalStatus}` : ''}`);
  const first = call.messages[0];
  const last = call.messages.at(-1);
  const span = first !== undefined && last !== undefined ? `, frames ${first.frameNo}–${last.frameNo}, ${formatTime(first.ts)} – ${formatClock(last.ts)}` : '';
  return [
    `Call-ID ${printable(shortened(call.callId, 120))}`,
    `${printable(shortened(call.firstMethod, 20))} ${printable(shortened(call.from, 60))} → ${printable(shortened(call.to, 60))}${states.length > 0 ? `: ${states.join(', ')}` : ''}`,
    `${call.messages.length} message(s)${span}`,
  ];
}

/** One ladder: a title, the host legend, then one line per message. */
export function renderLadder(title: readonly string[], messages: readonly FlowMessage[]): string {
  const layout = flowLayout(messages);
  const lanes = layout.lanes;
  const frameWidth = Math.max(5, String(messages.reduce((n, m) => Math.max(n, m.frameNo), 0)).length);
  const margin = TIME_WIDTH + 2 + frameWidth + 2;
  const labels = messages.map(messageLabel);
  const widest = labels.reduce((w, l) => Math.max(w, l.length), 0);
  let gap = Math.max(MIN_LANE_GAP, widest + 7);
  if (lanes.length > 1 && margin + gap * (lanes.length - 1) + 1 > MAX_WIDTH) gap = Math.max(MIN_SQUEEZED_GAP, Math.floor((MAX_WIDTH - margin - 1) / (lanes.length - 1)));
  const x = (lane: number): number => margin + lane * gap;
  const width = x(Math.max(0, lanes.length - 1)) + 1;

  const out = [...title];
  for (const lane of lanes) out.push(`  ${lane.id.padEnd(3)} ${laneText(lane)}${lane.role !== undefined ? `  (${lane.role})` : ''}`);
  out.push('');
  const head = new Array<string>(width).fill(' ');
  place(head, 0, 'Time');
  place(head, TIME_WIDTH + 2 + frameWidth - 5, 'Frame');
  lanes.forEach((lane, i) => place(head, x(i), lane.id));
  out.push(head.join('').trimEnd());

  messages.forEach((m, i) => {
    const row = new Array<string>(width).fill(' ');
    for (let l = 0; l < lanes.length; l++) row[x(l)] = '│';
    place(row, 0, formatClock(m.ts));
    place(row, TIME_WIDTH + 2, String(m.frameNo).padStart(frameWidth));
    const from = x(layout.laneOf(m.src));
    const to = x(layout.laneOf(m.dst));
    drawArrow(row, from, to, labels[i] ?? '');
    out.push(row.join('').trimEnd());
  });
  return `${out.join('\n')}\n`;
}

/** "10.0.0.1:5060", or "10.0.0.1 (ports 5060, 5062)" for a bare-IP column. */
export function laneText(lane: FlowLane): string {
  if (lane.ports === undefined) return lane.address;
  const shown = lane.ports.slice(0, MAX_PORTS_SHOWN).join(', ');
  return `${lane.address} (ports ${shown}${lane.ports.length > MAX_PORTS_SHOWN ? ', …' : ''})`;
}

/** `───LABEL────▶` left to right, `◀──LABEL─────` right to left, `↺ LABEL` to itself. */
function drawArrow(row: string[], from: number, to: number, label: string): void {
  if (from === to) {
    place(row, from + 1, `↺ ${label}`);
    return;
  }
  const left = Math.min(from, to);
  const span = Math.abs(to - from) - 1;
  const text = shortened(label, Math.max(1, span - 6));
  const body = from < to ? `───${text}`.padEnd(span - 1, '─') + '▶' : `◀──${text}`.padEnd(span, '─');
  place(row, left + 1, body);
}

function place(row: string[], at: number, text: string): void {
  let i = at;
  for (const ch of text) {
    if (i >= row.length) row.push(ch);
    else row[i] = ch;
    i++;
  }
}

// ---- Mermaid --------------------------------------------------------------------------------

/**
 * Mermaid text: the sequence diagram lexer ends message, note and alias text at '#', ';' and
 * newline; '#' also opens its entity codes. Those characters (and '<', '>', '%') become entity
 * codes ("#59;"), control characters are replaced.
 */
export function mermaidText(text: string): string {
  return printable(text).replace(/[#;<>%]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** One sequenceDiagram for every call: hosts declared once, a note opening each call with its roles. */
export function mermaidRenderer(): FlowRenderer {
  const ids = new Map<string, string>();
  const declare = (lane: FlowLane, out: string[]): string => {
    let id = ids.get(lane.address);
    if (id === undefined) {
      id = laneId(ids.size);
      ids.set(lane.address, id);
      out.push(`    participant ${id} as ${mermaidText(laneText(lane))}`);
    }
    return id;
  };
  const section = (title: string, messages: readonly FlowMessage[]): string => {
    const layout = flowLayout(messages);
    const out: string[] = [];
    const laneIds = layout.lanes.map((lane) => declare(lane, out));
    const span = laneIds.length > 1 ? `${laneIds[0] ?? 'A'},${laneIds.at(-1) ?? 'A'}` : (laneIds[0] ?? 'A');
    const roles = layout.lanes.flatMap((lane, i) => (lane.role !== undefined ? [`${lane.role} ${laneIds[i] ?? ''}`] : []));
    if (laneIds.length > 0) out.push(`    Note over ${span}: ${mermaidText(`${title}${roles.length > 0 ? ` (${roles.join(', ')})` : ''}`)}`);
    for (const m of messages) {
      const from = laneIds[layout.laneOf(m.src)] ?? 'A';
      const to = laneIds[layout.laneOf(m.dst)] ?? 'A';
      out.push(`    ${from}${m.kind === 'request' ? '->>' : '-->>'}${to}: ${mermaidText(messageLabel(m))} [f${m.frameNo}]`);
    }
    return out.length > 0 ? `${out.join('\n')}\n` : '';
  };
  return {
    head: () => 'sequenceDiagram\n',
    call: (call) => section(`Call-ID ${shortened(call.callId, 120)}`, call.messages),
    tail: (t) => (t.unplaced.length > 0 ? section('Messages in no call', t.unplaced) : ''),
  };
}

// ---- JSON -----------------------------------------------------------------------------------

export interface FlowMessageJson {
  readonly frameNo: number;
  readonly firstFrameNo?: number;
  /** UTC, ISO 8601 with microseconds. */
  readonly time: string;
  /** Seconds since the epoch. */
  readonly ts: number;
  readonly src: string;
  readonly dst: string;
  /** Columns of the ladder (see hosts). */
  readonly from: string;
  readonly to: string;
  readonly transport: string;
  readonly kind: 'request' | 'response';
  readonly method: string;
  readonly statusCode?: number;
  readonly reason?: string;
  readonly label: string;
  readonly callId?: string;
  readonly cseq?: string;
  readonly repeat?: string;
  readonly repeatOf?: number;
  readonly sdp?: FlowSdp & { readonly summary: string };
  readonly unplaced?: string;
}

export function flowMessagesJson(messages: readonly FlowMessage[]): { hosts: readonly FlowLane[]; messages: FlowMessageJson[] } {
  const layout = flowLayout(messages);
  const lanes = layout.lanes;
  return {
    hosts: lanes,
    messages: messages.map((m) => ({
      frameNo: m.frameNo,
      ...(m.firstFrameNo !== undefined ? { firstFrameNo: m.firstFrameNo } : {}),
      time: formatTime(m.ts),
      ts: m.ts,
      src: endpointText(m.src),
      dst: endpointText(m.dst),
      from: lanes[layout.laneOf(m.src)]?.id ?? '',
      to: lanes[layout.laneOf(m.dst)]?.id ?? '',
      transport: m.transport,
      kind: m.kind,
      method: m.method,
      ...(m.statusCode !== undefined ? { statusCode: m.statusCode } : {}),
      ...(m.reason !== undefined ? { reason: m.reason } : {}),
      label: messageLabel(m),
      ...(m.callId !== undefined ? { callId: m.callId } : {}),
      ...(m.cseq !== undefined ? { cseq: m.cseq } : {}),
      ...(m.repeat !== undefined ? { repeat: m.repeat } : {}),
      ...(m.repeatOf !== undefined ? { repeatOf: m.repeatOf } : {}),
      ...(m.sdp !== undefined ? { sdp: { ...m.sdp, summary: sdpText(m.sdp) } } : {}),
      ...(m.unplaced !== undefined ? { unplaced: m.unplaced } : {}),
    })),
  };
}

/** { capture, calls: [{ callId, ..., hosts, messages }], unplaced, summary }, written call by call. */
export function jsonRenderer(capture: string): FlowRenderer {
  let count = 0;
  const indent = (text: string): string => text.replace(/\n/g, '\n    ');
  return {
    head: () => `{\n  "capture": ${JSON.stringify(capture)},\n  "calls": [`,
    call: (call) => {
      const { messages, ...rest } = call;
      const doc = { ...rest, ...flowMessagesJson(messages) };
      return `${count++ === 0 ? '' : ','}\n    ${indent(JSON.stringify(doc, null, 2))}`;
    },
    tail: (t) => {
      const unplaced = flowMessagesJson(t.unplaced).messages;
      const summary = { calls: t.calls, messages: t.messages, unplaced: t.unplacedTotal };
      return `${count > 0 ? '\n  ' : ''}],\n  "unplaced": ${JSON.stringify(unplaced, null, 2).replace(/\n/g, '\n  ')},\n  "summary": ${JSON.stringify(summary)}\n}\n`;
    },
  };
}
