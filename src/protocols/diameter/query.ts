// Questions analyzers ask of a decoded Diameter message: find AVPs, read their values, the
// Session-Id and the result of an answer.
import { resultCodeName } from './dictionary.js';
import type { DiameterAvp, DiameterMessage } from './types.js';

const SESSION_ID = 263;
const RESULT_CODE = 268;
const VENDOR_ID = 266;
const EXPERIMENTAL_RESULT = 297;
const EXPERIMENTAL_RESULT_CODE = 298;

/** A message, an AVP list, or a Grouped AVP (searched inside). */
export type AvpSource = DiameterMessage | readonly DiameterAvp[] | DiameterAvp;

export interface FindOptions {
  /** Also search inside Grouped AVPs, depth first, in message order. Default false. */
  readonly recursive?: boolean;
}

function avpsOf(source: AvpSource): readonly DiameterAvp[] {
  if (Array.isArray(source)) return source as readonly DiameterAvp[];
  if ('avps' in source) return source.avps;
  const avp = source as DiameterAvp;
  return avp.value.type === 'Grouped' ? avp.value.avps : [];
}

function matches(avp: DiameterAvp, code: number, vendorId: number | undefined): boolean {
  return avp.code === code && (vendorId === undefined || avp.vendorId === vendorId);
}

function collect(avps: readonly DiameterAvp[], code: number, vendorId: number | undefined, recursive: boolean, out: DiameterAvp[], firstOnly: boolean): boolean {
  for (const avp of avps) {
    if (matches(avp, code, vendorId)) {
      out.push(avp);
      if (firstOnly) return true;
    }
    if (recursive && avp.value.type === 'Grouped' && collect(avp.value.avps, code, vendorId, true, out, firstOnly)) return true;
  }
  return false;
}

/** First AVP with this code (and vendor, when given; any vendor when omitted). */
export function findAvp(source: AvpSource, code: number, vendorId?: number, options: FindOptions = {}): DiameterAvp | undefined {
  const out: DiameterAvp[] = [];
  collect(avpsOf(source), code, vendorId, options.recursive ?? false, out, true);
  return out[0];
}

/** Every AVP with this code (and vendor, when given), in message order. */
export function findAvps(source: AvpSource, code: number, vendorId?: number, options: FindOptions = {}): DiameterAvp[] {
  const out: DiameterAvp[] = [];
  collect(avpsOf(source), code, vendorId, options.recursive ?? false, out, false);
  return out;
}

/** Text of a string-typed AVP (UTF8String, DiameterIdentity, DiameterURI, IPFilterRule) or an Address. */
export function avpText(avp: DiameterAvp | undefined): string | undefined {
  if (avp === undefined) return undefined;
  const v = avp.value;
  if (v.type === 'UTF8String' || v.type === 'DiameterIdentity' || v.type === 'DiameterURI' || v.type === 'IPFilterRule') return v.text;
  if (v.type === 'Address') return v.text;
  return undefined;
}

/** Numeric value of an Integer/Unsigned/Float/Enumerated AVP; 64-bit values beyond 2^53 are undefined. */
export function avpNumber(avp: DiameterAvp | undefined): number | undefined {
  if (avp === undefined) return undefined;
  const v = avp.value;
  switch (v.type) {
    case 'Integer32':
    case 'Unsigned32':
    case 'Float32':
    case 'Float64':
    case 'Enumerated':
      return v.value;
    case 'Integer64':
    case 'Unsigned64': {
      const n = Number(v.value);
      return Number.isSafeInteger(n) ? n : undefined;
    }
    default:
      return undefined;
  }
}

/** RFC 6733 §8.8 Session-Id of the message (its first Session-Id AVP). */
export function sessionId(message: DiameterMessage): string | undefined {
  return avpText(findAvp(message, SESSION_ID, 0));
}

export interface DiameterResult {
  readonly code: number;
  /** True when the code came from Experimental-Result (RFC 6733 §7.6). */
  readonly experimental: boolean;
  /** Vendor-Id of the Experimental-Result; undefined for Result-Code. */
  readonly vendorId?: number;
  readonly name?: string;
}

/**
 * The outcome an answer reports: its Result-Code (RFC 6733 §7.1), or else the
 * Experimental-Result-Code of its Experimental-Result (§7.6) with that group's Vendor-Id.
 */
export function resultCode(message: DiameterMessage): DiameterResult | undefined {
  const plain = avpNumber(findAvp(message, RESULT_CODE, 0));
  if (plain !== undefined) {
    const name = resultCodeName(plain);
    return name === undefined ? { code: plain, experimental: false } : { code: plain, experimental: false, name };
  }
  const group = findAvp(message, EXPERIMENTAL_RESULT, 0);
  if (group === undefined) return undefined;
  const code = avpNumber(findAvp(group, EXPERIMENTAL_RESULT_CODE, 0));
  if (code === undefined) return undefined;
  const vendorId = avpNumber(findAvp(group, VENDOR_ID, 0)) ?? 0;
  const name = resultCodeName(code, vendorId);
  return name === undefined ? { code, experimental: true, vendorId } : { code, experimental: true, vendorId, name };
}

export type ResultClass = 'informational' | 'success' | 'protocol-error' | 'transient-failure' | 'permanent-failure' | 'unrecognized';

/** RFC 6733 §7.1: the thousands digit classifies a result code. */
export function resultClass(code: number): ResultClass {
  switch (Math.floor(code / 1000)) {
    case 1:
      return 'informational';
    case 2:
      return 'success';
    case 3:
      return 'protocol-error';
    case 4:
      return 'transient-failure';
    case 5:
      return 'permanent-failure';
    default:
      return 'unrecognized';
  }
}
