// Decoding one SIP message (one datagram, SCTP message or framed stream message) into a
// SipMessage. Tolerant like deployed stacks: junk and keep-alives before the start line are
// skipped, LF-only line ends and folded lines are accepted, a wrong Content-Length is a warning.
// One linear pass; never throws.
import { decodeError, isDecodeError, type DecodeError } from '../../decode-error.js';
import { findHeaderBlockEnd, parseHeaderBlock } from './header-fields.js';
import { parseDecimal } from './header-syntax.js';
import { SipMessage } from './message.js';
import { nextLineStart, parseStartLine, startLineEnd } from './start-line.js';
import type { SipHeader, SipWarning } from './types.js';

const CR = 0x0d;
const LF = 0x0a;
const utf8 = new TextDecoder('utf-8');

/** Cheap check: do the bytes begin (after optional CRLF keep-alives) with a SIP start line? */
export function looksLikeSip(bytes: Uint8Array): boolean {
  let pos = 0;
  while (pos < bytes.length && (bytes[pos] === CR || bytes[pos] === LF)) pos++;
  return pos < bytes.length && startLineEnd(bytes, pos) >= 0;
}

/**
 * Position of the first start line at or after `from`: at a line start, after any bytes that are
 * not printable ASCII (binary junk, NULs, whitespace). Returns -1 when there is none. With
 * `completeLinesOnly`, a last line without its LF is not tested (a stream may complete it later).
 */
export function findStartLine(bytes: Uint8Array, from = 0, completeLinesOnly = false): number {
  let lineStart = from;
  while (lineStart < bytes.length) {
    const lf = bytes.indexOf(LF, lineStart);
    if (lf < 0 && completeLinesOnly) return -1;
    const lineEnd = lf < 0 ? bytes.length : lf;
    let p = lineStart;
    while (p < lineEnd && (bytes[p]! <= 0x20 || bytes[p]! >= 0x7f)) p++;
    if (p < lineEnd && startLineEnd(bytes, p) >= 0) return p;
    if (lf < 0) return -1;
    lineStart = lf + 1;
  }
  return -1;
}

export function decodeSipMessage(bytes: Uint8Array): SipMessage | DecodeError {
  const warnings: SipWarning[] = [];
  let start = 0;
  while (start < bytes.length && (bytes[start] === CR || bytes[start] === LF)) start++;
  if (start >= bytes.length) return decodeError('sip', 'no SIP start line (empty or keep-alive only)');
  if (startLineEnd(bytes, start) < 0) {
    const found = findStartLine(bytes, start);
    if (found < 0) return decodeError('sip', 'no SIP start line', start);
    warnings.push({ code: 'leading-junk', detail: `${found} byte(s) before the start line skipped` });
    start = found;
  }
  const lineEnd = startLineEnd(bytes, start);
  const startLine = parseStartLine(utf8.decode(bytes.subarray(start, lineEnd)));
  if (isDecodeError(startLine)) return { ...startLine, offset: start };

  // The empty line that ends the header section (CRLF CRLF, tolerating bare LF).
  const headerStart = nextLineStart(bytes, lineEnd);
  const blockEnd = headerStart >= bytes.length ? undefined : findHeaderBlockEnd(bytes, headerStart);
  if (blockEnd === undefined) warnings.push({ code: 'no-header-end', detail: 'message ends without the empty line after the headers' });
  const headerEnd = blockEnd?.headerEnd ?? bytes.length;
  const bodyStart = blockEnd?.bodyStart ?? bytes.length;
  const headerFields = headerStart < headerEnd ? parseHeaderBlock(utf8.decode(bytes.subarray(headerStart, headerEnd)), warnings) : [];
  const bodyEnd = bodyBoundary(headerFields, bytes.length - bodyStart, warnings) + bodyStart;
  return new SipMessage({
    startLine,
    headerFields,
    body: bytes.subarray(bodyStart, bodyEnd),
    raw: bytes.subarray(start, bodyEnd),
    offset: start,
    warnings,
  });
}

/**
 * Body length per Content-Length. RFC 3261 §18.3: on datagram transports bytes beyond
 * Content-Length are discarded, and a missing Content-Length means "to the end of the packet";
 * a Content-Length larger than what is there is a warning and the body is what is there.
 */
function bodyBoundary(fields: readonly SipHeader[], available: number, warnings: SipWarning[]): number {
  let declared: number | undefined;
  let seen = false;
  for (const f of fields) {
    if (f.name !== 'Content-Length') continue;
    const n = parseDecimal(f.value);
    if (n === undefined) {
      warnings.push({ code: 'content-length-invalid', detail: `Content-Length "${f.value.slice(0, 20)}" is not a number` });
      continue;
    }
    if (!seen) {
      declared = n;
      seen = true;
    } else if (n !== declared) {
      warnings.push({ code: 'content-length-conflict', detail: `second Content-Length ${n} differs from ${declared ?? '?'}` });
    }
  }
  if (declared === undefined) return available;
  if (declared > available) {
    warnings.push({ code: 'content-length-short', detail: `Content-Length ${declared} but only ${available} byte(s) present` });
    return available;
  }
  if (declared < available) warnings.push({ code: 'content-length-trailing', detail: `${available - declared} byte(s) after the body ignored` });
  return declared;
}
