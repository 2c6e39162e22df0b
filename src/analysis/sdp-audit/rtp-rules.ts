// RTP against the negotiation in force when it was sent, per call and direction: payload types
// the answer did not accept (RFC 3264 §6.1, §7), AMR frames and codec mode requests outside the
// negotiated mode-set (RFC 4867 §8.1), payloads in the other AMR payload format (§4.3 / §4.4),
// repetitions reaching further back than max-red (§8.1). One finding per (call, direction,
// rule) with counts and the first frame, whatever the number of packets.
import type { DialogSide } from '../dialogs.js';
import { amrFmtpOf } from '../../protocols/sdp/amr-fmtp.js';
import type { SdpMedia } from '../../protocols/sdp/types.js';
import { codecName, intersectModeSets, matchFormat, modeSetText, sameCodec } from './codec-match.js';
import type { EmitFinding } from './emit.js';
import type { AuditRuleId } from './rules.js';
import { FirstCount, FRAME_MS, REACH_BUCKETS, type RtpTally } from './rtp-tally.js';

/** What a tally was sent under: resolved at the end of the pass. */
export interface TallyContext {
  readonly callId: string;
  /** The side the packets were sent to. */
  readonly receiver: DialogSide;
  /** The receiver's m= line: its payload type numbers are the ones in the packets (RFC 3264 §5.1). */
  readonly receiverMedia: SdpMedia | undefined;
  /** The sender's m= line in the same negotiation. */
  readonly senderMedia: SdpMedia | undefined;
  /** Answer and offer frames of the negotiation. */
  readonly sdpFrames: readonly number[];
}

type RtpRuleId = Extract<AuditRuleId, 'rtp-payload-type-not-negotiated' | 'octet-align-mismatch' | 'frame-type-outside-mode-set' | 'cmr-outside-mode-set' | 'max-red-exceeded'>;

class Accumulator {
  readonly hits = new FirstCount();
  total = 0;
  readonly details = new Map<string, number>();
  readonly notes = new Set<string>();
  readonly sdpFrames: number[] = [];
  maxReachMs = 0;

  constructor(
    readonly callId: string,
    readonly receiver: DialogSide,
    readonly rule: RtpRuleId,
  ) {}

  hit(first: number, count: number, detail: string, sdpFrames: readonly number[]): void {
    if (count <= 0) return;
    if (this.hits.count === 0 || first < this.hits.first) this.hits.first = first;
    this.hits.count += count;
    this.details.set(detail, (this.details.get(detail) ?? 0) + count);
    for (const f of sdpFrames) if (!this.sdpFrames.includes(f)) this.sdpFrames.push(f);
  }
}

export class RtpRuleChecks {
  private readonly acc = new Map<string, Accumulator>();

  private of(ctx: TallyContext, rule: RtpRuleId): Accumulator {
    const key = `${ctx.callId}\n${ctx.receiver}\n${rule}`;
    let a = this.acc.get(key);
    if (a === undefined) {
      a = new Accumulator(ctx.callId, ctx.receiver, rule);
      this.acc.set(key, a);
    }
    return a;
  }

