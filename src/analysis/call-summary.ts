// One call as `imscap calls` keeps it once the tracker is done with it: plain, small records
// (strings and numbers, frame numbers for everything) instead of the tracker's messages and
// parsed SDP, so a capture of a million calls holds a million summaries and nothing more.
import { isDecodeError } from '../decode-error.js';
import { hostPort } from '../net/events.js';
import { parseNameAddr } from '../protocols/sip/name-addr.js';
import type { SdpMedia, SdpPayloadFormat, SdpSession } from '../protocols/sdp/types.js';
import type { SipEvent as PassSipEvent } from '../pipeline/events.js';
import { DialogTracker, negotiatedCodec, trackerEvent, type CallDoneReason, type DialogSide, type DialogState, type Negotiation, type NegotiationStatus, type SdpExchange, type SipCall, type SipDialog } from './dialogs.js';

export interface FormatSummary {
  readonly payloadType: number;
  /** "AMR-WB/16000", "telephone-event/8000", or "PT 97" when nothing names it. */
  readonly name: string;
  readonly fmtp?: string;
}

export interface MediaSummary {
  readonly type: string;
  readonly port: number;
  readonly proto: string;
  /** c= address (media level, else session level). */
  readonly address?: string;
  readonly direction: string;
  readonly formats: readonly FormatSummary[];
}

export interface ExchangeSummary {
  readonly frameNo: number;
  /** "INVITE", "PRACK", "UPDATE", "ACK" or the status code of a response. */
  readonly carrier: string;
  readonly cseq: string;
  readonly side: DialogSide;
  readonly src: string;
  readonly dst: string;
  readonly reliable: boolean;
  /** Frames of the same message seen at other hops. */
  readonly copies: readonly number[];
  readonly media: readonly MediaSummary[];
}

export interface NegotiationSummary {
  readonly trigger: string;
  readonly status: NegotiationStatus;
  readonly statusDetail?: string;
  readonly offer: ExchangeSummary;
  readonly answer?: ExchangeSummary;
  readonly answerFromEarlySdp: boolean;
  readonly earlySdpFrames: readonly number[];
  readonly repeats: readonly number[];
}

export interface CodecSummary extends FormatSummary {
  /** Frame of the answer the codec was read from. */
  readonly answerFrameNo: number;
}

export interface DialogSummary {
  readonly callId: string;
  readonly method: string;
  readonly state: DialogState;
  readonly finalStatus?: number;
  readonly callerTag?: string;
  readonly calleeTag?: string;
  /** URIs of From and To (the header value when it does not parse). */
  readonly from: string;
  readonly to: string;
  readonly caller: string;
  readonly callee: string;
  readonly forked: boolean;
  readonly partial: boolean;
  readonly startTs: number;
  readonly endTs: number;
  /** Seconds from the first to the last message of the dialog. */
  readonly duration: number;
  /** Seconds from the first 2xx to the dialog-creating request to the last message, when answered. */
  readonly answeredDuration?: number;
  readonly firstFrameNo: number;
  readonly lastFrameNo: number;
  /** Messages seen in the dialog, retransmissions and hop copies included. */
  readonly messages: number;
  readonly retransmissions: number;
  readonly copies: number;
  readonly codec?: CodecSummary;
  readonly negotiations: readonly NegotiationSummary[];
  readonly anomalies: readonly { readonly code: string; readonly frameNo: number; readonly detail: string }[];
}

export interface CallSummary {
  readonly callId: string;
  readonly firstMethod: string;
  readonly from: string;
  readonly to: string;
  readonly startTs: number;
  readonly endTs: number;
  readonly firstFrameNo: number;
  readonly lastFrameNo: number;
  /** Messages counted once (retransmissions and hop copies apart). */
  readonly messages: number;
  readonly retransmissions: number;
  readonly copies: number;
  readonly transactions: number;
  /** Transactions per method ("INVITE": 2, "PRACK": 1...). */
  readonly transactionsByMethod: Readonly<Record<string, number>>;
  /** Transactions that saw no final response. */
  readonly unansweredTransactions: number;
  /** Final status of the last transaction of the first method (for calls without a dialog: REGISTER, OPTIONS...). */
  readonly lastFinalStatus?: number;
  readonly dialogs: readonly DialogSummary[];
  /** Why the tracker let the call go: ended and quiet, pushed out by newer calls, or end of input. */
  readonly doneReason: CallDoneReason;
}

export function summarizeCall(call: SipCall, doneReason: CallDoneReason): CallSummary {
  const byMethod: Record<string, number> = {};
  let unanswered = 0;
  let lastFinalStatus: number | undefined;
  for (const t of call.transactions) {
    if (t.copyOf !== undefined) continue;
    byMethod[t.method] = (byMethod[t.method] ?? 0) + 1;
    if (t.finalStatus === undefined) unanswered++;
    if (t.method === call.firstMethod && t.finalStatus !== undefined) lastFinalStatus = t.finalStatus;
  }
  return {
    callId: call.callId,
    firstMethod: call.firstMethod,
    from: uriOf(call.from),
    to: uriOf(call.to),
    startTs: call.startTs,
    endTs: call.endTs,
    firstFrameNo: call.firstFrameNo,
    lastFrameNo: call.lastFrameNo,
    messages: call.messageCount,
    retransmissions: call.retransmissions,
    copies: call.copies,
    transactions: Object.values(byMethod).reduce((a, b) => a + b, 0),
    transactionsByMethod: byMethod,
    unansweredTransactions: unanswered,
    ...(lastFinalStatus !== undefined ? { lastFinalStatus } : {}),
    dialogs: call.dialogs.map(summarizeDialog),
    doneReason,
  };
}

