// Who an AKA event is about. A subscriber is known by IMPI on SIP and Cx and by IMSI on S6a; an
// IMPI derived from the IMSI (TS 23.003 §13.3: <IMSI>@ims.mnc<MNC>.mcc<MCC>.3gppnetwork.org)
// links both.

const DERIVED_REALM_PREFIX = 'ims.mnc';
const DERIVED_REALM_SUFFIX = '.3gppnetwork.org';

function isDigits(text: string, min: number, max: number): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** An IMSI has at most 15 digits: MCC (3) ‖ MNC (2–3) ‖ MSIN (TS 23.003 §2.2). */
export function isImsi(text: string): boolean {
  return isDigits(text, 6, 15);
}

/**
 * The IMSI of an IMPI of the derived form <IMSI>@ims.mnc<MNC>.mcc<MCC>.3gppnetwork.org
 * (TS 23.003 §13.3), when the MCC matches the IMSI; undefined for any other IMPI.
 */
export function imsiFromImpi(impi: string): string | undefined {
  const at = impi.indexOf('@');
  if (at < 0) return undefined;
  const user = impi.slice(0, at);
  if (!isImsi(user)) return undefined;
  const realm = impi.slice(at + 1).toLowerCase();
  if (!realm.startsWith(DERIVED_REALM_PREFIX) || !realm.endsWith(DERIVED_REALM_SUFFIX)) return undefined;
  // ims.mnc<3 digits>.mcc<3 digits>.3gppnetwork.org
  const middle = realm.slice(DERIVED_REALM_PREFIX.length, realm.length - DERIVED_REALM_SUFFIX.length);
  if (middle.length !== 10 || middle.slice(3, 7) !== '.mcc') return undefined;
  const mnc = middle.slice(0, 3);
  const mcc = middle.slice(7);
  if (!isDigits(mnc, 3, 3) || !isDigits(mcc, 3, 3)) return undefined;
  return user.startsWith(mcc) ? user : undefined;
}

export interface SubscriberIds {
  readonly impi?: string;
  readonly imsi?: string;
}

/** The IMSI an event names, directly or through a derived IMPI. */
export function imsiOf(ids: SubscriberIds): string | undefined {
  if (ids.imsi !== undefined && ids.imsi !== '') return ids.imsi;
  return ids.impi === undefined ? undefined : imsiFromImpi(ids.impi);
}
