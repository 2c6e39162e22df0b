// The SDP audit: consumes SIP (through the dialog tracker, which pairs offers with answers
// across 183 + PRACK, UPDATE and re-INVITE) and RTP (counted per media binding, payload type
// and direction), then checks every negotiation and the media sent under it. Each call is
// audited when the tracker lets it go (its dialogs final), and what was kept for it is dropped
// then: memory follows the calls open at once, not the length of the capture.
import { isDecodeError } from '../../decode-error.js';
import type { PassHandlers, RtpEvent, SipEvent } from '../../pipeline/events.js';
import type { MediaBinding } from '../../pipeline/media-bindings.js';
import type { SdpMedia, SdpPayloadFormat, SdpSession } from '../../protocols/sdp/types.js';
import type { Finding } from '../../report/findings.js';
import { DialogTracker, type Negotiation, type SdpExchange, type SdpSeen, type SipCall, type SipDialog } from '../dialogs.js';
import { acceptedMedia, chosenFormat, codecName, fmtpText } from './codec-match.js';
import type { EmitFinding } from './emit.js';
import { checkAmrFmtp, type AuthoredSdp } from './fmtp-rules.js';
import { negotiationInForce, negotiationOf, offerSeenByAnswerer, otherSide, type SdpSnapshot } from './in-force.js';
import { checkOfferAnswer } from './offer-answer-rules.js';
import { RtpRuleChecks, type TallyContext } from './rtp-rules.js';
import { RtpTally } from './rtp-tally.js';
import { AUDIT_RULE_IDS, AUDIT_RULES, auditRule, type AuditRuleId } from './rules.js';
import type { AuditedCall, MediaSummary, NegotiationSummary, SdpAuditReport } from './types.js';

export interface SdpAuditOptions {
  /** The rules to run; all of them when absent. */
  readonly rules?: ReadonlySet<AuditRuleId>;
}

/** An SDP body as the tracker placed it, by the frame it was seen in (a copy has its own frame). */
interface Sighting {
  readonly dialog: SipDialog;
  readonly exchange: SdpExchange;
  /** The body as carried in this frame: a proxy may have rewritten a copy. */
  readonly sdp: SdpSession;
  readonly frameNo: number;
}

interface BindingTallies {
  readonly mediaIndex: number;
  readonly destination: Map<number, RtpTally>;
  readonly source: Map<number, RtpTally>;
}

/** The RTP of one binding and payload type, and what it is checked against once its call is done. */
interface TallyEntry {
  readonly tally: RtpTally;
  ctx?: TallyContext | undefined;
}

const AMR_RTP_RULES: readonly AuditRuleId[] = ['frame-type-outside-mode-set', 'cmr-outside-mode-set', 'octet-align-mismatch', 'max-red-exceeded'];
const RTP_RULES: readonly AuditRuleId[] = [...AMR_RTP_RULES, 'rtp-payload-type-not-negotiated'];

export class SdpAuditor {
  private readonly tracker = new DialogTracker({ sdp: (e) => this.sighted(e), callDone: (call) => this.callDone(call) }, { retainFinishedCalls: false });
  private readonly rules: ReadonlySet<AuditRuleId>;
  private readonly rtpWanted: boolean;
  private readonly amrWanted: boolean;
  /** SDP sightings of each open call, by frame. */
  private readonly sightings = new Map<string, Map<number, Sighting>>();
  private readonly mediaIndex = new WeakMap<SdpMedia, number>();
  private readonly bindingTallies = new WeakMap<MediaBinding, BindingTallies>();
  /** Every tally in the order it was started (the order its checks are added). */
  private readonly tallies: TallyEntry[] = [];
  /** Tallies whose call is not done yet. */
  private readonly openTallies = new Map<string, TallyEntry[]>();
  private readonly audited: { callId: string; firstFrameNo: number; negotiations: NegotiationSummary[] }[] = [];
  private readonly found = new Map<string, Finding[]>();
  private packets = 0;

  constructor(options: SdpAuditOptions = {}) {
    this.rules = options.rules ?? new Set(AUDIT_RULE_IDS);
    this.rtpWanted = RTP_RULES.some((r) => this.rules.has(r));
    this.amrWanted = AMR_RTP_RULES.some((r) => this.rules.has(r));
  }

  /** What is held now: calls the tracker has open, SDP sightings and RTP tallies of open calls. */
  held(): { calls: number; sightings: number; openTallies: number } {
    let sightings = 0;
    for (const byFrame of this.sightings.values()) sightings += byFrame.size;
    return { calls: this.tracker.openCallCount(), sightings, openTallies: this.openTallies.size };
  }

  handlers(): PassHandlers {
    return { sip: (e) => this.sip(e), rtp: (e) => this.rtp(e) };
  }

