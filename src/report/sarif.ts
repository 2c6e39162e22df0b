// SARIF 2.1.0 (OASIS): rule ids `imscap/<rule>`, the capture as the artifact, frame numbers and
// Call-ID in result properties, and a fingerprint that stays the same across runs on the same
// capture.
import { createHash } from 'node:crypto';
import type { Finding, RuleDescription, Severity } from './findings.js';

export interface SarifInput {
  readonly toolVersion: string;
  readonly captureUri: string;
  readonly rules: readonly RuleDescription[];
  readonly findings: readonly Finding[];
}

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', note: 'note' };

export function sarifRuleId(rule: string): string {
  return `imscap/${rule}`;
}

export function findingFingerprint(f: Finding): string {
  return createHash('sha256')
    .update([f.ruleId, f.callId ?? '', f.subject ?? '', f.message, f.frames.join(',')].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

export function renderSarif(input: SarifInput): string {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'imscap',
            version: input.toolVersion,
            informationUri: 'https://www.npmjs.com/package/imscap',
            rules: input.rules.map((r) => ({
              id: sarifRuleId(r.id),
              name: r.id,
              shortDescription: { text: r.summary },
              fullDescription: { text: `${r.summary} (${r.reference})` },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { reference: r.reference },
            })),
          },
        },
        artifacts: [{ location: { uri: input.captureUri } }],
        results: input.findings.map((f) => ({
          ruleId: sarifRuleId(f.ruleId),
          ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: input.captureUri, index: 0 } },
              logicalLocations: f.callId ? [{ name: f.callId, kind: 'call' }] : undefined,
            },
          ],
          partialFingerprints: { 'imscapFinding/v1': findingFingerprint(f) },
          properties: {
            frames: [...f.frames],
            ...(f.callId ? { callId: f.callId } : {}),
            ...(f.subject ? { subject: f.subject } : {}),
            ...(f.properties ?? {}),
          },
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
