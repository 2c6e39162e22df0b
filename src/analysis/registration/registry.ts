// Which registration a REGISTER belongs to. A registration is a UE's private identity and contact
// binding (RFC 3261 §10: an AoR and a contact; TS 24.229 §5.1.1.2: the IMPI in Authorization).
// A REGISTER joins the registration of its Call-ID with the same contact (a UE keeps its Call-ID
// across refreshes, RFC 3261 §10.2.4), else of the same IMPI and contact, else of the same AoR
// and contact; otherwise it starts a new one. The number of registrations kept is capped.
import type { Fact } from './types.js';
import { newRegistration, type RegistrationDraft } from './drafts.js';

/** Call-IDs remembered per registration (a UE that changes Call-ID on every refresh is found by IMPI). */
const MAX_CALL_IDS = 64;

export interface RegisterKeys {
  readonly callId: string;
  /** Binding key of the first contact, "*" for a remove-all, undefined without a Contact. */
  readonly contactKey?: string;
  readonly contactText?: string;
  readonly impi?: { readonly value: string; readonly source: string };
  readonly aor?: string;
  readonly frame: number;
}

export class RegistrationRegistry {
  readonly all: RegistrationDraft[] = [];
  private readonly byCallId = new Map<string, RegistrationDraft[]>();
  private readonly byImpiContact = new Map<string, RegistrationDraft>();
  private readonly byAorContact = new Map<string, RegistrationDraft>();
  private readonly byContact = new Map<string, RegistrationDraft>();
  /** REGISTER transactions that would have opened a registration beyond the cap. */
  dropped = 0;

  constructor(private readonly maxRegistrations: number) {}

  /** The registration of a REGISTER, created when none matches; undefined when the cap is reached. */
  forRegister(k: RegisterKeys): RegistrationDraft | undefined {
    const found = this.find(k);
    if (found !== undefined) {
      this.learn(found, k);
      return found;
    }
    if (k.contactKey === undefined || k.contactKey === '*') {
      // A binding query or a remove-all whose bindings the capture never showed: keyed by its Call-ID.
      return this.create(k, `call:${k.callId}`, k.contactText ?? '(no Contact)', false);
    }
    return this.create(k, k.contactKey, k.contactText ?? k.contactKey, false);
  }

  /** Records what a REGISTER of a known registration says (its Call-ID, credentials, AoR). */
  join(r: RegistrationDraft, k: RegisterKeys): RegistrationDraft {
    this.learn(r, k);
    return r;
  }

  /** A registration made from requests over an SA (no REGISTER in the capture). */
  forInUse(contactKey: string, contactText: string, frame: number): RegistrationDraft | undefined {
    const known = this.byContact.get(contactKey);
    if (known !== undefined) return known;
    return this.create({ callId: '', frame }, contactKey, contactText, true);
  }

  byContactKey(contactKey: string): RegistrationDraft | undefined {
    return this.byContact.get(contactKey);
  }

  private find(k: RegisterKeys): RegistrationDraft | undefined {
    const sameCall = this.byCallId.get(k.callId);
    if (sameCall !== undefined) {
      const withContact = sameCall.find((r) => r.contactKey === k.contactKey);
      if (withContact !== undefined) return withContact;
      // "Contact: *" and binding queries name no contact: the Call-ID's latest registration.
      if (k.contactKey === undefined || k.contactKey === '*') return sameCall[sameCall.length - 1];
    }
    if (k.contactKey === undefined) return undefined;
    if (k.impi !== undefined) {
      const r = this.byImpiContact.get(`${k.impi.value}\u0000${k.contactKey}`);
      if (r !== undefined) return r;
    }
    if (k.aor !== undefined) {
      const r = this.byAorContact.get(`${k.aor}\u0000${k.contactKey}`);
      if (r !== undefined) return r;
    }
    const inUse = this.byContact.get(k.contactKey);
    return inUse?.inUse === true ? inUse : undefined;
  }

  private create(k: RegisterKeys, contactKey: string, contactText: string, inUse: boolean): RegistrationDraft | undefined {
    if (this.all.length >= this.maxRegistrations) {
      this.dropped++;
      return undefined;
    }
    const contact: Fact<string> = { value: contactText, frame: k.frame, source: inUse ? 'Contact of a request sent over the security agreement' : 'Contact of the REGISTER' };
    const r = newRegistration(this.all.length + 1, contact, contactKey, inUse);
    this.all.push(r);
    if (!this.byContact.has(contactKey)) this.byContact.set(contactKey, r);
    this.learn(r, k);
    return r;
  }

  /** Indexes a registration under what this REGISTER says about it; credentials replace a From-derived IMPI. */
  private learn(r: RegistrationDraft, k: RegisterKeys): void {
    if (k.callId !== '' && !r.callIds.includes(k.callId) && r.callIds.length < MAX_CALL_IDS) {
      r.callIds.push(k.callId);
      const list = this.byCallId.get(k.callId);
      if (list === undefined) this.byCallId.set(k.callId, [r]);
      else list.push(r);
    }
    const fromCredentials = k.impi?.source === 'Authorization username';
    if (k.impi !== undefined && (r.impi === undefined || (fromCredentials && !r.impiFromCredentials))) {
      r.impi = { value: k.impi.value, frame: k.frame, source: k.impi.source };
      r.impiFromCredentials = fromCredentials;
    }
    if (r.impi !== undefined) this.byImpiContact.set(`${r.impi.value}\u0000${r.contactKey}`, r);
    if (k.aor !== undefined) {
      r.aor ??= { value: k.aor, frame: k.frame, source: 'To of the REGISTER' };
      this.byAorContact.set(`${k.aor}\u0000${r.contactKey}`, r);
    }
  }
}
