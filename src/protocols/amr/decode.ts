// AMR / AMR-WB RTP payload (RFC 4867 §4): payload header (CMR), table of contents, speech data,
// in bandwidth-efficient (§4.3) or octet-aligned (§4.4) mode.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { copyBits, readBits } from './bit-field.js';
import { amrFrameTypes, type AmrFrameTypeInfo } from './frame-types.js';
import type { AmrFrame, AmrPayload, AmrPayloadOptions, AmrTocEntry } from './types.js';

/** Stable reasons, so that a caller can count discarded packets by cause. */
export const AMR_DECODE_REASONS = {
  empty: 'empty payload',
  reservedFrameType: 'reserved frame type',
  tocPastEnd: 'TOC runs past the end of the payload',
  short: 'payload shorter than its TOC requires',
  long: 'payload longer than its TOC requires',
  channelCount: 'channel count out of range',
  partialFrameBlock: 'TOC entries do not fill whole frame-blocks',
  needsOctetAligned: 'crc, robust sorting and interleaving require octet-aligned mode',
  interleaving: 'interleaving unsupported',
  robustSorting: 'robust sorting unsupported',
} as const;

export type AmrDecodeReason = (typeof AMR_DECODE_REASONS)[keyof typeof AMR_DECODE_REASONS];

const LAYER = 'amr';
// RFC 4867 §8.1: the channels parameter of audio/AMR and audio/AMR-WB is 1 to 6.
const MAX_CHANNELS = 6;

export function decodeAmrPayload(bytes: Uint8Array, options: AmrPayloadOptions): AmrPayload | DecodeError {
  const channels = options.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    return decodeError(LAYER, AMR_DECODE_REASONS.channelCount);
  }
  // RFC 4867 §8.1: crc, robust-sorting and interleaving imply octet-aligned operation.
  const octetOnly = options.crc === true || options.robustSorting === true || options.interleaving === true;
  if (octetOnly && !options.octetAligned) return decodeError(LAYER, AMR_DECODE_REASONS.needsOctetAligned);
  if (options.interleaving === true) return decodeError(LAYER, AMR_DECODE_REASONS.interleaving);
  if (options.robustSorting === true) return decodeError(LAYER, AMR_DECODE_REASONS.robustSorting);
  if (bytes.length === 0) return decodeError(LAYER, AMR_DECODE_REASONS.empty, 0);
  const table = amrFrameTypes(options.wideband);
  return options.octetAligned
    ? decodeOctetAligned(bytes, table, options.wideband, channels, options.crc === true)
    : decodeBandwidthEfficient(bytes, table, options.wideband, channels);
}

function decodeOctetAligned(
  bytes: Uint8Array,
  table: readonly AmrFrameTypeInfo[],
  wideband: boolean,
  channels: number,
  crc: boolean,
): AmrPayload | DecodeError {
  const header = bytes[0] as number;
  // RFC 4867 §4.4.1: CMR (4 bits) then 4 reserved bits, zero.
  let reservedBitsZero = (header & 0x0f) === 0;
  const tocEntries: AmrTocEntry[] = [];
  let pos = 1;
  // RFC 4867 §4.4.2: TOC octets F(1) FT(4) Q(1) P(2) until F = 0.
  for (;;) {
    const entry = bytes[pos];
    if (entry === undefined) return decodeError(LAYER, AMR_DECODE_REASONS.tocPastEnd, pos);
    const ft = (entry >> 3) & 0x0f;
    if ((table[ft] as AmrFrameTypeInfo).kind === 'reserved') return decodeError(LAYER, AMR_DECODE_REASONS.reservedFrameType, pos);
    if ((entry & 0x03) !== 0) reservedBitsZero = false;
    const f = (entry & 0x80) !== 0;
    tocEntries.push({ f, ft, q: (entry & 0x04) !== 0 });
    pos++;
    if (!f) break;
  }
  if (tocEntries.length % channels !== 0) return decodeError(LAYER, AMR_DECODE_REASONS.partialFrameBlock, pos - 1);
  if (crc) {
    // RFC 4867 §4.4.2.1: one CRC octet per frame that carries bits; the CRCs are not checked.
    for (const e of tocEntries) if ((table[e.ft] as AmrFrameTypeInfo).bits > 0) pos++;
    if (pos > bytes.length) return decodeError(LAYER, AMR_DECODE_REASONS.short, bytes.length);
  }
  const frames: AmrFrame[] = [];
  for (let i = 0; i < tocEntries.length; i++) {
    const e = tocEntries[i] as AmrTocEntry;
    const bitLength = (table[e.ft] as AmrFrameTypeInfo).bits;
    // RFC 4867 §4.4.3: each frame is padded with zero bits to an octet boundary.
    const end = pos + ((bitLength + 7) >> 3);
    if (end > bytes.length) return decodeError(LAYER, AMR_DECODE_REASONS.short, bytes.length);
    const view = bytes.subarray(pos, end);
    const bits = zeroPadding(view, bitLength);
    if (bits !== view) reservedBitsZero = false;
    frames.push({ ft: e.ft, q: e.q, bits, bitLength, block: Math.floor(i / channels), channel: i % channels });
    pos = end;
  }
  if (pos !== bytes.length) return decodeError(LAYER, AMR_DECODE_REASONS.long, pos);
  return { wideband, octetAligned: true, cmr: header >> 4, tocEntries, frames, reservedBitsZero };
}

