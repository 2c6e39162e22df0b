// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1): From, To, Contact,
// Route, Record-Route, Path, Service-Route, P-Asserted-Identity, P-Associated-URI...
import { decodeError, type DecodeError } from '../../decode-error.js';
import { parseParams, unquote, type SipParams } from './header-syntax.js';
import { parseUri, type SipUri } from './uri.js';

export interface NameAddr {
  readonly displayName?: string;
  readonly uri: SipUri | DecodeError;
  readonly uriText: string;
  /** Header parameters (after the URI), by lower-case name: tag, expires, q, +sip.instance... */
  readonly params: SipParams;
  readonly tag?: string;
  readonly raw: string;
}

export function parseNameAddr(text: string): NameAddr | DecodeError {
  const raw = text.trim();
  if (raw.length === 0) return decodeError('sip-name-addr', 'empty value');
  let displayName: string | undefined;
  let uriText: string;
  let paramText: string;
  if (raw.charCodeAt(0) === 0x22) {
    const close = closingQuote(raw);
    if (close < 0) return decodeError('sip-name-addr', 'unterminated display name quote');
    displayName = unquote(raw.slice(0, close + 1));
    const lt = raw.indexOf('<', close + 1);
    if (lt < 0 || raw.slice(close + 1, lt).trim().length > 0) return decodeError('sip-name-addr', 'quoted display name without <URI>');
    const gt = raw.indexOf('>', lt + 1);
    if (gt < 0) return decodeError('sip-name-addr', 'unterminated <URI>');
    uriText = raw.slice(lt + 1, gt);
    paramText = raw.slice(gt + 1);
  } else {
    const lt = angleStart(raw);
    if (lt >= 0) {
      const gt = raw.indexOf('>', lt + 1);
      if (gt < 0) return decodeError('sip-name-addr', 'unterminated <URI>');
      const name = raw.slice(0, lt).trim();
      if (name.length > 0) displayName = name;
      uriText = raw.slice(lt + 1, gt);
      paramText = raw.slice(gt + 1);
    } else {
      // RFC 3261 §20.10: without <>, every ";param" after the URI is a header parameter.
      const semi = raw.indexOf(';');
      uriText = semi < 0 ? raw : raw.slice(0, semi);
      paramText = semi < 0 ? '' : raw.slice(semi);
    }
  }
  const trimmedParams = paramText.trim();
  if (trimmedParams.length > 0 && trimmedParams.charCodeAt(0) !== 0x3b) return decodeError('sip-name-addr', 'text after URI is not a parameter');
  const params = parseParams(trimmedParams);
  const uri = parseUri(uriText);
  const tag = params['tag'];
  const out: NameAddr = { uri, uriText: uriText.trim(), params, raw };
  return { ...out, ...(displayName !== undefined ? { displayName } : {}), ...(tag !== undefined ? { tag } : {}) };
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

/** Position of "<" when the value is "display-name <URI>" form, else -1 (addr-spec). */
function angleStart(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3c) return i;
    // ":" or ";" before any "<" means the value starts with an addr-spec (tokens cannot hold them).
    if (c === 0x3a || c === 0x3b) return -1;
  }
  return -1;
}
