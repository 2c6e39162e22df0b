// Typed records of a decoded Diameter message (RFC 6733 §3 header, §4 AVPs).
import type { DecodeError } from '../../decode-error.js';

/** RFC 6733 §4.2 basic types plus the derived types of §4.3 that change how data reads. */
export type DiameterAvpType =
  | 'OctetString'
  | 'Integer32'
  | 'Integer64'
  | 'Unsigned32'
  | 'Unsigned64'
  | 'Float32'
  | 'Float64'
  | 'Grouped'
  | 'Address'
  | 'Time'
  | 'UTF8String'
  | 'DiameterIdentity'
  | 'DiameterURI'
  | 'Enumerated'
  | 'IPFilterRule';

/** The AVP data read as its dictionary type. `Unknown` when the AVP is not in the dictionary. */
export type DiameterAvpValue =
  | { readonly type: 'OctetString'; readonly hex: string }
  | { readonly type: 'UTF8String' | 'DiameterIdentity' | 'DiameterURI' | 'IPFilterRule'; readonly text: string }
  | { readonly type: 'Integer32' | 'Unsigned32' | 'Float32' | 'Float64'; readonly value: number }
  | { readonly type: 'Integer64' | 'Unsigned64'; readonly value: bigint }
  | { readonly type: 'Enumerated'; readonly value: number; readonly name?: string }
  /** RFC 6733 §4.3.1: family (IANA address family number) + address; `text` is IPv4/IPv6 text or hex. */
  | { readonly type: 'Address'; readonly family: number; readonly text: string }
  /** RFC 6733 §4.3.1: NTP seconds; `unixSeconds` and `iso` are the same instant. */
  | { readonly type: 'Time'; readonly unixSeconds: number; readonly iso: string }
  | { readonly type: 'Grouped'; readonly avps: readonly DiameterAvp[] }
  /** Not in the dictionary: read `data` (hex given for convenience). */
  | { readonly type: 'Unknown'; readonly hex: string }
  /** The data does not fit the dictionary type (e.g. an Unsigned32 of 3 bytes); `hex` keeps it. */
  | { readonly type: 'Invalid'; readonly reason: string; readonly hex: string };

export interface DiameterAvpFlags {
  /** V bit: a Vendor-ID field is present. */
  readonly vendor: boolean;
  /** M bit. */
  readonly mandatory: boolean;
  /** P bit. */
  readonly protected: boolean;
}

export interface DiameterAvp {
  readonly code: number;
  /** 0 when the V bit is clear. */
  readonly vendorId: number;
  readonly flags: DiameterAvpFlags;
  /** AVP Length field: header + data, without padding. */
  readonly length: number;
  /** Dictionary name, e.g. "Session-Id"; undefined for AVPs the dictionary does not know. */
  readonly name?: string;
  /** Data bytes (no header, no padding): a view into the decoded bytes. Copy before keeping. */
  readonly data: Uint8Array;
  readonly value: DiameterAvpValue;
  /** Byte offset of the AVP header within the decoded message. */
  readonly offset: number;
}

export interface DiameterFlags {
  /** R bit: request (clear: answer). */
  readonly request: boolean;
  /** P bit: proxiable. */
  readonly proxiable: boolean;
  /** E bit: protocol error answer. */
  readonly error: boolean;
  /** T bit: potentially retransmitted. */
  readonly retransmitted: boolean;
}

export interface DiameterMessage {
  readonly version: number;
  /** Message Length field (header + padded AVPs). */
  readonly length: number;
  readonly flags: DiameterFlags;
  readonly commandCode: number;
  readonly applicationId: number;
  readonly hopByHop: number;
  readonly endToEnd: number;
  /** Command name as Wireshark's dictionary spells it, e.g. "3GPP-Authentication-Information". */
  readonly commandName?: string;
  /** Request or answer abbreviation, e.g. "AIR" / "AIA"; undefined for unknown commands. */
  readonly commandAbbrev?: string;
  /** Application name as Wireshark shows it, e.g. "3GPP S6a/S6d". */
  readonly applicationName?: string;
  /** Interface label, e.g. "S6a", "Cx", "Rx", "Gx", "Gy/Ro", "base". */
  readonly interfaceName?: string;
  readonly avps: readonly DiameterAvp[];
  /**
   * Problems found while reading the AVPs (lying lengths, truncation, values that do not fit
   * their type). AVPs before a structural error are kept.
   */
  readonly errors: readonly DecodeError[];
}
