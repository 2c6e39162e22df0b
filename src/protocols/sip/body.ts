// Message bodies: a single body or the parts of a multipart body (RFC 2046 §5.1; RFC 5621
// for SIP), and the SDP among them.
import { isDecodeError, type DecodeError } from '../../decode-error.js';
import { parseSdp } from '../sdp/parse.js';
import type { SdpSession } from '../sdp/types.js';
import { parseContentType, type ContentType } from './content-type.js';
import { findHeaderBlockEnd, parseHeaderBlock } from './header-fields.js';
import type { SipMessage } from './message.js';
import type { SipHeader, SipWarning } from './types.js';

export interface SipBodyPart {
  /** Lower-case "type/subtype"; "" when the part states no valid Content-Type. */
  readonly mediaType: string;
  readonly contentType?: ContentType;
  /** The part's own MIME headers (empty for a non-multipart body). */
  readonly headers: readonly SipHeader[];
  /** A view into the message body. */
  readonly bytes: Uint8Array;
}

const MAX_NESTING = 4;
const utf8 = new TextDecoder('utf-8');

/** The body as leaf parts: multipart bodies are split (recursively), anything else is one part. */
export function bodyParts(msg: SipMessage): SipBodyPart[] {
  if (msg.body.length === 0) return [];
  const ct = msg.contentType;
  const contentType = ct === undefined || isDecodeError(ct) ? undefined : ct;
  const out: SipBodyPart[] = [];
  collect(msg.body, contentType, [], 0, out);
  return out;
}

/** The first application/sdp part parsed as SDP; undefined when the message carries none. */
export function sdpOf(msg: SipMessage): SdpSession | DecodeError | undefined {
  const text = sdpTextOf(msg);
  return text === undefined ? undefined : parseSdp(text);
}

/** The text of the first application/sdp part, if any. */
export function sdpTextOf(msg: SipMessage): string | undefined {
  const part = bodyParts(msg).find((p) => p.mediaType === 'application/sdp');
  return part === undefined ? undefined : utf8.decode(part.bytes);
}

function collect(bytes: Uint8Array, ct: ContentType | undefined, headers: readonly SipHeader[], depth: number, out: SipBodyPart[]): void {
  const boundary = ct?.params['boundary'];
  if (ct !== undefined && ct.type === 'multipart' && boundary !== undefined && boundary.length > 0 && depth < MAX_NESTING) {
    for (const part of splitMultipart(bytes, boundary)) {
      const partCt = part.contentType === undefined ? undefined : parseContentType(part.contentType);
      collect(part.bytes, partCt === undefined || isDecodeError(partCt) ? undefined : partCt, part.headers, depth + 1, out);
    }
    return;
  }
  out.push({ mediaType: ct?.mediaType ?? '', headers, bytes, ...(ct !== undefined ? { contentType: ct } : {}) });
}

interface RawPart {
  readonly headers: readonly SipHeader[];
  readonly contentType?: string;
  readonly bytes: Uint8Array;
}

/**
 * RFC 2046 §5.1.1: parts are separated by "--boundary" at the start of a line; the CRLF before
 * a delimiter belongs to the delimiter; "--boundary--" closes. Bare LF line ends are tolerated.
 */
function splitMultipart(body: Uint8Array, boundary: string): RawPart[] {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`, 'utf8');
  const parts: RawPart[] = [];
  let partStart = -1;
  let from = 0;
  for (;;) {
    const at = buf.indexOf(delimiter, from);
    if (at < 0) break;
    from = at + delimiter.length;
    if (at > 0 && buf[at - 1] !== 0x0a) continue;
    if (partStart >= 0) {
      let end = at;
      if (end > partStart && buf[end - 1] === 0x0a) end--;
      if (end > partStart && buf[end - 1] === 0x0d) end--;
      parts.push(parsePart(body.subarray(partStart, end)));
    }
    const closing = buf[from] === 0x2d && buf[from + 1] === 0x2d;
    if (closing) return parts;
    // Skip transport padding up to the end of the delimiter line.
    const lf = buf.indexOf(0x0a, from);
    if (lf < 0) return parts;
    partStart = lf + 1;
    from = partStart;
  }
  // No closing delimiter: keep what follows the last delimiter as a final part.
  if (partStart >= 0 && partStart < body.length) parts.push(parsePart(body.subarray(partStart)));
  return parts;
}

function parsePart(bytes: Uint8Array): RawPart {
  // A part may start directly with the empty line (no headers: text/plain by default).
  const end = bytes[0] === 0x0a ? { headerEnd: 0, bodyStart: 1 } : bytes[0] === 0x0d && bytes[1] === 0x0a ? { headerEnd: 0, bodyStart: 2 } : findHeaderBlockEnd(bytes, 0);
  if (end === undefined) return { headers: [], bytes };
  const ignored: SipWarning[] = [];
  const headers = parseHeaderBlock(utf8.decode(bytes.subarray(0, end.headerEnd)), ignored);
  const contentType = headers.find((h) => h.name === 'Content-Type')?.value;
  return { headers, bytes: bytes.subarray(end.bodyStart), ...(contentType !== undefined ? { contentType } : {}) };
}
