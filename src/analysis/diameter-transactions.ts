// DiameterTransactionTracker: pairs each Diameter request with its answer (RFC 6733 §3: the
// answer carries the request's Hop-by-Hop and End-to-End Identifiers and comes back from the
// peer the request went to), and reports unanswered requests, error answers (Result-Code or
// Experimental-Result-Code ≥ 3000, or the E bit) and answers that match no request, each with
// frame numbers and latency.
import { hostPort, type PayloadEvent } from '../net/events.js';
import { PendingRequests } from './pending-requests.js';
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

/** RFC 6733 §7.1: 3xxx protocol errors, 4xxx transient and 5xxx permanent failures. */
export function isErrorResult(result: DiameterResult | undefined): boolean {
  return result !== undefined && result.code >= 3000;
}

export class DiameterTransactionTracker {
  private readonly all: Entry[] = [];
  /** Pending requests by identifiers and command. */
  private readonly pending: PendingRequests<string, Entry>;
  private readonly orphans: DiameterOrphanAnswer[] = [];

  constructor(options: DiameterTransactionOptions = {}) {
    this.pending = new PendingRequests(options.maxPending ?? 100_000);
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
    const same = this.pending.resent(key, at);
    if (same !== undefined) {
      same.retransmissionFrames.push(at.frameNo);
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
    this.pending.add(key, t, at);
  }

  private answer(key: string, message: DiameterMessage, at: DiameterSighting): void {
    // The answer comes back on the request's path reversed; an SCTP association may answer from
    // another of its addresses, so the ports decide next, then a lone candidate.
    const t = this.pending.take(key, [
      (p) => p.dstIp === at.src && p.srcIp === at.dst && p.dstPort === at.srcPort && p.srcPort === at.dstPort,
      (p) => p.dstPort === at.srcPort && p.srcPort === at.dstPort,
      (_p, waiting) => waiting.length === 1,
    ]);
    const result = resultCode(message);
    if (t === undefined) {
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
    t.answerFrame = at.frameNo;
    t.answerTs = at.ts;
    if (message.commandAbbrev !== undefined) t.answerName = message.commandAbbrev;
    t.latencyMs = (at.ts - t.requestTs) * 1000;
    if (result !== undefined) t.result = result;
    t.protocolError = message.flags.error;
  }
}
