// A run of one RTP stream's packets waiting to be handed on together: header fields in typed
// arrays and payloads copied into one buffer, so queueing a packet allocates nothing and a run
// is replayed from memory that sits together.

/** Packets a run holds before it is handed on. */
export const RUN_PACKETS = 32;
const INITIAL_BYTES = RUN_PACKETS * 64;

export class PacketRun {
  count = 0;
  readonly frameNo = new Float64Array(RUN_PACKETS);
  readonly ts = new Float64Array(RUN_PACKETS);
  readonly sequence = new Uint16Array(RUN_PACKETS);
  readonly timestamp = new Uint32Array(RUN_PACKETS);
  readonly marker = new Uint8Array(RUN_PACKETS);
  /** Packet i's payload is bytes[start[i], end[i]). */
  readonly start = new Int32Array(RUN_PACKETS);
  readonly end = new Int32Array(RUN_PACKETS);
  bytes = new Uint8Array(INITIAL_BYTES);
  private used = 0;

  /** Adds a packet (its payload copied from buf[start, end)); true when the run is now full. */
  add(frameNo: number, ts: number, sequence: number, timestamp: number, marker: boolean, buf: Uint8Array, start: number, end: number): boolean {
    const i = this.count;
    const length = end - start;
    let at = this.used;
    if (at + length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, at + length));
      grown.set(this.bytes.subarray(0, at));
      this.bytes = grown;
    }
    const bytes = this.bytes;
    for (let k = start; k < end; k++) bytes[at++] = buf[k] as number;
    this.frameNo[i] = frameNo;
    this.ts[i] = ts;
    this.sequence[i] = sequence;
    this.timestamp[i] = timestamp;
    this.marker[i] = marker ? 1 : 0;
    this.start[i] = this.used;
    this.end[i] = at;
    this.used = at;
    this.count = i + 1;
    return this.count === RUN_PACKETS;
  }

  clear(): void {
    this.count = 0;
    this.used = 0;
  }
}
