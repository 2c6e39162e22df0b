// Offer/answer inside one dialog (RFC 3264 §4; where each message may carry the offer and the
// answer: RFC 3261 §13.2.1, RFC 3262 §5 (reliable provisional + PRACK), RFC 3311 §5 (UPDATE),
// RFC 6337 §2 and §3). Each negotiation is tied to where its answer must come from, so
// overlapping negotiations (an UPDATE while an INVITE is pending) are kept apart.
import type { RAck } from '../../protocols/sip/reliable-provisional.js';
import type { SdpSession } from '../../protocols/sdp/types.js';
import type { DialogAnomaly, DialogSide, NegotiationStatus, SdpExchange } from './types.js';

/** What offer/answer needs to know about one message (retransmissions and copies excluded). */
export interface OaMessage {
  readonly frameNo: number;
  readonly side: DialogSide;
  readonly kind: 'request' | 'response';
  /** Request method, or the CSeq method of a response. */
  readonly method: string;
  readonly statusCode?: number;
  readonly cseq: number;
  /** RFC 3262: provisional response carrying RSeq. */
  readonly reliable: boolean;
  readonly rseq?: number;
  readonly rack?: RAck;
  /** Present when the message carries a parseable SDP body. */
  readonly exchange?: SdpExchange;
}

/** How an SDP body took part in offer/answer. */
export type SdpRole = 'offer' | 'answer' | 'early' | 'repeat' | 'unexpected';

export interface NegotiationRecord {
  trigger: string;
  offer: SdpExchange;
  answer?: SdpExchange;
  answerFromEarlySdp: boolean;
  status: NegotiationStatus;
  statusDetail?: string;
  earlySdp: SdpExchange[];
  repeats: number[];
}

/** Where the answer to a pending offer must appear. */
type Expect =
  | { readonly kind: 'response'; readonly method: string; readonly cseq: number }
  | { readonly kind: 'prack'; readonly rseq: number; readonly cseq: number }
  | { readonly kind: 'ack'; readonly cseq: number };

interface Pending {
  readonly negotiation: NegotiationRecord;
  readonly expect: Expect;
}

export class OfferAnswer {
  private pending: Pending[] = [];
  /** CSeq numbers of INVITEs sent without SDP: the offer must come in a reliable 1xx or the 2xx. */
  private readonly awaitingOffer = new Set<number>();
  /** Negotiations already answered, by "METHOD cseq" of the transaction whose responses carried the answer. */
  private readonly answeredBy = new Map<string, NegotiationRecord>();
  /** The most recent SDP each side sent in an offer or answer, with its negotiation. */
  private readonly lastSdp = new Map<DialogSide, { exchange: SdpExchange; negotiation: NegotiationRecord }>();

  constructor(
    /** CSeq number of the dialog-creating INVITE (later INVITEs are re-INVITEs). */
    private readonly initialCseq: number,
    readonly negotiations: NegotiationRecord[],
    readonly earlySdp: SdpExchange[],
    private readonly anomalies: DialogAnomaly[],
    /** Called when a negotiation leaves "pending". */
    private readonly closed: (n: NegotiationRecord) => void,
  ) {}

  /** Applies one message; returns the role of its SDP, if it carried one. */
  handle(m: OaMessage): SdpRole | undefined {
    if (m.kind === 'request') return m.exchange === undefined ? this.requestWithoutSdp(m) : this.requestWithSdp(m, m.exchange);
    const status = m.statusCode ?? 0;
    if (status <= 100) return m.exchange === undefined ? undefined : this.unexpected(m, 'SDP in a 100 response');
    if (m.exchange === undefined) return this.responseWithoutSdp(m, status);
    return status < 200 ? this.provisionalWithSdp(m, m.exchange) : status < 300 ? this.successWithSdp(m, m.exchange) : this.failureWithSdp(m, status);
  }

  /** End of input: offers still waiting for an answer take the early SDP, if any, as their answer. */
  finish(): void {
    for (const p of this.pending) this.promoteEarlySdp(p.negotiation);
  }

