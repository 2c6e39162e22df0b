// Identities of a registered UE: the IMPUs of P-Associated-URI (RFC 7315 §4.1), the MSISDN in a
// tel URI or a user=phone SIP URI (RFC 3966, RFC 3261 §19.1.6), and the IMEI of +sip.instance
// (RFC 7254) compared with the GTPv2 MEI (TS 29.274 §8.10).
import { isDecodeError } from '../../decode-error.js';
import type { SipMessage } from '../../protocols/sip/message.js';
import { parseNameAddr } from '../../protocols/sip/name-addr.js';
import type { SipUri } from '../../protocols/sip/uri.js';

/** The first `max` P-Associated-URI entries, parsed one at a time. */
export function associatedUris(message: SipMessage, max: number): { text: string; uri?: SipUri }[] {
  const out: { text: string; uri?: SipUri }[] = [];
  for (const text of message.headers('P-Associated-URI')) {
    if (out.length >= max) break;
    const n = parseNameAddr(text);
    if (isDecodeError(n)) continue;
    out.push(isDecodeError(n.uri) ? { text: n.uriText } : { text: n.uriText, uri: n.uri });
  }
  return out;
}

function digitsOnly(text: string): string {
  let out = '';
  for (const c of text) if (c >= '0' && c <= '9') out += c;
  return out;
}

/** The E.164 number of a tel URI or of a SIP URI with user=phone (or a "+digits" user part). */
export function msisdnOfUri(uri: SipUri): string | undefined {
  const user = uri.user;
  if (user === undefined) return undefined;
  const number = user.split(';')[0] ?? '';
  const global = number.startsWith('+');
  if (uri.scheme !== 'tel' && uri.params['user'] !== 'phone' && !global) return undefined;
  const digits = digitsOnly(number);
  return digits.length >= 5 ? digits : undefined;
}

export function sameNumber(a: string, b: string): boolean {
  return digitsOnly(a) === digitsOnly(b);
}

/** TAC (8 digits) and serial number (6) are the first 14 digits of an IMEI and of an IMEISV (TS 23.003 §6.2). */
export function sameEquipment(imei: string, mei: string): boolean {
  const a = digitsOnly(imei);
  const b = digitsOnly(mei);
  return a.length >= 14 && b.length >= 14 && a.slice(0, 14) === b.slice(0, 14);
}
