// Output of the SQN calculator (`imscap sqn`): text for people, JSON for scripts. Keys appear
// only when given in `shownKeys` (the command passes them with --show-keys).
import type { FreshnessVerdict, SeqInd } from '../../protocols/aka/sqn.js';
import type { Generated, SqnCalculation } from './calculator.js';
import { sqnHex, toHex } from './hex.js';

export interface ShownKeys {
  readonly k: Uint8Array;
  readonly opc: Uint8Array;
  readonly op?: Uint8Array;
}

function sqnLine(sqn: bigint, split: SeqInd): string {
  return `0x${sqnHex(sqn)} = ${sqn} (SEQ ${split.seq}, IND ${split.ind})`;
}

function freshnessText(v: FreshnessVerdict): string {
  if (v.accepted) return 'accepted: SQN_HE is fresh for this SQN_MS';
  if (v.reason === 'not-fresh') return 'rejected: not fresh (SEQ_HE ≤ SEQ_MS), the UE answers with AUTS';
  if (v.reason === 'delta-exceeded') return 'rejected: SEQ_HE is more than Δ ahead of SEQ_MS, the UE answers with AUTS';
  return 'rejected: older than the limit L, the UE answers with AUTS';
}

function rows(pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...pairs.map(([name]) => name.length));
  return pairs.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
}

function keyRows(keys: ShownKeys | undefined): (readonly [string, string])[] {
  if (keys === undefined) return [];
  return [['K', toHex(keys.k)], ...(keys.op ? [['OP', toHex(keys.op)] as const] : []), ['OPc', toHex(keys.opc)]];
}

