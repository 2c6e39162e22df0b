// Authentication of a registration: each 401/407 challenge (scheme, algorithm, nonce decoded into
// RAND and AUTN for AKA, IK/CK where the capture shows them), the MAA vector behind it, and the
// REGISTER that answered it — checked against XRES when the HSS's vector is in the capture.
import { isDecodeError } from '../../decode-error.js';
import { akaPassword } from '../../protocols/aka/aka-password.js';
import { splitAutn } from '../../protocols/aka/autn.js';
import { digestResponse } from '../../protocols/aka/digest-response.js';
import { decodeAkaNonce } from '../../protocols/aka/nonce.js';
import type { AuthHeader } from '../../protocols/sip/auth.js';
import { parseHex, toHex } from '../sqn/hex.js';
import type { AkaNonceView, AuthChallenge, ChallengeAnswer, Fact, Hop } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface ChallengeDraft extends Omit<Mutable<AuthChallenge>, 'frames' | 'ik' | 'ck' | 'answer'> {
  frames: number[];
  ik: Fact<string>[];
  ck: Fact<string>[];
  answer?: Mutable<ChallengeAnswer>;
  /** The `frame` is the copy the UE received. */
  ueCopy: boolean;
}

/** RFC 3310 §3.1 / RFC 4169 §3: "AKAv1-MD5", "AKAv2-MD5"; plain Digest (RFC 2617 §3.2.1) absent or "MD5". */
export function algorithmLabel(header: AuthHeader): string {
  const a = header.algorithm?.trim();
  if (a === undefined || a === '') return `${header.scheme}-MD5`;
  if (a.toUpperCase().startsWith('AKA')) return a.replace(/^aka/i, 'AKA');
  return `${header.scheme}-${a}`;
}

export function isAka(algorithm: string): boolean {
  return algorithm.toUpperCase().startsWith('AKAV');
}

/** RFC 3310 §3.2: nonce = base64(RAND ‖ AUTN ‖ server data); AUTN = SQN ⊕ AK ‖ AMF ‖ MAC (TS 33.102 §6.3.2). */
export function akaNonceView(nonce: string): AkaNonceView | string {
  const decoded = decodeAkaNonce(nonce);
  if (isDecodeError(decoded)) return decoded.reason;
  const autn = splitAutn(decoded.autn);
  if (isDecodeError(autn)) return autn.reason;
  return {
    rand: toHex(decoded.rand),
    autn: toHex(decoded.autn),
    sqnXorAk: toHex(autn.sqnXorAk),
    amf: toHex(autn.amf),
    mac: toHex(autn.macA),
    amfSeparationBit: autn.amfSeparationBit,
    ...(decoded.serverData.length > 0 ? { serverData: toHex(decoded.serverData) } : {}),
  };
}

/** A challenge from one WWW-Authenticate / Proxy-Authenticate value; undefined without a nonce. */
export function challengeDraft(header: AuthHeader, frame: number, ts: number, status: number, hop: Hop): ChallengeDraft | undefined {
  if (header.nonce === undefined) return undefined;
  const algorithm = algorithmLabel(header);
  const draft: ChallengeDraft = {
    frame,
    frames: [frame],
    ts,
    status,
    scheme: header.scheme,
    algorithm,
    nonce: { value: header.nonce, frame, source: status === 407 ? 'Proxy-Authenticate nonce' : 'WWW-Authenticate nonce' },
    ik: [],
    ck: [],
    ueCopy: hop === 'ue',
    ...(header.realm !== undefined ? { realm: header.realm } : {}),
    ...(header.qop !== undefined ? { qop: header.qop.join(',') } : {}),
  };
  if (isAka(algorithm)) {
    const view = akaNonceView(header.nonce);
    if (typeof view === 'string') draft.akaError = view;
    else draft.aka = view;
  }
  addKeys(draft, header, frame);
  return draft;
}

/** Another copy of the same challenge (another hop): its frame, and IK/CK when it carries them. */
export function mergeChallengeCopy(draft: ChallengeDraft, header: AuthHeader, frame: number, ts: number, hop: Hop): void {
  if (!draft.frames.includes(frame)) draft.frames.push(frame);
  if (hop === 'ue' && !draft.ueCopy) {
    draft.frame = frame;
    draft.ts = ts;
    draft.ueCopy = true;
    draft.nonce = { ...draft.nonce, frame };
  }
  addKeys(draft, header, frame);
}

