// Policy control around a registration: Rx (TS 29.214, P-CSCF ↔ PCRF: what the AF asked for —
// media components, flows, specific actions) and Gx (TS 29.212, PGW ↔ PCRF: the IMS PDN
// connection's default bearer QoS, APN-AMBR and the PCC rules installed). Each exchange is kept
// with the UE address and subscription ids of its session, for matching to a registration.
import { VENDOR_3GPP } from '../../protocols/diameter/avp-dictionary.js';
import { avpNumber, findAvp, findAvps, sessionId } from '../../protocols/diameter/query.js';
import type { DiameterAvp, DiameterMessage } from '../../protocols/diameter/types.js';
import { arpOf, enum3gpp, enums3gpp, enumText, framedAddresses, number3gpp, resultOf, subscriptionIds, transactionKey } from './diameter-read.js';
import type { GxExchange, GxRule, RxExchange, RxMediaComponent } from './types.js';

// TS 29.230 §7.2: application ids of Rx and Gx.
const RX_APPLICATION = 16777236;
const GX_APPLICATION = 16777238;

const COMMANDS: ReadonlyMap<number, string> = new Map([
  [265, 'AAR/AAA'], // RFC 7155 §3.1, TS 29.214 §5.6.1
  [258, 'RAR/RAA'], // RFC 6733 §8.3.1
  [275, 'STR/STA'], // RFC 6733 §8.4.1
  [274, 'ASR/ASA'], // RFC 6733 §8.5.1
  [272, 'CCR/CCA'], // RFC 4006 §3.1, TS 29.212 §5.6.2
]);

// TS 29.214 §5.3 Rx AVPs.
const AF_APPLICATION_IDENTIFIER = 504;
const FLOW_DESCRIPTION = 507;
const FLOW_NUMBER = 509;
const FLOW_STATUS = 511;
const FLOW_USAGE = 512;
const SPECIFIC_ACTION = 513;
const MAX_REQUESTED_BANDWIDTH_DL = 515;
const MAX_REQUESTED_BANDWIDTH_UL = 516;
const MEDIA_COMPONENT_DESCRIPTION = 517;
const MEDIA_COMPONENT_NUMBER = 518;
const MEDIA_SUB_COMPONENT = 519;
const MEDIA_TYPE = 520;
// TS 29.212 §5.3 Gx AVPs; RFC 4006 §8.3 CC-Request-Type.
const CC_REQUEST_TYPE = 416;
const CHARGING_RULE_INSTALL = 1001;
const CHARGING_RULE_REMOVE = 1002;
const CHARGING_RULE_DEFINITION = 1003;
const CHARGING_RULE_BASE_NAME = 1004;
const CHARGING_RULE_NAME = 1005;
const QOS_INFORMATION = 1016;
const QOS_CLASS_IDENTIFIER = 1028;
const ALLOCATION_RETENTION_PRIORITY = 1034;
const APN_AMBR_DL = 1040;
const APN_AMBR_UL = 1041;
const DEFAULT_EPS_BEARER_QOS = 1049;

const utf8 = new TextDecoder('utf-8', { fatal: false });

export interface PolicySession {
  readonly addresses: readonly { readonly address: string; readonly prefixLength?: number }[];
  readonly imsi?: string;
  readonly msisdn?: string;
  readonly impu?: string;
}

export type PolicyRecord =
  | { readonly app: 'rx'; readonly exchange: RxExchange; readonly session: PolicySession }
  | { readonly app: 'gx'; readonly exchange: GxExchange; readonly session: PolicySession };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type RxDraft = Mutable<RxExchange> & { mediaComponents: RxMediaComponent[]; specificActions: string[] };
type GxDraft = Mutable<GxExchange> & { rulesInstalled: GxRule[]; rulesRemoved: string[] };
type Draft = { app: 'rx'; x: RxDraft; sessionId?: string } | { app: 'gx'; x: GxDraft; sessionId?: string };

export interface PolicyCollectorOptions {
  /** Exchanges and sessions kept (the rest are counted). Default 100 000. */
  readonly maxExchanges?: number;
}

export class PolicyCollector {
  private readonly pending = new Map<string, Draft>();
  private readonly done: Draft[] = [];
  private readonly sessions = new Map<string, Mutable<PolicySession>>();
  private readonly max: number;
  dropped = 0;
  rxMessages = 0;
  gxMessages = 0;

  constructor(options: PolicyCollectorOptions = {}) {
    this.max = options.maxExchanges ?? 100_000;
  }

