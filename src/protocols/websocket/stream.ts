// One direction of a WebSocket connection as a byte stream: the optional HTTP handshake, then
// frames (RFC 6455 §5), reassembled into messages (§5.4 fragmentation) with control frames
// reported apart. SIP over WebSocket (RFC 7118 §5) carries one SIP message per WebSocket
// message. Memory is bounded: oversized payloads are skipped without being buffered.
import { isDecodeError } from '../../decode-error.js';
import { ByteQueue } from '../sip/byte-queue.js';
import { isControlOpcode, readWebSocketFrameHeader, unmaskInto, WS_OPCODE, type WebSocketFrameHeader } from './frame.js';
import { looksLikeHttpHandshake, parseWebSocketHandshake, type WebSocketHandshake } from './handshake.js';

export interface WebSocketMessage {
  readonly kind: 'message';
  /** WS_OPCODE.text or WS_OPCODE.binary. */
  readonly opcode: number;
  /** Unmasked payload, owned by the record. */
  readonly payload: Uint8Array;
  /** RSV1 set on the first frame: compressed per RFC 7692 (not inflated here). */
  readonly compressed: boolean;
  /** Frame that completed the message. */
  readonly frameNo: number;
  /** Frame holding the message's first byte. */
  readonly firstFrameNo: number;
  readonly ts: number;
}

export interface WebSocketControl {
  readonly kind: 'control';
  /** WS_OPCODE.close, ping or pong. */
  readonly opcode: number;
  readonly payload: Uint8Array;
  readonly frameNo: number;
}

export interface WebSocketHandshakeItem {
  readonly kind: 'handshake';
  readonly handshake: WebSocketHandshake;
  readonly frameNo: number;
}

export interface WebSocketDiscard {
  readonly kind: 'discarded';
  readonly byteCount: number;
  readonly reason: string;
  readonly frameNo: number;
}

export type WebSocketStreamItem = WebSocketMessage | WebSocketControl | WebSocketHandshakeItem | WebSocketDiscard;

export interface WebSocketStreamOptions {
  /** Largest message kept; larger ones are skipped and reported. Default 1 MiB. */
  readonly maxMessageBytes?: number;
}

type State = 'start' | 'handshake' | 'frames' | 'lost';

interface Fragments {
  opcode: number;
  compressed: boolean;
  firstFrameNo: number;
  parts: Uint8Array[];
  size: number;
  /** The message outgrew the limit: its remaining fragments are skipped. */
  dropped: boolean;
}

export class WebSocketStream {
  private readonly maxMessageBytes: number;
  private readonly queue = new ByteQueue();
  private state: State = 'start';
  private message: Fragments | undefined;
  /** Payload bytes of the current frame still to skip without buffering. */
  private skipping = 0;

  constructor(options: WebSocketStreamOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
  }

