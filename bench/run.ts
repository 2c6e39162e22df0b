// The project's benchmark: generates (once) a large synthetic VoLTE capture, then measures
// throughput (MB/s) and peak RSS of `imscap info` and `imscap extract-amr`, and — when tshark is
// installed — of `tshark -q -z io,phs` and `tshark -q -z rtp,streams` on the same file.
// Each command runs --runs times (default 3), in rounds of every command in turn, and its fastest
// run is reported with the highest peak RSS of all its runs: on a shared machine the fastest run
// is the one least disturbed.
//   npm run bench [-- --size 512] [--runs 3] [--keep]
import { accessSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback);
const sizeMb = option('--size', 512);
const runs = Math.max(1, option('--runs', 3));
const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
// The generator's version is part of the name: a capture left by an older generator is not reused.
const GENERATOR_VERSION = 2;
const capture = join(outDir, `bench-v${GENERATOR_VERSION}-${sizeMb}mb.pcap`);

if (!existsSync(capture)) {
  console.error(`generating ${capture} …`);
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'generate.ts'), capture, String(sizeMb)], { stdio: 'inherit' });
  if (gen.status !== 0) process.exit(1);
}
const bytes = statSync(capture).size;
const frames = countFrames(capture);

/** Records of the (classic, little-endian) pcap the generator writes: per-frame costs need the count. */
function countFrames(path: string): number {
  const fd = openSync(path, 'r');
  const header = Buffer.alloc(16);
  let offset = 24;
  let count = 0;
  try {
    while (readSync(fd, header, 0, 16, offset) === 16) {
      offset += 16 + header.readUInt32LE(8);
      count++;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}

interface Measure {
  readonly name: string;
  readonly seconds: number;
  readonly maxRssMb: number;
  readonly mbPerSecond: number;
}

/** Runs a command, polling /proc for its peak RSS (VmHWM) while it runs. */
function measure(name: string, cmd: string, cmdArgs: string[]): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    let peakKb = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      let status = '';
      try {
        status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      } catch {
        return;
      }
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      if (kb > peakKb) peakKb = kb;
    }, 50);
    child.on('close', (code) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0 && code !== 1) return reject(new Error(`${name} exited ${code}: ${stderr.slice(-500)}`));
      resolve({ name, seconds, maxRssMb: peakKb / 1024, mbPerSecond: bytes / 1e6 / seconds });
    });
  });
}

