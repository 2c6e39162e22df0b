// The UE's PDN connection from GTPv2-C Create Session Request / Response (TS 29.274 §7.2.1,
// §7.2.2): who (IMSI, MSISDN, MEI), where (ULI), which APN, the UE address (PAA), the P-CSCF
// addresses the network handed out (PCO, TS 24.008 §10.5.6.3) and the default bearer's QoS.
import type { Gtpv2Ie, Gtpv2Message, UserLocationInfo } from '../../protocols/gtpv2/types.js';
import { findIe, findIes, messageCause } from '../../protocols/gtpv2/query.js';
import { IE_AMBR, IE_APCO, IE_APN, IE_BEARER_CONTEXT, IE_BEARER_QOS, IE_EBI, IE_EPCO, IE_IMSI, IE_MEI, IE_MSISDN, IE_PAA, IE_PCO, IE_ULI } from '../../protocols/gtpv2/ie-value.js';
import type { ArpView, UliView } from './types.js';

// TS 29.274 Table 6.1-1.
const CREATE_SESSION_REQUEST = 32;
const CREATE_SESSION_RESPONSE = 33;
// TS 24.008 Table 10.5.154: P-CSCF IPv6 (0x0001) and IPv4 (0x000C) address containers.
const PCSCF_CONTAINERS = new Set([0x0001, 0x000c]);

export interface PdnRecord {
  readonly requestFrame: number;
  readonly responseFrame?: number;
  readonly ts: number;
  readonly imsi?: string;
  readonly msisdn?: string;
  readonly mei?: string;
  readonly apn?: string;
  readonly uli?: UliView;
  readonly ebi?: number;
  readonly qci?: number;
  readonly arp?: ArpView;
  readonly apnAmbr?: { readonly uplinkKbps: number; readonly downlinkKbps: number };
  /** PAA: the IPv4 address and/or the IPv6 prefix (text of the prefix's address). */
  readonly ueAddresses: readonly string[];
  readonly ipv6PrefixLength?: number;
  /** P-CSCF addresses of the response's PCO / APCO / ePCO. */
  readonly pcscf: readonly string[];
  readonly cause?: { readonly value: number; readonly name?: string };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Mutable<PdnRecord> & { ueAddresses: string[]; pcscf: string[]; requestSrc: string; requestDst: string; sequence: number };

export interface PdnCollectorOptions {
  /** PDN connections kept (the rest are counted). Default 100 000. */
  readonly maxConnections?: number;
}

export class PdnCollector {
  private readonly pending = new Map<number, Draft[]>();
  private pendingCount = 0;
  private readonly done: PdnRecord[] = [];
  private readonly max: number;
  dropped = 0;
  messages = 0;

  constructor(options: PdnCollectorOptions = {}) {
    this.max = options.maxConnections ?? 100_000;
  }

  add(message: Gtpv2Message, frame: number, ts: number, src: string, dst: string): void {
    this.messages++;
    if (message.messageType === CREATE_SESSION_REQUEST) this.request(message, frame, ts, src, dst);
    else if (message.messageType === CREATE_SESSION_RESPONSE) this.response(message, frame, src, dst);
  }

  finish(): PdnRecord[] {
    for (const list of this.pending.values()) for (const d of list) this.keep(d);
    this.pending.clear();
    this.pendingCount = 0;
    return this.done.sort((a, b) => a.requestFrame - b.requestFrame);
  }

  private request(message: Gtpv2Message, frame: number, ts: number, src: string, dst: string): void {
    const draft: Draft = { requestFrame: frame, ts, ueAddresses: [], pcscf: [], requestSrc: src, requestDst: dst, sequence: message.sequence };
    const digits = (type: number): string | undefined => {
      const v = findIe(message, type, { instance: 0 })?.value;
      return v?.kind === 'digits' ? v.digits : undefined;
    };
    const imsi = digits(IE_IMSI);
    const msisdn = digits(IE_MSISDN);
    const mei = digits(IE_MEI);
    if (imsi !== undefined) draft.imsi = imsi;
    if (msisdn !== undefined) draft.msisdn = msisdn;
    if (mei !== undefined) draft.mei = mei;
    const apn = findIe(message, IE_APN)?.value;
    if (apn?.kind === 'name') draft.apn = apn.name;
    const uli = findIe(message, IE_ULI)?.value;
    if (uli?.kind === 'uli') draft.uli = uliView(uli.uli);
    this.readCommon(message, draft);
    const list = this.pending.get(message.sequence);
    if (list === undefined) this.pending.set(message.sequence, [draft]);
    else list.push(draft);
    if (++this.pendingCount > this.max) this.flushOldest();
  }

