// `imscap flow CAPTURE [--call CALL-ID]`: the ladder diagram of each call (hosts as columns, one
// arrow per SIP message with time and frame), as text, a Mermaid sequenceDiagram or JSON.
// Registering the command loads only commander; the work loads when it runs (flow-action.ts).
import type { RegisterCommand } from './command.js';
import { DECODE_AS_OPTION, DEFAULT_MAX_OPEN_CALLS, MAX_OPEN_CALLS_OPTION, collect, positiveInteger } from './calls.js';
import type { ReportTarget } from './output.js';

export interface FlowOptions extends ReportTarget {
  format: string;
  call?: string;
  decodeAs: string[];
  maxOpenCalls: number;
}

export const registerFlow: RegisterCommand = (program) => {
  program
    .command('flow')
    .description('SIP ladder diagram of each call (or of one): hosts as columns, one arrow per message with time and frame')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('--call <call-id>', 'only the calls whose Call-ID is (or starts with) this')
    .option('-f, --format <format>', 'text, mermaid (a sequenceDiagram) or json', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--force', 'overwrite the output file if it exists')
    .option(...DECODE_AS_OPTION, collect, [])
    .option(...MAX_OPEN_CALLS_OPTION, positiveInteger, DEFAULT_MAX_OPEN_CALLS)
    .action(async (capture: string, opts: FlowOptions) => {
      const { runFlow } = await import('./flow-action.js');
      await runFlow(capture, opts);
    });
};
