// WebSocket frame header (RFC 6455 §5.2) and payload unmasking (§5.3).
import { decodeError, type DecodeError } from '../../decode-error.js';

export const WS_OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export interface WebSocketFrameHeader {
  readonly fin: boolean;
  /** RSV1..RSV3 as a 3-bit number; RSV1 (4) marks a compressed message (RFC 7692 §6). */
  readonly rsv: number;
  readonly opcode: number;
  readonly masked: boolean;
  /** The 32-bit masking key (big-endian) when masked. */
  readonly maskingKey: number;
  readonly payloadLength: number;
  readonly headerLength: number;
}

/** RFC 6455 §5.5: opcodes 8-15 are control frames. */
export function isControlOpcode(opcode: number): boolean {
  return opcode >= 8;
}

/**
 * Reads the frame header at `offset`. Returns 'incomplete' when more bytes are needed, or a
 * DecodeError for a header no conforming endpoint sends.
 */
export function readWebSocketFrameHeader(bytes: Uint8Array, offset = 0): WebSocketFrameHeader | 'incomplete' | DecodeError {
  if (bytes.length - offset < 2) return 'incomplete';
  const b0 = bytes[offset]!;
  const b1 = bytes[offset + 1]!;
  const opcode = b0 & 0x0f;
  // RFC 6455 §5.2: opcodes 3-7 and 11-15 are reserved.
  if ((opcode >= 3 && opcode <= 7) || opcode >= 11) return decodeError('websocket', `reserved opcode ${opcode}`, offset);
  const masked = (b1 & 0x80) !== 0;
  let len = b1 & 0x7f;
  let pos = offset + 2;
  if (len === 126) {
    if (bytes.length - pos < 2) return 'incomplete';
    len = (bytes[pos]! << 8) | bytes[pos + 1]!;
    pos += 2;
  } else if (len === 127) {
    if (bytes.length - pos < 8) return 'incomplete';
    const hi = ((bytes[pos]! << 24) | (bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!) >>> 0;
    const lo = ((bytes[pos + 4]! << 24) | (bytes[pos + 5]! << 16) | (bytes[pos + 6]! << 8) | bytes[pos + 7]!) >>> 0;
    // RFC 6455 §5.2: the most significant bit MUST be 0.
    if (hi >= 0x200000) return decodeError('websocket', '64-bit payload length beyond 2^53', offset);
    len = hi * 0x100000000 + lo;
    pos += 8;
  }
  const fin = (b0 & 0x80) !== 0;
  if (isControlOpcode(opcode) && (len > 125 || !fin)) {
    return decodeError('websocket', 'control frame longer than 125 bytes or fragmented (RFC 6455 §5.5)', offset);
  }
  let maskingKey = 0;
  if (masked) {
    if (bytes.length - pos < 4) return 'incomplete';
    maskingKey = ((bytes[pos]! << 24) | (bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!) >>> 0;
    pos += 4;
  }
  return { fin, rsv: (b0 >> 4) & 0x07, opcode, masked, maskingKey, payloadLength: len, headerLength: pos - offset };
}

/**
 * Copies `src` into `dst` at `dstOffset`, unmasking with `maskingKey` (RFC 6455 §5.3) where
 * `keyPhase` is the payload position of src[0] (payloads may arrive in pieces).
 */
export function unmaskInto(dst: Uint8Array, dstOffset: number, src: Uint8Array, maskingKey: number, keyPhase: number): void {
  const key = [(maskingKey >>> 24) & 0xff, (maskingKey >>> 16) & 0xff, (maskingKey >>> 8) & 0xff, maskingKey & 0xff];
  for (let i = 0; i < src.length; i++) dst[dstOffset + i] = src[i]! ^ key[(keyPhase + i) & 3]!;
}
