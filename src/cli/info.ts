// `imscap info CAPTURE`: what the capture holds, layer by layer. Registering the command loads
// only commander; the pass and the report load when the command runs (info-action.ts).
import type { RegisterCommand } from './command.js';

export interface InfoOptions {
  format: string;
  output?: string;
  force?: boolean;
}

export const registerInfo: RegisterCommand = (program) => {
  program
    .command('info')
    .description('file format, interfaces, frames, time span and protocol hierarchy of a capture')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--force', 'overwrite the output file if it exists')
    .action(async (capture: string, opts: InfoOptions) => {
      const { runInfo } = await import('./info-action.js');
      await runInfo(capture, opts);
    });
};
