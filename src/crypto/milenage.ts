// MILENAGE authentication and key generation functions f1, f1*, f2, f3, f4, f5, f5*
// (3GPP TS 35.206), on AES-128 as the kernel function E_K (TS 35.206 §3, Rijndael-128).
import { createCipheriv } from 'node:crypto';

/** Operator-variant constants c1..c5 (16 bytes each) and rotations r1..r5 in bits (0..127). */
export interface MilenageConstants {
  readonly c: readonly [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  readonly r: readonly [number, number, number, number, number];
}

function constantWithLastByte(value: number): Uint8Array {
  const c = new Uint8Array(16);
  c[15] = value;
  return c;
}

// TS 35.206 §4.1: c1 = 0, c2 = 1, c3 = 2, c4 = 4, c5 = 8 (in the last bit positions);
// r1 = 64, r2 = 0, r3 = 32, r4 = 64, r5 = 96.
export const DEFAULT_MILENAGE_CONSTANTS: MilenageConstants = Object.freeze({
  c: Object.freeze([
    constantWithLastByte(0),
    constantWithLastByte(1),
    constantWithLastByte(2),
    constantWithLastByte(4),
    constantWithLastByte(8),
  ] as const),
  r: Object.freeze([64, 0, 32, 64, 96] as const),
});

export interface F2345 {
  /** f2: RES (or XRES), 8 bytes. */
  readonly res: Uint8Array;
  /** f3: cipher key CK, 16 bytes. */
  readonly ck: Uint8Array;
  /** f4: integrity key IK, 16 bytes. */
  readonly ik: Uint8Array;
  /** f5: anonymity key AK, 6 bytes. */
  readonly ak: Uint8Array;
}

function requireLength(name: string, value: Uint8Array, length: number): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(`Milenage: ${name} must be a Uint8Array`);
  if (value.length !== length) {
    throw new RangeError(`Milenage: ${name} must be ${length} bytes, got ${value.length}`);
  }
}

function checkConstants(constants: MilenageConstants): void {
  constants.c.forEach((c, i) => requireLength(`c${i + 1}`, c, 16));
  constants.r.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 0 || r > 127) {
      throw new RangeError(`Milenage: r${i + 1} must be an integer number of bits in 0..127, got ${r}`);
    }
  });
}

type BlockCipher = (block: Uint8Array) => Uint8Array;

// One ECB cipher per key: each 16-byte update is one independent block encryption.
function aes128(k: Uint8Array): BlockCipher {
  const cipher = createCipheriv('aes-128-ecb', k, null);
  cipher.setAutoPadding(false);
  return (block) => {
    const out = cipher.update(block);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  };
}

