// Where the UE is: P-Access-Network-Info (TS 24.229 §7.2A.4) decoded into access type, PLMN and
// cell, and checked against the ULI of the GTPv2 Create Session (TS 29.274 §8.21).
import { isDecodeError } from '../../decode-error.js';
import type { AccessNetworkInfo } from '../../protocols/sip/access-network-info.js';
import type { SipMessage } from '../../protocols/sip/message.js';
import type { PaniView, UliView } from './types.js';

function view(p: AccessNetworkInfo): PaniView {
  const base: PaniView = { raw: p.raw, accessType: p.accessType, networkProvided: p.networkProvided, ...(p.cellIdText !== undefined ? { cellIdText: p.cellIdText } : {}) };
  const cell = p.cell;
  if (cell === undefined) return base;
  if (isDecodeError(cell)) return { ...base, error: cell.reason };
  const plmn = { mcc: cell.mcc, mnc: cell.mnc };
  switch (cell.kind) {
    case 'e-utran':
      return { ...base, ...plmn, tac: cell.tac, eci: cell.eci, enbId: cell.enbId, cellId: cell.cellId };
    case 'nr':
      return { ...base, ...plmn, tac: cell.tac, nci: cell.nci };
    case 'utran':
      return { ...base, ...plmn, lac: cell.lac, ci: cell.ucId };
    case 'geran':
      return { ...base, ...plmn, lac: cell.lac, ci: cell.ci };
  }
}

/** The UE's own P-Access-Network-Info of a message (not one a network node added). */
export function uePaniOf(message: SipMessage): PaniView | undefined {
  for (const p of message.accessNetworkInfo) if (!isDecodeError(p) && !p.networkProvided) return view(p);
  return undefined;
}

/** The PANI cell is the ULI's ECGI (same PLMN, same ECI), and its TAC the TAI's when both have one. */
export function paniMatchesUli(pani: PaniView, uli: UliView): boolean | undefined {
  if (uli.ecgi === undefined || pani.eci === undefined) return undefined;
  const samePlmn = pani.mcc === uli.ecgi.mcc && pani.mnc === uli.ecgi.mnc;
  const sameTac = uli.tai === undefined || pani.tac === undefined || uli.tai.tac === pani.tac;
  return samePlmn && pani.eci === uli.ecgi.eci && sameTac;
}
