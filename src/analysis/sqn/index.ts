// Public surface of the SQN resynchronisation analysis (TS 33.102 §6.3.5).
export type { AkaAuthResponseEvent, AkaChallengeEvent, AkaEvent, AkaEventBase, AkaOutcomeEvent, AkaResyncEvent } from './events.js';
export { SqnResyncAnalyzer, type SqnResyncOptions } from './analyzer.js';
export { SubscriberKeyTable, type SubscriberKey, type SubscriberKeys } from './keys.js';
export { imsiFromImpi, isImsi } from './identity.js';
export { SQN_RULES } from './findings.js';
export { renderSqnText, SQN_RESYNC_EXPLANATION } from './render-text.js';
export { renderSqnJson, sqnReportJson } from './render-json.js';
export { hasResyncLoop, renderSqnReport, SQN_REPORT_FORMATS, type SqnReportFormat } from './render.js';
export type * from './report-types.js';
export { SQN_VERDICTS } from './report-types.js';