  sip(e: SipEvent): void {
    if (e.sdp !== undefined && !isDecodeError(e.sdp)) e.sdp.media.forEach((m, i) => this.mediaIndex.set(m, i));
    const m = e.meta;
    this.tracker.push({
      message: e.message,
      frameNo: m.frameNo,
      ...(m.firstFrameNo !== m.frameNo ? { firstFrameNo: m.firstFrameNo } : {}),
      ts: m.ts,
      src: m.src,
      dst: m.dst,
      srcPort: m.srcPort,
      dstPort: m.dstPort,
      transport: m.transport,
    });
  }

  rtp(e: RtpEvent): void {
    this.packets++;
    const b = e.binding;
    if (!this.rtpWanted || b === undefined || b.rtcp || e.boundBy === 'heuristic') return;
    let bt = this.bindingTallies.get(b);
    if (bt === undefined) {
      bt = { mediaIndex: this.mediaIndex.get(b.media) ?? -1, destination: new Map(), source: new Map() };
      this.bindingTallies.set(b, bt);
    }
    if (bt.mediaIndex < 0) return;
    const byPt = e.boundBy === 'destination' ? bt.destination : bt.source;
    const pt = e.packet.payloadType;
    let tally = byPt.get(pt);
    if (tally === undefined) {
      const key = { callId: b.callId, sdpFrameNo: b.sdpFrameNo, mediaIndex: bt.mediaIndex, boundBy: e.boundBy, payloadType: pt };
      tally = new RtpTally(key, this.amrWanted ? this.decodeFormat(b, e.boundBy, pt, bt.mediaIndex) : undefined);
      byPt.set(pt, tally);
      const entry: TallyEntry = { tally };
      this.tallies.push(entry);
      const open = this.openTallies.get(b.callId);
      if (open === undefined) this.openTallies.set(b.callId, [entry]);
      else open.push(entry);
    }
    tally.add(e.packet, e.meta.frameNo);
  }

  finish(): SdpAuditReport {
    this.tracker.finish();
    // RTP checks use the counts at the end: packets after a call was done still count.
    const checks = new RtpRuleChecks();
    let checked = 0;
    for (const { tally, ctx } of this.tallies) {
      if (ctx === undefined) continue;
      checked += tally.packets.count;
      checks.add(tally, ctx);
    }
    checks.emit((callId) => this.emitFor(callId));

    // Calls in the order of their first message (the tracker hands them on as they end).
    const audited = [...this.audited].sort((a, b) => a.firstFrameNo - b.firstFrameNo);
    const callReports: AuditedCall[] = audited.map((c) => ({ ...c, findings: (this.found.get(c.callId) ?? []).sort((a, b) => (a.frames[0] ?? 0) - (b.frames[0] ?? 0)) }));
    return {
      calls: callReports,
      findings: callReports.flatMap((c) => c.findings),
      rules: AUDIT_RULES.filter((r) => this.rules.has(r.id)),
      rtp: { packets: this.packets, checked, unchecked: this.packets - checked },
    };
  }

  private emitFor(callId: string): EmitFinding {
    return (ruleId, message, frames, properties) => {
      if (!this.rules.has(ruleId)) return;
      let list = this.found.get(callId);
      if (list === undefined) {
        list = [];
        this.found.set(callId, list);
      }
      list.push({ ruleId, severity: auditRule(ruleId).severity, message, frames: [...frames], callId, subject: callId, ...(properties !== undefined ? { properties } : {}) });
    };
  }

  /** A call the tracker is done with: audit it, resolve its RTP tallies, forget what it held. */
  private callDone(call: SipCall): void {
    const negotiations = this.auditCall(call, this.emitFor(call.callId));
    if (negotiations.length > 0) this.audited.push({ callId: call.callId, firstFrameNo: call.firstFrameNo, negotiations });
    for (const entry of this.openTallies.get(call.callId) ?? []) entry.ctx = this.context(entry.tally, call);
    this.openTallies.delete(call.callId);
    this.sightings.delete(call.callId);
  }

  private sighted(e: SdpSeen): void {
    const frameNo = e.copy?.frameNo ?? e.exchange.frameNo;
    let byFrame = this.sightings.get(e.call.callId);
    if (byFrame === undefined) {
      byFrame = new Map();
      this.sightings.set(e.call.callId, byFrame);
    }
    if (!byFrame.has(frameNo)) byFrame.set(frameNo, { dialog: e.dialog, exchange: e.exchange, sdp: e.copy?.sdp ?? e.exchange.sdp, frameNo });
  }

  /** RFC 3264 §5.1: the payload type numbers in a packet are those of its receiver's SDP. */
  private decodeFormat(b: MediaBinding, boundBy: 'destination' | 'source', pt: number, mediaIndex: number): SdpPayloadFormat | undefined {
    if (boundBy === 'destination') return b.formats.get(pt);
    // Sent from the SDP author's address (symmetric RTP): the receiver is the peer.
    const s = this.sightings.get(b.callId)?.get(b.sdpFrameNo);
    const n = s?.dialog.negotiations.find((x) => x.offer === s.exchange || x.answer === s.exchange);
    const peer = n === undefined || s === undefined ? undefined : n.offer === s.exchange ? n.answer : n.offer;
    return peer?.sdp.media[mediaIndex]?.payloads.find((p) => p.payloadType === pt) ?? b.formats.get(pt);
  }

