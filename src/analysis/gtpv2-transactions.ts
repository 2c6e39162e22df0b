// Gtpv2TransactionTracker: pairs GTPv2-C requests with their responses (TS 29.274 §7.6: a
// response, or a message triggered by a Command, copies the request's sequence number and goes
// back to the requester), and reports unanswered requests, rejections (Cause ≥ 64, §8.4 Table
// 8.4-1) and responses that match no request, each with frame numbers and latency.
import { hostPort, type PayloadEvent } from '../net/events.js';
import { PendingRequests, type PendingRequest } from './pending-requests.js';
import { findIe, isRejection, messageCause } from '../protocols/gtpv2/query.js';
import { IE_IMSI } from '../protocols/gtpv2/ie-value.js';
import type { Gtpv2Message } from '../protocols/gtpv2/types.js';

/** Where and when a message was seen (a PayloadEvent carries all of it). */
export type Gtpv2Sighting = Pick<PayloadEvent, 'frameNo' | 'ts' | 'src' | 'dst' | 'srcPort' | 'dstPort'>;

// TS 29.274 Table 6.1-1: request (or command) → the messages that answer it. A command is
// answered by its failure indication or by the request it triggers (§7.2.x, same sequence number).
const ANSWERS: ReadonlyMap<number, readonly number[]> = new Map<number, readonly number[]>([
  [1, [2]], // Echo
  [25, [26]], [27, [28]], [29, [30]], [31, [240]], [241, [242]], // SRVCC
  [32, [33]], [34, [35]], [36, [37]], [38, [39]], [40, [41]],
  [64, [65, 97]], // Modify Bearer Command → failure indication or Update Bearer Request
  [66, [67, 99]], // Delete Bearer Command → failure indication or Delete Bearer Request
  [68, [69, 95, 97, 99]], // Bearer Resource Command → failure indication or a bearer request
  [95, [96]], [97, [98]], [99, [100]], [101, [102]], [103, [104]],
  [128, [129]], [130, [131]], [133, [134]], [135, [136]], [137, [138]], [139, [140]],
  [149, [150]], [153, [154]], [155, [156]], [158, [159]], [160, [161]], [162, [163]], [164, [165]],
  [166, [167]], [168, [169]], [170, [171]], [176, [177]], [179, [180]], [200, [201]], [211, [212]],
  [231, [232]], [233, [234]], [235, [236]],
]);

const ANSWER_TYPES: ReadonlySet<number> = new Set([...ANSWERS.values()].flat());

export interface Gtpv2Transaction {
  readonly requestType: number;
  readonly requestName?: string;
  readonly sequence: number;
  /** TEID of the request header (0 when the peer's TEID is not known yet). */
  readonly teid?: number;
  readonly imsi?: string;
  readonly client: string;
  readonly server: string;
  readonly requestFrame: number;
  readonly requestTs: number;
  /** Later copies of the request (same sequence number, same path: TS 29.274 §7.6 retransmissions). */
  readonly retransmissionFrames: readonly number[];
  readonly responseType?: number;
  readonly responseName?: string;
  readonly responseFrame?: number;
  readonly responseTs?: number;
  readonly latencyMs?: number;
  readonly cause?: number;
  readonly causeName?: string;
}

export interface Gtpv2OrphanResponse {
  readonly frameNo: number;
  readonly ts: number;
  readonly messageType: number;
  readonly messageName?: string;
  readonly sequence: number;
  readonly from: string;
  readonly to: string;
}

export interface Gtpv2TransactionReport {
  readonly transactions: readonly Gtpv2Transaction[];
  readonly unanswered: readonly Gtpv2Transaction[];
  /** Answered with a message-level Cause ≥ 64. */
  readonly rejected: readonly Gtpv2Transaction[];
  readonly orphanResponses: readonly Gtpv2OrphanResponse[];
}

export interface Gtpv2TransactionOptions {
  /** Requests waiting for a response before the oldest is given up as unanswered. Default 100 000. */
  readonly maxPending?: number;
}

