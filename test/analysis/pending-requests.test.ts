// Requests waiting for answers: retransmissions found on the same path, answers taken by the
// most exact matcher first, and the oldest request given up when the table is full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PendingRequests } from '../../src/analysis/pending-requests.js';

const path = (src: string, srcPort: number, dst: string, dstPort: number) => ({ src, srcPort, dst, dstPort });

test('a request sent again on the same path is found; on another path it is not', () => {
  const p = new PendingRequests<number, string>(10);
  p.add(7, 'req-a', path('10.0.0.1', 3868, '10.0.0.2', 3868));
  assert.equal(p.resent(7, path('10.0.0.1', 3868, '10.0.0.2', 3868)), 'req-a');
  assert.equal(p.resent(7, path('10.0.0.9', 3868, '10.0.0.2', 3868)), undefined);
  assert.equal(p.resent(8, path('10.0.0.1', 3868, '10.0.0.2', 3868)), undefined);
  assert.equal(p.resent(7, path('10.0.0.1', 3868, '10.0.0.2', 3868), (t) => t !== 'req-a'), undefined);
});

test('matchers are tried in turn, and a taken request is gone', () => {
  const p = new PendingRequests<number, string>(10);
  p.add(1, 'first', path('a', 1, 'b', 2));
  p.add(1, 'second', path('c', 3, 'b', 2));
  const reversedFromC = [(q: { srcIp: string }) => q.srcIp === 'c', () => true];
  assert.equal(p.take(1, reversedFromC), 'second', 'the exact matcher wins over an earlier loose one');
  assert.equal(p.take(1, reversedFromC), 'first', 'then the loose one');
  assert.equal(p.take(1, reversedFromC), undefined, 'nothing left');
  p.add(2, 'lone', path('a', 1, 'b', 2));
  assert.equal(p.take(2, [(q) => q.srcIp === 'x']), undefined, 'no matcher accepts: it stays');
  assert.equal(p.take(2, [(_q, waiting) => waiting.length === 1]), 'lone');
});

test('over the limit the oldest waiting request is given up', () => {
  const p = new PendingRequests<number, string>(3);
  for (let i = 1; i <= 5; i++) p.add(i, `r${i}`, path('a', 1, 'b', 2));
  const all = [() => true];
  assert.equal(p.take(1, all), undefined);
  assert.equal(p.take(2, all), undefined);
  assert.deepEqual([3, 4, 5].map((k) => p.take(k, all)), ['r3', 'r4', 'r5']);
});
