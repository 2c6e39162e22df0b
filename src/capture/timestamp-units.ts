// pcapng timestamps: a 64-bit count of units since the epoch, where if_tsresol gives the unit
// (draft-ietf-opsawg-pcapng §4.2: high bit clear = 10^-n s, set = 2^-n s; default 10^-6).
// Converted to whole seconds + nanoseconds as Wireshark does (both parts rounded down),
// exactly, without a BigInt on the common resolutions.

const TWO_32 = 4294967296;
/** Below 2^52, hi·2^32 + lo and q·d stay exact doubles for every fast-path divisor. */
const FAST_HI_LIMIT = 0x100000;
/** Largest divisor for 16-bit long division: remainder·2^16 + digit must stay below 2^53. */
const MAX_LONG_DIVISOR = 2 ** 37;

export const DEFAULT_TSRESOL = 6;

function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  const r = a - q * b;
  if (r < 0) q--;
  else if (r >= b) q++;
  return q;
}

export class TimestampUnits {
  /** Seconds and nanoseconds of the last split(). */
  sec = 0;
  nsec = 0;
  readonly label: string;
  private readonly perSecond: number;
  private readonly perSecondBig: bigint;
  private readonly fast: boolean;
  /** Nanoseconds from a remainder: r·nsMul, or floor(r / nsDiv), or floor(r·nsNum / nsDen). */
  private readonly nsMul: number = 0;
  private readonly nsDiv: number = 0;
  private readonly nsNum: number = 0;
  private readonly nsDen: number = 0;

  /** `tsresol` is the raw if_tsresol byte; the caller has checked it with isSupportedTsresol. */
  constructor(tsresol: number) {
    const exponent = tsresol & 0x7f;
    const powerOfTwo = (tsresol & 0x80) !== 0;
    this.perSecondBig = powerOfTwo ? 1n << BigInt(exponent) : 10n ** BigInt(exponent);
    this.perSecond = Number(this.perSecondBig);
    this.fast = this.perSecond <= MAX_LONG_DIVISOR;
    if (powerOfTwo) {
      this.label = `2^-${exponent} s`;
      // 1e9 = 2^9 · 1953125: r·1953125 / 2^(k-9) is exact while r < 2^32.
      if (exponent <= 9) {
        this.nsNum = 1e9;
        this.nsDen = this.perSecond;
      } else if (exponent <= 32) {
        this.nsNum = 1953125;
        this.nsDen = 2 ** (exponent - 9);
      }
    } else {
      this.label = exponent === 6 ? 'µs' : exponent === 9 ? 'ns' : `10^-${exponent} s`;
      if (exponent <= 9) this.nsMul = 10 ** (9 - exponent);
      else this.nsDiv = 10 ** (exponent - 9);
    }
  }

  /** Splits the 64-bit count hi·2^32 + lo into this.sec and this.nsec. */
  split(hi: number, lo: number): void {
    if (!this.fast) {
      this.splitBig(hi, lo);
      return;
    }
    const d = this.perSecond;
    let q: number;
    let r: number;
    if (hi < FAST_HI_LIMIT) {
      const v = hi * TWO_32 + lo;
      q = floorDiv(v, d);
      r = v - q * d;
    } else {
      // Long division in 16-bit digits keeps every intermediate below 2^53.
      let cur = hi >>> 16;
      let qd = floorDiv(cur, d);
      r = cur - qd * d;
      q = qd;
      cur = r * 65536 + (hi & 0xffff);
      qd = floorDiv(cur, d);
      r = cur - qd * d;
      q = q * 65536 + qd;
      cur = r * 65536 + (lo >>> 16);
      qd = floorDiv(cur, d);
      r = cur - qd * d;
      q = q * 65536 + qd;
      cur = r * 65536 + (lo & 0xffff);
      qd = floorDiv(cur, d);
      r = cur - qd * d;
      q = q * 65536 + qd;
    }
    this.sec = q;
    if (this.nsMul !== 0) this.nsec = r * this.nsMul;
    else if (this.nsDiv !== 0) this.nsec = floorDiv(r, this.nsDiv);
    else if (this.nsDen !== 0) this.nsec = Math.floor((r * this.nsNum) / this.nsDen);
    else this.nsec = Number((BigInt(r) * 1_000_000_000n) / this.perSecondBig);
  }

  private splitBig(hi: number, lo: number): void {
    const v = (BigInt(hi) << 32n) | BigInt(lo);
    const d = this.perSecondBig;
    this.sec = Number(v / d);
    this.nsec = Number(((v % d) * 1_000_000_000n) / d);
  }
}

/** Resolutions this reader converts: 10^-0…10^-19 and 2^-0…2^-63 (a 64-bit count's range). */
export function isSupportedTsresol(tsresol: number): boolean {
  const exponent = tsresol & 0x7f;
  return (tsresol & 0x80) !== 0 ? exponent <= 63 : exponent <= 19;
}
