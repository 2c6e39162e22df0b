// SIP messages as decode records (RFC 3261 §7): the start line, every header field in order,
// parsed views of the headers IMS work turns on (Via, CSeq, From/To, Contact, authentication,
// security agreement, P-Access-Network-Info), the body parts and the SDP.
import { isDecodeError, type DecodeError } from '../../decode-error.js';
import type { SipEvent } from '../../pipeline/events.js';
import { toHex } from '../../protocols/diameter/hex.js';
import type { SdpSession } from '../../protocols/sdp/types.js';
import { bodyParts } from '../../protocols/sip/body.js';
import { headerKey, isListHeader } from '../../protocols/sip/header-names.js';
import { splitTopLevel } from '../../protocols/sip/header-syntax.js';
import type { AccessNetworkInfo } from '../../protocols/sip/access-network-info.js';
import type { AuthHeader } from '../../protocols/sip/auth.js';
import type { Contact } from '../../protocols/sip/contact.js';
import type { CSeq } from '../../protocols/sip/cseq.js';
import type { SipMessage } from '../../protocols/sip/message.js';
import type { NameAddr } from '../../protocols/sip/name-addr.js';
import type { SecurityMechanism } from '../../protocols/sip/security-agreement.js';
import type { SipStartLine, SipWarning } from '../../protocols/sip/types.js';
import type { Via } from '../../protocols/sip/via.js';
import { inlineFields, printable } from './inline.js';
import { recordMeta, type RecordMeta } from './record.js';
import { sdpText } from './sdp.js';

export interface SipHeaderRecord {
  /** Canonical name ("Call-ID" for "i"). */
  readonly name: string;
  /** The name as written, when it differs (compact forms, other case). */
  readonly rawName?: string;
  readonly value: string;
}

export interface SipBodyPartRecord {
  /** Lower-case "type/subtype"; "" when the part states none. */
  readonly mediaType: string;
  /** The part's own MIME headers (multipart bodies only). */
  readonly headers: readonly SipHeaderRecord[];
  readonly length: number;
  /** Textual media types: the content as UTF-8. */
  readonly text?: string;
  /** Other media types: the content as hex. */
  readonly hex?: string;
}

type Parsed<T> = T | DecodeError;

export interface SipRecord extends RecordMeta {
  readonly proto: 'sip';
  readonly startLine: SipStartLine;
  readonly callId?: string;
  readonly headers: readonly SipHeaderRecord[];
  readonly via: readonly Parsed<Via>[];
  readonly cseq?: Parsed<CSeq>;
  readonly from?: Parsed<NameAddr>;
  readonly to?: Parsed<NameAddr>;
  readonly contacts: readonly Parsed<Contact>[];
  /** RFC 3261 §22 challenges and credentials, by header; present when the message has any. */
  readonly auth?: Partial<Record<AuthHeaderName, readonly Parsed<AuthHeader>[]>>;
  /** RFC 3329 security agreement, by header; present when the message has any. */
  readonly security?: Partial<Record<SecurityHeaderName, readonly Parsed<SecurityMechanism>[]>>;
  /** TS 24.229 §7.2A.4 P-Access-Network-Info values; present when the message has any. */
  readonly accessNetworkInfo?: readonly Parsed<AccessNetworkInfo>[];
  readonly bodyLength: number;
  readonly bodyParts: readonly SipBodyPartRecord[];
  /** The first application/sdp part, parsed (or why it could not be). */
  readonly sdp?: Parsed<SdpSession>;
  readonly warnings: readonly SipWarning[];
}

/** `--proto sdp` alone: the SDP bodies, with the SIP message that carried each. */
export interface SdpRecord extends RecordMeta {
  readonly proto: 'sdp';
  readonly callId?: string;
  /** The carrying message: its method, or its status code and CSeq method ("200 INVITE"). */
  readonly carrier: string;
  readonly sdp: Parsed<SdpSession>;
}

const AUTH_HEADERS = ['WWW-Authenticate', 'Proxy-Authenticate', 'Authorization', 'Proxy-Authorization'] as const;
type AuthHeaderName = (typeof AUTH_HEADERS)[number];
const SECURITY_HEADERS = ['Security-Client', 'Security-Server', 'Security-Verify'] as const;
type SecurityHeaderName = (typeof SECURITY_HEADERS)[number];

const utf8 = new TextDecoder('utf-8');

/** RFC 2046 §4.1 text, SDP and the XML / JSON bodies IMS carries are shown as text. */
function isTextual(mediaType: string): boolean {
  return mediaType.startsWith('text/') || mediaType === 'application/sdp' || mediaType.endsWith('xml') || mediaType.endsWith('json') || mediaType === 'message/sipfrag';
}

function headerRecord(h: { name: string; rawName: string; value: string }): SipHeaderRecord {
  return h.rawName === h.name ? { name: h.name, value: h.value } : { name: h.name, rawName: h.rawName, value: h.value };
}

function byHeader<N extends string, T>(names: readonly N[], parse: (name: N) => readonly T[]): Partial<Record<N, readonly T[]>> | undefined {
  const out: Partial<Record<N, readonly T[]>> = {};
  let any = false;
  for (const name of names) {
    const values = parse(name);
    if (values.length === 0) continue;
    out[name] = values;
    any = true;
  }
  return any ? out : undefined;
}

