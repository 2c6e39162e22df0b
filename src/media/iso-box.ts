// Building ISO base media file format boxes (ISO/IEC 14496-12 §4.2): big-endian fields,
// nested boxes whose 32-bit size is filled in when the box ends.

export class IsoBoxBuilder {
  private buffer = new Uint8Array(512);
  private view = new DataView(this.buffer.buffer);
  private length = 0;
  private readonly open: number[] = [];

  /** Open a box: size (patched by end()) and four-character type. */
  start(type: string): this {
    this.open.push(this.length);
    return this.u32(0).fourcc(type);
  }

  /** Open a FullBox: a box with an 8-bit version and 24-bit flags (ISO/IEC 14496-12 §4.2). */
  startFull(type: string, version: number, flags: number): this {
    return this.start(type).u8(version).u8(flags >>> 16).u16(flags & 0xffff);
  }

  end(): this {
    const at = this.open.pop();
    if (at === undefined) throw new Error('end() without start()');
    const size = this.length - at;
    this.view.setUint32(at, size);
    return this;
  }

  u8(v: number): this {
    this.reserve(1);
    this.buffer[this.length++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.reserve(2);
    this.view.setUint16(this.length, v & 0xffff);
    this.length += 2;
    return this;
  }

  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
    return this;
  }

  u64(v: number): this {
    return this.u32(Math.floor(v / 0x100000000)).u32(v % 0x100000000);
  }

  fourcc(type: string): this {
    if (type.length !== 4) throw new RangeError(`box type '${type}' is not four characters`);
    for (let i = 0; i < 4; i++) this.u8(type.charCodeAt(i));
    return this;
  }

  zeros(n: number): this {
    this.reserve(n);
    this.buffer.fill(0, this.length, this.length + n);
    this.length += n;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** The finished bytes; every box must be closed. */
  finish(): Uint8Array {
    if (this.open.length > 0) throw new Error('unclosed box');
    return this.buffer.slice(0, this.length);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}
