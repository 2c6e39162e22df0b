// Framing SIP messages out of a byte stream (TCP, or TLS once decrypted): RFC 3261 §18.3 —
// on stream transports the Content-Length header delimits the body.
// Several messages per segment and messages across segments are both handled; CRLF
// keep-alives (RFC 5626 §4.4.1) are skipped; garbage is discarded up to the next start line;
// the buffer is bounded (a message larger than maxMessageBytes is reported and skipped).
import { isDecodeError, type DecodeError } from '../../decode-error.js';
import { ByteQueue } from './byte-queue.js';
import { decodeSipMessage, findStartLine } from './decode.js';
import { headerKey } from './header-names.js';
import { parseDecimal } from './header-syntax.js';
import type { SipMessage } from './message.js';
import { nextLineStart, startLineEnd } from './start-line.js';

const CR = 0x0d;
const LF = 0x0a;
const latin1 = new TextDecoder('latin1');

export interface SipFramedMessage {
  readonly kind: 'message';
  /** Owns its bytes (copied out of the stream buffer). */
  readonly message: SipMessage;
  /** Frame whose bytes completed the message. */
  readonly frameNo: number;
  /** Frame holding the first byte of the message. */
  readonly firstFrameNo: number;
  /** Timestamp of the completing frame. */
  readonly ts: number;
}

/** Bytes that could not be framed as SIP and were dropped. */
export interface SipStreamDiscard {
  readonly kind: 'discarded';
  readonly byteCount: number;
  readonly reason: string;
  /** Frame being processed when the bytes were dropped. */
  readonly frameNo: number;
  readonly firstFrameNo: number;
}

/** A complete message whose start line was found but which failed to decode (rare). */
export interface SipStreamError {
  readonly kind: 'error';
  readonly error: DecodeError;
  readonly frameNo: number;
  readonly firstFrameNo: number;
}

export type SipStreamItem = SipFramedMessage | SipStreamDiscard | SipStreamError;

export interface SipStreamFramerOptions {
  /** Largest message (headers + body) buffered; larger ones are discarded. Default 1 MiB. */
  readonly maxMessageBytes?: number;
}

export class SipStreamFramer {
  private readonly maxMessageBytes: number;
  private readonly queue = new ByteQueue();
  // Scan state for the message at head, so each byte is examined a bounded number of times:
  /** The first line is a verified start line. */
  private startVerified = false;
  /** Start of the header line being examined (relative to head). */
  private lineStart = 0;
  /** Bytes [lineStart, scanPos) are known to hold no LF. */
  private scanPos = 0;

  constructor(options: SipStreamFramerOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
  }

  /** Bytes currently held waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.queue.length;
  }

  /** Appends the next in-order bytes of the stream and returns what they completed. */
  push(bytes: Uint8Array, frameNo: number, ts: number): SipStreamItem[] {
    this.queue.append(bytes, frameNo);
    const out: SipStreamItem[] = [];
    this.drain(frameNo, ts, out);
    return out;
  }

  /** Bytes were lost before the next push (TCP gap): drops any partial message. */
  gap(frameNo: number): SipStreamItem[] {
    const out: SipStreamItem[] = [];
    if (this.bufferedBytes > 0) this.discard(this.bufferedBytes, 'partial message before a stream gap', frameNo, out);
    return out;
  }

  /** End of the stream: reports any partial message left in the buffer. */
  end(frameNo: number): SipStreamItem[] {
    const out: SipStreamItem[] = [];
    if (this.bufferedBytes > 0) this.discard(this.bufferedBytes, 'incomplete message at end of stream', frameNo, out);
    return out;
  }

