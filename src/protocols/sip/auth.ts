// WWW-Authenticate / Proxy-Authenticate challenges and Authorization / Proxy-Authorization
// credentials (RFC 3261 §20.7, §20.27, §25.1; RFC 7616; Digest AKA RFC 3310 / RFC 4169;
// IMS parameters integrity-protected, ik, ck from TS 24.229 §7.2A.1 and §7.2A.2).
import { decodeError, type DecodeError } from '../../decode-error.js';
import { emptyParams, splitTopLevel, unquote, type SipParams } from './header-syntax.js';

export interface AuthHeader {
  /** Authentication scheme as written, e.g. "Digest". */
  readonly scheme: string;
  /** Every parameter by lower-case name, values unquoted. */
  readonly params: SipParams;
  /** Lower-case names of the parameters that were written as quoted-strings. */
  readonly quoted: readonly string[];
  readonly username?: string;
  readonly realm?: string;
  readonly nonce?: string;
  readonly uri?: string;
  readonly response?: string;
  /** As written: "MD5", "AKAv1-MD5", "AKAv2-MD5"... */
  readonly algorithm?: string;
  /** Challenge: the offered qop-options; credentials: the chosen qop. */
  readonly qop?: readonly string[];
  readonly nc?: string;
  readonly cnonce?: string;
  readonly opaque?: string;
  /** RFC 3310 §3.4: base64 AUTS after a synchronisation failure. */
  readonly auts?: string;
  /** TS 24.229 §7.2A.2: hex integrity and cipher keys (Cx/Mw challenge to the P-CSCF). */
  readonly ik?: string;
  readonly ck?: string;
  /** TS 24.229 §7.2A.1: "yes", "no", "tls-pending", "tls-yes", "ip-assoc-pending", "ip-assoc-yes", "auth-done". */
  readonly integrityProtected?: string;
  /** RFC 3261 §25.1: stale=TRUE in a challenge. */
  readonly stale?: boolean;
}

/** Parses one challenge or credentials value (the same grammar for both directions). */
export function parseAuthHeader(text: string): AuthHeader | DecodeError {
  const t = text.trim();
  let i = 0;
  while (i < t.length && t[i] !== ' ' && t[i] !== '\t') i++;
  const scheme = t.slice(0, i);
  if (scheme.length === 0 || scheme.includes('=')) return decodeError('sip-auth', 'missing authentication scheme');
  const params = emptyParams();
  const quoted: string[] = [];
  for (const piece of splitTopLevel(t.slice(i), ',')) {
    const eq = piece.indexOf('=');
    const name = (eq < 0 ? piece : piece.slice(0, eq)).trim().toLowerCase();
    if (name.length === 0 || name in params) continue;
    const rawValue = eq < 0 ? '' : piece.slice(eq + 1).trim();
    if (rawValue.startsWith('"')) quoted.push(name);
    params[name] = unquote(rawValue);
  }
  const qopText = params['qop'];
  const qop = qopText === undefined ? undefined : qopText.split(',').map((q) => q.trim()).filter((q) => q.length > 0);
  const staleText = params['stale'];
  const out: AuthHeader = { scheme, params, quoted };
  const pick = (name: string, key: keyof AuthHeader): Partial<AuthHeader> => {
    const v = params[name];
    return v === undefined ? {} : { [key]: v };
  };
  return {
    ...out,
    ...pick('username', 'username'),
    ...pick('realm', 'realm'),
    ...pick('nonce', 'nonce'),
    ...pick('uri', 'uri'),
    ...pick('response', 'response'),
    ...pick('algorithm', 'algorithm'),
    ...pick('nc', 'nc'),
    ...pick('cnonce', 'cnonce'),
    ...pick('opaque', 'opaque'),
    ...pick('auts', 'auts'),
    ...pick('ik', 'ik'),
    ...pick('ck', 'ck'),
    ...pick('integrity-protected', 'integrityProtected'),
    ...(qop !== undefined ? { qop } : {}),
    ...(staleText !== undefined ? { stale: staleText.toLowerCase() === 'true' } : {}),
  };
}
