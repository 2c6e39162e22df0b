// RegistrationAnalyzer: every IMS registration of a capture, answered. It consumes SIP, Diameter
// (Cx, Rx, Gx), GTPv2-C and ESP events in one pass, keeps per-registration state (capped), feeds
// the SQN resynchronisation analysis with the same SIP and Diameter events, and at the end
// correlates the interfaces into one record per registration with its findings.
import type { EspEvent } from '../../net/events.js';
import type { DiameterEvent, Gtpv2Event, PassHandlers, SipEvent } from '../../pipeline/events.js';
import type { Finding } from '../../report/findings.js';
import { AkaEventFeed } from '../aka-events.js';
import { SqnResyncAnalyzer } from '../sqn/analyzer.js';
import { SQN_RULES } from '../sqn/findings.js';
import type { SqnReport } from '../sqn/report-types.js';
import { assembleRegistration, type AssembledRegistration } from './assemble.js';
import { PdnCollector } from './bearer.js';
import { attachCx, PdnIndex, PolicyIndex } from './correlate.js';
import { CxCollector } from './cx.js';
import { EspTally } from './esp-tally.js';
import { REGISTRATION_RULES } from './findings.js';
import { outcomeFindings, sqnFindingsKept } from './outcome-findings.js';
import { PolicyCollector } from './policy.js';
import { SipTracker } from './sip-tracker.js';
import type { Registration, RegistrationReport } from './types.js';

export interface RegistrationAnalyzerOptions {
  /** Registrations kept; REGISTERs of further ones are counted and dropped. Default 10 000. */
  readonly maxRegistrations?: number;
  /** Flag granted expiries below this many seconds (rule expires-below-min). */
  readonly minExpires?: number;
}

export class RegistrationAnalyzer {
  private readonly sipTracker: SipTracker;
  private readonly cx = new CxCollector();
  private readonly pdn = new PdnCollector();
  private readonly policy = new PolicyCollector();
  private readonly esp = new EspTally();
  private readonly sqn = new SqnResyncAnalyzer();
  private readonly aka = new AkaEventFeed(this.sqn);
  private lastTs = 0;
  private readonly minExpires: number | undefined;

  constructor(options: RegistrationAnalyzerOptions = {}) {
    const maxRegistrations = options.maxRegistrations ?? 10_000;
    if (!Number.isInteger(maxRegistrations) || maxRegistrations < 1) throw new RangeError(`maxRegistrations must be a positive integer, got ${maxRegistrations}`);
    this.sipTracker = new SipTracker({ maxRegistrations });
    this.minExpires = options.minExpires;
  }

  handlers(): Pick<PassHandlers, 'sip' | 'diameter' | 'gtpv2' | 'esp'> {
    return {
      sip: (e) => this.onSip(e),
      diameter: (e) => this.onDiameter(e),
      gtpv2: (e) => this.onGtpv2(e),
      esp: (e) => this.onEsp(e),
    };
  }

  onSip(e: SipEvent): void {
    this.lastTs = Math.max(this.lastTs, e.meta.ts);
    this.sipTracker.sip(e);
    this.aka.sip(e);
  }

  onDiameter(e: DiameterEvent): void {
    this.lastTs = Math.max(this.lastTs, e.meta.ts);
    const m = e.message;
    if (CxCollector.isCx(m)) this.cx.add(m, e.meta.frameNo, e.meta.ts);
    else if (PolicyCollector.appOf(m) !== undefined) this.policy.add(m, e.meta.frameNo, e.meta.ts);
    this.aka.diameter(e);
  }

  onGtpv2(e: Gtpv2Event): void {
    this.lastTs = Math.max(this.lastTs, e.meta.ts);
    this.pdn.add(e.message, e.meta.frameNo, e.meta.ts, e.meta.src, e.meta.dst);
  }

  onEsp(e: EspEvent): void {
    this.lastTs = Math.max(this.lastTs, e.ts);
    this.esp.add(e);
  }

  finish(): RegistrationReport {
    const sqn = this.sqn.finish();
    const drafts = this.sipTracker.registry.all;
    attachCx(drafts, this.cx.finish());
    const ctx = { pdns: new PdnIndex(this.pdn.finish()), policies: new PolicyIndex(this.policy.finish()), esp: this.esp, sqn, lastTs: this.lastTs };
    const assembled = drafts.map((d) => assembleRegistration(d, ctx));
    const registrations = assembled.map((a) => registrationRecord(a, sqn, this.minExpires));
    const own = registrations.flatMap((r) => r.findings).sort((a, b) => (a.frames[0] ?? 0) - (b.frames[0] ?? 0));
    const flagged = registrations.flatMap((r) => r.procedures.filter((p) => p.outcome !== 'success'));
    const sqnFindings = sqnFindingsKept(sqn, flagged);
    const findings: Finding[] = [...own, ...sqnFindings];
    const attributed = new Set(assembled.flatMap((a) => a.espPairs));
    let espAttributed = 0;
    for (const f of this.esp.all()) if (attributed.has(`${f.src}|${f.dst}`)) espAttributed += f.packets;
    return {
      registrations,
      findings,
      sqnFindings,
      rules: [...REGISTRATION_RULES, ...SQN_RULES],
      sqn,
      droppedRegistrations: this.sipTracker.registry.dropped,
      stats: {
        registerRequests: this.sipTracker.registerRequests,
        registerResponses: this.sipTracker.registerResponses,
        orphanResponses: this.sipTracker.orphanResponses,
        cxMessages: this.cx.messages,
        gtpv2Messages: this.pdn.messages,
        rxMessages: this.policy.rxMessages,
        gxMessages: this.policy.gxMessages,
        espPackets: this.esp.packets,
        espUnattributed: this.esp.packets - espAttributed,
      },
    };
  }
}

function registrationRecord(a: AssembledRegistration, sqn: SqnReport, minExpires: number | undefined): Registration {
  const d = a.draft;
  const impi = d.impi?.value;
  const subscriber = impi === undefined ? undefined : sqn.subscribers.find((s) => s.impis.includes(impi));
  const lastSuccess = [...a.procedures].reverse().find((p) => p.outcome === 'success' && p.kind !== 'de-registration');
  const lastFrame = a.procedures.reduce((m, p) => Math.max(m, p.lastFrame), d.lastFrame);
  return {
    id: d.id,
    ...(d.impi !== undefined ? { impi: d.impi } : {}),
    ...(d.aor !== undefined ? { aor: d.aor } : {}),
    contact: d.contact,
    callIds: [...d.callIds],
    ...(d.ueAddress !== undefined ? { ueAddress: d.ueAddress } : {}),
    state: a.state,
    firstFrame: d.firstFrame,
    lastFrame,
    procedures: a.procedures,
    droppedProcedures: d.droppedProcedures,
    ...(lastSuccess !== undefined ? { expiry: lastSuccess.expiry } : {}),
    security: a.security,
    identities: a.identities,
    routing: a.routing,
    access: a.access,
    ...(subscriber !== undefined ? { sqn: { subscriber: subscriber.id, verdict: subscriber.verdict, rounds: subscriber.totalRounds } } : {}),
    findings: outcomeFindings(a, minExpires),
  };
}
