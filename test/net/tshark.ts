// tshark as the oracle: per-frame field values and the protocols each frame contains.
import { spawnSync } from 'node:child_process';

/** Preferences every comparison uses: NULL ESP decoded as the decoder does by default. */
export const TSHARK_PREFS = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];

/** One row per frame; each cell lists every occurrence of the field (comma-separated by tshark). */
export function tsharkFields(path: string, fields: string[], prefs: string[] = TSHARK_PREFS, filter?: string): string[][] {
  const args = ['-r', path, '-n', ...prefs, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  if (filter !== undefined) args.push('-Y', filter);
  for (const f of fields) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`tshark failed on ${path}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}

/** The protocol list (frame.protocols) of every frame, split into names. */
export function tsharkProtocols(path: string, prefs: string[] = TSHARK_PREFS): string[][] {
  return tsharkFields(path, ['frame.protocols'], prefs).map((row) => (row[0] ?? '').split(':'));
}

/** Frames whose protocol list names each of `names` at least once. */
export function framesWith(protocols: string[][], names: string[]): Map<string, number> {
  const out = new Map<string, number>(names.map((n) => [n, 0]));
  for (const list of protocols) for (const n of names) if (list.includes(n)) out.set(n, out.get(n)! + 1);
  return out;
}
