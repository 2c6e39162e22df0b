// `imscap decode CAPTURE`: every decoded SIP / SDP / Diameter / GTPv2 / RTP message with its
// frame, time, flow and typed fields, as streamed JSON or as an indented text tree.
import type { RegisterCommand } from './command.js';
import { runCapturePass } from './capture-pass.js';
import { UsageError } from './exit-codes.js';
import { chooseFormat } from './output.js';
import { writeOut } from './io.js';
import type { AppProtocol } from '../pipeline/dispatch.js';
import type { MessageMeta, PassHandlers } from '../pipeline/events.js';
import { diameterRecord } from '../report/decode/diameter.js';
import { gtpv2Record } from '../report/decode/gtpv2.js';
import type { DecodedRecord } from '../report/decode/record.js';
import { rtpRecord } from '../report/decode/rtp.js';
import { sdpRecord, sipRecord } from '../report/decode/sip.js';
import { DecodeWriter } from '../report/decode/writer.js';

export const DECODE_PROTOCOLS = ['sip', 'sdp', 'diameter', 'gtpv2', 'rtp'] as const;
export type DecodeProtocol = (typeof DECODE_PROTOCOLS)[number];

const DECODE_AS_PROTOCOLS: readonly AppProtocol[] = ['sip', 'diameter', 'gtpv2'];

export interface FrameRange {
  readonly from: number;
  readonly to: number;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function items(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

/**
 * --proto, repeatable or a comma list. None given: every protocol (SIP records carry their
 * SDP). "sdp" without "sip" gives the SDP bodies as records of their own.
 */
export function parseProtocols(values: readonly string[]): ReadonlySet<DecodeProtocol> {
  const chosen = new Set<DecodeProtocol>();
  for (const item of items(values)) {
    const p = item.toLowerCase();
    if (!(DECODE_PROTOCOLS as readonly string[]).includes(p)) throw new UsageError(`unknown protocol '${item}' (choose ${DECODE_PROTOCOLS.join(', ')})`);
    chosen.add(p as DecodeProtocol);
  }
  if (chosen.size === 0) return new Set<DecodeProtocol>(['sip', 'diameter', 'gtpv2', 'rtp']);
  if (chosen.has('sip')) chosen.delete('sdp');
  return chosen;
}

const DECIMAL = /^[0-9]{1,15}$/;

/** --frame N or N-M (1-based, as tshark numbers frames), repeatable or a comma list. */
export function parseFrameRanges(values: readonly string[]): FrameRange[] {
  return items(values).map((item) => {
    const dash = item.indexOf('-');
    const a = dash < 0 ? item : item.slice(0, dash);
    const b = dash < 0 ? item : item.slice(dash + 1);
    if (!DECIMAL.test(a) || !DECIMAL.test(b)) throw new UsageError(`bad --frame '${item}' (give N or N-M)`);
    const from = Number(a);
    const to = Number(b);
    if (from < 1 || to < from) throw new UsageError(`bad --frame '${item}' (frames count from 1, and N-M needs N ≤ M)`);
    return { from, to };
  });
}

/** --decode-as PORT=sip|diameter|gtpv2 (repeatable): the pass's extra port table. */
export function parseDecodeAs(values: readonly string[]): Map<number, AppProtocol> {
  const ports = new Map<number, AppProtocol>();
  for (const item of items(values)) {
    const eq = item.indexOf('=');
    const portText = eq < 0 ? '' : item.slice(0, eq).trim();
    const proto = (eq < 0 ? '' : item.slice(eq + 1).trim().toLowerCase()) as AppProtocol;
    const port = DECIMAL.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535) || !DECODE_AS_PROTOCOLS.includes(proto)) {
      throw new UsageError(`bad --decode-as '${item}' (give PORT=${DECODE_AS_PROTOCOLS.join('|')}, port 1-65535)`);
    }
    ports.set(port, proto);
  }
  return ports;
}

interface DecodeOptions {
  format: string;
  proto?: string[];
  frame?: string[];
  decodeAs?: string[];
}

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

export const registerDecode: RegisterCommand = (program) => {
  program
    .command('decode')
    .description('every decoded SIP, SDP, Diameter, GTPv2-C and RTP message with frame, time, flow and typed fields (like tshark -V)')
    .argument('<capture>', 'pcap or pcapng file (.gz accepted), or - for stdin')
    .option('-f, --format <format>', 'text or json (an array, one message per line)', 'text')
    .option('--proto <list>', `only these protocols: ${DECODE_PROTOCOLS.join(', ')} (repeatable or comma list; sdp alone lists SDP bodies)`, collect)
    .option('--frame <N|N-M>', 'only messages shown at these frames (repeatable or comma list)', collect)
    .option('--decode-as <PORT=proto>', `treat a port as ${DECODE_AS_PROTOCOLS.join(', ')} (repeatable)`, collect)
    .action(async (capture: string, opts: DecodeOptions) => {
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
    });
};