  push(bytes: Uint8Array, frameNo: number, ts: number): WebSocketStreamItem[] {
    const out: WebSocketStreamItem[] = [];
    let input = bytes;
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, input.length);
      this.skipping -= n;
      input = input.subarray(n);
    }
    if (this.state === 'lost') {
      if (input.length > 0) out.push({ kind: 'discarded', byteCount: input.length, reason: 'stream lost after a framing error', frameNo });
      return out;
    }
    this.queue.append(input, frameNo);
    this.drain(frameNo, ts, out);
    return out;
  }

  /** Bytes were lost: the frame boundary is unknown until the connection is seen again. */
  gap(frameNo: number): WebSocketStreamItem[] {
    const out: WebSocketStreamItem[] = [];
    const held = this.queue.length + (this.message?.size ?? 0);
    if (held > 0) out.push({ kind: 'discarded', byteCount: held, reason: 'partial frame or message before a stream gap', frameNo });
    this.queue.clear();
    this.message = undefined;
    this.skipping = 0;
    this.state = 'lost';
    return out;
  }

  private drain(frameNo: number, ts: number, out: WebSocketStreamItem[]): void {
    for (;;) {
      const view = this.queue.view();
      if (view.length === 0) return;
      if (this.state === 'start') {
        if (view.length < 8 && !view.includes(0x0a)) return;
        this.state = looksLikeHttpHandshake(view) ? 'handshake' : 'frames';
      }
      if (this.state === 'handshake') {
        const hs = parseWebSocketHandshake(view);
        if (hs === 'incomplete') return;
        if (isDecodeError(hs)) {
          this.lose(view.length, hs.reason, frameNo, out);
          return;
        }
        out.push({ kind: 'handshake', handshake: hs, frameNo });
        this.queue.consume(hs.length);
        // RFC 6455 §4.2.2: frames follow only an accepted upgrade (101) or the request itself.
        this.state = hs.kind === 'request' || hs.statusCode === 101 ? 'frames' : 'lost';
        continue;
      }
      if (this.state !== 'frames') return;
      const header = readWebSocketFrameHeader(view);
      if (header === 'incomplete') return;
      if (isDecodeError(header)) {
        this.lose(view.length, header.reason, frameNo, out);
        return;
      }
      if (!this.frame(header, view, frameNo, ts, out)) return;
    }
  }

  /** Handles the frame at the head of the queue; false when its payload has not all arrived. */
  private frame(h: WebSocketFrameHeader, view: Uint8Array, frameNo: number, ts: number, out: WebSocketStreamItem[]): boolean {
    const firstFrameNo = this.queue.frameAt();
    if (isControlOpcode(h.opcode)) {
      if (view.length < h.headerLength + h.payloadLength) return false;
      const payload = new Uint8Array(h.payloadLength);
      unmaskInto(payload, 0, view.subarray(h.headerLength, h.headerLength + h.payloadLength), h.masked ? h.maskingKey : 0, 0);
      this.queue.consume(h.headerLength + h.payloadLength);
      out.push({ kind: 'control', opcode: h.opcode, payload, frameNo });
      return true;
    }
    if (h.opcode === WS_OPCODE.continuation ? this.message === undefined : this.message !== undefined) {
      // RFC 6455 §5.4: a continuation needs an open message; a new message needs none open.
      if (this.message !== undefined) out.push({ kind: 'discarded', byteCount: this.message.size, reason: 'unfinished fragmented message', frameNo });
      this.message = undefined;
      if (h.opcode === WS_OPCODE.continuation) {
        this.skipFrame(h, view, 'continuation frame without a message', frameNo, out);
        return true;
      }
    }
    const msg = this.message ?? { opcode: h.opcode, compressed: (h.rsv & 4) !== 0, firstFrameNo, parts: [], size: 0, dropped: false };
    this.message = msg;
    if (msg.dropped || msg.size + h.payloadLength > this.maxMessageBytes) {
      if (!msg.dropped && msg.size > 0) out.push({ kind: 'discarded', byteCount: msg.size, reason: `message exceeds ${this.maxMessageBytes} bytes`, frameNo });
      msg.dropped = true;
      msg.parts = [];
      msg.size = 0;
      if (h.fin) this.message = undefined;
      this.skipFrame(h, view, `message exceeds ${this.maxMessageBytes} bytes`, frameNo, out);
      return true;
    }
    if (view.length < h.headerLength + h.payloadLength) return false;
    const part = new Uint8Array(h.payloadLength);
    unmaskInto(part, 0, view.subarray(h.headerLength, h.headerLength + h.payloadLength), h.masked ? h.maskingKey : 0, 0);
    this.queue.consume(h.headerLength + h.payloadLength);
    msg.parts.push(part);
    msg.size += part.length;
    if (h.fin) {
      this.message = undefined;
      out.push({ kind: 'message', opcode: msg.opcode, payload: concat(msg.parts, msg.size), compressed: msg.compressed, frameNo, firstFrameNo: msg.firstFrameNo, ts });
    }
    return true;
  }

  /** Drops a frame's header and payload; payload not yet arrived is skipped as it comes. */
  private skipFrame(h: WebSocketFrameHeader, view: Uint8Array, reason: string, frameNo: number, out: WebSocketStreamItem[]): void {
    const total = h.headerLength + h.payloadLength;
    const now = Math.min(total, view.length);
    this.queue.consume(now);
    this.skipping = total - now;
    out.push({ kind: 'discarded', byteCount: total, reason, frameNo });
  }

  private lose(count: number, reason: string, frameNo: number, out: WebSocketStreamItem[]): void {
    out.push({ kind: 'discarded', byteCount: count, reason, frameNo });
    this.queue.clear();
    this.message = undefined;
    this.state = 'lost';
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
