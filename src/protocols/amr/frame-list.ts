// The frames of one AMR / AMR-WB RTP payload (RFC 4867 §4) as the hot path reads them: one
// object reused for every packet, its table of contents in typed arrays and each frame's speech
// octets given as a range of `bytes`, so decoding a packet allocates nothing.

const EMPTY = new Uint8Array(0);
const INITIAL_FRAMES = 16;

export class AmrFrameList {
  /** Frames decoded (TOC entries, RFC 4867 §4.3.2 / §4.4.2): entries [0, count) are valid. */
  count = 0;
  /** Frames per frame-block (channels=N, RFC 4867 §8.1): frame i is block ⌊i / channels⌋, channel i mod channels. */
  channels = 1;
  /** Codec mode request (15 = no request); never audio. */
  cmr = 15;
  /** Every reserved and padding bit was zero (see AmrPayload.reservedBitsZero). */
  reservedBitsZero = true;
  /**
   * Where the speech octets are: the payload itself (octet-aligned), or the list's own buffer
   * (bandwidth-efficient payloads, whose frames do not start on octet boundaries). Valid until
   * the next decode.
   */
  bytes: Uint8Array = EMPTY;
  /**
   * Per frame: frame type, Q bit (0/1), speech octets bytes[start, end) (storage layout, §5.3),
   * and the mask of the speech bits in the last of them. RFC 4867 §4.4.3 pads each frame with
   * zero bits, but not every sender does: whoever copies the octets ANDs the last with `pad`
   * (0xff when the frame fills its last octet or its padding is already clean).
   */
  ft = new Uint8Array(INITIAL_FRAMES);
  q = new Uint8Array(INITIAL_FRAMES);
  start = new Int32Array(INITIAL_FRAMES);
  end = new Int32Array(INITIAL_FRAMES);
  pad = new Uint8Array(INITIAL_FRAMES);
  private buffer = new Uint8Array(256);

  /** Make room for frame index `i` (long TOCs of NO_DATA entries are legal). */
  reserve(i: number): void {
    if (i < this.ft.length) return;
    const size = Math.max(this.ft.length * 2, i + 1);
    this.ft = grow(this.ft, new Uint8Array(size));
    this.q = grow(this.q, new Uint8Array(size));
    this.start = grow(this.start, new Int32Array(size));
    this.end = grow(this.end, new Int32Array(size));
    this.pad = grow(this.pad, new Uint8Array(size));
  }

  /** The list's own octets, at least `size` long (contents undefined). */
  scratch(size: number): Uint8Array {
    if (this.buffer.length < size) this.buffer = new Uint8Array(Math.max(size, this.buffer.length * 2));
    return this.buffer;
  }
}

function grow<T extends Uint8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