  private requestWithoutSdp(m: OaMessage): undefined {
    if (m.method === 'INVITE') this.awaitingOffer.add(m.cseq);
    else if (m.method === 'ACK') {
      const p = this.take((e) => e.kind === 'ack' && e.cseq === m.cseq);
      // RFC 3261 §13.2.1: an offer in the 2xx is answered in the ACK.
      if (p !== undefined) this.close(p, 'no-answer', 'ACK without SDP after an offer in the 2xx');
    } else if (m.method === 'PRACK' && m.rack !== undefined) {
      const rack = m.rack;
      const p = this.take((e) => e.kind === 'prack' && e.rseq === rack.rseq && e.cseq === rack.cseq);
      // RFC 3262 §5: an offer in a reliable provisional response is answered in the PRACK.
      if (p !== undefined) this.close(p, 'no-answer', 'PRACK without SDP after an offer in a reliable provisional response');
    }
    return undefined;
  }

  private requestWithSdp(m: OaMessage, ex: SdpExchange): SdpRole {
    if (m.method === 'ACK') {
      const p = this.take((e) => e.kind === 'ack' && e.cseq === m.cseq);
      if (p === undefined) return this.unexpected(m, 'SDP in an ACK without an offer in the 2xx');
      this.answer(p, ex);
      return 'answer';
    }
    if (m.method === 'PRACK' && m.rack !== undefined) {
      const rack = m.rack;
      const p = this.take((e) => e.kind === 'prack' && e.rseq === rack.rseq && e.cseq === rack.cseq);
      if (p !== undefined) {
        this.answer(p, ex);
        return 'answer';
      }
    }
    if (this.pending.length > 0) {
      // RFC 3264 §4: no new offer while one is outstanding (the peer should answer 491).
      this.anomalies.push({ code: 'offer-while-pending', frameNo: m.frameNo, detail: `${m.method} offer while the offer of frame ${this.pending[0]!.negotiation.offer.frameNo} is unanswered` });
    }
    const trigger = m.method === 'INVITE' ? (m.cseq === this.initialCseq ? 'INVITE' : 're-INVITE') : m.method;
    this.offer(trigger, ex, { kind: 'response', method: m.method, cseq: m.cseq });
    return 'offer';
  }

  private responseWithoutSdp(m: OaMessage, status: number): undefined {
    if (status < 200) return undefined;
    const p = this.take((e) => e.kind === 'response' && e.method === m.method && e.cseq === m.cseq);
    if (p !== undefined) {
      if (status >= 300) {
        this.promoteEarlySdp(p.negotiation);
        this.close(p, 'rejected', `${status} final response`);
      } else if (this.promoteEarlySdp(p.negotiation)) {
        this.close(p, 'complete');
      } else {
        // RFC 3261 §13.3.1 / RFC 3311 §5.2: the 2xx to an offer must carry the answer.
        this.close(p, 'no-answer', `${status} without SDP to an offer`);
      }
      return undefined;
    }
    if (m.method === 'INVITE' && this.awaitingOffer.delete(m.cseq) && status < 300) {
      // RFC 3261 §13.2.1: an INVITE without an offer gets the offer in the 2xx.
      this.anomalies.push({ code: 'no-offer', frameNo: m.frameNo, detail: `INVITE without SDP answered by ${status} without SDP` });
    }
    return undefined;
  }

  private provisionalWithSdp(m: OaMessage, ex: SdpExchange): SdpRole {
    const p = this.find((e) => e.kind === 'response' && e.method === m.method && e.cseq === m.cseq);
    if (p !== undefined) {
      if (m.reliable) {
        this.remove(p);
        this.answer(p, ex);
        return 'answer';
      }
      p.negotiation.earlySdp.push(ex);
      this.earlySdp.push(ex);
      return 'early';
    }
    if (m.method === 'INVITE' && this.awaitingOffer.has(m.cseq)) {
      if (!m.reliable) {
        this.earlySdp.push(ex);
        return 'early';
      }
      this.awaitingOffer.delete(m.cseq);
      this.offer('reliable-provisional', ex, { kind: 'prack', rseq: m.rseq ?? 0, cseq: m.cseq });
      return 'offer';
    }
    const last = this.answeredBy.has(`${m.method} ${m.cseq}`) ? this.lastSdp.get(m.side) : undefined;
    if (last !== undefined) {
      if (sameVersion(last.exchange.sdp, ex.sdp)) {
        last.negotiation.repeats.push(m.frameNo);
        return 'repeat';
      }
      if (m.reliable) {
        // RFC 3262 §5 / RFC 6337 §3.1.1: a later reliable provisional response may carry a new offer.
        this.offer('reliable-provisional', ex, { kind: 'prack', rseq: m.rseq ?? 0, cseq: m.cseq });
        return 'offer';
      }
      this.earlySdp.push(ex);
      return 'early';
    }
    return this.unexpected(m, `SDP in ${m.statusCode ?? ''} to ${m.method} with no offer to answer`);
  }

