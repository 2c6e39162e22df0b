// samples/sqn-resync-loop.pcap: tshark sees REGISTER → 401 rounds with AUTS and Cx MAR/MAA, never
// a 200; the README's sqn-check commands exit 1 with verdict loop, and with the README's K / OPc
// (TS 35.208 test set 1) every SQN the report shows is the one Milenage opens from tshark's
// nonce and AUTS values, and the one the README states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { milenageForRand } from '../../src/crypto/milenage.js';
import { TS_35_208_SETS, hex } from '../crypto/milenage-vectors.js';
import { needTools } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { cliArgs, readmeCommand, samplePath, samplesDir, tsharkRows } from './samples-support.js';

const SAMPLE = samplePath('sqn-resync-loop.pcap');
const SET_1 = TS_35_208_SETS[0];

interface Row {
  readonly frameNo: number;
  readonly label: string;
  readonly nonce: string;
  readonly auts: string;
}

function messages(): Row[] {
  return tsharkRows(SAMPLE, ['frame.number', 'sip.Method', 'sip.Status-Code', 'diameter.cmd.code', 'diameter.flags.request', 'sip.auth.nonce', 'sip.auth.auts']).map(([frame, method, status, cmd, request, nonce, auts]) => ({
    frameNo: Number(frame),
    label: method ? method : status ? status : cmd ? `${cmd === '303' ? 'MA' : cmd}${request === '1' ? 'R' : 'A'}` : '?',
    nonce: (nonce ?? '').replaceAll('"', ''),
    auts: (auts ?? '').replaceAll('"', ''),
  }));
}

/** SQN (48 bits) from 6 concealed bytes and the anonymity key: SQN = (SQN ⊕ AK) ⊕ AK (TS 33.102 §6.3.3, §6.3.5). */
function reveal(concealed: Uint8Array, ak: Uint8Array): number {
  let v = 0;
  for (let i = 0; i < 6; i++) v = v * 256 + ((concealed[i] ?? 0) ^ (ak[i] ?? 0));
  return v;
}

test('tshark: REGISTER / 401 on Gm and Mw, MAR / MAA on Cx, an AUTS in every round, never a 200', (t) => {
  if (!needTools(t, 'tshark')) return;
  const rows = messages();
  const initial = ['REGISTER', 'REGISTER', 'MAR', 'MAA', '401', '401'];
  const resync = ['REGISTER', 'REGISTER', 'MAR', 'MAA', '401', '401'];
  assert.deepEqual(rows.map((r) => r.label), [...initial, ...resync, ...resync, ...resync]);
  const auts = rows.filter((r) => r.auts !== '');
  assert.equal(auts.length, 6, 'every resync REGISTER carries AUTS, on both hops');
  assert.equal(new Set(auts.map((r) => r.auts)).size, 3, 'one AUTS per round');
});

test('README: sqn-check exits 1 with verdict loop, one round per AUTS tshark sees', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const command = readmeCommand('sqn-check samples/sqn-resync-loop.pcap');
  const text = await runCli(cliArgs(command));
  assert.equal(text.code, command.exit);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /Verdict: LOOP/);

  const r = await runCli([...cliArgs(command), '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const s = (JSON.parse(r.stdout) as { subscribers: { verdict: string; rounds: number; resyncs: { frames: number[] }[] }[] }).subscribers;
  assert.equal(s.length, 1);
  assert.equal(s[0]?.verdict, 'loop');
  const autsFrames = messages().filter((row) => row.auts !== '').map((row) => row.frameNo);
  assert.equal(s[0]?.rounds, autsFrames.length / 2);
  for (const round of s[0]?.resyncs ?? []) assert.ok(autsFrames.some((f) => round.frames.includes(f)), `round frames ${round.frames.join(',')}`);
});

test('README: with TS 35.208 set 1 K / OPc the report gives SQN_MS and every SQN_HE as Milenage opens them from the packets', async (t) => {
  if (!needTools(t, 'tshark')) return;
  assert.ok(SET_1 !== undefined);
  const command = readmeCommand('sqn-check samples/sqn-resync-loop.pcap --k');
  assert.equal(command.args[command.args.indexOf('--k') + 1], SET_1.k, 'the README gives K of test set 1');
  assert.equal(command.args[command.args.indexOf('--opc') + 1], SET_1.opc, 'the README gives OPc of test set 1');
  const text = await runCli(cliArgs(command));
  assert.equal(text.code, command.exit);
  assert.equal(text.code, 1);

  // The oracle: RAND ‖ AUTN from each 401's nonce (RFC 3310 §3.2), AUTS from the REGISTERs.
  const rows = messages();
  const sqnHe: number[] = [];
  const sqnMs: number[] = [];
  let rand: Uint8Array | undefined;
  for (const row of rows) {
    if (row.label === '401' && row.nonce !== '') {
      const nonce = Buffer.from(row.nonce, 'base64');
      rand = nonce.subarray(0, 16);
      const m = milenageForRand(hex(SET_1.k), hex(SET_1.opc), rand);
      const value = reveal(nonce.subarray(16, 22), m.f2345().ak);
      if (sqnHe.at(-1) !== value) sqnHe.push(value);
    }
    if (row.label === 'REGISTER' && row.auts !== '' && rand !== undefined) {
      const m = milenageForRand(hex(SET_1.k), hex(SET_1.opc), rand);
      const value = reveal(Buffer.from(row.auts, 'base64').subarray(0, 6), m.f5star());
      if (sqnMs.at(-1) !== value) sqnMs.push(value);
    }
  }
  assert.equal(new Set(sqnMs).size, 1, 'the USIM reports one SQN_MS');
  // The README's table: SQN_MS = SEQ 5000, IND 3; SQN_HE = SEQ 100..103 (IND 5 bits, TS 33.102 Annex C.3.2).
  const readme = readFileSync(join(samplesDir, 'README.md'), 'utf8');
  const stated = /SQN_MS \(the USIM\) \| SEQ (\d+), IND (\d+)/.exec(readme);
  assert.ok(stated !== null);
  assert.equal(sqnMs[0], Number(stated[1]) * 32 + Number(stated[2]));
  const seqs = /SQN_HE \(the HSS\) \| SEQ ([\d, ]+) \|/.exec(readme)?.[1]?.split(', ').map(Number);
  assert.deepEqual(sqnHe.map((v) => Math.floor(v / 32)), seqs);

  const r = await runCli([...cliArgs(command), '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const s = (JSON.parse(r.stdout) as { subscribers: { sqn: { sqnMs: number; sqnHe: number }; resyncs: { sqnMs: number; rejectedSqn: number; nextSqn: number; macSValid: boolean }[] }[] }).subscribers[0];
  assert.ok(s !== undefined);
  assert.equal(s.sqn.sqnMs, sqnMs[0]);
  assert.equal(s.sqn.sqnHe, sqnHe.at(-1));
  assert.deepEqual(
    s.resyncs.map((x) => [x.sqnMs, x.rejectedSqn, x.nextSqn, x.macSValid]),
    sqnHe.slice(0, -1).map((v, i) => [sqnMs[0], v, sqnHe[i + 1], true]),
  );
});
