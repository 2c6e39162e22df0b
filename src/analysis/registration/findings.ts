// The problems a registration report flags, as rules with stable ids. The SQN analysis keeps its
// own rules (sqn-resync-loop, registration-not-completed…) and its findings are reported
// alongside, except its registration-not-completed for an attempt this report already flags as
// registration-failed or registration-incomplete: one fact, one finding.
import type { Finding, RuleDescription, Severity } from '../../report/findings.js';

export const REGISTRATION_RULES: readonly RuleDescription[] = [
  {
    id: 'registration-failed',
    severity: 'error',
    summary: 'A registration procedure ended with a final failure (not 401/407/423): the UE is not registered, re-registered or deregistered',
    reference: 'RFC 3261 §10.2; TS 24.229 §5.1.1.2, §5.1.1.4',
  },
  {
    id: 'registration-incomplete',
    severity: 'warning',
    summary: 'A registration procedure has no final answer before the capture ends: a REGISTER or a challenge was left unanswered',
    reference: 'TS 24.229 §5.1.1.2; RFC 3261 §17.1.2 (Timer F)',
  },
  {
    id: 'repeated-401',
    severity: 'warning',
    summary: 'The network challenged the UE again after it answered a challenge in the same procedure (response rejected, or an SQN resynchronisation: see the SQN section)',
    reference: 'TS 24.229 §5.1.1.5.1; TS 33.102 §6.3.5',
  },
  {
    id: 'expires-below-min',
    severity: 'warning',
    summary: 'A registration expiry is below the minimum: the REGISTER asked for less than the Min-Expires the registrar set, or the registrar granted less than that minimum (or than --min-expires)',
    reference: 'RFC 3261 §10.2.8, §10.3 step 7',
  },
  {
    id: 'integrity-without-sec-agree',
    severity: 'error',
    summary: 'A REGISTER is presented as integrity-protected (integrity-protected="yes", Security-Verify) but the capture shows no security agreement protecting it: it was sent outside the SA, or it was the unprotected Security-Client offer',
    reference: 'TS 24.229 §5.2.2, §5.1.1.2.1; TS 33.203 §7.1, §7.2',
  },
  {
    id: 'esp-spi-not-negotiated',
    severity: 'warning',
    summary: 'ESP between a UE and its P-CSCF uses an SPI that the registration\'s security agreement did not set up',
    reference: 'TS 33.203 §7.1',
  },
  {
    id: 'service-route-not-used',
    severity: 'warning',
    summary: 'An initial request from a registered UE is not routed through the Service-Route the registrar returned',
    reference: 'RFC 3608 §6; TS 24.229 §5.1.2A.1.1',
  },
  {
    id: 'security-verify-mismatch',
    severity: 'warning',
    summary: 'Security-Verify does not repeat the Security-Server list the P-CSCF sent (a bidding-down attack or a UE bug)',
    reference: 'RFC 3329 §2.3.1; TS 33.203 §7.2',
  },
  {
    id: 'registration-kind-mismatch',
    severity: 'note',
    summary: 'The SIP exchange and the HSS (UAA Experimental-Result, SAR Server-Assignment-Type) disagree on whether this is an initial registration, a re-registration or a de-registration',
    reference: 'TS 29.229 §6.1.2, §6.1.4; TS 24.229 §5.4.1.2',
  },
  {
    id: 'pcscf-not-offered',
    severity: 'note',
    summary: 'The UE registered through a P-CSCF address that is not among those the network handed out in the PCO of its PDN connection',
    reference: 'TS 24.229 §9.2.1; TS 24.008 §10.5.6.3',
  },
];

const SEVERITY: ReadonlyMap<string, Severity> = new Map(REGISTRATION_RULES.map((r) => [r.id, r.severity]));

export type RegistrationRuleId =
  | 'registration-failed'
  | 'registration-incomplete'
  | 'repeated-401'
  | 'expires-below-min'
  | 'integrity-without-sec-agree'
  | 'esp-spi-not-negotiated'
  | 'service-route-not-used'
  | 'security-verify-mismatch'
  | 'registration-kind-mismatch'
  | 'pcscf-not-offered';

export interface FindingSubject {
  readonly id: number;
  readonly name: string;
}

/** A finding about one registration: the message starts with who it is about. */
export function registrationFinding(
  subject: FindingSubject,
  ruleId: RegistrationRuleId,
  message: string,
  frames: readonly number[],
  callId?: string,
  properties?: Record<string, string | number | boolean>,
): Finding {
  return {
    ruleId,
    severity: SEVERITY.get(ruleId) ?? 'warning',
    message: `${subject.name}: ${message}`,
    frames: [...new Set(frames)],
    ...(callId !== undefined && callId !== '' ? { callId } : {}),
    subject: `registration ${subject.id} (${subject.name})`,
    ...(properties !== undefined ? { properties } : {}),
  };
}
