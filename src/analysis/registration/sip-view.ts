// The pieces of a SIP message the registration analysis keys on and records: the hop it was
// seen on, its CSeq, the contact binding, the address-of-record and the private identity.
import { isDecodeError } from '../../decode-error.js';
import type { MessageMeta } from '../../pipeline/events.js';
import type { AuthHeader } from '../../protocols/sip/auth.js';
import { parseContact, type ContactAddress } from '../../protocols/sip/contact.js';
import type { SipMessage } from '../../protocols/sip/message.js';
import type { SipUri } from '../../protocols/sip/uri.js';
import type { Hop, Sighting } from './types.js';

/**
 * The hop a message was seen on. A request from the UE and a response to it carry one Via (the
 * UE's); each proxy (P-CSCF, I-CSCF…) adds its own (RFC 3261 §16.6 step 8).
 */
export function hopOf(message: SipMessage): Hop {
  return message.headers('Via').length <= 1 ? 'ue' : 'network';
}

export function sightingOf(meta: MessageMeta, hop: Hop): Sighting {
  const esp = meta.tunnel.find((t) => t.kind === 'esp');
  return {
    frame: meta.frameNo,
    ts: meta.ts,
    hop,
    transport: meta.transport,
    src: meta.src,
    dst: meta.dst,
    srcPort: meta.srcPort,
    dstPort: meta.dstPort,
    ...(esp !== undefined && esp.kind === 'esp' ? { espSpi: esp.spi } : {}),
  };
}

export function cseqOf(message: SipMessage): { seq: number; method: string } | undefined {
  const c = message.cseq;
  return c === undefined || isDecodeError(c) ? undefined : { seq: c.seq, method: c.method.toUpperCase() };
}

/** user@host of a URI (host lower-case; RFC 3261 §19.1.4 compares hosts case-insensitively). */
export function addressOfRecord(uri: SipUri | undefined): string | undefined {
  if (uri === undefined || uri.host === undefined) return uri?.user;
  const host = uri.host.toLowerCase();
  return uri.user === undefined ? host : `${uri.user}@${host}`;
}

/**
 * The binding key of a contact: user, host and port (RFC 3261 §10.3 compares contacts with the
 * URI rules of §19.1.4, where a parameter present on one side only does not matter).
 */
export function bindingKey(uri: SipUri): string {
  const host = (uri.host ?? '').toLowerCase();
  return `${uri.scheme}:${uri.user ?? ''}@${host}:${uri.port ?? ''}`;
}

export interface ContactView {
  readonly key: string;
  readonly text: string;
  readonly contact?: ContactAddress;
}

/** The first contact of a message ("*" for a remove-all), or undefined without a Contact. */
export function contactOf(message: SipMessage): ContactView | undefined {
  const text = message.headers('Contact')[0];
  const first = text === undefined ? undefined : parseContact(text);
  if (first === undefined || isDecodeError(first)) return undefined;
  if (first.kind === 'star') return { key: '*', text: '*' };
  if (isDecodeError(first.uri)) return { key: `raw:${first.uriText}`, text: first.uriText, contact: first };
  return { key: bindingKey(first.uri), text: first.uriText, contact: first };
}

/** The contact addresses of a message, parsed one at a time (a 200 OK lists every binding, RFC 3261 §10.3 step 8). */
export function* contactAddresses(message: SipMessage): Generator<ContactAddress> {
  for (const text of message.headers('Contact')) {
    const c = parseContact(text);
    if (!isDecodeError(c) && c.kind === 'address') yield c;
  }
}

export function toUri(message: SipMessage): SipUri | undefined {
  const to = message.to;
  if (to === undefined || isDecodeError(to) || isDecodeError(to.uri)) return undefined;
  return to.uri;
}

export function fromUri(message: SipMessage): SipUri | undefined {
  const from = message.from;
  if (from === undefined || isDecodeError(from) || isDecodeError(from.uri)) return undefined;
  return from.uri;
}

/** The Authorization (or Proxy-Authorization) credentials of a request, the first that parses. */
export function credentialsOf(message: SipMessage): AuthHeader | undefined {
  for (const name of ['Authorization', 'Proxy-Authorization'] as const) {
    for (const h of message.authHeaders(name)) if (!isDecodeError(h)) return h;
  }
  return undefined;
}

/**
 * The private identity a REGISTER names: the Authorization username (TS 24.229 §5.1.1.2.1), or,
 * before any credentials, the From address (RFC 3261 §10.2: the AoR being registered).
 */
export function privateIdentityOf(message: SipMessage): { value: string; source: string } | undefined {
  const username = credentialsOf(message)?.username;
  if (username !== undefined && username !== '') return { value: username, source: 'Authorization username' };
  const aor = addressOfRecord(fromUri(message) ?? toUri(message));
  return aor === undefined ? undefined : { value: aor, source: 'From address (no credentials yet)' };
}
