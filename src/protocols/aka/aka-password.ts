// The Digest password of HTTP Digest AKA: RES for AKAv1 (RFC 3310 §3.3), and for AKAv2
// base64(PRF(RES ‖ IK ‖ CK, "http-digest-akav2-password")) with PRF = HMAC-MD5 for
// AKAv2-MD5 (RFC 4169 §3).
import { createHmac } from 'node:crypto';

export type AkaVersion = 1 | 2;

const AKAV2_PASSWORD_LABEL = 'http-digest-akav2-password';

/**
 * The password bytes to feed into the Digest A1 (username:realm:password). For AKAv1 they
 * are the raw RES octets; for AKAv2 the ASCII of the base64 text. IK and CK are used by
 * AKAv2 only.
 */
export function akaPassword(version: AkaVersion, res: Uint8Array, ik: Uint8Array, ck: Uint8Array): Uint8Array {
  if (version === 1) return res;
  const key = new Uint8Array(res.length + ik.length + ck.length);
  key.set(res, 0);
  key.set(ik, res.length);
  key.set(ck, res.length + ik.length);
  const prf = createHmac('md5', key).update(AKAV2_PASSWORD_LABEL, 'latin1').digest('base64');
  return new Uint8Array(Buffer.from(prf, 'latin1'));
}
