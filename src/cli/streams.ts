// `imscap streams CAPTURE`: the RTP stream table, like Wireshark's RTP Streams. Registering the
// command loads only commander; the pass and the table load when it runs (streams-action.ts).
import type { RegisterCommand } from './command.js';
import { UsageError } from './exit-codes.js';
import type { AmrCodecOption } from '../analysis/rtp-streams.js';

export interface CodecOptions {
  codec?: string;
  octetAlign?: boolean;
}

export interface StreamsOptions extends CodecOptions {
  format: string;
  output?: string;
  force?: boolean;
}

/** --codec amr|amr-wb and --octet-align: the format of streams no SDP describes. */
export function codecChoice(opts: CodecOptions): { codec?: AmrCodecOption; octetAlign?: boolean } {
  if (opts.codec === undefined) {
    if (opts.octetAlign === true) throw new UsageError('--octet-align needs --codec amr or --codec amr-wb');
    return {};
  }
  const codec = opts.codec.toLowerCase();
  if (codec !== 'amr' && codec !== 'amr-wb') throw new UsageError(`unknown codec '${opts.codec}' (choose amr, amr-wb)`);
  return { codec, octetAlign: opts.octetAlign === true };
}

export const CODEC_OPTION = ['--codec <codec>', 'codec of RTP streams no SDP describes: amr or amr-wb (else guessed)'] as const;
export const OCTET_ALIGN_OPTION = ['--octet-align', 'with --codec: octet-aligned payloads (RFC 4867 default: bandwidth-efficient)'] as const;

export const registerStreams: RegisterCommand = (program) => {
  program
    .command('streams')
    .description('RTP streams: packets, loss, duplicates, reordering, jitter and codec of each (like Wireshark RTP Streams)')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--force', 'overwrite the output file if it exists')
    .option(...CODEC_OPTION)
    .option(...OCTET_ALIGN_OPTION)
    .action(async (capture: string, opts: StreamsOptions) => {
      const { runStreams } = await import('./streams-action.js');
      await runStreams(capture, opts);
    });
};
