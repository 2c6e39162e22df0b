// SDP text → SdpSession, built on what sdp-transform (plus the precondition rule of grammar.ts)
// reads of it — read in one pass by common-lines.ts when every line is a common one, by
// sdp-transform itself otherwise. The m= line is read here (sdp-transform's grammar has no
// "port/number" form), and every a= line is kept in order per section. Never throws.
import sdpTransform, { type MediaAttributes, type MediaDescription, type SessionDescription } from 'sdp-transform';
import { decodeError, type DecodeError } from '../../decode-error.js';
import { parseCommonSdp, rawSections, type RawSection } from './common-lines.js';
import { parseFmtpParameters } from './fmtp.js';
import { registerSdpGrammar, type RawPrecondition } from './grammar.js';
import { staticPayloadType } from './static-payload-types.js';
import type {
  SdpBandwidth,
  SdpConnection,
  SdpDirection,
  SdpMedia,
  SdpOrigin,
  SdpPayloadFormat,
  SdpPrecondition,
  SdpSession,
} from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type Parsed = SessionDescription & { preconditions?: RawPrecondition[] };
type ParsedMedia = MediaDescription & { preconditions?: RawPrecondition[] };

export function parseSdp(text: string): SdpSession | DecodeError {
  // The common lines of a call's SDP are read in one pass (common-lines.ts); anything else goes
  // through sdp-transform.
  const common = parseCommonSdp(text);
  if (common === undefined) return parseSdpThroughSdpTransform(text);
  if (common.sections === undefined) return decodeError('sdp', NO_VERSION);
  return buildSession(common.sections, common.fields as unknown as Parsed);
}

/** parseSdp with every line read by sdp-transform (what parseSdp does when a line is not a common one). */
export function parseSdpThroughSdpTransform(text: string): SdpSession | DecodeError {
  registerSdpGrammar();
  const sections = rawSections(text);
  if (sections === undefined) return decodeError('sdp', NO_VERSION);
  let parsed: Parsed;
  try {
    parsed = sdpTransform.parse(text) as Parsed;
  } catch (e) {
    return decodeError('sdp', `unparseable session description: ${String(e).slice(0, 80)}`);
  }
  return buildSession(sections, parsed);
}

const NO_VERSION = 'no "v=" line: not a session description';

function buildSession(sections: RawSection[], parsed: Parsed): SdpSession {
  const warnings: string[] = [];
  const version = Number(parsed.version);
  if (version !== 0) warnings.push(`v=${String(parsed.version)} (RFC 8866 §5.1 defines only version 0)`);
  const sessionConnection = connectionOf(parsed.connection);
  const sessionDirection = directionOf(parsed.direction);
  const media: SdpMedia[] = [];
  const parsedMedia = parsed.media as ParsedMedia[];
  for (let i = 0; i < parsedMedia.length; i++) {
    const section = sections[i + 1] ?? { attributes: [] };
    const m = buildMedia(parsedMedia[i]!, section, sessionConnection, sessionDirection, i, warnings);
    if (m !== undefined) media.push(m);
  }
  const origin = originOf(parsed.origin);
  if (origin === undefined) warnings.push('no valid o= line (RFC 8866 §5.2)');
  const session = {
    version: Number.isFinite(version) ? version : 0,
    bandwidth: bandwidthOf(parsed.bandwidth),
    attributes: sections[0]?.attributes ?? [],
    media,
    warnings,
  } as Mutable<SdpSession>;
  if (origin !== undefined) session.origin = origin;
  if (typeof parsed.name === 'string' || typeof parsed.name === 'number') session.name = String(parsed.name);
  if (sessionConnection !== undefined) session.connection = sessionConnection;
  if (sessionDirection !== undefined) session.direction = sessionDirection;
  return session;
}