// Each extract-amr run writes into a directory of its own, created empty, and the directories are
// removed only after every measurement: replacing the thousands of files of the previous run
// (--force) or deleting them just before would bill extract-amr for the file system's work on
// the harness's deletions (ext4 without a journal skips inodes freed in the last 12 hours).
// extract-amr runs twice per round: its files on the disk beside the capture, and in a RAM-backed
// directory (/dev/shm, when the machine has one), which measures imscap's own work without the
// file system's (on ext4 without a journal, creating a file skips over every inode freed in the
// last 12 hours of the block group, a cost that depends on the disk's history, not on imscap).
const amrOut = join(outDir, 'amr');
rmSync(amrOut, { recursive: true, force: true });
mkdirSync(amrOut);
const shm = '/dev/shm';
const ramOut = isWritableDir(shm) ? mkdtempSync(join(shm, 'imscap-bench-')) : undefined;
let amrRun = 0;
const node = process.execPath;
const imscap = join(root, 'bin', 'imscap.js');
interface Command {
  readonly name: string;
  readonly cmd: string;
  readonly args: () => string[];
  /** After each run (outputs in RAM are removed at once: deleting there costs later runs nothing). */
  readonly after?: () => void;
}
const commands: Command[] = [
  { name: 'imscap info', cmd: node, args: () => [imscap, 'info', capture] },
  {
    name: 'imscap extract-amr',
    cmd: node,
    args: () => {
      const out = join(amrOut, `run-${++amrRun}`);
      mkdirSync(out);
      return [imscap, 'extract-amr', capture, '--out', out];
    },
  },
];
if (ramOut !== undefined) {
  const out = join(ramOut, 'run');
  commands.push({
    name: 'imscap extract-amr (files in RAM)',
    cmd: node,
    args: () => {
      mkdirSync(out);
      return [imscap, 'extract-amr', capture, '--out', out];
    },
    after: () => rmSync(out, { recursive: true, force: true }),
  });
}
if (spawnSync('sh', ['-c', 'command -v tshark'], { stdio: 'ignore' }).status === 0) {
  commands.push({ name: 'tshark -q -z io,phs', cmd: 'tshark', args: () => ['-n', '-q', '-r', capture, '-z', 'io,phs'] });
  commands.push({ name: 'tshark -q -z rtp,streams', cmd: 'tshark', args: () => ['-n', '-q', '-r', capture, '-z', 'rtp,streams'] });
}
// Rounds of every command in turn, so that a slow spell of a shared machine falls on all of them
// alike; per command the fastest run, with the largest peak RSS seen in any of its runs.
const fastest = new Map<string, Measure>();
const rss = new Map<string, number>();
/** Seconds per command in each round, for ratios of runs made minutes apart at most. */
const rounds: Map<string, number>[] = [];
for (let round = 1; round <= runs; round++) {
  const seconds = new Map<string, number>();
  rounds.push(seconds);
  for (const c of commands) {
    const m = await measure(c.name, c.cmd, c.args());
    c.after?.();
    seconds.set(c.name, m.seconds);
    console.error(`  round ${round}: ${c.name}: ${m.seconds.toFixed(2)} s, ${m.maxRssMb.toFixed(0)} MB`);
    rss.set(c.name, Math.max(rss.get(c.name) ?? 0, m.maxRssMb));
    const best = fastest.get(c.name);
    if (best === undefined || m.seconds < best.seconds) fastest.set(c.name, m);
  }
}
const results: Measure[] = commands.map((c) => ({ ...(fastest.get(c.name) as Measure), maxRssMb: rss.get(c.name) ?? 0 }));
console.log(`capture: ${(bytes / 1e6).toFixed(0)} MB, ${frames} frames (${capture}), fastest of ${runs} run(s) each`);
console.log('| command | seconds | MB/s | µs per frame | peak RSS (MB) |');
console.log('|---|---:|---:|---:|---:|');
for (const r of results) console.log(`| ${r.name} | ${r.seconds.toFixed(2)} | ${r.mbPerSecond.toFixed(0)} | ${((r.seconds / frames) * 1e6).toFixed(2)} | ${r.maxRssMb.toFixed(0)} |`);
const byName = new Map(results.map((r) => [r.name, r]));
const ratio = (a: string, b: string): string => {
  const x = byName.get(a);
  const y = byName.get(b);
  return x && y ? `${(y.seconds / x.seconds).toFixed(1)}×` : 'n/a';
};
console.log(
  `info vs tshark io,phs: ${ratio('imscap info', 'tshark -q -z io,phs')} faster; extract-amr vs tshark rtp,streams: ${ratio('imscap extract-amr', 'tshark -q -z rtp,streams')} faster` +
    (ramOut !== undefined ? ` (files in RAM: ${ratio('imscap extract-amr (files in RAM)', 'tshark -q -z rtp,streams')})` : ''),
);
// The fastest runs of two commands may fall in different spells of a shared machine; the ratio
// within each round compares runs made at most minutes apart.
const perRound = (a: string, b: string): string => {
  const r = rounds.flatMap((m) => {
    const x = m.get(a);
    const y = m.get(b);
    return x !== undefined && y !== undefined ? [y / x] : [];
  });
  if (r.length === 0) return 'n/a';
  r.sort((p, q) => p - q);
  const median = r.length % 2 === 1 ? (r[(r.length - 1) / 2] as number) : ((r[r.length / 2 - 1] as number) + (r[r.length / 2] as number)) / 2;
  return `${(r[0] as number).toFixed(1)}–${(r[r.length - 1] as number).toFixed(1)}×, median ${median.toFixed(1)}×`;
};
if (byName.has('tshark -q -z rtp,streams')) {
  console.log(
    `per round: extract-amr vs tshark rtp,streams ${perRound('imscap extract-amr', 'tshark -q -z rtp,streams')}` +
      (ramOut !== undefined ? ` (files in RAM: ${perRound('imscap extract-amr (files in RAM)', 'tshark -q -z rtp,streams')})` : ''),
  );
}
if (ramOut !== undefined) rmSync(ramOut, { recursive: true, force: true });
if (!args.includes('--keep')) rmSync(amrOut, { recursive: true, force: true });

function isWritableDir(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
