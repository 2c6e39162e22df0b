// `imscap flow --format json` on every corpus capture that holds SIP (MANIFEST.tsv says so):
// the whole pipeline (capture, tunnels, NULL ESP, reassembly, framing, decoding, the dialog
// tracker and its eviction) must list the SIP messages tshark dissects — same frames, same
// methods and status codes, same Call-IDs and CSeqs, nothing more and nothing less.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusFile, needTools } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { runTshark } from '../protocols/sip/tshark-oracle.js';

/** Captures whose SIP tshark only sees with decode-as (MANIFEST: "not auto-detected; decode-as SIP"). */
const DECODE_AS: Readonly<Record<string, number>> = { 'heplify__sip_ipv4_tcp_fragmented.pcap': 6060 };

interface FlowJson {
  calls: { callId: string; messages: FlowMessageJson[] }[];
  unplaced: FlowMessageJson[];
  summary: { calls: number; messages: number; unplaced: number };
}

interface FlowMessageJson {
  frameNo: number;
  kind: 'request' | 'response';
  method: string;
  statusCode?: number;
  callId?: string;
  cseq?: string;
}

/** The corpus captures MANIFEST.tsv describes as carrying SIP. */
function sipCaptures(manifest: string): string[] {
  return readFileSync(manifest, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .filter((cols) => /\bSIP\b/.test(cols[7] ?? '') && /^pcap/.test(cols[5] ?? ''))
    .map((cols) => cols[0] ?? '');
}

/** tshark's SIP messages as "frame label Call-ID CSeq" lines ("2 INVITE abc@host 1 INVITE"). */
async function tsharkMessages(file: string, decodeAsPort: number | undefined): Promise<string[]> {
  const args = ['-r', file, '-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
  if (decodeAsPort !== undefined) args.push('-d', `tcp.port==${decodeAsPort},sip`);
  args.push('-Y', 'sip', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=\u001f');
  for (const f of ['frame.number', 'sip.Method', 'sip.Status-Code', 'sip.Call-ID', 'sip.CSeq']) args.push('-e', f);
  const out: string[] = [];
  for (const line of (await runTshark(args)).split('\n')) {
    if (line.length === 0) continue;
    const [frame = '', methods = '', statuses = '', callIds = '', cseqs = ''] = line.split('\t');
    const split = (s: string): string[] => (s.length === 0 ? [] : s.split('\u001f'));
    const labels = [...split(methods), ...split(statuses)];
    const ids = split(callIds);
    const cs = split(cseqs);
    labels.forEach((label, i) => out.push(`${frame} ${label} ${ids[i] ?? ''} ${cs[i] ?? ''}`.trimEnd()));
  }
  return out;
}

function imscapMessages(doc: FlowJson): string[] {
  const all = [...doc.calls.flatMap((c) => c.messages), ...doc.unplaced];
  return all.map((m) => `${m.frameNo} ${m.kind === 'request' ? m.method : m.statusCode ?? '?'} ${m.callId ?? ''} ${m.cseq ?? ''}`.trimEnd());
}

const byFrame = (a: string, b: string): number => Number(a.split(' ')[0]) - Number(b.split(' ')[0]) || a.localeCompare(b);

test('flow --format json lists the SIP messages tshark shows, on every SIP capture of the corpus', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const manifest = corpusFile(t, 'MANIFEST.tsv');
  if (manifest === undefined) return;
  const names = sipCaptures(manifest);
  assert.ok(names.length >= 10, `MANIFEST names ${names.length} SIP captures`);
  const files = names.map((name) => ({ name, file: corpusFile(t, name) }));
  // tshark in parallel (it mostly waits); imscap runs one at a time (its output sinks are global).
  const oracles = await Promise.all(files.map(({ name, file }) => (file === undefined ? Promise.resolve([]) : tsharkMessages(file, DECODE_AS[name]))));
  for (const [i, { name, file }] of files.entries()) {
    if (file === undefined) continue;
    const decodeAs = DECODE_AS[name];
    const run = await runCli(['flow', file, '--format', 'json', ...(decodeAs !== undefined ? ['--decode-as', `${decodeAs}=sip`] : [])]);
    assert.equal(run.code, 0, `${name}: ${run.stderr}`);
    const doc = JSON.parse(run.stdout) as FlowJson;
    const expected = (oracles[i] ?? []).slice().sort(byFrame);
    assert.ok(expected.length > 0, `${name}: tshark shows SIP`);
    const actual = imscapMessages(doc).sort(byFrame);
    assert.deepEqual(actual, expected, name);
    assert.equal(doc.summary.messages, expected.length, `${name}: summary count`);
    assert.equal(doc.summary.calls, doc.calls.length, `${name}: calls listed`);
    // Each call's messages are in frame order and all carry its Call-ID.
    for (const call of doc.calls) {
      assert.ok(call.messages.every((m, k) => m.callId === call.callId && (k === 0 || (call.messages[k - 1]?.frameNo ?? 0) <= m.frameNo)), `${name}: call ${call.callId}`);
    }
  }
});

test('flow text of a real IMS call through a proxy (sngrep__ipv6frag): columns and arrows where tshark puts each message', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const file = corpusFile(t, 'sngrep__ipv6frag.pcap');
  if (file === undefined) return;
  const args = ['-r', file, '-Y', 'sip', '-T', 'fields', '-E', 'separator=\t'];
  for (const f of ['frame.number', 'ipv6.src', 'udp.srcport', 'ipv6.dst', 'udp.dstport', 'sip.Method', 'sip.Status-Code']) args.push('-e', f);
  const oracle = (await runTshark(args)).split('\n').filter((l) => l.length > 0).map((l) => {
    const [frame = '', src = '', sport = '', dst = '', dport = '', method = '', status = ''] = l.split('\t');
    return { frameNo: Number(frame), src: `[${src}]:${sport}`, dst: `[${dst}]:${dport}`, label: method || status };
  });
  const run = await runCli(['flow', file]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split('\n');
  assert.ok(lines.every((l) => [...l].length <= 160));
  // Legend "  A   [addr]:port  (caller)" → column of each address; header → x of each column.
  const lane = new Map<string, string>();
  for (const l of lines) {
    const m = /^ {2}([A-Z]) +(\S+)/.exec(l);
    if (m !== null) lane.set(m[2] ?? '', m[1] ?? '');
  }
  assert.equal(lane.size, new Set(oracle.flatMap((o) => [o.src, o.dst])).size, 'one column per host');
  assert.equal(lane.get(oracle.find((o) => o.label === 'INVITE')?.src ?? ''), 'A', 'the INVITE sender is A');
  const header = [...(lines.find((l) => l.startsWith('Time')) ?? '')];
  const x = (id: string): number => header.findIndex((ch, i) => ch === id && header[i - 1] === ' ' && (header[i + 1] ?? ' ') === ' ');
  const rows = lines.filter((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l));
  assert.deepEqual(rows.map((r) => Number(/^\S+ +(\d+) /.exec(r)?.[1])), oracle.map((o) => o.frameNo), 'one row per SIP frame, in order');
  for (const [i, o] of oracle.entries()) {
    const row = [...(rows[i] ?? '')];
    const from = x(lane.get(o.src) ?? '?');
    const to = x(lane.get(o.dst) ?? '?');
    assert.ok(from > 0 && to > 0 && from !== to, `frame ${o.frameNo}: columns`);
    if (from < to) {
      assert.equal(row.slice(from + 1, from + 4 + o.label.length).join(''), `───${o.label}`, `frame ${o.frameNo}`);
      assert.equal(row[to - 1], '▶', `frame ${o.frameNo} points right`);
    } else {
      assert.equal(row.slice(to + 1, to + 4 + o.label.length).join(''), `◀──${o.label}`, `frame ${o.frameNo}`);
    }
    assert.equal(row[from], '│');
    assert.equal(row[to], '│');
  }
});
