// Runs frames through a NetDecoder and keeps what it emitted (payload bytes copied, since the
// decoder hands out views).
import type { Frame } from '../../src/capture/frame.js';
import { readCapture } from '../../src/capture/source.js';
import { NetDecoder, type NetOptions, type NetStats } from '../../src/net/decoder.js';
import type { EspEvent, NetProblem, PayloadEvent } from '../../src/net/events.js';
import { frameOf } from '../fixtures/packets.js';

/** A payload event kept past its callback: its bytes copied, without the buffer they sat in. */
export type KeptPayload = Omit<PayloadEvent, 'buf' | 'start' | 'end'>;

export interface Decoded {
  payloads: KeptPayload[];
  esp: EspEvent[];
  problems: NetProblem[];
  stats: NetStats;
}

export type Input = Uint8Array | Frame;

function recorder(options: NetOptions): { decoder: NetDecoder; result: () => Decoded } {
  const payloads: KeptPayload[] = [];
  const esp: EspEvent[] = [];
  const problems: NetProblem[] = [];
  const decoder = new NetDecoder(
    {
      payload: (e) => {
        const { buf: _buf, start: _start, end: _end, ...flow } = e;
        payloads.push({ ...flow, bytes: e.buf.slice(e.start, e.end) });
      },
      esp: (e) => esp.push(e),
      problem: (p) => problems.push(p),
    },
    options,
  );
  return { decoder, result: () => ({ payloads, esp, problems, stats: decoder.stats }) };
}

/** Frames are numbered 1, 2, … and spaced 1 ms apart unless given as Frame objects. */
export function decodeAll(inputs: Input[], options: NetOptions & { linkType?: number } = {}): Decoded {
  const { decoder, result } = recorder(options);
  inputs.forEach((input, i) => {
    const frame = input instanceof Uint8Array ? frameOf(input, { frameNo: i + 1, tsNsec: i * 1_000_000, linkType: options.linkType }) : input;
    decoder.decode(frame);
  });
  decoder.finish();
  return result();
}

/** A capture file read by the project's capture reader and decoded. */
export async function decodeFile(path: string, options: NetOptions = {}): Promise<Decoded> {
  const { decoder, result } = recorder(options);
  await readCapture(path, (frame) => decoder.decode(frame));
  decoder.finish();
  return result();
}

export function utf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Concatenated payload text of the events, in order. */
export function joined(events: readonly KeptPayload[]): string {
  return events.map((e) => utf8(e.bytes)).join('');
}

export function layer(d: Decoded, key: string): number {
  return d.stats.layerFrames.get(key) ?? 0;
}
