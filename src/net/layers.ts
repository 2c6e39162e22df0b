// Which layers a frame contained, counted once per frame (as tshark's frame.protocols lists
// them). Common layers are bits in a per-frame mask; rare ones (unsupported link types, GTP-U
// signalling messages) go through a small keyed path.

export const Layer = {
  Eth: 0,
  Vlan: 1,
  Sll: 2,
  Sll2: 3,
  Null: 4,
  Loop: 5,
  Raw: 6,
  Arp: 7,
  Ipv4: 8,
  Ipv6: 9,
  Ipv4Frag: 10,
  Ipv6Frag: 11,
  Ah: 12,
  Udp: 13,
  Tcp: 14,
  Sctp: 15,
  Icmp: 16,
  Icmpv6: 17,
  Gtpu: 18,
  Esp: 19,
  EspNullDecoded: 20,
  NatKeepalive: 21,
  IpInIp: 22,
  EspDecrypted: 23,
} as const;
export type Layer = (typeof Layer)[keyof typeof Layer];
const LAYER_COUNT = 24; // at most 31: each layer is a bit of a 32-bit mask

const LAYER_NAMES: readonly string[] = [
  'eth',
  'vlan',
  'sll',
  'sll2',
  'null',
  'loop',
  'raw',
  'arp',
  'ipv4',
  'ipv6',
  'ipv4-frag',
  'ipv6-frag',
  'ah',
  'udp',
  'tcp',
  'sctp',
  'icmp',
  'icmpv6',
  'gtpu',
  'esp',
  'esp-null-decoded',
  'nat-keepalive',
  'ip-in-ip',
  'esp-decrypted',
];

export class LayerCounter {
  private mask = 0;
  // Frames of a capture repeat a few layer combinations: count combinations, expand on demand.
  private runMask = 0;
  private runLength = 0;
  private readonly perMask = new Map<number, number>();
  private readonly rare = new Map<string, number>();
  private readonly rareThisFrame: string[] = [];

  beginFrame(): void {
    this.mask = 0;
    if (this.rareThisFrame.length !== 0) this.rareThisFrame.length = 0;
  }

  mark(layer: Layer): void {
    this.mask |= 1 << layer;
  }

  markRare(key: string): void {
    if (!this.rareThisFrame.includes(key)) this.rareThisFrame.push(key);
  }

  endFrame(): void {
    this.countFrame(this.mask);
    const rare = this.rareThisFrame;
    for (let i = 0; i < rare.length; i++) this.rare.set(rare[i]!, (this.rare.get(rare[i]!) ?? 0) + 1);
  }

  /** A whole frame at once: the layers it contained, as a mask of (1 << Layer) bits. */
  countFrame(mask: number): void {
    if (mask === this.runMask) {
      this.runLength++;
    } else {
      this.closeRun();
      this.runMask = mask;
      this.runLength = 1;
    }
  }

  /** Writes the totals into `out` (layers never seen are left out). */
  fill(out: Map<string, number>): void {
    this.closeRun();
    const counts = new Float64Array(LAYER_COUNT);
    for (const [mask, n] of this.perMask) {
      for (let i = 0; i < LAYER_COUNT; i++) if ((mask & (1 << i)) !== 0) counts[i]! += n;
    }
    out.clear();
    for (let i = 0; i < LAYER_COUNT; i++) if (counts[i]! > 0) out.set(LAYER_NAMES[i]!, counts[i]!);
    for (const [key, n] of this.rare) out.set(key, n);
  }

  private closeRun(): void {
    if (this.runLength === 0) return;
    this.perMask.set(this.runMask, (this.perMask.get(this.runMask) ?? 0) + this.runLength);
    this.runLength = 0;
  }
}
