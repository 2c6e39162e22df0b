import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/run-cli.js';
import { needTools } from '../support/environment.js';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { AKA_K, AKA_OPC, AKA_SET, AkaCapture, IMPI, IMSI, akaAuts, akaVector, randOf, sqnOf, type AkaVector } from '../fixtures/aka-capture.js';

// Every capture here is built by the test: SIP on Gm and Mw, Cx over SCTP, S6a over TCP, with
// AUTN / AUTS computed from TS 35.208 test set 1 for SQNs this file chooses. The report must give
// back those SQNs, the rounds the test played and the frames it wrote them in.

const SQN_MS = sqnOf(5000, 3);
const staleSqn = (i: number): bigint => sqnOf(100 + i, i % 32);
const FRESH_SQN = sqnOf(5001, 0);
const KEYS = ['--k', AKA_K, '--opc', AKA_OPC];

interface Sides {
  readonly sip: boolean;
  readonly cx: boolean;
}
const BOTH: Sides = { sip: true, cx: true };

/** One IMS registration as the S-CSCF runs it (TS 24.229 §5.4.1.2), on the sides asked for. */
class ImsRegistration {
  cseq = 1;
  constructor(
    readonly c: AkaCapture,
    readonly sides: Sides = BOTH,
  ) {}

  /** Initial REGISTER, MAR, MAA with `v`, 401. */
  initial(v: AkaVector): void {
    if (this.sides.sip) this.c.register({ cseq: this.cseq });
    this.hss(undefined, v);
  }

  /** The UE rejects `rejected` with AUTS; the HSS answers with `next`. Returns the AUTS frames. */
  resync(rejected: AkaVector, next: AkaVector): number[] {
    this.cseq++;
    const frames: number[] = [];
    if (this.sides.sip) {
      const { gm, mw } = this.c.register({ cseq: this.cseq, auts: { vector: rejected, sqnMs: SQN_MS } });
      frames.push(gm, ...(mw !== undefined ? [mw] : []));
    }
    frames.push(...this.hss({ vector: rejected, sqnMs: SQN_MS }, next));
    return frames;
  }

  /** The UE answers `v`; SAR/SAA; 200 OK. */
  register(v: AkaVector): void {
    this.cseq++;
    if (this.sides.sip) this.c.register({ cseq: this.cseq, answer: v });
    if (this.sides.cx) {
      this.c.cxSar();
      this.c.cxSaa();
    }
    if (this.sides.sip) this.c.final({ cseq: this.cseq, status: 200, reason: 'OK' });
  }

  private hss(resync: { vector: AkaVector; sqnMs: bigint } | undefined, v: AkaVector): number[] {
    const frames: number[] = [];
    if (this.sides.cx) {
      frames.push(this.c.cxMar(resync));
      this.c.cxMaa({ vectors: [v] });
    }
    if (this.sides.sip) this.c.challenge({ cseq: this.cseq, vector: v });
    return frames;
  }
}

interface LoopCapture {
  readonly capture: AkaCapture;
  readonly vectors: AkaVector[];
  /** Frames of each round's AUTS (REGISTER on Gm and Mw, MAR). */
  readonly roundFrames: number[][];
}

/** A resync loop: the HSS answers every AUTS with another stale vector. */
function loopCapture(rounds: number, sides: Sides = BOTH): LoopCapture {
  const capture = new AkaCapture();
  const reg = new ImsRegistration(capture, sides);
  const vectors = [akaVector(randOf(0), staleSqn(0))];
  reg.initial(vectors[0] as AkaVector);
  const roundFrames: number[][] = [];
  for (let r = 1; r <= rounds; r++) {
    vectors.push(akaVector(randOf(r), staleSqn(r)));
    roundFrames.push(reg.resync(vectors[r - 1] as AkaVector, vectors[r] as AkaVector));
  }
  return { capture, vectors, roundFrames };
}

