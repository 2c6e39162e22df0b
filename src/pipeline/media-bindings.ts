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

/**
 * The place of one <address, port> in the table: an SDP that sets the pair again replaces the
 * binding in its slot, eviction empties the slot. A flow cache may keep a slot and read its
 * binding later: that is what a lookup would return, or undefined once the pair is gone.
 */
export interface BindingSlot {
  readonly address: string;
  readonly port: number;
  binding: MediaBinding | undefined;
}

const DEFAULT_MAX_BINDINGS = 65536;

export class MediaBindings {
  // Looked up by port first (a small-integer key hashes for free), then by address among the
  // few bindings sharing that port: one map lookup per packet on the media path.
  private readonly byPort = new Map<number, BindingSlot[]>();
  /** Where each binding sits, in first-set order, for evicting the oldest when the table is full. */
  private readonly order = new Map<string, { readonly port: number; readonly address: string }>();

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
    return this.slot(address, port)?.binding;
  }

  /** The slot of <address, port>, while the pair is bound. */
  slot(address: string, port: number): BindingSlot | undefined {
    const list = this.byPort.get(port);
    if (list === undefined) return undefined;
    const at = indexOfAddress(list, address);
    return at < 0 ? undefined : list[at];
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
    const at = indexOfAddress(list, binding.address);
    if (at >= 0) (list[at] as BindingSlot).binding = binding;
    else list.push({ address: binding.address, port: binding.port, binding });
    // A binding set again keeps its place in the eviction order, as it always has.
    const key = `${binding.port} ${binding.address}`;
    if (!this.order.has(key)) this.order.set(key, { port: binding.port, address: binding.address });
    while (this.order.size > this.maxBindings) this.evictOldest();
  }

  private evictOldest(): void {
    const oldest = this.order.entries().next();
    if (oldest.done === true) return;
    const [key, { port, address }] = oldest.value;
    this.order.delete(key);
    const list = this.byPort.get(port);
    if (list === undefined) return;
    const at = indexOfAddress(list, address);
    if (at >= 0) (list.splice(at, 1)[0] as BindingSlot).binding = undefined;
    if (list.length === 0) this.byPort.delete(port);
  }
}

function indexOfAddress(list: readonly BindingSlot[], address: string): number {
  for (let i = 0; i < list.length; i++) if (list[i]!.address === address) return i;
  return -1;
}
