// The work of `imscap flow` (registered in flow.ts). Calls are written as the tracker lets them
// go, so memory holds only the calls still open (and with --call, only the messages of the
// calls asked for).
import { runCapturePass } from './capture-pass.js';
import { parseDecodeAs } from './decode.js';
import type { FlowOptions } from './flow.js';
import { writeErr, writeOut } from './io.js';
import { chooseFormat, type ReportTarget } from './output.js';
import { DialogTracker, trackerEvent } from '../analysis/dialogs.js';
import { MessageFlowCollector } from '../analysis/dialogs/message-flow.js';
import { AtomicFile } from '../output/atomic-file.js';
import { jsonRenderer, ladderRenderer, mermaidRenderer, type FlowRenderer } from '../report/flow.js';
import { printable } from '../report/calls.js';

const FORMATS = ['text', 'mermaid', 'json'] as const;

/** Where a streamed report goes: stdout as it comes, or a file that appears whole on commit. */
class ReportStream {
  private readonly file: AtomicFile | undefined;

  constructor(target: ReportTarget) {
    this.file = target.output !== undefined && target.output !== '-' ? new AtomicFile(target.output, target.force === true) : undefined;
  }

  write(text: string): void {
    if (text.length === 0) return;
    if (this.file !== undefined) this.file.write(Buffer.from(text, 'utf8'));
    else writeOut(text);
  }

  commit(): void {
    this.file?.commit();
  }

  abort(): void {
    this.file?.abort();
  }
}

function renderer(format: (typeof FORMATS)[number], capture: string): FlowRenderer {
  return format === 'json' ? jsonRenderer(capture) : format === 'mermaid' ? mermaidRenderer() : ladderRenderer(capture);
}

export async function runFlow(capture: string, opts: FlowOptions): Promise<void> {
  const format = chooseFormat(opts.format, FORMATS, 'text');
  const ports = parseDecodeAs(opts.decodeAs);
  const filter = opts.call;
  const render = renderer(format, capture);
  const out = new ReportStream(opts);
  let calls = 0;
  let started = false;
  const write = (text: string): void => {
    if (!started) {
      started = true;
      out.write(render.head());
    }
    out.write(text);
  };
  const collector = new MessageFlowCollector(
    filter === undefined ? () => true : (callId) => callId.startsWith(filter),
    (call) => {
      calls++;
      write(render.call(call));
    },
  );
  const tracker = new DialogTracker(collector.listener(), { retainFinishedCalls: false, maxOpenCalls: opts.maxOpenCalls });
  try {
    await runCapturePass(capture, { sip: (e) => tracker.push(trackerEvent(e)) }, { ports });
    tracker.finish();
    const counts = collector.counts();
    write(render.tail({ unplaced: collector.unplaced(), unplacedTotal: counts.unplaced, calls, messages: counts.messages }));
    out.commit();
  } catch (err) {
    out.abort();
    throw err;
  }
  if (filter !== undefined && calls === 0) writeErr(`imscap: no SIP call with a Call-ID starting with '${printable(filter)}'\n`);
}
