import { test } from 'node:test';
import assert from 'node:assert/strict';
import { milenageForRand } from '../../src/crypto/milenage.js';
import {
  SqnResyncAnalyzer,
  SubscriberKeyTable,
  imsiFromImpi,
  renderSqnJson,
  renderSqnText,
  type AkaEvent,
  type SqnReport,
  type SqnResyncOptions,
  type SqnSubscriberReport,
  type SubscriberKey,
} from '../../src/analysis/sqn/index.js';
import { TS_35_208_SETS, hex, toHex, type MilenageTestSet } from '../crypto/milenage-vectors.js';

// Subscriber of TS 35.208 test set 1; a second key (test set 3) plays the "wrong keys".
const SET1 = TS_35_208_SETS[0] as MilenageTestSet;
const SET3 = TS_35_208_SETS[2] as MilenageTestSet;
const K = hex(SET1.k);
const OPC = hex(SET1.opc);
const AMF = hex('8000');
const IMSI = '001010123456789';
const IMPI = `${IMSI}@ims.mnc001.mcc001.3gppnetwork.org`;
const IND_BITS = 5;

// The SQNs this file puts into the vectors: SEQ ‖ IND with a 5-bit IND (TS 33.102 Annex C.3.2).
const sqnOf = (seq: number, ind: number): bigint => (BigInt(seq) << BigInt(IND_BITS)) | BigInt(ind);
const SIM_SQN_MS = sqnOf(5000, 3);
const staleSqn = (i: number): bigint => sqnOf(100 + i, i % 32);
const FRESH_SQN = sqnOf(5001, 0);

function bytes6(n: bigint): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) out[i] = Number((n >> BigInt(8 * (5 - i))) & 0xffn);
  return out;
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((v, i) => v ^ (b[i] ?? 0));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** A RAND per challenge: distinct, recognisable. */
function randOf(i: number): Uint8Array {
  const r = new Uint8Array(16).fill(0xa0 + (i % 16));
  r[15] = i;
  return r;
}

/** The HSS side: AUTN = (SQN ⊕ AK) ‖ AMF ‖ MAC-A (TS 33.102 §6.3.2), plus XRES, CK, IK. */
function vector(rand: Uint8Array, sqn: bigint, k = K, opc = OPC) {
  const m = milenageForRand(k, opc, rand);
  const { res, ck, ik, ak } = m.f2345();
  const autn = concat(xor(bytes6(sqn), ak), AMF, m.f1(bytes6(sqn), AMF));
  return { rand, autn, xres: res, ck, ik };
}

