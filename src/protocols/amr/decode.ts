// AMR / AMR-WB RTP payload (RFC 4867 §4): payload header (CMR), table of contents, speech data,
// in bandwidth-efficient (§4.3) or octet-aligned (§4.4) mode. decodeAmrFrames fills a reused
// AmrFrameList (the extraction hot path); decodeAmrPayload gives the same result as records.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { copyBitsInto, readBits } from './bit-field.js';
import { AmrFrameList } from './frame-list.js';
import { amrFrameBitsTable } from './frame-types.js';
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

/**
 * Decode a payload into `list` (reused: valid until its next decode); undefined on success.
 * Frame octets are ranges of `list.bytes`: the payload itself where it can be, else a copy.
 */
export function decodeAmrFrames(bytes: Uint8Array, options: AmrPayloadOptions, list: AmrFrameList): DecodeError | undefined {
  return decodeAmrFramesAt(bytes, 0, bytes.length, options, list);
}

/**
 * The payload bytes[start, end), read in place: frame ranges in `list` then index `bytes` itself
 * (octet-aligned) or the list's own octets; error offsets count from `start`.
 */
export function decodeAmrFramesAt(bytes: Uint8Array, start: number, end: number, options: AmrPayloadOptions, list: AmrFrameList): DecodeError | undefined {
  const channels = options.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    return decodeError(LAYER, AMR_DECODE_REASONS.channelCount);
  }
  // RFC 4867 §8.1: crc, robust-sorting and interleaving imply octet-aligned operation.
  const octetOnly = options.crc === true || options.robustSorting === true || options.interleaving === true;
  if (octetOnly && !options.octetAligned) return decodeError(LAYER, AMR_DECODE_REASONS.needsOctetAligned);
  if (options.interleaving === true) return decodeError(LAYER, AMR_DECODE_REASONS.interleaving);
  if (options.robustSorting === true) return decodeError(LAYER, AMR_DECODE_REASONS.robustSorting);
  if (end <= start) return decodeError(LAYER, AMR_DECODE_REASONS.empty, 0);
  list.count = 0;
  list.channels = channels;
  const bits = amrFrameBitsTable(options.wideband);
  if (options.octetAligned) return decodeOctetAligned(bytes, start, end, bits, channels, options.crc === true, list);
  return decodeBandwidthEfficient(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), bits, channels, list);
}

/**
 * For a payload whose table of contents is one entry (F = 0) and whose first two octets are
 * `lead` (big-endian): the bits of them that decide whether it decodes — that entry's F and FT (RFC 4867 §4.4.2 octet-aligned: the
 * second octet; §4.3.2 bandwidth-efficient: bits 4 to 8, after the 4-bit CMR). With the same
 * options and length, a payload whose key equals that of one that decoded to a single frame
 * decodes too: nothing else of it is read to decide (CMR, Q, padding and speech bits are not).
 */
export function singleTocKeyOf(lead: number, octetAligned: boolean): number {
  return octetAligned ? lead & 0xf8 : lead & 0x0f80;
}

function decodeOctetAligned(bytes: Uint8Array, from: number, to: number, bits: Int16Array, channels: number, crc: boolean, list: AmrFrameList): DecodeError | undefined {
  const header = bytes[from] as number;
  // RFC 4867 §4.4.1: CMR (4 bits) then 4 reserved bits, zero.
  let reservedBitsZero = (header & 0x0f) === 0;
  let n = 0;
  let pos = from + 1;
  // RFC 4867 §4.4.2: TOC octets F(1) FT(4) Q(1) P(2) until F = 0.
  for (;;) {
    if (pos >= to) return decodeError(LAYER, AMR_DECODE_REASONS.tocPastEnd, pos - from);
    const entry = bytes[pos] as number;
    const ft = (entry >> 3) & 0x0f;
    if ((bits[ft] as number) < 0) return decodeError(LAYER, AMR_DECODE_REASONS.reservedFrameType, pos - from);
    if ((entry & 0x03) !== 0) reservedBitsZero = false;
    list.reserve(n);
    list.ft[n] = ft;
    list.q[n] = (entry >> 2) & 1;
    n++;
    pos++;
    if ((entry & 0x80) === 0) break;
  }
  list.count = n;
  if (n % channels !== 0) return decodeError(LAYER, AMR_DECODE_REASONS.partialFrameBlock, pos - 1 - from);
  const ft = list.ft;
  if (crc) {
    // RFC 4867 §4.4.2.1: one CRC octet per frame that carries bits; the CRCs are not checked.
    for (let i = 0; i < n; i++) if ((bits[ft[i] as number] as number) > 0) pos++;
    if (pos > to) return decodeError(LAYER, AMR_DECODE_REASONS.short, to - from);
  }
  const start = list.start;
  const end = list.end;
  const pad = list.pad;
  let dirty = false;
  for (let i = 0; i < n; i++) {
    const bitLength = bits[ft[i] as number] as number;
    // RFC 4867 §4.4.3: each frame is padded with zero bits to an octet boundary; set padding
    // bits are flagged and masked off by whoever copies the frame.
    const next = pos + ((bitLength + 7) >> 3);
    if (next > to) return decodeError(LAYER, AMR_DECODE_REASONS.short, to - from);
    start[i] = pos;
    end[i] = next;
    const tail = bitLength & 7;
    if (tail !== 0 && ((bytes[next - 1] as number) & (0xff >> tail)) !== 0) {
      dirty = true;
      pad[i] = (0xff << (8 - tail)) & 0xff;
    } else pad[i] = 0xff;
    pos = next;
  }
  if (pos !== to) return decodeError(LAYER, AMR_DECODE_REASONS.long, pos - from);
  list.cmr = header >> 4;
  list.bytes = bytes;
  list.reservedBitsZero = reservedBitsZero && !dirty;
  return undefined;
}

