// The normalised input of the SQN resynchronisation analysis: one event per AKA step, whether
// it was seen on Gm/Mw (SIP), Cx (S-CSCF ↔ HSS) or S6a (MME ↔ HSS). Adapters build these from
// decoded messages; byte fields may be views into packet buffers (the analyzer copies what it keeps).

/** Identity and position shared by every event. */
export interface AkaEventBase {
  /** Private user identity (TS 23.003 §13.3), e.g. Authorization username or Cx User-Name. */
  readonly impi?: string;
  /** IMSI (TS 23.003 §2.2), e.g. S6a User-Name. */
  readonly imsi?: string;
  /** tshark-compatible 1-based frame number. */
  readonly frameNo: number;
  /** Capture time, floating seconds since the epoch. */
  readonly ts: number;
  /** SIP Call-ID: events without an identity are attributed through it. */
  readonly callId?: string;
  /** Diameter Session-Id: events without an identity are attributed through it. */
  readonly sessionId?: string;
}

/**
 * A challenge: RAND and AUTN as raw bytes (Cx SIP-Authenticate AVP 609 = RAND ‖ AUTN,
 * TS 29.229 §6.3.10; S6a E-UTRAN-Vector RAND 1447 / AUTN 1449, TS 29.272 §7.3.18), or the
 * Digest nonce of a 401 WWW-Authenticate (RFC 3310 §3.2: base64 of RAND ‖ AUTN ‖ server data).
 */
export type AkaChallengeEvent = AkaEventBase & {
  readonly kind: 'challenge';
  readonly source: 'sip-401' | 'cx-maa' | 's6a-aia';
  /** XRES / CK / IK as the HSS sent them (Cx AVPs 610, 625, 626; S6a XRES 1448). */
  readonly xres?: Uint8Array;
  readonly ck?: Uint8Array;
  readonly ik?: Uint8Array;
} & ({ readonly rand: Uint8Array; readonly autn: Uint8Array } | { readonly nonce: string });

/**
 * A resynchronisation request: the `auts` Digest parameter of a REGISTER (RFC 3310 §3.4, raw
 * bytes or its base64 text), optionally with the RAND it answers, or the 30-byte RAND ‖ AUTS of
 * Cx SIP-Authorization (AVP 610, TS 29.229 §6.3.11) / S6a Re-Synchronization-Info (AVP 1411,
 * TS 29.272 §7.3.15).
 */
export type AkaResyncEvent = AkaEventBase & {
  readonly kind: 'resync';
  readonly source: 'sip-register' | 'cx-mar' | 's6a-air';
} & ({ readonly auts: Uint8Array | string; readonly rand?: Uint8Array } | { readonly randAuts: Uint8Array });

/** A REGISTER that answers a challenge with a Digest response (RES accepted by the UE). */
export interface AkaAuthResponseEvent extends AkaEventBase {
  readonly kind: 'auth-response';
  readonly source: 'sip-register';
  readonly impi: string;
  /** The nonce the response answers, when the Authorization header carries one. */
  readonly nonce?: string;
}

/**
 * How an authentication ended: SIP final response to REGISTER other than 401/407 (200 =
 * success); Cx MAA/SAA or S6a AIA/ULA Result-Code or Experimental-Result-Code (2xxx with SAA or
 * ULA = success; any error = failure).
 */
export interface AkaOutcomeEvent extends AkaEventBase {
  readonly kind: 'outcome';
  readonly source: 'sip' | 'cx' | 's6a';
  readonly success: boolean;
  /** SIP status code. */
  readonly status?: number;
  /** Diameter Result-Code or Experimental-Result-Code. */
  readonly resultCode?: number;
}

export type AkaEvent = AkaChallengeEvent | AkaResyncEvent | AkaAuthResponseEvent | AkaOutcomeEvent;
