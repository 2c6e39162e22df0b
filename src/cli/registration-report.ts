// `imscap registration-report CAPTURE`: every IMS registration in a capture, answered — outcome
// and timeline, expiry, authentication, security agreement, identities, routing, access — each
// value with its frames. The report is informational: the exit code is 0 unless --fail-on asks
// for 1 when a finding reaches a severity (a failed registration is an error).
import { RegistrationAnalyzer } from '../analysis/registration/registrations.js';
import { reachesThreshold } from '../report/findings.js';
import type { RegistrationDocument } from '../report/registration/document.js';
import { renderRegistrationJson } from '../report/registration/json.js';
import { renderRegistrationMarkdown } from '../report/registration/markdown.js';
import { renderRegistrationText } from '../report/registration/text.js';
import { parseFailOn } from './audit-sdp.js';
import { runCapturePass } from './capture-pass.js';
import type { RegisterCommand } from './command.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from './exit-codes.js';
import { chooseFormat, emitReport } from './output.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

const RENDERERS: Readonly<Record<(typeof FORMATS)[number], (doc: RegistrationDocument) => string>> = {
  text: renderRegistrationText,
  json: renderRegistrationJson,
  markdown: renderRegistrationMarkdown,
};

interface RegistrationReportOptions {
  format: string;
  output?: string;
  force?: boolean;
  failOn: string;
  minExpires?: string;
  maxRegistrations: string;
}

function positiveInteger(name: string, text: string, allowZero: boolean): number {
  const t = text.trim();
  const n = /^[0-9]{1,10}$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || (!allowZero && n === 0)) throw new UsageError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  return n;
}

export const registerRegistrationReport: RegisterCommand = (program, setExit) => {
  program
    .command('registration-report')
    .description('every IMS registration: outcome and timeline, expiry, authentication (RAND/AUTN, IK/CK), security agreement and ESP, identities and device, routing, access and bearer — each value with its frames')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('-f, --format <format>', 'text, json or markdown', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--force', 'overwrite the output file if it exists')
    .option('--fail-on <severity>', 'exit 1 when a finding is at least: error (a failed registration), warning, note, or never (the report is informational)', 'never')
    .option('--min-expires <seconds>', 'flag a granted expiry below this many seconds (rule expires-below-min)')
    .option('--max-registrations <n>', 'registrations kept; REGISTERs of further ones are counted, not analysed', '10000')
    .action(async (capture: string, opts: RegistrationReportOptions) => {
      const format = chooseFormat(opts.format, FORMATS, 'text');
      const failOn = parseFailOn(opts.failOn);
      const maxRegistrations = positiveInteger('--max-registrations', opts.maxRegistrations, false);
      const minExpires = opts.minExpires === undefined ? undefined : positiveInteger('--min-expires', opts.minExpires, true);
      const analyzer = new RegistrationAnalyzer({ maxRegistrations, ...(minExpires !== undefined ? { minExpires } : {}) });
      await runCapturePass(capture, analyzer.handlers());
      const doc: RegistrationDocument = { capture, ...analyzer.finish() };
      emitReport(RENDERERS[format](doc), opts);
      setExit(reachesThreshold(doc.findings, failOn) ? EXIT_FINDINGS : EXIT_CLEAN);
    });
};