function decodeBandwidthEfficient(bytes: Uint8Array, bits: Int16Array, channels: number, list: AmrFrameList): DecodeError | undefined {
  const totalBits = bytes.length * 8;
  // RFC 4867 §4.3.1: CMR (4 bits), no reserved bits.
  const cmr = readBits(bytes, 0, 4);
  let bit = 4;
  let n = 0;
  // RFC 4867 §4.3.2: TOC entries F(1) FT(4) Q(1), back to back, until F = 0.
  for (;;) {
    if (bit + 6 > totalBits) return decodeError(LAYER, AMR_DECODE_REASONS.tocPastEnd, bit >> 3);
    const entry = readBits(bytes, bit, 6);
    const ft = (entry >> 1) & 0x0f;
    if ((bits[ft] as number) < 0) return decodeError(LAYER, AMR_DECODE_REASONS.reservedFrameType, bit >> 3);
    list.reserve(n);
    list.ft[n] = ft;
    list.q[n] = entry & 0x01;
    n++;
    bit += 6;
    if ((entry & 0x20) === 0) break;
  }
  list.count = n;
  if (n % channels !== 0) return decodeError(LAYER, AMR_DECODE_REASONS.partialFrameBlock, (bit - 6) >> 3);
  const ft = list.ft;
  let speechBits = 0;
  let octets = 0;
  for (let i = 0; i < n; i++) {
    const b = bits[ft[i] as number] as number;
    speechBits += b;
    octets += (b + 7) >> 3;
  }
  // RFC 4867 §4.3.3: speech bits concatenated, then zero padding to the next octet.
  const used = bit + speechBits;
  if (used > totalBits) return decodeError(LAYER, AMR_DECODE_REASONS.short, bytes.length);
  if (totalBits - used >= 8) return decodeError(LAYER, AMR_DECODE_REASONS.long, (used + 7) >> 3);
  // Frames do not start on octet boundaries: each is shifted into the list's own octets.
  const out = list.scratch(octets);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const bitLength = bits[ft[i] as number] as number;
    list.start[i] = o;
    o = copyBitsInto(bytes, bit, bitLength, out, o);
    list.end[i] = o;
    list.pad[i] = 0xff;
    bit += bitLength;
  }
  list.cmr = cmr;
  list.bytes = out;
  list.reservedBitsZero = readBits(bytes, used, totalBits - used) === 0;
  return undefined;
}

const scratch = new AmrFrameList();

/** The payload as records: TOC entries and frames (octet-aligned frames are views into `bytes` where their padding is clean). */
export function decodeAmrPayload(bytes: Uint8Array, options: AmrPayloadOptions): AmrPayload | DecodeError {
  const error = decodeAmrFrames(bytes, options, scratch);
  if (error !== undefined) return error;
  const { count, channels, ft, q, start, end, pad } = scratch;
  const tocEntries: AmrTocEntry[] = [];
  const frames: AmrFrame[] = [];
  const bitsOf = amrFrameBitsTable(options.wideband);
  for (let i = 0; i < count; i++) {
    const type = ft[i] as number;
    const qBit = q[i] === 1;
    tocEntries.push({ f: i < count - 1, ft: type, q: qBit });
    const s = start[i] as number;
    const e = end[i] as number;
    const mask = pad[i] as number;
    let bits: Uint8Array;
    // A view of the payload where its octets are the frame's (octet-aligned, clean padding), else a copy the caller keeps.
    if (options.octetAligned && mask === 0xff) bits = bytes.subarray(s, e);
    else {
      bits = scratch.bytes.slice(s, e);
      if (e > s) bits[e - s - 1] = (bits[e - s - 1] as number) & mask;
    }
    frames.push({ ft: type, q: qBit, bits, bitLength: bitsOf[type] as number, block: Math.floor(i / channels), channel: i % channels });
  }
  return { wideband: options.wideband, octetAligned: options.octetAligned, cmr: scratch.cmr, tocEntries, frames, reservedBitsZero: scratch.reservedBitsZero };
}
