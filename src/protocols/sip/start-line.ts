// Recognising and parsing the SIP start line (RFC 3261 §7.1, §7.2) at the byte level, so that
// junk can be skipped and streams resynchronised without decoding text first.
import { decodeError, type DecodeError } from '../../decode-error.js';
import type { SipStartLine } from './types.js';

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;

/** RFC 3261 §25.1 token characters: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~". */
function isTokenChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f || c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e
  );
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** Matches SIP-Version ("SIP/2.0", case-insensitive letters) at `pos`; returns the end or -1. */
function matchVersion(b: Uint8Array, pos: number): number {
  if (pos + 7 > b.length) return -1;
  if ((b[pos]! | 0x20) !== 0x73 || (b[pos + 1]! | 0x20) !== 0x69 || (b[pos + 2]! | 0x20) !== 0x70 || b[pos + 3] !== 0x2f) return -1;
  let i = pos + 4;
  const majorStart = i;
  while (isDigit(b[i])) i++;
  if (i === majorStart || b[i] !== 0x2e) return -1;
  i++;
  const minorStart = i;
  while (isDigit(b[i])) i++;
  return i === minorStart ? -1 : i;
}

function isLineEnd(b: Uint8Array, i: number): boolean {
  return i >= b.length || b[i] === CR || b[i] === LF;
}

/**
 * When a start line begins at `pos`, returns the index of its terminator (CR, LF, or the end of
 * the bytes); otherwise -1. Scans at most to the end of that one line.
 */
export function startLineEnd(b: Uint8Array, pos: number): number {
  const v = matchVersion(b, pos);
  if (v >= 0) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
    if (b[v] !== SP || !isDigit(b[v + 1]) || !isDigit(b[v + 2]) || !isDigit(b[v + 3])) return -1;
    if (b[v + 1] === 0x30 || b[v + 1]! > 0x36) return -1;
    const after = v + 4;
    if (!isLineEnd(b, after) && b[after] !== SP) return -1;
    let i = after;
    while (i < b.length && b[i] !== CR && b[i] !== LF) i++;
    return i;
  }
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF
  let i = pos;
  while (i < b.length && isTokenChar(b[i]!)) i++;
  if (i === pos || b[i] !== SP) return -1;
  i++;
  const uriStart = i;
  let colon = false;
  while (i < b.length && b[i]! > SP && b[i] !== 0x7f) {
    if (b[i] === 0x3a) colon = true;
    i++;
  }
  if (i === uriStart || !colon || b[i] !== SP) return -1;
  const end = matchVersion(b, i + 1);
  if (end < 0) return -1;
  i = end;
  while (i < b.length && (b[i] === SP || b[i] === 0x09)) i++;
  return isLineEnd(b, i) ? i : -1;
}

/** Index of the first byte of the line after the terminator at `end`. */
export function nextLineStart(b: Uint8Array, end: number): number {
  return b[end] === CR && b[end + 1] === LF ? end + 2 : end + 1;
}

/** Parses a start line already recognised by startLineEnd. */
export function parseStartLine(line: string): SipStartLine | DecodeError {
  if (/^sip\//i.test(line)) {
    const sp1 = line.indexOf(' ');
    if (sp1 < 0) return decodeError('sip', 'status line without status code');
    const statusCode = Number(line.slice(sp1 + 1, sp1 + 4));
    if (!Number.isInteger(statusCode)) return decodeError('sip', 'invalid status code');
    return { kind: 'response', version: line.slice(0, sp1), statusCode, reasonPhrase: line.slice(sp1 + 5).trim() };
  }
  const sp1 = line.indexOf(' ');
  const sp2 = line.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0) return decodeError('sip', 'malformed request line');
  return { kind: 'request', method: line.slice(0, sp1), requestUri: line.slice(sp1 + 1, sp2), version: line.slice(sp2 + 1).trim() };
}
