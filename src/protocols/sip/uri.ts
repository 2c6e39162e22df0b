// SIP, SIPS and TEL URIs (RFC 3261 §19.1.1, RFC 3966 §3); other schemes are kept opaque.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { emptyParams, parseDecimal, parseParams, type SipParams } from './header-syntax.js';

export interface SipUri {
  /** Lower-case scheme: "sip", "sips", "tel", or any other scheme as written. */
  readonly scheme: string;
  /** sip/sips: the user part as written (escaped, may carry ";" user parameters); tel: the number. */
  readonly user?: string;
  readonly password?: string;
  /** sip/sips host; an IPv6 reference is given without its brackets. */
  readonly host?: string;
  readonly hostKind?: 'ipv4' | 'ipv6' | 'domain';
  readonly port?: number;
  /** uri-parameters (sip/sips) or tel parameters, by lower-case name. */
  readonly params: SipParams;
  /** sip/sips "?name=value&..." headers, by lower-case name. */
  readonly headers: SipParams;
  /** Everything after "scheme:" for schemes other than sip, sips and tel. */
  readonly opaque?: string;
  readonly raw: string;
}

export function parseUri(text: string): SipUri | DecodeError {
  const raw = text.trim();
  const colon = raw.indexOf(':');
  if (colon <= 0) return decodeError('sip-uri', 'no scheme');
  const scheme = raw.slice(0, colon).toLowerCase();
  if (!isSchemeName(scheme)) return decodeError('sip-uri', `invalid scheme "${raw.slice(0, Math.min(colon, 32))}"`);
  const rest = raw.slice(colon + 1);
  if (scheme === 'sip' || scheme === 'sips') return parseSipRest(scheme, rest, raw);
  if (scheme === 'tel') return parseTelRest(rest, raw);
  return { scheme, params: emptyParams(), headers: emptyParams(), opaque: rest, raw };
}

function isSchemeName(s: string): boolean {
  // RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alpha = c >= 0x61 && c <= 0x7a;
    if (i === 0 ? !alpha : !(alpha || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e)) return false;
  }
  return true;
}

function parseSipRest(scheme: string, rest: string, raw: string): SipUri | DecodeError {
  const q = rest.indexOf('?');
  const main = q < 0 ? rest : rest.slice(0, q);
  const headers = q < 0 ? emptyParams() : parseUriHeaders(rest.slice(q + 1));
  const at = main.indexOf('@');
  let user: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const userinfo = main.slice(0, at);
    const pw = userinfo.indexOf(':');
    user = pw < 0 ? userinfo : userinfo.slice(0, pw);
    if (pw >= 0) password = userinfo.slice(pw + 1);
  }
  const hostpart = main.slice(at + 1);
  let host: string;
  let hostKind: 'ipv4' | 'ipv6' | 'domain';
  let i: number;
  if (hostpart.startsWith('[')) {
    const close = hostpart.indexOf(']');
    if (close < 0) return decodeError('sip-uri', 'unterminated IPv6 reference');
    host = hostpart.slice(1, close);
    hostKind = 'ipv6';
    i = close + 1;
  } else {
    i = 0;
    while (i < hostpart.length && hostpart[i] !== ':' && hostpart[i] !== ';') i++;
    host = hostpart.slice(0, i);
    hostKind = isIpv4(host) ? 'ipv4' : 'domain';
  }
  if (host.length === 0) return decodeError('sip-uri', 'empty host');
  let port: number | undefined;
  if (hostpart[i] === ':') {
    let j = i + 1;
    while (j < hostpart.length && hostpart[j] !== ';') j++;
    port = parseDecimal(hostpart.slice(i + 1, j), 65535);
    if (port === undefined) return decodeError('sip-uri', `invalid port "${hostpart.slice(i + 1, Math.min(j, i + 17))}"`);
    i = j;
  }
  if (i < hostpart.length && hostpart[i] !== ';') return decodeError('sip-uri', 'unexpected text after host');
  const params = parseParams(hostpart.slice(i));
  const uri: SipUri = { scheme, host, hostKind, params, headers, raw };
  return {
    ...uri,
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(port !== undefined ? { port } : {}),
  };
}

function parseTelRest(rest: string, raw: string): SipUri | DecodeError {
  // RFC 3966 §3: telephone-subscriber = global-number / local-number, then ;par
  const semi = rest.indexOf(';');
  const user = (semi < 0 ? rest : rest.slice(0, semi)).trim();
  if (user.length === 0) return decodeError('sip-uri', 'empty telephone number');
  return { scheme: 'tel', user, params: parseParams(semi < 0 ? '' : rest.slice(semi)), headers: emptyParams(), raw };
}

function parseUriHeaders(text: string): SipParams {
  const out = emptyParams();
  for (const piece of text.split('&')) {
    const eq = piece.indexOf('=');
    const name = (eq < 0 ? piece : piece.slice(0, eq)).toLowerCase();
    if (name.length > 0 && !(name in out)) out[name] = eq < 0 ? '' : piece.slice(eq + 1);
  }
  return out;
}

function isIpv4(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => p.length > 0 && p.length <= 3 && parseDecimal(p, 255) !== undefined);
}
