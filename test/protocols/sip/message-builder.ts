// Builds SIP message bytes for tests from readable lines: CRLF line ends, an empty line after
// the headers, and a Content-Length computed from the body unless the test gives its own.

export function sipText(startLine: string, headers: readonly string[], body = '', contentLength?: number | null): string {
  const bodyBytes = Buffer.byteLength(body, 'utf8');
  const lines = [startLine, ...headers];
  if (contentLength !== null) lines.push(`Content-Length: ${contentLength ?? bodyBytes}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

export function sipBytes(startLine: string, headers: readonly string[], body = '', contentLength?: number | null): Uint8Array {
  return new Uint8Array(Buffer.from(sipText(startLine, headers, body, contentLength), 'utf8'));
}

export function bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** The usual headers of a request in dialog-less tests. */
export function basicHeaders(method: string, cseq = 1, extra: readonly string[] = []): string[] {
  return [
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-test-1',
    'From: "Alice" <sip:alice@example.com>;tag=a1',
    'To: <sip:bob@example.com>',
    'Call-ID: call-1@192.0.2.1',
    `CSeq: ${cseq} ${method}`,
    'Max-Forwards: 70',
    ...extra,
  ];
}
