// The GTPv2-C name tables against tshark's own value strings (`tshark -G values`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needTools } from '../../support/environment.js';
import { MESSAGE_TYPE_NAMES } from '../../../src/protocols/gtpv2/message-types.js';
import { IE_TYPE_NAMES, GROUPED_IE_TYPES } from '../../../src/protocols/gtpv2/ie-types.js';
import { APN_RESTRICTION_NAMES, CAUSE_NAMES, INTERFACE_TYPE_NAMES, NODE_TYPE_NAMES, PDN_TYPE_NAMES, RAT_TYPE_NAMES, SELECTION_MODE_NAMES } from '../../../src/protocols/gtpv2/value-names.js';
import { tsharkValueStrings } from '../diameter/tshark-oracle.js';

// Labels written as the specification writes them where tshark's differ in punctuation.
const OURS_DIFFER: ReadonlySet<string> = new Set(['gtpv2.selec_mode:3', 'gtpv2.cause:118']);

test('message, IE and value names equal tshark\'s value strings', (t) => {
  if (!needTools(t, 'tshark')) return;
  const tables: [string, ReadonlyMap<number, string>][] = [
    ['gtpv2.message_type', MESSAGE_TYPE_NAMES],
    ['gtpv2.ie_type', IE_TYPE_NAMES],
    ['gtpv2.cause', CAUSE_NAMES],
    ['gtpv2.rat_type', RAT_TYPE_NAMES],
    ['gtpv2.f_teid_interface_type', INTERFACE_TYPE_NAMES],
    ['gtpv2.pdn_type', PDN_TYPE_NAMES],
    ['gtpv2.selec_mode', SELECTION_MODE_NAMES],
    ['gtpv2.node_type', NODE_TYPE_NAMES],
    ['gtpv2.apn_rest', APN_RESTRICTION_NAMES],
  ];
  for (const [field, ours] of tables) {
    const theirs = tsharkValueStrings(field);
    assert.ok(theirs.size > 0, `${field} has value strings`);
    for (const [value, name] of ours) {
      const key = `${field}:${value}`;
      assert.ok(theirs.has(value), `${key} unknown to tshark`);
      if (OURS_DIFFER.has(key)) assert.notEqual(theirs.get(value)!.trim(), name, `${key} now agrees; drop the exception`);
      else assert.equal(name, theirs.get(value)!.trim(), key);
    }
  }
  for (const type of GROUPED_IE_TYPES) assert.ok(IE_TYPE_NAMES.has(type), `grouped IE ${type} has a name`);
});
