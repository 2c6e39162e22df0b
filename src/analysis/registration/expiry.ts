// Registration expiry: what a REGISTER asks for, what the 200 OK grants, when the binding runs
// out and when the UE should refresh it.
import { isDecodeError } from '../../decode-error.js';
import type { ContactAddress } from '../../protocols/sip/contact.js';
import type { SipMessage } from '../../protocols/sip/message.js';
import { bindingKey, contactAddresses, type ContactView } from './sip-view.js';
import type { Fact } from './types.js';

/** RFC 3261 §10.2.1.1: a contact's expires parameter overrides the Expires header field. */
export function requestedExpiry(message: SipMessage, contact: ContactView | undefined, frame: number): Fact<number> | undefined {
  const own = contact?.contact?.expires;
  if (own !== undefined) return { value: own, frame, source: 'Contact expires parameter' };
  const header = message.expires;
  return header === undefined ? undefined : { value: header, frame, source: 'Expires header' };
}

/** A REGISTER that removes bindings: "Contact: *" or an expiry of zero (RFC 3261 §10.2.2). */
export function isRemoval(message: SipMessage, contact: ContactView | undefined): boolean {
  if (contact?.key === '*') return true;
  const header = message.expires;
  let any = false;
  for (const c of contactAddresses(message)) {
    if ((c.expires ?? header) !== 0) return false;
    any = true;
  }
  return any;
}

/**
 * RFC 3261 §10.3 step 8: the 200 OK lists every current binding with its expires parameter;
 * the UE reads its own. Falls back to a lone contact, then to the Expires header.
 */
export function grantedExpiry(message: SipMessage, bindingOfUe: string | undefined, frame: number): Fact<number> | undefined {
  let first: ContactAddress | undefined;
  let count = 0;
  for (const c of contactAddresses(message)) {
    if (bindingOfUe !== undefined && !isDecodeError(c.uri) && bindingKey(c.uri) === bindingOfUe && c.expires !== undefined) {
      return { value: c.expires, frame, source: 'Contact expires in the 200 OK' };
    }
    first ??= c;
    count++;
  }
  if (count === 1 && first?.expires !== undefined) return { value: first.expires, frame, source: 'Contact expires in the 200 OK' };
  const header = message.expires;
  return header === undefined ? undefined : { value: header, frame, source: 'Expires header of the 200 OK' };
}

/**
 * TS 24.229 §5.1.1.4.1: the UE re-registers 600 s before expiry when the registration was for
 * more than 1200 s, else when half of the time has passed.
 */
export function refreshTime(grantedAt: number, seconds: number): number {
  return seconds > 1200 ? grantedAt + seconds - 600 : grantedAt + seconds / 2;
}
