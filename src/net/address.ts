// Textual IP addresses: IPv4 dotted quad, IPv6 in the RFC 5952 canonical form. Formatting is
// cached so the hot path pays a lookup, not a string build, for addresses it has seen before.

import { i32, u16 } from './read.js';

const V4_CACHE_MAX = 65536;
const V4_SLOTS = 8192; // direct-mapped, power of two
const V6_SLOTS = 4096; // direct-mapped, power of two

export function formatIpv4(buf: Uint8Array, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

/** RFC 5952 §4: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
export function formatIpv6(buf: Uint8Array, off: number): string {
  // RFC 5952 §5: IPv4-mapped addresses (::ffff:0:0/96) keep the dotted quad.
  let mapped = u16(buf, off + 10) === 0xffff;
  for (let i = 0; mapped && i < 10; i += 2) if (u16(buf, off + i) !== 0) mapped = false;
  if (mapped) return `::ffff:${formatIpv4(buf, off + 12)}`;

  let bestStart = -1;
  let bestLen = 1; // a single zero group is not compressed (RFC 5952 §4.2.2)
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (u16(buf, off + 2 * i) === 0) {
      if (runStart < 0) runStart = i;
      const len = i - runStart + 1;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart; // the first of equal runs wins (RFC 5952 §4.2.3)
      }
    } else {
      runStart = -1;
    }
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += u16(buf, off + 2 * i).toString(16);
  }
  return out;
}

/** Cached formatter; one per decoder. */
export class AddressText {
  // IPv4: a direct-mapped first level (no hashing cost), then a Map.
  private readonly v4Keys = new Int32Array(V4_SLOTS);
  private readonly v4Text: (string | undefined)[] = new Array<string | undefined>(V4_SLOTS).fill(undefined);
  private readonly v4 = new Map<number, string>();
  private readonly v6Keys = new Int32Array(V6_SLOTS * 4);
  private readonly v6Text: (string | undefined)[] = new Array<string | undefined>(V6_SLOTS).fill(undefined);

  ipv4(buf: Uint8Array, off: number): string {
    const key = i32(buf, off);
    const slot = (key ^ (key >>> 13)) & (V4_SLOTS - 1);
    const hit = this.v4Text[slot];
    if (hit !== undefined && this.v4Keys[slot] === key) return hit;
    let text = this.v4.get(key);
    if (text === undefined) {
      if (this.v4.size >= V4_CACHE_MAX) this.v4.clear();
      text = formatIpv4(buf, off);
      this.v4.set(key, text);
    }
    this.v4Keys[slot] = key;
    this.v4Text[slot] = text;
    return text;
  }

  ipv6(buf: Uint8Array, off: number): string {
    const a = i32(buf, off);
    const b = i32(buf, off + 4);
    const c = i32(buf, off + 8);
    const d = i32(buf, off + 12);
    let h = Math.imul(a ^ (b >>> 7), 0x9e3779b1) ^ Math.imul(c ^ (d << 5), 0x85ebca6b);
    h = (h ^ (h >>> 15)) & (V6_SLOTS - 1);
    const k = this.v6Keys;
    const i = h * 4;
    const cached = this.v6Text[h];
    if (cached !== undefined && k[i] === a && k[i + 1] === b && k[i + 2] === c && k[i + 3] === d) return cached;
    const text = formatIpv6(buf, off);
    k[i] = a;
    k[i + 1] = b;
    k[i + 2] = c;
    k[i + 3] = d;
    this.v6Text[h] = text;
    return text;
  }
}