  static appOf(message: DiameterMessage): 'rx' | 'gx' | undefined {
    if (!COMMANDS.has(message.commandCode)) return undefined;
    if (message.applicationId === RX_APPLICATION) return 'rx';
    if (message.applicationId === GX_APPLICATION) return 'gx';
    return undefined;
  }

  add(message: DiameterMessage, frame: number, ts: number): void {
    const app = PolicyCollector.appOf(message);
    if (app === undefined) return;
    if (app === 'rx') this.rxMessages++;
    else this.gxMessages++;
    const session = sessionId(message);
    if (session !== undefined) this.learnSession(session, message);
    const key = transactionKey(message);
    if (message.flags.request) {
      const draft = this.newDraft(app, message, frame, ts, session);
      this.read(draft, message);
      if (this.pending.size >= this.max) this.flushOldest();
      this.pending.set(key, draft);
      return;
    }
    const draft = this.pending.get(key) ?? this.newDraft(app, message, frame, ts, session);
    this.pending.delete(key);
    draft.x.answerFrame = frame;
    const result = resultOf(message);
    if (result !== undefined) draft.x.result = result.name === undefined ? { code: result.code } : { code: result.code, name: result.name };
    this.read(draft, message);
    this.keep(draft);
  }

  finish(): PolicyRecord[] {
    for (const d of this.pending.values()) this.keep(d);
    this.pending.clear();
    const empty: PolicySession = { addresses: [] };
    return this.done
      .sort((a, b) => a.x.requestFrame - b.x.requestFrame)
      .map((d) => {
        const session = (d.sessionId !== undefined ? this.sessions.get(d.sessionId) : undefined) ?? empty;
        return d.app === 'rx' ? { app: 'rx', exchange: d.x, session } : { app: 'gx', exchange: d.x, session };
      });
  }

  private newDraft(app: 'rx' | 'gx', message: DiameterMessage, frame: number, ts: number, session: string | undefined): Draft {
    const common = { command: COMMANDS.get(message.commandCode) ?? String(message.commandCode), requestFrame: frame, ts, ...(session !== undefined ? { sessionId: session } : {}) };
    const sid = session !== undefined ? { sessionId: session } : {};
    return app === 'rx'
      ? { app, x: { ...common, mediaComponents: [], specificActions: [] }, ...sid }
      : { app, x: { ...common, rulesInstalled: [], rulesRemoved: [] }, ...sid };
  }

  private read(draft: Draft, message: DiameterMessage): void {
    if (draft.app === 'rx') readRx(draft.x, message);
    else readGx(draft.x, message);
  }

  /** The UE address and subscription of a session, from whichever message names them. */
  private learnSession(session: string, message: DiameterMessage): void {
    let s = this.sessions.get(session);
    const addresses = framedAddresses(message);
    const ids = subscriptionIds(message);
    if (s === undefined) {
      if (addresses.length === 0 && ids.length === 0) return;
      if (this.sessions.size >= this.max) {
        const oldest = this.sessions.keys().next();
        if (oldest.done !== true) this.sessions.delete(oldest.value);
      }
      s = { addresses: [] };
      this.sessions.set(session, s);
    }
    if (s.addresses.length === 0 && addresses.length > 0) s.addresses = addresses;
    for (const id of ids) {
      // RFC 4006 §8.47: 0 END_USER_E164, 1 END_USER_IMSI, 2 END_USER_SIP_URI.
      if (id.type === 0) s.msisdn ??= id.data;
      else if (id.type === 1) s.imsi ??= id.data;
      else if (id.type === 2) s.impu ??= id.data;
    }
  }

  private keep(draft: Draft): void {
    if (this.done.length >= this.max) {
      this.dropped++;
      return;
    }
    this.done.push(draft);
  }

  private flushOldest(): void {
    const oldest = this.pending.entries().next();
    if (oldest.done === true) return;
    this.pending.delete(oldest.value[0]);
    this.keep(oldest.value[1]);
  }
}

function octetText(avp: DiameterAvp | undefined): string | undefined {
  if (avp === undefined) return undefined;
  const v = avp.value;
  if (v.type === 'UTF8String' || v.type === 'IPFilterRule' || v.type === 'DiameterIdentity' || v.type === 'DiameterURI') return v.text;
  return utf8.decode(avp.data);
}

