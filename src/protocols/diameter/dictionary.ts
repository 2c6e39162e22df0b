// Lookups over the dictionary tables: AVP definitions by (vendor, code), enumerated value names,
// result code names. AVP codes are scoped by vendor (RFC 6733 §4.1: "AVP numbers ... are
// allocated by IANA" for vendor 0, by the vendor otherwise), so code 458 is
// User-Equipment-Info for vendor 0 and Reservation-Priority for ETSI.
import { AVP_DEFINITIONS, VENDOR_3GPP } from './avp-dictionary.js';
import { AVP_ENUMS, type EnumTable } from './avp-enums.js';
import { EXPERIMENTAL_RESULT_CODES_3GPP, RESULT_CODES } from './result-codes.js';
import type { DiameterAvpType } from './types.js';

export interface AvpDefinition {
  readonly code: number;
  readonly vendorId: number;
  readonly name: string;
  readonly type: DiameterAvpType;
  readonly values?: EnumTable;
}

const byVendor = new Map<number, Map<number, AvpDefinition>>();
for (const [code, vendorId, name, type] of AVP_DEFINITIONS) {
  let codes = byVendor.get(vendorId);
  if (codes === undefined) {
    codes = new Map();
    byVendor.set(vendorId, codes);
  }
  const values = AVP_ENUMS[`${vendorId}:${code}`];
  codes.set(code, values === undefined ? { code, vendorId, name, type } : { code, vendorId, name, type, values });
}

export function avpDefinition(code: number, vendorId: number): AvpDefinition | undefined {
  return byVendor.get(vendorId)?.get(code);
}

/** Result-Code name, or the 3GPP Experimental-Result-Code name when vendorId is 10415. */
export function resultCodeName(code: number, experimentalVendorId?: number): string | undefined {
  if (experimentalVendorId === undefined) return RESULT_CODES[code];
  return experimentalVendorId === VENDOR_3GPP ? EXPERIMENTAL_RESULT_CODES_3GPP[code] : undefined;
}
