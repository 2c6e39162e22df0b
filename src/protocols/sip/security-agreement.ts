// Security-Client / Security-Server / Security-Verify mechanisms (RFC 3329 §2.2) with the
// ipsec-3gpp parameters of TS 33.203 Annex H (alg, ealg, spi-c, spi-s, port-c, port-s, prot, mod).
import { decodeError, type DecodeError } from '../../decode-error.js';
import { parseDecimal, parseParams, type SipParams } from './header-syntax.js';

export interface SecurityMechanism {
  /** Lower-case mechanism name: "ipsec-3gpp", "tls", "digest", "ipsec-ike"... */
  readonly mechanism: string;
  /** RFC 3329 §2.2 preference "q" (0 to 1). */
  readonly q?: number;
  /** Integrity algorithm: "hmac-md5-96", "hmac-sha-1-96"... */
  readonly alg?: string;
  /** Encryption algorithm: "null", "des-ede3-cbc", "aes-cbc"... (absent means null, TS 33.203 Annex H). */
  readonly ealg?: string;
  /** SPIs and ports: 32-bit and 16-bit unsigned decimals. */
  readonly spiC?: number;
  readonly spiS?: number;
  readonly portC?: number;
  readonly portS?: number;
  /** "esp" or "ah". */
  readonly prot?: string;
  /** "trans", "tun" or "UDP-enc-tun". */
  readonly mod?: string;
  /** Every parameter by lower-case name (including the ones above and d-alg, d-qop, d-ver). */
  readonly params: SipParams;
  readonly raw: string;
}

/** Parses one sec-mechanism (one comma-separated element of the header). */
export function parseSecurityMechanism(text: string): SecurityMechanism | DecodeError {
  const raw = text.trim();
  const semi = raw.indexOf(';');
  const mechanism = (semi < 0 ? raw : raw.slice(0, semi)).trim().toLowerCase();
  if (mechanism.length === 0) return decodeError('sip-security', 'empty mechanism name');
  const params = parseParams(semi < 0 ? '' : raw.slice(semi));
  const num = (name: string, max: number): number | undefined => {
    const v = params[name];
    return v === undefined ? undefined : parseDecimal(v, max);
  };
  const qText = params['q'];
  const q = qText === undefined || qText.length === 0 ? undefined : Number(qText);
  const str = (name: string, key: 'alg' | 'ealg' | 'prot' | 'mod'): Partial<SecurityMechanism> => {
    const v = params[name];
    return v === undefined ? {} : { [key]: v };
  };
  const int = (key: 'spiC' | 'spiS' | 'portC' | 'portS', v: number | undefined): Partial<SecurityMechanism> => (v === undefined ? {} : { [key]: v });
  return {
    mechanism,
    params,
    raw,
    ...str('alg', 'alg'),
    ...str('ealg', 'ealg'),
    ...str('prot', 'prot'),
    ...str('mod', 'mod'),
    ...int('spiC', num('spi-c', 0xffffffff)),
    ...int('spiS', num('spi-s', 0xffffffff)),
    ...int('portC', num('port-c', 0xffff)),
    ...int('portS', num('port-s', 0xffff)),
    ...(q !== undefined && Number.isFinite(q) && q >= 0 && q <= 1 ? { q } : {}),
  };
}
