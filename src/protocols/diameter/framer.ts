// Cuts a TCP byte stream (one direction of a connection, in order) into Diameter messages
// (RFC 6733 §3: each message carries its own length). Several messages per segment and
// messages across segments are both normal. The buffer is bounded: a length above
// maxMessageLength is treated as garbage, and garbage is skipped until the next plausible
// header; while resynchronising, only command codes the dictionary knows are believed, while
// in step any command is taken. A length that lies (runs past the AVPs it covers) is caught by
// walking the AVP chain; the message is cut where a new header starts.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { decodeDiameterMessage, DIAMETER_HEADER_LENGTH, diameterMessageLength, looksLikeDiameter } from './decode.js';
import type { DiameterMessage } from './types.js';

export interface FramedDiameterMessage {
  /** Frame of the segment that completed the message (or in which garbage was found). */
  readonly frameNo: number;
  /** Frame of the segment where the message began (= frameNo when it fits one segment). */
  readonly firstFrameNo: number;
  readonly ts: number;
  readonly message: DiameterMessage | DecodeError;
}

export interface DiameterFramerOptions {
  /** Largest message accepted (RFC 6733 allows 2^24 - 1). Default 1 MiB. */
  readonly maxMessageLength?: number;
}

const DEFAULT_MAX_MESSAGE_LENGTH = 1 << 20;

/**
 * Offset where the chain of top-level AVP headers in bytes[from, to) stops being consistent,
 * or `to` when every AVP header fits (RFC 6733 §4.1: length ≥ header, padded to 4 octets).
 */
export function avpChainEnd(bytes: Uint8Array, from: number, to: number): number {
  let off = from;
  while (off < to) {
    if (to - off < 8) return off;
    const length = (bytes[off + 5]! << 16) | (bytes[off + 6]! << 8) | bytes[off + 7]!;
    const header = (bytes[off + 4]! & 0x80) !== 0 ? 12 : 8;
    if (length < header || off + length > to) return off;
    off += (length + 3) & ~3;
  }
  return Math.min(off, to);
}

export class DiameterStreamFramer {
  private readonly maxMessageLength: number;
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private skipped = 0;
  /** The next byte starts a message (stream start, or right after one): any command code is taken. */
  private synced = true;
  /** Buffered segments from index `segHead` on: stream offset where each begins, and its frame. */
  private segments: { at: number; frameNo: number }[] = [];
  private segHead = 0;
  /** Stream offset of buf[start], counted from when the buffer was last empty. */
  private base = 0;

  constructor(options: DiameterFramerOptions = {}) {
    this.maxMessageLength = options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
  }

  /** Octets held while waiting for the rest of a message. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Feeds the next in-order bytes of the stream; returns the messages they complete. */
  push(bytes: Uint8Array, frameNo: number, ts: number): FramedDiameterMessage[] {
    const out: FramedDiameterMessage[] = [];
    if (this.start === this.end) {
      // Nothing pending: cut messages straight from the caller's view, keep only the tail.
      const used = this.cut(bytes, false, frameNo, ts, out);
      this.append(bytes.subarray(used), frameNo);
    } else {
      this.append(bytes, frameNo);
      this.consume(this.cut(this.buf.subarray(this.start, this.end), true, frameNo, ts, out));
    }
    if (this.start === this.end) this.reset();
    return out;
  }

  /** Bytes were lost before the next push: drop what is pending and resynchronise. */
  gap(): void {
    this.reset();
    this.skipped = 0;
    this.synced = false;
  }

  /** End of the stream: whatever is pending is reported (a truncated message or garbage). */
  flush(frameNo: number, ts: number): FramedDiameterMessage[] {
    const out: FramedDiameterMessage[] = [];
    const view = this.buf.subarray(this.start, this.end);
    let pos = 0;
    while (pos < view.length) {
      if (!this.plausibleHeader(view, pos, this.synced)) {
        this.synced = false;
        const next = this.nextHeader(view, pos + 1);
        this.skipped += (next < 0 ? view.length : next) - pos;
        if (next < 0) break;
        pos = next;
        continue;
      }
      this.reportSkipped(frameNo, ts, out);
      const end = this.messageEnd(view, pos, Math.min(pos + diameterMessageLength(view, pos), view.length));
      out.push({ frameNo, firstFrameNo: this.frameAt(pos), ts, message: decodeDiameterMessage(view.slice(pos, end)) });
      pos = end;
      this.synced = true;
    }
    this.reportSkipped(frameNo, ts, out);
    this.reset();
    return out;
  }

