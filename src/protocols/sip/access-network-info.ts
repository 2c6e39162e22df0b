// P-Access-Network-Info (TS 24.229 §7.2A.4; RFC 7315 §5.4): access type, cell identity and
// whether the network (not the UE) provided it.
//
// The cell identity is a hex string MCC (3 digits) + MNC (2 or 3 digits) + area code + cell.
// TS 24.229 §7.2A.4.3 fixes the width of the area code and of the cell part for each access
// type, so the MNC length follows from the total length: E-UTRAN 16 or 17 characters
// (TAC 4 hex + ECI 7 hex), NR 20 or 21 (TAC 6 hex + NCI 9 hex), UTRAN 16 or 17 (LAC 4 hex +
// UC-Id 7 hex), GERAN 13 or 14 (LAC 4 hex + CI 4 hex). Any other length is left undecoded.
import { decodeError, type DecodeError } from '../../decode-error.js';
import { parseParams, type SipParams } from './header-syntax.js';

export interface Plmn {
  readonly mcc: string;
  readonly mnc: string;
}

export type CellIdentity =
  | (Plmn & { readonly kind: 'e-utran'; readonly tac: number; readonly eci: number; readonly enbId: number; readonly cellId: number })
  | (Plmn & { readonly kind: 'nr'; readonly tac: number; readonly nci: number })
  | (Plmn & { readonly kind: 'utran'; readonly lac: number; readonly ucId: number })
  | (Plmn & { readonly kind: 'geran'; readonly lac: number; readonly ci: number });

export interface AccessNetworkInfo {
  /** access-type or access-class as written: "3GPP-E-UTRAN-FDD", "3GPP-NR-FDD", "IEEE-802.11"... */
  readonly accessType: string;
  /** TS 24.229 §7.2A.4.2 "network-provided": inserted by the network rather than the UE. */
  readonly networkProvided: boolean;
  /** Parameters by lower-case name, values unquoted. */
  readonly params: SipParams;
  /** The raw cell identity (utran-cell-id-3gpp or cgi-3gpp), when present. */
  readonly cellIdText?: string;
  readonly cell?: CellIdentity | DecodeError;
  readonly raw: string;
}

/** Parses one access-net-spec (one comma-separated element of the header). */
export function parseAccessNetworkInfo(text: string): AccessNetworkInfo | DecodeError {
  const raw = text.trim();
  const semi = raw.indexOf(';');
  const accessType = (semi < 0 ? raw : raw.slice(0, semi)).trim();
  if (accessType.length === 0) return decodeError('sip-pani', 'empty access type');
  const params = parseParams(semi < 0 ? '' : raw.slice(semi));
  const networkProvided = 'network-provided' in params;
  const cellIdText = params['utran-cell-id-3gpp'] ?? params['cgi-3gpp'];
  const base: AccessNetworkInfo = { accessType, networkProvided, params, raw };
  if (cellIdText === undefined) return base;
  return { ...base, cellIdText, cell: decodeCellIdentity(accessType, cellIdText) };
}

/** Decodes a utran-cell-id-3gpp / cgi-3gpp value for the given access type (TS 24.229 §7.2A.4.3). */
export function decodeCellIdentity(accessType: string, value: string): CellIdentity | DecodeError {
  const type = accessType.toUpperCase();
  const v = value.trim();
  let kind: CellIdentity['kind'];
  let areaDigits: number;
  let cellDigits: number;
  if (type.includes('E-UTRAN')) [kind, areaDigits, cellDigits] = ['e-utran', 4, 7];
  else if (type.startsWith('3GPP-NR')) [kind, areaDigits, cellDigits] = ['nr', 6, 9];
  else if (type.includes('UTRAN')) [kind, areaDigits, cellDigits] = ['utran', 4, 7];
  else if (type.includes('GERAN')) [kind, areaDigits, cellDigits] = ['geran', 4, 4];
  else return decodeError('sip-pani', `no cell identity layout for access type ${accessType.slice(0, 40)}`);
  const mncDigits = v.length - 3 - areaDigits - cellDigits;
  if (mncDigits !== 2 && mncDigits !== 3) {
    return decodeError('sip-pani', `cell identity of ${v.length} characters fits no MNC length for ${kind}`);
  }
  const mcc = v.slice(0, 3);
  const mnc = v.slice(3, 3 + mncDigits);
  const areaHex = v.slice(3 + mncDigits, 3 + mncDigits + areaDigits);
  const cellHex = v.slice(3 + mncDigits + areaDigits);
  if (!isDecimal(mcc) || !isDecimal(mnc)) return decodeError('sip-pani', 'MCC/MNC are not decimal digits');
  if (!isHex(areaHex) || !isHex(cellHex)) return decodeError('sip-pani', 'area code or cell identity is not hexadecimal');
  const area = parseInt(areaHex, 16);
  const cell = parseInt(cellHex, 16);
  switch (kind) {
    case 'e-utran':
      // TS 36.413 §9.2.1.38: ECI = eNB ID (20 bits) + cell identity (8 bits) for a macro eNB.
      return { kind, mcc, mnc, tac: area, eci: cell, enbId: Math.floor(cell / 256), cellId: cell % 256 };
    case 'nr':
      return { kind, mcc, mnc, tac: area, nci: cell };
    case 'utran':
      return { kind, mcc, mnc, lac: area, ucId: cell };
    case 'geran':
      return { kind, mcc, mnc, lac: area, ci: cell };
  }
}

function isDecimal(s: string): boolean {
  return s.length > 0 && [...s].every((c) => c >= '0' && c <= '9');
}

function isHex(s: string): boolean {
  return s.length > 0 && [...s].every((c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}
