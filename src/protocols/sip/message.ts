// SipMessage: the start line, the header fields in order, the body, and typed accessors that
// parse on first use. Header lookups accept any spelling (compact, any case).
import { isDecodeError, type DecodeError } from '../../decode-error.js';
import { parseAccessNetworkInfo, type AccessNetworkInfo } from './access-network-info.js';
import { parseAuthHeader, type AuthHeader } from './auth.js';
import { parseContact, type Contact } from './contact.js';
import { parseContentType, type ContentType } from './content-type.js';
import { parseCSeq, type CSeq } from './cseq.js';
import { parseEventHeader, parseSubscriptionState, type SipEventHeader, type SubscriptionState } from './event.js';
import { headerKey, isListHeader } from './header-names.js';
import { parseDecimal, splitTopLevel } from './header-syntax.js';
import { parseNameAddr, type NameAddr } from './name-addr.js';
import { parseRAck, parseRSeq, type RAck } from './reliable-provisional.js';
import { parseSecurityMechanism, type SecurityMechanism } from './security-agreement.js';
import type { SipHeader, SipStartLine, SipWarning } from './types.js';
import { parseVia, type Via } from './via.js';

const utf8 = new TextDecoder('utf-8');

export class SipMessage {
  readonly startLine: SipStartLine;
  /** Header fields in the order they were written. */
  readonly headerFields: readonly SipHeader[];
  /** The body: a view into the decoded bytes (copy it before keeping it past their lifetime). */
  readonly body: Uint8Array;
  /** The whole message, start line to end of body: a view into the decoded bytes. */
  readonly raw: Uint8Array;
  /** Offset of the start line in the bytes given to the decoder (> 0 when junk was skipped). */
  readonly offset: number;
  readonly warnings: readonly SipWarning[];
  private readonly index = new Map<string, SipHeader[]>();
  private cache: Map<string, unknown> | undefined;

  constructor(init: {
    startLine: SipStartLine;
    headerFields: readonly SipHeader[];
    body: Uint8Array;
    raw: Uint8Array;
    offset: number;
    warnings: readonly SipWarning[];
  }) {
    this.startLine = init.startLine;
    this.headerFields = init.headerFields;
    this.body = init.body;
    this.raw = init.raw;
    this.offset = init.offset;
    this.warnings = init.warnings;
    for (const h of init.headerFields) {
      const key = h.name.toLowerCase();
      const list = this.index.get(key);
      if (list === undefined) this.index.set(key, [h]);
      else list.push(h);
    }
  }

  get isRequest(): boolean {
    return this.startLine.kind === 'request';
  }

  /** Request method (case as written); undefined for responses (see cseq.method). */
  get method(): string | undefined {
    return this.startLine.kind === 'request' ? this.startLine.method : undefined;
  }

  get requestUri(): string | undefined {
    return this.startLine.kind === 'request' ? this.startLine.requestUri : undefined;
  }

  get statusCode(): number | undefined {
    return this.startLine.kind === 'response' ? this.startLine.statusCode : undefined;
  }

  get reasonPhrase(): string | undefined {
    return this.startLine.kind === 'response' ? this.startLine.reasonPhrase : undefined;
  }

  /** True when at least one field of that header is present. */
  has(name: string): boolean {
    return this.index.has(headerKey(name));
  }

  /** The first value of a header (the first list element for list headers), or undefined. */
  header(name: string): string | undefined {
    return this.headers(name)[0];
  }

  /**
   * Every value of a header across all its field lines, in order. List headers (Via, Contact,
   * Route, Supported, Security-Client...) are split on commas outside quotes and <>.
   */
  headers(name: string): string[] {
    const key = headerKey(name);
    const fields = this.index.get(key);
    if (fields === undefined) return [];
    if (!isListHeader(key)) return fields.map((f) => f.value);
    const out: string[] = [];
    for (const f of fields) for (const v of splitTopLevel(f.value, ',')) out.push(v);
    return out;
  }

  /** Every field line of a header, unsplit, with its original name. */
  fields(name: string): readonly SipHeader[] {
    return this.index.get(headerKey(name)) ?? [];
  }

  get callId(): string | undefined {
    return this.header('Call-ID');
  }

  get cseq(): CSeq | DecodeError | undefined {
    return this.memo('cseq', () => {
      const v = this.header('CSeq');
      return v === undefined ? undefined : parseCSeq(v);
    });
  }

  get from(): NameAddr | DecodeError | undefined {
    return this.memo('from', () => {
      const v = this.header('From');
      return v === undefined ? undefined : parseNameAddr(v);
    });
  }

