// Content-Type (RFC 3261 §20.15, RFC 2045 §5.1): media type, subtype and parameters.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { parseParams, type SipParams } from './header-syntax.js';

export interface ContentType {
  /** Lower-case "type/subtype", e.g. "application/sdp", "multipart/mixed". */
  readonly mediaType: string;
  readonly type: string;
  readonly subtype: string;
  /** Parameters by lower-case name (boundary, charset, ...), values unquoted. */
  readonly params: SipParams;
}

export function parseContentType(text: string): ContentType | DecodeError {
  const t = text.trim();
  const semi = t.indexOf(';');
  const media = (semi < 0 ? t : t.slice(0, semi)).trim().toLowerCase();
  const slash = media.indexOf('/');
  if (slash <= 0 || slash === media.length - 1) return decodeError('sip-content-type', 'expected type/subtype');
  const type = media.slice(0, slash).trim();
  const subtype = media.slice(slash + 1).trim();
  return { mediaType: `${type}/${subtype}`, type, subtype, params: parseParams(semi < 0 ? '' : t.slice(semi)) };
}