// TS 24.229 §7.2A.2: the S-CSCF → P-CSCF 401 carries ik and ck as hex; the P-CSCF removes them.
function addKeys(draft: ChallengeDraft, header: AuthHeader, frame: number): void {
  if (header.ik !== undefined && header.ik !== '') addFact(draft.ik, { value: header.ik.toLowerCase(), frame, source: 'WWW-Authenticate ik (S-CSCF → P-CSCF)' });
  if (header.ck !== undefined && header.ck !== '') addFact(draft.ck, { value: header.ck.toLowerCase(), frame, source: 'WWW-Authenticate ck (S-CSCF → P-CSCF)' });
}

function addFact(list: Fact<string>[], fact: Fact<string>): void {
  if (!list.some((f) => f.frame === fact.frame && f.value === fact.value)) list.push(fact);
}

/** The MAA vector of this challenge (same RAND ‖ AUTN): XRES, IK, CK (TS 29.229 §6.3.13). */
export function addVector(draft: ChallengeDraft, vector: { frame: number; xres?: string; ik?: string; ck?: string }): void {
  if (vector.xres !== undefined) draft.xres = { value: vector.xres, frame: vector.frame, source: 'MAA SIP-Authorization (XRES)' };
  if (vector.ik !== undefined) addFact(draft.ik, { value: vector.ik, frame: vector.frame, source: 'MAA Integrity-Key' });
  if (vector.ck !== undefined) addFact(draft.ck, { value: vector.ck, frame: vector.frame, source: 'MAA Confidentiality-Key' });
}

export function keysAgree(draft: ChallengeDraft): boolean | undefined {
  const distinct = (list: readonly Fact<string>[]): number => new Set(list.map((f) => f.value)).size;
  if (draft.ik.length + draft.ck.length < 3) return undefined;
  return distinct(draft.ik) <= 1 && distinct(draft.ck) <= 1;
}

/** The REGISTER answering a challenge: its Digest response, or AUTS after a synchronisation failure. */
export function answerOf(credentials: AuthHeader, frame: number): Mutable<ChallengeAnswer> {
  return {
    frame,
    ...(credentials.username !== undefined ? { username: credentials.username } : {}),
    ...(credentials.response !== undefined && credentials.response !== '' ? { response: credentials.response } : {}),
    ...(credentials.uri !== undefined ? { uri: credentials.uri } : {}),
    ...(credentials.auts !== undefined && credentials.auts !== '' ? { auts: credentials.auts } : {}),
  };
}

/**
 * Recomputes the UE's Digest response with XRES as the AKA password (RFC 3310 §3.3; AKAv2
 * RFC 4169 §3 also needs IK and CK): true when RES = XRES, undefined when the inputs are missing.
 */
export function responseMatchesXres(draft: ChallengeDraft, credentials: AuthHeader, method: string): boolean | undefined {
  if (draft.xres === undefined || credentials.response === undefined || credentials.response === '') return undefined;
  const version = draft.algorithm.toUpperCase().startsWith('AKAV2') ? 2 : draft.algorithm.toUpperCase().startsWith('AKAV1') ? 1 : undefined;
  if (version === undefined) return undefined;
  const res = parseHex(draft.xres.value);
  const ik = parseHex(draft.ik[0]?.value ?? '') ?? new Uint8Array(0);
  const ck = parseHex(draft.ck[0]?.value ?? '') ?? new Uint8Array(0);
  if (res === undefined || (version === 2 && (ik.length === 0 || ck.length === 0))) return undefined;
  const expected = digestResponse({
    username: credentials.username ?? '',
    realm: credentials.realm ?? '',
    password: akaPassword(version, res, ik, ck),
    method,
    uri: credentials.uri ?? '',
    nonce: credentials.nonce ?? '',
    ...(credentials.qop?.[0] !== undefined ? { qop: credentials.qop[0] } : {}),
    ...(credentials.nc !== undefined ? { nc: credentials.nc } : {}),
    ...(credentials.cnonce !== undefined ? { cnonce: credentials.cnonce } : {}),
    ...(credentials.algorithm !== undefined ? { algorithm: credentials.algorithm } : { algorithm: draft.algorithm }),
  });
  return isDecodeError(expected) ? undefined : expected === credentials.response.toLowerCase();
}

export function finishChallenge(draft: ChallengeDraft): AuthChallenge {
  const { ueCopy: _ueCopy, answer, ...rest } = draft;
  const agree = keysAgree(draft);
  return { ...rest, ...(agree !== undefined ? { keysAgree: agree } : {}), ...(answer !== undefined ? { answer: { ...answer } } : {}) };
}
