// Subscriber key material (K, OPc, and the AMF the HSS is configured with), looked up by IMPI or
// IMSI. Key material is never part of a report unless the caller asks for it.
import { imsiOf, type SubscriberIds } from './identity.js';

export interface SubscriberKey {
  /** Subscriber key K, 16 bytes. */
  readonly k: Uint8Array;
  /** OPc, 16 bytes (TS 35.206 §4.1: OPc = OP ⊕ E_K(OP) when only OP was given). */
  readonly opc: Uint8Array;
  /** OP, 16 bytes, when the key was given with OP rather than OPc. */
  readonly op?: Uint8Array;
  /** AMF the HSS is configured with, 2 bytes: compared with the AMF of each AUTN. */
  readonly amf?: Uint8Array;
  /** Where the key came from, for the report (e.g. "subscribers.csv line 4", "--k/--opc"). */
  readonly origin: string;
}

export interface SubscriberKeys {
  lookup(ids: SubscriberIds): SubscriberKey | undefined;
}

/** Keys by IMPI and by IMSI, with an optional key for every subscriber not listed. */
export class SubscriberKeyTable implements SubscriberKeys {
  private readonly byImpi = new Map<string, SubscriberKey>();
  private readonly byImsi = new Map<string, SubscriberKey>();
  /** Keys filed under the IMSI of a derived IMPI (TS 23.003 §13.3). */
  private readonly byDerivedImsi = new Map<string, SubscriberKey>();

  constructor(private readonly fallback?: SubscriberKey) {}

  /** Adds a key for an IMPI and/or IMSI; false when one of them already has a key. */
  add(ids: SubscriberIds, key: SubscriberKey): boolean {
    if (ids.impi !== undefined && this.byImpi.has(ids.impi)) return false;
    if (ids.imsi !== undefined && this.byImsi.has(ids.imsi)) return false;
    if (ids.impi !== undefined) this.byImpi.set(ids.impi, key);
    if (ids.imsi !== undefined) this.byImsi.set(ids.imsi, key);
    const derived = ids.imsi === undefined ? imsiOf(ids) : undefined;
    if (derived !== undefined && !this.byDerivedImsi.has(derived)) this.byDerivedImsi.set(derived, key);
    return true;
  }

  /** Exact IMPI, then IMSI (given, or derived from the IMPI), then the fallback. */
  lookup(ids: SubscriberIds): SubscriberKey | undefined {
    const byImpi = ids.impi === undefined ? undefined : this.byImpi.get(ids.impi);
    if (byImpi) return byImpi;
    const imsi = imsiOf(ids);
    if (imsi === undefined) return this.fallback;
    return this.byImsi.get(imsi) ?? this.byDerivedImsi.get(imsi) ?? this.fallback;
  }
}
