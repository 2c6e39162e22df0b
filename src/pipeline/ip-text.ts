// Addresses written in SDP and SIP (c= lines, Via received=) normalised to the text the network
// layer produces, so a signalled address and a packet's address compare equal.
import { isIPv4, isIPv6 } from 'node:net';
import { formatIpv6 } from '../net/address.js';

/** RFC 5952 canonical text for IPv6, dotted quad for IPv4; undefined when not an address. */
export function canonicalIp(text: string): string | undefined {
  const t = text.trim().replace(/^\[|\]$/g, '');
  if (isIPv4(t)) return t.split('.').map((p) => String(Number(p))).join('.');
  if (!isIPv6(t)) return undefined;
  const bytes = ipv6Bytes(t);
  return bytes === undefined ? undefined : formatIpv6(bytes, 0);
}

function ipv6Bytes(text: string): Uint8Array | undefined {
  let t = text.toLowerCase();
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  const out = new Uint8Array(16);
  let tailV4: number[] | undefined;
  const lastColon = t.lastIndexOf(':');
  if (t.slice(lastColon + 1).includes('.')) {
    tailV4 = t.slice(lastColon + 1).split('.').map(Number);
    t = `${t.slice(0, lastColon + 1)}0:0`;
  }
  const [head, tail] = t.includes('::') ? t.split('::') as [string, string] : [t, undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  if (groups.length !== 8) return undefined;
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = (v >> 8) & 0xff;
    out[2 * i + 1] = v & 0xff;
  });
  if (tailV4) tailV4.forEach((v, i) => (out[12 + i] = v));
  return out;
}
