// DialogTracker: consumes decoded SIP messages one by one and groups them into calls (one per
// Call-ID), transactions (RFC 3261 §17.2.3: top Via branch + CSeq), and dialogs (RFC 3261 §12:
// Call-ID + tags, forked early dialogs kept apart), with the offer/answer negotiations of each
// dialog. Retransmissions and copies of a message seen at another hop are flagged and counted
// once. negotiatedCodec() names the codec a dialog settled on.
// Memory: by default every call is kept for calls(); with retainFinishedCalls: false a call is
// handed to callDone() and forgotten once its dialogs ended and it stayed quiet for 32 s of
// capture time, or when more calls are open than maxOpenCalls (least recently active first).
import { isDecodeError } from '../decode-error.js';
import { hostPort } from '../net/events.js';
import { bodyParts } from '../protocols/sip/body.js';
import { parseSdp } from '../protocols/sdp/parse.js';
import type { CSeq } from '../protocols/sip/cseq.js';
import type { SipMessage } from '../protocols/sip/message.js';
import type { RAck } from '../protocols/sip/reliable-provisional.js';
import type { SdpMedia, SdpPayloadFormat, SdpSession } from '../protocols/sdp/types.js';
import type { SipEvent as PassSipEvent } from '../pipeline/events.js';
import { OfferAnswer, type NegotiationRecord, type OaMessage, type SdpRole } from './dialogs/offer-answer.js';
import type {
  DialogAnomaly,
  DialogMessage,
  DialogSide,
  DialogState,
  Negotiation,
  RepeatKind,
  SdpExchange,
  SipCall,
  SipDialog,
  SipEvent,
} from './dialogs/types.js';

export type * from './dialogs/types.js';
export type { SdpRole } from './dialogs/offer-answer.js';

/** An SDP body as the tracker saw it, for consumers that bind media (RTP) as signalling goes. */
export interface SdpSeen {
  readonly call: SipCall;
  readonly dialog: SipDialog;
  readonly exchange: SdpExchange;
  readonly role: SdpRole;
  /** The message is a copy seen at another hop (exchange is the first sighting). */
  readonly copy?: { readonly frameNo: number; readonly src: string; readonly dst: string; readonly sdp: SdpSession };
}

/** One message as the tracker placed it, for consumers that follow every message (ladders). */
export interface PlacedMessage {
  readonly call: SipCall;
  readonly event: SipEvent;
  /** Dialogs the message went to: none for requests outside dialogs (REGISTER, OPTIONS...). */
  readonly dialogs: readonly SipDialog[];
  readonly repeat?: RepeatKind;
  /** Frame of the first sighting of the message this one repeats. */
  readonly repeatOf?: number;
  /** The message carries an application/sdp body (parseable or not). */
  readonly hasSdp: boolean;
  /** The SDP body, when the message carries one that parses. */
  readonly sdp?: SdpSession;
  /** What the SDP did in offer/answer; a repeat takes the role of its first sighting. */
  readonly sdpRole?: SdpRole;
}

/** Why a call left the tracker: ended and quiet, pushed out by newer calls, or end of input. */
export type CallDoneReason = 'quiet' | 'capacity' | 'end-of-input';

export interface DialogListener {
  /** Every SDP body in a dialog, as soon as it is seen. */
  sdp?(event: SdpSeen): void;
  /** A negotiation left "pending" (complete, rejected, no-answer), or is still pending when its call is done. */
  negotiation?(dialog: SipDialog, negotiation: Negotiation): void;
  /** Every message placed in a call, after the tracker applied it. */
  message?(event: PlacedMessage): void;
  /** A message that could not be placed (no Call-ID, no valid CSeq). */
  unplaced?(event: SipEvent, reason: string): void;
  /**
   * Once per call, with its dialogs final: when it is let go (retainFinishedCalls: false), or at
   * finish() for the calls still held.
   */
  callDone?(call: SipCall, reason: CallDoneReason): void;
}

export interface DialogTrackerOptions {
  /**
   * Keep every call for calls() and dialogs() (default true). False bounds memory: a call whose
   * dialogs all ended is handed to callDone() and forgotten after QUIET_SECONDS without a
   * message, and the least recently active call goes when more than maxOpenCalls are open.
   */
  readonly retainFinishedCalls?: boolean;
  /** Open calls held at most when not retaining (default DEFAULT_MAX_OPEN_CALLS). */
  readonly maxOpenCalls?: number;
}

/** A message the tracker could not place (no Call-ID or no valid CSeq). */
export interface UnplacedMessage {
  readonly frameNo: number;
  readonly reason: string;
}

