// Records produced by the dialog tracker: calls (one per Call-ID), transactions, dialogs and
// their offer/answer negotiations. Every record carries frame numbers back to the capture.
import type { SipMessage } from '../../protocols/sip/message.js';
import type { SdpSession } from '../../protocols/sdp/types.js';
import type { DecodeError } from '../../decode-error.js';

/** One decoded SIP message with where and when it was seen. */
export interface SipEvent {
  readonly message: SipMessage;
  /** Frame that completed the message (1-based, as tshark numbers frames). */
  readonly frameNo: number;
  /** For stream transports: frame holding the message's first byte. */
  readonly firstFrameNo?: number;
  readonly ts: number;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** "udp", "tcp", "sctp", "tls", "websocket"... */
  readonly transport: string;
  /** The SDP body when the caller already parsed it (else the tracker parses the body itself). */
  readonly sdp?: SdpSession | DecodeError;
}

/** Which end of the dialog sent a message: the sender of the dialog-creating request is the caller. */
export type DialogSide = 'caller' | 'callee';

/**
 * A message seen again: a retransmission (same transaction, same message) or a copy of the same
 * end-to-end message observed at another hop (another Via branch or another flow).
 */
export type RepeatKind = 'retransmission' | 'copy';

export interface DialogMessage {
  readonly frameNo: number;
  readonly ts: number;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly transport: string;
  readonly side: DialogSide;
  readonly kind: 'request' | 'response';
  /** Request method, or for a response the method of its CSeq. */
  readonly method: string;
  readonly statusCode?: number;
  readonly cseq: number;
  /** RFC 3262: a provisional response sent reliably (RSeq present). */
  readonly reliable: boolean;
  readonly hasSdp: boolean;
  readonly repeat?: RepeatKind;
  /** Frame of the first sighting of the message this one repeats. */
  readonly repeatOf?: number;
}

/** An SDP body as one step of offer/answer. */
export interface SdpExchange {
  readonly frameNo: number;
  readonly ts: number;
  readonly side: DialogSide;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** "INVITE", "PRACK", "UPDATE", "ACK" or the status code of a response ("183", "200"). */
  readonly carrier: string;
  /** CSeq number and method of the carrying message. */
  readonly cseq: number;
  readonly method: string;
  /** For provisional responses: sent reliably (RFC 3262). */
  readonly reliable: boolean;
  readonly sdp: SdpSession;
  /** The same message seen at other hops, with the SDP each hop carried (proxies may rewrite it). */
  readonly copies: readonly { readonly frameNo: number; readonly src: string; readonly dst: string; readonly sdp: SdpSession }[];
}

/**
 * complete: offer and answer seen. pending: the answer has not been seen (yet).
 * rejected: the offer's transaction ended with a non-2xx final response (RFC 3261 §13.2.1,
 * RFC 3311 §5.2: the offer is discarded). no-answer: the message that had to carry the answer
 * carried none (RFC 3261 §13.3.1, RFC 3262 §5).
 */
export type NegotiationStatus = 'complete' | 'pending' | 'rejected' | 'no-answer';

export interface Negotiation {
  /** Where the offer was: "INVITE", "re-INVITE", "UPDATE", "PRACK", "reliable-provisional" or "2xx". */
  readonly trigger: string;
  readonly offer: SdpExchange;
  readonly answer?: SdpExchange;
  /**
   * True when the answer is the SDP of an unreliable provisional response. RFC 3261 §13.2.1
   * does not count it as an answer, but networks use it for early media: it is promoted to the
   * answer only when the offer's transaction closes without any reliable answer.
   */
  readonly answerFromEarlySdp: boolean;
  readonly status: NegotiationStatus;
  /** Why the negotiation is not complete ("488 Not Acceptable Here", "200 without SDP"...). */
  readonly statusDetail?: string;
  /** SDP bodies of unreliable provisional responses to the offer's transaction. */
  readonly earlySdp: readonly SdpExchange[];
  /** Later copies of the answer (same o= version) in responses to the same transaction. */
  readonly repeats: readonly number[];
}

/** Stable identifiers of what the tracker found wrong with a dialog's signalling. */
export type DialogAnomalyCode =
  | 'offer-while-pending'
  | 'unexpected-sdp'
  | 'answer-changed'
  | 'no-offer'
  | 'sdp-unparseable'
  | 'partial-dialog';

export interface DialogAnomaly {
  readonly code: DialogAnomalyCode;
  readonly frameNo: number;
  readonly detail: string;
}

/**
 * trying: the dialog-creating request was sent, no response with a To tag yet.
 * early: a provisional response with a To tag. confirmed: a 2xx. terminated: BYE (or
 * Subscription-State: terminated), or an early fork that never got a 2xx when another did.
 * failed: a non-2xx final response. cancelled: CANCEL then 487.
 */
export type DialogState = 'trying' | 'early' | 'confirmed' | 'terminated' | 'failed' | 'cancelled';

export interface SipDialog {
  readonly callId: string;
  /** From tag of the dialog-creating request. */
  readonly callerTag?: string;
  /** To tag of the responses (undefined while the dialog is trying). */
  readonly calleeTag?: string;
  /** Method of the first request: INVITE, SUBSCRIBE, REFER... */
  readonly method: string;
  readonly cseq: number;
  readonly state: DialogState;
  /** Final response to the dialog-creating request. */
  readonly finalStatus?: number;
  /** From / To values of the first request seen. */
  readonly from: string;
  readonly to: string;
  /** Sender and receiver of the first request seen ("10.0.0.1:5060"). */
  readonly callerAddress: string;
  readonly calleeAddress: string;
  /** Another early dialog exists for the same request (a forking proxy, different To tags). */
  readonly forked: boolean;
  /** The capture starts inside the dialog: its creating request was not seen. */
  readonly partial: boolean;
  readonly startTs: number;
  readonly endTs: number;
  readonly firstFrameNo: number;
  readonly lastFrameNo: number;
  readonly messages: readonly DialogMessage[];
  readonly negotiations: readonly Negotiation[];
  /** Every unreliable provisional response SDP of the dialog, whether or not promoted. */
  readonly earlySdp: readonly SdpExchange[];
  readonly anomalies: readonly DialogAnomaly[];
}

export interface SipTransaction {
  /** RFC 3261 §17.2.3 matching key: top Via branch, CSeq number and method. */
  readonly key: string;
  readonly branch?: string;
  readonly method: string;
  readonly cseq: number;
  readonly requestFrameNo?: number;
  readonly responses: readonly { readonly frameNo: number; readonly statusCode: number; readonly ts: number }[];
  readonly finalStatus?: number;
  /** Retransmitted requests and responses seen (not counted as messages). */
  readonly retransmissions: number;
  /** The request is a copy of one seen at another hop (frame of the first sighting). */
  readonly copyOf?: number;
}

export interface SipCall {
  readonly callId: string;
  /** Method of the first message seen (a request's, or the CSeq method of a response). */
  readonly firstMethod: string;
  /** From / To values of the first message seen. */
  readonly from: string;
  readonly to: string;
  readonly firstFrameNo: number;
  readonly lastFrameNo: number;
  readonly startTs: number;
  readonly endTs: number;
  /** Messages counted once: retransmissions and hop copies excluded. */
  readonly messageCount: number;
  readonly retransmissions: number;
  readonly copies: number;
  readonly transactions: readonly SipTransaction[];
  readonly dialogs: readonly SipDialog[];
}