interface JsonRound {
  round: number;
  frames: number[];
  sqnMs?: number;
  macSValid?: boolean;
  rejectedSqn?: number;
  nextSqn?: number;
  nextFreshness?: { accepted: boolean; reason?: string };
}
interface JsonEntry {
  frame: number;
  kind: string;
  source: string;
  rand?: string;
  autn?: string;
  auts?: string;
  ck?: string;
  ik?: string;
  error?: string;
  check?: { sqn?: number; macAValid?: boolean; ckMatches?: boolean; ikMatches?: boolean; xresMatches?: boolean };
}
interface JsonSubscriber {
  id: string;
  impis: string[];
  imsis: string[];
  verdict: string;
  rounds: number;
  keyOrigin?: string;
  keys?: { k: string; opc: string };
  sqn?: { sqnMs?: number; sqnHe?: number; freshness?: { accepted: boolean } };
  resyncs: JsonRound[];
  timeline: JsonEntry[];
}
interface JsonReport {
  report: string;
  keysSupplied: boolean;
  unattributed: number;
  subscribers: JsonSubscriber[];
  findings: { ruleId: string; frames: number[] }[];
}

async function sqnCheck(t: TestContext, capture: AkaCapture, ...args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const path = tempCaptureFile(t, 'aka.pcap', capture.pcap());
  const r = await runCli(['sqn-check', path, '--format', 'json', ...args]);
  assert.equal(r.stderr, '', 'no warnings: the built capture decodes cleanly');
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

function onlySubscriber(report: JsonReport): JsonSubscriber {
  assert.equal(report.subscribers.length, 1);
  assert.equal(report.unattributed, 0);
  return report.subscribers[0] as JsonSubscriber;
}

test('a loop of 3 rounds that never registers: exit 1, verdict loop, SQN_MS and every HSS SQN as put in', async (t) => {
  const { capture, vectors, roundFrames } = loopCapture(3);
  const { code, report } = await sqnCheck(t, capture, ...KEYS);
  assert.equal(code, 1);
  const s = onlySubscriber(report);
  assert.equal(s.id, IMPI);
  assert.deepEqual(s.imsis, [IMSI], 'the IMPI is derived from the IMSI (TS 23.003 §13.3)');
  assert.equal(s.verdict, 'loop');
  assert.equal(s.rounds, 3);
  assert.equal(s.keyOrigin, '--k/--opc');
  assert.deepEqual(
    s.resyncs.map((r) => [r.round, r.frames, r.sqnMs, r.macSValid, r.rejectedSqn, r.nextSqn, r.nextFreshness?.accepted]),
    roundFrames.map((frames, i) => [i + 1, frames, Number(SQN_MS), true, Number(staleSqn(i)), Number(staleSqn(i + 1)), false]),
  );
  assert.equal(s.sqn?.sqnMs, Number(SQN_MS));
  assert.equal(s.sqn?.sqnHe, Number(staleSqn(3)));
  assert.equal(s.sqn?.freshness?.accepted, false);
  // Every challenge is seen three times (MAA, 401 on Mw, 401 on Gm), every RAND as the test chose it.
  const challenges = s.timeline.filter((e) => e.kind === 'challenge');
  assert.deepEqual(
    challenges.map((e) => [e.source, e.rand, e.check?.sqn, e.check?.macAValid]),
    vectors.flatMap((v) => ['cx-maa', 'sip-401', 'sip-401'].map((source) => [source, Buffer.from(v.rand).toString('hex'), Number(v.sqn), true])),
  );
  assert.ok(s.timeline.every((e) => e.error === undefined));
  assert.deepEqual(
    report.findings.map((f) => f.ruleId).sort(),
    ['sqn-hss-not-resynchronised', 'sqn-resync-loop'],
  );
});

test('the loop is found from the SIP side alone and from the Cx side alone', async (t) => {
  for (const sides of [{ sip: true, cx: false }, { sip: false, cx: true }]) {
    const { capture, roundFrames } = loopCapture(4, sides);
    const { code, report } = await sqnCheck(t, capture, ...KEYS);
    const s = onlySubscriber(report);
    assert.equal(code, 1, JSON.stringify(sides));
    assert.equal(s.verdict, 'loop');
    assert.equal(s.rounds, 4);
    assert.deepEqual(
      s.resyncs.map((r) => [r.frames, r.sqnMs, r.rejectedSqn]),
      roundFrames.map((frames, i) => [frames, Number(SQN_MS), Number(staleSqn(i))]),
    );
    assert.deepEqual(new Set(s.timeline.map((e) => e.source)), new Set(sides.sip ? ['sip-401', 'sip-register'] : ['cx-maa', 'cx-mar']));
  }
});

test('without keys the loop and its rounds are still found, no SQN is claimed, and no key is printed', async (t) => {
  const { capture } = loopCapture(2);
  const { code, report } = await sqnCheck(t, capture);
  assert.equal(code, 1);
  const s = onlySubscriber(report);
  assert.equal(report.keysSupplied, false);
  assert.equal(s.verdict, 'loop');
  assert.equal(s.rounds, 2);
  assert.equal(s.sqn, undefined);
  assert.ok(s.resyncs.every((r) => r.sqnMs === undefined));
});

test('one resync that recovers: exit 0, verdict recovered, the next SQN above SQN_MS and accepted', async (t) => {
  const capture = new AkaCapture();
  const reg = new ImsRegistration(capture);
  const stale = akaVector(randOf(1), staleSqn(1));
  const fresh = akaVector(randOf(2), FRESH_SQN);
  reg.initial(stale);
  const frames = reg.resync(stale, fresh);
  reg.register(fresh);
  const { code, report } = await sqnCheck(t, capture, ...KEYS);
  assert.equal(code, 0);
  const s = onlySubscriber(report);
  assert.equal(s.verdict, 'recovered');
  assert.equal(s.rounds, 1);
  assert.deepEqual(
    s.resyncs.map((r) => [r.frames, r.sqnMs, r.rejectedSqn, r.nextSqn, r.nextFreshness?.accepted]),
    [[frames, Number(SQN_MS), Number(staleSqn(1)), Number(FRESH_SQN), true]],
  );
  assert.equal(s.sqn?.sqnHe, Number(FRESH_SQN));
  assert.equal(s.sqn?.freshness?.accepted, true);
  const outcomes = s.timeline.filter((e) => e.kind === 'outcome').map((e) => e.source);
  assert.deepEqual(outcomes, ['cx', 'sip', 'sip']);
  assert.ok(!report.findings.some((f) => f.ruleId === 'sqn-resync-loop'));
});

test('a normal registration: verdict ok, no round, the challenge SQN as put in, ck/ik of the Mw 401 verified', async (t) => {
  const capture = new AkaCapture();
  const reg = new ImsRegistration(capture);
  const v = akaVector(randOf(9), FRESH_SQN);
  reg.initial(v);
  reg.register(v);
  const { code, report } = await sqnCheck(t, capture, ...KEYS);
  assert.equal(code, 0);
  const s = onlySubscriber(report);
  assert.equal(s.verdict, 'ok');
  assert.equal(s.rounds, 0);
  assert.deepEqual(s.resyncs, []);
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  const mw = s.timeline.find((e) => e.source === 'sip-401' && e.ck !== undefined);
  assert.deepEqual([mw?.ck, mw?.ik], [hex(v.ck), hex(v.ik)]);
  assert.ok(s.timeline.filter((e) => e.kind === 'challenge').every((e) => e.check?.sqn === Number(FRESH_SQN) && e.check.macAValid === true));
  const answered = s.timeline.filter((e) => e.kind === 'auth-response');
  assert.equal(answered.length, 2, 'the REGISTER with the Digest response, on Gm and on Mw');
});

test('S6a AIR/AIA over TCP: the MME resynchronises once and the attach goes on (recovered)', async (t) => {
  const c = new AkaCapture();
  const stale = akaVector(randOf(3), staleSqn(3));
  const fresh = akaVector(randOf(4), FRESH_SQN);
  c.s6aAir();
  const firstAia = c.s6aAia({ vectors: [stale] });
  const air = c.s6aAir({ vector: stale, sqnMs: SQN_MS });
  const nextAia = c.s6aAia({ vectors: [fresh] });
  c.s6aUlr();
  const ula = c.s6aUla();
  const { code, report } = await sqnCheck(t, c, ...KEYS);
  assert.equal(code, 0);
  const s = onlySubscriber(report);
  assert.equal(s.id, IMSI);
  assert.equal(s.verdict, 'recovered');
  assert.equal(s.rounds, 1);
  assert.deepEqual(
    s.resyncs.map((r) => [r.frames, r.sqnMs, r.rejectedSqn, r.nextSqn, r.nextFreshness?.accepted]),
    [[[air], Number(SQN_MS), Number(staleSqn(3)), Number(FRESH_SQN), true]],
  );
  assert.deepEqual(
    s.timeline.map((e) => [e.frame, e.kind, e.source]),
    [
      [firstAia, 'challenge', 's6a-aia'],
      [air, 'resync', 's6a-air'],
      [nextAia, 'challenge', 's6a-aia'],
      [ula, 'outcome', 's6a'],
    ],
  );
});

test('S6a: an HSS that keeps sending stale vectors loops; one that answers a resync with 4181 fails', async (t) => {
  const loop = new AkaCapture();
  let previous = akaVector(randOf(10), staleSqn(10));
  loop.s6aAir();
  loop.s6aAia({ vectors: [previous] });
  for (let r = 1; r <= 3; r++) {
    loop.s6aAir({ vector: previous, sqnMs: SQN_MS });
    previous = akaVector(randOf(10 + r), staleSqn(10 + r));
    loop.s6aAia({ vectors: [previous] });
  }
  const looping = await sqnCheck(t, loop, ...KEYS);
  assert.equal(looping.code, 1);
  const s = onlySubscriber(looping.report);
  assert.deepEqual([s.verdict, s.rounds, s.sqn?.sqnMs, s.sqn?.sqnHe], ['loop', 3, Number(SQN_MS), Number(staleSqn(13))]);

  const failing = new AkaCapture();
  const stale = akaVector(randOf(20), staleSqn(20));
  failing.s6aAir();
  failing.s6aAia({ vectors: [stale] });
  failing.s6aAir({ vector: stale, sqnMs: SQN_MS });
  const rejected = failing.s6aAia({ experimental: 4181 });
  const failed = await sqnCheck(t, failing, ...KEYS);
  assert.equal(failed.code, 0);
  const f = onlySubscriber(failed.report);
  assert.equal(f.verdict, 'failed');
  assert.equal(f.rounds, 1);
  assert.deepEqual(f.timeline.at(-1), { ...f.timeline.at(-1), frame: rejected, kind: 'outcome', source: 's6a' });
});

test('--loop-rounds raises the bar: 3 rounds under --loop-rounds 4 are not a loop', async (t) => {
  const { capture } = loopCapture(3);
  const { code, report } = await sqnCheck(t, capture, '--loop-rounds', '4');
  assert.equal(code, 0);
  assert.equal(onlySubscriber(report).verdict, 'incomplete');
});

test('--subscribers CSV gives the keys; keys appear only with --show-keys', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-sqn-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const csv = join(dir, 'subscribers.csv');
  writeFileSync(csv, `# test set 1\nimpi,k,opc\n${IMPI},${AKA_K},${AKA_OPC}\n`);
  const { capture } = loopCapture(2);
  const hidden = await sqnCheck(t, capture, '--subscribers', csv);
  const s = onlySubscriber(hidden.report);
  assert.equal(s.keyOrigin, `${csv} line 3`);
  assert.equal(s.sqn?.sqnMs, Number(SQN_MS));
  assert.equal(s.keys, undefined);
  const path = tempCaptureFile(t, 'loop.pcap', capture.pcap());
  const text = await runCli(['sqn-check', path, '--subscribers', csv]);
  assert.equal(text.code, 1);
  assert.ok(!text.stdout.includes(AKA_K) && !text.stdout.includes(AKA_OPC), 'no key in the text report');
  assert.match(text.stdout, /LOOP/);
  const shown = await sqnCheck(t, capture, '--subscribers', csv, '--show-keys');
  assert.deepEqual(onlySubscriber(shown.report).keys, { k: AKA_K, opc: AKA_OPC });
  // OP instead of OPc gives the same OPc (TS 35.206 §4.1), hence the same SQNs.
  const withOp = await sqnCheck(t, capture, '--k', AKA_K, '--op', AKA_SET.op);
  assert.equal(onlySubscriber(withOp.report).sqn?.sqnMs, Number(SQN_MS));
});

