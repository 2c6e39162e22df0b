// What the other interfaces say about a registration, found at the end of the capture: Cx
// exchanges by IMPI (User-Name) or IMPU (Public-Identity) and frame order; the PDN connection
// (GTPv2) by UE address — the REGISTER's source inside the PAA — or by IMSI / MSISDN; Rx and Gx
// sessions by the UE address their requests name, or (Gx) by Subscription-Id.
import { imsiFromImpi } from '../sqn/identity.js';
import { addressMatches, subnetKey } from './address-match.js';
import type { PdnRecord } from './bearer.js';
import type { CxRecord } from './cx.js';
import type { ProcedureDraft, RegistrationDraft } from './drafts.js';
import type { PolicyRecord } from './policy.js';

/** Cx exchanges kept per procedure (a procedure has a handful; a flood is cut). */
const MAX_CX_PER_PROCEDURE = 256;

/** "sip:alice@Example.com;user=phone" → "alice@example.com": identities compared without scheme and parameters. */
export function identityKey(text: string): string {
  let t = text.trim();
  if (t.startsWith('<') && t.endsWith('>')) t = t.slice(1, -1);
  const colon = t.indexOf(':');
  const scheme = colon < 0 ? '' : t.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips' || scheme === 'tel') t = t.slice(colon + 1);
  const semi = t.indexOf(';');
  if (semi >= 0) t = t.slice(0, semi);
  return t.toLowerCase();
}

/** Puts each Cx exchange on the procedure of its subscriber that was open when the request was sent. */
export function attachCx(drafts: readonly RegistrationDraft[], records: readonly CxRecord[]): void {
  const byImpi = new Map<string, ProcedureDraft[]>();
  const byImpu = new Map<string, ProcedureDraft[]>();
  const add = (map: Map<string, ProcedureDraft[]>, key: string, p: ProcedureDraft): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [p]);
    else if (!list.includes(p)) list.push(p);
  };
  for (const d of drafts) {
    for (const p of d.procedures) {
      if (d.impi !== undefined) add(byImpi, d.impi.value.toLowerCase(), p);
      if (d.aor !== undefined) add(byImpu, identityKey(d.aor.value), p);
      for (const impu of d.impus) add(byImpu, identityKey(impu.value), p);
    }
  }
  for (const list of [...byImpi.values(), ...byImpu.values()]) list.sort((a, b) => a.firstFrame - b.firstFrame);
  for (const r of records) {
    const candidates = (r.impi !== undefined ? byImpi.get(r.impi.toLowerCase()) : undefined) ?? (r.impu !== undefined ? byImpu.get(identityKey(r.impu)) : undefined);
    if (candidates === undefined || candidates.length === 0) continue;
    const frame = r.requestFrame ?? r.answerFrame ?? 0;
    let chosen = candidates[0] as ProcedureDraft;
    for (const p of candidates) if (p.firstFrame <= frame) chosen = p;
    if (chosen.cx.length < MAX_CX_PER_PROCEDURE) chosen.cx.push(r);
  }
}

/** Records indexed by UE subnet, IMSI and MSISDN. */
class SubscriberIndex<T> {
  private readonly bySubnet = new Map<string, T[]>();
  private readonly byImsi = new Map<string, T[]>();
  private readonly byMsisdn = new Map<string, T[]>();

  constructor(
    records: readonly T[],
    private readonly addresses: (r: T) => readonly { address: string; prefixLength?: number }[],
    ids: (r: T) => { imsi?: string; msisdn?: string },
  ) {
    for (const r of records) {
      for (const a of addresses(r)) {
        const key = subnetKey(a.address);
        if (key !== undefined) push(this.bySubnet, key, r);
      }
      const { imsi, msisdn } = ids(r);
      if (imsi !== undefined) push(this.byImsi, imsi, r);
      if (msisdn !== undefined) push(this.byMsisdn, digits(msisdn), r);
    }
  }

  byAddress(address: string): T[] {
    const key = subnetKey(address);
    const list = key === undefined ? undefined : this.bySubnet.get(key);
    return (list ?? []).filter((r) => this.addresses(r).some((a) => addressMatches(address, a.address, a.prefixLength)));
  }

  byIdentity(imsi: string | undefined, msisdns: readonly string[]): T[] {
    const out = new Set<T>();
    if (imsi !== undefined) for (const r of this.byImsi.get(imsi) ?? []) out.add(r);
    for (const m of msisdns) for (const r of this.byMsisdn.get(digits(m)) ?? []) out.add(r);
    return [...out];
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function digits(text: string): string {
  let out = '';
  for (const c of text) if (c >= '0' && c <= '9') out += c;
  return out;
}

export function imsiOfDraft(d: RegistrationDraft): string | undefined {
  return d.impi === undefined ? undefined : imsiFromImpi(d.impi.value);
}

export class PdnIndex {
  private readonly index: SubscriberIndex<PdnRecord>;

  constructor(records: readonly PdnRecord[]) {
    this.index = new SubscriberIndex(
      records,
      (r) => r.ueAddresses.map((address) => (r.ipv6PrefixLength !== undefined && address.includes(':') ? { address, prefixLength: r.ipv6PrefixLength } : { address })),
      (r) => ({ ...(r.imsi !== undefined ? { imsi: r.imsi } : {}), ...(r.msisdn !== undefined ? { msisdn: r.msisdn } : {}) }),
    );
  }

  /**
   * The UE's PDN connection: the one whose PAA holds the REGISTER's source address, else one of
   * its IMSI / MSISDN; the IMS APN first, then the latest set up before the registration.
   */
  forRegistration(d: RegistrationDraft): PdnRecord | undefined {
    let found = d.ueAddress !== undefined ? this.index.byAddress(d.ueAddress) : [];
    if (found.length === 0) found = this.index.byIdentity(imsiOfDraft(d), d.msisdn.map((m) => m.value));
    if (found.length === 0) return undefined;
    const ims = found.filter((p) => p.apn?.toLowerCase().split('.').includes('ims') === true);
    const pool = ims.length > 0 ? ims : found;
    let chosen = pool[0] as PdnRecord;
    for (const p of pool) if (p.requestFrame <= d.firstFrame) chosen = p;
    return chosen;
  }
}

export class PolicyIndex {
  private readonly index: SubscriberIndex<PolicyRecord>;

  constructor(records: readonly PolicyRecord[]) {
    this.index = new SubscriberIndex(
      records,
      (r) => r.session.addresses,
      (r) => ({ ...(r.session.imsi !== undefined ? { imsi: r.session.imsi } : {}), ...(r.session.msisdn !== undefined ? { msisdn: r.session.msisdn } : {}) }),
    );
  }

  /** Rx and Gx exchanges about the UE: by its address, and (Gx) by its IMSI or MSISDN, in frame order. */
  forRegistration(d: RegistrationDraft, imsi: string | undefined, msisdns: readonly string[]): PolicyRecord[] {
    const found = new Set<PolicyRecord>(d.ueAddress !== undefined ? this.index.byAddress(d.ueAddress) : []);
    for (const r of this.index.byIdentity(imsi, msisdns)) if (r.app === 'gx') found.add(r);
    return [...found].sort((a, b) => a.exchange.requestFrame - b.exchange.requestFrame);
  }
}

