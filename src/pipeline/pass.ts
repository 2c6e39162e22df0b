// One pass over a capture: reader → network layer → dispatcher → the analyzers' handlers.
import { readCapture, type CaptureSummary, type ChunkBuffers } from '../capture/source.js';
import { NetDecoder, type NetOptions, type NetStats } from '../net/decoder.js';
import { AppDispatcher, type AppStats, type DispatchOptions } from './dispatch.js';
import type { PassHandlers } from './events.js';
import type { NetProblem } from '../net/events.js';
import type { Frame } from '../capture/frame.js';
import { RtpFlowCache } from './rtp-flow-cache.js';

export interface PassOptions extends DispatchOptions {
  /** Decode application protocols (default true); false counts network layers only. */
  applications?: boolean;
  net?: NetOptions;
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  signal?: AbortSignal;
  /** Awaited between input chunks: lets queued output catch up, or rejects to stop the pass. */
  betweenChunks?: () => Promise<void>;
  /** Where the capture is read into, for handlers that read frames' bytes after their chunk (capture/source.ts). */
  chunkBuffers?: ChunkBuffers;
  /** For tests: the stream read when the path is '-'. */
  stdin?: NodeJS.ReadableStream;
  /** For tests: bytes per read (capture/source.ts). */
  chunkSize?: number;
  /** Take RTP of bound flows past the full network walk (rtp-flow-cache.ts); default true. Results are the same either way. */
  rtpFlowCache?: boolean;
  /** Network-layer problems (malformed packets), as they happen. */
  onNetProblem?: (problem: NetProblem) => void;
}

export interface PassResult {
  readonly capture: CaptureSummary;
  readonly net: NetStats;
  readonly app: AppStats;
  /** RTP frames the flow cache took past the full walk, and how many of those waited in its queue (when it ran). */
  readonly rtpFlowCache?: { readonly taken: number; readonly queued: number };
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
  // RTP of flows SDP has bound goes past the full walk when an RTP handler wants it (decode-as
  // ports change what the walk decides, so then every frame walks).
  const cache = wantPayloads && handlers.rtp !== undefined && options.rtpFlowCache !== false && (options.ports?.size ?? 0) === 0 ? new RtpFlowCache(net, dispatcher, handlers) : undefined;
  const onFrame =
    cache === undefined
      ? (frame: Frame) => net.decode(frame)
      : (frame: Frame) => {
          if (cache.take(frame)) return;
          net.decode(frame);
          cache.walked();
        };
  const reading = readCapture(path, onFrame, {
    ...(cache !== undefined ? { afterChunk: () => cache.flush() } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.betweenChunks ? { betweenChunks: options.betweenChunks } : {}),
    ...(options.chunkBuffers ? { chunkBuffers: options.chunkBuffers } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
    ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
  });
  let capture;
  try {
    capture = await reading;
  } finally {
    // What the flow cache queued is handed on whatever stopped the reading.
    cache?.flush();
  }
  net.finish();
  dispatcher.finish();
  const result = { capture, net: net.stats, app: dispatcher.stats };
  return cache === undefined ? result : { ...result, rtpFlowCache: { taken: cache.taken, queued: cache.queuedTotal } };
}
