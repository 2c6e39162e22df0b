// Reading the Diameter AVP values the registration report shows: texts, numbers, enumerated
// names, the UE address (Framed-IP-Address / Framed-IPv6-Prefix), Subscription-Id, ARP and the
// outcome of an answer.
import { formatIpv6 } from '../../net/address.js';
import { VENDOR_3GPP } from '../../protocols/diameter/avp-dictionary.js';
import { avpNumber, avpText, findAvp, findAvps, resultCode, type AvpSource } from '../../protocols/diameter/query.js';
import type { DiameterAvp, DiameterMessage } from '../../protocols/diameter/types.js';
import type { ArpView } from './types.js';

// RFC 7155 §4.4.10.5.1 Framed-IP-Address, RFC 3162 §2.3 Framed-IPv6-Prefix.
const FRAMED_IP_ADDRESS = 8;
const FRAMED_IPV6_PREFIX = 97;
// RFC 4006 §8.46–§8.48 Subscription-Id.
const SUBSCRIPTION_ID = 443;
const SUBSCRIPTION_ID_DATA = 444;
const SUBSCRIPTION_ID_TYPE = 450;
// TS 29.212 §5.3.32 Allocation-Retention-Priority and its members.
const PRIORITY_LEVEL = 1046;
const PRE_EMPTION_CAPABILITY = 1047;
const PRE_EMPTION_VULNERABILITY = 1048;

export function text3gpp(source: AvpSource, code: number): string | undefined {
  return avpText(findAvp(source, code, VENDOR_3GPP));
}

export function number3gpp(source: AvpSource, code: number): number | undefined {
  return avpNumber(findAvp(source, code, VENDOR_3GPP));
}

/** The name of an Enumerated AVP's value (the number when the dictionary has no name). */
export function enumText(avp: DiameterAvp | undefined): string | undefined {
  if (avp === undefined) return undefined;
  if (avp.value.type === 'Enumerated') return avp.value.name ?? String(avp.value.value);
  const n = avpNumber(avp);
  return n === undefined ? undefined : String(n);
}

export function enum3gpp(source: AvpSource, code: number): string | undefined {
  return enumText(findAvp(source, code, VENDOR_3GPP));
}

/** Every value of an Enumerated AVP, by name. */
export function enums3gpp(source: AvpSource, code: number): string[] {
  const out: string[] = [];
  for (const avp of findAvps(source, code, VENDOR_3GPP)) {
    const name = enumText(avp);
    if (name !== undefined) out.push(name);
  }
  return out;
}

/** The UE's addresses a request names: Framed-IP-Address and the Framed-IPv6-Prefix (as prefix/length). */
export function framedAddresses(message: DiameterMessage): { address: string; prefixLength?: number }[] {
  const out: { address: string; prefixLength?: number }[] = [];
  const v4 = avpText(findAvp(message, FRAMED_IP_ADDRESS, 0));
  if (v4 !== undefined) out.push({ address: v4 });
  const prefix = findAvp(message, FRAMED_IPV6_PREFIX, 0);
  if (prefix !== undefined && prefix.data.length >= 2) {
    // RFC 3162 §2.3: Reserved (1 octet), Prefix-Length (1 octet), Prefix (up to 16 octets).
    const length = prefix.data[1] ?? 0;
    const bytes = new Uint8Array(16);
    bytes.set(prefix.data.subarray(2, Math.min(prefix.data.length, 18)));
    if (length <= 128) out.push({ address: formatIpv6(bytes, 0), prefixLength: length });
  }
  return out;
}

/** RFC 4006 §8.47: END_USER_E164 (0) is an MSISDN, END_USER_IMSI (1) an IMSI, END_USER_SIP_URI (2) an IMPU. */
export function subscriptionIds(message: DiameterMessage): { type: number; data: string }[] {
  const out: { type: number; data: string }[] = [];
  for (const group of findAvps(message, SUBSCRIPTION_ID, 0)) {
    const type = avpNumber(findAvp(group, SUBSCRIPTION_ID_TYPE, 0));
    const data = avpText(findAvp(group, SUBSCRIPTION_ID_DATA, 0));
    if (type !== undefined && data !== undefined) out.push({ type, data });
  }
  return out;
}

/** TS 29.212 §5.3.32: PRE-EMPTION_CAPABILITY_ENABLED (0) means the bearer may pre-empt. */
export function arpOf(group: DiameterAvp | undefined): ArpView | undefined {
  if (group === undefined) return undefined;
  const level = number3gpp(group, PRIORITY_LEVEL);
  if (level === undefined) return undefined;
  return {
    priorityLevel: level,
    preemptionCapability: (number3gpp(group, PRE_EMPTION_CAPABILITY) ?? 1) === 0,
    preemptionVulnerability: (number3gpp(group, PRE_EMPTION_VULNERABILITY) ?? 0) === 0,
  };
}

export function resultOf(message: DiameterMessage): { code: number; name?: string; experimental: boolean } | undefined {
  const r = resultCode(message);
  if (r === undefined) return undefined;
  return r.name === undefined ? { code: r.code, experimental: r.experimental } : { code: r.code, name: r.name, experimental: r.experimental };
}

/** Pairs requests with answers (RFC 6733 §3: same Hop-by-Hop and End-to-End Identifiers and command). */
export function transactionKey(message: DiameterMessage): string {
  return `${message.hopByHop}:${message.endToEnd}:${message.commandCode}`;
}
