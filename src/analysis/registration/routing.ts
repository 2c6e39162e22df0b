// Routing learnt from a registration: the Path the P-CSCF inserted (RFC 3327), the Service-Route
// the registrar returned (RFC 3608), and whether the UE's later initial requests route through it
// (RFC 3608 §6, TS 24.229 §5.1.2A.1.1: Route = P-CSCF, then the Service-Route entries).
import { isDecodeError } from '../../decode-error.js';
import type { SipMessage } from '../../protocols/sip/message.js';
import { parseNameAddr } from '../../protocols/sip/name-addr.js';
import type { SipUri } from '../../protocols/sip/uri.js';

/** Route entries kept per header: real routes have a handful of hops. */
const MAX_ENTRIES = 32;

/** The URIs of a route-like header (Route, Path, Service-Route), as written. */
export function routeUris(message: SipMessage, name: 'Route' | 'Path' | 'Service-Route'): string[] {
  const out: string[] = [];
  for (const text of message.headers(name)) {
    if (out.length >= MAX_ENTRIES) break;
    const n = parseNameAddr(text);
    if (!isDecodeError(n)) out.push(n.uriText);
  }
  return out;
}

function hopKey(uri: SipUri): string {
  return `${uri.user ?? ''}@${(uri.host ?? '').toLowerCase()}:${uri.port ?? ''}`;
}

function keysOf(message: SipMessage, name: 'Route' | 'Service-Route'): string[] {
  const out: string[] = [];
  for (const text of message.headers(name)) {
    if (out.length >= MAX_ENTRIES) break;
    const n = parseNameAddr(text);
    if (!isDecodeError(n) && !isDecodeError(n.uri)) out.push(hopKey(n.uri));
  }
  return out;
}

/** Route keys of a Service-Route list as the 200 OK gave it. */
export function serviceRouteKeys(message: SipMessage): string[] {
  return keysOf(message, 'Service-Route');
}

/** True when the request's Route holds every Service-Route entry, in order (other entries may come before, e.g. the P-CSCF). */
export function routesThrough(request: SipMessage, serviceRoute: readonly string[]): boolean {
  const route = keysOf(request, 'Route');
  let i = 0;
  for (const key of route) if (i < serviceRoute.length && key === serviceRoute[i]) i++;
  return i === serviceRoute.length;
}