function xorInto(target: Uint8Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  for (let i = 0; i < 16; i++) target[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return target;
}

// TS 35.206 §4.1: rot(x, r) rotates the 128-bit x cyclically by r bit positions towards
// the most significant bit.
function rotate(x: Uint8Array, r: number): Uint8Array {
  const out = new Uint8Array(16);
  const byteShift = r >>> 3;
  const bitShift = r & 7;
  for (let i = 0; i < 16; i++) {
    const hi = x[(i + byteShift) & 15] ?? 0;
    const lo = x[(i + byteShift + 1) & 15] ?? 0;
    out[i] = bitShift === 0 ? hi : ((hi << bitShift) | (lo >>> (8 - bitShift))) & 0xff;
  }
  return out;
}

/** OPc = OP ⊕ E_K(OP) (TS 35.206 §4.1). */
export function computeOpc(k: Uint8Array, op: Uint8Array): Uint8Array {
  requireLength('K', k, 16);
  requireLength('OP', op, 16);
  return xorInto(new Uint8Array(16), aes128(k)(op), op);
}

/**
 * MILENAGE for one (K, OPc, RAND): TEMP = E_K(RAND ⊕ OPc) is computed once and shared
 * by every function, as an authentication centre or a UE does for one challenge.
 */
export interface MilenageForRand {
  f1(sqn: Uint8Array, amf: Uint8Array): Uint8Array;
  f1star(sqn: Uint8Array, amf: Uint8Array): Uint8Array;
  f2345(): F2345;
  f5star(): Uint8Array;
}

export function milenageForRand(
  k: Uint8Array,
  opc: Uint8Array,
  rand: Uint8Array,
  constants: MilenageConstants = DEFAULT_MILENAGE_CONSTANTS,
): MilenageForRand {
  requireLength('K', k, 16);
  requireLength('OPc', opc, 16);
  requireLength('RAND', rand, 16);
  if (constants !== DEFAULT_MILENAGE_CONSTANTS) checkConstants(constants);
  const encrypt = aes128(k);
  const temp = new Uint8Array(encrypt(xorInto(new Uint8Array(16), rand, opc)));
  const [c1, c2, c3, c4, c5] = constants.c;
  const [r1, r2, r3, r4, r5] = constants.r;

  // TS 35.206 §4.1: OUTn = E_K(rot(TEMP ⊕ OPc, rn) ⊕ cn) ⊕ OPc for n = 2..5.
  const out = (c: Uint8Array, r: number): Uint8Array => {
    const x = rotate(xorInto(new Uint8Array(16), temp, opc), r);
    const y = encrypt(xorInto(x, x, c));
    return xorInto(new Uint8Array(16), y, opc);
  };

  // TS 35.206 §4.1: IN1 = SQN ‖ AMF ‖ SQN ‖ AMF; OUT1 = E_K(TEMP ⊕ rot(IN1 ⊕ OPc, r1) ⊕ c1) ⊕ OPc.
  const out1 = (sqn: Uint8Array, amf: Uint8Array): Uint8Array => {
    requireLength('SQN', sqn, 6);
    requireLength('AMF', amf, 2);
    const in1 = new Uint8Array(16);
    in1.set(sqn, 0);
    in1.set(amf, 6);
    in1.set(sqn, 8);
    in1.set(amf, 14);
    const x = rotate(xorInto(in1, in1, opc), r1);
    xorInto(x, x, temp);
    const y = encrypt(xorInto(x, x, c1));
    return xorInto(new Uint8Array(16), y, opc);
  };

  return {
    // f1 = MAC-A = OUT1[0..63]; f1* = MAC-S = OUT1[64..127].
    f1: (sqn, amf) => out1(sqn, amf).subarray(0, 8),
    f1star: (sqn, amf) => out1(sqn, amf).subarray(8, 16),
    f2345: () => {
      // f5 = AK = OUT2[0..47], f2 = RES = OUT2[64..127], f3 = CK = OUT3, f4 = IK = OUT4.
      const out2 = out(c2, r2);
      return { res: out2.subarray(8, 16), ck: out(c3, r3), ik: out(c4, r4), ak: out2.subarray(0, 6) };
    },
    // f5* = AK* = OUT5[0..47].
    f5star: () => out(c5, r5).subarray(0, 6),
  };
}

/** f1: network authentication code MAC-A (8 bytes). */
export function f1(
  k: Uint8Array,
  opc: Uint8Array,
  rand: Uint8Array,
  sqn: Uint8Array,
  amf: Uint8Array,
  constants?: MilenageConstants,
): Uint8Array {
  return milenageForRand(k, opc, rand, constants).f1(sqn, amf);
}

/** f1*: resynchronisation authentication code MAC-S (8 bytes). */
export function f1star(
  k: Uint8Array,
  opc: Uint8Array,
  rand: Uint8Array,
  sqn: Uint8Array,
  amf: Uint8Array,
  constants?: MilenageConstants,
): Uint8Array {
  return milenageForRand(k, opc, rand, constants).f1star(sqn, amf);
}

/** f2, f3, f4, f5: RES, CK, IK and AK. */
export function f2345(k: Uint8Array, opc: Uint8Array, rand: Uint8Array, constants?: MilenageConstants): F2345 {
  return milenageForRand(k, opc, rand, constants).f2345();
}

/** f5*: anonymity key AK* used to conceal SQN_MS in AUTS (6 bytes). */
export function f5star(k: Uint8Array, opc: Uint8Array, rand: Uint8Array, constants?: MilenageConstants): Uint8Array {
  return milenageForRand(k, opc, rand, constants).f5star();
}
