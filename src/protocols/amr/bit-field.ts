// Reading bit fields that do not start on an octet boundary (RFC 4867 §4.3 bandwidth-efficient
// mode packs the CMR, TOC entries and speech bits back to back, most significant bit first).

/** Read `count` (≤ 24) bits starting at `bitOffset`; bits past the end read as zero. */
export function readBits(bytes: Uint8Array, bitOffset: number, count: number): number {
  let value = 0;
  let pos = bitOffset;
  let left = count;
  while (left > 0) {
    const byte = bytes[pos >> 3] ?? 0;
    const used = pos & 7;
    const take = Math.min(8 - used, left);
    value = (value << take) | ((byte >> (8 - used - take)) & ((1 << take) - 1));
    pos += take;
    left -= take;
  }
  return value;
}

/** Copy `bitCount` bits starting at `bitOffset` into new octets, MSB first, zero-padded. */
export function copyBits(bytes: Uint8Array, bitOffset: number, bitCount: number): Uint8Array {
  const out = new Uint8Array((bitCount + 7) >> 3);
  copyBitsInto(bytes, bitOffset, bitCount, out, 0);
  return out;
}

/**
 * Copy `bitCount` bits starting at `bitOffset` into `out` from octet `outOffset` on, MSB first,
 * the last octet zero-padded; returns the octet after the copy. `out` must have room.
 */
export function copyBitsInto(bytes: Uint8Array, bitOffset: number, bitCount: number, out: Uint8Array, outOffset: number): number {
  const n = (bitCount + 7) >> 3;
  const first = bitOffset >> 3;
  const shift = bitOffset & 7;
  const last = bytes.length - 1;
  if (shift === 0) {
    for (let i = 0; i < n; i++) out[outOffset + i] = first + i <= last ? (bytes[first + i] as number) : 0;
  } else {
    const back = 8 - shift;
    for (let i = 0; i < n; i++) {
      const at = first + i;
      const hi = at <= last ? (bytes[at] as number) : 0;
      const lo = at + 1 <= last ? (bytes[at + 1] as number) >> back : 0;
      out[outOffset + i] = ((hi << shift) | lo) & 0xff;
    }
  }
  const tail = bitCount & 7;
  const end = outOffset + n;
  if (tail !== 0) out[end - 1] = (out[end - 1] as number) & ((0xff << (8 - tail)) & 0xff);
  return end;
}