  private drain(frameNo: number, ts: number, out: SipStreamItem[]): void {
    for (;;) {
      const view = this.queue.view();
      if (!this.startVerified) {
        // RFC 5626 §4.4.1: CRLF keep-alives between messages are not errors.
        let skip = 0;
        while (skip < view.length && (view[skip] === CR || view[skip] === LF)) skip++;
        if (skip > 0) {
          this.consume(skip);
          continue;
        }
        if (view.length === 0) return;
        // Until the start line is verified, scanPos marks how far the first line holds no LF.
        const lf = view.indexOf(LF, this.scanPos);
        if (lf < 0) {
          this.scanPos = view.length;
          if (view.length > this.maxMessageBytes) this.discard(view.length, 'no line end within the size limit', frameNo, out);
          return;
        }
        const lineEnd = startLineEnd(view, 0);
        if (lineEnd < 0) {
          this.resync(view, frameNo, out);
          continue;
        }
        this.startVerified = true;
        this.lineStart = nextLineStart(view, lineEnd);
        this.scanPos = this.lineStart;
      }
      const block = this.findHeaderEnd(view);
      if (block === undefined) {
        if (view.length > this.maxMessageBytes) this.discard(view.length, `headers exceed ${this.maxMessageBytes} bytes`, frameNo, out);
        return;
      }
      const contentLength = declaredContentLength(view.subarray(0, block.headerEnd));
      const total = block.bodyStart + contentLength;
      if (total > this.maxMessageBytes) {
        // A lying or huge Content-Length: drop the headers, then resynchronise on what follows.
        this.discard(block.bodyStart, `Content-Length ${contentLength} exceeds the ${this.maxMessageBytes}-byte limit`, frameNo, out);
        continue;
      }
      if (view.length < total) return;
      const firstFrameNo = this.queue.frameAt();
      const copy = view.slice(0, total);
      this.consume(total);
      const message = decodeSipMessage(copy);
      if (isDecodeError(message)) out.push({ kind: 'error', error: message, frameNo, firstFrameNo });
      else out.push({ kind: 'message', message, frameNo, firstFrameNo, ts });
    }
  }

  /** Resumable search for the empty line ending the headers (CRLF CRLF, tolerating bare LF). */
  private findHeaderEnd(view: Uint8Array): { headerEnd: number; bodyStart: number } | undefined {
    for (;;) {
      const p = this.lineStart;
      if (this.scanPos === p) {
        if (p >= view.length) return undefined;
        if (view[p] === LF) return { headerEnd: p, bodyStart: p + 1 };
        if (view[p] === CR) {
          if (p + 1 >= view.length) return undefined;
          if (view[p + 1] === LF) return { headerEnd: p, bodyStart: p + 2 };
        }
        this.scanPos = p + 1;
      }
      const lf = view.indexOf(LF, this.scanPos);
      if (lf < 0) {
        this.scanPos = view.length;
        return undefined;
      }
      this.lineStart = lf + 1;
      this.scanPos = lf + 1;
    }
  }

  /** Drops bytes before the next start line; keeps an incomplete last line for later. */
  private resync(view: Uint8Array, frameNo: number, out: SipStreamItem[]): void {
    const found = findStartLine(view, 0, true);
    if (found > 0) {
      this.discard(found, 'bytes before a SIP start line', frameNo, out);
      return;
    }
    const lastLf = view.lastIndexOf(LF);
    if (lastLf >= 0) this.discard(lastLf + 1, 'bytes without a SIP start line', frameNo, out);
  }

  private discard(count: number, reason: string, frameNo: number, out: SipStreamItem[]): void {
    out.push({ kind: 'discarded', byteCount: count, reason, frameNo, firstFrameNo: this.queue.frameAt() });
    this.consume(count);
  }

  private consume(count: number): void {
    this.queue.consume(count);
    this.startVerified = false;
    this.lineStart = 0;
    this.scanPos = 0;
  }
}

/** Content-Length from a header block (bytes); 0 when absent or unreadable (RFC 3261 §18.3). */
function declaredContentLength(headers: Uint8Array): number {
  let pos = 0;
  while (pos < headers.length) {
    let lf = headers.indexOf(LF, pos);
    if (lf < 0) lf = headers.length;
    let colon = pos;
    while (colon < lf && colon - pos < 24 && headers[colon] !== 0x3a) colon++;
    if (colon < lf && headers[colon] === 0x3a) {
      const name = latin1.decode(headers.subarray(pos, colon)).trim();
      if (headerKey(name) === 'content-length') {
        const value = latin1.decode(headers.subarray(colon + 1, lf)).trim();
        return parseDecimal(value) ?? 0;
      }
    }
    pos = lf + 1;
  }
  return 0;
}
