// Counters for the RTP packets of one payload type sent over one SDP media binding in one
// direction: frame types, codec mode requests, payloads only the other AMR payload format
// parses (RFC 4867 §4.3 / §4.4), and how far back repeated frames reach (redundancy, against
// max-red). Counters, not packet lists: memory does not grow with the capture.
import { isDecodeError } from '../../decode-error.js';
import { decodeAmrPayload } from '../../protocols/amr/decode.js';
import { amrSamplesPerFrame } from '../../protocols/amr/frame-types.js';
import type { AmrPayloadOptions } from '../../protocols/amr/types.js';
import type { RtpPacket } from '../../protocols/rtp/types.js';
import { amrFmtpOf } from '../../protocols/sdp/amr-fmtp.js';
import type { SdpPayloadFormat } from '../../protocols/sdp/types.js';

/** Redundancy reach is counted in 20 ms frame steps; the last bucket holds 15 frames and more. */
export const REACH_BUCKETS = 16;
/** RFC 4867 §4.1: every AMR and AMR-WB frame is 20 ms. */
export const FRAME_MS = 20;
/** RFC 4867 §4.3.1: CMR 15 means no mode request. */
const NO_REQUEST = 15;
const SEQ_MOD = 0x10000;
const MAX_REACH_FRAMES = 50;

export interface RtpTallyKey {
  readonly callId: string;
  /** Frame of the SDP whose address and port the packets were sent to (or from). */
  readonly sdpFrameNo: number;
  /** Position of that SDP's m= line. */
  readonly mediaIndex: number;
  /** destination: sent to the SDP's author; source: sent from its address (symmetric RTP). */
  readonly boundBy: 'destination' | 'source';
  readonly payloadType: number;
}

/** A count and the frame it was first seen in. */
export class FirstCount {
  count = 0;
  first = 0;

  add(frameNo: number, n = 1): void {
    if (this.count === 0) this.first = frameNo;
    this.count += n;
  }
}

/** Counts and first frames of a small range of values (frame types, CMR values, reach), in typed arrays. */
export class CountTable {
  private readonly counts: Uint32Array;
  private readonly firsts: Uint32Array;

  constructor(readonly size: number) {
    this.counts = new Uint32Array(size);
    this.firsts = new Uint32Array(size);
  }

  add(index: number, frameNo: number): void {
    if (this.counts[index] === 0) this.firsts[index] = frameNo;
    this.counts[index] = (this.counts[index] ?? 0) + 1;
  }

  count(index: number): number {
    return this.counts[index] ?? 0;
  }

  first(index: number): number {
    return this.firsts[index] ?? 0;
  }
}

export class RtpTally {
  readonly packets = new FirstCount();
  /** The format packets were decoded with (the receiver's SDP for this payload type), if AMR. */
  readonly amr: { readonly format: SdpPayloadFormat; readonly options: AmrPayloadOptions } | undefined;
  /** Packets that parse in the declared payload format. */
  readonly decoded = new FirstCount();
  /** Packets that only the other format (octet-aligned vs bandwidth-efficient) parses. */
  readonly otherFormat = new FirstCount();
  /** Packets neither format parses. */
  readonly undecodable = new FirstCount();
  /** Frames per frame type (0–15). */
  readonly frameTypes = new CountTable(16);
  /** Packets per CMR value (15 = no request is not counted). */
  readonly cmr = new CountTable(16);
  /** Packets whose first frame repeats 1…15+ frames already sent (index = frames reached back). */
  readonly reach = new CountTable(REACH_BUCKETS);
  private lastSsrc = -1;
  private lastSequence = -1;
  private lastEnd = 0;

  constructor(
    readonly key: RtpTallyKey,
    format: SdpPayloadFormat | undefined,
  ) {
    const fmtp = format === undefined ? undefined : amrFmtpOf(format);
    this.amr =
      format === undefined || fmtp === undefined
        ? undefined
        : {
            format,
            options: {
              wideband: format.encodingKey === 'amr-wb',
              octetAligned: fmtp.octetAlign,
              crc: fmtp.crc,
              robustSorting: fmtp.robustSorting,
              interleaving: fmtp.interleaving !== undefined,
              channels: fmtp.channels,
            },
          };
  }

  add(packet: RtpPacket, frameNo: number): void {
    this.packets.add(frameNo);
    if (this.amr === undefined) return;
    const options = this.amr.options;
    const payload = decodeAmrPayload(packet.payload, options);
    if (isDecodeError(payload)) {
      this.lastSsrc = -1;
      // RFC 4867 §4.3 / §4.4: the two payload formats are not interchangeable.
      const other = decodeAmrPayload(packet.payload, { wideband: options.wideband, octetAligned: !options.octetAligned, ...(options.channels !== undefined ? { channels: options.channels } : {}) });
      if (isDecodeError(other)) this.undecodable.add(frameNo);
      else this.otherFormat.add(frameNo);
      return;
    }
    this.decoded.add(frameNo);
    if (payload.cmr !== NO_REQUEST) this.cmr.add(payload.cmr, frameNo);
    for (const toc of payload.tocEntries) this.frameTypes.add(toc.ft, frameNo);
    this.redundancy(packet, payload.tocEntries.length / (options.channels ?? 1), frameNo);
  }

  /**
   * RFC 4867 §4.1: the timestamp is that of the first frame-block. A packet following the previous
   * one in sequence but starting before its end repeats frames already sent (redundancy).
   */
  private redundancy(packet: RtpPacket, blocks: number, frameNo: number): void {
    const samples = amrSamplesPerFrame(this.amr?.options.wideband === true);
    if (packet.ssrc === this.lastSsrc && packet.sequence === (this.lastSequence + 1) % SEQ_MOD) {
      const behind = (this.lastEnd - packet.timestamp) | 0;
      // A step back of more than a second is a timestamp discontinuity, not redundancy.
      if (behind > 0 && behind <= MAX_REACH_FRAMES * samples) this.reach.add(Math.min(REACH_BUCKETS - 1, Math.ceil(behind / samples)), frameNo);
    }
    this.lastSsrc = packet.ssrc;
    this.lastSequence = packet.sequence;
    this.lastEnd = (packet.timestamp + blocks * samples) >>> 0;
  }
}
