// The messages of each call in capture order, for ladder diagrams: one small record per SIP
// message (who sent it to whom, when, in which frame, what it says and what its SDP did),
// collected from the dialog tracker's hooks and handed on per call when the tracker is done
// with the call. Only the calls asked for are kept.
import { isDecodeError } from '../../decode-error.js';
import { hostPort } from '../../net/events.js';
import { summarizeMedia, uriOf, type MediaSummary } from '../call-summary.js';
import type { CallDoneReason, DialogListener, PlacedMessage, SdpRole } from '../dialogs.js';
import type { DialogState, RepeatKind, SipCall, SipEvent } from './types.js';

export interface FlowEndpoint {
  readonly ip: string;
  readonly port: number;
}

export interface FlowSdp {
  /** offer, answer, early (SDP of an unreliable 18x), repeat, unexpected; absent outside dialogs. */
  readonly role?: SdpRole;
  readonly media: readonly MediaSummary[];
  /** Why the body is not valid SDP. */
  readonly error?: string;
}

export interface FlowMessage {
  readonly frameNo: number;
  /** For stream transports: the frame holding the message's first byte, when it differs. */
  readonly firstFrameNo?: number;
  readonly ts: number;
  readonly src: FlowEndpoint;
  readonly dst: FlowEndpoint;
  readonly transport: string;
  readonly kind: 'request' | 'response';
  /** Request method; for a response, the method of its CSeq (empty when there is none). */
  readonly method: string;
  readonly statusCode?: number;
  readonly reason?: string;
  readonly callId?: string;
  /** CSeq as "1 INVITE". */
  readonly cseq?: string;
  readonly repeat?: RepeatKind;
  readonly repeatOf?: number;
  readonly sdp?: FlowSdp;
  /** Why the message belongs to no call ("no Call-ID", "no CSeq"...). */
  readonly unplaced?: string;
}

export interface FlowDialog {
  readonly method: string;
  readonly state: DialogState;
  readonly finalStatus?: number;
  readonly caller: string;
  readonly callee: string;
}

export interface FlowCall {
  readonly callId: string;
  readonly firstMethod: string;
  readonly from: string;
  readonly to: string;
  readonly dialogs: readonly FlowDialog[];
  readonly doneReason: CallDoneReason;
  /** In frame order. */
  readonly messages: readonly FlowMessage[];
}

/** Messages outside every call (no Call-ID, no valid CSeq), kept up to this many. */
const MAX_UNPLACED_FLOW = 1000;

/**
 * Collects the messages of the calls `wanted` accepts and hands each call to `done` once the
 * tracker let it go (or at end of input). Plug `listener()` into the DialogTracker.
 */
export class MessageFlowCollector {
  private readonly open = new Map<SipCall, FlowMessage[]>();
  private readonly unplacedMessages: FlowMessage[] = [];
  private unplacedTotal = 0;
  private messageTotal = 0;

  constructor(
    private readonly wanted: (callId: string) => boolean,
    private readonly done: (call: FlowCall) => void,
  ) {}

  listener(): DialogListener {
    return {
      message: (p) => this.onMessage(p),
      unplaced: (e, reason) => this.onUnplaced(e, reason),
      callDone: (call, reason) => this.onCallDone(call, reason),
    };
  }

  /** Messages outside every call that the filter accepts (the first MAX_UNPLACED_FLOW). */
  unplaced(): readonly FlowMessage[] {
    return this.unplacedMessages;
  }

  /** Every message kept, in calls or not. */
  counts(): { readonly messages: number; readonly unplaced: number } {
    return { messages: this.messageTotal, unplaced: this.unplacedTotal };
  }

  private onMessage(p: PlacedMessage): void {
    if (!this.wanted(p.call.callId)) return;
    let list = this.open.get(p.call);
    if (list === undefined) {
      list = [];
      this.open.set(p.call, list);
    }
    list.push(flowMessage(p.event, p));
    this.messageTotal++;
  }

  private onUnplaced(e: SipEvent, reason: string): void {
    if (!this.wanted(e.message.callId ?? '')) return;
    this.unplacedTotal++;
    this.messageTotal++;
    if (this.unplacedMessages.length < MAX_UNPLACED_FLOW) this.unplacedMessages.push({ ...flowMessage(e, undefined), unplaced: reason });
  }

  private onCallDone(call: SipCall, reason: CallDoneReason): void {
    const messages = this.open.get(call);
    if (messages === undefined) return;
    this.open.delete(call);
    messages.sort((a, b) => a.frameNo - b.frameNo);
    this.done({
      callId: call.callId,
      firstMethod: call.firstMethod,
      from: uriOf(call.from),
      to: uriOf(call.to),
      dialogs: call.dialogs.map((d) => ({ method: d.method, state: d.state, ...(d.finalStatus !== undefined ? { finalStatus: d.finalStatus } : {}), caller: d.callerAddress, callee: d.calleeAddress })),
      doneReason: reason,
      messages,
    });
  }
}

function flowMessage(e: SipEvent, p: PlacedMessage | undefined): FlowMessage {
  const msg = e.message;
  const cseq = msg.cseq;
  const validCseq = cseq !== undefined && !isDecodeError(cseq) ? cseq : undefined;
  const isRequest = msg.isRequest;
  const callId = msg.callId;
  return {
    frameNo: e.frameNo,
    ...(e.firstFrameNo !== undefined && e.firstFrameNo !== e.frameNo ? { firstFrameNo: e.firstFrameNo } : {}),
    ts: e.ts,
    src: { ip: e.src, port: e.srcPort },
    dst: { ip: e.dst, port: e.dstPort },
    transport: e.transport,
    kind: isRequest ? 'request' : 'response',
    method: (isRequest ? msg.method : validCseq?.method) ?? '',
    ...(msg.statusCode !== undefined ? { statusCode: msg.statusCode } : {}),
    ...(msg.reasonPhrase !== undefined ? { reason: msg.reasonPhrase } : {}),
    ...(callId !== undefined ? { callId } : {}),
    ...(validCseq !== undefined ? { cseq: `${validCseq.seq} ${validCseq.method}` } : {}),
    ...(p?.repeat !== undefined ? { repeat: p.repeat } : {}),
    ...(p?.repeatOf !== undefined ? { repeatOf: p.repeatOf } : {}),
    ...flowSdp(e, p),
  };
}

function flowSdp(e: SipEvent, p: PlacedMessage | undefined): { sdp?: FlowSdp } {
  const role = p?.sdpRole;
  if (p?.sdp !== undefined) return { sdp: { ...(role !== undefined ? { role } : {}), media: summarizeMedia(p.sdp) } };
  const parsed = e.sdp;
  if (parsed === undefined) return p?.hasSdp === true ? { sdp: { media: [], error: 'SDP body could not be parsed' } } : {};
  if (isDecodeError(parsed)) return { sdp: { media: [], error: parsed.reason } };
  return { sdp: { ...(role !== undefined ? { role } : {}), media: summarizeMedia(parsed) } };
}

/** "10.0.0.1:5060" or "[2001:db8::1]:5060". */
export function endpointText(e: FlowEndpoint): string {
  return hostPort(e.ip, e.port);
}
