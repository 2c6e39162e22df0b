// Event and Subscription-State (RFC 6665 §8.2.1, §8.2.3).
import { decodeError, type DecodeError } from '../../decode-error.js';
import { parseDecimal, parseParams, type SipParams } from './header-syntax.js';

export interface SipEventHeader {
  /** Event package, lower-case, with its template if any: "reg", "presence.winfo". */
  readonly package: string;
  readonly id?: string;
  readonly params: SipParams;
}

export interface SubscriptionState {
  /** Lower-case: "active", "pending", "terminated" or an extension value. */
  readonly state: string;
  readonly expires?: number;
  readonly retryAfter?: number;
  readonly reason?: string;
  readonly params: SipParams;
}

export function parseEventHeader(text: string): SipEventHeader | DecodeError {
  const t = text.trim();
  const semi = t.indexOf(';');
  const pkg = (semi < 0 ? t : t.slice(0, semi)).trim().toLowerCase();
  if (pkg.length === 0) return decodeError('sip-event', 'empty event type');
  const params = parseParams(semi < 0 ? '' : t.slice(semi));
  const id = params['id'];
  return id === undefined ? { package: pkg, params } : { package: pkg, id, params };
}

export function parseSubscriptionState(text: string): SubscriptionState | DecodeError {
  const t = text.trim();
  const semi = t.indexOf(';');
  const state = (semi < 0 ? t : t.slice(0, semi)).trim().toLowerCase();
  if (state.length === 0) return decodeError('sip-subscription-state', 'empty substate');
  const params = parseParams(semi < 0 ? '' : t.slice(semi));
  const expires = params['expires'] === undefined ? undefined : parseDecimal(params['expires'], 0xffffffff);
  const retryAfter = params['retry-after'] === undefined ? undefined : parseDecimal(params['retry-after'], 0xffffffff);
  const reason = params['reason'];
  return {
    state,
    params,
    ...(expires !== undefined ? { expires } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}
