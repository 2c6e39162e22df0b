// Copying a few dozen octets (one AMR frame) between buffers without allocating. TypedArray.set
// needs a view of the source (an allocation per frame) and costs more than the copy at this
// size, and a loop over single octets costs a load and a store per octet: these copies move four
// octets at a time where one side is aligned to four octets (the timeline's frame ring).

/** Whether an Int32Array word holds its octets least significant first (x86, Arm), or most. */
export const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Copy from[start, end) to to[at, …) one octet at a time. */
export function copyOctets(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  for (let k = start, j = at; k < end; k++, j++) to[j] = from[k] as number;
}

/**
 * Copy from[start, end) to to[at, …) where `at` is a multiple of four and `toWords` is an
 * Int32Array over the same octets as `to` (both from offset 0 of one buffer).
 */
export function copyToAligned(from: Uint8Array, start: number, end: number, to: Uint8Array, toWords: Int32Array, at: number): void {
  let k = start;
  let w = at >> 2;
  const last = end - 3;
  if (LITTLE_ENDIAN) {
    for (; k < last; k += 4, w++) toWords[w] = (from[k] as number) | ((from[k + 1] as number) << 8) | ((from[k + 2] as number) << 16) | ((from[k + 3] as number) << 24);
  } else {
    for (; k < last; k += 4, w++) toWords[w] = ((from[k] as number) << 24) | ((from[k + 1] as number) << 16) | ((from[k + 2] as number) << 8) | (from[k + 3] as number);
  }
  for (let j = w << 2; k < end; k++, j++) to[j] = from[k] as number;
}

/**
 * Copy from[start, end) to octets [at, …) of `to` (a DataView of `toOctets`) where `start` is a
 * multiple of four and `fromWords` is an Int32Array over the same octets as `from`.
 */
export function copyFromAligned(from: Uint8Array, fromWords: Int32Array, start: number, end: number, to: DataView, toOctets: Uint8Array, at: number): void {
  let w = start >> 2;
  let j = at;
  const words = (end - start) >> 2;
  for (let n = 0; n < words; n++, w++, j += 4) to.setInt32(j, fromWords[w] as number, LITTLE_ENDIAN);
  for (let k = start + (words << 2); k < end; k++, j++) toOctets[j] = from[k] as number;
}
