// What the sample tests share: where the samples are, the commands samples/README.md tells users
// to run (so a test runs exactly those), tshark's view of the RTP in a sample, and the AMR frames
// a bandwidth-efficient payload carries (RFC 4867 §4.3), decoded here from tshark's bytes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameBits, NO_DATA, type FixtureAmrFrame } from '../fixtures/amr-frames.js';
import { repoRoot } from '../support/environment.js';

export const samplesDir = join(repoRoot, 'samples');

export function samplePath(name: string): string {
  return join(samplesDir, name);
}

export interface ReadmeCommand {
  /** The line as written, without its comment. */
  readonly line: string;
  /** The imscap arguments, as written (paths relative to the repository root). */
  readonly args: readonly string[];
  /** The exit code the comment states (`# exit 1`), 0 when none. */
  readonly exit: number;
}

const LAUNCHER = 'node bin/imscap.js ';

/** Every `node bin/imscap.js …` line of samples/README.md, in order. */
export function readmeCommands(): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  for (const raw of readFileSync(join(samplesDir, 'README.md'), 'utf8').split('\n')) {
    if (!raw.startsWith(LAUNCHER)) continue;
    const hash = raw.indexOf('#');
    const line = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    const exit = hash < 0 ? 0 : Number(/exit (\d)/.exec(raw.slice(hash))?.[1] ?? 0);
    out.push({ line, args: line.slice(LAUNCHER.length).split(/ +/), exit });
  }
  return out;
}

/** The README command that starts with `prefix` (e.g. "extract-amr samples/volte-call.pcap"); fails when there is none. */
export function readmeCommand(prefix: string): ReadmeCommand {
  const found = readmeCommands().find((c) => c.args.join(' ').startsWith(prefix));
  assert.ok(found !== undefined, `samples/README.md shows no "${prefix}" command`);
  return found;
}

/** The arguments of a README command for runCli: sample paths under the repository, `outDir` as --out. */
export function cliArgs(command: ReadmeCommand, outDir?: string): string[] {
  return command.args.map((arg, i) => {
    if (arg.startsWith('samples/')) return join(repoRoot, arg);
    if (command.args[i - 1] === '--out') {
      assert.ok(outDir !== undefined, `${command.line} writes files: give an output directory`);
      return outDir;
    }
    return arg;
  });
}

/** tshark decodes AMR as octet-aligned unless told; the samples' streams are bandwidth-efficient. */
const AMR_BANDWIDTH_EFFICIENT = ['-o', 'amr.encoding.version:RFC 3267 BW-efficient'];

const tsharkCache = new Map<string, string[][]>();

/**
 * `tshark -T fields`, one row per frame passing `filter`, each cell the field's occurrences
 * joined by "|" (SDP attributes and fmtp values hold commas, so tshark's default would split them).
 * The samples do not change during a run, so each question is asked once.
 */
export function tsharkRows(path: string, fields: readonly string[], filter?: string, prefs: readonly string[] = []): string[][] {
  const args = ['-r', path, '-n', ...AMR_BANDWIDTH_EFFICIENT, ...prefs, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=|'];
  if (filter !== undefined) args.push('-Y', filter);
  for (const f of fields) args.push('-e', f);
  const key = args.join('\0');
  const cached = tsharkCache.get(key);
  if (cached !== undefined) return cached;
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark failed on ${path}: ${r.stderr}`);
  const rows = r.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
  tsharkCache.set(key, rows);
  return rows;
}

/** The occurrences of one cell. */
export function occurrences(cell: string | undefined): string[] {
  return (cell ?? '').split('|').filter((s) => s !== '');
}

export interface TsharkRtpPacket {
  readonly frameNo: number;
  readonly src: string;
  readonly ssrc: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly payloadType: number;
  readonly payload: Uint8Array;
  /** Frame types tshark found in the AMR table of contents. */
  readonly frameTypes: readonly number[];
}

/** Every RTP packet of a sample as tshark dissects it (SDP sets up the RTP conversations). */
export function tsharkRtp(path: string): TsharkRtpPacket[] {
  const rows = tsharkRows(path, ['frame.number', 'ipv6.src', 'ip.src', 'rtp.ssrc', 'rtp.seq', 'rtp.timestamp', 'rtp.p_type', 'rtp.payload', 'amr.nb.toc.ft'], 'rtp');
  return rows.map(([frame, ipv6Src, ipSrc, ssrc, seq, ts, pt, payload, fts]) => ({
    frameNo: Number(frame),
    // Inside GTP-U the inner (last) address is the RTP sender's.
    src: occurrences(ipv6Src).at(-1) ?? occurrences(ipSrc).at(-1) ?? '',
    ssrc: Number(ssrc),
    sequence: Number(seq),
    timestamp: Number(ts),
    payloadType: Number(pt),
    payload: Uint8Array.from(Buffer.from((payload ?? '').replaceAll(':', ''), 'hex')),
    frameTypes: occurrences(fts).map(Number),
  }));
}

/** Packets by SSRC, each list in sequence order. */
export function bySsrc(packets: readonly TsharkRtpPacket[]): Map<number, TsharkRtpPacket[]> {
  const out = new Map<number, TsharkRtpPacket[]>();
  for (const p of packets) {
    const list = out.get(p.ssrc) ?? [];
    list.push(p);
    out.set(p.ssrc, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.sequence - b.sequence);
  return out;
}

function bitAt(bytes: Uint8Array, i: number): number {
  return ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
}

/** RFC 4867 §4.3: CMR (4 bits), one ToC entry (F, FT, Q), then the frame's bits, MSB first. */
export function singleFrameOfPayload(payload: Uint8Array): FixtureAmrFrame {
  assert.equal(bitAt(payload, 4), 0, 'one frame per packet (F = 0)');
  let ft = 0;
  for (let i = 5; i < 9; i++) ft = (ft << 1) | bitAt(payload, i);
  const n = frameBits(ft, false);
  assert.ok(n !== undefined, `frame type ${ft}`);
  const bits = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < n; i++) if (bitAt(payload, 10 + i) === 1) bits[i >> 3] = (bits[i >> 3] as number) | (0x80 >> (i & 7));
  return { ft, q: bitAt(payload, 9) === 1, bits };
}

/**
 * The frames an extractor must write for one stream of single-frame packets: the slot of each
 * packet from its RTP timestamp (160 samples per 20 ms frame, RFC 4867 §4.1), NO_DATA elsewhere.
 */
export function expectedFrames(packets: readonly TsharkRtpPacket[]): FixtureAmrFrame[] {
  const first = packets[0];
  const last = packets.at(-1);
  assert.ok(first !== undefined && last !== undefined);
  const slots = (last.timestamp - first.timestamp) / 160 + 1;
  const frames: FixtureAmrFrame[] = Array.from({ length: slots }, () => ({ ft: NO_DATA, q: true, bits: new Uint8Array(0) }));
  for (const p of packets) frames[(p.timestamp - first.timestamp) / 160] = singleFrameOfPayload(p.payload);
  return frames;
}
