import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/run-cli.js';
import { corpusFile, needTools } from '../support/environment.js';

// Real S6a captures (MANIFEST.tsv): sqn-check must read them without a decode problem, and every
// AIA vector must appear as a challenge whose frame, RAND and AUTN are what tshark shows.

const CAPTURES = ['pyhss__Diameter_AIA2.pcapng', 'magma__gx_gy_combined_03_210505_132953-1.pcapng', 'magma__inbound_roaming_01_210505_130828-1.pcapng'];

interface Entry {
  frame: number;
  kind: string;
  source: string;
  rand?: string;
  autn?: string;
  error?: string;
}
interface Report {
  unattributed: number;
  subscribers: { imsis: string[]; verdict: string; timeline: Entry[] }[];
  findings: { ruleId: string }[];
}

interface TsharkView {
  /** [frame, RAND, AUTN] per vector, in frame order. */
  readonly vectors: [number, string, string][];
  /** User-Name of the AIRs: the IMSIs (TS 29.272 §7.2.5). */
  readonly imsis: string[];
}

/** One tshark run over the S6a Authentication-Information messages (command 318). */
function tsharkView(path: string): TsharkView {
  const fields = ['frame.number', 'diameter.User-Name', 'diameter.RAND', 'diameter.AUTN'];
  const r = spawnSync('tshark', ['-r', path, '-Y', 'diameter.cmd.code == 318', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const vectors: [number, string, string][] = [];
  const imsis = new Set<string>();
  const list = (v: string | undefined): string[] => (v ?? '').split(',').filter((x) => x !== '');
  const octets = (v: string): string => v.replaceAll(':', '').toLowerCase();
  for (const line of r.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const [frame, users, rands, autns] = line.split('\t');
    for (const u of list(users)) imsis.add(u);
    const randList = list(rands);
    const autnList = list(autns);
    assert.equal(randList.length, autnList.length);
    randList.forEach((rand, i) => vectors.push([Number(frame), octets(rand), octets(autnList[i] ?? '')]));
  }
  return { vectors, imsis: [...imsis].sort() };
}

for (const name of CAPTURES) {
  test(`sqn-check ${name}: exit 0, no decode problem, AIA vectors as tshark shows them`, async (t) => {
    const path = corpusFile(t, name);
    if (path === undefined || !needTools(t, 'tshark')) return;
    const r = await runCli(['sqn-check', path, '--format', 'json']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '', 'no malformed packet or undecodable message');
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.unattributed, 0);
    const entries = report.subscribers.flatMap((s) => s.timeline);
    assert.deepEqual(entries.filter((e) => e.error !== undefined), []);
    assert.ok(!report.findings.some((f) => f.ruleId === 'aka-malformed' || f.ruleId === 'sqn-resync-loop'));

    const tshark = tsharkView(path);
    const expected = tshark.vectors;
    assert.ok(expected.length > 0, 'the capture holds AIA vectors');
    const challenges = entries.filter((e) => e.kind === 'challenge').sort((a, b) => a.frame - b.frame);
    assert.deepEqual(
      challenges.map((e) => [e.frame, e.rand, e.autn]),
      expected,
    );
    assert.ok(challenges.every((e) => e.source === 's6a-aia'));
    // The AIA names nobody: its subscriber is the IMSI of the AIR with the same Session-Id.
    assert.deepEqual(report.subscribers.flatMap((s) => s.imsis).sort(), tshark.imsis);
  });
}
