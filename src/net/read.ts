// Big-endian field reads from a byte view. Reads past the end yield 0 (undefined coerces to 0
// in bit operations); callers check lengths before trusting a field.

export function u16(buf: Uint8Array, off: number): number {
  return (buf[off]! << 8) | buf[off + 1]!;
}

export function u32(buf: Uint8Array, off: number): number {
  return ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0;
}

/** Same bits as u32, as a signed 32-bit integer (cheaper as a Map key or hash input). */
export function i32(buf: Uint8Array, off: number): number {
  return (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
}
