// Public surface of the registration analysis: the analyzer, its report records and its rules.
export { RegistrationAnalyzer, type RegistrationAnalyzerOptions } from './registrations.js';
export { REGISTRATION_RULES, type RegistrationRuleId } from './findings.js';
export { deviceFromUserAgent } from './device.js';
export type * from './types.js';
