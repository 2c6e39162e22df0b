// `imscap decode CAPTURE`: every decoded SIP / SDP / Diameter / GTPv2 / RTP message with its
// frame, time, flow and typed fields, as streamed JSON or as an indented text tree. Registering
// the command loads only commander; the decoders load when it runs (decode-action.ts). The
// option parsers stay here: calls and flow share parseDecodeAs.
import type { RegisterCommand } from './command.js';
import { UsageError } from './exit-codes.js';
import type { AppProtocol } from '../pipeline/dispatch.js';

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

export interface DecodeOptions {
  format: string;
  proto?: string[];
  frame?: string[];
  decodeAs?: string[];
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
      const { runDecode } = await import('./decode-action.js');
      await runDecode(capture, opts);
    });
};