  private successWithSdp(m: OaMessage, ex: SdpExchange): SdpRole {
    const p = this.take((e) => e.kind === 'response' && e.method === m.method && e.cseq === m.cseq);
    if (p !== undefined) {
      this.answer(p, ex);
      return 'answer';
    }
    if (m.method === 'INVITE' && this.awaitingOffer.delete(m.cseq)) {
      this.offer('2xx', ex, { kind: 'ack', cseq: m.cseq });
      return 'offer';
    }
    const last = this.answeredBy.has(`${m.method} ${m.cseq}`) ? this.lastSdp.get(m.side) : undefined;
    if (last !== undefined) {
      if (sameVersion(last.exchange.sdp, ex.sdp)) {
        last.negotiation.repeats.push(m.frameNo);
        return 'repeat';
      }
      // RFC 6337 §3.1.2: after an answer sent reliably, the 2xx repeats the latest SDP unchanged.
      this.anomalies.push({ code: 'answer-changed', frameNo: m.frameNo, detail: `${m.statusCode ?? ''} carries an SDP different from the one of frame ${last.exchange.frameNo}` });
      return 'unexpected';
    }
    return this.unexpected(m, `SDP in ${m.statusCode ?? ''} to ${m.method} with no offer to answer`);
  }

  private failureWithSdp(m: OaMessage, status: number): SdpRole {
    this.responseWithoutSdp(m, status);
    return this.unexpected(m, `SDP in a ${status} final response`);
  }

  private offer(trigger: string, ex: SdpExchange, expect: Expect): void {
    const negotiation: NegotiationRecord = { trigger, offer: ex, answerFromEarlySdp: false, status: 'pending', earlySdp: [], repeats: [] };
    this.negotiations.push(negotiation);
    this.lastSdp.set(ex.side, { exchange: ex, negotiation });
    this.pending.push({ negotiation, expect });
  }

  private answer(p: Pending, ex: SdpExchange): void {
    p.negotiation.answer = ex;
    p.negotiation.answerFromEarlySdp = false;
    this.lastSdp.set(ex.side, { exchange: ex, negotiation: p.negotiation });
    if (p.expect.kind === 'response') this.answeredBy.set(`${p.expect.method} ${p.expect.cseq}`, p.negotiation);
    this.close(p, 'complete');
  }

  /** Takes the first early SDP as the answer when no reliable answer exists; true if it did. */
  private promoteEarlySdp(n: NegotiationRecord): boolean {
    const early = n.earlySdp[0];
    if (n.answer !== undefined || early === undefined) return n.answer !== undefined;
    n.answer = early;
    n.answerFromEarlySdp = true;
    return true;
  }

  private close(p: Pending, status: NegotiationStatus, detail?: string): void {
    this.remove(p);
    p.negotiation.status = status;
    if (detail !== undefined) p.negotiation.statusDetail = detail;
    this.closed(p.negotiation);
  }

  private unexpected(m: OaMessage, detail: string): 'unexpected' {
    this.anomalies.push({ code: 'unexpected-sdp', frameNo: m.frameNo, detail });
    return 'unexpected';
  }

  private find(match: (e: Expect) => boolean): Pending | undefined {
    return this.pending.find((p) => match(p.expect));
  }

  private take(match: (e: Expect) => boolean): Pending | undefined {
    const p = this.find(match);
    if (p !== undefined) this.remove(p);
    return p;
  }

  private remove(p: Pending): void {
    const i = this.pending.indexOf(p);
    if (i >= 0) this.pending.splice(i, 1);
  }
}

/** RFC 3264 §8: an unchanged session description keeps its o= line (same version). */
function sameVersion(a: SdpSession, b: SdpSession): boolean {
  const x = a.origin;
  const y = b.origin;
  return x !== undefined && y !== undefined && x.username === y.username && x.sessionId === y.sessionId && x.sessionVersion === y.sessionVersion && x.address === y.address;
}
