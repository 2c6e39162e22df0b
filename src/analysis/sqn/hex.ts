// Byte values as lowercase hex text, and hex text (as users type keys and tokens) back to bytes.

const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX_PAIRS[b] ?? '';
  return out;
}

function nibble(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/**
 * Parses hex digits, with an optional `0x` prefix; returns undefined for anything else (odd
 * length, a non-hex character). One pass, no regular expression.
 */
export function parseHex(text: string): Uint8Array | undefined {
  const body = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (body.length === 0 || body.length % 2 !== 0) return undefined;
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(body.charCodeAt(2 * i));
    const lo = nibble(body.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** A 48-bit SQN as 12 lowercase hex digits (its 6 bytes, TS 33.102 §6.3.2). */
export function sqnHex(sqn: bigint): string {
  return sqn.toString(16).padStart(12, '0');
}