/** The USIM side: AUTS = (SQN_MS ⊕ AK*) ‖ MAC-S with AMF* = 0 (TS 33.102 §6.3.3). */
function autsOf(rand: Uint8Array, sqnMs: bigint, k = K, opc = OPC): Uint8Array {
  const m = milenageForRand(k, opc, rand);
  return concat(xor(bytes6(sqnMs), m.f5star()), m.f1star(bytes6(sqnMs), new Uint8Array(2)));
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** Writes events as a capture would: frames numbered from 1, 100 ms apart unless told. */
class Trace {
  readonly events: AkaEvent[] = [];
  frame = 0;
  ts = 1_700_000_000;

  private at(dt: number) {
    this.frame++;
    this.ts += dt;
    return { frameNo: this.frame, ts: this.ts };
  }

  /** 401 with nonce = base64(RAND ‖ AUTN) (RFC 3310 §3.2). */
  sip401(v: { rand: Uint8Array; autn: Uint8Array }, dt = 0.1, callId = 'reg-1'): number {
    this.events.push({ kind: 'challenge', source: 'sip-401', impi: IMPI, callId, nonce: b64(concat(v.rand, v.autn)), ...this.at(dt) });
    return this.frame;
  }

  /** REGISTER with auts = base64(AUTS) (RFC 3310 §3.4); the RAND is left for the analyzer to find. */
  sipResync(auts: Uint8Array, dt = 0.1, callId = 'reg-1'): number {
    this.events.push({ kind: 'resync', source: 'sip-register', impi: IMPI, callId, auts: b64(auts), ...this.at(dt) });
    return this.frame;
  }

  /** REGISTER with a Digest response, naming the nonce it answers when `v` is given. */
  sipResponse(dt = 0.1, v?: { rand: Uint8Array; autn: Uint8Array }): number {
    const nonce = v === undefined ? {} : { nonce: b64(concat(v.rand, v.autn)) };
    this.events.push({ kind: 'auth-response', source: 'sip-register', impi: IMPI, callId: 'reg-1', ...nonce, ...this.at(dt) });
    return this.frame;
  }

  sipOutcome(status: number, dt = 0.1): number {
    this.events.push({ kind: 'outcome', source: 'sip', impi: IMPI, callId: 'reg-1', success: status >= 200 && status < 300, status, ...this.at(dt) });
    return this.frame;
  }

  /** Cx MAA: SIP-Authenticate = RAND ‖ AUTN, XRES, CK, IK (TS 29.229 §6.3.10–6.3.13). */
  cxMaa(v: ReturnType<typeof vector>, dt = 0.01): number {
    this.events.push({ kind: 'challenge', source: 'cx-maa', impi: IMPI, sessionId: 'scscf;1', ...v, ...this.at(dt) });
    return this.frame;
  }

  /** Cx MAR: SIP-Authorization = RAND ‖ AUTS (TS 29.229 §6.3.11). */
  cxMar(rand: Uint8Array, auts: Uint8Array, dt = 0.01): number {
    this.events.push({ kind: 'resync', source: 'cx-mar', impi: IMPI, sessionId: 'scscf;1', randAuts: concat(rand, auts), ...this.at(dt) });
    return this.frame;
  }

  /** S6a AIA with one E-UTRAN vector (TS 29.272 §7.3.18). */
  s6aAia(v: ReturnType<typeof vector>, dt = 0.01): number {
    this.events.push({ kind: 'challenge', source: 's6a-aia', imsi: IMSI, sessionId: 'mme;7', rand: v.rand, autn: v.autn, xres: v.xres, ...this.at(dt) });
    return this.frame;
  }

  /** S6a AIR with Re-Synchronization-Info = RAND ‖ AUTS (TS 29.272 §7.3.15). */
  s6aAir(rand: Uint8Array, auts: Uint8Array, dt = 0.5): number {
    this.events.push({ kind: 'resync', source: 's6a-air', imsi: IMSI, sessionId: 'mme;7', randAuts: concat(rand, auts), ...this.at(dt) });
    return this.frame;
  }

  s6aOutcome(success: boolean, resultCode: number, dt = 0.01): number {
    this.events.push({ kind: 'outcome', source: 's6a', imsi: IMSI, sessionId: 'mme;7', success, resultCode, ...this.at(dt) });
    return this.frame;
  }
}

const key = (k = K, opc = OPC): SubscriberKey => ({ k, opc, origin: 'test key' });

function analyse(events: readonly AkaEvent[], options: SqnResyncOptions = {}): SqnReport {
  const a = new SqnResyncAnalyzer(options);
  for (const e of events) a.push(e);
  return a.finish();
}

function only(report: SqnReport): SqnSubscriberReport {
  assert.equal(report.subscribers.length, 1, `subscribers: ${report.subscribers.map((s) => s.id).join(', ')}`);
  return report.subscribers[0] as SqnSubscriberReport;
}

const keyed = (): SqnResyncOptions => ({ keys: new SubscriberKeyTable(key()) });

/** A SIP registration stuck in a loop: every challenge stale, every answer an AUTS for SIM_SQN_MS. */
function sipLoop(rounds: number, withCx: boolean) {
  const t = new Trace();
  const challengeFrames: number[] = [];
  const resyncFrames: number[][] = [];
  for (let i = 0; i < rounds; i++) {
    const v = vector(randOf(i), staleSqn(i));
    const framesOfChallenge: number[] = [];
    if (withCx) framesOfChallenge.push(t.cxMaa(v));
    framesOfChallenge.push(t.sip401(v, 1.0));
    challengeFrames.push(framesOfChallenge[0] as number);
    const auts = autsOf(v.rand, SIM_SQN_MS);
    const frames = [t.sipResync(auts, 2.0)];
    if (withCx) frames.push(t.cxMar(v.rand, auts));
    resyncFrames.push(frames);
  }
  return { t, challengeFrames, resyncFrames };
}

test('a SIP resync loop of 4 rounds that never registers: verdict loop, 4 rounds, SQNs as built', () => {
  const { t, challengeFrames, resyncFrames } = sipLoop(4, false);
  const s = only(analyse(t.events, keyed()));
  assert.equal(s.verdict, 'loop');
  assert.equal(s.rounds, 4);
  assert.equal(s.id, IMPI);
  assert.deepEqual(s.imsis, [IMSI]);
  const first = t.events[0] as AkaEvent;
  const last = t.events[t.events.length - 1] as AkaEvent;
  assert.ok(Math.abs(s.duration - (last.ts - first.ts)) < 1e-9);
  assert.equal(s.firstFrame, 1);
  assert.equal(s.lastFrame, t.frame);
  assert.equal(s.resyncs.length, 4);
  s.resyncs.forEach((r, i) => {
    assert.equal(r.round, i + 1);
    assert.deepEqual(r.frames, resyncFrames[i]);
    assert.equal(r.sqnMs, SIM_SQN_MS, `round ${i + 1} SQN_MS`);
    assert.equal(r.macSValid, true);
    assert.equal(r.rejectedSqn, staleSqn(i));
    assert.equal(r.rejectedFrame, challengeFrames[i]);
    assert.equal(r.rejectedSeqDelta, BigInt(100 + i - 5000));
    assert.deepEqual(r.rejectedFreshness, { accepted: false, seq: BigInt(100 + i), ind: i % 32, reason: 'not-fresh' });
    if (i < 3) {
      assert.equal(r.nextSqn, staleSqn(i + 1));
      assert.equal(r.nextFreshness?.accepted, false);
      assert.equal(r.nextAnswered, false);
    } else {
      assert.equal(r.nextChallenge, undefined);
    }
  });
  // Every challenge opened: SQN_HE as built, MAC-A valid, RES as f2 gives it.
  const challenges = s.timeline.filter((e) => e.kind === 'challenge');
  challenges.forEach((e, i) => {
    assert.ok(e.kind === 'challenge' && e.check);
    assert.equal(e.check.sqn, staleSqn(i));
    assert.equal(e.check.macAValid, true);
    assert.equal(toHex(e.check.res), toHex(vector(randOf(i), staleSqn(i)).xres));
  });
  assert.equal(s.sqn?.sqnMs, SIM_SQN_MS);
  assert.equal(s.sqn?.sqnHe, staleSqn(3));
  assert.equal(s.sqn?.seqDelta, BigInt(103 - 5000));
  assert.equal(s.sqn?.freshness?.accepted, false);

  const report = analyse(t.events, keyed());
  const loop = report.findings.filter((f) => f.ruleId === 'sqn-resync-loop');
  assert.equal(loop.length, 1);
  assert.equal(loop[0]?.severity, 'error');
  assert.deepEqual(loop[0]?.frames, resyncFrames.map((f) => f[0]));
  assert.equal(loop[0]?.properties?.rounds, 4);
  const stale = report.findings.find((f) => f.ruleId === 'sqn-hss-not-resynchronised');
  assert.deepEqual(stale?.frames, challengeFrames.slice(1));
  assert.equal(report.verdicts.loop, 1);
});

test('the same loop without keys: still a loop of 4 rounds, AUTN and AUTS only split', () => {
  const { t } = sipLoop(4, false);
  const s = only(analyse(t.events));
  assert.equal(s.verdict, 'loop');
  assert.equal(s.rounds, 4);
  assert.equal(s.keyOrigin, undefined);
  assert.equal(s.sqn, undefined);
  const c = s.timeline[0];
  assert.ok(c?.kind === 'challenge' && c.autnFields && c.check === undefined);
  const v = vector(randOf(0), staleSqn(0));
  assert.equal(toHex(c.autnFields.sqnXorAk), toHex(v.autn.subarray(0, 6)));
  assert.equal(toHex(c.autnFields.amf), '8000');
  assert.equal(c.autnFields.amfSeparationBit, true);
  assert.equal(toHex(c.autnFields.macA), toHex(v.autn.subarray(8)));
  const r = s.timeline[1];
  assert.ok(r?.kind === 'resync' && r.autsFields);
  const auts = autsOf(randOf(0), SIM_SQN_MS);
  assert.equal(toHex(r.autsFields.sqnMsXorAkStar), toHex(auts.subarray(0, 6)));
  assert.equal(toHex(r.autsFields.macS), toHex(auts.subarray(6)));
  assert.equal(r.randFrom, 'challenge');
  assert.equal(r.answersChallenge, 1);
});

test('SIP and Cx both captured: the same vector and the same AUTS count once; 3 rounds', () => {
  const { t, resyncFrames } = sipLoop(3, true);
  const s = only(analyse(t.events, keyed()));
  assert.equal(s.verdict, 'loop');
  assert.equal(s.rounds, 3);
  assert.equal(s.attempts[0]?.challenges, 3);
  s.resyncs.forEach((r, i) => {
    assert.deepEqual(r.frames, resyncFrames[i]);
    assert.equal(r.sqnMs, SIM_SQN_MS);
  });
  // The Cx MAR carries its RAND; the SIP REGISTER's RAND is that of the challenge it answers.
  const resyncs = s.timeline.filter((e) => e.kind === 'resync');
  assert.deepEqual(
    resyncs.map((e) => (e.kind === 'resync' ? e.randFrom : '')),
    ['challenge', 'event', 'challenge', 'event', 'challenge', 'event'],
  );
  for (const e of resyncs) assert.ok(e.kind === 'resync' && e.check?.macSValid === true && e.check.sqnMs === SIM_SQN_MS);
  // Cx XRES / CK / IK agree with what the keys derive.
  const maa = s.timeline.find((e) => e.kind === 'challenge' && e.source === 'cx-maa');
  assert.ok(maa?.kind === 'challenge' && maa.check);
  assert.equal(maa.check.xresMatches, true);
  assert.equal(maa.check.ckMatches, true);
  assert.equal(maa.check.ikMatches, true);
});

test('one resync that recovers: verdict recovered, the HSS restarted above SQN_MS, the UE answered', () => {
  const t = new Trace();
  const stale = vector(randOf(1), staleSqn(0));
  t.cxMaa(stale);
  t.sip401(stale);
  const auts = autsOf(stale.rand, SIM_SQN_MS);
  const resyncSip = t.sipResync(auts);
  const resyncCx = t.cxMar(stale.rand, auts);
  const fresh = vector(randOf(2), FRESH_SQN);
  const nextCx = t.cxMaa(fresh);
  const nextSip = t.sip401(fresh);
  const answer = t.sipResponse(0.1, fresh);
  const ok = t.sipOutcome(200);
  const report = analyse(t.events, keyed());
  const s = only(report);
  assert.equal(s.verdict, 'recovered');
  assert.equal(s.rounds, 1);
  const r = s.resyncs[0];
  assert.deepEqual(r?.frames, [resyncSip, resyncCx]);
  assert.equal(r?.sqnMs, SIM_SQN_MS);
  assert.equal(r?.rejectedSqn, staleSqn(0));
  assert.equal(r?.nextSqn, FRESH_SQN);
  assert.deepEqual(r?.nextFrames, [nextCx, nextSip]);
  assert.equal(r?.nextSeqDelta, 1n);
  assert.equal(r?.nextFreshness?.accepted, true);
  assert.equal(r?.nextAnswered, true);
  assert.equal(s.attempts[0]?.outcome?.frameNo, ok);
  const response = s.timeline.find((e) => e.frameNo === answer);
  assert.ok(response?.kind === 'auth-response');
  assert.equal(response.answersChallenge, 2);
  assert.deepEqual(
    report.findings.map((f) => [f.ruleId, f.severity]),
    [['sqn-resync', 'note']],
  );
  assert.deepEqual(report.findings[0]?.frames, [resyncSip]);
  assert.equal(report.findings[0]?.callId, 'reg-1');
});

test('a normal registration (TS 35.208 set 1 vector): ok, no resync, RES/CK/IK as published', () => {
  const t = new Trace();
  const rand = hex(SET1.rand);
  const sqn = BigInt(`0x${SET1.sqn}`);
  // AUTN from the published columns: (SQN ⊕ f5) ‖ AMF ‖ f1.
  const autn = concat(xor(hex(SET1.sqn), hex(SET1.f5)), hex(SET1.amf), hex(SET1.f1));
  t.sip401({ rand, autn });
  t.sipResponse();
  t.sipOutcome(200);
  const report = analyse(t.events, keyed());
  const s = only(report);
  assert.equal(s.verdict, 'ok');
  assert.equal(s.rounds, 0);
  assert.equal(s.resyncs.length, 0);
  assert.deepEqual(report.findings, []);
  const c = s.timeline[0];
  assert.ok(c?.kind === 'challenge' && c.check);
  assert.equal(c.check.sqn, sqn);
  assert.equal(c.check.macAValid, true);
  assert.deepEqual([c.check.res, c.check.ck, c.check.ik, c.check.ak].map(toHex), [SET1.f2, SET1.f3, SET1.f4, SET1.f5]);
  assert.equal(s.sqn?.sqnHe, sqn);
  assert.equal(s.sqn?.sqnMs, undefined);
});

test('S6a AIR/AIA resync, linked to the SIP side through the IMSI-derived IMPI', () => {
  const t = new Trace();
  const stale = vector(randOf(3), staleSqn(7));
  const aia1 = t.s6aAia(stale);
  const auts = autsOf(stale.rand, SIM_SQN_MS);
  const air = t.s6aAir(stale.rand, auts);
  const fresh = vector(randOf(4), FRESH_SQN);
  const aia2 = t.s6aAia(fresh);
  const ula = t.s6aOutcome(true, 2001);
  // Later the same subscriber registers in IMS with a fresh SQN.
  t.sip401(vector(randOf(5), sqnOf(5002, 1)), 5);
  t.sipResponse();
  t.sipOutcome(200);
  const report = analyse(t.events, keyed());
  const s = only(report);
  assert.deepEqual(s.imsis, [IMSI]);
  assert.deepEqual(s.impis, [IMPI]);
  assert.equal(s.attempts.length, 2);
  assert.deepEqual(
    s.attempts.map((a) => [a.verdict, a.rounds, a.firstFrame, a.lastFrame]),
    [
      ['recovered', 1, aia1, ula],
      ['ok', 0, ula + 1, t.frame],
    ],
  );
  assert.equal(s.verdict, 'recovered');
  assert.equal(s.decidingAttempt, 0);
  const r = s.resyncs[0];
  assert.deepEqual(r?.frames, [air]);
  assert.equal(r?.rejectedFrame, aia1);
  assert.equal(r?.sqnMs, SIM_SQN_MS);
  assert.equal(r?.rejectedSqn, staleSqn(7));
  assert.equal(r?.nextSqn, FRESH_SQN);
  assert.deepEqual(r?.nextFrames, [aia2]);
  assert.equal(r?.nextFreshness?.accepted, true);
  const e = s.timeline.find((x) => x.kind === 'challenge' && x.source === 's6a-aia');
  assert.ok(e?.kind === 'challenge' && e.check?.xresMatches === true);
});

test('an S6a loop that ends with an AIA error: loop of 3 rounds, ended by the Result-Code', () => {
  const t = new Trace();
  for (let i = 0; i < 3; i++) {
    const v = vector(randOf(10 + i), staleSqn(i));
    t.s6aAia(v);
    t.s6aAir(v.rand, autsOf(v.rand, SIM_SQN_MS));
  }
  const end = t.s6aOutcome(false, 4181);
  const report = analyse(t.events, { keys: new SubscriberKeyTable(key()), loopRounds: 3 });
  const s = only(report);
  assert.equal(s.verdict, 'loop');
  assert.equal(s.rounds, 3);
  assert.equal(s.id, IMSI);
  assert.equal(s.attempts[0]?.outcome?.frameNo, end);
  assert.equal(s.attempts[0]?.outcome?.resultCode, 4181);
  assert.match(report.findings.find((f) => f.ruleId === 'sqn-resync-loop')?.message ?? '', /Result-Code 4181 \(S6a\)/);
  // With a threshold of 4 rounds the same story is a failure, not a loop.
  assert.equal(only(analyse(t.events, { loopRounds: 4 })).verdict, 'failed');
});

test('wrong keys: every MAC-A and MAC-S fails, and the findings say so', () => {
  const { t, challengeFrames, resyncFrames } = sipLoop(2, false);
  const wrong = new SubscriberKeyTable(key(hex(SET3.k), hex(SET3.opc)));
  const report = analyse(t.events, { keys: wrong });
  const macA = report.findings.find((f) => f.ruleId === 'mac-a-invalid');
  const macS = report.findings.find((f) => f.ruleId === 'mac-s-invalid');
  assert.deepEqual(macA?.frames, challengeFrames);
  assert.deepEqual(macS?.frames, resyncFrames.map((f) => f[0]));
  assert.equal(macA?.severity, 'warning');
  const s = only(report);
  assert.equal(s.verdict, 'loop');
  for (const r of s.resyncs) {
    assert.equal(r.macSValid, false);
    assert.notEqual(r.sqnMs, SIM_SQN_MS);
  }
  // SQNs opened with the wrong keys are noise: nothing is compared, no HSS finding.
  assert.equal(s.sqn, undefined);
  assert.equal(s.resyncs[0]?.nextFreshness, undefined);
  assert.equal(report.findings.some((x) => x.ruleId === 'sqn-hss-not-resynchronised'), false);
  // Only the resync tokens corrupted: MAC-A fine, MAC-S not.
  const t2 = new Trace();
  const v = vector(randOf(1), staleSqn(0));
  t2.sip401(v);
  const bad = autsOf(v.rand, SIM_SQN_MS);
  bad[9] = (bad[9] ?? 0) ^ 0x40;
  const f = t2.sipResync(bad);
  const r2 = analyse(t2.events, keyed());
  assert.equal(r2.findings.some((x) => x.ruleId === 'mac-a-invalid'), false);
  assert.deepEqual(r2.findings.find((x) => x.ruleId === 'mac-s-invalid')?.frames, [f]);
  assert.equal(only(r2).resyncs[0]?.sqnMs, SIM_SQN_MS);
});

test('an answer to the stale challenge does not count as answering the HSS\'s next one', () => {
  const t = new Trace();
  const stale = vector(randOf(1), staleSqn(0));
  t.sip401(stale);
  t.sipResync(autsOf(stale.rand, SIM_SQN_MS));
  t.sip401(vector(randOf(2), FRESH_SQN));
  t.sipResponse(0.1, stale);
  const s = only(analyse(t.events));
  assert.equal(s.resyncs[0]?.nextAnswered, false);
  assert.equal(s.verdict, 'incomplete');
});

test('the capture ends mid-way: incomplete, with a note', () => {
  const t = new Trace();
  const stale = vector(randOf(1), staleSqn(0));
  t.sip401(stale);
  t.sipResync(autsOf(stale.rand, SIM_SQN_MS));
  const last = t.sip401(vector(randOf(2), FRESH_SQN));
  const report = analyse(t.events, keyed());
  const s = only(report);
  assert.equal(s.verdict, 'incomplete');
  assert.equal(s.rounds, 1);
  assert.equal(s.lastFrame, last);
  assert.equal(s.resyncs[0]?.nextFreshness?.accepted, true);
  const f = report.findings.find((x) => x.ruleId === 'registration-not-completed');
  assert.equal(f?.severity, 'note');
  assert.equal(f?.frames[0], last);
});

test('one resync, then 403: failed, with a warning naming the status', () => {
  const t = new Trace();
  const stale = vector(randOf(1), staleSqn(0));
  t.sip401(stale);
  t.sipResync(autsOf(stale.rand, SIM_SQN_MS));
  const end = t.sipOutcome(403);
  const report = analyse(t.events);
  const s = only(report);
  assert.equal(s.verdict, 'failed');
  assert.equal(s.attempts[0]?.outcome?.status, 403);
  const f = report.findings.find((x) => x.ruleId === 'registration-not-completed');
  assert.equal(f?.severity, 'warning');
  assert.deepEqual(f?.frames, [end, 1]);
  assert.match(f?.message ?? '', /SIP 403 at frame 3/);
});

test('a recovered attempt followed by a new loop: the subscriber verdict is the loop', () => {
  const t = new Trace();
  const v1 = vector(randOf(1), staleSqn(0));
  t.sip401(v1);
  t.sipResync(autsOf(v1.rand, SIM_SQN_MS));
  t.sip401(vector(randOf(2), FRESH_SQN));
  t.sipResponse();
  t.sipOutcome(200);
  for (let i = 0; i < 2; i++) {
    const v = vector(randOf(20 + i), staleSqn(i));
    t.sip401(v, 3600);
    t.sipResync(autsOf(v.rand, sqnOf(6000, 0)));
  }
  const report = analyse(t.events, keyed());
  const s = only(report);
  assert.deepEqual(s.attempts.map((a) => [a.verdict, a.rounds]), [['recovered', 1], ['loop', 2]]);
  assert.equal(s.verdict, 'loop');
  assert.equal(s.rounds, 2);
  assert.equal(s.totalRounds, 3);
  assert.equal(s.decidingAttempt, 1);
  assert.equal(s.sqn?.sqnMs, sqnOf(6000, 0));
  assert.deepEqual(report.findings.filter((f) => f.ruleId.startsWith('sqn-resync')).map((f) => f.ruleId), ['sqn-resync', 'sqn-resync-loop']);
});

test('events that name nobody are attributed through their Call-ID or Session-Id', () => {
  const v = vector(randOf(1), staleSqn(0));
  const auts = autsOf(v.rand, SIM_SQN_MS);
  const events: AkaEvent[] = [
    // The 401 arrives before anything names the subscriber.
    { kind: 'challenge', source: 'sip-401', callId: 'c-9', nonce: b64(concat(v.rand, v.autn)), frameNo: 1, ts: 1 },
    { kind: 'resync', source: 'sip-register', impi: IMPI, callId: 'c-9', auts, frameNo: 2, ts: 2 },
    { kind: 'resync', source: 'cx-mar', sessionId: 's-1', randAuts: concat(v.rand, auts), frameNo: 3, ts: 3 },
    { kind: 'challenge', source: 'cx-maa', impi: IMPI, sessionId: 's-1', ...vector(randOf(2), FRESH_SQN), frameNo: 4, ts: 4 },
    { kind: 'outcome', source: 'sip', callId: 'c-9', success: true, status: 200, frameNo: 6, ts: 6 },
    { kind: 'outcome', source: 'cx', sessionId: 'unknown', success: true, resultCode: 2001, frameNo: 5, ts: 5 },
  ];
  const report = analyse(events, keyed());
  const s = only(report);
  assert.deepEqual(s.timeline.map((e) => e.frameNo), [1, 2, 3, 4, 6]);
  assert.equal(s.verdict, 'recovered');
  assert.equal(s.resyncs[0]?.sqnMs, SIM_SQN_MS);
  assert.deepEqual(s.resyncs[0]?.frames, [2, 3]);
  assert.equal(report.unattributed, 1);
});

test('the IMSI-derived IMPI form of TS 23.003 §13.3', () => {
  assert.equal(imsiFromImpi(IMPI), IMSI);
  assert.equal(imsiFromImpi('234150999999999@ims.mnc015.mcc234.3gppnetwork.org'), '234150999999999');
  assert.equal(imsiFromImpi('234150999999999@IMS.MNC015.MCC234.3GPPNETWORK.ORG'), '234150999999999');
  assert.equal(imsiFromImpi('alice@ims.mnc015.mcc234.3gppnetwork.org'), undefined);
  assert.equal(imsiFromImpi('234150999999999@ims.example.com'), undefined);
  assert.equal(imsiFromImpi('310150999999999@ims.mnc015.mcc234.3gppnetwork.org'), undefined);
  assert.equal(imsiFromImpi('1234567890123456@ims.mnc015.mcc123.3gppnetwork.org'), undefined);
});

test('keys are looked up per subscriber: IMPI, IMSI, derived IMSI, fallback', () => {
  const table = new SubscriberKeyTable(key(hex(SET3.k), hex(SET3.opc)));
  assert.equal(table.add({ imsi: IMSI }, key()), true);
  assert.equal(table.add({ imsi: IMSI }, key()), false);
  assert.equal(table.lookup({ impi: IMPI })?.origin, 'test key');
  assert.equal(toHex(table.lookup({ impi: 'bob@example.org' })?.k ?? new Uint8Array()), SET3.k);
  const { t } = sipLoop(2, false);
  const s = only(analyse(t.events, { keys: table }));
  assert.equal(s.resyncs[0]?.macSValid, true);
});

test('malformed AKA values are findings, not exceptions', () => {
  const v = vector(randOf(1), staleSqn(0));
  const events: AkaEvent[] = [
    { kind: 'challenge', source: 'sip-401', impi: IMPI, nonce: 'not base64!', frameNo: 1, ts: 1 },
    { kind: 'challenge', source: 'sip-401', impi: IMPI, nonce: b64(v.rand), frameNo: 2, ts: 2 },
    { kind: 'challenge', source: 'cx-maa', impi: IMPI, rand: v.rand, autn: v.autn.subarray(0, 15), frameNo: 3, ts: 3 },
    { kind: 'resync', source: 'cx-mar', impi: IMPI, randAuts: new Uint8Array(29), frameNo: 4, ts: 4 },
    { kind: 'resync', source: 'sip-register', impi: IMPI, auts: 'AAAA', frameNo: 5, ts: 5 },
    { kind: 'resync', source: 'sip-register', impi: IMPI, auts: new Uint8Array(14), rand: new Uint8Array(3), frameNo: 6, ts: 6 },
  ];
  const report = analyse(events, keyed());
  const f = report.findings.find((x) => x.ruleId === 'aka-malformed');
  assert.deepEqual(f?.frames, [1, 2, 3, 4, 5, 6]);
  assert.match(f?.message ?? '', /exactly 30 bytes/);
  const s = only(report);
  assert.equal(s.rounds, 0);
  assert.equal(s.verdict, 'incomplete');

  // 1 MB values decode in one linear pass and are reported, not thrown.
  const big = new SqnResyncAnalyzer();
  big.push({ kind: 'challenge', source: 'sip-401', impi: IMPI, nonce: `${'A'.repeat(1 << 20)}!`, frameNo: 1, ts: 1 });
  big.push({ kind: 'resync', source: 'sip-register', impi: IMPI, auts: 'A'.repeat(1 << 20), frameNo: 2, ts: 2 });
  big.push({ kind: 'auth-response', source: 'sip-register', impi: IMPI, nonce: 'B'.repeat(1 << 20), frameNo: 3, ts: 3 });
  assert.deepEqual(big.finish().findings.find((x) => x.ruleId === 'aka-malformed')?.frames, [1, 2]);

  // Random bytes everywhere: never a throw, never a loop without end.
  let seed = 7;
  const rnd = (n: number) => Uint8Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
  const a = new SqnResyncAnalyzer(keyed());
  for (let i = 0; i < 300; i++) {
    const len = (rnd(1)[0] ?? 0) % 40;
    a.push({ kind: 'challenge', source: 'cx-maa', impi: IMPI, rand: rnd(len), autn: rnd(len), frameNo: 2 * i + 1, ts: i });
    a.push({ kind: 'resync', source: 's6a-air', imsi: IMSI, randAuts: rnd(len), frameNo: 2 * i + 2, ts: i });
  }
  assert.doesNotThrow(() => renderSqnText(a.finish()));
});

test('JSON: lowercase hex, SQNs as numbers, keys only with showKeys', () => {
  const { t } = sipLoop(2, false);
  const plain = renderSqnJson(analyse(t.events, keyed()));
  assert.ok(!plain.includes(SET1.k) && !plain.includes(SET1.opc), 'K / OPc must not appear');
  const json = JSON.parse(plain) as {
    subscribers: { verdict: string; rounds: number; keys?: unknown; resyncs: { sqnMs: number; sqnMsHex: string; auts: string }[]; timeline: { rand?: string }[] }[];
  };
  const s = json.subscribers[0];
  assert.equal(s?.verdict, 'loop');
  assert.equal(s?.rounds, 2);
  assert.equal(s?.keys, undefined);
  assert.equal(s?.resyncs[0]?.sqnMs, Number(SIM_SQN_MS));
  assert.equal(s?.resyncs[0]?.sqnMsHex, SIM_SQN_MS.toString(16).padStart(12, '0'));
  assert.equal(s?.resyncs[0]?.auts, Buffer.from(autsOf(randOf(0), SIM_SQN_MS)).toString('hex'));
  assert.equal(s?.timeline[0]?.rand, Buffer.from(randOf(0)).toString('hex'));
  const shown = renderSqnJson(analyse(t.events, { ...keyed(), showKeys: true }));
  assert.ok(shown.includes(`"k": "${SET1.k}"`) && shown.includes(`"opc": "${SET1.opc}"`));
  assert.ok(!renderSqnText(analyse(t.events, keyed())).includes(SET1.k));
});

test('text: the explanation, the verdict and the SIM / HSS SQNs side by side', () => {
  const { t } = sipLoop(3, true);
  const text = renderSqnText(analyse(t.events, keyed()));
  assert.match(text, /A USIM accepts a challenge only when its sequence number SQN is fresh/);
  assert.match(text, /Verdict: LOOP/);
  assert.match(text, /3 resync round\(s\)/);
  assert.ok(text.includes(`SIM SQN_MS  0x${SIM_SQN_MS.toString(16).padStart(12, '0')} (${SIM_SQN_MS}; SEQ 5000, IND 3)`));
  assert.ok(text.includes(`HSS SQN_HE  0x${staleSqn(2).toString(16).padStart(12, '0')}`));
  assert.match(text, /SEQ_HE − SEQ_MS = -4898; the USIM: rejected \(not fresh/);
  assert.match(text, /\[error\] sqn-resync-loop/);
});
