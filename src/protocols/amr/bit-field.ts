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
  const first = bitOffset >> 3;
  const shift = bitOffset & 7;
  for (let i = 0; i < out.length; i++) {
    const hi = bytes[first + i] ?? 0;
    const lo = shift === 0 ? 0 : (bytes[first + i + 1] ?? 0) >> (8 - shift);
    out[i] = ((hi << shift) | lo) & 0xff;
  }
  const tail = bitCount & 7;
  if (tail !== 0) out[out.length - 1] = (out[out.length - 1] as number) & ((0xff << (8 - tail)) & 0xff);
  return out;
}
