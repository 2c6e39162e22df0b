import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkTypeName } from '../../src/capture/link-types.js';

// Values from the tcpdump.org LINKTYPE_ registry.
test('link types the network layer decodes have their names', () => {
  assert.deepEqual(
    [0, 1, 101, 108, 113, 228, 229, 276].map(linkTypeName),
    ['BSD loopback', 'Ethernet', 'Raw IP', 'OpenBSD loopback', 'Linux cooked v1', 'Raw IPv4', 'Raw IPv6', 'Linux cooked v2'],
  );
});

test('private-use and unknown link types still get a name', () => {
  assert.equal(linkTypeName(147), 'User 0');
  assert.equal(linkTypeName(162), 'User 15');
  assert.equal(linkTypeName(9999), 'LINKTYPE_9999');
});
