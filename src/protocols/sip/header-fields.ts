// The header block of a SIP message or MIME body part: where it ends in the bytes, and its
// field lines (RFC 3261 §7.3.1: folded lines joined, names canonicalised). Linear; never throws.
import { canonicalHeaderName } from './header-names.js';
import type { SipHeader, SipWarning } from './types.js';

const CR = 0x0d;
const LF = 0x0a;

export interface HeaderBlockEnd {
  /** Index of the empty line that ends the headers (the headers are [from, headerEnd)). */
  readonly headerEnd: number;
  /** Index of the first body byte. */
  readonly bodyStart: number;
}

/**
 * Finds the empty line (CRLF CRLF, tolerating bare LF) ending a header block whose first line
 * starts at `from`. Returns undefined when the bytes end first.
 */
export function findHeaderBlockEnd(bytes: Uint8Array, from: number): HeaderBlockEnd | undefined {
  let p = from;
  while (p < bytes.length) {
    if (bytes[p] === LF) return { headerEnd: p, bodyStart: p + 1 };
    if (bytes[p] === CR) {
      if (p + 1 >= bytes.length) return undefined;
      if (bytes[p + 1] === LF) return { headerEnd: p, bodyStart: p + 2 };
    }
    const lf = bytes.indexOf(LF, p);
    if (lf < 0) return undefined;
    p = lf + 1;
  }
  return undefined;
}

/** Splits decoded header text into fields; anomalies are appended to `warnings`. */
export function parseHeaderBlock(text: string, warnings: SipWarning[]): SipHeader[] {
  const fields: SipHeader[] = [];
  let rawName = '';
  let name = '';
  let value: string | undefined;
  const flush = (): void => {
    if (value !== undefined) fields.push({ name, rawName, value: value.trim() });
    value = undefined;
  };
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = nl > pos && text.charCodeAt(nl - 1) === CR ? text.slice(pos, nl - 1) : text.slice(pos, nl);
    pos = nl + 1;
    if (line.length === 0) continue;
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      // RFC 3261 §7.3.1: a line starting with whitespace continues the previous field.
      if (value === undefined) warnings.push({ code: 'orphan-continuation', detail: 'continuation line before any header' });
      else value += ' ' + line.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon < 0) {
      warnings.push({ code: 'header-without-colon', detail: `line without ":" ignored: ${line.slice(0, 40)}` });
      continue;
    }
    rawName = line.slice(0, colon).trim();
    if (rawName.length === 0) {
      warnings.push({ code: 'empty-header-name', detail: 'header line with an empty name ignored' });
      continue;
    }
    name = canonicalHeaderName(rawName);
    value = line.slice(colon + 1);
  }
  flush();
  return fields;
}
