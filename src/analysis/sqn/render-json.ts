// The SQN report as JSON: the complete structure, byte values as lowercase hex, SQNs as numbers
// (48 bits fit) with their hex, key material only when the report carries it (showKeys).
import type { FreshnessVerdict } from '../../protocols/aka/sqn.js';
import { sqnHex, toHex } from './hex.js';
import type {
  AutsCheck,
  ChallengeCheck,
  SqnAttempt,
  SqnComparison,
  SqnReport,
  SqnRound,
  SqnSubscriberReport,
  SqnTimelineEntry,
} from './report-types.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function opt<T>(name: string, value: T | undefined, map: (v: T) => Json): Record<string, Json> {
  return value === undefined ? {} : { [name]: map(value) };
}

const num = (v: bigint): number => Number(v);
const hex = (v: Uint8Array): string => toHex(v);
const same = <T extends Json>(v: T): T => v;

function freshness(v: FreshnessVerdict): Json {
  return v.accepted ? { accepted: true } : { accepted: false, reason: v.reason };
}

function sqnValue(prefix: string, v: bigint | undefined): Record<string, Json> {
  return v === undefined ? {} : { [prefix]: num(v), [`${prefix}Hex`]: sqnHex(v) };
}

function challengeCheck(c: ChallengeCheck): Json {
  return {
    ...sqnValue('sqn', c.sqn),
    seq: num(c.seq),
    ind: c.ind,
    ak: hex(c.ak),
    xmacA: hex(c.xmacA),
    macAValid: c.macAValid,
    res: hex(c.res),
    ck: hex(c.ck),
    ik: hex(c.ik),
    ...opt('xresMatches', c.xresMatches, same),
    ...opt('ckMatches', c.ckMatches, same),
    ...opt('ikMatches', c.ikMatches, same),
    ...opt('amfMatches', c.amfMatches, same),
  };
}

function autsCheck(c: AutsCheck): Json {
  return { ...sqnValue('sqnMs', c.sqnMs), seq: num(c.seq), ind: c.ind, akStar: hex(c.akStar), xmacS: hex(c.xmacS), macSValid: c.macSValid };
}

function entry(e: SqnTimelineEntry): Json {
  const common: Record<string, Json> = {
    index: e.index,
    frame: e.frameNo,
    ts: e.ts,
    kind: e.kind,
    source: e.source,
    ...opt('impi', e.impi, same),
    ...opt('imsi', e.imsi, same),
    ...opt('callId', e.callId, same),
    ...opt('sessionId', e.sessionId, same),
    ...opt('error', e.error, same),
  };
  switch (e.kind) {
    case 'challenge':
      return {
        ...common,
        ...opt('challenge', e.challenge, same),
        ...opt('rand', e.rand, hex),
        ...opt('autn', e.autn, hex),
        ...opt('autnFields', e.autnFields, (f) => ({
          sqnXorAk: hex(f.sqnXorAk),
          amf: hex(f.amf),
          macA: hex(f.macA),
          amfSeparationBit: f.amfSeparationBit,
        })),
        ...opt('xres', e.xres, hex),
        ...opt('ck', e.ck, hex),
        ...opt('ik', e.ik, hex),
        ...opt('check', e.check, challengeCheck),
      };
    case 'resync':
      return {
        ...common,
        ...opt('round', e.round, same),
        ...opt('auts', e.auts, hex),
        ...opt('autsFields', e.autsFields, (f) => ({ sqnMsXorAkStar: hex(f.sqnMsXorAkStar), macS: hex(f.macS) })),
        ...opt('rand', e.rand, hex),
        randFrom: e.randFrom,
        ...opt('answersChallenge', e.answersChallenge, same),
        ...opt('answersFrame', e.answersFrame, same),
        ...opt('check', e.check, autsCheck),
      };
    case 'auth-response':
      return { ...common, ...opt('nonce', e.nonce, same), ...opt('rand', e.rand, hex), ...opt('answersChallenge', e.answersChallenge, same) };
    case 'outcome':
      return { ...common, success: e.success, ...opt('status', e.status, same), ...opt('resultCode', e.resultCode, same) };
  }
}

