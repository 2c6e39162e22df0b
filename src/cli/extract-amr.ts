// `imscap extract-amr CAPTURE --out DIR`: every AMR / AMR-WB stream of every call to its own
// file (RFC 4867 §5 storage format, or 3GP with --container 3gp), written atomically, never
// replacing an existing file without --force, then a summary table on stdout. Registering the
// command loads only commander; the extractor loads when it runs (extract-amr-action.ts).
import type { RegisterCommand } from './command.js';
import { UsageError } from './exit-codes.js';
import { CODEC_OPTION, OCTET_ALIGN_OPTION, type CodecOptions } from './streams.js';

export interface ExtractOptions extends CodecOptions {
  out: string;
  container: string;
  force?: boolean;
  call: string[];
  ssrc: string[];
  format: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** "0x4417176a" (hex, as tables print SSRCs) or decimal; comma-separated lists allowed. */
export function parseSsrcs(values: readonly string[]): number[] {
  const out: number[] = [];
  for (const value of values) {
    for (const item of value.split(',')) {
      const t = item.trim();
      const n = /^0x[0-9a-f]{1,8}$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d{1,10}$/.test(t) ? Number(t) : NaN;
      if (!(n >= 0 && n <= 0xffffffff)) throw new UsageError(`--ssrc '${t}' is not an SSRC (0x-prefixed hex or decimal, 32 bits)`);
      out.push(n);
    }
  }
  return out;
}

export const registerExtractAmr: RegisterCommand = (program) => {
  program
    .command('extract-amr')
    .description('write every AMR / AMR-WB stream to a playable file (.amr / .awb, or .3ga) and summarise speech, SID and NO_DATA per stream')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('--out <dir>', 'directory for the files (created if missing)', '.')
    .option('--container <container>', 'amr (RFC 4867 storage format) or 3gp', 'amr')
    .option('--force', 'overwrite files that exist')
    .option('--call <call-id>', 'only streams of this call (repeatable)', collect, [])
    .option('--ssrc <ssrc>', 'only streams with this SSRC, 0x-hex or decimal (repeatable, comma lists)', collect, [])
    .option(...CODEC_OPTION)
    .option(...OCTET_ALIGN_OPTION)
    .option('-f, --format <format>', 'summary as text or json', 'text')
    .action(async (capture: string, opts: ExtractOptions) => {
      // The output thread starts first: it loads its modules while the extractor's load here.
      const { ThreadSegmentOutputs } = await import('../analysis/amr-extract/output-thread.js');
      const outputs = new ThreadSegmentOutputs(undefined);
      let runExtractAmr;
      try {
        ({ runExtractAmr } = await import('./extract-amr-action.js'));
      } catch (err) {
        await outputs.settle().catch(() => undefined);
        throw err;
      }
      await runExtractAmr(capture, opts, outputs);
    });
};