function buildMedia(
  pm: ParsedMedia,
  section: RawSection,
  sessionConnection: SdpConnection | undefined,
  sessionDirection: SdpDirection | undefined,
  index: number,
  warnings: string[],
): SdpMedia | undefined {
  // RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
  const fields = (section.mLine ?? '').split(' ').filter((f) => f.length > 0);
  const [type, portText, proto] = fields;
  const portMatch = /^(\d{1,5})(?:\/(\d{1,5}))?$/.exec(portText ?? '');
  if (type === undefined || proto === undefined || portMatch === null) {
    warnings.push(`media #${index + 1}: malformed m= line "${(section.mLine ?? '').slice(0, 60)}"`);
    return undefined;
  }
  const port = Number(portMatch[1]);
  const numberOfPorts = portMatch[2] === undefined ? 1 : Number(portMatch[2]);
  if (port > 65535) warnings.push(`media #${index + 1}: port ${port} out of range`);
  const formats = fields.slice(3);
  const payloads = /RTP\//i.test(proto) ? payloadFormats(pm, formats, index, warnings) : [];
  const connection = connectionOf(pm.connection) ?? sessionConnection;
  if (connection === undefined && port !== 0) warnings.push(`media #${index + 1}: no c= line at media or session level (RFC 8866 §5.7)`);
  const ptime = numberOf(pm.ptime);
  const maxptime = numberOf(pm.maxptime);
  const rtcp = pm.rtcp === undefined || numberOf(pm.rtcp.port) === undefined
    ? undefined
    : { port: Number(pm.rtcp.port), ...(pm.rtcp.address !== undefined ? { address: String(pm.rtcp.address) } : {}) };
  const media = {
    type,
    port,
    numberOfPorts,
    proto,
    formats,
    payloads,
    direction: directionOf(pm.direction) ?? sessionDirection ?? 'sendrecv',
    bandwidth: bandwidthOf(pm.bandwidth),
    preconditions: preconditionsOf(pm.preconditions, index, warnings),
    rtcpMux: pm.rtcpMux !== undefined,
    attributes: section.attributes,
  } as Mutable<SdpMedia>;
  // Optional fields set one by one (conditional spreads cost several times more).
  if (connection !== undefined) media.connection = connection;
  if (ptime !== undefined) media.ptime = ptime;
  if (maxptime !== undefined) media.maxptime = maxptime;
  if (rtcp !== undefined) media.rtcp = rtcp;
  if (pm.mid !== undefined) media.mid = String(pm.mid);
  return media;
}

function payloadFormats(pm: MediaAttributes, formats: readonly string[], index: number, warnings: string[]): SdpPayloadFormat[] {
  const rtpmaps = new Map<number, MediaAttributes['rtp'][number]>();
  for (const r of pm.rtp ?? []) {
    const pt = Number(r.payload);
    if (!rtpmaps.has(pt)) rtpmaps.set(pt, r);
  }
  const fmtps = new Map<number, string>();
  for (const f of pm.fmtp ?? []) {
    const pt = Number(f.payload);
    if (!fmtps.has(pt)) fmtps.set(pt, String(f.config));
  }
  const listed = new Set<number>();
  const out: SdpPayloadFormat[] = [];
  for (const fmt of formats) {
    const pt = /^\d{1,3}$/.test(fmt) ? Number(fmt) : NaN;
    if (!(pt <= 127)) {
      warnings.push(`media #${index + 1}: format "${fmt.slice(0, 20)}" is not an RTP payload type`);
      continue;
    }
    if (listed.has(pt)) continue;
    listed.add(pt);
    const fmtpText = fmtps.get(pt);
    const fmtp = fmtpText === undefined ? (Object.create(null) as Record<string, string>) : parseFmtpParameters(fmtpText);
    const map = rtpmaps.get(pt);
    const st = map === undefined ? staticPayloadType(pt) : undefined;
    if (map === undefined && st === undefined) warnings.push(`media #${index + 1}: dynamic payload type ${pt} has no a=rtpmap`);
    const encodingName = map !== undefined ? String(map.codec) : st?.encodingName;
    const clockRate = map !== undefined ? numberOf(map.rate) : st?.clockRate;
    const channels = map !== undefined ? numberOf(map.encoding) : st?.channels;
    // Built field by field: spreading optional parts ({ ...a, ...(x ? { x } : {}) }) costs far more.
    const format = { payloadType: pt, fmtp } as Mutable<SdpPayloadFormat>;
    if (fmtpText !== undefined) format.fmtpText = fmtpText;
    if (encodingName !== undefined) {
      format.encodingName = encodingName;
      format.encodingKey = encodingName.toLowerCase();
    }
    format.staticMapping = st !== undefined;
    if (clockRate !== undefined) format.clockRate = clockRate;
    if (channels !== undefined) format.channels = channels;
    out.push(format);
  }
  for (const pt of rtpmaps.keys()) {
    if (!listed.has(pt)) warnings.push(`media #${index + 1}: a=rtpmap for payload type ${pt} not listed on the m= line`);
  }
  for (const pt of fmtps.keys()) {
    if (!listed.has(pt)) warnings.push(`media #${index + 1}: a=fmtp for payload type ${pt} not listed on the m= line`);
  }
  return out;
}

