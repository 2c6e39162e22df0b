// SqnResyncAnalyzer: consumes AKA events in capture order (SIP, Cx, S6a, or any mix), keeps them
// per subscriber, and at the end of the capture reports each subscriber's resync story.
import { DEFAULT_IND_BITS } from '../../protocols/aka/sqn.js';
import type { Finding } from '../../report/findings.js';
import { draftFromEvent } from './drafts.js';
import type { AkaEvent } from './events.js';
import { subscriberFindings } from './findings.js';
import type { SubscriberKeys } from './keys.js';
import { SubscriberRegistry } from './registry.js';
import { SQN_VERDICTS, type SqnReport, type SqnSubscriberReport, type SqnVerdict } from './report-types.js';
import { subscriberReport } from './subscriber.js';

export interface SqnResyncOptions {
  /** Subscriber keys: with them every challenge and AUTS is opened (SQN, MACs, RES/CK/IK). */
  readonly keys?: SubscriberKeys;
  /** Put K / OP / OPc into the report (never by default). */
  readonly showKeys?: boolean;
  /** IND length in bits for SEQ/IND and the freshness check (TS 33.102 Annex C.3.2: 5). */
  readonly indBits?: number;
  /** Resync rounds without success that make a loop (default 2). */
  readonly loopRounds?: number;
}

export class SqnResyncAnalyzer {
  private readonly registry = new SubscriberRegistry();
  private seq = 0;
  private readonly indBits: number;
  private readonly loopRounds: number;

  constructor(private readonly options: SqnResyncOptions = {}) {
    this.indBits = options.indBits ?? DEFAULT_IND_BITS;
    this.loopRounds = options.loopRounds ?? 2;
    if (!Number.isInteger(this.indBits) || this.indBits < 0 || this.indBits > 47) {
      throw new RangeError(`indBits must be an integer in 0..47, got ${this.indBits}`);
    }
    if (!Number.isInteger(this.loopRounds) || this.loopRounds < 1) {
      throw new RangeError(`loopRounds must be a positive integer, got ${this.loopRounds}`);
    }
  }

  push(event: AkaEvent): void {
    this.registry.add({ seq: this.seq++, draft: draftFromEvent(event) });
  }

  finish(): SqnReport {
    const subscribers: SqnSubscriberReport[] = [];
    const findings: Finding[] = [];
    const verdicts = Object.fromEntries(SQN_VERDICTS.map((v) => [v, 0])) as Record<SqnVerdict, number>;
    for (const events of this.registry.subscribers()) {
      const report = subscriberReport(events, {
        ...(this.options.keys !== undefined ? { keys: this.options.keys } : {}),
        showKeys: this.options.showKeys === true,
        indBits: this.indBits,
        loopRounds: this.loopRounds,
      });
      if (report === undefined) continue;
      subscribers.push(report);
      findings.push(...subscriberFindings(report));
      verdicts[report.verdict]++;
    }
    return {
      subscribers,
      findings,
      verdicts,
      unattributed: this.registry.unattributed,
      indBits: this.indBits,
      loopRounds: this.loopRounds,
      keysSupplied: this.options.keys !== undefined,
    };
  }
}
