// DiameterTransactionTracker: pairs each Diameter request with its answer (RFC 6733 §3: the
// answer carries the request's Hop-by-Hop and End-to-End Identifiers and comes back from the
// peer the request went to), and reports unanswered requests, error answers (Result-Code or
// Experimental-Result-Code ≥ 3000, or the E bit) and answers that match no request, each with
// frame numbers and latency.
import { hostPort, type PayloadEvent } from '../net/events.js';
import { resultCode, sessionId, type DiameterResult } from '../protocols/diameter/query.js';
import type { DiameterMessage } from '../protocols/diameter/types.js';

/** Where and when a message was seen (a PayloadEvent carries all of it). */
export type DiameterSighting = Pick<PayloadEvent, 'frameNo' | 'ts' | 'src' | 'dst' | 'srcPort' | 'dstPort'>;

export interface DiameterTransaction {
  readonly commandCode: number;
  readonly applicationId: number;
  /** "AIR", "MAR"…; undefined for commands the dictionary does not know. */
  readonly requestName?: string;
  readonly interfaceName?: string;
  readonly hopByHop: number;
  readonly endToEnd: number;
  readonly sessionId?: string;
  /** "ip:port" of the requester and of the peer the request went to. */
  readonly client: string;
  readonly server: string;
  readonly requestFrame: number;
  readonly requestTs: number;
  /** Later copies of the request with the same identifiers (RFC 6733 §3: T bit retransmissions). */
  readonly retransmissionFrames: readonly number[];
  readonly answerFrame?: number;
  readonly answerTs?: number;
  readonly answerName?: string;
  readonly latencyMs?: number;
  readonly result?: DiameterResult;
  /** E bit of the answer (RFC 6733 §7.2: a protocol error). */
  readonly protocolError?: boolean;
}

/** An answer whose request was not seen (or was already answered). */
export interface DiameterOrphanAnswer {
  readonly frameNo: number;
  readonly ts: number;
  readonly commandCode: number;
  readonly answerName?: string;
  readonly hopByHop: number;
  readonly endToEnd: number;
  readonly from: string;
  readonly to: string;
  readonly result?: DiameterResult;
}

export interface DiameterTransactionReport {
  /** Every request seen, in capture order, answered or not. */
  readonly transactions: readonly DiameterTransaction[];
  readonly unanswered: readonly DiameterTransaction[];
  /** Answered with Result-Code / Experimental-Result-Code ≥ 3000 or with the E bit. */
  readonly errorAnswers: readonly DiameterTransaction[];
  readonly orphanAnswers: readonly DiameterOrphanAnswer[];
}

export interface DiameterTransactionOptions {
  /** Requests waiting for an answer before the oldest is given up as unanswered. Default 100 000. */
  readonly maxPending?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Entry = Mutable<DiameterTransaction> & { retransmissionFrames: number[] };

/** A request waiting for its answer, with the path it took. */
interface Pending {
  readonly t: Entry;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

/** RFC 6733 §7.1: 3xxx protocol errors, 4xxx transient and 5xxx permanent failures. */
export function isErrorResult(result: DiameterResult | undefined): boolean {
  return result !== undefined && result.code >= 3000;
}

export class DiameterTransactionTracker {
  private readonly maxPending: number;
  private readonly all: Entry[] = [];
  /** Pending requests by identifiers and command; usually one per key. */
  private readonly pending = new Map<string, Pending[]>();
  private pendingCount = 0;
  private readonly orphans: DiameterOrphanAnswer[] = [];

  constructor(options: DiameterTransactionOptions = {}) {
    this.maxPending = options.maxPending ?? 100_000;
  }

  add(message: DiameterMessage, at: DiameterSighting): void {
    const key = `${message.hopByHop}:${message.endToEnd}:${message.commandCode}`;
    if (message.flags.request) this.request(key, message, at);
    else this.answer(key, message, at);
  }

  finish(): DiameterTransactionReport {
    return {
      transactions: this.all,
      unanswered: this.all.filter((t) => t.answerFrame === undefined),
      errorAnswers: this.all.filter((t) => t.answerFrame !== undefined && (isErrorResult(t.result) || t.protocolError === true)),
      orphanAnswers: this.orphans,
    };
  }

  private request(key: string, message: DiameterMessage, at: DiameterSighting): void {
    const waiting = this.pending.get(key);
    const same = waiting?.find((p) => p.srcIp === at.src && p.srcPort === at.srcPort && p.dstIp === at.dst && p.dstPort === at.dstPort);
    if (same !== undefined) {
      same.t.retransmissionFrames.push(at.frameNo);
      return;
    }
    const sid = sessionId(message);
    const t: Entry = {
      commandCode: message.commandCode,
      applicationId: message.applicationId,
      ...(message.commandAbbrev === undefined ? {} : { requestName: message.commandAbbrev }),
      ...(message.interfaceName === undefined ? {} : { interfaceName: message.interfaceName }),
      hopByHop: message.hopByHop,
      endToEnd: message.endToEnd,
      ...(sid === undefined ? {} : { sessionId: sid }),
      client: hostPort(at.src, at.srcPort),
      server: hostPort(at.dst, at.dstPort),
      requestFrame: at.frameNo,
      requestTs: at.ts,
      retransmissionFrames: [],
    };
    this.all.push(t);
    const p: Pending = { t, srcIp: at.src, dstIp: at.dst, srcPort: at.srcPort, dstPort: at.dstPort };
    if (waiting === undefined) this.pending.set(key, [p]);
    else waiting.push(p);
    if (++this.pendingCount > this.maxPending) this.evictOldest();
  }

  private answer(key: string, message: DiameterMessage, at: DiameterSighting): void {
    const waiting = this.pending.get(key);
    // The answer comes back on the request's path reversed; an SCTP association may answer from
    // another of its addresses, so the ports decide next, then a lone candidate.
    const p =
      waiting?.find((p) => p.dstIp === at.src && p.srcIp === at.dst && p.dstPort === at.srcPort && p.srcPort === at.dstPort) ??
      waiting?.find((p) => p.dstPort === at.srcPort && p.srcPort === at.dstPort) ??
      (waiting?.length === 1 ? waiting[0] : undefined);
    const result = resultCode(message);
    if (waiting === undefined || p === undefined) {
      this.orphans.push({
        frameNo: at.frameNo,
        ts: at.ts,
        commandCode: message.commandCode,
        ...(message.commandAbbrev === undefined ? {} : { answerName: message.commandAbbrev }),
        hopByHop: message.hopByHop,
        endToEnd: message.endToEnd,
        from: hostPort(at.src, at.srcPort),
        to: hostPort(at.dst, at.dstPort),
        ...(result === undefined ? {} : { result }),
      });
      return;
    }
    waiting.splice(waiting.indexOf(p), 1);
    if (waiting.length === 0) this.pending.delete(key);
    this.pendingCount--;
    const t = p.t;
    t.answerFrame = at.frameNo;
    t.answerTs = at.ts;
    if (message.commandAbbrev !== undefined) t.answerName = message.commandAbbrev;
    t.latencyMs = (at.ts - t.requestTs) * 1000;
    if (result !== undefined) t.result = result;
    t.protocolError = message.flags.error;
  }

  private evictOldest(): void {
    // Map iteration follows insertion order: the first key holds the oldest request still pending.
    for (const [key, waiting] of this.pending) {
      waiting.shift();
      if (waiting.length === 0) this.pending.delete(key);
      this.pendingCount--;
      return;
    }
  }
}