export function sipRecord(event: SipEvent): SipRecord {
  const m = event.message;
  const auth = byHeader(AUTH_HEADERS, (n) => m.authHeaders(n));
  const security = byHeader(SECURITY_HEADERS, (n) => m.securityMechanisms(n));
  const pani = m.accessNetworkInfo;
  const callId = m.callId;
  const cseq = m.cseq;
  const from = m.from;
  const to = m.to;
  return {
    ...recordMeta(event.meta),
    proto: 'sip',
    startLine: m.startLine,
    ...(callId !== undefined ? { callId } : {}),
    headers: m.headerFields.map(headerRecord),
    via: m.vias,
    ...(cseq !== undefined ? { cseq } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    contacts: m.contacts,
    ...(auth !== undefined ? { auth } : {}),
    ...(security !== undefined ? { security } : {}),
    ...(pani.length > 0 ? { accessNetworkInfo: pani } : {}),
    bodyLength: m.body.length,
    bodyParts: bodyParts(m).map((p) => ({
      mediaType: p.mediaType,
      headers: p.headers.map(headerRecord),
      length: p.bytes.length,
      ...(isTextual(p.mediaType) ? { text: utf8.decode(p.bytes) } : { hex: toHex(p.bytes) }),
    })),
    ...(event.sdp !== undefined ? { sdp: event.sdp } : {}),
    warnings: m.warnings,
  };
}

/** The SDP of a SIP event as its own record; undefined when the message carries none. */
export function sdpRecord(event: SipEvent): SdpRecord | undefined {
  if (event.sdp === undefined) return undefined;
  const callId = event.message.callId;
  return {
    ...recordMeta(event.meta),
    proto: 'sdp',
    ...(callId !== undefined ? { callId } : {}),
    carrier: carrierOf(event.message),
    sdp: event.sdp,
  };
}

function carrierOf(m: SipMessage): string {
  if (m.method !== undefined) return m.method;
  const cseq = m.cseq;
  return `${m.statusCode ?? ''}${cseq !== undefined && !isDecodeError(cseq) ? ` ${cseq.method}` : ''}`;
}

function startLineText(s: SipStartLine): string {
  return s.kind === 'request' ? `${s.method} ${s.requestUri} ${s.version}` : `${s.version} ${s.statusCode} ${s.reasonPhrase}`;
}

/** The parsed view shown under a header line, by lower-case header name and position. */
function parsedViews(r: SipRecord): Map<string, readonly unknown[]> {
  const views = new Map<string, readonly unknown[]>([['via', r.via], ['contact', r.contacts]]);
  if (r.from !== undefined) views.set('from', [r.from]);
  if (r.to !== undefined) views.set('to', [r.to]);
  for (const [name, values] of Object.entries(r.auth ?? {})) views.set(name.toLowerCase(), values as readonly unknown[]);
  for (const [name, values] of Object.entries(r.security ?? {})) views.set(name.toLowerCase(), values as readonly unknown[]);
  if (r.accessNetworkInfo !== undefined) views.set('p-access-network-info', r.accessNetworkInfo);
  return views;
}

export function sipText(r: SipRecord, indent: string): string[] {
  const lines = [`${indent}SIP ${printable(startLineText(r.startLine))}`];
  const views = parsedViews(r);
  const used = new Map<string, number>();
  for (const h of r.headers) {
    lines.push(`${indent}  ${h.rawName ?? h.name}: ${printable(h.value)}`);
    const key = h.name.toLowerCase();
    const list = views.get(key);
    if (list === undefined) continue;
    // List headers carry several values per line (split as SipMessage splits them): show the views of this line's values.
    const from = used.get(key) ?? 0;
    const count = isListHeader(headerKey(h.name)) ? splitTopLevel(h.value, ',').length : 1;
    for (const view of list.slice(from, from + count)) lines.push(`${indent}    ${viewText(view)}`);
    used.set(key, from + count);
  }
  for (const w of r.warnings) lines.push(`${indent}  [Warning ${w.code}: ${printable(w.detail)}]`);
  if (r.bodyLength > 0) {
    lines.push(`${indent}  Message body (${r.bodyLength} bytes)`);
    // `sdp` is the first application/sdp part parsed; any later one is shown as text.
    const sdpPart = r.bodyParts.findIndex((p) => p.mediaType === 'application/sdp');
    r.bodyParts.forEach((p, i) => {
      lines.push(`${indent}    Part ${p.mediaType === '' ? '(no type)' : p.mediaType} (${p.length} bytes)`);
      if (i === sdpPart && r.sdp !== undefined) lines.push(...sdpText(r.sdp, `${indent}      `));
      else if (p.text !== undefined) for (const line of p.text.split(/\r?\n/)) lines.push(`${indent}      ${printable(line)}`);
      else if (p.hex !== undefined) lines.push(`${indent}      ${p.hex}`);
    });
  }
  return lines;
}

export function sdpRecordText(r: SdpRecord, indent: string): string[] {
  return [`${indent}SDP in ${printable(r.carrier)}${r.callId !== undefined ? `  Call-ID ${printable(r.callId)}` : ''}`, ...sdpText(r.sdp, `${indent}  `)];
}

/** Fields the header line already shows as written (parameters, raw text) or that only tag the kind. */
const VIEW_SKIP = new Set(['raw', 'uriText', 'quoted', 'params', 'featureTags', 'protocolName', 'protocolVersion', 'kind', 'cellIdText', 'hostKind']);

function viewText(view: unknown): string {
  if (isDecodeError(view)) return `[Malformed: ${printable(view.reason)}]`;
  return inlineFields(view as object, VIEW_SKIP);
}
