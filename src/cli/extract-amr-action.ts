// The work of `imscap extract-amr` (registered in extract-amr.ts): one pass through the AMR
// extractor, each stream to an atomic file in the output directory, then the summary.
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { runCapturePass } from './capture-pass.js';
import { UsageError } from './exit-codes.js';
import { parseSsrcs, type ExtractOptions } from './extract-amr.js';
import { chooseFormat } from './output.js';
import { writeOut } from './io.js';
import { codecChoice } from './streams.js';
import { AmrExtractor } from '../analysis/amr-extract/extractor.js';
import type { AmrContainer, ExtractSink } from '../analysis/amr-extract/types.js';
import { OutputExistsError } from '../output/atomic-file.js';
import { OutputQueue, QueuedAtomicFile } from '../output/queued-file.js';
import { renderAmrExtractJson, renderAmrExtractText } from '../report/amr-extract.js';

function chooseContainer(value: string): AmrContainer {
  if (value === 'amr' || value === '3gp') return value;
  throw new UsageError(`unknown container '${value}' (choose amr, 3gp)`);
}

/** An atomic file inside `outDir`; names come from packet data, so the directory is checked again. */
function fileSink(queue: OutputQueue, outDir: string, existing: ReadonlySet<string>, name: string, force: boolean): ExtractSink {
  const path = join(outDir, name);
  if (dirname(resolve(path)) !== outDir) throw new UsageError(`refusing to write outside ${outDir}: ${name}`);
  if (!force && existing.has(basename(path))) throw new OutputExistsError(path);
  return new QueuedAtomicFile(queue, path, force, true);
}

export async function runExtractAmr(capture: string, opts: ExtractOptions): Promise<void> {
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
  // One listing instead of a stat per stream file (a file created meanwhile still fails the commit).
  const existing = new Set(readdirSync(outDir));
  const stop = new AbortController();
  // Stream files are written by the thread pool while the pass decodes on.
  const queue = new OutputQueue();
  const extractor = new AmrExtractor({
    sinks: (name) => fileSink(queue, outDir, existing, name, opts.force === true),
    container,
    ...codec,
    callIds: opts.call,
    ssrcs,
    onFatal: () => stop.abort(),
  });
  const failed = async (err: unknown): Promise<never> => {
    extractor.abort();
    await queue.settle();
    throw extractor.failure ?? queue.failure ?? err;
  };
  let report;
  try {
    await runCapturePass(capture, extractor.handlers(), { rtpHeuristic: true, signal: stop.signal, betweenChunks: () => queue.backpressure() });
    report = extractor.finish();
    if (extractor.failure !== undefined) throw extractor.failure;
    await queue.drain();
  } catch (err) {
    return failed(err);
  }
  const doc = { capture, outDir, ...report };
  writeOut(format === 'json' ? renderAmrExtractJson(doc) : renderAmrExtractText(doc));
}