export function summarizeDialog(d: SipDialog): DialogSummary {
  let retransmissions = 0;
  let copies = 0;
  for (const m of d.messages) {
    if (m.repeat === 'retransmission') retransmissions++;
    else if (m.repeat === 'copy') copies++;
  }
  const codec = negotiatedCodec(d);
  const answer = codec?.negotiation.answer;
  const answeredAt = d.messages.find((m) => m.kind === 'response' && m.method === d.method && m.cseq === d.cseq && (m.statusCode ?? 0) >= 200 && (m.statusCode ?? 0) < 300)?.ts;
  return {
    callId: d.callId,
    method: d.method,
    state: d.state,
    ...(d.finalStatus !== undefined ? { finalStatus: d.finalStatus } : {}),
    ...(d.callerTag !== undefined ? { callerTag: d.callerTag } : {}),
    ...(d.calleeTag !== undefined ? { calleeTag: d.calleeTag } : {}),
    from: uriOf(d.from),
    to: uriOf(d.to),
    caller: d.callerAddress,
    callee: d.calleeAddress,
    forked: d.forked,
    partial: d.partial,
    startTs: d.startTs,
    endTs: d.endTs,
    duration: d.endTs - d.startTs,
    ...(answeredAt !== undefined ? { answeredDuration: d.endTs - answeredAt } : {}),
    firstFrameNo: d.firstFrameNo,
    lastFrameNo: d.lastFrameNo,
    messages: d.messages.length,
    retransmissions,
    copies,
    ...(codec !== undefined && answer !== undefined ? { codec: { ...formatSummary(codec.format), answerFrameNo: answer.frameNo } } : {}),
    negotiations: d.negotiations.map(summarizeNegotiation),
    anomalies: d.anomalies.map((a) => ({ code: a.code, frameNo: a.frameNo, detail: a.detail })),
  };
}

function summarizeNegotiation(n: Negotiation): NegotiationSummary {
  return {
    trigger: n.trigger,
    status: n.status,
    ...(n.statusDetail !== undefined ? { statusDetail: n.statusDetail } : {}),
    offer: summarizeExchange(n.offer),
    ...(n.answer !== undefined ? { answer: summarizeExchange(n.answer) } : {}),
    answerFromEarlySdp: n.answerFromEarlySdp,
    earlySdpFrames: n.earlySdp.map((e) => e.frameNo),
    repeats: [...n.repeats],
  };
}

function summarizeExchange(x: SdpExchange): ExchangeSummary {
  return {
    frameNo: x.frameNo,
    carrier: x.carrier,
    cseq: `${x.cseq} ${x.method}`,
    side: x.side,
    src: hostPort(x.src, x.srcPort),
    dst: hostPort(x.dst, x.dstPort),
    reliable: x.reliable,
    copies: x.copies.map((c) => c.frameNo),
    media: summarizeMedia(x.sdp),
  };
}

export function summarizeMedia(sdp: SdpSession): MediaSummary[] {
  return sdp.media.map((m: SdpMedia) => {
    const address = m.connection?.address ?? sdp.connection?.address;
    return {
      type: m.type,
      port: m.port,
      proto: m.proto,
      ...(address !== undefined ? { address } : {}),
      direction: m.direction,
      formats: m.payloads.map(formatSummary),
    };
  });
}

export function formatSummary(f: SdpPayloadFormat): FormatSummary {
  return { payloadType: f.payloadType, name: formatName(f), ...(f.fmtpText !== undefined ? { fmtp: f.fmtpText } : {}) };
}

/** RFC 8866 §6.6 rtpmap form: "encoding/clock rate[/channels]". */
export function formatName(f: SdpPayloadFormat): string {
  if (f.encodingName === undefined) return `PT ${f.payloadType}`;
  return `${f.encodingName}${f.clockRate !== undefined ? `/${f.clockRate}` : ''}${f.channels !== undefined && f.channels !== 1 ? `/${f.channels}` : ''}`;
}

/** The URI of a From / To value (RFC 3261 §20.20, §20.39); the value itself when it does not parse. */
export function uriOf(value: string): string {
  if (value.length === 0) return '';
  const na = parseNameAddr(value);
  return isDecodeError(na) ? value : na.uriText;
}

export interface CallTableOptions {
  /** Open calls the tracker holds at most (DEFAULT_MAX_OPEN_CALLS when absent). */
  readonly maxOpenCalls?: number;
}

/**
 * The calls of a capture as summaries, with bounded memory: the tracker lets each call go once
 * it ended and went quiet (or when too many are open), and only its summary stays.
 */
export class CallTable {
  private readonly summaries: CallSummary[] = [];
  private readonly tracker: DialogTracker;

  constructor(options: CallTableOptions = {}) {
    this.tracker = new DialogTracker(
      { callDone: (call, reason) => this.summaries.push(summarizeCall(call, reason)) },
      { retainFinishedCalls: false, ...(options.maxOpenCalls !== undefined ? { maxOpenCalls: options.maxOpenCalls } : {}) },
    );
  }

  sip(e: PassSipEvent): void {
    this.tracker.push(trackerEvent(e));
  }

  /** Every call, in the order of its first message. */
  finish(): { readonly calls: readonly CallSummary[]; readonly unplaced: number } {
    this.tracker.finish();
    const calls = this.summaries.slice().sort((a, b) => a.firstFrameNo - b.firstFrameNo);
    return { calls, unplaced: this.tracker.unplacedCount() };
  }

  openCallCount(): number {
    return this.tracker.openCallCount();
  }

  peakOpenCalls(): number {
    return this.tracker.peakOpenCalls();
  }
}
