// Records of the AKA structures carried in IMS signalling (RFC 3310, TS 33.102 §6.3).
// Byte fields are views into the decoded input: copy them before keeping them long.

// TS 33.102 §6.3.2 / §6.3.3: field lengths in bytes.
export const RAND_BYTES = 16;
export const AUTN_BYTES = 16;
export const AUTS_BYTES = 14;
export const SQN_BYTES = 6;

/** RFC 3310 §3.2: the Digest nonce is base64(RAND ‖ AUTN ‖ server-specific data). */
export interface AkaNonce {
  /** RAND, 16 bytes. */
  readonly rand: Uint8Array;
  /** AUTN, 16 bytes (split it with splitAutn). */
  readonly autn: Uint8Array;
  /** Server-specific data after AUTN; empty when absent. */
  readonly serverData: Uint8Array;
}

/** TS 33.102 §6.3.2: AUTN = SQN ⊕ AK (6) ‖ AMF (2) ‖ MAC-A (8). */
export interface Autn {
  /** SQN ⊕ AK, 6 bytes (SQN itself when the network does not conceal it). */
  readonly sqnXorAk: Uint8Array;
  /** Authentication management field, 2 bytes. */
  readonly amf: Uint8Array;
  /** MAC-A = f1(K, SQN, RAND, AMF), 8 bytes. */
  readonly macA: Uint8Array;
  /** AMF bit 0 (most significant bit), the "separation bit": 1 marks an E-UTRAN vector. */
  readonly amfSeparationBit: boolean;
}

/** TS 33.102 §6.3.3: AUTS = SQN_MS ⊕ AK* (6) ‖ MAC-S (8). */
export interface Auts {
  /** SQN_MS ⊕ AK*, 6 bytes. */
  readonly sqnMsXorAkStar: Uint8Array;
  /** MAC-S = f1*(K, SQN_MS, RAND, AMF*), 8 bytes. */
  readonly macS: Uint8Array;
}

/**
 * RAND ‖ AUTS as a resynchronising node forwards it to the HSS: Cx SIP-Authorization
 * (AVP 610, TS 29.229 §6.3.11) and S6a Re-Synchronization-Info (AVP 1411, TS 29.272 §7.3.15).
 */
export interface RandAuts {
  /** RAND of the challenge that failed, 16 bytes. */
  readonly rand: Uint8Array;
  /** AUTS as 14 raw bytes. */
  readonly autsBytes: Uint8Array;
  readonly auts: Auts;
}
