// Where tests find the public capture corpus and the oracle tools (tshark, sox, ffprobe...).
// Without them a test is reported as skipped — never as passed. CI sets IMSCAP_REQUIRE_CORPUS
// and IMSCAP_REQUIRE_ORACLES so that a missing corpus or tool fails the run instead.
import { existsSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const corpusDir = process.env.IMSCAP_CORPUS ?? resolve(repoRoot, '..', 'shared', 'corpus');

const toolCache = new Map<string, boolean>();

export function haveTool(name: string): boolean {
  let ok = toolCache.get(name);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
    toolCache.set(name, ok);
  }
  return ok;
}

/** Path of a corpus capture, or undefined after marking the test skipped (failing under CI). */
export function corpusFile(t: TestContext, name: string): string | undefined {
  const p = join(corpusDir, name);
  if (existsSync(p)) return p;
  if (process.env.IMSCAP_REQUIRE_CORPUS) throw new Error(`corpus file missing: ${name} (IMSCAP_REQUIRE_CORPUS is set)`);
  t.skip(`corpus not present (${name})`);
  return undefined;
}

export function corpusAvailable(): boolean {
  return existsSync(join(corpusDir, 'MANIFEST.tsv'));
}

/** True when every tool is on PATH; otherwise marks the test skipped (failing under CI). */
export function needTools(t: TestContext, ...names: string[]): boolean {
  const missing = names.filter((n) => !haveTool(n));
  if (missing.length === 0) return true;
  if (process.env.IMSCAP_REQUIRE_ORACLES) throw new Error(`oracle tool(s) missing: ${missing.join(', ')} (IMSCAP_REQUIRE_ORACLES is set)`);
  t.skip(`needs ${missing.join(', ')}`);
  return false;
}

/**
 * Every capture file the corpus manifest lists (its `format` column names pcap or pcapng), or
 * undefined (the test skipped, saying why) when the corpus or one of its files is missing.
 */
export function corpusCaptures(t: TestContext): string[] | undefined {
  const manifest = corpusFile(t, 'MANIFEST.tsv');
  if (manifest === undefined) return undefined;
  const rows = readFileSync(manifest, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const paths: string[] = [];
  for (const row of rows) {
    if (!/pcap/.test(row[5] ?? '')) continue;
    const p = corpusFile(t, row[0] ?? '');
    if (p === undefined) return undefined;
    paths.push(p);
  }
  return paths;
}