  get to(): NameAddr | DecodeError | undefined {
    return this.memo('to', () => {
      const v = this.header('To');
      return v === undefined ? undefined : parseNameAddr(v);
    });
  }

  get fromTag(): string | undefined {
    const f = this.from;
    return f === undefined || isDecodeError(f) ? undefined : f.tag;
  }

  get toTag(): string | undefined {
    const t = this.to;
    return t === undefined || isDecodeError(t) ? undefined : t.tag;
  }

  /** Every Via value, topmost first. */
  get vias(): readonly (Via | DecodeError)[] {
    return this.memo('vias', () => this.headers('Via').map(parseVia));
  }

  get topVia(): Via | DecodeError | undefined {
    return this.vias[0];
  }

  get contacts(): readonly (Contact | DecodeError)[] {
    return this.memo('contacts', () => this.headers('Contact').map(parseContact));
  }

  get contentType(): ContentType | DecodeError | undefined {
    return this.memo('contentType', () => {
      const v = this.header('Content-Type');
      return v === undefined ? undefined : parseContentType(v);
    });
  }

  /** Declared Content-Length, when present and numeric. */
  get contentLength(): number | undefined {
    const v = this.header('Content-Length');
    return v === undefined ? undefined : parseDecimal(v);
  }

  /** RFC 3261 §20.19 Expires (delta-seconds), when present and numeric. */
  get expires(): number | undefined {
    const v = this.header('Expires');
    return v === undefined ? undefined : parseDecimal(v, 0xffffffff);
  }

  /** RFC 3261 §20.23 Min-Expires, when present and numeric. */
  get minExpires(): number | undefined {
    const v = this.header('Min-Expires');
    return v === undefined ? undefined : parseDecimal(v, 0xffffffff);
  }

  get userAgent(): string | undefined {
    return this.header('User-Agent');
  }

  get server(): string | undefined {
    return this.header('Server');
  }

  /**
   * Every name-addr of a header, parsed: Route, Record-Route, Path, Service-Route,
   * P-Associated-URI, P-Asserted-Identity, P-Preferred-Identity, Refer-To...
   */
  nameAddrs(name: string): (NameAddr | DecodeError)[] {
    return this.headers(name).map(parseNameAddr);
  }

  /** WWW-Authenticate / Proxy-Authenticate challenges or Authorization / Proxy-Authorization credentials. */
  authHeaders(name: 'WWW-Authenticate' | 'Proxy-Authenticate' | 'Authorization' | 'Proxy-Authorization'): (AuthHeader | DecodeError)[] {
    return this.headers(name).map(parseAuthHeader);
  }

  /** The mechanisms of Security-Client / Security-Server / Security-Verify (RFC 3329). */
  securityMechanisms(name: 'Security-Client' | 'Security-Server' | 'Security-Verify'): (SecurityMechanism | DecodeError)[] {
    return this.headers(name).map(parseSecurityMechanism);
  }

  /** Every P-Access-Network-Info value (the UE's and any network-provided one). */
  get accessNetworkInfo(): (AccessNetworkInfo | DecodeError)[] {
    return this.headers('P-Access-Network-Info').map(parseAccessNetworkInfo);
  }

  get rseq(): number | DecodeError | undefined {
    const v = this.header('RSeq');
    return v === undefined ? undefined : parseRSeq(v);
  }

  get rack(): RAck | DecodeError | undefined {
    const v = this.header('RAck');
    return v === undefined ? undefined : parseRAck(v);
  }

  get event(): SipEventHeader | DecodeError | undefined {
    const v = this.header('Event');
    return v === undefined ? undefined : parseEventHeader(v);
  }

  get subscriptionState(): SubscriptionState | DecodeError | undefined {
    const v = this.header('Subscription-State');
    return v === undefined ? undefined : parseSubscriptionState(v);
  }

  /** Option tags of Require / Supported / Proxy-Require / Unsupported, lower-case. */
  optionTags(name: 'Require' | 'Supported' | 'Proxy-Require' | 'Unsupported'): string[] {
    return this.headers(name).map((t) => t.toLowerCase());
  }

  /** The body decoded as UTF-8. */
  get bodyText(): string {
    return this.memo('bodyText', () => utf8.decode(this.body));
  }

  private memo<T>(key: string, compute: () => T): T {
    this.cache ??= new Map();
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const v = compute();
    this.cache.set(key, v);
    return v;
  }
}
