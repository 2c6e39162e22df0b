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
  // Looked up by port first (a small-integer key hashes for free), then by address among the
  // few bindings sharing that port: one map lookup per packet on the media path.
  private readonly byPort = new Map<number, MediaBinding[]>();
  /** Insertion order, for evicting the oldest binding when the table is full. */
  private readonly order = new Set<string>();

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
    const list = this.byPort.get(port);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const b = list[i]!;
      if (b.address === address) return b;
    }
    return undefined;
  }

  get size(): number {
    return this.order.size;
  }

  private set(binding: MediaBinding): void {
    let list = this.byPort.get(binding.port);
    if (list === undefined) {
      list = [];
      this.byPort.set(binding.port, list);
    }
    const key = `${binding.port} ${binding.address}`;
    const at = list.findIndex((b) => b.address === binding.address);
    if (at >= 0) list[at] = binding;
    else list.push(binding);
    // A binding set again keeps its place in the eviction order, as it always has.
    this.order.add(key);
    while (this.order.size > this.maxBindings) this.evictOldest();
  }

  private evictOldest(): void {
    const oldest = this.order.values().next();
    if (oldest.done === true) return;
    const key = oldest.value;
    this.order.delete(key);
    const space = key.indexOf(' ');
    const port = Number(key.slice(0, space));
    const address = key.slice(space + 1);
    const list = this.byPort.get(port);
    if (list === undefined) return;
    const at = list.findIndex((b) => b.address === address);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.byPort.delete(port);
  }
}
