// The findings decided once the whole capture is read: how each procedure ended, repeated
// challenges, kinds the HSS disagrees with, ESP on SPIs nobody negotiated, initial requests that
// ignore the Service-Route, and a P-CSCF the network did not hand out.
import type { Finding } from '../../report/findings.js';
import type { SqnReport } from '../sqn/report-types.js';
import type { AssembledRegistration } from './assemble.js';
import { registrationFinding, type FindingSubject } from './findings.js';
import { subjectOf } from './sip-tracker.js';
import type { EspSpiCount, RegistrationProcedure } from './types.js';

function ueFrames(p: RegistrationProcedure): number[] {
  return p.steps.map((s) => (s.sightings.find((x) => x.hop === 'ue') ?? s.sightings[0])?.frame ?? 0).filter((f) => f > 0);
}

/** expires-below-min on a grant: below the Min-Expires the registrar itself set, or below the configured floor. */
function grantFinding(subject: FindingSubject, p: RegistrationProcedure, earlier: readonly RegistrationProcedure[], floor: number | undefined): Finding | undefined {
  const granted = p.expiry.granted;
  if (p.outcome !== 'success' || p.kind === 'de-registration' || granted === undefined || granted.value === 0) return undefined;
  const min = [...earlier, p].reverse().find((x) => x.expiry.minExpires !== undefined)?.expiry.minExpires;
  if (min !== undefined && granted.value < min.value) {
    return registrationFinding(subject, 'expires-below-min', `granted expiry ${granted.value} s is below the Min-Expires ${min.value} s the registrar itself set in frame ${min.frame}`, [granted.frame, min.frame], p.callId, { granted: granted.value, minimum: min.value });
  }
  if (floor !== undefined && granted.value < floor) {
    const asked = p.expiry.requested;
    const detail = asked !== undefined ? ` (the UE asked for ${asked.value} s in frame ${asked.frame})` : '';
    return registrationFinding(subject, 'expires-below-min', `granted expiry ${granted.value} s is below the minimum of ${floor} s${detail}`, [granted.frame], p.callId, { granted: granted.value, minimum: floor });
  }
  return undefined;
}

function procedureFindings(subject: FindingSubject, p: RegistrationProcedure, next: RegistrationProcedure | undefined): Finding[] {
  const out: Finding[] = [];
  const what = p.kind === 'initial' ? 'initial registration' : p.kind;
  if (p.outcome === 'failure' && p.final !== undefined) {
    out.push(
      registrationFinding(subject, 'registration-failed', `${what} failed: ${p.final.status} ${p.final.reason} (frame ${p.final.frame}) after ${p.challenges.length} challenge(s)`, [p.final.frame, p.firstFrame], p.callId, {
        status: p.final.status,
        procedure: p.index,
      }),
    );
  }
  if (p.outcome === 'incomplete') {
    const last = p.steps[p.steps.length - 1];
    const lastFrame = ueFrames(p).pop() ?? p.lastFrame;
    const detail =
      last === undefined
        ? 'no REGISTER'
        : last.status === undefined
          ? `REGISTER frame ${lastFrame} has no final response`
          : `the challenge (${last.label}, frame ${lastFrame}) was never answered with a new REGISTER`;
    const ending = next === undefined ? 'before the capture ends' : `(the UE started over in frame ${next.firstFrame})`;
    out.push(registrationFinding(subject, 'registration-incomplete', `${what} not completed ${ending}: ${detail}`, [lastFrame, p.firstFrame], p.callId, { procedure: p.index }));
  }
  const again = p.challenges.filter((_, i) => i > 0 && p.challenges[i - 1]?.answer !== undefined);
  if (again.length > 0) {
    const auts = p.challenges.find((c) => c.answer?.auts !== undefined)?.answer;
    const why = auts !== undefined ? `; the UE sent AUTS (SQN resynchronisation) in frame ${auts.frame}: see the SQN section` : '';
    out.push(
      registrationFinding(subject, 'repeated-401', `${p.challenges.length} challenges in one ${what}: ${again.length} after the UE had answered (frames ${again.map((c) => c.frame).join(', ')})${why}`, [...again.map((c) => c.frame), p.firstFrame], p.callId, {
        challenges: p.challenges.length,
        procedure: p.index,
      }),
    );
  }
  if (!p.kindAgrees) {
    const sources = p.kindEvidence.map((e) => `${e.source.toUpperCase()} says ${e.kind} (${e.detail}, frame ${e.frame})`).join('; ');
    out.push(registrationFinding(subject, 'registration-kind-mismatch', `procedure ${p.index}: ${sources}`, p.kindEvidence.map((e) => e.frame), p.callId));
  }
  return out;
}

function spiText(s: EspSpiCount): string {
  return `0x${s.spi.toString(16).padStart(8, '0')} (${s.packets} packet(s) from frame ${s.firstFrame})`;
}

export function outcomeFindings(a: AssembledRegistration, minExpires: number | undefined): Finding[] {
  const subject = subjectOf(a.draft);
  const out: Finding[] = [...a.draft.findings];
  a.procedures.forEach((p, i) => {
    out.push(...procedureFindings(subject, p, a.procedures[i + 1]));
    const grant = grantFinding(subject, p, a.procedures.slice(0, i), minExpires);
    if (grant !== undefined) out.push(grant);
  });
  const esp = a.security.esp;
  const stray = [...esp.fromUe.spis.filter((s) => s.negotiated === false).map((s) => ['from the UE', s] as const), ...esp.toUe.spis.filter((s) => s.negotiated === false).map((s) => ['to the UE', s] as const)];
  if (stray.length > 0) {
    out.push(
      registrationFinding(subject, 'esp-spi-not-negotiated', `ESP on SPIs the security agreement did not set up: ${stray.map(([dir, s]) => `${dir} ${spiText(s)}`).join(', ')}`, stray.map(([, s]) => s.firstFrame)),
    );
  }
  const bypass = a.routing.routeChecks.filter((c) => !c.usesServiceRoute);
  if (bypass.length > 0 && a.routing.serviceRoute !== undefined) {
    out.push(
      registrationFinding(
        subject,
        'service-route-not-used',
        `${bypass.map((c) => `${c.method} frame ${c.frame}`).join(', ')} ${bypass.length === 1 ? 'does' : 'do'} not route through the Service-Route ${a.routing.serviceRoute.value.join(', ')} (frame ${a.routing.serviceRoute.frame})`,
        [...bypass.map((c) => c.frame), a.routing.serviceRoute.frame],
      ),
    );
  }
  if (a.routing.pcscfInOffer === false && a.routing.pcscfUsed !== undefined) {
    const offered = a.routing.pcscfOffered;
    out.push(
      registrationFinding(subject, 'pcscf-not-offered', `REGISTER went to ${a.routing.pcscfUsed.value} (frame ${a.routing.pcscfUsed.frame}); the PCO offered ${offered.map((o) => o.value).join(', ')} (frame ${offered[0]?.frame ?? 0})`, [a.routing.pcscfUsed.frame, offered[0]?.frame ?? 0].filter((f) => f > 0)),
    );
  }
  return out;
}

/**
 * The SQN analysis' findings that do not repeat this report: its registration-not-completed for
 * an attempt whose procedure this report already flags as failed or incomplete is left out (it
 * stays in the SQN section of the JSON report).
 */
export function sqnFindingsKept(sqn: SqnReport, flagged: readonly RegistrationProcedure[]): Finding[] {
  return sqn.findings.filter((f) => f.ruleId !== 'registration-not-completed' || !f.frames.some((frame) => flagged.some((p) => frame >= p.firstFrame && frame <= p.lastFrame)));
}
