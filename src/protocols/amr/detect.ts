// Guessing the payload format of an AMR stream that no SDP described: octet-aligned or
// bandwidth-efficient (RFC 4867 §4.3 / §4.4) and, when unknown, AMR or AMR-WB.
import { decodeError, isDecodeError, type DecodeError } from '../../decode-error.js';
import { decodeAmrPayload } from './decode.js';
import { amrSamplesPerFrame } from './frame-types.js';

export interface AmrFormatSample {
  readonly payload: Uint8Array;
  /** RTP timestamp of the packet, when known: the clock tells AMR (8 kHz) from AMR-WB (16 kHz). */
  readonly timestamp?: number;
}

export interface AmrFormatGuess {
  readonly wideband: boolean;
  readonly octetAligned: boolean;
  /** high: only this format parses every payload; medium: it parses the most; low: a tie was broken. */
  readonly confidence: 'high' | 'medium' | 'low';
  /** One line saying what decided. */
  readonly note: string;
  /** Payloads this format parses with exact sizes. */
  readonly consistent: number;
  readonly payloads: number;
}

interface Candidate {
  readonly wideband: boolean;
  readonly octetAligned: boolean;
  parsed: number;
  reservedZero: number;
  clockAgrees: number;
  clockDisagrees: number;
}

/** Decide from the first payloads of a stream; `wideband` fixes the codec when it is known. */
export function detectAmrFormat(samples: readonly AmrFormatSample[], wideband?: boolean): AmrFormatGuess | DecodeError {
  if (samples.length === 0) return decodeError('amr', 'no payloads to detect the format from');
  const codecs = wideband === undefined ? [false, true] : [wideband];
  const candidates: Candidate[] = [];
  for (const wb of codecs) {
    for (const octetAligned of [true, false]) {
      candidates.push(score(samples, wb, octetAligned));
    }
  }
  const ranked = candidates.slice().sort(compare);
  const best = ranked[0] as Candidate;
  const second = ranked[1];
  if (best.parsed === 0) return decodeError('amr', 'no payload parses as AMR or AMR-WB in either mode');

  const name = `${best.wideband ? 'AMR-WB' : 'AMR'} ${best.octetAligned ? 'octet-aligned' : 'bandwidth-efficient'}`;
  const result = (confidence: AmrFormatGuess['confidence'], note: string): AmrFormatGuess => ({
    wideband: best.wideband,
    octetAligned: best.octetAligned,
    confidence,
    note,
    consistent: best.parsed,
    payloads: samples.length,
  });
  if (second === undefined || second.parsed < best.parsed) {
    const all = best.parsed === samples.length;
    return result(all ? 'high' : 'medium', `${name}: ${best.parsed} of ${samples.length} payloads parse exactly, next best ${second?.parsed ?? 0}`);
  }
  const why =
    best.reservedZero !== second.reservedZero
      ? 'reserved and padding bits are zero'
      : best.clockAgrees - best.clockDisagrees !== second.clockAgrees - second.clockDisagrees
        ? 'the RTP clock fits the frame duration'
        : 'formats tie; first choice taken';
  return result('low', `${name}: ${best.parsed} of ${samples.length} payloads parse in several formats; ${why}`);
}

function score(samples: readonly AmrFormatSample[], wideband: boolean, octetAligned: boolean): Candidate {
  const c: Candidate = { wideband, octetAligned, parsed: 0, reservedZero: 0, clockAgrees: 0, clockDisagrees: 0 };
  const step = amrSamplesPerFrame(wideband);
  let previous: { timestamp: number; blocks: number } | undefined;
  for (const s of samples) {
    const p = decodeAmrPayload(s.payload, { wideband, octetAligned });
    if (isDecodeError(p)) {
      previous = undefined;
      continue;
    }
    c.parsed++;
    if (p.reservedBitsZero) c.reservedZero++;
    if (s.timestamp !== undefined) {
      const blocks = p.frames.length;
      if (previous !== undefined && previous.blocks > 0) {
        // Timestamps advance by whole 20 ms frames: 160 units at 8 kHz, 320 at 16 kHz (RFC 4867 §4.1).
        const delta = (s.timestamp - previous.timestamp) >>> 0;
        if (delta === previous.blocks * step) c.clockAgrees++;
        else if (delta !== 0 && delta % step !== 0) c.clockDisagrees++;
      }
      previous = { timestamp: s.timestamp, blocks };
    }
  }
  return c;
}

function compare(a: Candidate, b: Candidate): number {
  return (
    b.parsed - a.parsed ||
    b.reservedZero - a.reservedZero ||
    b.clockAgrees - b.clockDisagrees - (a.clockAgrees - a.clockDisagrees)
  );
}
