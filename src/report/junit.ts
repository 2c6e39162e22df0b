// JUnit XML as the common CI readers take it (Jenkins, GitLab, GitHub test reporters): one
// <testsuite> per subject (a call, a registration), one <testcase> per rule checked on it, a
// <failure> per finding of that rule.
import type { Finding, RuleDescription } from './findings.js';

export interface JunitInput {
  readonly name: string;
  /** Subjects checked (e.g. Call-IDs), in report order; a subject with no finding still gets its cases. */
  readonly subjects: readonly string[];
  readonly rules: readonly RuleDescription[];
  readonly findings: readonly Finding[];
  readonly timestamp?: string;
}

export function xmlEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    // XML 1.0 §2.2: only TAB, LF, CR and printable characters are allowed.
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

export function renderJunit(input: JunitInput): string {
  const lines: string[] = [];
  let tests = 0;
  let failures = 0;
  const suites: string[] = [];
  for (const subject of input.subjects) {
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const rule of input.rules) {
      const hits = input.findings.filter((f) => (f.subject ?? f.callId) === subject && f.ruleId === rule.id);
      tests++;
      const head = `    <testcase classname="${xmlEscape(`imscap.${input.name}`)}" name="${xmlEscape(`${rule.id}: ${subject}`)}" time="0">`;
      if (hits.length === 0) {
        cases.push(`${head}</testcase>`);
        continue;
      }
      failures++;
      suiteFailures++;
      const body = hits
        .map((f) => `[${f.severity}] ${f.message} (frames ${f.frames.join(', ') || 'n/a'})`)
        .join('\n');
      const first = hits[0];
      cases.push(`${head}\n      <failure type="${xmlEscape(rule.id)}" message="${xmlEscape(first ? first.message : rule.summary)}">${xmlEscape(body)}</failure>\n    </testcase>`);
    }
    suites.push(
      `  <testsuite name="${xmlEscape(subject)}" tests="${input.rules.length}" failures="${suiteFailures}" errors="0" skipped="0"${input.timestamp ? ` timestamp="${xmlEscape(input.timestamp)}"` : ''}>\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  lines.push(`<testsuites name="${xmlEscape(`imscap ${input.name}`)}" tests="${tests}" failures="${failures}" errors="0">`);
  lines.push(...suites);
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
