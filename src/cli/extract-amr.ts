// `imscap extract-amr CAPTURE --out DIR`: every AMR / AMR-WB stream of every call to its own
// file (RFC 4867 §5 storage format, or 3GP with --container 3gp), written atomically, never
// replacing an existing file without --force, then a summary table on stdout.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RegisterCommand } from './command.js';
import { runCapturePass } from './capture-pass.js';
import { UsageError } from './exit-codes.js';
import { chooseFormat } from './output.js';
import { writeOut } from './io.js';
import { CODEC_OPTION, OCTET_ALIGN_OPTION, codecChoice, type CodecOptions } from './streams.js';
import { AmrExtractor } from '../analysis/amr-extract/extractor.js';
import type { AmrContainer, ExtractSink } from '../analysis/amr-extract/types.js';
import { AtomicFile } from '../output/atomic-file.js';
import { renderAmrExtractJson, renderAmrExtractText } from '../report/amr-extract.js';

interface ExtractOptions extends CodecOptions {
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

function chooseContainer(value: string): AmrContainer {
  if (value === 'amr' || value === '3gp') return value;
  throw new UsageError(`unknown container '${value}' (choose amr, 3gp)`);
}

/** An atomic file inside `outDir`; names come from packet data, so the directory is checked again. */
function fileSink(outDir: string, name: string, force: boolean): ExtractSink {
  const path = join(outDir, name);
  if (dirname(resolve(path)) !== outDir) throw new UsageError(`refusing to write outside ${outDir}: ${name}`);
  return new AtomicFile(path, force);
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
      const format = chooseFormat(opts.format, ['text', 'json'] as const, 'text');
      const container = chooseContainer(opts.container);
      const ssrcs = parseSsrcs(opts.ssrc);
      const codec = codecChoice(opts);
      const outDir = resolve(opts.out);
      try {
        mkdirSync(outDir, { recursive: true });
      } catch (err) {
        throw new UsageError(`cannot create ${outDir}: ${(err as Error).message}`);
      }
      const stop = new AbortController();
      const extractor = new AmrExtractor({
        sinks: (name) => fileSink(outDir, name, opts.force === true),
        container,
        ...codec,
        callIds: opts.call,
        ssrcs,
        onFatal: () => stop.abort(),
      });
      try {
        await runCapturePass(capture, extractor.handlers(), { rtpHeuristic: true, signal: stop.signal });
      } catch (err) {
        extractor.abort();
        throw extractor.failure ?? err;
      }
      const report = extractor.finish();
      if (extractor.failure !== undefined) {
        extractor.abort();
        throw extractor.failure;
      }
      const doc = { capture, outDir, ...report };
      writeOut(format === 'json' ? renderAmrExtractJson(doc) : renderAmrExtractText(doc));
    });
};
