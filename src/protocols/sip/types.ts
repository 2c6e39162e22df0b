// Records shared by the SIP decoder and SipMessage.

/** RFC 3261 §7.1 Request-Line / §7.2 Status-Line. */
export type SipStartLine =
  | { readonly kind: 'request'; readonly method: string; readonly requestUri: string; readonly version: string }
  | { readonly kind: 'response'; readonly version: string; readonly statusCode: number; readonly reasonPhrase: string };

/** One header field line, folded continuation lines joined with a space (RFC 3261 §7.3.1). */
export interface SipHeader {
  /** Full canonical name ("Call-ID" for "i" or "call-id"); unknown names as written. */
  readonly name: string;
  /** The name exactly as written, compact forms included. */
  readonly rawName: string;
  /** The value with surrounding whitespace removed. */
  readonly value: string;
}

/** Stable identifiers of the anomalies a decoded message can carry. */
export type SipWarningCode =
  | 'leading-junk'
  | 'no-header-end'
  | 'header-without-colon'
  | 'empty-header-name'
  | 'orphan-continuation'
  | 'content-length-invalid'
  | 'content-length-conflict'
  | 'content-length-short'
  | 'content-length-trailing';

export interface SipWarning {
  readonly code: SipWarningCode;
  readonly detail: string;
}
