// tshark as the oracle for SIP tests: runs it in JSON mode with raw bytes (-x) and gives each
// packet's layers, the bytes of any field ("<field>_raw") and the string values of any field
// anywhere in the dissection tree.
import { execFile } from 'node:child_process';

/** Dissection options that make tshark see the SIP the corpus hides (NULL ESP, port 6060). */
export const SIP_DISSECTION_ARGS = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE', '-d', 'tcp.port==6060,sip'];

export interface TsharkPacket {
  readonly frameNo: number;
  readonly ts: number;
  readonly layers: Readonly<Record<string, unknown>>;
}

/** Runs tshark and resolves with its standard output. */
export function runTshark(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`tshark ${args.join(' ')} failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Packets of `file` (optionally filtered), with every layer and its raw bytes. */
export async function tsharkPackets(file: string, filter?: string, extraArgs: readonly string[] = []): Promise<TsharkPacket[]> {
  const args = ['-r', file, ...SIP_DISSECTION_ARGS, ...extraArgs, '-T', 'json', '-x', '--no-duplicate-keys'];
  if (filter !== undefined) args.push('-Y', filter);
  const stdout = await runTshark(args);
  const parsed = JSON.parse(stdout.length === 0 ? '[]' : stdout) as { _source: { layers: Record<string, unknown> } }[];
  return parsed.map((p) => {
    const layers = p._source.layers;
    const frame = layers['frame'] as Record<string, unknown>;
    return { frameNo: Number(frame['frame.number']), ts: Number(frame['frame.time_epoch']), layers };
  });
}

/** Every value stored under `key` anywhere below `node`, in document order. */
export function findAll(node: unknown, key: string): unknown[] {
  const out: unknown[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
    } else if (typeof n === 'object' && n !== null) {
      for (const [k, v] of Object.entries(n)) {
        if (k === key) {
          if (Array.isArray(v) && !isRawTuple(v)) out.push(...v);
          else out.push(v);
        }
        walk(v);
      }
    }
  };
  walk(node);
  return out;
}

/** String values of a field anywhere below `node`. */
export function fieldStrings(node: unknown, key: string): string[] {
  return findAll(node, key).filter((v): v is string => typeof v === 'string');
}

/** The bytes of every occurrence of `<field>_raw` below `node` (tshark -x tuples [hex, offset, length, ...]). */
export function rawBytes(node: unknown, field: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const take = (v: unknown): void => {
    if (isRawTuple(v)) out.push(Uint8Array.from(Buffer.from(v[0], 'hex')));
    else if (Array.isArray(v)) for (const x of v) take(x);
  };
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
    } else if (typeof n === 'object' && n !== null) {
      for (const [k, v] of Object.entries(n)) {
        if (k === `${field}_raw`) take(v);
        else walk(v);
      }
    }
  };
  walk(node);
  return out;
}

function isRawTuple(v: unknown): v is [string, number, number, ...unknown[]] {
  return Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'number' && /^[0-9a-f]*$/i.test(v[0]);
}
