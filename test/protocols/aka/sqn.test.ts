import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DELTA,
  SQN_MAX,
  joinSqn,
  sqnDelta,
  sqnFreshness,
  sqnFromBytes,
  sqnToBytes,
  splitSqn,
  wouldUeAccept,
} from '../../../src/protocols/aka/sqn.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { ALL_SETS, hex, toHex } from '../../crypto/milenage-vectors.js';

test('SQN bytes ↔ 48-bit bigint on the test-set SQNs', () => {
  for (const s of ALL_SETS) {
    const sqn = sqnFromBytes(hex(s.sqn));
    assert.equal(sqn, BigInt(`0x${s.sqn}`), s.name);
    assert.equal(toHex(sqnToBytes(sqn as bigint)), s.sqn);
  }
  assert.equal(sqnFromBytes(hex('ffffffffffff')), SQN_MAX);
  const bad = sqnFromBytes(new Uint8Array(5));
  assert.ok(isDecodeError(bad));
  assert.match(bad.reason, /6 bytes, got 5/);
  assert.throws(() => sqnToBytes(SQN_MAX + 1n), RangeError);
  assert.throws(() => sqnToBytes(-1n), RangeError);
});

test('SEQ ‖ IND split with the default 5-bit IND and with other lengths', () => {
  // 0x...07 = SEQ 0 IND 7; 0x...20 = SEQ 1 IND 0 (TS 33.102 Annex C.3.2 profile: IND 5 bits)
  assert.deepEqual(splitSqn(0x07n), { seq: 0n, ind: 7 });
  assert.deepEqual(splitSqn(0x20n), { seq: 1n, ind: 0 });
  assert.deepEqual(splitSqn(0x2an), { seq: 1n, ind: 10 });
  assert.deepEqual(splitSqn(SQN_MAX), { seq: (1n << 43n) - 1n, ind: 31 });
  assert.deepEqual(splitSqn(0xffn, 0), { seq: 0xffn, ind: 0 });
  assert.deepEqual(splitSqn(0xffn, 4), { seq: 0xfn, ind: 15 });
  for (const s of ALL_SETS) {
    const sqn = BigInt(`0x${s.sqn}`);
    const { seq, ind } = splitSqn(sqn, 5);
    assert.equal(seq * 32n + BigInt(ind), sqn);
    assert.equal(joinSqn(seq, ind, 5), sqn);
  }
  assert.throws(() => joinSqn(1n, 32, 5), RangeError);
  assert.throws(() => joinSqn(1n << 43n, 0, 5), RangeError);
  assert.throws(() => splitSqn(1n, 48), RangeError);
  assert.throws(() => splitSqn(1n, 1.5), RangeError);
});

test('sqnDelta counts SEQ steps (IND ignored); with indBits 0 it is the SQN difference', () => {
  assert.equal(sqnDelta(0x40n + 3n, 0x20n + 9n), 1n); // SEQ 2 vs SEQ 1
  assert.equal(sqnDelta(0x20n, 0x40n), -1n);
  assert.equal(sqnDelta(0x40n + 3n, 0x20n + 9n, 0), 0x43n - 0x29n);
});

test('scalar SQN_MS: fresh only when SEQ > SEQ_MS and the jump is within Δ', () => {
  const sqnMs = joinSqn(1000n, 4);
  // next batch, any IND: accepted
  assert.equal(wouldUeAccept(joinSqn(1001n, 5), sqnMs), true);
  assert.equal(wouldUeAccept(joinSqn(1001n, 0), sqnMs), true);
  // same SEQ, even with another IND: the worst case says not fresh
  assert.deepEqual(sqnFreshness(joinSqn(1000n, 9), sqnMs), { accepted: false, seq: 1000n, ind: 9, reason: 'not-fresh' });
  // replay of the same SQN and an older SEQ
  assert.equal(wouldUeAccept(sqnMs, sqnMs), false);
  assert.equal(wouldUeAccept(joinSqn(999n, 4), sqnMs), false);
  // TS 33.102 Annex C.2.1: SEQ − SEQ_MS ≤ Δ, Δ = 2^28 by default
  assert.equal(wouldUeAccept(joinSqn(1000n + DEFAULT_DELTA, 0), sqnMs), true);
  const far = sqnFreshness(joinSqn(1000n + DEFAULT_DELTA + 1n, 0), sqnMs);
  assert.equal(far.accepted, false);
  assert.equal(far.accepted === false && far.reason, 'delta-exceeded');
  assert.equal(wouldUeAccept(joinSqn(1100n, 0), sqnMs, { delta: 99n }), false);
  assert.equal(wouldUeAccept(joinSqn(1099n, 0), sqnMs, { delta: 99n }), true);
});

