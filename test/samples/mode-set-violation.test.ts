// samples/mode-set-violation.pcap: tshark sees the offer's and the answer's mode-sets the README
// describes, and the README's audit-sdp commands exit 1 with exactly the two findings, whose
// frames and counts are the ones tshark gives (the SDP frames, the gateway's mode-4 frames).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { needTools } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { cliArgs, occurrences, readmeCommand, samplePath, tsharkRows, tsharkRtp } from './samples-support.js';

const SAMPLE = samplePath('mode-set-violation.pcap');

interface SdpRow {
  readonly frameNo: number;
  readonly label: string;
  readonly src: string;
  readonly attributes: readonly string[];
}

function sdpMessages(): SdpRow[] {
  return tsharkRows(SAMPLE, ['frame.number', 'sip.Method', 'sip.Status-Code', 'ip.src', 'sdp.media_attr'], 'sdp').map(([frame, method, status, src, attrs]) => ({
    frameNo: Number(frame),
    label: method !== undefined && method !== '' ? method : (status ?? ''),
    src: src ?? '',
    attributes: occurrences(attrs),
  }));
}

interface Finding {
  readonly ruleId: string;
  readonly frames: readonly number[];
  readonly properties: { readonly count?: number; readonly firstFrame?: number; readonly direction?: string };
}

test('tshark: the offer lists AMR-WB mode-set 0–8 and AMR mode-set 0–7, the gateway answers AMR mode-set=7 and sends mode 4', (t) => {
  if (!needTools(t, 'tshark')) return;
  const sdp = sdpMessages();
  assert.deepEqual(sdp.map((m) => m.label), ['INVITE', '183']);
  const [offer, answer] = sdp as [SdpRow, SdpRow];
  for (const a of ['rtpmap:104 AMR-WB/16000', 'rtpmap:102 AMR/8000']) assert.ok(offer.attributes.includes(a), a);
  assert.ok(offer.attributes.some((a) => a.startsWith('fmtp:104 mode-set=0,1,2,3,4,5,6,7,8;')));
  assert.ok(offer.attributes.some((a) => a.startsWith('fmtp:102 mode-set=0,1,2,3,4,5,6,7;')));
  assert.ok(answer.attributes.includes('rtpmap:102 AMR/8000'));
  assert.ok(answer.attributes.some((a) => a.startsWith('fmtp:102 mode-set=7;')));

  const rtp = tsharkRtp(SAMPLE);
  const fromGateway = rtp.filter((p) => p.src === answer.src);
  const fromHandset = rtp.filter((p) => p.src === offer.src);
  assert.equal(fromGateway.length + fromHandset.length, rtp.length);
  assert.ok(fromGateway.filter((p) => p.frameTypes[0] === 4).length > 50, 'the gateway speaks in AMR 7.4');
  assert.ok(fromHandset.every((p) => p.frameTypes[0] === 7 || p.frameTypes[0] === 8), 'the handset keeps to 12.2 (and SID)');
  const problems = tsharkRows(SAMPLE, ['frame.number'], '_ws.malformed || _ws.expert.severity >= warning');
  assert.deepEqual(problems, []);
});

test('README: audit-sdp exits 1 with mode-set-modified and frame-type-outside-mode-set at the frames tshark shows', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const command = readmeCommand('audit-sdp samples/mode-set-violation.pcap');
  assert.equal(command.args.length, 2, 'the plain text command');
  const text = await runCli(cliArgs(command));
  assert.equal(text.code, command.exit);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /error +mode-set-modified/);
  assert.match(text.stdout, /error +frame-type-outside-mode-set/);

  const r = await runCli([...cliArgs(command), '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const findings = (JSON.parse(r.stdout) as { calls: { findings: Finding[] }[] }).calls.flatMap((c) => c.findings);
  assert.deepEqual(findings.map((f) => f.ruleId).sort(), ['frame-type-outside-mode-set', 'mode-set-modified']);

  const [offer, answer] = sdpMessages() as [SdpRow, SdpRow];
  const modified = findings.find((f) => f.ruleId === 'mode-set-modified');
  assert.deepEqual(modified?.frames, [answer.frameNo, offer.frameNo]);
  const mode4 = tsharkRtp(SAMPLE).filter((p) => p.src === answer.src && p.frameTypes[0] === 4);
  const outside = findings.find((f) => f.ruleId === 'frame-type-outside-mode-set');
  assert.equal(outside?.properties.direction, 'callee→caller');
  assert.equal(outside?.properties.count, mode4.length);
  assert.equal(outside?.properties.firstFrame, Math.min(...mode4.map((p) => p.frameNo)));
});

test('README: audit-sdp --format junit exits 1 with a failing test case for each finding', async (t) => {
  const command = readmeCommand('audit-sdp samples/mode-set-violation.pcap --format junit');
  const r = await runCli(cliArgs(command));
  assert.equal(r.code, command.exit);
  assert.equal(r.code, 1);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout) as {
    testsuites: { failures: string; testsuite: { testcase: { name: string; failure?: { type: string } }[] } };
  };
  assert.equal(doc.testsuites.failures, '2');
  const failing = doc.testsuites.testsuite.testcase.filter((c) => c.failure !== undefined).map((c) => c.failure?.type);
  assert.deepEqual(failing.sort(), ['frame-type-outside-mode-set', 'mode-set-modified']);
});