/** TS 29.214 §5.3.7 Media-Component-Description and §5.3.11 Media-Sub-Component. */
function readRx(x: RxDraft, message: DiameterMessage): void {
  const appId = octetText(findAvp(message, AF_APPLICATION_IDENTIFIER, VENDOR_3GPP));
  if (appId !== undefined) x.afApplicationId = appId;
  for (const action of enums3gpp(message, SPECIFIC_ACTION)) if (!x.specificActions.includes(action)) x.specificActions.push(action);
  for (const mcd of findAvps(message, MEDIA_COMPONENT_DESCRIPTION, VENDOR_3GPP)) {
    const number = number3gpp(mcd, MEDIA_COMPONENT_NUMBER);
    const mediaType = enum3gpp(mcd, MEDIA_TYPE);
    const ul = number3gpp(mcd, MAX_REQUESTED_BANDWIDTH_UL);
    const dl = number3gpp(mcd, MAX_REQUESTED_BANDWIDTH_DL);
    const status = enum3gpp(mcd, FLOW_STATUS);
    const flows = findAvps(mcd, MEDIA_SUB_COMPONENT, VENDOR_3GPP).map((msc) => {
      const flowNumber = number3gpp(msc, FLOW_NUMBER);
      const usage = enum3gpp(msc, FLOW_USAGE);
      const descriptions = findAvps(msc, FLOW_DESCRIPTION, VENDOR_3GPP).map(octetText).filter((d): d is string => d !== undefined);
      return { descriptions, ...(flowNumber !== undefined ? { number: flowNumber } : {}), ...(usage !== undefined ? { usage } : {}) };
    });
    x.mediaComponents.push({
      flows,
      ...(number !== undefined ? { number } : {}),
      ...(mediaType !== undefined ? { mediaType } : {}),
      ...(ul !== undefined ? { maxRequestedBandwidthUl: ul } : {}),
      ...(dl !== undefined ? { maxRequestedBandwidthDl: dl } : {}),
      ...(status !== undefined ? { flowStatus: status } : {}),
    });
  }
}

/** TS 29.212 §5.3.1–§5.3.4 Charging-Rule-Install / -Remove / -Definition, §5.3.16 QoS-Information, §5.3.48 Default-EPS-Bearer-QoS. */
function readGx(x: GxDraft, message: DiameterMessage): void {
  const type = enumText(findAvp(message, CC_REQUEST_TYPE, 0));
  if (type !== undefined) x.requestType = type;
  for (const install of findAvps(message, CHARGING_RULE_INSTALL, VENDOR_3GPP)) {
    for (const def of findAvps(install, CHARGING_RULE_DEFINITION, VENDOR_3GPP)) {
      const name = octetText(findAvp(def, CHARGING_RULE_NAME, VENDOR_3GPP));
      const qos = findAvp(def, QOS_INFORMATION, VENDOR_3GPP);
      const qci = qos === undefined ? undefined : avpNumber(findAvp(qos, QOS_CLASS_IDENTIFIER, VENDOR_3GPP));
      const arp = qos === undefined ? undefined : arpOf(findAvp(qos, ALLOCATION_RETENTION_PRIORITY, VENDOR_3GPP));
      x.rulesInstalled.push({ name: name ?? '(unnamed)', ...(qci !== undefined ? { qci } : {}), ...(arp !== undefined ? { arp } : {}) });
    }
    for (const code of [CHARGING_RULE_NAME, CHARGING_RULE_BASE_NAME]) {
      for (const n of findAvps(install, code, VENDOR_3GPP)) {
        const name = octetText(n);
        if (name !== undefined) x.rulesInstalled.push({ name });
      }
    }
  }
  for (const remove of findAvps(message, CHARGING_RULE_REMOVE, VENDOR_3GPP)) {
    for (const code of [CHARGING_RULE_NAME, CHARGING_RULE_BASE_NAME]) {
      for (const n of findAvps(remove, code, VENDOR_3GPP)) {
        const name = octetText(n);
        if (name !== undefined) x.rulesRemoved.push(name);
      }
    }
  }
  const bearer = findAvp(message, DEFAULT_EPS_BEARER_QOS, VENDOR_3GPP);
  if (bearer !== undefined) {
    const qci = avpNumber(findAvp(bearer, QOS_CLASS_IDENTIFIER, VENDOR_3GPP));
    const arp = arpOf(findAvp(bearer, ALLOCATION_RETENTION_PRIORITY, VENDOR_3GPP));
    if (qci !== undefined) x.defaultBearerQci = qci;
    if (arp !== undefined) x.defaultBearerArp = arp;
  }
  const qos = findAvp(message, QOS_INFORMATION, VENDOR_3GPP);
  if (qos !== undefined) {
    const ul = number3gpp(qos, APN_AMBR_UL);
    const dl = number3gpp(qos, APN_AMBR_DL);
    if (ul !== undefined || dl !== undefined) x.apnAmbr = { ...(ul !== undefined ? { uplinkBps: ul } : {}), ...(dl !== undefined ? { downlinkBps: dl } : {}) };
  }
}
