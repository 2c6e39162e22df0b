import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imscap } from '../support/run-cli.js';
import { milenageForRand } from '../../src/crypto/milenage.js';
import { TS_35_208_SETS, hex, toHex, type MilenageTestSet } from '../crypto/milenage-vectors.js';


/**
 * Runs `imscap ...args` in this process, collecting stdout and stderr through main's output sinks
 * (the process streams are left alone: the test runner reports through them, and a command
 * awaits while it loads its module).
 */

const xorHex = (a: string, b: string): string => (BigInt(`0x${a}`) ^ BigInt(`0x${b}`)).toString(16).padStart(a.length, '0');
// AUTN = (SQN ⊕ AK) ‖ AMF ‖ MAC-A from the published columns of TS 35.208.
const autnOf = (s: MilenageTestSet): string => xorHex(s.sqn, s.f5) + s.amf + s.f1;
const SET1 = TS_35_208_SETS[0] as MilenageTestSet;
const SET4 = TS_35_208_SETS[3] as MilenageTestSet;
const keyArgs = (s: MilenageTestSet): string[] => ['--k', s.k, '--opc', s.opc];

/** AUTS for SQN_MS with AMF* = 0 (TS 33.102 §6.3.3), computed here from f5* and f1*. */
function autsHex(s: MilenageTestSet, rand: string, sqnMs: bigint): string {
  const m = milenageForRand(hex(s.k), hex(s.opc), hex(rand));
  const sqn = hex(sqnMs.toString(16).padStart(12, '0'));
  const concealed = toHex(m.f5star().map((b, i) => b ^ (sqn[i] ?? 0)));
  return concealed + toHex(m.f1star(sqn, new Uint8Array(2)));
}

interface CalcJson {
  rand: string;
  challenge?: { sqn: number; sqnHex: string; seq: number; ind: number; ak: string; amf: string; macAValid: boolean; res: string; ck: string; ik: string; amfMatches?: boolean };
  resync?: { sqnMs: number; sqnMsHex: string; akStar: string; macS: string; macSValid: boolean };
  comparison?: { seqDelta: number; accepted: boolean; reason?: string };
  keys?: { k: string; opc: string; op?: string };
}

test('sqn --autn opens every TS 35.208 challenge: SQN, MAC-A valid, RES/CK/IK/AK as published', async () => {
  for (const s of TS_35_208_SETS) {
    const r = await imscap('sqn', ...keyArgs(s), '--rand', s.rand, '--autn', autnOf(s), '--format', 'json');
    assert.equal(r.code, 0, `${s.name}: ${r.err}`);
    const j = JSON.parse(r.out) as CalcJson;
    assert.equal(j.challenge?.sqnHex, s.sqn, s.name);
    assert.equal(j.challenge?.sqn, Number(BigInt(`0x${s.sqn}`)));
    assert.equal(j.challenge?.seq, Number(BigInt(`0x${s.sqn}`) >> 5n));
    assert.equal(j.challenge?.ind, Number(BigInt(`0x${s.sqn}`) & 31n));
    assert.equal(j.challenge?.macAValid, true);
    assert.deepEqual([j.challenge?.res, j.challenge?.ck, j.challenge?.ik, j.challenge?.ak], [s.f2, s.f3, s.f4, s.f5], s.name);
  }
});

test('sqn text output names SQN, AK, the MAC-A check and RES/CK/IK', async () => {
  const r = await imscap('sqn', ...keyArgs(SET1), '--rand', SET1.rand, '--autn', autnOf(SET1));
  assert.equal(r.code, 0);
  assert.match(r.out, new RegExp(`SQN +0x${SET1.sqn} = ${BigInt(`0x${SET1.sqn}`)}`));
  assert.match(r.out, new RegExp(`AK \\(f5\\) +${SET1.f5}`));
  assert.match(r.out, /MAC-A valid/);
  assert.match(r.out, new RegExp(`RES \\(f2\\) +${SET1.f2}`));
  assert.match(r.out, new RegExp(`CK \\(f3\\) +${SET1.f3}`));
  assert.match(r.out, new RegExp(`IK \\(f4\\) +${SET1.f4}`));
});