  /** Where the message at `pos` really ends: `end`, or earlier when its AVPs stop and a new header starts. */
  private messageEnd(view: Uint8Array, pos: number, end: number): number {
    const chainEnd = avpChainEnd(view, pos + DIAMETER_HEADER_LENGTH, end);
    if (chainEnd >= end) return end;
    const next = this.nextHeader(view, chainEnd, end);
    return next >= 0 ? next : end;
  }

  /** Resynchronising (after garbage or a gap) also asks for a command code the dictionary knows. */
  private plausibleHeader(view: Uint8Array, off: number, synced = false): boolean {
    return looksLikeDiameter(view, off, synced) && diameterMessageLength(view, off) <= this.maxMessageLength;
  }

  private reportSkipped(frameNo: number, ts: number, out: FramedDiameterMessage[]): void {
    if (this.skipped === 0) return;
    out.push({ frameNo, firstFrameNo: frameNo, ts, message: decodeError('diameter', `skipped ${this.skipped} octets that do not start a Diameter message`) });
    this.skipped = 0;
  }

  /** Emits every complete message at the front of `view`; returns the octets consumed. */
  private cut(view: Uint8Array, owned: boolean, frameNo: number, ts: number, out: FramedDiameterMessage[]): number {
    let pos = 0;
    while (view.length - pos >= DIAMETER_HEADER_LENGTH) {
      if (!this.plausibleHeader(view, pos, this.synced)) {
        // Resynchronise: skip to the next offset that starts a plausible header. The last 19
        // octets are kept, since a header may begin there.
        this.synced = false;
        const next = this.nextHeader(view, pos + 1);
        const stop = next < 0 ? view.length - (DIAMETER_HEADER_LENGTH - 1) : next;
        this.skipped += stop - pos;
        pos = stop;
        if (next < 0) break;
        continue;
      }
      const length = diameterMessageLength(view, pos);
      if (view.length - pos < length) break;
      this.reportSkipped(frameNo, ts, out);
      const end = this.messageEnd(view, pos, pos + length);
      const bytes = owned ? view.slice(pos, end) : view.subarray(pos, end);
      out.push({ frameNo, firstFrameNo: owned ? this.frameAt(pos) : frameNo, ts, message: decodeDiameterMessage(bytes) });
      pos = end;
      this.synced = true;
    }
    return pos;
  }

  /** First offset in [from, limit) where a plausible header starts, or -1. */
  private nextHeader(view: Uint8Array, from: number, limit = view.length): number {
    const last = Math.min(limit, view.length - DIAMETER_HEADER_LENGTH + 1);
    for (let q = from; q < last; q++) {
      if (view[q] === 1 && this.plausibleHeader(view, q)) return q;
    }
    return -1;
  }

  /** Frame of the buffered segment holding buf[start + pos] (binary search: segments are in stream order). */
  private frameAt(pos: number): number {
    const at = this.base + pos;
    let lo = this.segHead;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.at <= at) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo]?.frameNo ?? 0;
  }

  /** Drops `n` octets from the front of the buffer, and the segments they used up. */
  private consume(n: number): void {
    this.start += n;
    this.base += n;
    while (this.segHead + 1 < this.segments.length && this.segments[this.segHead + 1]!.at <= this.base) this.segHead++;
    if (this.segHead > 1024 && this.segHead * 2 > this.segments.length) {
      this.segments = this.segments.slice(this.segHead);
      this.segHead = 0;
    }
  }

  private reset(): void {
    this.start = this.end = 0;
    this.base = 0;
    this.segments = [];
    this.segHead = 0;
  }

  private append(bytes: Uint8Array, frameNo: number): void {
    if (bytes.length === 0) return;
    const pending = this.end - this.start;
    this.segments.push({ at: this.base + pending, frameNo });
    if (this.end + bytes.length > this.buf.length) {
      if (pending + bytes.length <= this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const grown = new Uint8Array(Math.max(2 * this.buf.length, pending + bytes.length, 4096));
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = grown;
      }
      this.start = 0;
      this.end = pending;
    }
    this.buf.set(bytes, this.end);
    this.end += bytes.length;
  }
}
