// What one pass hands to analyzers: typed messages with the flow and frame they came from.
// Analyzers never see bytes to re-parse (DESIGN "One pass, one direction").
import type { Transport, TunnelHop } from '../net/events.js';
import type { SipMessage } from '../protocols/sip/message.js';
import type { SdpSession } from '../protocols/sdp/types.js';
import type { DiameterMessage } from '../protocols/diameter/types.js';
import type { Gtpv2Message } from '../protocols/gtpv2/types.js';
import type { RtpPacket } from '../protocols/rtp/types.js';
import type { DecodeError } from '../decode-error.js';
import type { MediaBinding } from './media-bindings.js';

export interface MessageMeta {
  /** Frame where the message became complete (tshark shows it there), 1-based. */
  readonly frameNo: number;
  /** First frame holding bytes of the message (differs for TCP/fragment reassembly). */
  readonly firstFrameNo: number;
  readonly ts: number;
  readonly transport: Transport | 'websocket';
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly tunnel: readonly TunnelHop[];
}

export interface SipEvent {
  readonly meta: MessageMeta;
  readonly message: SipMessage;
  /** The SDP body, parsed once here; a DecodeError when the body is not valid SDP. */
  readonly sdp?: SdpSession | DecodeError;
}

export interface DiameterEvent {
  readonly meta: MessageMeta;
  readonly message: DiameterMessage;
}

export interface Gtpv2Event {
  readonly meta: MessageMeta;
  readonly message: Gtpv2Message;
}

/** One object reused for every packet, as is its packet: read them during the call, copy what you keep. */
export interface RtpEvent {
  readonly meta: MessageMeta;
  /** Payload is a view into the capture buffer: copy what you keep. */
  readonly packet: RtpPacket;
  /** The SDP media description that set up this flow, or undefined when found by heuristic. */
  readonly binding: MediaBinding | undefined;
  /** Which endpoint of the binding the packet was matched on: it was sent to it, or from it. */
  readonly boundBy: 'destination' | 'source' | 'heuristic';
}

export interface AppProblem {
  readonly frameNo: number;
  readonly protocol: string;
  readonly reason: string;
}

/**
 * A handler's word that RTP packets like the one it was asked about — the same flow, SSRC,
 * payload type and binding — may wait in a queue and be handed on later, grouped by flow, as
 * long as `open` stays true and their capture time stays before the handler's rtpHorizon().
 * The handler closes it as soon as anything its handling of such packets depends on changes.
 */
export interface RtpPermit {
  readonly open: boolean;
}

export interface PassHandlers {
  sip?(event: SipEvent): void;
  diameter?(event: DiameterEvent): void;
  gtpv2?(event: Gtpv2Event): void;
  rtp?(event: RtpEvent): void;
  esp?(event: import('../net/events.js').EspEvent): void;
  problem?(problem: AppProblem): void;
  // Queueing RTP (the pass's flow cache): without rtpPermit, every packet is handed on in capture order.
  /** Asked right after `event` was handled in order: may packets like it be queued from now on? */
  rtpPermit?(event: RtpEvent): RtpPermit | undefined;
  /** The capture time from which packets must again be handed on in order (Infinity: none). */
  rtpHorizon?(): number;
  /** Whether this SIP event may be handled before RTP packets queued ahead of it (default: no, they are handed on first). */
  sipPastQueuedRtp?(event: SipEvent): boolean;
  /**
   * Queued packets of one flow handed on in one call rather than one rtp() call each; false
   * (before handling any) to have them come through rtp() one by one.
   */
  rtpQueued?(packets: QueuedRtp): boolean;
}

/**
 * Packets of one flow that waited under one permit (same SSRC, payload type and binding), in
 * capture order: the i-th is the queue's record k = at[i] (i < count), RTP version 2 without
 * padding, extension or CSRC at buf[startOf(k), endOf(k)), its payload after the 12-byte header,
 * captured as frame frameNoOf(k) at tsOf(k). The header's timestamp and sequence number, and the
 * payload's first two octets (big-endian; past the buffer's end an octet reads as 0), are kept in
 * the record: read from it, they cost no second look at the packet. Valid during the call only.
 */
export interface QueuedRtp {
  readonly meta: MessageMeta;
  readonly binding: MediaBinding;
  readonly buf: Uint8Array;
  readonly count: number;
  readonly at: Int32Array;
  frameNoOf(k: number): number;
  tsOf(k: number): number;
  startOf(k: number): number;
  endOf(k: number): number;
  /** RFC 3550 §5.1 timestamp (unsigned). */
  timestampOf(k: number): number;
  sequenceOf(k: number): number;
  payloadLeadOf(k: number): number;
}
