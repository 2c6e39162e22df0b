// Text that comes from packets (Call-IDs, SIP URIs, display names, interface names) reaches the
// terminal: a hostile capture must not be able to send escape sequences, bells, backspaces or
// NULs to it. Every text report and every message on stderr carries no C0/C1 control character
// other than newline and tab, whatever the packets hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sipCallCapture } from '../../scripts/fuzz/synthetic.js';
import { writePcapng } from '../fixtures/capture-writer.js';
import { captureLayout } from '../fixtures/mutate.js';
import { captureCommands, imscap, scratchDir } from './support.js';

/** ESC ] title BEL, CSI colour, backspaces, NUL, DEL and C1 CSI (U+009B). */
const HOSTILE = 'a\u001b]0;pwned\u0007\u001b[31mred\u0008\u0008\u0000\u007f\u009b2J@x';
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

function controls(text: string): string {
  return JSON.stringify([...text].filter((c) => CONTROL.test(c)).join(''));
}

test('text reports and messages carry no control characters from packet data', async (t) => {
  const dir = scratchDir(t);
  const pcap = sipCallCapture(HOSTILE);
  // The same packets in a pcapng whose interface is named with escape sequences too.
  const layout = captureLayout(pcap);
  const records = layout.records.map((r) => ({ bytes: pcap.subarray(r.dataOffset, r.dataOffset + r.dataLength) }));
  const captures = [
    ['call.pcap', pcap],
    ['call.pcapng', writePcapng([{ interfaces: [{ linkType: 1, name: `eth0${HOSTILE}`, description: HOSTILE }], records }])],
  ] as const;
  const failures: string[] = [];
  for (const [name, bytes] of captures) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    for (const c of captureCommands()) {
      // Every text variant of the command (other formats escape control characters by design).
      for (const v of c.variants.filter((x) => !/--format (?!text)/.test(x.label) && !/ FILE\b/.test(x.label)).slice(0, 4)) {
        const r = await imscap(...v.argv(path, join(dir, `out-${c.name}`)));
        if (CONTROL.test(r.out)) failures.push(`${name}: ${v.label}: stdout carries ${controls(r.out)}`);
        if (CONTROL.test(r.err)) failures.push(`${name}: ${v.label}: stderr carries ${controls(r.err)}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});
