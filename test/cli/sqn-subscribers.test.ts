import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFromOptions, parseSubscribers, subscriberKeysFromOptions } from '../../src/cli/subscribers.js';
import { UsageError } from '../../src/cli/exit-codes.js';
import { TS_35_208_SETS, toHex, type MilenageTestSet } from '../crypto/milenage-vectors.js';

const [S1, S2, S3, S4] = TS_35_208_SETS as [MilenageTestSet, MilenageTestSet, MilenageTestSet, MilenageTestSet];
const IMSI_A = '001010000000001';
const IMPI_B = 'bob@ims.example.org';
const IMSI_C = '234150999999999';

test('a CSV with columns in any order, comments and blank lines; OPc derived from OP', () => {
  const csv = [
    '# subscribers of the lab HSS',
    '',
    'opc, K ,imsi,impi,op,AMF',
    `${S1.opc},${S1.k},${IMSI_A},,,8000`,
    `  # a comment between rows`,
    `,${S4.k},,${IMPI_B},${S4.op},`,
    `"",${S3.k},,"${IMSI_C}@ims.mnc015.mcc234.3gppnetwork.org",${S3.op},0000\r`,
  ].join('\n');
  const table = parseSubscribers(csv, 'lab.csv');
  const a = table.lookup({ imsi: IMSI_A });
  assert.equal(toHex(a?.k ?? new Uint8Array()), S1.k);
  assert.equal(toHex(a?.opc ?? new Uint8Array()), S1.opc);
  assert.equal(toHex(a?.amf ?? new Uint8Array()), '8000');
  assert.equal(a?.origin, 'lab.csv line 4');
  // The IMSI-derived IMPI of subscriber A finds its key too (TS 23.003 §13.3).
  assert.equal(table.lookup({ impi: `${IMSI_A}@ims.mnc001.mcc001.3gppnetwork.org` }), a);
  const b = table.lookup({ impi: IMPI_B });
  assert.equal(toHex(b?.opc ?? new Uint8Array()), S4.opc, 'OPc = OP ⊕ E_K(OP), TS 35.208 test set 4');
  assert.equal(toHex(b?.op ?? new Uint8Array()), S4.op);
  assert.equal(b?.amf, undefined);
  assert.equal(b?.origin, 'lab.csv line 6');
  // Given as a derived IMPI, found by IMSI (S6a names only the IMSI).
  const c = table.lookup({ imsi: IMSI_C });
  assert.equal(toHex(c?.opc ?? new Uint8Array()), S3.opc);
  assert.equal(table.lookup({ imsi: '999990000000000' }), undefined);
});

test('CSV errors name the file and the line, never a key value', () => {
  const header = 'imsi,k,opc';
  const cases: [string, RegExp][] = [
    [`${header}\n${IMSI_A},${S1.k.slice(1)},${S1.opc}`, /^s\.csv:2: k must be 32 hex digits/],
    [`${header}\n${IMSI_A},${S1.k},${S1.opc.replace('c', 'g')}`, /^s\.csv:2: opc must be 32 hex digits/],
    [`# only a comment\n\nimsi,k,opc,sqn\n`, /^s\.csv:3: unknown column 'sqn'/],
    [`imsi,k,k,opc`, /^s\.csv:1: column 'k' appears twice/],
    [`imsi,opc`, /^s\.csv:1: the header needs a 'k' column/],
    [`imsi,k`, /^s\.csv:1: the header needs an 'op' or an 'opc' column/],
    [`k,opc`, /^s\.csv:1: the header needs an 'imsi' or an 'impi' column/],
    [`${header}\n${IMSI_A},${S1.k}`, /^s\.csv:2: 2 fields, the header has 3/],
    [`${header}\n12345,${S1.k},${S1.opc}`, /^s\.csv:2: imsi must be 6 to 15 digits/],
    [`${header}\n,${S1.k},${S1.opc}`, /^s\.csv:2: needs an imsi or an impi/],
    [`imsi,k,op,opc\n${IMSI_A},${S1.k},${S1.op},${S1.opc}`, /^s\.csv:2: give op or opc, not both/],
    [`imsi,k,op,opc\n${IMSI_A},${S1.k},,`, /^s\.csv:2: needs op or opc/],
    [`imsi,k,opc,amf\n${IMSI_A},${S1.k},${S1.opc},800`, /^s\.csv:2: amf must be 4 hex digits/],
    [`impi,k,opc\nal ice@x,${S1.k},${S1.opc}`, /^s\.csv:2: impi must not contain spaces/],
    [`${header}\n${IMSI_A},${S1.k},${S1.opc}\n\n${IMSI_A},${S2.k},${S2.opc}`, /^s\.csv:4: 001010000000001 is already listed/],
    [`# nothing\n`, /^s\.csv: no header line/],
  ];
  for (const [csv, message] of cases) {
    assert.throws(
      () => parseSubscribers(csv, 's.csv'),
      (e: unknown) => {
        assert.ok(e instanceof UsageError, csv);
        assert.match(e.message, message);
        for (const secret of [S1.k, S1.opc, S1.op, S2.k]) assert.ok(!e.message.includes(secret));
        return true;
      },
    );
  }
});

test('--k/--op/--opc/--amf: validated, OPc derived, usage errors', () => {
  assert.equal(keyFromOptions({}), undefined);
  const k = keyFromOptions({ k: S2.k, op: S2.op, amf: 'B9B9' });
  assert.equal(toHex(k?.opc ?? new Uint8Array()), S2.opc);
  assert.equal(toHex(k?.amf ?? new Uint8Array()), 'b9b9');
  assert.equal(k?.origin, '--k/--op');
  assert.equal(keyFromOptions({ k: `0x${S2.k}`, opc: S2.opc })?.origin, '--k/--opc');
  for (const [opts, message] of [
    [{ op: S1.op }, /--op needs --k/],
    [{ amf: '8000' }, /--amf needs --k/],
    [{ k: S1.k }, /--k needs --op or --opc/],
    [{ k: S1.k, op: S1.op, opc: S1.opc }, /not both/],
    [{ k: S1.k, opc: `${S1.opc}0` }, /--opc must be 32 hex digits/],
  ] as const) {
    assert.throws(() => keyFromOptions(opts), (e: unknown) => e instanceof UsageError && message.test(e.message));
  }
});

test('--subscribers FILE with --k as the key of everyone else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-subscribers-'));
  try {
    const file = join(dir, 'subs.csv');
    writeFileSync(file, `imsi,k,opc\n${IMSI_A},${S1.k},${S1.opc}\n`);
    const table = subscriberKeysFromOptions({ subscribers: file, k: S3.k, opc: S3.opc });
    assert.equal(toHex(table?.lookup({ imsi: IMSI_A })?.k ?? new Uint8Array()), S1.k);
    assert.equal(toHex(table?.lookup({ impi: IMPI_B })?.k ?? new Uint8Array()), S3.k);
    assert.equal(subscriberKeysFromOptions({}), undefined);
    assert.equal(toHex(subscriberKeysFromOptions({ k: S3.k, opc: S3.opc })?.lookup({ imsi: IMSI_C })?.opc ?? new Uint8Array()), S3.opc);
    assert.throws(() => subscriberKeysFromOptions({ subscribers: join(dir, 'missing.csv') }), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
