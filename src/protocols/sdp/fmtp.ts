// a=fmtp parameters (RFC 8866 §6.15) as lower-case names and string values, built on
// sdp-transform's parseParams, which turns numeric-looking values into numbers ("mode-set=2"
// comes back as 2) and keeps "flag" parameters with an undefined value.
import sdpTransform from 'sdp-transform';

/** Parameters of an fmtp value: names trimmed and lower-cased, every value a trimmed string. */
export function parseFmtpParameters(config: string): Readonly<Record<string, string>> {
  const out = Object.create(null) as Record<string, string>;
  let raw: Record<string, unknown>;
  try {
    raw = sdpTransform.parseParams(config) as Record<string, unknown>;
  } catch {
    return out;
  }
  for (const [key, value] of Object.entries(raw)) {
    // parseParams keeps "name=" (empty value) as the key "name=".
    let name = key.trim().toLowerCase();
    if (name.endsWith('=')) name = name.slice(0, -1).trim();
    if (name.length === 0 || name in out) continue;
    out[name] = value === undefined || value === null ? '' : String(value).trim();
  }
  return out;
}