  /** An unanswered request is kept as it is once too many wait. */
  private flushOldest(): void {
    for (const [sequence, list] of this.pending) {
      const oldest = list.shift();
      if (list.length === 0) this.pending.delete(sequence);
      this.pendingCount--;
      if (oldest !== undefined) this.keep(oldest);
      return;
    }
  }

  private response(message: Gtpv2Message, frame: number, src: string, dst: string): void {
    const list = this.pending.get(message.sequence);
    // TS 29.274 §4.2.2: the response goes back to the requester.
    const draft = list?.find((d) => d.requestSrc === dst) ?? list?.find((d) => d.requestDst === src) ?? list?.[0];
    if (list === undefined || draft === undefined) return;
    list.splice(list.indexOf(draft), 1);
    if (list.length === 0) this.pending.delete(message.sequence);
    this.pendingCount--;
    draft.responseFrame = frame;
    const cause = messageCause(message);
    if (cause !== undefined) draft.cause = cause.name === undefined ? { value: cause.cause } : { value: cause.cause, name: cause.name };
    const paa = findIe(message, IE_PAA)?.value;
    if (paa?.kind === 'paa') {
      if (paa.ipv4 !== undefined) draft.ueAddresses.push(paa.ipv4);
      if (paa.ipv6 !== undefined) draft.ueAddresses.push(paa.ipv6);
      if (paa.ipv6PrefixLength !== undefined) draft.ipv6PrefixLength = paa.ipv6PrefixLength;
    }
    for (const type of [IE_PCO, IE_APCO, IE_EPCO]) {
      for (const ie of findIes(message, type)) {
        if (ie.value.kind !== 'pco') continue;
        for (const c of ie.value.pco.containers) if (PCSCF_CONTAINERS.has(c.id) && c.address !== undefined && !draft.pcscf.includes(c.address)) draft.pcscf.push(c.address);
      }
    }
    this.readCommon(message, draft);
    this.keep(draft);
  }

  /** APN-AMBR and the default bearer's EBI, QCI and ARP; a response's values replace the request's. */
  private readCommon(message: Gtpv2Message, draft: Draft): void {
    const ambr = findIe(message, IE_AMBR)?.value;
    if (ambr?.kind === 'ambr') draft.apnAmbr = { uplinkKbps: ambr.uplinkKbps, downlinkKbps: ambr.downlinkKbps };
    const context: Gtpv2Ie | undefined = findIe(message, IE_BEARER_CONTEXT, { instance: 0 });
    if (context === undefined) return;
    const ebi = findIe(context, IE_EBI)?.value;
    if (ebi?.kind === 'uint') draft.ebi = ebi.value;
    const qos = findIe(context, IE_BEARER_QOS)?.value;
    if (qos?.kind === 'bearer-qos') {
      draft.qci = qos.qci;
      // TS 29.274 §8.15: PCI 1 = may not pre-empt, PVI 1 = may not be pre-empted.
      draft.arp = { priorityLevel: qos.pl, preemptionCapability: qos.pci === 0, preemptionVulnerability: qos.pvi === 0 };
    }
  }

  private keep(draft: Draft): void {
    if (this.done.length >= this.max) {
      this.dropped++;
      return;
    }
    const { requestSrc: _src, requestDst: _dst, sequence: _seq, ...record } = draft;
    this.done.push(record);
  }
}

function uliView(uli: UserLocationInfo): UliView {
  return {
    ...(uli.tai !== undefined ? { tai: { mcc: uli.tai.mcc, mnc: uli.tai.mnc, tac: uli.tai.tac } } : {}),
    ...(uli.ecgi !== undefined ? { ecgi: { mcc: uli.ecgi.mcc, mnc: uli.ecgi.mnc, eci: uli.ecgi.eci, enbId: uli.ecgi.enodebId, cellId: uli.ecgi.cellId } } : {}),
  };
}