function connectionOf(c: { version: number; ip: string } | undefined): SdpConnection | undefined {
  if (c === undefined || c.ip === undefined) return undefined;
  const parts = String(c.ip).split('/');
  const address = parts[0] ?? '';
  if (address.length === 0) return undefined;
  const addrType = `IP${String(c.version)}`;
  // RFC 8866 §5.7: IP4 multicast "addr/ttl[/count]", IP6 multicast "addr[/count]".
  const n1 = parts[1] === undefined ? undefined : Number(parts[1]);
  const n2 = parts[2] === undefined ? undefined : Number(parts[2]);
  const extra: { ttl?: number; count?: number } = {};
  if (addrType === 'IP4') {
    if (n1 !== undefined && Number.isInteger(n1)) extra.ttl = n1;
    if (n2 !== undefined && Number.isInteger(n2)) extra.count = n2;
  } else if (n1 !== undefined && Number.isInteger(n1)) {
    extra.count = n1;
  }
  return { netType: 'IN', addrType, address, ...extra };
}

function directionOf(d: unknown): SdpDirection | undefined {
  return d === 'sendrecv' || d === 'sendonly' || d === 'recvonly' || d === 'inactive' ? d : undefined;
}

function bandwidthOf(list: { type: string; limit: number | string }[] | undefined): SdpBandwidth[] {
  const out: SdpBandwidth[] = [];
  for (const b of list ?? []) {
    const value = numberOf(b.limit);
    if (value !== undefined) out.push({ type: String(b.type), value });
  }
  return out;
}

function originOf(o: SessionDescription['origin'] | undefined): SdpOrigin | undefined {
  if (o === undefined || o.address === undefined) return undefined;
  return {
    username: String(o.username),
    sessionId: String(o.sessionId),
    sessionVersion: String(o.sessionVersion),
    netType: String(o.netType),
    addrType: `IP${String(o.ipVer)}`,
    address: String(o.address),
  };
}

function preconditionsOf(list: RawPrecondition[] | undefined, index: number, warnings: string[]): SdpPrecondition[] {
  const out: SdpPrecondition[] = [];
  for (const p of list ?? []) {
    const kind = String(p.kind).toLowerCase();
    const strength = p.strength === undefined ? undefined : String(p.strength).toLowerCase();
    if (kind !== 'curr' && kind !== 'des' && kind !== 'conf') continue;
    // RFC 3312 §5: only desired-status carries a strength-tag.
    if ((kind === 'des') !== (strength !== undefined)) {
      warnings.push(`media #${index + 1}: a=${kind} ${strength === undefined ? 'without' : 'with'} a strength tag (RFC 3312 §5)`);
      continue;
    }
    out.push({
      kind,
      type: String(p.type).toLowerCase(),
      statusType: String(p.statusType).toLowerCase(),
      direction: String(p.direction).toLowerCase(),
      ...(strength !== undefined ? { strength } : {}),
    });
  }
  return out;
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim().length === 0) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
