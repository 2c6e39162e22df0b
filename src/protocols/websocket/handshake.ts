// The HTTP/1.1 opening handshake of a WebSocket connection (RFC 6455 §4.1, §4.2.2): an Upgrade
// request and its "101 Switching Protocols" response, with the subprotocol (RFC 7118 §4: "sip").
import { decodeError, type DecodeError } from '../../decode-error.js';

export interface WebSocketHandshake {
  readonly kind: 'request' | 'response';
  /** Request method and target ("GET", "/"), for requests. */
  readonly method?: string;
  readonly target?: string;
  /** Status code, for responses (101 when the upgrade is accepted). */
  readonly statusCode?: number;
  /** Header fields by lower-case name (last one wins), values trimmed. */
  readonly headers: Readonly<Record<string, string>>;
  /** True when "Upgrade: websocket" is present. */
  readonly upgrade: boolean;
  /** Sec-WebSocket-Protocol values, lower-case. */
  readonly protocols: readonly string[];
  /** Sec-WebSocket-Extensions values as written (e.g. "permessage-deflate; client_max_window_bits"). */
  readonly extensions: readonly string[];
  /** Bytes taken by the handshake, up to and including the empty line. */
  readonly length: number;
}

const latin1 = new TextDecoder('latin1');

/** Do the bytes begin like an HTTP/1.1 request ("GET ") or response ("HTTP/1.")? */
export function looksLikeHttpHandshake(bytes: Uint8Array): boolean {
  const head = latin1.decode(bytes.subarray(0, 8));
  return head.startsWith('GET ') || head.startsWith('HTTP/1.');
}

/** Parses a handshake at the start of `bytes`; 'incomplete' until the empty line has arrived. */
export function parseWebSocketHandshake(bytes: Uint8Array, maxLength = 64 * 1024): WebSocketHandshake | 'incomplete' | DecodeError {
  let end = -1;
  let bodyStart = -1;
  for (let lf = bytes.indexOf(0x0a); lf >= 0; lf = bytes.indexOf(0x0a, lf + 1)) {
    if (bytes[lf + 1] === 0x0a) {
      end = lf + 1;
      bodyStart = lf + 2;
      break;
    }
    if (bytes[lf + 1] === 0x0d && bytes[lf + 2] === 0x0a) {
      end = lf + 1;
      bodyStart = lf + 3;
      break;
    }
    if (lf + 2 >= bytes.length) break;
  }
  if (end < 0) return bytes.length > maxLength ? decodeError('websocket', 'HTTP handshake exceeds the size limit') : 'incomplete';
  const lines = latin1.decode(bytes.subarray(0, end)).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const first = lines[0] ?? '';
  const headers = Object.create(null) as Record<string, string>;
  const protocols: string[] = [];
  const extensions: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = value;
    if (name === 'sec-websocket-protocol') protocols.push(...value.split(',').map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0));
    if (name === 'sec-websocket-extensions') extensions.push(...value.split(',').map((p) => p.trim()).filter((p) => p.length > 0));
  }
  const upgrade = (headers['upgrade'] ?? '').toLowerCase().split(',').some((u) => u.trim() === 'websocket');
  const common = { headers, upgrade, protocols, extensions, length: bodyStart };
  const status = /^HTTP\/1\.\d (\d{3})/.exec(first);
  if (status !== null) return { kind: 'response', statusCode: Number(status[1]), ...common };
  const request = /^([A-Z]+) (\S+) HTTP\/1\.\d$/.exec(first);
  if (request !== null) return { kind: 'request', method: request[1]!, target: request[2]!, ...common };
  return decodeError('websocket', 'not an HTTP/1.1 request or response line');
}
