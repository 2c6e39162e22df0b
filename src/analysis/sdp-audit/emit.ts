// How rule checks hand over what they found: the rule, a message citing the clause, the frames
// (most relevant first) and properties for machine readers. The auditor adds call and severity.
import type { AuditRuleId } from './rules.js';

export type FindingProperties = Readonly<Record<string, string | number | boolean>>;

export type EmitFinding = (ruleId: AuditRuleId, message: string, frames: readonly number[], properties?: FindingProperties) => void;
