// `imscap audit-sdp CAPTURE`: SDP offer/answer and AMR mode-set checks for CI. Exit 0 when
// clean, 1 when a finding reaches --fail-on, 2 on usage errors or unreadable input. Registering
// the command loads only commander and the rule ids; the auditor loads when it runs
// (audit-sdp-action.ts).
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Option } from 'commander';
import type { RegisterCommand } from './command.js';
import { UsageError } from './exit-codes.js';
import { AUDIT_RULE_IDS, isAuditRuleId, type AuditRuleId } from '../analysis/sdp-audit/rules.js';
import { parseSeverity, type Severity } from '../report/findings.js';

export interface AuditSdpOptions {
  format: string;
  output?: string;
  force?: boolean;
  rules: string[];
  failOn: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * --rules: "a,b" runs only those rules; "-a" disables one (from all, or from the listed ones).
 * Repeated options add up. An unknown id is a usage error listing the valid ones.
 */
export function parseRuleSelection(values: readonly string[]): ReadonlySet<AuditRuleId> {
  const only: AuditRuleId[] = [];
  const off: AuditRuleId[] = [];
  const unknown: string[] = [];
  for (const value of values) {
    for (const raw of value.split(',')) {
      const item = raw.trim();
      if (item.length === 0) continue;
      const disable = item.startsWith('-');
      const id = disable ? item.slice(1) : item;
      if (!isAuditRuleId(id)) unknown.push(item);
      else (disable ? off : only).push(id);
    }
  }
  if (unknown.length > 0) throw new UsageError(`unknown rule ${unknown.map((u) => `'${u}'`).join(', ')} (valid rules: ${AUDIT_RULE_IDS.join(', ')})`);
  const base: readonly AuditRuleId[] = only.length > 0 ? only : AUDIT_RULE_IDS;
  return new Set(base.filter((id) => !off.includes(id)));
}

export function parseFailOn(value: string): Severity | 'never' {
  const severity = value === 'never' ? 'never' : parseSeverity(value);
  if (severity === undefined) throw new UsageError(`unknown --fail-on '${value}' (choose error, warning, note, never)`);
  return severity;
}

/** SARIF artifact location: a relative path as a URI reference, an absolute one as a file: URI. */
export function artifactUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.split(sep).map(encodeURIComponent).join('/');
}

export const registerAuditSdp: RegisterCommand = (program, setExit) => {
  program
    .command('audit-sdp')
    .description('check SDP offer/answer (AMR mode-set, octet-align, codecs, telephone-event) and the RTP sent under each negotiation')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('-f, --format <format>', 'text, json, junit or sarif', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--force', 'overwrite the output file if it exists')
    .addOption(new Option('--rules <list>', `rules to run: "a,b" only those, "-a" all but a (repeatable); ids: ${AUDIT_RULE_IDS.join(', ')}`).argParser(collect).default([], 'all rules'))
    .option('--fail-on <severity>', 'exit 1 when a finding is at least: error, warning, note, or never', 'error')
    .action(async (capture: string, opts: AuditSdpOptions) => {
      const { runAuditSdp } = await import('./audit-sdp-action.js');
      setExit(await runAuditSdp(capture, opts, program.version() ?? '0.0.0'));
    });
};
