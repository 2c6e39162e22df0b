// Bounded memory for `imscap calls`: a generated capture of thousands of short calls, one every
// 50 ms. The dialog tracker lets each call go once it ended and stayed quiet for 32 s of capture
// time (RFC 3261 Timer D / J), so the calls it holds at once stay near 33 s worth of calls, far
// below the number of calls; with a cap (--max-open-calls) the count never exceeds it. Every
// call is still reported, whole. The count is the tracker's own (peakOpenCalls), not the RSS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempCaptureFile } from '../fixtures/capture-writer.js';
import { amrWbFormat, buildCallCapture, type CallSpec, type SdpSpec } from '../fixtures/call-capture.js';
import { listCalls } from '../../src/cli/calls.js';
import { QUIET_SECONDS } from '../../src/analysis/dialogs.js';

const CALLS = 2000;
const SPACING = 0.05;
const LENGTH = 0.41;
const OFFER: SdpSpec = { port: 40000, formats: [amrWbFormat(96)] };
const ANSWER: SdpSpec = { port: 50000, formats: [amrWbFormat(96)] };

function shortCalls(): CallSpec[] {
  return Array.from({ length: CALLS }, (_, i): CallSpec => {
    const t0 = i * SPACING;
    return {
      callId: `short-${i}@10.0.${i >> 8}.${i & 255}`,
      caller: { ip: `10.0.${i >> 8}.${i & 255}` },
      callee: { ip: '10.9.0.1' },
      steps: [
        { at: t0, from: 'caller', request: 'INVITE', sdp: OFFER },
        { at: t0 + 0.1, from: 'callee', response: 200, sdp: ANSWER },
        { at: t0 + 0.11, from: 'caller', request: 'ACK' },
        { at: t0 + 0.4, from: 'caller', request: 'BYE' },
        { at: t0 + LENGTH, from: 'callee', response: 200 },
      ],
    };
  });
}

test('the tracker holds ~33 s of calls, not the whole capture, and --max-open-calls caps it; every call is reported', async (t) => {
  const built = buildCallCapture(shortCalls());
  const file = tempCaptureFile(t, 'many-calls.pcap', built.pcap());

  const quiet = await listCalls(file);
  const bound = Math.ceil((QUIET_SECONDS + LENGTH) / SPACING) + 2;
  assert.ok(quiet.peakOpenCalls <= bound, `peak ${quiet.peakOpenCalls} ≤ ${bound}`);
  assert.ok(quiet.peakOpenCalls >= bound - 10, `peak ${quiet.peakOpenCalls}: calls are held for the quiet period`);
  assert.equal(quiet.doc.calls.length, CALLS);
  // Only the calls of the last 32 s were still held at the end of the capture.
  assert.ok(quiet.doc.calls.filter((c) => c.doneReason === 'quiet').length >= CALLS - bound);

  // With a cap below the calls of a quiet period: the least recently active (ended) calls go first.
  const capped = await listCalls(file, { maxOpenCalls: 50 });
  assert.ok(capped.peakOpenCalls <= 50, `peak ${capped.peakOpenCalls} ≤ 50`);
  const doc = capped.doc;
  assert.equal(doc.calls.length, CALLS);
  assert.deepEqual(doc.calls.map((c) => c.callId), shortCalls().map((c) => c.callId));
  assert.ok(doc.calls.filter((c) => c.doneReason === 'capacity').length >= CALLS - 50);
  // Every call whole: one dialog, terminated after its 200, five messages, one negotiation.
  for (const c of doc.calls) {
    assert.equal(c.dialogs.length, 1, c.callId);
    const d = c.dialogs[0]!;
    assert.deepEqual([d.state, d.finalStatus, d.messages, d.negotiations.length, c.messages], ['terminated', 200, 5, 1, 5], c.callId);
  }
});
