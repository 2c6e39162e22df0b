// RSeq and RAck, the reliable provisional response headers (RFC 3262 §7.1, §7.2).
import { decodeError, type DecodeError } from '../../decode-error.js';
import { parseDecimal } from './header-syntax.js';

export interface RAck {
  /** The RSeq of the provisional response being acknowledged. */
  readonly rseq: number;
  /** The CSeq number and method of that response's request. */
  readonly cseq: number;
  readonly method: string;
}

/** RFC 3262 §7.1: RSeq = 1*DIGIT, 1 to 2**32 - 1. */
export function parseRSeq(text: string): number | DecodeError {
  const n = parseDecimal(text, 0xffffffff);
  return n === undefined || n === 0 ? decodeError('sip-rseq', 'RSeq is not a number from 1 to 2^32-1') : n;
}

/** RFC 3262 §7.2: RAck = response-num LWS CSeq-num LWS Method. */
export function parseRAck(text: string): RAck | DecodeError {
  const parts = text.trim().split(/[ \t]+/);
  if (parts.length !== 3) return decodeError('sip-rack', 'expected "response-num CSeq-num Method"');
  const rseq = parseDecimal(parts[0] ?? '', 0xffffffff);
  const cseq = parseDecimal(parts[1] ?? '', 0xffffffff);
  const method = parts[2] ?? '';
  if (rseq === undefined || cseq === undefined || method.length === 0) return decodeError('sip-rack', 'invalid RAck numbers');
  return { rseq, cseq, method };
}
