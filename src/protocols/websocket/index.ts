// Public face of the WebSocket decoder (RFC 6455), the transport of SIP over WebSocket (RFC 7118).
export { WebSocketStream } from './stream.js';
export type { WebSocketControl, WebSocketDiscard, WebSocketHandshakeItem, WebSocketMessage, WebSocketStreamItem, WebSocketStreamOptions } from './stream.js';
export { readWebSocketFrameHeader, unmaskInto, isControlOpcode, WS_OPCODE } from './frame.js';
export type { WebSocketFrameHeader } from './frame.js';
export { looksLikeHttpHandshake, parseWebSocketHandshake } from './handshake.js';
export type { WebSocketHandshake } from './handshake.js';
