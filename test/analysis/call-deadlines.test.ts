import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallDeadlines } from '../../src/analysis/amr-extract/call-deadlines.js';

test('call deadlines: first come first served, next is the first deadline or Infinity', () => {
  const d = new CallDeadlines();
  assert.equal(d.next, Infinity);
  assert.equal(d.shift(), undefined);
  d.push('a', 10);
  d.push('b', 12);
  d.push('c', 11); // (a later BYE with an earlier time still waits its turn)
  assert.equal(d.next, 10);
  assert.equal(d.size, 3);
  assert.equal(d.shift(), 'a');
  assert.equal(d.next, 12);
  assert.equal(d.shift(), 'b');
  assert.equal(d.next, 11);
  assert.equal(d.shift(), 'c');
  assert.equal(d.next, Infinity);
  assert.equal(d.size, 0);
  d.push('d', 20);
  assert.equal(d.next, 20, 'a deadline after the list ran empty');
});

test('call deadlines: a long run of BYEs keeps its order while taken entries are dropped', () => {
  const d = new CallDeadlines();
  const order: string[] = [];
  let pushed = 0;
  // Pushed faster than taken, then drained: the list is compacted on the way (≥ 1,024 taken).
  for (let round = 0; round < 50; round++) {
    for (let k = 0; k < 100; k++) d.push(`call-${pushed}`, pushed++);
    for (let k = 0; k < 60; k++) order.push(d.shift() as string);
  }
  while (d.size > 0) {
    assert.equal(d.next, Number(order.length), 'next is the deadline of the call shifted next');
    order.push(d.shift() as string);
  }
  assert.deepEqual(order, Array.from({ length: pushed }, (_, i) => `call-${i}`));
  assert.equal(d.next, Infinity);
});
