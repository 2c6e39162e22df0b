// Builds Diameter messages for tests (RFC 6733 §3 header, §4.1 AVPs with padding), so each
// test states its message in a few readable lines.

export const TGPP = 10415;

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}

export function i32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
}

export function u64(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/[^0-9a-f]/gi, ''), 'hex'));
}

export interface AvpOptions {
  readonly vendorId?: number;
  readonly mandatory?: boolean;
  /** Overrides the AVP Length field (to build lying lengths). */
  readonly length?: number;
  /** Leaves out the padding after the data. */
  readonly noPadding?: boolean;
}

/** One AVP: code, flags, length, optional Vendor-ID, data, padding to 4 octets. */
export function avp(code: number, data: Uint8Array, options: AvpOptions = {}): Uint8Array {
  const vendor = options.vendorId !== undefined;
  const header = vendor ? 12 : 8;
  const length = options.length ?? header + data.length;
  const padded = options.noPadding ? header + data.length : (header + data.length + 3) & ~3;
  const b = new Uint8Array(padded);
  const v = new DataView(b.buffer);
  v.setUint32(0, code);
  b[4] = (vendor ? 0x80 : 0) | (options.mandatory === false ? 0 : 0x40);
  b[5] = (length >> 16) & 0xff;
  b[6] = (length >> 8) & 0xff;
  b[7] = length & 0xff;
  if (vendor) v.setUint32(8, options.vendorId!);
  b.set(data, header);
  return b;
}

/** A 3GPP vendor-specific AVP (V and M set). */
export function avp3gpp(code: number, data: Uint8Array, options: Omit<AvpOptions, 'vendorId'> = {}): Uint8Array {
  return avp(code, data, { ...options, vendorId: TGPP });
}

export interface MessageSpec {
  readonly commandCode: number;
  readonly applicationId: number;
  readonly request: boolean;
  readonly proxiable?: boolean;
  readonly error?: boolean;
  readonly retransmitted?: boolean;
  readonly hopByHop: number;
  readonly endToEnd: number;
  readonly avps: readonly Uint8Array[];
  /** Overrides the Message Length field. */
  readonly length?: number;
  readonly version?: number;
}

export function diameter(spec: MessageSpec): Uint8Array {
  const body = concat(...spec.avps);
  const b = new Uint8Array(20 + body.length);
  const v = new DataView(b.buffer);
  const length = spec.length ?? b.length;
  b[0] = spec.version ?? 1;
  b[1] = (length >> 16) & 0xff;
  b[2] = (length >> 8) & 0xff;
  b[3] = length & 0xff;
  b[4] = (spec.request ? 0x80 : 0) | (spec.proxiable ?? true ? 0x40 : 0) | (spec.error ? 0x20 : 0) | (spec.retransmitted ? 0x10 : 0);
  b[5] = (spec.commandCode >> 16) & 0xff;
  b[6] = (spec.commandCode >> 8) & 0xff;
  b[7] = spec.commandCode & 0xff;
  v.setUint32(8, spec.applicationId >>> 0);
  v.setUint32(12, spec.hopByHop >>> 0);
  v.setUint32(16, spec.endToEnd >>> 0);
  b.set(body, 20);
  return b;
}
