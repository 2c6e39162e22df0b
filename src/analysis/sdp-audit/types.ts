// Records of `imscap audit-sdp`: each call with the offer/answer negotiations it went through
// and the findings against them.
import type { DialogSide, NegotiationStatus } from '../dialogs.js';
import type { Finding, RuleDescription } from '../../report/findings.js';

/** The codec an answer settled on for one m= line. */
export interface ChosenCodec {
  readonly payloadType: number;
  /** "AMR-WB/16000". */
  readonly codec: string;
  /** The answer's a=fmtp parameters, "mode-set=0,1,2;octet-align=1". */
  readonly fmtp: string;
}

export interface MediaSummary {
  /** Position of the m= line (RFC 3264 §6: the answer's lines pair with the offer's by position). */
  readonly index: number;
  readonly type: string;
  /** The answer kept the stream (port ≠ 0). */
  readonly accepted: boolean;
  readonly chosen?: ChosenCodec;
}

export interface NegotiationSummary {
  /** Where the offer was: "INVITE", "re-INVITE", "UPDATE", "PRACK", "reliable-provisional", "2xx". */
  readonly trigger: string;
  readonly status: NegotiationStatus;
  readonly statusDetail?: string;
  readonly offerFrameNo: number;
  /** "INVITE", "UPDATE", "183"... */
  readonly offerCarrier: string;
  readonly offerSide: DialogSide;
  /** The copy of the offer the answer is compared with, when a proxy passed it on in another frame. */
  readonly offerSeenFrameNo?: number;
  readonly answerFrameNo?: number;
  readonly answerCarrier?: string;
  /** The answer is the SDP of an unreliable provisional response (early media). */
  readonly answerFromEarlySdp: boolean;
  readonly media: readonly MediaSummary[];
}

export interface AuditedCall {
  readonly callId: string;
  readonly firstFrameNo: number;
  readonly negotiations: readonly NegotiationSummary[];
  /** Findings of this call, by first frame. */
  readonly findings: readonly Finding[];
}

export interface RtpAuditCounts {
  /** RTP packets the pass handed over. */
  readonly packets: number;
  /** Packets on flows an SDP of a placed negotiation set up: these are checked. */
  readonly checked: number;
  /** Packets found by heuristic or whose SDP the dialog tracker could not place. */
  readonly unchecked: number;
}

export interface SdpAuditReport {
  /** Calls with at least one offer/answer negotiation, in order of their first message. */
  readonly calls: readonly AuditedCall[];
  /** Every finding, call by call. */
  readonly findings: readonly Finding[];
  /** The rules that ran. */
  readonly rules: readonly RuleDescription[];
  readonly rtp: RtpAuditCounts;
}
