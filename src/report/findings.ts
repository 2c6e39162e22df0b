// A finding is this project's "expert info": a stable rule id, a severity, a message, and the
// frames and call it is about. Findings map 1:1 to SARIF results and JUnit failures.

export type Severity = 'error' | 'warning' | 'note';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { note: 0, warning: 1, error: 2 };

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  /** tshark-compatible 1-based frame numbers, most relevant first. */
  readonly frames: readonly number[];
  readonly callId?: string;
  /** What the finding is grouped under in JUnit (a call, a registration, a stream). */
  readonly subject?: string;
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
}

export interface RuleDescription {
  readonly id: string;
  readonly severity: Severity;
  readonly summary: string;
  /** Spec clause the rule comes from, e.g. "RFC 4867 §8.3.1". */
  readonly reference: string;
  readonly helpUri?: string;
}

export function parseSeverity(text: string): Severity | undefined {
  return text === 'error' || text === 'warning' || text === 'note' ? text : undefined;
}

export function reachesThreshold(findings: readonly Finding[], threshold: Severity | 'never'): boolean {
  if (threshold === 'never') return false;
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]);
}