test('-o writes the report to a file and nothing to stdout', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-sqn-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'report.json');
  const path = tempCaptureFile(t, 'loop.pcap', loopCapture(2).capture.pcap());
  const r = await runCli(['sqn-check', path, '--format', 'json', '-o', out]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal((JSON.parse(readFileSync(out, 'utf8')) as JsonReport).subscribers[0]?.verdict, 'loop');
  const again = await runCli(['sqn-check', path, '-o', out]);
  assert.equal(again.code, 2, 'an existing file is not replaced without --force');
});

test('usage errors exit 2 and name the problem', async (t) => {
  const path = tempCaptureFile(t, 'loop.pcap', loopCapture(1).capture.pcap());
  const cases: [string[], RegExp][] = [
    [['--format', 'xml'], /unknown format 'xml'/],
    [['--k', AKA_K], /--k needs --op or --opc/],
    [['--opc', AKA_OPC], /--opc needs --k/],
    [['--k', 'abc', '--opc', AKA_OPC], /--k must be 32 hex digits/],
    [['--ind-bits', '48'], /--ind-bits must be an integer in 0\.\.47/],
    [['--loop-rounds', '0'], /--loop-rounds must be an integer/],
    [['--show-keys'], /--show-keys needs --k or --subscribers/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['sqn-check', path, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
  const missing = await runCli(['sqn-check', join(tmpdir(), 'no-such-capture.pcap')]);
  assert.equal(missing.code, 2);
});

test('what sqn-check reads from the built capture is what tshark reads', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const { capture } = loopCapture(2);
  const path = tempCaptureFile(t, 'loop.pcap', capture.pcap());
  const { report } = await sqnCheck(t, capture);
  const s = onlySubscriber(report);
  // One tshark run: frame, request flag, Cx SIP-Authenticate / SIP-Authorization, SIP status, nonce, auts.
  const fields = ['frame.number', 'diameter.flags.request', 'diameter.3GPP-SIP-Authenticate', 'diameter.3GPP-SIP-Authorization', 'sip.Status-Code', 'sip.auth.nonce', 'sip.auth.auts'];
  const r = spawnSync('tshark', ['-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t').map((v) => v.replaceAll('"', '')));
  const octets = (v: string | undefined): string => (v ?? '').replaceAll(':', '').toLowerCase();
  const b64hex = (v: string | undefined): string => Buffer.from(v ?? '', 'base64').toString('hex');
  const pick = (keep: (row: string[]) => boolean, value: (row: string[]) => string): [number, string][] => rows.filter(keep).map((row) => [Number(row[0]), value(row)]);
  const ours = (source: string, value: (e: JsonEntry) => string): [number, string][] => s.timeline.filter((e) => e.source === source).map((e) => [e.frame, value(e)]);
  // Cx: SIP-Authenticate = RAND ‖ AUTN; SIP-Authorization in an MAR = RAND ‖ AUTS (TS 29.229 §6.3.10, §6.3.11).
  assert.deepEqual(ours('cx-maa', (e) => `${e.rand}${e.autn}`), pick((row) => row[1] === '0' && row[2] !== '', (row) => octets(row[2])));
  assert.deepEqual(ours('cx-mar', (e) => `${e.rand}${e.auts}`), pick((row) => row[1] === '1' && row[3] !== '', (row) => octets(row[3])));
  // SIP: nonce = base64(RAND ‖ AUTN) (RFC 3310 §3.2), auts = base64(AUTS) (§3.4).
  assert.deepEqual(ours('sip-401', (e) => `${e.rand}${e.autn}`), pick((row) => row[4] === '401', (row) => b64hex(row[5])));
  assert.deepEqual(ours('sip-register', (e) => e.auts ?? ''), pick((row) => row[6] !== undefined && row[6] !== '', (row) => b64hex(row[6])));
  assert.equal(s.resyncs.length, 2);
});

test('the AUTS of each round is the USIM token for SQN_MS over the rejected RAND', async (t) => {
  const { capture, vectors } = loopCapture(2, { sip: false, cx: true });
  const { report } = await sqnCheck(t, capture);
  const resyncs = onlySubscriber(report).timeline.filter((e) => e.kind === 'resync');
  assert.deepEqual(
    resyncs.map((e) => [e.rand, e.auts]),
    vectors.slice(0, 2).map((v) => [Buffer.from(v.rand).toString('hex'), Buffer.from(akaAuts(v.rand, SQN_MS)).toString('hex')]),
  );
});
