// Requests waiting for their answer, for protocols that match an answer to its request by an
// identifier and the reversed path (Diameter: hop-by-hop + end-to-end, RFC 6733 §3; GTPv2-C:
// sequence number, TS 29.274 §7.6). Bounded: over the limit the oldest request still waiting
// is given up (it stays unanswered).

/** One side of a request's path. */
export interface Endpoints {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

/** A request waiting, with the path it took. */
export interface PendingRequest<T> {
  readonly t: T;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

export class PendingRequests<K, T> {
  /** Usually one request per key. Map iteration follows insertion: the first key holds the oldest. */
  private readonly byKey = new Map<K, PendingRequest<T>[]>();
  private count = 0;

  constructor(private readonly max: number) {}

  /** The waiting request sent again on the same path (a retransmission), if any. */
  resent(key: K, at: Endpoints, also: (t: T) => boolean = () => true): T | undefined {
    return this.byKey.get(key)?.find((p) => also(p.t) && p.srcIp === at.src && p.srcPort === at.srcPort && p.dstIp === at.dst && p.dstPort === at.dstPort)?.t;
  }

  add(key: K, t: T, at: Endpoints): void {
    const p: PendingRequest<T> = { t, srcIp: at.src, dstIp: at.dst, srcPort: at.srcPort, dstPort: at.dstPort };
    const waiting = this.byKey.get(key);
    if (waiting === undefined) this.byKey.set(key, [p]);
    else waiting.push(p);
    if (++this.count > this.max) this.evictOldest();
  }

  /**
   * Takes the first waiting request under `key` that one of the matchers accepts, trying the
   * matchers in turn (the most exact first); undefined when none does.
   */
  take(key: K, matchers: readonly ((p: PendingRequest<T>, waiting: readonly PendingRequest<T>[]) => boolean)[]): T | undefined {
    const waiting = this.byKey.get(key);
    if (waiting === undefined) return undefined;
    for (const match of matchers) {
      const at = waiting.findIndex((p) => match(p, waiting));
      if (at < 0) continue;
      const [p] = waiting.splice(at, 1);
      if (waiting.length === 0) this.byKey.delete(key);
      this.count--;
      return p!.t;
    }
    return undefined;
  }

  private evictOldest(): void {
    for (const [key, waiting] of this.byKey) {
      waiting.shift();
      if (waiting.length === 0) this.byKey.delete(key);
      this.count--;
      return;
    }
  }
}
