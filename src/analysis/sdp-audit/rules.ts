// The rules of `imscap audit-sdp`: a stable id, a severity and the clause each one enforces.
// Ids are part of the interface (SARIF rule ids `imscap/<id>`, JUnit test case names, --rules).
import type { RuleDescription } from '../../report/findings.js';

export const AUDIT_RULE_IDS = [
  'mode-set-modified',
  'mode-set-dropped',
  'octet-align-mismatch',
  'frame-type-outside-mode-set',
  'cmr-outside-mode-set',
  'no-common-codec',
  'answer-codec-not-offered',
  'rtp-payload-type-not-negotiated',
  'telephone-event-rate-mismatch',
  'mode-change-period-unsupported',
  'max-red-exceeded',
  'amr-fmtp-invalid',
] as const;

export type AuditRuleId = (typeof AUDIT_RULE_IDS)[number];

const RFC4867 = 'https://www.rfc-editor.org/rfc/rfc4867';
const RFC3264 = 'https://www.rfc-editor.org/rfc/rfc3264';
const RFC4733 = 'https://www.rfc-editor.org/rfc/rfc4733';

export const AUDIT_RULES: readonly (RuleDescription & { readonly id: AuditRuleId })[] = [
  {
    id: 'mode-set-modified',
    severity: 'error',
    summary: "the answer returned an AMR/AMR-WB payload format with a mode-set different from the offer's",
    reference: 'RFC 4867 §8.3.1',
    helpUri: `${RFC4867}#section-8.3.1`,
  },
  {
    id: 'mode-set-dropped',
    severity: 'error',
    summary: 'the offer restricted the mode-set; the answer accepted the payload format without one',
    reference: 'RFC 4867 §8.3.1',
    helpUri: `${RFC4867}#section-8.3.1`,
  },
  {
    id: 'octet-align-mismatch',
    severity: 'error',
    summary: 'offer and answer disagree on octet-align for the chosen AMR payload format, or RTP uses the other payload format',
    reference: 'RFC 4867 §8.3.1, §4.3, §4.4',
    helpUri: `${RFC4867}#section-8.3.1`,
  },
  {
    id: 'frame-type-outside-mode-set',
    severity: 'error',
    summary: 'RTP carried AMR speech frames of a mode outside the negotiated mode-set',
    reference: 'RFC 4867 §8.1 (mode-set)',
    helpUri: `${RFC4867}#section-8.1`,
  },
  {
    id: 'cmr-outside-mode-set',
    severity: 'warning',
    summary: 'RTP carried a codec mode request (CMR) for a mode outside the negotiated mode-set',
    reference: 'RFC 4867 §8.1 (mode-set), §4.3.1',
    helpUri: `${RFC4867}#section-8.1`,
  },
  {
    id: 'no-common-codec',
    severity: 'error',
    summary: 'the answer accepted a media stream without any codec the offer listed',
    reference: 'RFC 3264 §6.1',
    helpUri: `${RFC3264}#section-6.1`,
  },
  {
    id: 'answer-codec-not-offered',
    severity: 'note',
    summary: 'the answer lists a codec the offer did not contain (allowed, but the offerer cannot use it)',
    reference: 'RFC 3264 §6.1',
    helpUri: `${RFC3264}#section-6.1`,
  },
  {
    id: 'rtp-payload-type-not-negotiated',
    severity: 'warning',
    summary: 'RTP used a payload type the negotiation in force did not accept',
    reference: 'RFC 3264 §6.1, §7',
    helpUri: `${RFC3264}#section-7`,
  },
  {
    id: 'telephone-event-rate-mismatch',
    severity: 'warning',
    summary: 'the answer pairs the chosen codec with telephone-event at another clock rate',
    reference: 'RFC 4733 §2.1',
    helpUri: `${RFC4733}#section-2.1`,
  },
  {
    id: 'mode-change-period-unsupported',
    severity: 'warning',
    summary: 'one side asks for mode-change-period=2, the other side declares it cannot restrict mode changes',
    reference: 'RFC 4867 §8.1 (mode-change-period, mode-change-capability)',
    helpUri: `${RFC4867}#section-8.1`,
  },
  {
    id: 'max-red-exceeded',
    severity: 'warning',
    summary: "RTP repeated AMR frames further back than the sender's declared max-red",
    reference: 'RFC 4867 §8.1 (max-red)',
    helpUri: `${RFC4867}#section-8.1`,
  },
  {
    id: 'amr-fmtp-invalid',
    severity: 'warning',
    summary: 'an AMR/AMR-WB a=fmtp parameter has a value outside its definition',
    reference: 'RFC 4867 §8.1, §8.2.1',
    helpUri: `${RFC4867}#section-8.2.1`,
  },
];

const BY_ID: ReadonlyMap<string, (typeof AUDIT_RULES)[number]> = new Map(AUDIT_RULES.map((r) => [r.id, r]));

export function isAuditRuleId(id: string): id is AuditRuleId {
  return BY_ID.has(id);
}

export function auditRule(id: AuditRuleId): RuleDescription {
  return BY_ID.get(id) as RuleDescription;
}
