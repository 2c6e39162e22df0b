// CSeq (RFC 3261 §20.16): a sequence number and the request method.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { parseDecimal } from './header-syntax.js';

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export function parseCSeq(text: string): CSeq | DecodeError {
  const t = text.trim();
  let i = 0;
  while (i < t.length && t.charCodeAt(i) >= 0x30 && t.charCodeAt(i) <= 0x39) i++;
  // RFC 3261 §8.1.1.5: the number "MUST be expressible as a 32-bit unsigned integer".
  const seq = parseDecimal(t.slice(0, i), 0xffffffff);
  if (seq === undefined) return decodeError('sip-cseq', 'missing or out-of-range sequence number');
  const method = t.slice(i).trim();
  if (method.length === 0 || i === t.length || (t[i] !== ' ' && t[i] !== '\t')) return decodeError('sip-cseq', 'missing method');
  return { seq, method };
}