  add(tally: RtpTally, ctx: TallyContext): void {
    const pt = tally.key.payloadType;
    const received = ctx.receiverMedia?.payloads.find((p) => p.payloadType === pt);
    const sent = ctx.senderMedia;
    const accepted = received !== undefined && sent !== undefined && ctx.receiverMedia?.port !== 0 && sent.port !== 0 && sent.payloads.some((p) => sameCodec(p, received));
    const ptCheck = this.of(ctx, 'rtp-payload-type-not-negotiated');
    ptCheck.total += tally.packets.count;
    if (!accepted) ptCheck.hit(tally.packets.first, tally.packets.count, `PT ${pt}${received === undefined ? '' : ` ${codecName(received)}`}`, ctx.sdpFrames);

    const amr = tally.amr;
    if (amr === undefined || received === undefined || !accepted || !sameCodec(amr.format, received)) return;
    const codec = codecName(received);

    const layout = this.of(ctx, 'octet-align-mismatch');
    layout.total += tally.packets.count;
    layout.notes.add(`${codec} ${amr.options.octetAligned ? 'octet-aligned' : 'bandwidth-efficient'}`);
    layout.hit(tally.otherFormat.first, tally.otherFormat.count, amr.options.octetAligned ? 'bandwidth-efficient' : 'octet-aligned', ctx.sdpFrames);

    const peer = sent === undefined ? undefined : matchFormat(received, sent.payloads);
    const peerFmtp = peer === undefined ? undefined : amrFmtpOf(peer);
    // RFC 4867 §8.3.1: mode-set is bidirectional; the modes both SDPs allow are the negotiated set.
    const modeSet = intersectModeSets(amrFmtpOf(received)?.modeSet, peerFmtp?.modeSet);
    if (modeSet !== undefined) {
      const maxMode = amr.options.wideband ? 8 : 7;
      const frames = this.of(ctx, 'frame-type-outside-mode-set');
      const requests = this.of(ctx, 'cmr-outside-mode-set');
      frames.notes.add(`${codec} mode-set ${modeSetText(modeSet)}`);
      requests.notes.add(`${codec} mode-set ${modeSetText(modeSet)}`);
      requests.total += tally.decoded.count;
      for (let mode = 0; mode <= maxMode; mode++) {
        const types = tally.frameTypes;
        frames.total += types.count(mode);
        if (!modeSet.includes(mode)) frames.hit(types.first(mode), types.count(mode), `mode ${mode}`, ctx.sdpFrames);
      }
      for (let value = 0; value < 15; value++) {
        if (!modeSet.includes(value)) requests.hit(tally.cmr.first(value), tally.cmr.count(value), `CMR ${value}`, ctx.sdpFrames);
      }
    }

    // RFC 4867 §8.1: max-red is declared by the sender, for what it will send.
    const maxRed = peerFmtp?.maxRed;
    if (maxRed !== undefined) {
      const red = this.of(ctx, 'max-red-exceeded');
      red.total += tally.decoded.count;
      red.notes.add(`max-red=${maxRed}`);
      for (let frames = 1; frames < REACH_BUCKETS; frames++) {
        const ms = frames * FRAME_MS;
        if (ms <= maxRed || tally.reach.count(frames) === 0) continue;
        red.hit(tally.reach.first(frames), tally.reach.count(frames), `${frames === REACH_BUCKETS - 1 ? '≥' : ''}${ms} ms back`, ctx.sdpFrames);
        red.maxReachMs = Math.max(red.maxReachMs, ms);
      }
    }
  }

  /** One finding per call, direction and rule that has hits. */
  emit(emitFor: (callId: string) => EmitFinding): void {
    for (const a of this.acc.values()) {
      if (a.hits.count === 0) continue;
      const direction = a.receiver === 'callee' ? 'caller→callee' : 'callee→caller';
      const details = [...a.details].map(([d, n]) => `${d} ×${n}`).join(', ');
      const notes = [...a.notes].join('; ');
      const first = a.hits.first;
      const props = { direction, count: a.hits.count, total: a.total, firstFrame: first };
      const frames = [first, ...a.sdpFrames];
      emitFor(a.callId)(a.rule, message(a, direction, details, notes), frames, props);
    }
  }
}

function message(a: Accumulator, direction: string, details: string, notes: string): string {
  const n = a.hits.count;
  const first = `first in frame ${a.hits.first}`;
  switch (a.rule) {
    case 'rtp-payload-type-not-negotiated':
      return `${direction}: ${n} of ${a.total} RTP packets use payload types the negotiation did not accept (${details}), ${first}; RFC 3264 §6.1, §7: media is sent only in formats both offer and answer list`;
    case 'octet-align-mismatch':
      return `${direction}: ${n} of ${a.total} AMR packets parse only in the other payload format (${details}) than the receiver's SDP declares (${notes}), ${first}; RFC 4867 §8.3.1, §4.3, §4.4: octet-aligned and bandwidth-efficient payloads are not interchangeable`;
    case 'frame-type-outside-mode-set':
      return `${direction}: ${n} of ${a.total} speech frames use modes outside the negotiated mode-set (${notes}): ${details}, ${first}; RFC 4867 §8.1: frames of modes outside the mode-set MUST NOT be sent`;
    case 'cmr-outside-mode-set':
      return `${direction}: ${n} of ${a.total} packets request codec modes outside the negotiated mode-set (${notes}): ${details}, ${first}; RFC 4867 §8.1: modes outside the mode-set MUST NOT be requested`;
    case 'max-red-exceeded':
      return `${direction}: ${n} of ${a.total} packets repeat frames up to ${a.maxReachMs} ms back though the sender declared ${notes} (${details}), ${first}; RFC 4867 §8.1: max-red bounds the time between a frame's first transmission and its repetition`;
  }
}