test('--op gives the same result as --opc (OPc derived, TS 35.206 §4.1)', async () => {
  const r = await imscap('sqn', '--k', SET4.k, '--op', SET4.op, '--rand', SET4.rand, '--autn', autnOf(SET4), '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as CalcJson;
  assert.equal(j.challenge?.sqnHex, SET4.sqn);
  assert.equal(j.challenge?.macAValid, true);
});

test('sqn --auts (hex or base64): SQN_MS, AK* as published, MAC-S valid', async () => {
  const sqnMs = 0x123456789an;
  const auts = autsHex(SET1, SET1.rand, sqnMs);
  for (const value of [auts, Buffer.from(auts, 'hex').toString('base64')]) {
    const r = await imscap('sqn', ...keyArgs(SET1), '--rand', SET1.rand, '--auts', value, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as CalcJson;
    assert.equal(j.resync?.sqnMs, Number(sqnMs));
    assert.equal(j.resync?.akStar, SET1.f5star);
    assert.equal(j.resync?.macSValid, true);
  }
});

test('--autn with --auts: SIM and HSS side by side, the difference and the USIM verdict', async () => {
  const sqnHe = (100n << 5n) | 4n;
  const sqnMs = (5000n << 5n) | 3n;
  const m = milenageForRand(hex(SET1.k), hex(SET1.opc), hex(SET1.rand));
  const sqnBytes = hex(sqnHe.toString(16).padStart(12, '0'));
  const autn = toHex(m.f2345().ak.map((b, i) => b ^ (sqnBytes[i] ?? 0))) + '8000' + toHex(m.f1(sqnBytes, hex('8000')));
  const args = ['sqn', ...keyArgs(SET1), '--rand', SET1.rand, '--autn', autn, '--auts', autsHex(SET1, SET1.rand, sqnMs)];
  const j = JSON.parse((await imscap(...args, '--format', 'json')).out) as CalcJson;
  assert.equal(j.challenge?.sqn, Number(sqnHe));
  assert.equal(j.resync?.sqnMs, Number(sqnMs));
  assert.deepEqual(j.comparison, { seqDelta: 100 - 5000, accepted: false, reason: 'not-fresh' });
  const text = await imscap(...args);
  assert.equal(text.code, 0);
  assert.match(text.out, /HSS SQN_HE +0x000000000c84 = 3204 \(SEQ 100, IND 4\)/);
  assert.match(text.out, /SIM SQN_MS +0x000000027103 = 160003 \(SEQ 5000, IND 3\)/);
  assert.match(text.out, /SEQ_HE − SEQ_MS +-4900/);
  assert.match(text.out, /rejected: not fresh/);
});

test('--generate builds the published AUTN and an AUTS that MAC-S checks', async () => {
  const sqnMs = 77n;
  const r = await imscap(
    'sqn', ...keyArgs(SET1), '--generate', '--rand', SET1.rand, '--sqn', `0x${SET1.sqn}`, '--amf', SET1.amf, '--sqn-ms', String(sqnMs), '--format', 'json',
  );
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as {
    challenge: { autn: string; macA: string; xres: string; ck: string; ik: string; nonce: string };
    resync: { auts: string; autsBase64: string; randAuts: string; macS: string };
  };
  assert.equal(j.challenge.autn, autnOf(SET1));
  assert.equal(j.challenge.macA, SET1.f1);
  assert.deepEqual([j.challenge.xres, j.challenge.ck, j.challenge.ik], [SET1.f2, SET1.f3, SET1.f4]);
  assert.equal(Buffer.from(j.challenge.nonce, 'base64').toString('hex'), SET1.rand + autnOf(SET1));
  assert.equal(j.resync.auts, autsHex(SET1, SET1.rand, sqnMs));
  assert.equal(Buffer.from(j.resync.autsBase64, 'base64').toString('hex'), j.resync.auts);
  assert.equal(j.resync.randAuts, SET1.rand + j.resync.auts);
  // Without --rand a random RAND is drawn, and the AUTN still opens with it.
  const g = JSON.parse((await imscap('sqn', ...keyArgs(SET1), '--generate', '--sqn', '42', '--format', 'json')).out) as { rand: string; challenge: { autn: string } };
  const o = JSON.parse((await imscap('sqn', ...keyArgs(SET1), '--rand', g.rand, '--autn', g.challenge.autn, '--format', 'json')).out) as CalcJson;
  assert.equal(o.challenge?.sqn, 42);
  assert.equal(o.challenge?.amf, '8000');
  assert.equal(o.challenge?.macAValid, true);
});

test('--amf outside --generate is compared with the AUTN', async () => {
  const same = JSON.parse((await imscap('sqn', ...keyArgs(SET1), '--amf', SET1.amf, '--rand', SET1.rand, '--autn', autnOf(SET1), '--format', 'json')).out) as CalcJson;
  assert.equal(same.challenge?.amfMatches, true);
  const other = JSON.parse((await imscap('sqn', ...keyArgs(SET1), '--amf', '0000', '--rand', SET1.rand, '--autn', autnOf(SET1), '--format', 'json')).out) as CalcJson;
  assert.equal(other.challenge?.amfMatches, false);
});

test('wrong keys: MAC-A / MAC-S invalid and exit 1', async () => {
  const wrong = TS_35_208_SETS[2] as MilenageTestSet;
  const r = await imscap('sqn', ...keyArgs(wrong), '--rand', SET1.rand, '--autn', autnOf(SET1));
  assert.equal(r.code, 1);
  assert.match(r.out, /MAC-A INVALID/);
  const s = await imscap('sqn', ...keyArgs(wrong), '--rand', SET1.rand, '--auts', autsHex(SET1, SET1.rand, 5n), '--format', 'json');
  assert.equal(s.code, 1);
  assert.equal((JSON.parse(s.out) as CalcJson).resync?.macSValid, false);
});

test('usage errors exit 2 with one line on stderr and nothing on stdout', async () => {
  const base = ['sqn', '--rand', SET1.rand, '--autn', autnOf(SET1)];
  const cases: [string[], RegExp][] = [
    [[...base, '--k', SET1.k.slice(1), '--opc', SET1.opc], /--k must be 32 hex digits/],
    [[...base, '--k', `${SET1.k.slice(2)}zz`, '--opc', SET1.opc], /--k must be 32 hex digits/],
    [[...base, '--k', SET1.k], /--k needs --op or --opc/],
    [[...base, '--opc', SET1.opc], /--opc needs --k/],
    [[...base, '--k', SET1.k, '--op', SET1.op, '--opc', SET1.opc], /not both/],
    [[...base, ...keyArgs(SET1), '--amf', '80'], /--amf must be 4 hex digits/],
    [['sqn', ...keyArgs(SET1), '--autn', autnOf(SET1)], /needs --rand/],
    [['sqn', ...keyArgs(SET1), '--rand', SET1.rand], /needs --autn and\/or --auts/],
    [['sqn', ...keyArgs(SET1), '--rand', SET1.rand, '--autn', autnOf(SET1).slice(2)], /--autn must be 32 hex digits/],
    [['sqn', ...keyArgs(SET1), '--rand', SET1.rand, '--auts', 'AAAA'], /AUTS must be 14 bytes/],
    [[...base, ...keyArgs(SET1), '--format', 'xml'], /unknown format 'xml'/],
    [[...base, ...keyArgs(SET1), '--ind-bits', '48'], /--ind-bits/],
    [['sqn', ...keyArgs(SET1), '--generate'], /needs --sqn/],
    [['sqn', ...keyArgs(SET1), '--generate', '--sqn', String(2n ** 48n)], /48-bit/],
    [['sqn', ...keyArgs(SET1), '--generate', '--sqn', '12x'], /48-bit/],
    [['sqn', ...keyArgs(SET1), '--generate', '--sqn', '1', '--autn', autnOf(SET1)], /do not give --autn/],
    [[...base, ...keyArgs(SET1), '--sqn', '5'], /apply with --generate/],
    [['sqn', ...keyArgs(SET1), '--bogus'], /unknown option/],
  ];
  for (const [args, message] of cases) {
    const r = await imscap(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.equal(r.out, '');
  }
});

test('keys never appear in the output or the errors unless --show-keys', async () => {
  const secrets = [SET1.k, SET1.opc, SET1.op];
  const runs = [
    await imscap('sqn', ...keyArgs(SET1), '--rand', SET1.rand, '--autn', autnOf(SET1)),
    await imscap('sqn', ...keyArgs(SET1), '--rand', SET1.rand, '--autn', autnOf(SET1), '--format', 'json'),
    await imscap('sqn', '--k', SET1.k, '--op', SET1.op, '--generate', '--sqn', '1', '--sqn-ms', '2'),
    await imscap('sqn', '--k', SET1.k, '--op', `${SET1.op}00`, '--rand', SET1.rand, '--autn', autnOf(SET1)),
  ];
  for (const r of runs) for (const s of secrets) assert.ok(!r.out.includes(s) && !r.err.includes(s));
  const shown = await imscap('sqn', '--k', SET1.k, '--op', SET1.op, '--rand', SET1.rand, '--autn', autnOf(SET1), '--show-keys', '--format', 'json');
  assert.deepEqual((JSON.parse(shown.out) as CalcJson).keys, { k: SET1.k, op: SET1.op, opc: SET1.opc });
  const shownText = await imscap('sqn', ...keyArgs(SET1), '--rand', SET1.rand, '--autn', autnOf(SET1), '--show-keys');
  assert.ok(shownText.out.includes(SET1.k) && shownText.out.includes(SET1.opc));
});
