// Reads a capture and keeps every frame (bytes copied, as a consumer keeping frames must).
import { readCapture, type CaptureSummary, type ReadCaptureOptions } from '../../src/capture/source.js';

export interface KeptFrame {
  frameNo: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  interfaceId: number;
  origLen: number;
  bytes: Uint8Array;
}

export async function collect(path: string, options?: ReadCaptureOptions): Promise<{ frames: KeptFrame[]; summary: CaptureSummary }> {
  const frames: KeptFrame[] = [];
  const summary = await readCapture(path, (f) =>
      frames.push({ frameNo: f.frameNo, tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: f.linkType, interfaceId: f.interfaceId, origLen: f.origLen, bytes: f.data.slice(f.start, f.end) }), options);
  return { frames, summary };
}

/** "sec.nnnnnnnnn" as tshark prints frame.time_epoch. */
export function epoch(f: { tsSec: number; tsNsec: number }): string {
  return `${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`;
}

/** A recognisable frame of `length` bytes whose content depends on `seed`. */
export function patterned(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}
