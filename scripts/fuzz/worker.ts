// Runs one case at a time inside a worker thread the pool can terminate: main(argv) with stdout
// and stderr captured (bounded; stray writes to the process streams too), and every exception
// that escapes it or surfaces after it.
import { parentPort } from 'node:worker_threads';
import { main } from '../../src/cli/main.js';
import type { CaseReply, CaseRequest } from './case.js';

/** Output kept per stream; the byte count goes on. */
const KEEP = 64 * 1024;

class StreamCapture {
  bytes = 0;
  head = '';

  readonly write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const s = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8') : String(chunk);
    this.bytes += Buffer.byteLength(s, 'utf8');
    if (this.head.length < KEEP) this.head += s.slice(0, KEEP - this.head.length);
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    if (callback !== undefined) queueMicrotask(callback);
    return true;
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
}

let late: string[] = [];
process.on('uncaughtException', (err) => late.push(`uncaught exception: ${describe(err)}`));
process.on('unhandledRejection', (reason) => late.push(`unhandled rejection: ${describe(reason)}`));

/** Lets pending rejections and callbacks of the case surface before it is judged. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

async function runCase(request: CaseRequest): Promise<CaseReply> {
  const out = new StreamCapture();
  const err = new StreamCapture();
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stdout.write = out.write as typeof process.stdout.write;
  process.stderr.write = err.write as typeof process.stderr.write;
  late = [];
  let code: number | undefined;
  let escaped: string | undefined;
  try {
    code = await main(request.argv, { stdout: (text) => void out.write(text), stderr: (text) => void err.write(text) });
  } catch (e) {
    escaped = describe(e);
  }
  await settle();
  process.stdout.write = stdoutWrite;
  process.stderr.write = stderrWrite;
  return {
    id: request.id,
    code,
    ...(escaped !== undefined ? { escaped } : {}),
    late,
    stdoutBytes: out.bytes,
    stdoutHead: out.head,
    stderrBytes: err.bytes,
    stderrHead: err.head,
  };
}

const port = parentPort;
if (port === null) throw new Error('the fuzz worker runs only as a worker thread');
port.on('message', (request: CaseRequest) => {
  void runCase(request).then((reply) => port.postMessage(reply));
});
port.postMessage('ready');