  /** Checks each answered negotiation and the AMR fmtp of every SDP; returns the summaries. */
  private auditCall(call: SipCall, emit: EmitFinding): NegotiationSummary[] {
    const summaries: NegotiationSummary[] = [];
    const sdps = new Map<number, AuthoredSdp>();
    for (const dialog of call.dialogs) {
      for (const n of dialog.negotiations) {
        const offer = offerSeenByAnswerer(n);
        summaries.push(summarise(n, offer));
        if (!sdps.has(offer.frameNo)) sdps.set(offer.frameNo, { frameNo: offer.frameNo, side: n.offer.side, sdp: offer.sdp });
        const answer = n.answer;
        if (answer === undefined) continue;
        if (!sdps.has(answer.frameNo)) sdps.set(answer.frameNo, answer);
        checkOfferAnswer({ trigger: n.trigger, offer: { frameNo: offer.frameNo, carrier: n.offer.carrier, sdp: offer.sdp }, answer }, emit);
      }
    }
    checkAmrFmtp([...sdps.values()].sort((a, b) => a.frameNo - b.frameNo), emit);
    return summaries;
  }

  /** The negotiation in force for a tally of `call`, and the SDPs it is checked against. */
  private context(tally: RtpTally, call: SipCall): TallyContext | undefined {
    const s = this.sightingAt(call, tally.key.sdpFrameNo);
    if (s === undefined) return undefined;
    const owner = negotiationOf(call, s.exchange);
    const dialog = owner?.dialog ?? s.dialog;
    const n = owner?.negotiation.answer !== undefined ? owner.negotiation : negotiationInForce(dialog, s.frameNo);
    const answer = n?.answer;
    if (n === undefined || answer === undefined) return undefined;
    const receiver = tally.key.boundBy === 'destination' ? s.exchange.side : otherSide(s.exchange.side);
    const offer = offerSeenByAnswerer(n);
    const receiverIsOfferer = receiver === n.offer.side;
    // The receiver's own SDP as carried where the packets were captured, when the binding is it.
    const own = (s.exchange === n.offer || s.exchange === answer) && s.exchange.side === receiver ? s.sdp : undefined;
    const receiverSdp = own ?? (receiverIsOfferer ? n.offer.sdp : answer.sdp);
    const senderSdp = receiverIsOfferer ? answer.sdp : offer.sdp;
    const index = tally.key.mediaIndex;
    return {
      callId: call.callId,
      receiver,
      receiverMedia: receiverSdp.media[index],
      senderMedia: senderSdp.media[index],
      sdpFrames: [answer.frameNo, offer.frameNo],
    };
  }

  /** The sighting of an SDP frame; a retransmission stands for its first sighting. */
  private sightingAt(call: SipCall, frameNo: number): Sighting | undefined {
    const byFrame = this.sightings.get(call.callId);
    const direct = byFrame?.get(frameNo);
    if (direct !== undefined) return direct;
    for (const d of call.dialogs) {
      const m = d.messages.find((x) => x.frameNo === frameNo && x.repeatOf !== undefined);
      if (m?.repeatOf !== undefined) return byFrame?.get(m.repeatOf);
    }
    return undefined;
  }
}

function summarise(n: Negotiation, offer: SdpSnapshot): NegotiationSummary {
  const answer = n.answer;
  const offerSdp = offer.sdp;
  const media: MediaSummary[] = [];
  const lines = answer?.sdp.media ?? offerSdp.media;
  lines.forEach((line, index) => {
    const offered = offerSdp.media[index];
    const accepted = answer !== undefined && acceptedMedia(offered, line);
    const chosen = accepted && offered !== undefined ? chosenFormat(offered, line) : undefined;
    media.push({
      index,
      type: line.type,
      accepted,
      ...(chosen !== undefined ? { chosen: { payloadType: chosen.answer.payloadType, codec: codecName(chosen.answer), fmtp: fmtpText(chosen.answer) } } : {}),
    });
  });
  return {
    trigger: n.trigger,
    status: n.status,
    ...(n.statusDetail !== undefined ? { statusDetail: n.statusDetail } : {}),
    offerFrameNo: n.offer.frameNo,
    offerCarrier: n.offer.carrier,
    offerSide: n.offer.side,
    ...(offer.frameNo !== n.offer.frameNo ? { offerSeenFrameNo: offer.frameNo } : {}),
    ...(answer !== undefined ? { answerFrameNo: answer.frameNo, answerCarrier: answer.carrier } : {}),
    answerFromEarlySdp: n.answerFromEarlySdp,
    media,
  };
}