function decodeBandwidthEfficient(
  bytes: Uint8Array,
  table: readonly AmrFrameTypeInfo[],
  wideband: boolean,
  channels: number,
): AmrPayload | DecodeError {
  const totalBits = bytes.length * 8;
  // RFC 4867 §4.3.1: CMR (4 bits), no reserved bits.
  const cmr = readBits(bytes, 0, 4);
  let bit = 4;
  const tocEntries: AmrTocEntry[] = [];
  // RFC 4867 §4.3.2: TOC entries F(1) FT(4) Q(1), back to back, until F = 0.
  for (;;) {
    if (bit + 6 > totalBits) return decodeError(LAYER, AMR_DECODE_REASONS.tocPastEnd, bit >> 3);
    const entry = readBits(bytes, bit, 6);
    const ft = (entry >> 1) & 0x0f;
    if ((table[ft] as AmrFrameTypeInfo).kind === 'reserved') return decodeError(LAYER, AMR_DECODE_REASONS.reservedFrameType, bit >> 3);
    const f = (entry & 0x20) !== 0;
    tocEntries.push({ f, ft, q: (entry & 0x01) !== 0 });
    bit += 6;
    if (!f) break;
  }
  if (tocEntries.length % channels !== 0) return decodeError(LAYER, AMR_DECODE_REASONS.partialFrameBlock, (bit - 6) >> 3);
  let speechBits = 0;
  for (const e of tocEntries) speechBits += (table[e.ft] as AmrFrameTypeInfo).bits;
  // RFC 4867 §4.3.3: speech bits concatenated, then zero padding to the next octet.
  const used = bit + speechBits;
  if (used > totalBits) return decodeError(LAYER, AMR_DECODE_REASONS.short, bytes.length);
  if (totalBits - used >= 8) return decodeError(LAYER, AMR_DECODE_REASONS.long, (used + 7) >> 3);
  const frames: AmrFrame[] = [];
  for (let i = 0; i < tocEntries.length; i++) {
    const e = tocEntries[i] as AmrTocEntry;
    const bitLength = (table[e.ft] as AmrFrameTypeInfo).bits;
    frames.push({ ft: e.ft, q: e.q, bits: copyBits(bytes, bit, bitLength), bitLength, block: Math.floor(i / channels), channel: i % channels });
    bit += bitLength;
  }
  const reservedBitsZero = readBits(bytes, used, totalBits - used) === 0;
  return { wideband, octetAligned: false, cmr, tocEntries, frames, reservedBitsZero };
}

/** A view when the padding bits of the last octet are already zero, else a cleaned copy. */
function zeroPadding(frame: Uint8Array, bitLength: number): Uint8Array {
  const tail = bitLength & 7;
  if (tail === 0) return frame;
  const last = frame[frame.length - 1] as number;
  const mask = (0xff << (8 - tail)) & 0xff;
  if ((last & ~mask) === 0) return frame;
  const copy = frame.slice();
  copy[copy.length - 1] = last & mask;
  return copy;
}
