// The SDP of a SIP message as an indented tree (RFC 8866 §5): origin, connection, bandwidth,
// then each m= line with its payload formats (rtpmap + fmtp), direction and preconditions.
import { isDecodeError, type DecodeError } from '../../decode-error.js';
import type { SdpAttribute, SdpConnection, SdpMedia, SdpSession } from '../../protocols/sdp/types.js';
import { printable } from './inline.js';

/** a= lines already shown as typed fields above. */
const TYPED_ATTRIBUTES = new Set(['rtpmap', 'fmtp', 'ptime', 'maxptime', 'curr', 'des', 'conf', 'rtcp', 'rtcp-mux', 'mid', 'sendrecv', 'sendonly', 'recvonly', 'inactive']);

function otherAttributes(attributes: readonly SdpAttribute[], indent: string): string[] {
  return attributes.filter((a) => !TYPED_ATTRIBUTES.has(a.name.toLowerCase())).map((a) => `${indent}a=${printable(a.value === undefined ? a.name : `${a.name}:${a.value}`)}`);
}

function connectionText(c: SdpConnection): string {
  return `${c.netType} ${c.addrType} ${c.address}${c.ttl !== undefined ? `/${c.ttl}` : ''}${c.count !== undefined ? `/${c.count}` : ''}`;
}

export function sdpText(sdp: SdpSession | DecodeError, indent: string): string[] {
  if (isDecodeError(sdp)) return [`${indent}[Malformed SDP: ${printable(sdp.reason)}]`];
  const lines = [`${indent}SDP v=${sdp.version}${sdp.name !== undefined ? `  s=${printable(sdp.name)}` : ''}`];
  const o = sdp.origin;
  if (o !== undefined) lines.push(`${indent}  o=${printable(`${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`)}`);
  if (sdp.connection !== undefined) lines.push(`${indent}  c=${printable(connectionText(sdp.connection))}`);
  for (const b of sdp.bandwidth) lines.push(`${indent}  b=${printable(b.type)}:${b.value}`);
  if (sdp.direction !== undefined) lines.push(`${indent}  direction ${sdp.direction}`);
  lines.push(...otherAttributes(sdp.attributes, `${indent}  `));
  for (const m of sdp.media) lines.push(...mediaText(m, `${indent}  `));
  for (const w of sdp.warnings) lines.push(`${indent}  [Warning: ${printable(w)}]`);
  return lines;
}

function mediaText(m: SdpMedia, indent: string): string[] {
  const ports = m.numberOfPorts > 1 ? `${m.port}/${m.numberOfPorts}` : String(m.port);
  const lines = [`${indent}m=${printable(`${m.type} ${ports} ${m.proto} ${m.formats.join(' ')}`)}  ${m.direction}`];
  const inner = `${indent}  `;
  if (m.connection !== undefined) lines.push(`${inner}c=${printable(connectionText(m.connection))}`);
  for (const b of m.bandwidth) lines.push(`${inner}b=${printable(b.type)}:${b.value}`);
  for (const p of m.payloads) {
    const name = p.encodingName !== undefined ? ` ${printable(p.encodingName)}/${p.clockRate ?? '?'}${p.channels !== undefined ? `/${p.channels}` : ''}` : '';
    const fmtp = p.fmtpText !== undefined ? `  fmtp ${printable(p.fmtpText)}` : '';
    lines.push(`${inner}payload ${p.payloadType}${name}${p.staticMapping ? ' (static)' : ''}${fmtp}`);
  }
  if (m.ptime !== undefined) lines.push(`${inner}ptime ${m.ptime}`);
  if (m.maxptime !== undefined) lines.push(`${inner}maxptime ${m.maxptime}`);
  for (const c of m.preconditions) lines.push(`${inner}${c.kind} ${c.type}${c.strength !== undefined ? ` ${c.strength}` : ''} ${c.statusType} ${c.direction}`);
  if (m.rtcp !== undefined) lines.push(`${inner}rtcp ${m.rtcp.port}${m.rtcp.address !== undefined ? ` ${m.rtcp.address}` : ''}`);
  if (m.rtcpMux) lines.push(`${inner}rtcp-mux`);
  if (m.mid !== undefined) lines.push(`${inner}mid ${printable(m.mid)}`);
  lines.push(...otherAttributes(m.attributes, inner));
  return lines;
}
