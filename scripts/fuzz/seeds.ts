// The captures mutants are made from: the built seeds, the project's samples/, and the public
// corpus when it is present. A large capture contributes windows of whole records (its start
// and its middle, with the headers they need), so each case stays fast.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { captureLayout, concatBytes, type CaptureLayout } from '../../test/fixtures/mutate.js';
import { corpusAvailable, corpusDir, repoRoot } from '../../test/support/environment.js';
import { syntheticSeeds } from './synthetic.js';

export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Largest seed used whole; bigger captures give windows of about this size. */
export const WINDOW_BYTES = 48 * 1024;

const CAPTURE_NAME = /\.(pcap|pcapng|cap)(\.gz)?$/i;

function readCaptureBytes(path: string): Uint8Array | undefined {
  const raw = new Uint8Array(readFileSync(path));
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return new Uint8Array(gunzipSync(raw));
    } catch {
      return undefined;
    }
  }
  return raw;
}

/** Header plus the records [from, to), with every section/interface block met before `from`. */
function window(bytes: Uint8Array, layout: CaptureLayout, from: number, to: number): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, layout.headerLength)];
  layout.records.forEach((r, i) => {
    if ((i < from && (r.kind === 'section' || r.kind === 'interface')) || (i >= from && i < to)) parts.push(bytes.subarray(r.offset, r.offset + r.length));
  });
  return concatBytes(parts);
}

/** The capture itself when small; else a window at its start and one in its middle. */
export function windows(name: string, bytes: Uint8Array, maxBytes = WINDOW_BYTES): Seed[] {
  const layout = captureLayout(bytes);
  if (bytes.length <= maxBytes || layout.format === 'unknown') return [{ name, bytes }];
  const endOf = (from: number): number => {
    let size = 0;
    let i = from;
    for (; i < layout.records.length && size < maxBytes; i++) size += layout.records[i]?.length ?? 0;
    return i;
  };
  const middle = Math.floor(layout.records.length / 2);
  return [
    { name: `${name}#start`, bytes: window(bytes, layout, 0, endOf(0)) },
    { name: `${name}#middle`, bytes: window(bytes, layout, middle, endOf(middle)) },
  ];
}

function capturesIn(dir: string, prefix: string): Seed[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const out: Seed[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!CAPTURE_NAME.test(file)) continue;
    const bytes = readCaptureBytes(join(dir, file));
    if (bytes !== undefined) out.push(...windows(`${prefix}:${file}`, bytes));
  }
  return out;
}

/** Built seeds first (the first one is the probe capture), then samples, then the corpus. */
export function collectSeeds(options: { corpus: boolean }): Seed[] {
  const seeds = [...syntheticSeeds(), ...capturesIn(join(repoRoot, 'samples'), 'sample')];
  if (options.corpus && corpusAvailable()) seeds.push(...capturesIn(corpusDir, 'corpus'));
  return seeds;
}
