// Every ESP packet counted by SA (SPI, source, destination), so that at the end of the capture
// each registration's security agreement can be checked against the SPIs actually used. A few
// counters per SA; the number of SAs kept is bounded.
import type { EspEvent } from '../../net/events.js';

export interface EspFlow {
  readonly spi: number;
  readonly src: string;
  readonly dst: string;
  packets: number;
  decoded: number;
  readonly firstFrame: number;
  lastFrame: number;
}

export class EspTally {
  private readonly flows = new Map<string, EspFlow>();
  private pairs: Map<string, EspFlow[]> | undefined;
  packets = 0;
  /** Packets of SAs beyond the cap. */
  overflow = 0;

  constructor(private readonly maxFlows = 65_536) {}

  add(e: EspEvent): void {
    this.packets++;
    const key = `${e.spi}|${e.src}|${e.dst}`;
    let flow = this.flows.get(key);
    if (flow === undefined) {
      if (this.flows.size >= this.maxFlows) {
        this.overflow++;
        return;
      }
      this.pairs = undefined;
      flow = { spi: e.spi, src: e.src, dst: e.dst, packets: 0, decoded: 0, firstFrame: e.frameNo, lastFrame: e.frameNo };
      this.flows.set(key, flow);
    }
    flow.packets++;
    if (e.decoded) flow.decoded++;
    flow.lastFrame = e.frameNo;
  }

  /** SAs between two addresses, in the direction given (indexed once, when first asked). */
  between(src: string, dst: string): readonly EspFlow[] {
    if (this.pairs === undefined) {
      this.pairs = new Map();
      for (const f of this.flows.values()) {
        const k = `${f.src}|${f.dst}`;
        const list = this.pairs.get(k);
        if (list === undefined) this.pairs.set(k, [f]);
        else list.push(f);
      }
    }
    return this.pairs.get(`${src}|${dst}`) ?? [];
  }

  all(): IterableIterator<EspFlow> {
    return this.flows.values();
  }
}