/**
 * Capture seconds a finished call stays before it is let go: RFC 3261 §17.1.1.2 Timer D and
 * §17.2.2 Timer J (64·T1 = 32 s over UDP), the longest a retransmission of it can still arrive.
 */
export const QUIET_SECONDS = 32;
export const DEFAULT_MAX_OPEN_CALLS = 50_000;
/** Unplaced messages listed by unplaced() when not retaining; unplacedCount() counts them all. */
const MAX_UNPLACED_KEPT = 1000;

/** A tracker SipEvent from the pass's (same message, its meta flattened, its SDP parsed once). */
export function trackerEvent(e: PassSipEvent): SipEvent {
  const m = e.meta;
  return {
    message: e.message,
    frameNo: m.frameNo,
    ...(m.firstFrameNo !== m.frameNo ? { firstFrameNo: m.firstFrameNo } : {}),
    ts: m.ts,
    src: m.src,
    dst: m.dst,
    srcPort: m.srcPort,
    dstPort: m.dstPort,
    transport: m.transport,
    ...(e.sdp !== undefined ? { sdp: e.sdp } : {}),
  };
}

const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);
const utf8 = new TextDecoder('utf-8');

interface DialogRecord {
  callId: string;
  callerTag?: string;
  calleeTag?: string;
  method: string;
  cseq: number;
  state: DialogState;
  finalStatus?: number;
  from: string;
  to: string;
  callerAddress: string;
  calleeAddress: string;
  forked: boolean;
  partial: boolean;
  startTs: number;
  endTs: number;
  firstFrameNo: number;
  lastFrameNo: number;
  messages: DialogMessage[];
  negotiations: NegotiationRecord[];
  earlySdp: SdpExchange[];
  anomalies: DialogAnomaly[];
}

/** The dialogs born from one dialog-creating request (several when a proxy forks it). */
interface DialogSet {
  readonly dialogs: DialogRecord[];
  readonly creating: { readonly message: DialogMessage; readonly oa: OaMessage };
  cancelled: boolean;
  finalStatus?: number;
}

interface TransactionRecord {
  key: string;
  branch?: string;
  method: string;
  cseq: number;
  requestFrameNo?: number;
  responses: { frameNo: number; statusCode: number; ts: number }[];
  finalStatus?: number;
  retransmissions: number;
  copyOf?: number;
}

interface CallRecord {
  callId: string;
  firstMethod: string;
  from: string;
  to: string;
  firstFrameNo: number;
  lastFrameNo: number;
  startTs: number;
  endTs: number;
  messageCount: number;
  retransmissions: number;
  copies: number;
  transactions: TransactionRecord[];
  dialogs: DialogRecord[];
}

interface CallState {
  readonly record: CallRecord;
  readonly transactions: Map<string, TransactionRecord>;
  /** Per transaction: message identity → frame of its first sighting. */
  readonly seenInTransaction: Map<string, Map<string, number>>;
  /** End-to-end message identity (no Via branch) → frame of its first sighting. */
  readonly seen: Map<string, number>;
  readonly sets: Map<string, DialogSet>;
  readonly byTags: Map<string, DialogRecord>;
  /** First sighting's frame → its SDP exchange and role (to attach copies). */
  readonly exchanges: Map<number, { exchange: SdpExchange; role: SdpRole | undefined; dialog: DialogRecord }>;
}

/** Facts about one message, computed once. */
interface Facts {
  readonly e: SipEvent;
  readonly msg: SipMessage;
  readonly cseq: CSeq;
  readonly method: string;
  readonly status?: number;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly rseq?: number;
  readonly rack?: RAck;
  readonly sdp?: SdpSession;
  readonly hasSdpBody: boolean;
  readonly sdpError?: string;
}

export class DialogTracker {
  /** Open calls by Call-ID, least recently active first. */
  private readonly callStates = new Map<string, CallState>();
  /** Open calls in the order of their first message. */
  private readonly order = new Set<CallRecord>();
  /** When not retaining: calls whose dialogs all ended, least recently active first. */
  private readonly ended = new Set<CallState>();
  private readonly oaByDialog = new Map<DialogRecord, OfferAnswer>();
  private readonly setByDialog = new Map<DialogRecord, DialogSet>();
  private readonly unplacedMessages: UnplacedMessage[] = [];
  private readonly retain: boolean;
  private readonly maxOpenCalls: number;
  private unplacedTotal = 0;
  private latestTs = -Infinity;
  private peak = 0;
  private finished = false;

