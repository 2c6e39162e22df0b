// Shared by the robustness tests: imscap run in this process with its output collected, the
// capture commands (discovered, as the fuzz pass finds them), scratch directories, and small
// captures of SIP datagrams whose every frame and offset the test knows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { surveyCommands, type CaptureCommand } from '../../scripts/fuzz/commands.js';
import { CasePool } from '../../scripts/fuzz/pool.js';
import { probeCommands } from '../../scripts/fuzz/probe.js';
import { makeScratch, type Scratch } from '../../scripts/fuzz/scratch.js';
import { syntheticSeeds } from '../../scripts/fuzz/synthetic.js';
import { ipUdp, text } from '../fixtures/packets.js';

/** `imscap ...args` in this process, its output collected through main's sinks. */
export { imscap } from '../support/run-cli.js';

/** Every command that reads a capture, found from the registered commands. */
export function captureCommands(): CaptureCommand[] {
  const { commands } = surveyCommands();
  if (commands.length === 0) throw new Error('no command reads a capture');
  return commands;
}

/** The plainest command line of each capture command (output, when it writes files, in `outDir`). */
export function plainCommandLines(capture: string, outDir: string): Array<{ name: string; argv: string[] }> {
  return captureCommands().map((c) => ({ name: c.name, argv: (c.variants[0] as CaptureCommand['variants'][number]).argv(capture, outDir) }));
}

export interface Harness {
  readonly pool: CasePool;
  readonly scratch: Scratch;
  /** Every capture command, with the option combinations it accepts on a valid capture. */
  readonly commands: readonly CaptureCommand[];
}

/** Worker threads with a per-case budget, a scratch tree (the working directory meanwhile), probed commands. */
export async function harness(t: TestContext, budgetMs: number): Promise<Harness> {
  const scratch = makeScratch();
  const pool = new CasePool(2, budgetMs);
  t.after(async () => {
    await pool.close();
    scratch.dispose();
  });
  const surveyed = captureCommands();
  const valid = syntheticSeeds()[0];
  if (valid === undefined) throw new Error('no built seed');
  const { usable } = await probeCommands(pool, surveyed, valid.bytes, scratch);
  const lost = surveyed.filter((c) => !usable.some((u) => u.name === c.name)).map((c) => c.name);
  if (lost.length > 0) throw new Error(`no option combination of ${lost.join(', ')} runs on a valid capture`);
  return { pool, scratch, commands: usable };
}

/** A temporary directory removed when the test ends. */
export function scratchDir(t: TestContext, prefix = 'imscap-robust-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `count` SIP OPTIONS requests, each in its own Ethernet/IPv4/UDP frame. */
export function sipFrames(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) =>
    ipUdp(
      { src: '192.0.2.1', dst: '192.0.2.2', srcPort: 5060, dstPort: 5060 },
      text(
        [
          'OPTIONS sip:bob@example.com SIP/2.0',
          `Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-${i}`,
          'From: <sip:alice@example.com>;tag=a',
          'To: <sip:bob@example.com>',
          `Call-ID: robust-${i}@192.0.2.1`,
          `CSeq: ${i + 1} OPTIONS`,
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      ),
    ),
  );
}

/** Lines of stderr, without the empty tail. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** A stack frame line, which must never reach the user. */
export const STACK_FRAME = /^\s+at /m;

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
