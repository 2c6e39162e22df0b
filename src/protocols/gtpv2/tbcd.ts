// Telephony BCD and PLMN identities as GTPv2-C carries them.
import type { Plmn } from './types.js';

// TS 29.002 TBCD-STRING: 0–9, then '*', '#', 'a', 'b', 'c'; 1111 is the filler.
const TBCD_DIGITS = '0123456789*#abc';

/** TS 29.274 §8.3: two digits per octet, the first in bits 1–4; an odd count ends with filler 1111. */
export function tbcdDigits(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b & 0x0f) === 0x0f) break;
    out += TBCD_DIGITS[b & 0x0f];
    if (b >> 4 === 0x0f) break;
    out += TBCD_DIGITS[b >> 4];
  }
  return out;
}

/** TS 24.008 §10.5.1.3: MCC digits 1–3 and MNC digits 1–3 in 3 octets; MNC digit 3 = 1111 for a 2-digit MNC. */
export function readPlmn(bytes: Uint8Array, off: number): Plmn {
  const b0 = bytes[off]!;
  const b1 = bytes[off + 1]!;
  const b2 = bytes[off + 2]!;
  const digit = (n: number): string => n.toString(16);
  const mcc = digit(b0 & 0x0f) + digit(b0 >> 4) + digit(b1 & 0x0f);
  const mnc3 = b1 >> 4;
  const mnc = digit(b2 & 0x0f) + digit(b2 >> 4) + (mnc3 === 0x0f ? '' : digit(mnc3));
  return { mcc, mnc };
}