  constructor(private readonly listener: DialogListener = {}, options: DialogTrackerOptions = {}) {
    this.retain = options.retainFinishedCalls ?? true;
    this.maxOpenCalls = Math.max(1, options.maxOpenCalls ?? DEFAULT_MAX_OPEN_CALLS);
  }

  push(e: SipEvent): void {
    const msg = e.message;
    const callId = msg.callId;
    const cseq = msg.cseq;
    if (callId === undefined || callId.length === 0) return this.unplace(e, 'no Call-ID');
    if (cseq === undefined || isDecodeError(cseq)) return this.unplace(e, cseq === undefined ? 'no CSeq' : `invalid CSeq: ${cseq.reason}`);
    if (!this.retain) this.letGoQuietCalls(e.ts);
    const call = this.callState(callId, e, cseq.method);
    const facts = this.facts(e, msg, cseq);
    const { repeat, repeatOf } = this.classify(call, facts);
    const rec = call.record;
    // Stream-framed messages may complete after later datagrams: keep true minima and maxima.
    rec.firstFrameNo = Math.min(rec.firstFrameNo, e.frameNo);
    rec.lastFrameNo = Math.max(rec.lastFrameNo, e.frameNo);
    rec.startTs = Math.min(rec.startTs, e.ts);
    rec.endTs = Math.max(rec.endTs, e.ts);
    if (repeat === 'retransmission') rec.retransmissions++;
    else if (repeat === 'copy') rec.copies++;
    else rec.messageCount++;

    const dialogs = this.route(call, facts, repeat === undefined);
    let sdpRole: SdpRole | undefined;
    for (const dialog of dialogs) {
      const side = sideOf(dialog, facts);
      const dm = dialogMessage(facts, side, repeat, repeatOf);
      appendMessage(dialog, dm);
      if (repeat === undefined) {
        this.advanceState(dialog, facts);
        sdpRole ??= this.offerAnswer(call, dialog, facts, dm, side);
      } else if (repeat === 'copy' && repeatOf !== undefined && facts.sdp !== undefined) {
        this.attachCopy(call, repeatOf, facts);
      }
    }
    if (repeatOf !== undefined && facts.sdp !== undefined) sdpRole = call.exchanges.get(repeatOf)?.role;
    if (this.listener.message !== undefined) {
      this.listener.message({
        call: rec,
        event: e,
        dialogs,
        hasSdp: facts.hasSdpBody,
        ...(repeat !== undefined ? { repeat } : {}),
        ...(repeatOf !== undefined ? { repeatOf } : {}),
        ...(facts.sdp !== undefined ? { sdp: facts.sdp } : {}),
        ...(sdpRole !== undefined ? { sdpRole } : {}),
      });
    }
    if (!this.retain) this.noteActivity(call);
  }

