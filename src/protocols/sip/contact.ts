// Contact (RFC 3261 §20.10) with the parameters IMS registrations rely on: expires, q,
// +sip.instance (RFC 5626 §4.1; urn:gsma:imei per RFC 7254, urn:uuid per RFC 4122),
// reg-id, +g.3gpp.icsi-ref (TS 24.229 §7.9.2) and the other feature tags (RFC 3840 §9).
import { isDecodeError, type DecodeError } from '../../decode-error.js';
import { emptyParams, parseDecimal, type SipParams } from './header-syntax.js';
import { parseNameAddr, type NameAddr } from './name-addr.js';

export interface SipInstance {
  /** The +sip.instance value without quotes and <>: "urn:gsma:imei:35263060-131002-0". */
  readonly urn: string;
  /** RFC 7254 §4: TAC (8) + SNR (6) + spare digit, when the URN is urn:gsma:imei. */
  readonly imei?: { readonly tac: string; readonly snr: string; readonly spare: string; readonly digits: string };
  /** RFC 4122 §3: the UUID when the URN is urn:uuid. */
  readonly uuid?: string;
}

export interface ContactAddress extends NameAddr {
  readonly kind: 'address';
  readonly expires?: number;
  /** RFC 3261 §20.10: qvalue 0 to 1. */
  readonly q?: number;
  readonly instance?: SipInstance;
  readonly regId?: number;
  /** Decoded ICSI values of +g.3gpp.icsi-ref ("urn:urn-7:3gpp-service.ims.icsi.mmtel"). */
  readonly icsiRefs: readonly string[];
  /** Feature-tag parameters (RFC 3840 §9 base tags and every "+" tag), by lower-case name. */
  readonly featureTags: SipParams;
}

/** RFC 3261 §10.2.2: "Contact: *" (remove all bindings). */
export interface ContactStar {
  readonly kind: 'star';
  readonly raw: string;
}

export type Contact = ContactAddress | ContactStar;

// RFC 3840 §9: feature tags registered in the base tree.
const BASE_FEATURE_TAGS = new Set([
  'audio', 'application', 'data', 'control', 'video', 'text', 'automata', 'class', 'duplex', 'mobility',
  'description', 'events', 'priority', 'methods', 'schemes', 'extensions', 'isfocus', 'actor', 'language', 'type',
]);

export function parseContact(text: string): Contact | DecodeError {
  const raw = text.trim();
  if (raw === '*') return { kind: 'star', raw };
  const addr = parseNameAddr(raw);
  if (isDecodeError(addr)) return addr;
  const p = addr.params;
  const expires = p['expires'] === undefined ? undefined : parseDecimal(p['expires'], 0xffffffff);
  const q = p['q'] === undefined ? undefined : parseQValue(p['q']);
  const regId = p['reg-id'] === undefined ? undefined : parseDecimal(p['reg-id'], 0xffffffff);
  const instanceText = p['+sip.instance'];
  const instance = instanceText === undefined ? undefined : parseInstance(instanceText);
  const icsi = p['+g.3gpp.icsi-ref'];
  const icsiRefs = icsi === undefined ? [] : icsi.split(',').map((v) => percentDecode(v.trim())).filter((v) => v.length > 0);
  const featureTags = emptyParams();
  for (const [name, value] of Object.entries(p)) {
    if (name.startsWith('+') || BASE_FEATURE_TAGS.has(name)) featureTags[name] = value;
  }
  return {
    ...addr,
    kind: 'address',
    icsiRefs,
    featureTags,
    ...(expires !== undefined ? { expires } : {}),
    ...(q !== undefined ? { q } : {}),
    ...(instance !== undefined ? { instance } : {}),
    ...(regId !== undefined ? { regId } : {}),
  };
}

function parseQValue(text: string): number | undefined {
  // RFC 3261 §25.1: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  const t = text.trim();
  if (t.length === 0 || t.length > 5) return undefined;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (!(c === 0x2e || (c >= 0x30 && c <= 0x39))) return undefined;
  }
  const v = Number(t);
  return Number.isFinite(v) && v >= 0 && v <= 1 ? v : undefined;
}

function parseInstance(value: string): SipInstance {
  let urn = value.trim();
  if (urn.startsWith('<') && urn.endsWith('>')) urn = urn.slice(1, -1);
  const lower = urn.toLowerCase();
  if (lower.startsWith('urn:gsma:imei:')) {
    // RFC 7254 §4: imeival = tac "-" snr "-" spare
    const body = urn.slice('urn:gsma:imei:'.length);
    const semi = body.indexOf(';');
    const parts = (semi < 0 ? body : body.slice(0, semi)).split('-');
    const [tac, snr, spare] = parts;
    if (parts.length === 3 && tac !== undefined && snr !== undefined && spare !== undefined && isDigits(tac, 8) && isDigits(snr, 6) && isDigits(spare, 1)) {
      return { urn, imei: { tac, snr, spare, digits: tac + snr + spare } };
    }
    return { urn };
  }
  if (lower.startsWith('urn:uuid:')) return { urn, uuid: urn.slice('urn:uuid:'.length).toLowerCase() };
  return { urn };
}

function isDigits(s: string, length: number): boolean {
  if (s.length !== length) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Decodes %HH escapes (RFC 3986 §2.1) as UTF-8; malformed escapes are kept as written. */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  const src = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] ?? 0;
    const h = hexValue(src[i + 1]);
    const l = hexValue(src[i + 2]);
    if (c === 0x25 && h >= 0 && l >= 0) {
      out[n++] = h * 16 + l;
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n).toString('utf8');
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}
