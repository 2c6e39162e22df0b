import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { amrFrameBytes, amrFrameType, amrFrameTypes, amrSamplesPerFrame, amrClockRate } from '../../../src/protocols/amr/frame-types.js';
import { speechAmrNb } from '../../fixtures/amr-frames.js';
import { needTools } from '../../support/environment.js';

let valueStrings: string | undefined;

/** tshark's value strings for a field: `tshark -G values` lines "V <field> <value> <text>". */
function tsharkValues(field: string): Map<number, string> {
  // The whole table is tens of megabytes: keep the AMR lines only.
  valueStrings ??= spawnSync('sh', ['-c', "tshark -G values | grep -F 'amr.'"], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
  const out = valueStrings;
  const values = new Map<number, string>();
  for (const line of out.split('\n')) {
    const [kind, name, value, text] = line.split('\t');
    if (kind === 'V' && name === field && value !== undefined && text !== undefined) values.set(Number(value), text.trim());
  }
  return values;
}

for (const wideband of [false, true]) {
  const codec = wideband ? 'AMR-WB' : 'AMR';
  test(`${codec} frame types, rates and kinds agree with tshark's table`, (t) => {
    if (!needTools(t, 'tshark')) return;
    const names = tsharkValues(wideband ? 'amr.wb.toc.ft' : 'amr.nb.toc.ft');
    assert.equal(names.size, 16);
    for (let ft = 0; ft < 16; ft++) {
      const info = amrFrameType(ft, wideband);
      const theirs = names.get(ft) ?? '';
      const rate = /^AMR(?:-WB)? (\d+),?\.?(\d+) kbit\/s/.exec(theirs);
      if (info.kind === 'speech') {
        assert.ok(rate !== null, `FT ${ft}: tshark says ${theirs}`);
        assert.equal(info.kbps, Number(`${rate[1]}.${rate[2]}`), `FT ${ft}`);
        assert.equal(info.name, `${codec} ${rate[1]}.${rate[2]}`);
      } else {
        assert.equal(rate, null, `FT ${ft}: tshark has a speech mode, we have ${info.kind}`);
        const expected = { sid: /^AMR(-WB)? SID/, 'no-data': /^No Data/, 'speech-lost': /^Speech lost/, reserved: /(Illegal|future use|^(GSM|TDMA|PDC)-EFR SID)/ }[info.kind];
        assert.match(theirs, expected, `FT ${ft} is ${info.kind}`);
      }
    }
  });
}

test('frame sizes split sox-encoded AMR-NB files exactly (RFC 4867 §5.3 storage framing)', (t) => {
  if (!needTools(t, 'sox', 'espeak-ng')) return;
  // Modes 0, 2, 4, 5, 7 are encoded by the media tests; tshark checks every size on packets.
  for (const mode of [1, 3, 6]) {
    const { file } = speechAmrNb(mode);
    let at = 6;
    const seen = new Set<number>();
    while (at < file.length) {
      const ft = ((file[at] as number) >> 3) & 0x0f;
      assert.notEqual(amrFrameType(ft, false).kind, 'reserved');
      seen.add(ft);
      at += 1 + amrFrameBytes(ft, false);
    }
    assert.equal(at, file.length, `mode ${mode}: frames end exactly at the end of the file`);
    assert.ok(seen.has(mode), `mode ${mode} frames present`);
  }
});

test('clock rates and frame durations (RFC 4867 §4.1: 8 and 16 kHz, 20 ms frames)', () => {
  assert.equal(amrSamplesPerFrame(false) / amrClockRate(false), 0.02);
  assert.equal(amrSamplesPerFrame(true) / amrClockRate(true), 0.02);
  assert.equal(amrFrameTypes(false).length, 16);
  assert.equal(amrFrameType(99, true).kind, 'reserved');
});
