// The work of `imscap extract-amr` (registered in extract-amr.ts): one pass through the AMR
// extractor, each stream to an atomic file in the output directory (written by an output
// thread), then the summary.
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { runCapturePass } from './capture-pass.js';
import { UsageError } from './exit-codes.js';
import { parseSsrcs, type ExtractOptions } from './extract-amr.js';
import { chooseFormat } from './output.js';
import { writeOut } from './io.js';
import { codecChoice } from './streams.js';
import { AmrExtractor } from '../analysis/amr-extract/extractor.js';
import { ThreadSegmentOutputs, type OutputPlace } from '../analysis/amr-extract/output-thread.js';
import type { AmrContainer } from '../analysis/amr-extract/types.js';
import { OutputExistsError } from '../output/atomic-file.js';
import { makeDirectory } from '../output/make-directory.js';
import { renderAmrExtractJson, renderAmrExtractText } from '../report/amr-extract.js';

function chooseContainer(value: string): AmrContainer {
  if (value === 'amr' || value === '3gp') return value;
  throw new UsageError(`unknown container '${value}' (choose amr, 3gp)`);
}

/** Where a stream file goes: inside `outDir` (names come from packet data, so the directory is checked again), never over an existing file without force. */
function filePlace(outDir: string, existing: ReadonlySet<string>, force: boolean): OutputPlace {
  return (name) => {
    const path = join(outDir, name);
    if (dirname(resolve(path)) !== outDir) throw new UsageError(`refusing to write outside ${outDir}: ${name}`);
    if (!force && existing.has(basename(path))) throw new OutputExistsError(path);
    return { path, force };
  };
}

/**
 * Runs the command. Stream files are decoded, laid out and written by the output thread of
 * `outputs` (started by the caller) while the pass decodes on; every way out goes through its
 * settle(), which ends the thread.
 */
export async function runExtractAmr(capture: string, opts: ExtractOptions, outputs: ThreadSegmentOutputs): Promise<void> {
  let extractor: AmrExtractor | undefined;
  let report;
  let outDir;
  let format;
  try {
    format = chooseFormat(opts.format, ['text', 'json'] as const, 'text');
    const container = chooseContainer(opts.container);
    const ssrcs = parseSsrcs(opts.ssrc);
    const codec = codecChoice(opts);
    outDir = resolve(opts.out);
    try {
      makeDirectory(outDir);
    } catch (err) {
      throw new UsageError(`cannot create ${outDir}: ${(err as Error).message}`);
    }
    // One listing instead of a stat per stream file (a file created meanwhile still fails the commit).
    const existing = new Set(readdirSync(outDir));
    outputs.placeFiles(filePlace(outDir, existing, opts.force === true));
    const stop = new AbortController();
    extractor = new AmrExtractor({
      outputs,
      container,
      ...codec,
      callIds: opts.call,
      ssrcs,
      onFatal: () => stop.abort(),
    });
    await runCapturePass(capture, extractor.handlers(), { rtpHeuristic: true, signal: stop.signal, betweenChunks: () => outputs.check(), chunkBuffers: outputs });
    if (extractor.failure !== undefined) throw extractor.failure;
    report = await extractor.finishWritten();
    if (extractor.failure !== undefined) throw extractor.failure;
  } catch (err) {
    try {
      extractor?.abort();
    } finally {
      // The output thread drops what is not committed and ends.
      await outputs.settle().catch(() => undefined);
    }
    throw extractor?.failure ?? outputs.failure ?? err;
  }
  const doc = { capture, outDir, ...report };
  writeOut(format === 'json' ? renderAmrExtractJson(doc) : renderAmrExtractText(doc));
}
