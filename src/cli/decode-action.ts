// The work of `imscap decode` (registered in decode.ts): the selected messages of one pass as
// records, streamed to stdout; the pass stops once every selected frame has gone by.
import { runCapturePass } from './capture-pass.js';
import { parseDecodeAs, parseFrameRanges, parseProtocols, type DecodeOptions, type DecodeProtocol, type FrameRange } from './decode.js';
import { chooseFormat } from './output.js';
import { writeOut } from './io.js';
import type { MessageMeta, PassHandlers } from '../pipeline/events.js';
import { diameterRecord } from '../report/decode/diameter.js';
import { gtpv2Record } from '../report/decode/gtpv2.js';
import type { DecodedRecord } from '../report/decode/record.js';
import { rtpRecord } from '../report/decode/rtp.js';
import { sdpRecord, sipRecord } from '../report/decode/sip.js';
import { DecodeWriter } from '../report/decode/writer.js';

/** Thrown through the reader (as an abort reason) once every selected frame has gone by. */
class FramesDone extends Error {
  override readonly name = 'FramesDone';
}

/** The pass handlers that turn the selected messages into records for `emit`. */
export function decodeHandlers(protocols: ReadonlySet<DecodeProtocol>, ranges: readonly FrameRange[], emit: (record: DecodedRecord) => void, pastLastFrame: () => void): PassHandlers {
  const lastFrame = ranges.length === 0 ? Infinity : Math.max(...ranges.map((r) => r.to));
  const wanted = (meta: MessageMeta): boolean => {
    const f = meta.frameNo;
    if (f > lastFrame) {
      pastLastFrame();
      return false;
    }
    return ranges.length === 0 || ranges.some((r) => f >= r.from && f <= r.to);
  };
  const handlers: PassHandlers = {};
  if (protocols.has('sip')) {
    handlers.sip = (e) => {
      if (wanted(e.meta)) emit(sipRecord(e));
    };
  } else if (protocols.has('sdp')) {
    handlers.sip = (e) => {
      if (!wanted(e.meta)) return;
      const r = sdpRecord(e);
      if (r !== undefined) emit(r);
    };
  }
  if (protocols.has('diameter')) {
    handlers.diameter = (e) => {
      if (wanted(e.meta)) emit(diameterRecord(e));
    };
  }
  if (protocols.has('gtpv2')) {
    handlers.gtpv2 = (e) => {
      if (wanted(e.meta)) emit(gtpv2Record(e));
    };
  }
  if (protocols.has('rtp')) {
    handlers.rtp = (e) => {
      if (wanted(e.meta)) emit(rtpRecord(e));
    };
  }
  return handlers;
}

export async function runDecode(capture: string, opts: DecodeOptions): Promise<void> {
  const format = chooseFormat(opts.format, ['text', 'json'] as const, 'text');
  const protocols = parseProtocols(opts.proto ?? []);
  const ranges = parseFrameRanges(opts.frame ?? []);
  const ports = parseDecodeAs(opts.decodeAs ?? []);
  const writer = new DecodeWriter(format, writeOut);
  const stop = new AbortController();
  const done = new FramesDone('every selected frame was read');
  const handlers = decodeHandlers(protocols, ranges, (r) => writer.write(r), () => stop.abort(done));
  try {
    await runCapturePass(capture, handlers, { ports, signal: stop.signal });
  } catch (err) {
    if (err !== done) {
      // Keep what was written a valid document, then report the failure.
      if (writer.written > 0) writer.end();
      throw err;
    }
  }
  writer.end();
}