  /**
   * End of input: closes forks that lost to another 2xx, reports negotiations still pending, and
   * hands every call still held to callDone() in the order of its first message.
   */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const call of this.order) this.closeCall(call);
    if (this.listener.callDone !== undefined) for (const call of this.order) this.listener.callDone(call, 'end-of-input');
    if (!this.retain) {
      this.callStates.clear();
      this.order.clear();
      this.ended.clear();
      this.oaByDialog.clear();
      this.setByDialog.clear();
    }
  }

  /** Calls in the order their first message was seen (when not retaining: those still open). */
  calls(): readonly SipCall[] {
    return [...this.order];
  }

  dialogs(): readonly SipDialog[] {
    return [...this.order].flatMap((c) => c.dialogs);
  }

  unplaced(): readonly UnplacedMessage[] {
    return this.unplacedMessages;
  }

  /** Messages that could not be placed, including those unplaced() no longer lists. */
  unplacedCount(): number {
    return this.unplacedTotal;
  }

  /** Calls held now. */
  openCallCount(): number {
    return this.callStates.size;
  }

  /** The most calls held at once. */
  peakOpenCalls(): number {
    return this.peak;
  }

  private unplace(e: SipEvent, reason: string): void {
    this.unplacedTotal++;
    if (this.retain || this.unplacedMessages.length < MAX_UNPLACED_KEPT) this.unplacedMessages.push({ frameNo: e.frameNo, reason });
    this.listener.unplaced?.(e, reason);
  }

  /** The call got a message: it becomes the most recently active, and is "ended" or not anew. */
  private noteActivity(call: CallState): void {
    this.callStates.delete(call.record.callId);
    this.callStates.set(call.record.callId, call);
    this.ended.delete(call);
    if (this.allDialogsEnded(call.record)) this.ended.add(call);
  }

  /** Lets go of ended calls quiet for QUIET_SECONDS; `ended` is in activity order, so this stops at the first recent one. */
  private letGoQuietCalls(ts: number): void {
    if (ts > this.latestTs) this.latestTs = ts;
    for (const call of this.ended) {
      if (this.latestTs - call.record.endTs < QUIET_SECONDS) break;
      this.letGo(call, 'quiet');
    }
  }

  private letGo(call: CallState, reason: CallDoneReason): void {
    const rec = call.record;
    this.closeCall(rec);
    this.callStates.delete(rec.callId);
    this.order.delete(rec);
    this.ended.delete(call);
    for (const d of rec.dialogs) {
      this.oaByDialog.delete(d);
      this.setByDialog.delete(d);
    }
    this.listener.callDone?.(rec, reason);
  }

  /** RFC 3261 §15, §13.2.2.3, §13.2.2.4: every dialog terminated, failed, cancelled, or a losing fork. */
  private allDialogsEnded(rec: CallRecord): boolean {
    for (const d of rec.dialogs) {
      if (d.state === 'terminated' || d.state === 'failed' || d.state === 'cancelled') continue;
      if ((d.state === 'early' || d.state === 'trying') && this.setByDialog.get(d)?.finalStatus !== undefined) continue;
      return false;
    }
    return true;
  }

  /** Closes forks that lost to another 2xx and reports negotiations still pending. */
  private closeCall(call: CallRecord): void {
    for (const d of call.dialogs) {
      const set = this.setByDialog.get(d);
      // RFC 3261 §13.2.2.4: early dialogs of other branches end once one 2xx confirmed a dialog.
      if (d.state === 'early' && set?.finalStatus !== undefined && set.finalStatus < 300) d.state = 'terminated';
      const oa = this.oaByDialog.get(d);
      oa?.finish();
      for (const n of d.negotiations) if (n.status === 'pending') this.listener.negotiation?.(d, n);
    }
  }

  private callState(callId: string, e: SipEvent, cseqMethod: string): CallState {
    let state = this.callStates.get(callId);
    if (state === undefined) {
      if (!this.retain && this.callStates.size >= this.maxOpenCalls) {
        const leastRecent = this.callStates.values().next().value;
        if (leastRecent !== undefined) this.letGo(leastRecent, 'capacity');
      }
      const msg = e.message;
      const record: CallRecord = {
        callId,
        firstMethod: msg.method ?? cseqMethod,
        from: msg.header('From') ?? '',
        to: msg.header('To') ?? '',
        firstFrameNo: e.frameNo,
        lastFrameNo: e.frameNo,
        startTs: e.ts,
        endTs: e.ts,
        messageCount: 0,
        retransmissions: 0,
        copies: 0,
        transactions: [],
        dialogs: [],
      };
      state = { record, transactions: new Map(), seenInTransaction: new Map(), seen: new Map(), sets: new Map(), byTags: new Map(), exchanges: new Map() };
      this.callStates.set(callId, state);
      this.order.add(record);
      if (this.callStates.size > this.peak) this.peak = this.callStates.size;
    }
    return state;
  }

  private facts(e: SipEvent, msg: SipMessage, cseq: CSeq): Facts {
    const isReq = msg.isRequest;
    const rseq = isReq ? undefined : msg.rseq;
    const rack = isReq ? msg.rack : undefined;
    let hasSdpBody = e.sdp !== undefined;
    let sdp = e.sdp;
    if (sdp === undefined) {
      const sdpPart = bodyParts(msg).find((p) => p.mediaType === 'application/sdp');
      hasSdpBody = sdpPart !== undefined;
      sdp = sdpPart === undefined ? undefined : parseSdp(utf8.decode(sdpPart.bytes));
    }
    return {
      e,
      msg,
      cseq,
      method: isReq ? (msg.method ?? '') : cseq.method,
      hasSdpBody,
      ...(msg.statusCode !== undefined ? { status: msg.statusCode } : {}),
      ...(msg.fromTag !== undefined ? { fromTag: msg.fromTag } : {}),
      ...(msg.toTag !== undefined ? { toTag: msg.toTag } : {}),
      ...(rseq !== undefined && !isDecodeError(rseq) ? { rseq } : {}),
      ...(rack !== undefined && !isDecodeError(rack) ? { rack } : {}),
      ...(sdp !== undefined && !isDecodeError(sdp) ? { sdp } : {}),
      ...(sdp !== undefined && isDecodeError(sdp) ? { sdpError: sdp.reason } : {}),
    };
  }

  /** Transaction bookkeeping and repeat detection (RFC 3261 §17.1.3 / §17.2.3 matching). */
  private classify(call: CallState, f: Facts): { repeat?: RepeatKind; repeatOf?: number } {
    const isReq = f.msg.isRequest;
    const topVia = f.msg.topVia;
    const branch = topVia === undefined || isDecodeError(topVia) ? undefined : topVia.branch;
    const branchKey = branch ?? `no-branch:${f.fromTag ?? ''}`;
    // RFC 3261 §17.1.1.3: the ACK of a non-2xx final response belongs to the INVITE transaction.
    const inviteKey = `${branchKey}|${f.cseq.seq}|INVITE`;
    const txMethod = f.method === 'ACK' && call.transactions.has(inviteKey) ? 'INVITE' : f.method;
    const txKey = `${branchKey}|${f.cseq.seq}|${txMethod}`;
    const msgKey = isReq ? `Q|${f.method}` : `R|${f.status ?? 0}|${f.toTag ?? ''}|${f.rseq ?? ''}`;
    const e2eKey = isReq
      ? `Q|${f.method}|${f.cseq.seq}|${f.cseq.method}|${f.fromTag ?? ''}|${f.toTag ?? ''}`
      : `R|${f.status ?? 0}|${f.cseq.seq}|${f.cseq.method}|${f.fromTag ?? ''}|${f.toTag ?? ''}|${f.rseq ?? ''}`;

    let seenHere = call.seenInTransaction.get(txKey);
    if (seenHere === undefined) {
      seenHere = new Map();
      call.seenInTransaction.set(txKey, seenHere);
    }
    let tx = call.transactions.get(txKey);
    const firstInTx = seenHere.get(msgKey);
    const firstE2e = call.seen.get(e2eKey);
    const repeat: RepeatKind | undefined = firstInTx !== undefined ? 'retransmission' : firstE2e !== undefined ? 'copy' : undefined;
    const repeatOf = firstInTx ?? firstE2e;
    if (firstInTx === undefined) seenHere.set(msgKey, f.e.frameNo);
    if (firstE2e === undefined) call.seen.set(e2eKey, f.e.frameNo);

    if (tx === undefined) {
      tx = { key: txKey, method: txMethod, cseq: f.cseq.seq, responses: [], retransmissions: 0 };
      if (branch !== undefined) tx.branch = branch;
      if (isReq && repeat === 'copy' && repeatOf !== undefined) tx.copyOf = repeatOf;
      call.transactions.set(txKey, tx);
      call.record.transactions.push(tx);
    }
    if (repeat === 'retransmission') {
      tx.retransmissions++;
    } else if (isReq) {
      if (tx.requestFrameNo === undefined && f.method === txMethod) tx.requestFrameNo = f.e.frameNo;
    } else {
      const statusCode = f.status ?? 0;
      tx.responses.push({ frameNo: f.e.frameNo, statusCode, ts: f.e.ts });
      if (statusCode >= 200 && tx.finalStatus === undefined) tx.finalStatus = statusCode;
    }
    return repeat === undefined ? {} : { repeat, ...(repeatOf !== undefined ? { repeatOf } : {}) };
  }

  /** The dialogs a message belongs to (none for out-of-dialog requests like REGISTER or OPTIONS). */
  private route(call: CallState, f: Facts, original: boolean): DialogRecord[] {
    const fromTag = f.fromTag ?? '';
    if (f.msg.isRequest) {
      // RFC 3261 §10: a registration never belongs to a dialog, whatever tags its To carries.
      if (f.method === 'REGISTER') return [];
      if (f.method === 'CANCEL') {
        // RFC 3261 §9.1: a CANCEL names the INVITE it cancels by From tag and CSeq number (a To tag some UAs add does not change that).
        const set = call.sets.get(`${fromTag}|${f.cseq.seq}|INVITE`);
        if (set === undefined) return [];
        if (original) set.cancelled = true;
        return set.dialogs.filter((d) => d.state === 'trying' || d.state === 'early');
      }
      if (f.toTag !== undefined) {
        const d = this.byTags(call, fromTag, f.toTag);
        if (d !== undefined) return [d];
        if (f.method === 'NOTIFY') {
          // RFC 6665 §4.1.2.4: a NOTIFY may arrive before the 2xx to the SUBSCRIBE and fix the dialog.
          for (const set of call.sets.values()) {
            const pendingDialog = set.dialogs.find((x) => x.calleeTag === undefined && x.callerTag === f.toTag && x.method !== 'INVITE');
            if (pendingDialog !== undefined) return [this.assignCalleeTag(call, pendingDialog, fromTag)];
          }
        }
        return original ? [this.partialDialog(call, f)] : [];
      }
      if (DIALOG_CREATING.has(f.method)) {
        const key = `${fromTag}|${f.cseq.seq}|${f.method}`;
        const set = call.sets.get(key) ?? this.createSet(call, key, f);
        return set.dialogs;
      }
      if (f.method === 'ACK') {
        const set = call.sets.get(`${fromTag}|${f.cseq.seq}|INVITE`);
        return set === undefined ? [] : set.dialogs;
      }
      return [];
    }
    const lookupMethod = f.cseq.method === 'CANCEL' ? 'INVITE' : f.cseq.method;
    const set = call.sets.get(`${fromTag}|${f.cseq.seq}|${lookupMethod}`);
    if (set !== undefined) return this.routeToSet(call, set, f);
    if (f.toTag !== undefined) {
      const d = this.byTags(call, fromTag, f.toTag);
      if (d !== undefined) return [d];
    }
    return [];
  }

  /** A response to a dialog-creating request (or to its CANCEL). */
  private routeToSet(call: CallState, set: DialogSet, f: Facts): DialogRecord[] {
    const first = set.dialogs[0]!;
    if (f.cseq.method === 'CANCEL') return [first];
    const status = f.status ?? 0;
    const open = (): DialogRecord[] => set.dialogs.filter((d) => d.state === 'trying' || d.state === 'early');
    if (f.toTag === undefined) return status >= 300 ? open() : [first];
    let d = set.dialogs.find((x) => x.calleeTag === f.toTag);
    if (d === undefined) {
      const untagged = set.dialogs.find((x) => x.calleeTag === undefined);
      d = untagged !== undefined ? this.assignCalleeTag(call, untagged, f.toTag) : this.fork(call, set, f.toTag);
    }
    if (status < 300) return [d];
    // RFC 3261 §13.2.2.3: a final non-2xx response ends every early dialog of the request.
    const ended = open();
    return ended.includes(d) ? ended : [d, ...ended];
  }

  private byTags(call: CallState, a: string, b: string): DialogRecord | undefined {
    return call.byTags.get(`${a}|${b}`) ?? call.byTags.get(`${b}|${a}`);
  }

  private assignCalleeTag(call: CallState, d: DialogRecord, tag: string): DialogRecord {
    d.calleeTag = tag;
    call.byTags.set(`${d.callerTag ?? ''}|${tag}`, d);
    return d;
  }

  private createSet(call: CallState, key: string, f: Facts): DialogSet {
    const d = this.newDialog(call, f, f.fromTag, undefined, 'trying', false);
    const side: DialogSide = 'caller';
    const message = dialogMessage(f, side, undefined, undefined);
    const oa = oaMessage(f, side, this.exchangeOf(f, side));
    const set: DialogSet = { dialogs: [d], creating: { message, oa }, cancelled: false };
    call.sets.set(key, set);
    this.setByDialog.set(d, set);
    return set;
  }

  /** A response with a new To tag: another early dialog for the same request (RFC 3261 §12.1, §13.2.2.4). */
  private fork(call: CallState, set: DialogSet, toTag: string): DialogRecord {
    const first = set.dialogs[0]!;
    const d = this.newDialog(call, set.creating.message, first.callerTag, toTag, first.state === 'trying' ? 'trying' : 'early', false, first);
    for (const x of set.dialogs) x.forked = true;
    d.forked = true;
    set.dialogs.push(d);
    this.setByDialog.set(d, set);
    call.byTags.set(`${d.callerTag ?? ''}|${toTag}`, d);
    // The fork starts from the creating request: replay it.
    appendMessage(d, set.creating.message);
    this.oaOf(d).handle(set.creating.oa);
    return d;
  }

  /** An in-dialog request whose dialog was not seen being created (the capture starts mid-call). */
  private partialDialog(call: CallState, f: Facts): DialogRecord {
    const d = this.newDialog(call, f, f.fromTag, f.toTag, 'confirmed', true);
    call.byTags.set(`${f.fromTag ?? ''}|${f.toTag ?? ''}`, d);
    d.anomalies.push({ code: 'partial-dialog', frameNo: f.e.frameNo, detail: `${f.method} for a dialog whose creating request was not captured` });
    return d;
  }

  private newDialog(
    call: CallState,
    src: Facts | DialogMessage,
    callerTag: string | undefined,
    calleeTag: string | undefined,
    state: DialogState,
    partial: boolean,
    template?: DialogRecord,
  ): DialogRecord {
    const isFacts = 'msg' in src;
    const frameNo = isFacts ? src.e.frameNo : src.frameNo;
    const ts = isFacts ? src.e.ts : src.ts;
    const d: DialogRecord = {
      callId: call.record.callId,
      method: template?.method ?? (isFacts ? src.method : src.method),
      cseq: template?.cseq ?? (isFacts ? src.cseq.seq : src.cseq),
      state,
      from: template?.from ?? (isFacts ? (src.msg.header('From') ?? '') : ''),
      to: template?.to ?? (isFacts ? (src.msg.header('To') ?? '') : ''),
      callerAddress: template?.callerAddress ?? (isFacts ? hostPort(src.e.src, src.e.srcPort) : hostPort(src.src, src.srcPort)),
      calleeAddress: template?.calleeAddress ?? (isFacts ? hostPort(src.e.dst, src.e.dstPort) : hostPort(src.dst, src.dstPort)),
      forked: false,
      partial,
      startTs: ts,
      endTs: ts,
      firstFrameNo: frameNo,
      lastFrameNo: frameNo,
      messages: [],
      negotiations: [],
      earlySdp: [],
      anomalies: [],
    };
    if (callerTag !== undefined) d.callerTag = callerTag;
    if (calleeTag !== undefined) d.calleeTag = calleeTag;
    call.record.dialogs.push(d);
    return d;
  }

  private oaOf(d: DialogRecord): OfferAnswer {
    let oa = this.oaByDialog.get(d);
    if (oa === undefined) {
      oa = new OfferAnswer(d.method === 'INVITE' && !d.partial ? d.cseq : -1, d.negotiations, d.earlySdp, d.anomalies, (n) => this.listener.negotiation?.(d, n));
      this.oaByDialog.set(d, oa);
    }
    return oa;
  }

  /** RFC 3261 §12, §13, §15; RFC 6665 §4.1.3 for subscriptions. */
  private advanceState(d: DialogRecord, f: Facts): void {
    if (f.msg.isRequest) {
      if (f.method === 'BYE') d.state = 'terminated';
      if (f.method === 'NOTIFY') {
        const ss = f.msg.subscriptionState;
        if (ss !== undefined && !isDecodeError(ss) && ss.state === 'terminated') d.state = 'terminated';
      }
      return;
    }
    const status = f.status ?? 0;
    const set = this.setByDialog.get(d);
    const toCreating = set !== undefined && f.cseq.seq === d.cseq && f.cseq.method === d.method && (f.fromTag ?? '') === (d.callerTag ?? '');
    if (toCreating) {
      if (status > 100 && status < 200 && d.state === 'trying' && f.toTag !== undefined) d.state = 'early';
      else if (status >= 200 && status < 300) {
        if (d.state !== 'terminated') d.state = 'confirmed';
        d.finalStatus ??= status;
        set.finalStatus ??= status;
      } else if (status >= 300 && d.state !== 'confirmed' && d.state !== 'terminated') {
        d.state = set.cancelled && status === 487 ? 'cancelled' : 'failed';
        d.finalStatus ??= status;
        set.finalStatus ??= status;
      }
      return;
    }
    // RFC 3261 §12.2.1.2: 481 (or 408) to an in-dialog request ends the dialog.
    if ((status === 481 || status === 408) && f.cseq.method !== 'CANCEL') d.state = 'terminated';
  }

  private offerAnswer(call: CallState, d: DialogRecord, f: Facts, dm: DialogMessage, side: DialogSide): SdpRole | undefined {
    if (f.hasSdpBody && f.sdp === undefined) {
      d.anomalies.push({ code: 'sdp-unparseable', frameNo: f.e.frameNo, detail: f.sdpError ?? 'SDP body could not be parsed' });
    }
    const set = this.setByDialog.get(d);
    // The creating request of a set is shared by its forks: reuse its exchange.
    const oa = set !== undefined && set.creating.message.frameNo === dm.frameNo && dm.kind === 'request' && dm.method === d.method ? set.creating.oa : oaMessage(f, side, this.exchangeOf(f, side));
    const role = this.oaOf(d).handle(oa);
    if (oa.exchange !== undefined) {
      if (!call.exchanges.has(f.e.frameNo)) call.exchanges.set(f.e.frameNo, { exchange: oa.exchange, role, dialog: d });
      if (role !== undefined) this.listener.sdp?.({ call: call.record, dialog: d, exchange: oa.exchange, role });
    }
    return role;
  }

  private exchangeOf(f: Facts, side: DialogSide): SdpExchange | undefined {
    if (f.sdp === undefined) return undefined;
    return {
      frameNo: f.e.frameNo,
      ts: f.e.ts,
      side,
      src: f.e.src,
      dst: f.e.dst,
      srcPort: f.e.srcPort,
      dstPort: f.e.dstPort,
      carrier: f.msg.isRequest ? f.method : String(f.status ?? ''),
      cseq: f.cseq.seq,
      method: f.cseq.method,
      reliable: isReliableProvisional(f),
      sdp: f.sdp,
      copies: [],
    };
  }

  private attachCopy(call: CallState, repeatOf: number, f: Facts): void {
    const first = call.exchanges.get(repeatOf);
    if (first === undefined || f.sdp === undefined) return;
    const copy = { frameNo: f.e.frameNo, src: f.e.src, dst: f.e.dst, sdp: f.sdp };
    (first.exchange.copies as (typeof copy)[]).push(copy);
    if (first.role !== undefined) this.listener.sdp?.({ call: call.record, dialog: first.dialog, exchange: first.exchange, role: first.role, copy });
  }
}

