// The SDP of a VoLTE / VoNR call in one pass. sdp-transform tries its ~50 attribute rules in turn
// on every a= line (and the raw sections took a second split of the text); a call's SDP is the
// same dozen line kinds every time (RFC 8866 v= o= s= c= t= b= m=, a=rtpmap / fmtp / ptime / maxptime / direction, RFC 3312
// preconditions, RFC 3605 rtcp, RFC 5761 rtcp-mux, RFC 5888 mid). Those are read here into what
// sdp-transform would have made of them — the same rules, applied the way its parser applies
// them — and anything else (a line that could mean something else to sdp-transform, a character
// outside printable ASCII) returns undefined: the caller then hands the text to sdp-transform.
// Attributes no field of SdpSession is built from (a=ssrc, a=candidate …) are kept in the raw
// sections only, as sdp-transform's output for them is not read.
import type { RawPrecondition } from './grammar.js';
import { PRECONDITION_RULE } from './grammar.js';
import type { SdpAttribute } from './types.js';

/** An SDP section as written: its m= line (none for the session) and its a= lines in order. */
export interface RawSection {
  mLine?: string;
  attributes: SdpAttribute[];
}

/** The parts of sdp-transform's output SdpSession is built from (its field names and value forms). */
export interface TransformedFields {
  version?: string | number;
  origin?: Record<string, string | number>;
  name?: string | number;
  connection?: { version: number; ip: string };
  direction?: string;
  bandwidth?: { type: string; limit: number | string }[];
  media: TransformedMedia[];
}

export interface TransformedMedia {
  rtp: { payload: number; codec: string; rate?: number | string; encoding?: number | string }[];
  fmtp: { payload: number; config: string }[];
  connection?: { version: number; ip: string };
  direction?: string;
  bandwidth?: { type: string; limit: number | string }[];
  ptime?: number | string;
  maxptime?: number | string;
  rtcp?: Record<string, string | number>;
  rtcpMux?: string;
  mid?: string | number;
  preconditions?: RawPrecondition[];
}

// sdp-transform's rules (grammar.js) for the lines read here, as it writes them.
const VERSION = /^(\d*)$/;
const ORIGIN = /^(\S*) (\d*) (\d*) (\S*) IP(\d) (\S*)/;
const ORIGIN_NAMES = ['username', 'sessionId', 'sessionVersion', 'netType', 'ipVer', 'address'];
const CONNECTION = /^IN IP(\d) (\S*)/;
const CONNECTION_NAMES = ['version', 'ip'];
const BANDWIDTH = /^(TIAS|AS|CT|RR|RS):(\d*)/;
const BANDWIDTH_NAMES = ['type', 'limit'];
const RTPMAP = /^rtpmap:(\d*) ([\w\-.]*)(?:\s*\/(\d*)(?:\s*\/(\S*))?)?/;
const RTPMAP_NAMES = ['payload', 'codec', 'rate', 'encoding'];
const FMTP = /^fmtp:(\d*) ([\S| ]*)/;
const FMTP_NAMES = ['payload', 'config'];
const RTCP = /^rtcp:(\d*)(?: (\S*) IP(\d) (\S*))?/;
const RTCP_NAMES = ['port', 'netType', 'ipVer', 'address'];
const MID = /^mid:([^\s]*)/;
const PTIME = /^ptime:(\d*(?:\.\d*)*)/;
const MAXPTIME = /^maxptime:(\d*(?:\.\d*)*)/;

// The canonical forms taken here: each is matched by the rule above and by no rule sdp-transform
// tries before it (they all begin with their own literal name).
const RTPMAP_LINE = /^rtpmap:\d+ [\w\-.]+\/\d+(?:\/\d+)?$/;
const FMTP_LINE = /^fmtp:\d+ [ -~]*$/;
const PTIME_LINE = /^(?:max)?ptime:\d+(?:\.\d+)?$/;
const RTCP_LINE = /^rtcp:\d+(?: IN IP[46] \S+)?$/;
const MID_LINE = /^mid:\S+$/;
const DIRECTIONS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);
/**
 * Attributes that may begin like one of the lines read here without being in its canonical form
 * ("sendrecvx", "ptime:20ms", "rtcp-muxed", "curr:qos…" that the precondition rule does not
 * take): sdp-transform might read them into a field SdpSession is built from, so they go to it.
 */
const AMBIGUOUS = /^(?:rtpmap|fmtp|ptime|maxptime|sendrecv|recvonly|sendonly|inactive|rtcp|mid|curr|des|conf)/i;
/** Text this reader takes: printable ASCII, tabs and line ends (anything else goes to sdp-transform). */
const PLAIN_TEXT = /^[\t\n\r -~]*$/;

/** The lines of an SDP text, split as sdp-transform splits them. */
function sdpLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** sdp-transform's line filter: a lower-case letter, "=", anything. */
function isSdpLine(line: string): boolean {
  const type = line.charCodeAt(0);
  return line.charCodeAt(1) === 0x3d && type >= 0x61 && type <= 0x7a;
}

/** Files one line into the raw sections: an m= line opens a section, an a= line joins the last. */
function fileLine(sections: RawSection[], type: string, value: string): void {
  if (type === 'm') sections.push({ mLine: value, attributes: [] });
  else if (type === 'a') {
    const colon = value.indexOf(':');
    (sections[sections.length - 1] as RawSection).attributes.push(colon < 0 ? { name: value.trim() } : { name: value.slice(0, colon), value: value.slice(colon + 1) });
  }
}

