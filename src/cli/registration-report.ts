// `imscap registration-report CAPTURE`: every IMS registration in a capture, answered — outcome
// and timeline, expiry, authentication, security agreement, identities, routing, access — each
// value with its frames. The report is informational: the exit code is 0 unless --fail-on asks
// for 1 when a finding reaches a severity (a failed registration is an error). Registering the
// command loads only commander; the analyzer loads when it runs (registration-report-action.ts).
import type { RegisterCommand } from './command.js';

export interface RegistrationReportOptions {
  format: string;
  output?: string;
  force?: boolean;
  failOn: string;
  minExpires?: string;
  maxRegistrations: string;
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
      const { runRegistrationReport } = await import('./registration-report-action.js');
      setExit(await runRegistrationReport(capture, opts));
    });
};
