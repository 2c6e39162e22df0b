// AMR and AMR-WB payload format parameters (RFC 4867 §8.1 media type registration,
// §8.2.1 SDP mapping). Invalid values are reported in `errors`, never thrown.
import type { SdpPayloadFormat } from './types.js';

export interface AmrFmtp {
  /** Allowed codec modes in the order given; undefined means all modes (RFC 4867 §8.1). */
  readonly modeSet?: readonly number[];
  /** octet-align=1: octet-aligned mode; absent or 0: bandwidth-efficient (default). */
  readonly octetAlign: boolean;
  /** 1 or 2; 1 when absent. */
  readonly modeChangePeriod: number;
  /** 1 or 2; 1 when absent. */
  readonly modeChangeCapability: number;
  /** mode-change-neighbor=1: changes only to neighbouring modes; false when absent. */
  readonly modeChangeNeighbor: boolean;
  /** Maximum redundancy in milliseconds; undefined when absent (no limit stated). */
  readonly maxRed?: number;
  readonly crc: boolean;
  readonly robustSorting: boolean;
  /** Deinterleaving buffer size in frames; undefined means interleaving is not used. */
  readonly interleaving?: number;
  /** Number of audio channels (rtpmap encoding parameter); 1 when absent. */
  readonly channels: number;
  readonly errors: readonly string[];
}

export interface AmrFmtpOptions {
  /** AMR-WB allows modes 0 to 8; AMR 0 to 7. */
  readonly wideband?: boolean;
  readonly channels?: number;
}

export function parseAmrFmtp(fmtp: Readonly<Record<string, string>>, options: AmrFmtpOptions = {}): AmrFmtp {
  const errors: string[] = [];
  const maxMode = options.wideband === true ? 8 : 7;
  const flag = (name: string): boolean => {
    const v = fmtp[name];
    if (v === undefined) return false;
    if (v === '0' || v === '1') return v === '1';
    errors.push(`${name}=${v.slice(0, 20)}: permissible values are 0 and 1`);
    return false;
  };
  const oneOrTwo = (name: string): number => {
    const v = fmtp[name];
    if (v === undefined) return 1;
    if (v === '1' || v === '2') return Number(v);
    errors.push(`${name}=${v.slice(0, 20)}: permissible values are 1 and 2`);
    return 1;
  };
  const count = (name: string, min: number): number | undefined => {
    const v = fmtp[name];
    if (v === undefined) return undefined;
    const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
    if (!(n >= min)) {
      errors.push(`${name}=${v.slice(0, 20)}: expected an integer ≥ ${min}`);
      return undefined;
    }
    return n;
  };

  let modeSet: number[] | undefined;
  let modeSetText = fmtp['mode-set'];
  if (modeSetText !== undefined && modeSetText.length >= 2 && modeSetText.startsWith('"') && modeSetText.endsWith('"')) {
    // Seen in the field; RFC 4867 §8.2.1 writes the list without quotes.
    errors.push('mode-set value is quoted');
    modeSetText = modeSetText.slice(1, -1);
  }
  if (modeSetText !== undefined) {
    modeSet = [];
    for (const item of modeSetText.split(',')) {
      const t = item.trim();
      const n = /^\d{1,2}$/.test(t) ? Number(t) : NaN;
      if (!(n >= 0 && n <= maxMode)) {
        errors.push(`mode-set value "${t.slice(0, 20)}" outside 0..${maxMode}`);
        continue;
      }
      if (modeSet.includes(n)) errors.push(`mode-set repeats mode ${n}`);
      else modeSet.push(n);
    }
  }

  const octetAlign = flag('octet-align');
  const crc = flag('crc');
  const robustSorting = flag('robust-sorting');
  const interleaving = count('interleaving', 1);
  // RFC 4867 §8.1: crc, robust-sorting and interleaving imply octet-aligned operation.
  if (!octetAlign && (crc || robustSorting || interleaving !== undefined)) {
    errors.push('crc, robust-sorting or interleaving requires octet-align=1');
  }
  const maxRed = count('max-red', 0);
  const channels = options.channels ?? 1;
  return {
    octetAlign,
    modeChangePeriod: oneOrTwo('mode-change-period'),
    modeChangeCapability: oneOrTwo('mode-change-capability'),
    modeChangeNeighbor: flag('mode-change-neighbor'),
    crc,
    robustSorting,
    channels,
    errors,
    ...(modeSet !== undefined ? { modeSet } : {}),
    ...(maxRed !== undefined ? { maxRed } : {}),
    ...(interleaving !== undefined ? { interleaving } : {}),
  };
}

/** The AMR parameters of a payload format whose encoding is AMR or AMR-WB, else undefined. */
export function amrFmtpOf(format: SdpPayloadFormat): AmrFmtp | undefined {
  if (format.encodingKey !== 'amr' && format.encodingKey !== 'amr-wb') return undefined;
  return parseAmrFmtp(format.fmtp, {
    wideband: format.encodingKey === 'amr-wb',
    ...(format.channels !== undefined ? { channels: format.channels } : {}),
  });
}
