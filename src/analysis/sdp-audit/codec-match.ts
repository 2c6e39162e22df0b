// Pairing payload formats across an offer and its answer. RFC 3264 §6.1: the answer may use
// other payload type numbers, so formats are matched by codec (encoding name, clock rate,
// channels). RFC 4867 §8.3.1: for AMR, each combination of octet-align, crc, robust-sorting and
// interleaving is a payload format of its own, so among several offered formats of the same
// codec the one with the same configuration is the counterpart.
import { amrFmtpOf, type AmrFmtp } from '../../protocols/sdp/amr-fmtp.js';
import type { SdpMedia, SdpPayloadFormat } from '../../protocols/sdp/types.js';

/** Formats that accompany a codec rather than carry the audio (RFC 4733 events, RFC 3389 comfort noise). */
const NOT_CODECS: ReadonlySet<string> = new Set(['telephone-event', 'cn']);

export function isCodec(f: SdpPayloadFormat): boolean {
  return !NOT_CODECS.has(f.encodingKey ?? '');
}

export function isTelephoneEvent(f: SdpPayloadFormat): boolean {
  return f.encodingKey === 'telephone-event';
}

/** RFC 3264 §6.1: the same codec whatever its payload type number. */
export function sameCodec(a: SdpPayloadFormat, b: SdpPayloadFormat): boolean {
  if (a.encodingKey === undefined || b.encodingKey === undefined) return a.payloadType === b.payloadType && a.encodingKey === b.encodingKey;
  return a.encodingKey === b.encodingKey && a.clockRate === b.clockRate && (a.channels ?? 1) === (b.channels ?? 1);
}

/** "AMR-WB/16000", "telephone-event/8000", "PT 96" when nothing names it. */
export function codecName(f: SdpPayloadFormat): string {
  if (f.encodingName === undefined) return `PT ${f.payloadType}`;
  const rate = f.clockRate === undefined ? '' : `/${f.clockRate}`;
  const channels = f.channels !== undefined && f.channels !== 1 ? `/${f.channels}` : '';
  return `${f.encodingName}${rate}${channels}`;
}

/** The a=fmtp parameters as written, "mode-set=0,2;octet-align=1", or '' without any. */
export function fmtpText(f: SdpPayloadFormat): string {
  const entries = Object.entries(f.fmtp);
  if (entries.length === 0) return f.fmtpText ?? '';
  return entries.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join(';');
}

/** RFC 4867 §8.1: the parameters that make an AMR payload format (§8.3.1: not changeable by the answerer). */
function sameConfiguration(a: AmrFmtp, b: AmrFmtp): boolean {
  return a.octetAlign === b.octetAlign && a.crc === b.crc && a.robustSorting === b.robustSorting && a.interleaving === b.interleaving;
}

export function sameModeSet(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  return a.every((m) => b.includes(m));
}

/** Modes both sides allow (mode-set is bidirectional, RFC 4867 §8.3.1); undefined = every mode. */
export function intersectModeSets(a: readonly number[] | undefined, b: readonly number[] | undefined): readonly number[] | undefined {
  if (a === undefined) return b === undefined ? undefined : [...b].sort((x, y) => x - y);
  if (b === undefined) return [...a].sort((x, y) => x - y);
  return a.filter((m) => b.includes(m)).sort((x, y) => x - y);
}

export function modeSetText(modeSet: readonly number[] | undefined): string {
  return modeSet === undefined ? 'all modes' : modeSet.length === 0 ? '(empty)' : [...modeSet].sort((x, y) => x - y).join(',');
}

/**
 * The format among `candidates` that corresponds to `format`: same codec; preferring the same
 * AMR configuration, then the same mode-set, then the same payload type number.
 */
export function matchFormat(format: SdpPayloadFormat, candidates: readonly SdpPayloadFormat[]): SdpPayloadFormat | undefined {
  const amr = amrFmtpOf(format);
  let best: SdpPayloadFormat | undefined;
  let bestScore = -1;
  for (const c of candidates) {
    if (!sameCodec(format, c)) continue;
    let score = c.payloadType === format.payloadType ? 1 : 0;
    const other = amr === undefined ? undefined : amrFmtpOf(c);
    if (amr !== undefined && other !== undefined) {
      if (sameConfiguration(amr, other)) score += 4;
      if (sameModeSet(amr.modeSet, other.modeSet)) score += 2;
    }
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

export interface ChosenFormat {
  readonly answer: SdpPayloadFormat;
  readonly offer: SdpPayloadFormat;
}

/** The first codec of the answer's m= line that the offer also had (RFC 3264 §6.1: in preference order). */
export function chosenFormat(offer: SdpMedia, answer: SdpMedia): ChosenFormat | undefined {
  for (const a of answer.payloads) {
    if (!isCodec(a)) continue;
    const o = matchFormat(a, offer.payloads);
    if (o !== undefined) return { answer: a, offer: o };
  }
  return undefined;
}

/** True for an m= line the answer accepted: a port other than 0 (RFC 3264 §6) and RTP formats. */
export function acceptedMedia(offer: SdpMedia | undefined, answer: SdpMedia | undefined): boolean {
  return offer !== undefined && answer !== undefined && offer.port !== 0 && answer.port !== 0 && answer.payloads.length > 0;
}
