// Every capture that once broke imscap (a fuzz reproducer copied from .fuzz/, or a hostile
// capture found another way) stays here and runs through every capture command under the fuzz
// pass's judge and time budget: no crash, no overrun, no stray or temporary file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandVariant } from '../../scripts/fuzz/commands.js';
import { runOnCapture } from '../../scripts/fuzz/run-capture.js';
import { harness } from './support.js';

const DIR = fileURLToPath(new URL('./reproducers/', import.meta.url));
/** The fuzz pass's budget per case. */
const BUDGET_MS = 10_000;

test('every saved reproducer runs cleanly through every capture command', async (t) => {
  const files = readdirSync(DIR).filter((f) => /\.(pcap|pcapng|bin)(\.gz)?$/.test(f));
  assert.ok(files.length > 0, 'reproducers are kept in test/robustness/reproducers');
  const { pool, scratch, commands } = await harness(t, BUDGET_MS);
  for (const [i, file] of files.entries()) {
    // Two option combinations per command and file, rotating, so every one gets its turn.
    const choices = commands.flatMap((c) => [0, 1].map((k) => ({ command: c.name, variant: c.variants[(2 * i + k) % c.variants.length] as CommandVariant })));
    const run = await runOnCapture(pool, choices, new Uint8Array(readFileSync(join(DIR, file))), join(scratch.root, `r${i}`), file, scratch.cwd);
    run.cleanup();
    for (const c of run.cases) assert.equal(c.verdict, undefined, `${file}: ${c.variant.label}: ${c.verdict?.reason ?? ''}`);
  }
});
