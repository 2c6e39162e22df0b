// A run of one RTP stream's packets waiting to be handed on together. Everything a run holds
// sits in one buffer — per packet a record of header fields, then the payloads copied one after
// another — so queueing a packet allocates nothing and touches one stream's memory only.

/** Packets a run holds before it is handed on. */
export const RUN_PACKETS = 32;
// Per packet 4 doubles: frame number, capture time, RTP timestamp, sequence | marker << 16;
// then two 32-bit words: where its payload starts and ends in `bytes`.
const RECORD_DOUBLES = 4;
const HEADER_BYTES = RUN_PACKETS * (RECORD_DOUBLES * 8 + 8);
const INITIAL_PAYLOAD_BYTES = RUN_PACKETS * 64;

export class PacketRun {
  count = 0;
  private fields: Float64Array;
  private ranges: Int32Array;
  /** Packet i's payload is bytes[start(i), end(i)). */
  bytes: Uint8Array;
  private used = HEADER_BYTES;

  constructor() {
    this.bytes = new Uint8Array(HEADER_BYTES + INITIAL_PAYLOAD_BYTES);
    this.fields = new Float64Array(this.bytes.buffer, 0, RUN_PACKETS * RECORD_DOUBLES);
    this.ranges = new Int32Array(this.bytes.buffer, RUN_PACKETS * RECORD_DOUBLES * 8, RUN_PACKETS * 2);
  }

  /** Adds a packet (its payload copied from buf[start, end)); true when the run is now full. */
  add(frameNo: number, ts: number, sequence: number, timestamp: number, marker: boolean, buf: Uint8Array, start: number, end: number): boolean {
    const i = this.count;
    let at = this.used;
    if (at + end - start > this.bytes.length) this.grow(at + end - start);
    const bytes = this.bytes;
    for (let k = start; k < end; k++) bytes[at++] = buf[k] as number;
    const f = i * RECORD_DOUBLES;
    const fields = this.fields;
    fields[f] = frameNo;
    fields[f + 1] = ts;
    fields[f + 2] = timestamp;
    fields[f + 3] = sequence | (marker ? 0x10000 : 0);
    this.ranges[2 * i] = this.used;
    this.ranges[2 * i + 1] = at;
    this.used = at;
    this.count = i + 1;
    return this.count === RUN_PACKETS;
  }

  frameNo(i: number): number {
    return this.fields[i * RECORD_DOUBLES] as number;
  }

  ts(i: number): number {
    return this.fields[i * RECORD_DOUBLES + 1] as number;
  }

  timestamp(i: number): number {
    return this.fields[i * RECORD_DOUBLES + 2] as number;
  }

  sequence(i: number): number {
    return (this.fields[i * RECORD_DOUBLES + 3] as number) & 0xffff;
  }

  marker(i: number): boolean {
    return (this.fields[i * RECORD_DOUBLES + 3] as number) >= 0x10000;
  }

  start(i: number): number {
    return this.ranges[2 * i] as number;
  }

  end(i: number): number {
    return this.ranges[2 * i + 1] as number;
  }

  clear(): void {
    this.count = 0;
    this.used = HEADER_BYTES;
  }

  /** Room for `size` bytes in all (large payloads): the records move with the bytes. */
  private grow(size: number): void {
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, size));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
    this.fields = new Float64Array(grown.buffer, 0, RUN_PACKETS * RECORD_DOUBLES);
    this.ranges = new Int32Array(grown.buffer, RUN_PACKETS * RECORD_DOUBLES * 8, RUN_PACKETS * 2);
  }
}
