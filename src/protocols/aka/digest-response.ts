// The Digest `response` value (RFC 2617 §3.2.2, RFC 7616 §3.4.1 for SHA-256 and
// SHA-512-256), so a report can check a REGISTER's Authorization when the password — for AKA
// the output of akaPassword — is known.
import { createHash } from 'node:crypto';
import { decodeError, isDecodeError, type DecodeError } from '../../decode-error.js';

export type DigestHash = 'md5' | 'sha256' | 'sha512-256';

export interface DigestAlgorithm {
  /** Hash function H (node crypto name). */
  readonly hash: DigestHash;
  /** "-sess" variant: A1 also binds nonce and cnonce (RFC 2617 §3.2.2.2). */
  readonly sess: boolean;
  /** AKA version from an "AKAv<n>-" prefix (RFC 3310 §3.1), or undefined for plain Digest. */
  readonly akaVersion?: 1 | 2;
}

export interface DigestParams {
  readonly username: string;
  readonly realm: string;
  /** Plain password (hashed as UTF-8) or raw bytes, e.g. the AKAv1 RES. */
  readonly password: string | Uint8Array;
  readonly method: string;
  /** The digest-uri exactly as the Authorization header carries it. */
  readonly uri: string;
  readonly nonce: string;
  /** 'auth' or 'auth-int'; absent for the RFC 2069 compatible form. */
  readonly qop?: string;
  /** Nonce count as sent (8 hex digits, e.g. '00000001'); required with qop. */
  readonly nc?: string;
  /** Required with qop and with the -sess algorithms. */
  readonly cnonce?: string;
  /** Algorithm parameter of the challenge; absent means MD5 (RFC 2617 §3.2.1). */
  readonly algorithm?: string;
  /** Message body for qop=auth-int (RFC 2617 §3.2.2.3); absent means empty. */
  readonly body?: Uint8Array;
}

const HASHES: Readonly<Record<string, DigestHash>> = { 'MD5': 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

/**
 * Parses an algorithm token: [AKAv1- | AKAv2-] (MD5 | SHA-256 | SHA-512-256) [-sess],
 * case-insensitively. An absent or empty token is MD5. Never throws.
 */
export function parseDigestAlgorithm(algorithm: string | undefined): DigestAlgorithm | DecodeError {
  let rest = (algorithm ?? '').trim().toUpperCase();
  if (rest === '') return { hash: 'md5', sess: false };
  let akaVersion: 1 | 2 | undefined;
  if (rest.startsWith('AKAV')) {
    const dash = rest.indexOf('-');
    const version = dash < 0 ? '' : rest.slice(4, dash);
    if (version !== '1' && version !== '2') {
      return decodeError('digest', `unsupported AKA version in algorithm ${JSON.stringify(algorithm)}`);
    }
    akaVersion = version === '1' ? 1 : 2;
    rest = rest.slice(dash + 1);
  }
  const sess = rest.endsWith('-SESS');
  if (sess) rest = rest.slice(0, -5);
  const hash = HASHES[rest];
  if (hash === undefined) return decodeError('digest', `unsupported Digest algorithm ${JSON.stringify(algorithm)}`);
  return akaVersion === undefined ? { hash, sess } : { hash, sess, akaVersion };
}

function h(hash: DigestHash, ...parts: (string | Uint8Array)[]): string {
  const hasher = createHash(hash);
  parts.forEach((part, i) => {
    if (i > 0) hasher.update(':');
    hasher.update(part);
  });
  return hasher.digest('hex');
}

/**
 * The lowercase-hex request-digest of RFC 2617 §3.2.2.1:
 *   with qop:    KD(H(A1), nonce:nc:cnonce:qop:H(A2))
 *   without qop: KD(H(A1), nonce:H(A2))
 * An unsupported algorithm or qop, or a missing nc/cnonce, gives a DecodeError. Never throws.
 */
export function digestResponse(params: DigestParams): string | DecodeError {
  const algorithm = parseDigestAlgorithm(params.algorithm);
  if (isDecodeError(algorithm)) return algorithm;
  const { hash } = algorithm;
  const qop = params.qop;
  if (qop !== undefined && qop !== 'auth' && qop !== 'auth-int') {
    return decodeError('digest', `unsupported qop ${JSON.stringify(qop)} (auth or auth-int)`);
  }
  if (qop !== undefined && (params.nc === undefined || params.cnonce === undefined)) {
    return decodeError('digest', `qop=${qop} needs nc and cnonce`);
  }
  if (algorithm.sess && params.cnonce === undefined) {
    return decodeError('digest', `${params.algorithm ?? ''} needs cnonce`);
  }

  // RFC 2617 §3.2.2.2: A1, and for -sess H(A1) = H(H(user:realm:password):nonce:cnonce).
  let ha1 = h(hash, params.username, params.realm, params.password);
  if (algorithm.sess) ha1 = h(hash, ha1, params.nonce, params.cnonce ?? '');

  // RFC 2617 §3.2.2.3: A2 = method:uri, plus :H(entity-body) for auth-int.
  const ha2 =
    qop === 'auth-int'
      ? h(hash, params.method, params.uri, h(hash, params.body ?? new Uint8Array(0)))
      : h(hash, params.method, params.uri);

  return qop === undefined
    ? h(hash, ha1, params.nonce, ha2)
    : h(hash, ha1, params.nonce, params.nc ?? '', params.cnonce ?? '', qop, ha2);
}