function round(r: SqnRound): Json {
  return {
    round: r.round,
    auts: hex(r.auts),
    frames: [...r.frames],
    ts: r.ts,
    ...opt('rejectedChallenge', r.rejectedChallenge, same),
    ...opt('rejectedFrame', r.rejectedFrame, same),
    ...opt('nextChallenge', r.nextChallenge, same),
    nextFrames: [...r.nextFrames],
    nextAnswered: r.nextAnswered,
    ...sqnValue('sqnMs', r.sqnMs),
    ...opt('macSValid', r.macSValid, same),
    ...sqnValue('rejectedSqn', r.rejectedSqn),
    ...opt('rejectedSeqDelta', r.rejectedSeqDelta, num),
    ...opt('rejectedFreshness', r.rejectedFreshness, freshness),
    ...sqnValue('nextSqn', r.nextSqn),
    ...opt('nextSeqDelta', r.nextSeqDelta, num),
    ...opt('nextFreshness', r.nextFreshness, freshness),
  };
}

function attempt(a: SqnAttempt): Json {
  return {
    verdict: a.verdict,
    rounds: a.rounds,
    challenges: a.challenges,
    firstFrame: a.firstFrame,
    lastFrame: a.lastFrame,
    startTs: a.startTs,
    endTs: a.endTs,
    durationSeconds: a.duration,
    ...opt('outcome', a.outcome, (o) => ({
      frame: o.frameNo,
      source: o.source,
      success: o.success,
      ...opt('status', o.status, same),
      ...opt('resultCode', o.resultCode, same),
    })),
  };
}

function comparison(c: SqnComparison): Json {
  return {
    ...sqnValue('sqnMs', c.sqnMs),
    ...opt('sqnMsFrame', c.sqnMsFrame, same),
    ...sqnValue('sqnHe', c.sqnHe),
    ...opt('sqnHeFrame', c.sqnHeFrame, same),
    ...opt('seqDelta', c.seqDelta, num),
    ...opt('freshness', c.freshness, freshness),
  };
}

function subscriber(s: SqnSubscriberReport): Json {
  return {
    id: s.id,
    impis: [...s.impis],
    imsis: [...s.imsis],
    verdict: s.verdict,
    rounds: s.rounds,
    totalRounds: s.totalRounds,
    durationSeconds: s.duration,
    firstFrame: s.firstFrame,
    lastFrame: s.lastFrame,
    callIds: [...s.callIds],
    ...opt('keyOrigin', s.keyOrigin, same),
    ...opt('keys', s.keys, (k) => ({ k: hex(k.k), opc: hex(k.opc), ...opt('op', k.op, hex), ...opt('amf', k.amf, hex) })),
    ...opt('sqn', s.sqn, comparison),
    decidingAttempt: s.decidingAttempt,
    attempts: s.attempts.map(attempt),
    resyncs: s.resyncs.map(round),
    timeline: s.timeline.map(entry),
  };
}

/** The report as a JSON value (what renderSqnJson prints). */
export function sqnReportJson(report: SqnReport): Json {
  return {
    report: 'sqn-resync',
    indBits: report.indBits,
    loopRounds: report.loopRounds,
    keysSupplied: report.keysSupplied,
    verdicts: { ...report.verdicts },
    unattributed: report.unattributed,
    subscribers: report.subscribers.map(subscriber),
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      frames: [...f.frames],
      ...opt('callId', f.callId, same),
      ...opt('subject', f.subject, same),
      ...opt('properties', f.properties, (p) => ({ ...p })),
    })),
  };
}

export function renderSqnJson(report: SqnReport): string {
  return `${JSON.stringify(sqnReportJson(report), null, 2)}\n`;
}