export function renderCalculationText(c: SqnCalculation, keys?: ShownKeys): string {
  const lines: string[] = [];
  const head = keyRows(keys);
  if (head.length > 0) lines.push('Keys:', ...rows(head), '');
  if (c.challenge) {
    const { fields, resolved: r, split } = c.challenge;
    const amfNote = c.challenge.amfMatches === false ? ' — differs from the subscriber AMF' : '';
    lines.push('Challenge (AUTN = SQN⊕AK ‖ AMF ‖ MAC-A, TS 33.102 §6.3.2):');
    lines.push(
      ...rows([
        ['RAND', toHex(c.rand)],
        ['AUTN', toHex(c.challenge.autn)],
        ['SQN⊕AK', toHex(fields.sqnXorAk)],
        ['AK (f5)', toHex(r.ak)],
        ['SQN', sqnLine(r.sqn, split)],
        ['AMF', `${toHex(fields.amf)} (separation bit ${fields.amfSeparationBit ? 1 : 0})${amfNote}`],
        ['MAC-A', toHex(r.macA)],
        ['XMAC-A (f1)', `${toHex(r.xmacA)} — MAC-A ${r.macAValid ? 'valid' : 'INVALID (wrong K/OP/OPc, or AUTN altered)'}`],
        ['RES (f2)', toHex(r.res)],
        ['CK (f3)', toHex(r.ck)],
        ['IK (f4)', toHex(r.ik)],
      ]),
    );
  }
  if (c.resync) {
    const { fields, resolved: r, split } = c.resync;
    if (lines.length > 0) lines.push('');
    lines.push('Resynchronisation (AUTS = SQN_MS⊕AK* ‖ MAC-S, TS 33.102 §6.3.3):');
    lines.push(
      ...rows([
        ['RAND', toHex(c.rand)],
        ['AUTS', toHex(c.resync.auts)],
        ['SQN_MS⊕AK*', toHex(fields.sqnMsXorAkStar)],
        ['AK* (f5*)', toHex(r.akStar)],
        ['SQN_MS', sqnLine(r.sqnMs, split)],
        ['MAC-S', toHex(r.macS)],
        ['XMAC-S (f1*)', `${toHex(r.xmacS)} (AMF* 0000) — MAC-S ${r.macSValid ? 'valid' : 'INVALID (wrong K/OP/OPc, wrong RAND, or AUTS altered)'}`],
      ]),
    );
  }
  if (c.challenge && c.resync && c.seqDelta !== undefined && c.freshness) {
    lines.push('', 'HSS and SIM side by side:');
    if (!c.challenge.resolved.macAValid || !c.resync.resolved.macSValid) {
      lines.push('  (a MAC does not verify: with the wrong keys these SQNs are noise)');
    }
    lines.push(
      ...rows([
        ['HSS SQN_HE', sqnLine(c.challenge.resolved.sqn, c.challenge.split)],
        ['SIM SQN_MS', sqnLine(c.resync.resolved.sqnMs, c.resync.split)],
        ['SEQ_HE − SEQ_MS', c.seqDelta.toString()],
        ['USIM on SQN_HE', freshnessText(c.freshness)],
        ['HSS must send', `SEQ > ${c.resync.split.seq} after resynchronising (TS 33.102 §6.3.5)`],
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderGeneratedText(g: Generated, keys?: ShownKeys): string {
  const lines: string[] = [];
  const head = keyRows(keys);
  if (head.length > 0) lines.push('Keys:', ...rows(head), '');
  if (g.challenge) {
    const c = g.challenge;
    lines.push('Challenge:');
    lines.push(
      ...rows([
        ['RAND', toHex(g.rand)],
        ['SQN', sqnLine(c.sqn, c.split)],
        ['AMF', toHex(c.amf)],
        ['AK (f5)', toHex(c.ak)],
        ['MAC-A (f1)', toHex(c.macA)],
        ['AUTN', toHex(c.autn)],
        ['XRES (f2)', toHex(c.xres)],
        ['CK (f3)', toHex(c.ck)],
        ['IK (f4)', toHex(c.ik)],
        ['nonce', c.nonce],
      ]),
    );
  }
  if (g.resync) {
    const r = g.resync;
    if (lines.length > 0) lines.push('');
    lines.push('Resynchronisation token:');
    lines.push(
      ...rows([
        ['RAND', toHex(g.rand)],
        ['SQN_MS', sqnLine(r.sqnMs, r.split)],
        ['AK* (f5*)', toHex(r.akStar)],
        ['MAC-S (f1*)', toHex(r.macS)],
        ['AUTS', toHex(r.auts)],
        ['auts (base64)', r.autsBase64],
        ['RAND ‖ AUTS', toHex(r.randAuts)],
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

function split(s: SeqInd): { seq: number; ind: number } {
  return { seq: Number(s.seq), ind: s.ind };
}

function keysJson(keys: ShownKeys | undefined): Record<string, unknown> {
  return keys === undefined ? {} : { keys: { k: toHex(keys.k), ...(keys.op ? { op: toHex(keys.op) } : {}), opc: toHex(keys.opc) } };
}

export function renderCalculationJson(c: SqnCalculation, keys?: ShownKeys): string {
  const ch = c.challenge;
  const rs = c.resync;
  const out = {
    ...keysJson(keys),
    rand: toHex(c.rand),
    indBits: c.indBits,
    ...(ch
      ? {
          challenge: {
            autn: toHex(ch.autn),
            sqnXorAk: toHex(ch.fields.sqnXorAk),
            ak: toHex(ch.resolved.ak),
            sqn: Number(ch.resolved.sqn),
            sqnHex: sqnHex(ch.resolved.sqn),
            ...split(ch.split),
            amf: toHex(ch.fields.amf),
            amfSeparationBit: ch.fields.amfSeparationBit,
            ...(ch.amfMatches !== undefined ? { amfMatches: ch.amfMatches } : {}),
            macA: toHex(ch.resolved.macA),
            xmacA: toHex(ch.resolved.xmacA),
            macAValid: ch.resolved.macAValid,
            res: toHex(ch.resolved.res),
            ck: toHex(ch.resolved.ck),
            ik: toHex(ch.resolved.ik),
          },
        }
      : {}),
    ...(rs
      ? {
          resync: {
            auts: toHex(rs.auts),
            sqnMsXorAkStar: toHex(rs.fields.sqnMsXorAkStar),
            akStar: toHex(rs.resolved.akStar),
            sqnMs: Number(rs.resolved.sqnMs),
            sqnMsHex: sqnHex(rs.resolved.sqnMs),
            ...split(rs.split),
            macS: toHex(rs.resolved.macS),
            xmacS: toHex(rs.resolved.xmacS),
            macSValid: rs.resolved.macSValid,
          },
        }
      : {}),
    ...(c.seqDelta !== undefined && c.freshness
      ? {
          comparison: {
            seqDelta: Number(c.seqDelta),
            accepted: c.freshness.accepted,
            ...(c.freshness.accepted ? {} : { reason: c.freshness.reason }),
          },
        }
      : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function renderGeneratedJson(g: Generated, keys?: ShownKeys): string {
  const c = g.challenge;
  const r = g.resync;
  const out = {
    ...keysJson(keys),
    rand: toHex(g.rand),
    ...(c
      ? {
          challenge: {
            sqn: Number(c.sqn),
            sqnHex: sqnHex(c.sqn),
            ...split(c.split),
            amf: toHex(c.amf),
            ak: toHex(c.ak),
            macA: toHex(c.macA),
            autn: toHex(c.autn),
            xres: toHex(c.xres),
            ck: toHex(c.ck),
            ik: toHex(c.ik),
            nonce: c.nonce,
          },
        }
      : {}),
    ...(r
      ? {
          resync: {
            sqnMs: Number(r.sqnMs),
            sqnMsHex: sqnHex(r.sqnMs),
            ...split(r.split),
            akStar: toHex(r.akStar),
            macS: toHex(r.macS),
            auts: toHex(r.auts),
            autsBase64: r.autsBase64,
            randAuts: toHex(r.randAuts),
          },
        }
      : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
