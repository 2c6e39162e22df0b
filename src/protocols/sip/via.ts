// Via (RFC 3261 §20.42, §25.1 via-parm; RFC 3581 rport).
import { decodeError, type DecodeError } from '../../decode-error.js';
import { parseDecimal, parseParams, type SipParams } from './header-syntax.js';

export interface Via {
  readonly protocolName: string;
  readonly protocolVersion: string;
  /** Upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS... */
  readonly transport: string;
  /** sent-by host; an IPv6 reference is given without its brackets. */
  readonly host: string;
  readonly port?: number;
  readonly params: SipParams;
  readonly branch?: string;
  readonly received?: string;
  /** RFC 3581 §4: "rport" alone asks for the port (true); "rport=N" reports it. */
  readonly rport?: number | true;
  readonly maddr?: string;
  readonly ttl?: number;
  readonly raw: string;
}

export function parseVia(text: string): Via | DecodeError {
  const raw = text.trim();
  const s1 = raw.indexOf('/');
  const s2 = s1 < 0 ? -1 : raw.indexOf('/', s1 + 1);
  if (s2 < 0) return decodeError('sip-via', 'missing sent-protocol');
  const protocolName = raw.slice(0, s1).trim();
  const protocolVersion = raw.slice(s1 + 1, s2).trim();
  let i = s2 + 1;
  while (i < raw.length && isWs(raw.charCodeAt(i))) i++;
  const tStart = i;
  while (i < raw.length && !isWs(raw.charCodeAt(i)) && raw[i] !== ';') i++;
  const transport = raw.slice(tStart, i).toUpperCase();
  if (protocolName.length === 0 || protocolVersion.length === 0 || transport.length === 0) return decodeError('sip-via', 'incomplete sent-protocol');
  while (i < raw.length && isWs(raw.charCodeAt(i))) i++;
  const semi = raw.indexOf(';', i);
  const sentBy = raw.slice(i, semi < 0 ? raw.length : semi).trim();
  let host: string;
  let portText: string | undefined;
  if (sentBy.startsWith('[')) {
    const close = sentBy.indexOf(']');
    if (close < 0) return decodeError('sip-via', 'unterminated IPv6 reference in sent-by');
    host = sentBy.slice(1, close);
    const after = sentBy.slice(close + 1).trim();
    if (after.length > 0) {
      if (!after.startsWith(':')) return decodeError('sip-via', 'unexpected text after sent-by host');
      portText = after.slice(1);
    }
  } else {
    const colon = sentBy.indexOf(':');
    host = (colon < 0 ? sentBy : sentBy.slice(0, colon)).trim();
    if (colon >= 0) portText = sentBy.slice(colon + 1);
  }
  if (host.length === 0) return decodeError('sip-via', 'empty sent-by host');
  let port: number | undefined;
  if (portText !== undefined) {
    port = parseDecimal(portText, 65535);
    if (port === undefined) return decodeError('sip-via', 'invalid sent-by port');
  }
  const params = parseParams(semi < 0 ? '' : raw.slice(semi));
  const via: Via = { protocolName, protocolVersion, transport, host, params, raw };
  const branch = params['branch'];
  const received = params['received'];
  const maddr = params['maddr'];
  const rportText = params['rport'];
  const rport = rportText === undefined ? undefined : rportText === '' ? true : parseDecimal(rportText, 65535);
  const ttl = params['ttl'] === undefined ? undefined : parseDecimal(params['ttl'], 255);
  return {
    ...via,
    ...(port !== undefined ? { port } : {}),
    ...(branch !== undefined ? { branch } : {}),
    ...(received !== undefined ? { received } : {}),
    ...(rport !== undefined ? { rport } : {}),
    ...(maddr !== undefined ? { maddr } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
  };
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09;
}
