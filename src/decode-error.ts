// Malformed input is data, not an exception: decoders return a DecodeError value.

export interface DecodeError {
  readonly kind: 'decode-error';
  /** Protocol or layer that could not decode (e.g. 'ipv4', 'sip', 'diameter'). */
  readonly layer: string;
  readonly reason: string;
  /** Byte offset within the bytes given to the decoder, when known. */
  readonly offset?: number;
}

export function decodeError(layer: string, reason: string, offset?: number): DecodeError {
  return offset === undefined ? { kind: 'decode-error', layer, reason } : { kind: 'decode-error', layer, reason, offset };
}

export function isDecodeError(value: unknown): value is DecodeError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'decode-error';
}
