// One pass over a capture: reader → network layer → dispatcher → the analyzers' handlers.
import { readCapture, type CaptureSummary } from '../capture/source.js';
import { NetDecoder, type NetOptions, type NetStats } from '../net/decoder.js';
import { AppDispatcher, type AppStats, type DispatchOptions } from './dispatch.js';
import type { PassHandlers } from './events.js';
import type { NetProblem } from '../net/events.js';

export interface PassOptions extends DispatchOptions {
  /** Decode application protocols (default true); false counts network layers only. */
  applications?: boolean;
  net?: NetOptions;
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  signal?: AbortSignal;
  /** Awaited between input chunks: lets queued output catch up, or rejects to stop the pass. */
  betweenChunks?: () => Promise<void>;
  /** For tests: the stream read when the path is '-'. */
  stdin?: NodeJS.ReadableStream;
  /** Network-layer problems (malformed packets), as they happen. */
  onNetProblem?: (problem: NetProblem) => void;
}

export interface PassResult {
  readonly capture: CaptureSummary;
  readonly net: NetStats;
  readonly app: AppStats;
}

export async function runPass(path: string, handlers: PassHandlers, options: PassOptions = {}): Promise<PassResult> {
  const dispatcher = new AppDispatcher(handlers, options);
  const wantPayloads = options.applications !== false;
  const listener = {
    ...(wantPayloads ? { payload: dispatcher.payload.bind(dispatcher) } : {}),
    esp: dispatcher.esp.bind(dispatcher),
    ...(options.onNetProblem ? { problem: options.onNetProblem } : {}),
  };
  const net = new NetDecoder(listener, options.net);
  const capture = await readCapture(path, (frame) => net.decode(frame), {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.betweenChunks ? { betweenChunks: options.betweenChunks } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });
  net.finish();
  dispatcher.finish();
  return { capture, net: net.stats, app: dispatcher.stats };
}
