// `imscap info CAPTURE`: what the capture holds, layer by layer.
import type { RegisterCommand } from './command.js';
import { runCapturePass } from './capture-pass.js';
import { captureInfo } from '../analysis/capture-info.js';
import { renderInfoJson, renderInfoText } from '../report/info.js';
import { chooseFormat, emitReport } from './output.js';

export const registerInfo: RegisterCommand = (program) => {
  program
    .command('info')
    .description('file format, interfaces, frames, time span and protocol hierarchy of a capture')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--force', 'overwrite the output file if it exists')
    .action(async (capture: string, opts: { format: string; output?: string; force?: boolean }) => {
      const format = chooseFormat(opts.format, ['text', 'json'] as const, 'text');
      const pass = await runCapturePass(capture, {});
      const report = captureInfo(capture, pass);
      emitReport(format === 'json' ? renderInfoJson(report) : renderInfoText(report), opts);
    });
};
