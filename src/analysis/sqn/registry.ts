// Groups AKA events by subscriber: by IMPI and IMSI (an IMSI-derived IMPI links both, TS 23.003
// §13.3), and, for events that name nobody, by the Call-ID or Session-Id of an event that does.
import { imsiOf } from './identity.js';
import type { EntryDraft } from './drafts.js';

export interface SequencedDraft {
  /** Arrival order, to keep pushes in order within one frame. */
  readonly seq: number;
  readonly draft: EntryDraft;
}

export interface SubscriberEvents {
  readonly impis: Set<string>;
  readonly imsis: Set<string>;
  readonly callIds: Set<string>;
  readonly sessionIds: Set<string>;
  drafts: SequencedDraft[];
}

function newSubscriber(): SubscriberEvents {
  return { impis: new Set(), imsis: new Set(), callIds: new Set(), sessionIds: new Set(), drafts: [] };
}

export class SubscriberRegistry {
  private readonly byId = new Map<string, SubscriberEvents>();
  private readonly byCall = new Map<string, SubscriberEvents>();
  /** Events that named nobody yet, by Call-ID / Session-Id, until an identified event claims them. */
  private readonly waiting = new Map<string, SequencedDraft[]>();
  /** Waiting events already handed to a subscriber (an event may wait under two keys). */
  private readonly claimed = new Set<SequencedDraft>();
  private readonly all: SubscriberEvents[] = [];
  /** Events with no identity, no Call-ID and no Session-Id. */
  private unattributedCount = 0;

  add(item: SequencedDraft): void {
    const d = item.draft;
    const ids: string[] = [];
    const imsi = imsiOf(d);
    if (imsi !== undefined) ids.push(`imsi:${imsi}`);
    if (d.impi !== undefined && d.impi !== '') ids.push(`impi:${d.impi}`);
    const calls: string[] = [];
    if (d.callId !== undefined && d.callId !== '') calls.push(`call:${d.callId}`);
    if (d.sessionId !== undefined && d.sessionId !== '') calls.push(`session:${d.sessionId}`);

    let owner: SubscriberEvents | undefined;
    for (const id of ids) owner = this.join(owner, this.byId.get(id));
    if (ids.length === 0) {
      for (const c of calls) owner = this.join(owner, this.byCall.get(c));
      if (owner === undefined) {
        for (const c of calls) {
          const list = this.waiting.get(c);
          if (list === undefined) this.waiting.set(c, [item]);
          else list.push(item);
        }
        if (calls.length === 0) this.unattributedCount++;
        return;
      }
    }
    if (owner === undefined) {
      owner = newSubscriber();
      this.all.push(owner);
    }
    owner.drafts.push(item);
    if (d.impi !== undefined && d.impi !== '') owner.impis.add(d.impi);
    if (imsi !== undefined) owner.imsis.add(imsi);
    for (const id of ids) this.byId.set(id, owner);
    if (d.callId !== undefined && d.callId !== '') owner.callIds.add(d.callId);
    if (d.sessionId !== undefined && d.sessionId !== '') owner.sessionIds.add(d.sessionId);
    for (const c of calls) {
      const existing = this.byCall.get(c);
      if (existing === undefined) this.byCall.set(c, owner);
      this.claim(c, owner);
    }
  }

  /** Events never attributed: no identity, and no identified event shared their Call-ID / Session-Id. */
  get unattributed(): number {
    const left = new Set<SequencedDraft>();
    for (const list of this.waiting.values()) for (const item of list) if (!this.claimed.has(item)) left.add(item);
    return this.unattributedCount + left.size;
  }

  /** Every subscriber, in order of first appearance. */
  subscribers(): readonly SubscriberEvents[] {
    return this.all;
  }

  private claim(call: string, owner: SubscriberEvents): void {
    const list = this.waiting.get(call);
    if (list === undefined) return;
    this.waiting.delete(call);
    for (const item of list) {
      if (this.claimed.has(item)) continue;
      this.claimed.add(item);
      owner.drafts.push(item);
    }
  }

  /** Two records turned out to be one subscriber (an event named both): fold b into a. */
  private join(a: SubscriberEvents | undefined, b: SubscriberEvents | undefined): SubscriberEvents | undefined {
    if (a === undefined) return b;
    if (b === undefined || a === b) return a;
    a.drafts = [...a.drafts, ...b.drafts];
    for (const v of b.impis) {
      a.impis.add(v);
      this.byId.set(`impi:${v}`, a);
    }
    for (const v of b.imsis) {
      a.imsis.add(v);
      this.byId.set(`imsi:${v}`, a);
    }
    for (const v of b.callIds) {
      a.callIds.add(v);
      this.byCall.set(`call:${v}`, a);
    }
    for (const v of b.sessionIds) {
      a.sessionIds.add(v);
      this.byCall.set(`session:${v}`, a);
    }
    const index = this.all.indexOf(b);
    if (index >= 0) this.all.splice(index, 1);
    return a;
  }
}