/**
 * The codec a dialog settled on: the first payload format of the first active audio media line
 * (port ≠ 0; any media type when there is no audio) of the answer of the last completed
 * negotiation, skipping telephone-event and comfort noise. When no negotiation completed, the
 * last one holding an answer (an early SDP promoted at end of input) is used.
 */
export function negotiatedCodec(dialog: SipDialog): NegotiatedCodec | undefined {
  const withAnswer = dialog.negotiations.filter((n) => n.answer !== undefined);
  const negotiation = withAnswer.filter((n) => n.status === 'complete').at(-1) ?? withAnswer.at(-1);
  const answer = negotiation?.answer;
  if (negotiation === undefined || answer === undefined) return undefined;
  const active = answer.sdp.media.filter((m) => m.port !== 0 && m.payloads.length > 0);
  const media = active.find((m) => m.type === 'audio') ?? active[0];
  if (media === undefined) return undefined;
  const format = media.payloads.find((p) => !NOT_CODECS.has(p.encodingKey ?? '')) ?? media.payloads[0];
  if (format === undefined) return undefined;
  return { format, media, negotiation };
}

export interface NegotiatedCodec {
  readonly format: SdpPayloadFormat;
  readonly media: SdpMedia;
  readonly negotiation: Negotiation;
}

const NOT_CODECS = new Set(['telephone-event', 'cn']);

