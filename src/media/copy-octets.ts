// Copying a few dozen octets (one AMR frame) between buffers without allocating. TypedArray.set
// needs a view of the source (an allocation per frame) and costs more than the copy at this
// size, and a loop over single octets costs a load and a store per octet: these copies move four
// octets at a time.

/** Whether an Int32Array word holds its octets least significant first (x86, Arm), or most. */
export const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

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
 * Copy from[start, end) to to[at, …) four octets at a time, wherever either side starts:
 * `fromView` and `toView` are DataViews over exactly the octets of `from` and `to` (a DataView
 * reads and writes unaligned words; the order of the octets is kept, whatever the byte order).
 */
export function copyWords(from: Uint8Array, fromView: DataView, start: number, end: number, to: Uint8Array, toView: DataView, at: number): void {
  let k = start;
  let j = at;
  for (const last = end - 4; k <= last; k += 4, j += 4) toView.setInt32(j, fromView.getInt32(k));
  for (; k < end; k++, j++) to[j] = from[k] as number;
}
