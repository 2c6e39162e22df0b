// Typed records of a decoded GTPv2-C message (TS 29.274 §5 header, §8 information elements).
import type { DecodeError } from '../../decode-error.js';

/** PLMN identity (TS 24.008 §10.5.1.3 coding): digit strings, MNC of 2 or 3 digits. */
export interface Plmn {
  readonly mcc: string;
  readonly mnc: string;
}

/** TS 29.274 §8.21.1–§8.21.8 location identities inside a ULI IE; present when flagged. */
export interface UserLocationInfo {
  readonly cgi?: Plmn & { readonly lac: number; readonly ci: number };
  readonly sai?: Plmn & { readonly lac: number; readonly sac: number };
  readonly rai?: Plmn & { readonly lac: number; readonly rac: number };
  readonly tai?: Plmn & { readonly tac: number };
  /** ECI is 28 bits: eNodeB id = ECI >> 8, cell id = ECI & 0xff. */
  readonly ecgi?: Plmn & { readonly eci: number; readonly enodebId: number; readonly cellId: number };
  readonly lai?: Plmn & { readonly lac: number };
  readonly macroEnodebId?: Plmn & { readonly enodebId: number };
  /** `short` set (SMeNB): an 18-bit Short Macro eNodeB ID, else a 21-bit Long one. */
  readonly extendedMacroEnodebId?: Plmn & { readonly enodebId: number; readonly short: boolean };
}

/** One protocol / container of a PCO, APCO or ePCO (TS 24.008 §10.5.6.3; ePCO: TS 24.301 §9.9.4.26). */
export interface PcoContainer {
  readonly id: number;
  readonly name?: string;
  /** Contents: a view into the decoded bytes. Copy before keeping. */
  readonly data: Uint8Array;
  /** IPv4 / IPv6 text for address containers with contents (P-CSCF, DNS). */
  readonly address?: string;
  /** IPv4 link MTU (container 0x0010) when the network sends one. */
  readonly mtu?: number;
  /** IPCP (0x8021): the PPP code and its options; DNS servers named (RFC 1877 §1.1, §1.3). */
  readonly ipcp?: {
    readonly code: number;
    readonly identifier: number;
    readonly options: readonly { readonly type: number; readonly address?: string; readonly data: Uint8Array }[];
    readonly primaryDns?: string;
    readonly secondaryDns?: string;
  };
}

export interface ProtocolConfigurationOptions {
  /** Configuration protocol (octet 3 bits 1–3): 0 = PPP with IP PDP type. */
  readonly configurationProtocol: number;
  readonly containers: readonly PcoContainer[];
}

export type Gtpv2IeValue =
  /** IMSI (§8.3), MSISDN (§8.11), MEI (§8.10): TBCD digits. */
  | { readonly kind: 'digits'; readonly digits: string }
  | {
      readonly kind: 'cause';
      readonly cause: number;
      readonly name?: string;
      /** PDN Connection IE error, Bearer Context IE error, Cause Source. */
      readonly pce: boolean;
      readonly bce: boolean;
      readonly cs: boolean;
      readonly offendingIe?: { readonly type: number; readonly instance: number };
    }
  /** Single-number IEs: Recovery, EBI, RAT Type, PDN Type, Charging ID / Characteristics, APN Restriction, Selection Mode, Node Type… */
  | { readonly kind: 'uint'; readonly value: number; readonly name?: string }
  /** APN (§8.6) and FQDN (§8.66): labels joined with dots. */
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'ambr'; readonly uplinkKbps: number; readonly downlinkKbps: number }
  | { readonly kind: 'ip-address'; readonly address: string }
  | {
      readonly kind: 'paa';
      readonly pdnType: number;
      readonly pdnTypeName?: string;
      readonly ipv4?: string;
      readonly ipv6?: string;
      readonly ipv6PrefixLength?: number;
    }
  | {
      readonly kind: 'bearer-qos';
      /** Pre-emption capability bit (1 = may not pre-empt) and vulnerability bit (1 = not pre-emptable). */
      readonly pci: number;
      readonly pl: number;
      readonly pvi: number;
      readonly qci: number;
      readonly mbrUplinkKbps: number;
      readonly mbrDownlinkKbps: number;
      readonly gbrUplinkKbps: number;
      readonly gbrDownlinkKbps: number;
    }
  | {
      readonly kind: 'flow-qos';
      readonly qci: number;
      readonly mbrUplinkKbps: number;
      readonly mbrDownlinkKbps: number;
      readonly gbrUplinkKbps: number;
      readonly gbrDownlinkKbps: number;
    }
  | { readonly kind: 'plmn'; readonly mcc: string; readonly mnc: string }
  | { readonly kind: 'uli'; readonly uli: UserLocationInfo }
  | {
      readonly kind: 'f-teid';
      readonly interfaceType: number;
      readonly interfaceName?: string;
      readonly teid: number;
      readonly ipv4?: string;
      readonly ipv6?: string;
    }
  | { readonly kind: 'pco'; readonly pco: ProtocolConfigurationOptions }
  /** UE Time Zone (§8.44): offset from UTC in quarter hours, daylight saving adjustment in hours. */
  | { readonly kind: 'time-zone'; readonly quarterHours: number; readonly daylightSavingHours: number }
  | { readonly kind: 'grouped'; readonly ies: readonly Gtpv2Ie[] }
  /** Flags (Indication §8.12) and IEs not decoded further: the value octets as hex. */
  | { readonly kind: 'raw'; readonly hex: string }
  | { readonly kind: 'invalid'; readonly reason: string; readonly hex: string };

export interface Gtpv2Ie {
  readonly type: number;
  readonly name?: string;
  /** Length field: octets after the 4-octet IE header. */
  readonly length: number;
  /** The 4 spare bits before the instance (named "CR flag" by Wireshark). */
  readonly cr: number;
  readonly instance: number;
  /** Value octets: a view into the decoded bytes. Copy before keeping. */
  readonly data: Uint8Array;
  readonly value: Gtpv2IeValue;
  /** Offset of the IE header within the bytes given to the decoder. */
  readonly offset: number;
}

export interface Gtpv2Message {
  readonly version: number;
  /** P flag: another message follows this one (TS 29.274 §5.5.1). */
  readonly piggybacked: boolean;
  readonly messageType: number;
  readonly messageName?: string;
  /** Length field: octets after the first 4. */
  readonly length: number;
  /** Present when the T flag is set. */
  readonly teid?: number;
  readonly sequence: number;
  /** Message priority (present when the MP flag is set, TS 29.274 §5.5.1). */
  readonly messagePriority?: number;
  readonly ies: readonly Gtpv2Ie[];
  /** Problems found after the header (lying IE lengths, values that do not fit); earlier IEs are kept. */
  readonly errors: readonly DecodeError[];
  /** Offset of this message within the datagram (non-zero for a piggybacked message). */
  readonly offset: number;
}
