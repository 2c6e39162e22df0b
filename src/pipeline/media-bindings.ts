// "SDP creates conversations" (as Wireshark's SDP dissector sets up RTP conversations): each
// m= line with a port binds <connection address, port> to its payload formats, so packets sent
// to (or, with symmetric RTP, from) that address are decoded as the codec signalling chose.
// RFC 3264 §5.1: the payload type numbers of an SDP are those its author expects to receive.
import type { SdpMedia, SdpPayloadFormat, SdpSession } from '../protocols/sdp/types.js';
import { canonicalIp } from './ip-text.js';

export interface MediaBinding {
  readonly address: string;
  readonly port: number;
  readonly callId: string;
  /** Frame of the SIP message whose SDP created (or last updated) the binding. */
  readonly sdpFrameNo: number;
  readonly media: SdpMedia;
  readonly formats: ReadonlyMap<number, SdpPayloadFormat>;
  /** True for the RTCP port of the media (port + 1, or a=rtcp). */
  readonly rtcp: boolean;
}

const DEFAULT_MAX_BINDINGS = 65536;

export class MediaBindings {
  private readonly byAddress = new Map<string, Map<number, MediaBinding>>();
  private count = 0;
  private readonly order: [string, number][] = [];

  constructor(private readonly maxBindings = DEFAULT_MAX_BINDINGS) {}

  /** Records every RTP media line of an SDP body seen in frame `frameNo` of call `callId`. */
  bindSdp(sdp: SdpSession, callId: string, frameNo: number): void {
    for (const media of sdp.media) {
      if (media.port === 0 || media.payloads.length === 0 || !/RTP/i.test(media.proto)) continue;
      const address = media.connection ? canonicalIp(media.connection.address) : undefined;
      if (address === undefined) continue;
      const formats = new Map(media.payloads.map((p) => [p.payloadType, p]));
      this.set({ address, port: media.port, callId, sdpFrameNo: frameNo, media, formats, rtcp: false });
      if (!media.rtcpMux) {
        const rtcpPort = media.rtcp?.port ?? media.port + 1;
        const rtcpAddress = media.rtcp?.address ? (canonicalIp(media.rtcp.address) ?? address) : address;
        this.set({ address: rtcpAddress, port: rtcpPort, callId, sdpFrameNo: frameNo, media, formats, rtcp: true });
      }
    }
  }

  lookup(address: string, port: number): MediaBinding | undefined {
    return this.byAddress.get(address)?.get(port);
  }

  get size(): number {
    return this.count;
  }

  private set(binding: MediaBinding): void {
    let ports = this.byAddress.get(binding.address);
    if (ports === undefined) {
      ports = new Map();
      this.byAddress.set(binding.address, ports);
    }
    if (!ports.has(binding.port)) {
      this.count++;
      this.order.push([binding.address, binding.port]);
    }
    ports.set(binding.port, binding);
    while (this.count > this.maxBindings) this.evictOldest();
  }

  private evictOldest(): void {
    const oldest = this.order.shift();
    if (oldest === undefined) return;
    const ports = this.byAddress.get(oldest[0]);
    if (ports?.delete(oldest[1])) this.count--;
    if (ports && ports.size === 0) this.byAddress.delete(oldest[0]);
  }
}