/** The sections of any SDP text as written (section 0 is the session, then one per m= line); undefined without a v= line. */
export function rawSections(text: string): RawSection[] | undefined {
  const sections: RawSection[] = [{ attributes: [] }];
  let sawVersion = false;
  for (const line of sdpLines(text)) {
    if (!isSdpLine(line)) continue;
    if (line[0] === 'v') sawVersion = true;
    fileLine(sections, line[0] as string, line.slice(2));
  }
  return sawVersion ? sections : undefined;
}

/** sdp-transform's number conversion: a value that reads back the same as a number becomes one. */
function toIntIfInt(v: string): string | number {
  return String(Number(v)) === v ? Number(v) : v;
}

/** The named groups of a match put on `into`, as sdp-transform attaches them (absent groups left out); returns `into`. */
function attach<T extends object>(match: RegExpExecArray, names: readonly string[], into: T): T {
  const fields = into as Record<string, string | number>;
  for (let i = 0; i < names.length; i++) {
    const v = match[i + 1];
    if (v !== undefined) fields[names[i] as string] = toIntIfInt(v);
  }
  return into;
}

/**
 * Sections and sdp-transform's fields of an SDP made only of the common lines; undefined when a
 * line is one this reader does not take (the text then goes to sdp-transform), or when there is
 * no v= line (sections undefined as well: not a session description).
 */
export function parseCommonSdp(text: string): { sections: RawSection[] | undefined; fields: TransformedFields } | undefined {
  if (!PLAIN_TEXT.test(text)) return undefined;
  const sections: RawSection[] = [{ attributes: [] }];
  const fields: TransformedFields = { media: [] };
  // Where sdp-transform puts a line's fields: the session, then the latest media.
  let at: TransformedFields | TransformedMedia = fields;
  let sawVersion = false;
  for (const line of sdpLines(text)) {
    if (!isSdpLine(line)) continue;
    const type = line[0] as string;
    const value = line.slice(2);
    if (type === 'v') sawVersion = true;
    fileLine(sections, type, value);
    switch (type) {
      case 'v': {
        const m = VERSION.exec(value);
        if (m !== null) (at as TransformedFields).version = toIntIfInt(m[1] as string);
        break;
      }
      case 'o': {
        const m = ORIGIN.exec(value);
        if (m !== null) attach(m, ORIGIN_NAMES, ((at as TransformedFields).origin ??= {}));
        break;
      }
      case 's':
        (at as TransformedFields).name = toIntIfInt(value);
        break;
      case 'c': {
        const m = CONNECTION.exec(value);
        if (m !== null) attach(m, CONNECTION_NAMES, (at.connection ??= {} as { version: number; ip: string }));
        break;
      }
      case 'b': {
        const m = BANDWIDTH.exec(value);
        if (m !== null) (at.bandwidth ??= []).push(attach(m, BANDWIDTH_NAMES, {} as { type: string; limit: number | string }));
        break;
      }
      case 'm': {
        const media: TransformedMedia = { rtp: [], fmtp: [] };
        fields.media.push(media);
        at = media;
        break;
      }
      case 'a':
        if (!attribute(value, at)) return undefined;
        break;
      // t=, i=, u=, e=, p=, z=, r=, k=: sdp-transform's fields for them are not read.
    }
  }
  return { sections: sawVersion ? sections : undefined, fields };
}

/** One a= line into `at` as sdp-transform would read it; false when it is not a line taken here. */
function attribute(value: string, at: TransformedFields | TransformedMedia): boolean {
  // (The precondition rule is tried first, as registerSdpGrammar puts it.)
  const pre = PRECONDITION_RULE.reg.exec(value);
  if (pre !== null) {
    ((at as TransformedMedia).preconditions ??= []).push(attach(pre, PRECONDITION_RULE.names, {} as RawPrecondition));
    return true;
  }
  if (DIRECTIONS.has(value)) {
    at.direction = value;
    return true;
  }
  if (value === 'rtcp-mux') {
    (at as TransformedMedia).rtcpMux = value;
    return true;
  }
  const m = at as TransformedMedia;
  if (RTPMAP_LINE.test(value)) {
    (m.rtp ??= []).push(attach(RTPMAP.exec(value) as RegExpExecArray, RTPMAP_NAMES, {} as TransformedMedia['rtp'][number]));
    return true;
  }
  if (FMTP_LINE.test(value)) {
    (m.fmtp ??= []).push(attach(FMTP.exec(value) as RegExpExecArray, FMTP_NAMES, {} as TransformedMedia['fmtp'][number]));
    return true;
  }
  if (PTIME_LINE.test(value)) {
    const max = value.charCodeAt(0) === 0x6d; // "maxptime"
    const match = (max ? MAXPTIME : PTIME).exec(value) as RegExpExecArray;
    if (max) m.maxptime = toIntIfInt(match[1] as string);
    else m.ptime = toIntIfInt(match[1] as string);
    return true;
  }
  if (RTCP_LINE.test(value)) {
    attach(RTCP.exec(value) as RegExpExecArray, RTCP_NAMES, (m.rtcp ??= {}));
    return true;
  }
  if (MID_LINE.test(value)) {
    m.mid = toIntIfInt((MID.exec(value) as RegExpExecArray)[1] as string);
    return true;
  }
  // Anything else is read by sdp-transform into fields not read here, unless it may be taken
  // for one of those above.
  return !AMBIGUOUS.test(value);
}
