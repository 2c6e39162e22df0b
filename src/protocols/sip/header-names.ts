// SIP header field names: compact forms, canonical spelling, and which headers are lists.

/** RFC 3261 §7.3.3 and the IANA "Header Fields" registry (compact form column). */
const COMPACT_FORMS: Readonly<Record<string, string>> = {
  a: 'Accept-Contact', // RFC 3841
  b: 'Referred-By', // RFC 3892
  c: 'Content-Type',
  d: 'Request-Disposition', // RFC 3841
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact', // RFC 3841
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info', // RFC 4474
  o: 'Event', // RFC 6665
  r: 'Refer-To', // RFC 3515
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events', // RFC 6665
  v: 'Via',
  x: 'Session-Expires', // RFC 4028
  y: 'Identity', // RFC 8224
};

const CANONICAL_NAMES = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
  'Content-Encoding', 'Content-ID', 'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date',
  'Error-Info', 'Event', 'Expires', 'Feature-Caps', 'From', 'Geolocation', 'History-Info', 'Identity',
  'Identity-Info', 'In-Reply-To', 'Max-Forwards', 'MIME-Version', 'Min-Expires', 'Min-SE', 'Organization',
  'P-Access-Network-Info', 'P-Asserted-Identity', 'P-Asserted-Service', 'P-Associated-URI',
  'P-Called-Party-ID', 'P-Charging-Function-Addresses', 'P-Charging-Vector', 'P-Early-Media',
  'P-Preferred-Identity', 'P-Preferred-Service', 'P-Visited-Network-ID', 'Path', 'Priority', 'Privacy',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route', 'Refer-To',
  'Referred-By', 'Reject-Contact', 'Replaces', 'Reply-To', 'Request-Disposition', 'Require', 'Retry-After',
  'Route', 'RSeq', 'Security-Client', 'Security-Server', 'Security-Verify', 'Server', 'Service-Route',
  'Session-Expires', 'Session-ID', 'Subject', 'Subscription-State', 'Supported', 'Timestamp', 'To',
  'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
];

const CANONICAL_BY_LOWER: ReadonlyMap<string, string> = new Map(CANONICAL_NAMES.map((n) => [n.toLowerCase(), n]));

/**
 * Headers whose grammar is a comma-separated list (RFC 3261 §7.3.1: "#element"), so a field
 * line may carry several values. Authentication headers are absent on purpose: their commas
 * separate parameters of one value.
 */
const LIST_HEADERS: ReadonlySet<string> = new Set(
  [
    'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
    'Call-Info', 'Contact', 'Content-Encoding', 'Content-Language', 'Error-Info', 'Feature-Caps', 'Geolocation',
    'History-Info', 'In-Reply-To', 'P-Access-Network-Info', 'P-Asserted-Identity', 'P-Associated-URI',
    'P-Early-Media', 'P-Preferred-Identity', 'P-Visited-Network-ID', 'Path', 'Proxy-Require', 'Reason',
    'Record-Route', 'Reject-Contact', 'Request-Disposition', 'Require', 'Route', 'Security-Client',
    'Security-Server', 'Security-Verify', 'Service-Route', 'Supported', 'Unsupported', 'Via', 'Warning',
  ].map((n) => n.toLowerCase()),
);

/** Full canonical name for a header name as written ("i" → "Call-ID", "call-id" → "Call-ID"). */
export function canonicalHeaderName(name: string): string {
  if (name.length === 1) {
    const full = COMPACT_FORMS[name.toLowerCase()];
    if (full !== undefined) return full;
  }
  return CANONICAL_BY_LOWER.get(name.toLowerCase()) ?? name;
}

/** Lower-case lookup key shared by every spelling of a header. */
export function headerKey(name: string): string {
  return canonicalHeaderName(name).toLowerCase();
}

/** True when the header's values may be split on top-level commas. */
export function isListHeader(key: string): boolean {
  return LIST_HEADERS.has(key);
}