type Entry = { -readonly [K in keyof Gtpv2Transaction]: Gtpv2Transaction[K] } & { retransmissionFrames: number[] };

export class Gtpv2TransactionTracker {
  private readonly all: Entry[] = [];
  /** Pending requests by sequence number. */
  private readonly pending: PendingRequests<number, Entry>;
  private readonly orphans: Gtpv2OrphanResponse[] = [];

  constructor(options: Gtpv2TransactionOptions = {}) {
    this.pending = new PendingRequests(options.maxPending ?? 100_000);
  }

  add(message: Gtpv2Message, at: Gtpv2Sighting): void {
    // A triggered request (e.g. Update Bearer Request after a Modify Bearer Command) both
    // answers the command and opens its own transaction.
    const answered = ANSWER_TYPES.has(message.messageType) && this.answer(message, at);
    if (ANSWERS.has(message.messageType)) this.request(message, at);
    else if (!answered && ANSWER_TYPES.has(message.messageType)) {
      this.orphans.push({
        frameNo: at.frameNo,
        ts: at.ts,
        messageType: message.messageType,
        ...(message.messageName === undefined ? {} : { messageName: message.messageName }),
        sequence: message.sequence,
        from: hostPort(at.src, at.srcPort),
        to: hostPort(at.dst, at.dstPort),
      });
    }
  }

  finish(): Gtpv2TransactionReport {
    return {
      transactions: this.all,
      unanswered: this.all.filter((t) => t.responseFrame === undefined),
      rejected: this.all.filter((t) => t.cause !== undefined && isRejection(t.cause)),
      orphanResponses: this.orphans,
    };
  }

  private request(message: Gtpv2Message, at: Gtpv2Sighting): void {
    const same = this.pending.resent(message.sequence, at, (t) => t.requestType === message.messageType);
    if (same !== undefined) {
      same.retransmissionFrames.push(at.frameNo);
      return;
    }
    const imsi = findIe(message, IE_IMSI, { instance: 0 });
    const t: Entry = {
      requestType: message.messageType,
      ...(message.messageName === undefined ? {} : { requestName: message.messageName }),
      sequence: message.sequence,
      ...(message.teid === undefined ? {} : { teid: message.teid }),
      ...(imsi?.value.kind === 'digits' ? { imsi: imsi.value.digits } : {}),
      client: hostPort(at.src, at.srcPort),
      server: hostPort(at.dst, at.dstPort),
      requestFrame: at.frameNo,
      requestTs: at.ts,
      retransmissionFrames: [],
    };
    this.all.push(t);
    this.pending.add(message.sequence, t, at);
  }

  /** Completes the transaction this message answers; false when there is none. */
  private answer(message: Gtpv2Message, at: Gtpv2Sighting): boolean {
    const fits = (p: PendingRequest<Entry>): boolean => ANSWERS.get(p.t.requestType)?.includes(message.messageType) === true;
    // §4.2.2: the response goes to the requester's address and port, from the address the
    // request was sent to; a peer may answer from another of its addresses, so ports decide next.
    const t = this.pending.take(message.sequence, [
      (q) => fits(q) && q.dstIp === at.src && q.srcIp === at.dst && q.srcPort === at.dstPort,
      (q) => fits(q) && q.srcIp === at.dst && q.srcPort === at.dstPort,
      (q) => fits(q) && q.dstIp === at.src && q.srcIp === at.dst,
    ]);
    if (t === undefined) return false;
    t.responseType = message.messageType;
    if (message.messageName !== undefined) t.responseName = message.messageName;
    t.responseFrame = at.frameNo;
    t.responseTs = at.ts;
    t.latencyMs = (at.ts - t.requestTs) * 1000;
    const cause = messageCause(message);
    if (cause !== undefined) {
      t.cause = cause.cause;
      if (cause.name !== undefined) t.causeName = cause.name;
    }
    return true;
  }
}
