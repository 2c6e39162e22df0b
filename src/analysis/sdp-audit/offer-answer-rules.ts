// Checks of one offer against its answer, m= line by m= line (RFC 3264 §6: paired by position):
// codecs in common, AMR mode-set and octet-align (RFC 4867 §8.3.1), mode-change-period against
// mode-change-capability (RFC 4867 §8.1), telephone-event clock rate (RFC 4733 §2.1).
import { amrFmtpOf } from '../../protocols/sdp/amr-fmtp.js';
import type { SdpPayloadFormat, SdpSession } from '../../protocols/sdp/types.js';
import {
  acceptedMedia,
  chosenFormat,
  codecName,
  isCodec,
  isTelephoneEvent,
  matchFormat,
  modeSetText,
  sameCodec,
  sameModeSet,
} from './codec-match.js';
import type { EmitFinding } from './emit.js';

export interface SdpAt {
  readonly frameNo: number;
  /** "INVITE", "183", "UPDATE"... */
  readonly carrier: string;
  readonly sdp: SdpSession;
}

export interface OfferAnswerPair {
  /** "INVITE", "re-INVITE", "UPDATE"... */
  readonly trigger: string;
  /** The offer as the answerer received it. */
  readonly offer: SdpAt;
  /** The answer as the answerer sent it. */
  readonly answer: SdpAt;
}

const ptList = (formats: readonly SdpPayloadFormat[]): string => formats.map((f) => `${f.payloadType} ${codecName(f)}`).join(', ');

export function checkOfferAnswer(pair: OfferAnswerPair, emit: EmitFinding): void {
  const { offer, answer } = pair;
  const frames = [answer.frameNo, offer.frameNo];
  const answerAt = `answer (frame ${answer.frameNo}, ${answer.carrier})`;
  const where = `${answerAt} to the ${pair.trigger} offer (frame ${offer.frameNo})`;
  const count = Math.min(offer.sdp.media.length, answer.sdp.media.length);
  for (let i = 0; i < count; i++) {
    const om = offer.sdp.media[i];
    const am = answer.sdp.media[i];
    if (om === undefined || am === undefined || !acceptedMedia(om, am)) continue;
    const line = `m=${am.type} line ${i + 1}`;
    const base = { mediaIndex: i, offerFrame: offer.frameNo, answerFrame: answer.frameNo };

    const offered = om.payloads.filter(isCodec);
    const common = am.payloads.filter((a) => isCodec(a) && om.payloads.some((o) => sameCodec(a, o)));
    if (offered.length > 0 && common.length === 0) {
      const kept = am.payloads.filter(isCodec);
      emit(
        'no-common-codec',
        `${where} accepts ${line} with ${kept.length > 0 ? ptList(kept) : 'no codec'} while the offer listed ${ptList(offered)}; RFC 3264 §6.1: an accepted stream lists at least one format of the offer`,
        frames,
        base,
      );
    } else {
      const notOffered = am.payloads.filter((a) => !om.payloads.some((o) => sameCodec(a, o)));
      if (notOffered.length > 0) {
        emit(
          'answer-codec-not-offered',
          `${where} lists ${ptList(notOffered)} in ${line}, which the offer did not contain; RFC 3264 §6.1 allows it, but the offerer will not send it`,
          frames,
          { ...base, payloadTypes: notOffered.map((f) => f.payloadType).join(',') },
        );
      }
    }

    for (const a of am.payloads) {
      const aAmr = amrFmtpOf(a);
      const o = aAmr === undefined ? undefined : matchFormat(a, om.payloads);
      const oAmr = o === undefined ? undefined : amrFmtpOf(o);
      if (aAmr === undefined || o === undefined || oAmr?.modeSet === undefined) continue;
      const props = { ...base, payloadType: a.payloadType, offerPayloadType: o.payloadType, codec: codecName(a) };
      if (aAmr.modeSet === undefined) {
        emit(
          'mode-set-dropped',
          `${where} accepts ${codecName(a)} payload type ${a.payloadType} without a mode-set, but the offer (payload type ${o.payloadType}) had mode-set=${modeSetText(oAmr.modeSet)}; RFC 4867 §8.3.1: the answerer returns the offered mode-set unmodified or rejects the payload type`,
          frames,
          props,
        );
      } else if (!sameModeSet(aAmr.modeSet, oAmr.modeSet)) {
        emit(
          'mode-set-modified',
          `${where} returns ${codecName(a)} payload type ${a.payloadType} with mode-set=${modeSetText(aAmr.modeSet)}, but the offer (payload type ${o.payloadType}) had mode-set=${modeSetText(oAmr.modeSet)}; RFC 4867 §8.3.1: the answerer returns the offered mode-set unmodified or rejects the payload type`,
          frames,
          props,
        );
      }
    }

    const chosen = chosenFormat(om, am);
    if (chosen === undefined) continue;
    const chosenProps = { ...base, payloadType: chosen.answer.payloadType, offerPayloadType: chosen.offer.payloadType, codec: codecName(chosen.answer) };
    const aAmr = amrFmtpOf(chosen.answer);
    const oAmr = amrFmtpOf(chosen.offer);
    if (aAmr !== undefined && oAmr !== undefined) {
      if (aAmr.octetAlign !== oAmr.octetAlign) {
        const mode = (octet: boolean): string => (octet ? 'octet-align=1 (octet-aligned)' : 'octet-align=0 (bandwidth-efficient)');
        emit(
          'octet-align-mismatch',
          `${where} chose ${codecName(chosen.answer)} payload type ${chosen.answer.payloadType} with ${mode(aAmr.octetAlign)}, but the offer had it only with ${mode(oAmr.octetAlign)}; RFC 4867 §8.3.1: octet-align is part of the payload format and the answerer may not change it`,
          frames,
          chosenProps,
        );
      }
      // RFC 4867 §8.1: mode-change-period=N asks the peer's sender to change modes every N frame-blocks;
      // mode-change-capability=1 (the default) says a sender cannot restrict itself to N = 2.
      if (oAmr.modeChangePeriod === 2 && aAmr.modeChangeCapability !== 2) {
        emit(
          'mode-change-period-unsupported',
          `the ${pair.trigger} offer (frame ${offer.frameNo}) asks for mode-change-period=2 on ${codecName(chosen.offer)}, but the ${answerAt} declares mode-change-capability=${aAmr.modeChangeCapability}: the answerer cannot restrict its mode changes; RFC 4867 §8.1`,
          frames,
          chosenProps,
        );
      }
      if (aAmr.modeChangePeriod === 2 && oAmr.modeChangeCapability !== 2) {
        emit(
          'mode-change-period-unsupported',
          `${where} asks for mode-change-period=2 on ${codecName(chosen.answer)}, but the offer declares mode-change-capability=${oAmr.modeChangeCapability}: the offerer cannot restrict its mode changes; RFC 4867 §8.1`,
          frames,
          chosenProps,
        );
      }
    }
    const events = am.payloads.filter(isTelephoneEvent);
    const rate = chosen.answer.clockRate;
    if (events.length > 0 && rate !== undefined && !events.some((e) => e.clockRate === rate)) {
      emit(
        'telephone-event-rate-mismatch',
        `${where} pairs ${codecName(chosen.answer)} (payload type ${chosen.answer.payloadType}) with ${ptList(events)}: no telephone-event at ${rate} Hz; RFC 4733 §2.1: events sent in the audio stream use the clock rate of the codec they accompany`,
        frames,
        { ...chosenProps, telephoneEventRates: events.map((e) => e.clockRate ?? 0).join(',') },
      );
    }
  }
}