function isReliableProvisional(f: Facts): boolean {
  // RFC 3262 §3: a reliable provisional response carries RSeq (and Require: 100rel).
  return !f.msg.isRequest && (f.status ?? 0) > 100 && (f.status ?? 0) < 200 && f.rseq !== undefined;
}

function sideOf(d: DialogRecord, f: Facts): DialogSide {
  const fromCaller = (f.fromTag ?? '') === (d.callerTag ?? '');
  return f.msg.isRequest === fromCaller ? 'caller' : 'callee';
}

function dialogMessage(f: Facts, side: DialogSide, repeat: RepeatKind | undefined, repeatOf: number | undefined): DialogMessage {
  return {
    frameNo: f.e.frameNo,
    ts: f.e.ts,
    src: f.e.src,
    dst: f.e.dst,
    srcPort: f.e.srcPort,
    dstPort: f.e.dstPort,
    transport: f.e.transport,
    side,
    kind: f.msg.isRequest ? 'request' : 'response',
    method: f.method,
    cseq: f.cseq.seq,
    reliable: isReliableProvisional(f),
    hasSdp: f.hasSdpBody,
    ...(f.status !== undefined ? { statusCode: f.status } : {}),
    ...(repeat !== undefined ? { repeat } : {}),
    ...(repeatOf !== undefined ? { repeatOf } : {}),
  };
}

function oaMessage(f: Facts, side: DialogSide, exchange: SdpExchange | undefined): OaMessage {
  return {
    frameNo: f.e.frameNo,
    side,
    kind: f.msg.isRequest ? 'request' : 'response',
    method: f.method,
    cseq: f.cseq.seq,
    reliable: isReliableProvisional(f),
    ...(f.status !== undefined ? { statusCode: f.status } : {}),
    ...(f.rseq !== undefined ? { rseq: f.rseq } : {}),
    ...(f.rack !== undefined ? { rack: f.rack } : {}),
    ...(exchange !== undefined ? { exchange } : {}),
  };
}

function appendMessage(d: DialogRecord, m: DialogMessage): void {
  if (d.messages.includes(m)) return;
  d.messages.push(m);
  if (m.frameNo < d.firstFrameNo) d.firstFrameNo = m.frameNo;
  if (m.frameNo > d.lastFrameNo) d.lastFrameNo = m.frameNo;
  if (m.ts < d.startTs) d.startTs = m.ts;
  if (m.ts > d.endTs) d.endTs = m.ts;
}
