// The work of `imscap registration-report` (registered in registration-report.ts): one pass
// through the registration analyzer, the report, and the exit code --fail-on asks for.
import { RegistrationAnalyzer } from '../analysis/registration/registrations.js';
import { reachesThreshold } from '../report/findings.js';
import type { RegistrationDocument } from '../report/registration/document.js';
import { renderRegistrationJson } from '../report/registration/json.js';
import { renderRegistrationMarkdown } from '../report/registration/markdown.js';
import { renderRegistrationText } from '../report/registration/text.js';
import { parseFailOn } from './audit-sdp.js';
import { runCapturePass } from './capture-pass.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from './exit-codes.js';
import { chooseFormat, emitReport } from './output.js';
import type { RegistrationReportOptions } from './registration-report.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

const RENDERERS: Readonly<Record<(typeof FORMATS)[number], (doc: RegistrationDocument) => string>> = {
  text: renderRegistrationText,
  json: renderRegistrationJson,
  markdown: renderRegistrationMarkdown,
};

function positiveInteger(name: string, text: string, allowZero: boolean): number {
  const t = text.trim();
  const n = /^[0-9]{1,10}$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || (!allowZero && n === 0)) throw new UsageError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  return n;
}

/** Runs the report; resolves to the exit code. */
export async function runRegistrationReport(capture: string, opts: RegistrationReportOptions): Promise<number> {
  const format = chooseFormat(opts.format, FORMATS, 'text');
  const failOn = parseFailOn(opts.failOn);
  const maxRegistrations = positiveInteger('--max-registrations', opts.maxRegistrations, false);
  const minExpires = opts.minExpires === undefined ? undefined : positiveInteger('--min-expires', opts.minExpires, true);
  const analyzer = new RegistrationAnalyzer({ maxRegistrations, ...(minExpires !== undefined ? { minExpires } : {}) });
  await runCapturePass(capture, analyzer.handlers());
  const doc: RegistrationDocument = { capture, ...analyzer.finish() };
  emitReport(RENDERERS[format](doc), opts);
  return reachesThreshold(doc.findings, failOn) ? EXIT_FINDINGS : EXIT_CLEAN;
}