test('indBits 0: the plain scheme compares whole SQNs', () => {
  assert.equal(wouldUeAccept(0x1235n, 0x1234n, { indBits: 0 }), true);
  assert.equal(wouldUeAccept(0x1234n, 0x1234n, { indBits: 0 }), false);
  // with the default 5-bit IND these two share SEQ 0x91 and are not fresh
  assert.equal(wouldUeAccept(0x1235n, 0x1234n), false);
});

test('array SEQ_MS(i): freshness per IND, Δ and L against the highest entry (Annex C.2.2)', () => {
  const indBits = 2; // a = 4 entries
  const seqMs = [10n, 3n, 10n, 7n];
  const sqn = (seq: bigint, ind: number) => joinSqn(seq, ind, indBits);
  // IND 1 has only seen SEQ 3: SEQ 5 is fresh there although below the highest SEQ_MS (10)
  assert.deepEqual(sqnFreshness(sqn(5n, 1), seqMs, { indBits }), { accepted: true, seq: 5n, ind: 1 });
  assert.equal(wouldUeAccept(sqn(5n, 0), seqMs, { indBits }), false);
  assert.equal(wouldUeAccept(sqn(7n, 3), seqMs, { indBits }), false);
  assert.equal(wouldUeAccept(sqn(8n, 3), seqMs, { indBits }), true);
  // the same SQN (SEQ 5, IND 1) given as a scalar SQN_MS = highest accepted: worst case rejects
  assert.equal(wouldUeAccept(sqn(5n, 1), sqn(10n, 2), { indBits }), false);
  // age limit L: accept only SEQ_MS − SEQ < L, SEQ_MS being the highest entry (10)
  const tooOld = sqnFreshness(sqn(5n, 1), seqMs, { indBits, L: 5n });
  assert.equal(tooOld.accepted === false && tooOld.reason, 'too-old');
  assert.equal(wouldUeAccept(sqn(6n, 1), seqMs, { indBits, L: 5n }), true);
  // Δ is measured from the highest entry as well
  assert.equal(wouldUeAccept(sqn(20n, 1), seqMs, { indBits, delta: 10n }), true);
  assert.equal(wouldUeAccept(sqn(21n, 1), seqMs, { indBits, delta: 10n }), false);
  assert.throws(() => wouldUeAccept(sqn(5n, 1), [1n, 2n, 3n], { indBits }), /2\^indBits = 4 entries/);
});

test('a simulated USIM accepts every vector of a HSS that allocates IND cyclically (Annex C.3.4)', () => {
  const indBits = 5;
  const seqMs: bigint[] = new Array<bigint>(32).fill(0n);
  let sqnHe = joinSqn(0n, 0, indBits);
  for (let i = 0; i < 200; i++) {
    const { seq, ind } = splitSqn(sqnHe, indBits);
    const next = joinSqn(seq + 1n, (ind + 1) % 32, indBits);
    assert.equal(wouldUeAccept(next, seqMs, { indBits }), true, `vector ${i}`);
    const accepted = splitSqn(next, indBits);
    seqMs[accepted.ind] = accepted.seq;
    assert.equal(wouldUeAccept(next, seqMs, { indBits }), false, `replay ${i}`);
    sqnHe = next;
  }
});
