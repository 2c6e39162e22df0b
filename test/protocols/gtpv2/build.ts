// Builds GTPv2-C messages for tests (TS 29.274 §5.1 header, §8.2.1 IEs), so each test states
// its message in a few readable lines.
import { concat } from '../diameter/build.js';

export { concat, hex, u32, utf8 } from '../diameter/build.js';

export interface IeOptions {
  readonly instance?: number;
  readonly cr?: number;
  /** Overrides the Length field (to build lying lengths). */
  readonly length?: number;
}

export function ie(type: number, value: Uint8Array, options: IeOptions = {}): Uint8Array {
  const b = new Uint8Array(4 + value.length);
  const length = options.length ?? value.length;
  b[0] = type;
  b[1] = length >> 8;
  b[2] = length & 0xff;
  b[3] = ((options.cr ?? 0) << 4) | (options.instance ?? 0);
  b.set(value, 4);
  return b;
}

export interface GtpSpec {
  readonly type: number;
  /** Present → T flag set. */
  readonly teid?: number;
  readonly sequence: number;
  readonly piggybacked?: boolean;
  /** Present → MP flag set. */
  readonly priority?: number;
  readonly ies: readonly Uint8Array[];
  /** Overrides the Length field. */
  readonly length?: number;
  readonly version?: number;
}

export function gtpv2(spec: GtpSpec): Uint8Array {
  const body = concat(...spec.ies);
  const header = spec.teid === undefined ? 8 : 12;
  const b = new Uint8Array(header + body.length);
  const v = new DataView(b.buffer);
  b[0] = ((spec.version ?? 2) << 5) | (spec.piggybacked ? 0x10 : 0) | (spec.teid === undefined ? 0 : 0x08) | (spec.priority === undefined ? 0 : 0x04);
  b[1] = spec.type;
  v.setUint16(2, spec.length ?? b.length - 4);
  let s = 4;
  if (spec.teid !== undefined) {
    v.setUint32(4, spec.teid);
    s = 8;
  }
  b[s] = (spec.sequence >> 16) & 0xff;
  b[s + 1] = (spec.sequence >> 8) & 0xff;
  b[s + 2] = spec.sequence & 0xff;
  b[s + 3] = spec.priority === undefined ? 0 : spec.priority << 4;
  b.set(body, header);
  return b;
}

/** TBCD: two digits per octet, first digit in the low nibble, 0xF filler. */
export function tbcd(digits: string): Uint8Array {
  const out = new Uint8Array(Math.ceil(digits.length / 2));
  for (let i = 0; i < digits.length; i += 2) {
    const lo = Number.parseInt(digits[i]!, 16);
    const hi = i + 1 < digits.length ? Number.parseInt(digits[i + 1]!, 16) : 0xf;
    out[i / 2] = (hi << 4) | lo;
  }
  return out;
}

/** PLMN identity: MCC 3 digits, MNC 2 or 3 digits. */
export function plmn(mcc: string, mnc: string): Uint8Array {
  const d = (s: string, i: number): number => Number.parseInt(s[i]!, 10);
  const mnc3 = mnc.length === 3 ? d(mnc, 2) : 0xf;
  return Uint8Array.from([(d(mcc, 1) << 4) | d(mcc, 0), (mnc3 << 4) | d(mcc, 2), (d(mnc, 1) << 4) | d(mnc, 0)]);
}

export function labels(name: string): Uint8Array {
  return concat(...name.split('.').map((l) => Uint8Array.from([l.length, ...new TextEncoder().encode(l)])));
}

export function be(n: number, octets: number): Uint8Array {
  const out = new Uint8Array(octets);
  for (let i = octets - 1, x = n; i >= 0; i--, x = Math.floor(x / 256)) out[i] = x % 256;
  return out;
}
