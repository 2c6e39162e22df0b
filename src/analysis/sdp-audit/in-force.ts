// Which offer/answer a given SDP body (and so the RTP its address received) belongs to, and
// which SDPs to compare: the offer as the answerer received it (the last copy a proxy passed on
// before the answer) against the answer as the answerer sent it (its first sighting).
import type { DialogSide, Negotiation, SdpExchange, SipCall, SipDialog } from '../dialogs.js';
import type { SdpSession } from '../../protocols/sdp/types.js';

export interface SdpSnapshot {
  readonly frameNo: number;
  readonly sdp: SdpSession;
}

export function otherSide(side: DialogSide): DialogSide {
  return side === 'caller' ? 'callee' : 'caller';
}

/** The copy of the offer nearest the answerer: the last one seen before the answer. */
export function offerSeenByAnswerer(n: Negotiation): SdpSnapshot {
  const answerFrame = n.answer?.frameNo ?? Number.POSITIVE_INFINITY;
  let seen: SdpSnapshot = n.offer;
  for (const c of n.offer.copies) if (c.frameNo < answerFrame && c.frameNo > seen.frameNo) seen = c;
  return seen;
}

function references(n: Negotiation, ex: SdpExchange): boolean {
  if (n.offer === ex || n.answer === ex || n.earlySdp.includes(ex)) return true;
  // RFC 6337 §3.1.2: a later response repeating the answer (same o= version) is the same answer.
  return n.answer !== undefined && n.answer.side === ex.side && n.repeats.includes(ex.frameNo);
}

export interface NegotiationOwner {
  readonly dialog: SipDialog;
  readonly negotiation: Negotiation;
}

/**
 * The negotiation an SDP body took part in. A forked INVITE's offer belongs to every early
 * dialog; the one that reached a 2xx wins (RFC 3261 §13.2.2.4).
 */
export function negotiationOf(call: SipCall, ex: SdpExchange): NegotiationOwner | undefined {
  let found: NegotiationOwner | undefined;
  for (const dialog of call.dialogs) {
    const negotiation = dialog.negotiations.find((n) => references(n, ex));
    if (negotiation === undefined) continue;
    const confirmed = dialog.finalStatus !== undefined && dialog.finalStatus >= 200 && dialog.finalStatus < 300;
    if (confirmed) return { dialog, negotiation };
    found ??= { dialog, negotiation };
  }
  return found;
}

/**
 * The negotiation in force at a frame: the last one answered by then whose offer was not
 * rejected (RFC 3261 §14.1, RFC 3311 §5.2: a rejected offer leaves the session as it was).
 */
export function negotiationInForce(dialog: SipDialog, frameNo: number): Negotiation | undefined {
  let inForce: Negotiation | undefined;
  for (const n of dialog.negotiations) {
    if (n.answer !== undefined && n.status !== 'rejected' && n.answer.frameNo <= frameNo) inForce = n;
  }
  return inForce;
}
