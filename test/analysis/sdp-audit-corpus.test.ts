// The SDP audit on the corpus IMS calls. They are compliant except for what tshark itself shows:
// a quoted mode-set in sngrep's SDPs (RFC 4867 §8.2.1 writes the list bare) and nesfit's answer
// pairing AMR-WB/16000 with telephone-event/8000 only (RFC 4733 §2.1). Every other call must come
// out clean, and every RTP packet tshark dissects on their flows must be checked.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { runPass } from '../../src/pipeline/pass.js';
import { SdpAuditor } from '../../src/analysis/sdp-audit/auditor.js';
import type { SdpAuditReport } from '../../src/analysis/sdp-audit/types.js';
import { corpusFile, needTools } from '../support/environment.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TSHARK_PREFS } from '../net/tshark.js';

interface Expectation {
  readonly name: string;
  /** Rule ids of the findings, sorted. */
  readonly findings: readonly string[];
  /** tshark dissects all the RTP of the capture on flows an answered SDP set up. */
  readonly rtpFromSdp: boolean;
}

const CAPTURES: readonly Expectation[] = [
  { name: 'sngrep__ipv6frag.pcap', findings: ['amr-fmtp-invalid', 'amr-fmtp-invalid'], rtpFromSdp: true },
  { name: 'pcaptoparquet__50_sip_ott.pcap', findings: [], rtpFromSdp: true },
  { name: 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap', findings: [], rtpFromSdp: true },
  { name: 'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng', findings: [], rtpFromSdp: true },
  { name: 'nesfit__codecs3-amr-wb.pcap', findings: ['telephone-event-rate-mismatch'], rtpFromSdp: true },
  // Only the downlink half of the signalling is in the capture: no offer, nothing to pair.
  { name: 'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap', findings: [], rtpFromSdp: false },
  { name: 'heplify__sip_tcp_websocket.pcap', findings: [], rtpFromSdp: true },
];

async function audit(path: string): Promise<SdpAuditReport> {
  const auditor = new SdpAuditor();
  await runPass(path, auditor.handlers());
  return auditor.finish();
}

interface TsharkView {
  /** a=fmtp parameters and media attributes of every frame with SDP. */
  readonly sdp: Map<number, { fmtp: string; attributes: string }>;
  readonly rtpPackets: number;
  readonly invites: number;
}

const run = promisify(execFile);

/** One tshark run per capture, started without waiting (its start-up dominates): SDP, RTP and INVITE frames. */
async function tsharkView(path: string): Promise<TsharkView> {
  const fields = ['frame.number', 'frame.protocols', 'sdp.fmtp.parameter', 'sdp.media_attr', 'sip.Method'];
  const args = ['-r', path, '-n', ...TSHARK_PREFS, '-Y', 'sdp or rtp or sip', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])];
  const { stdout } = await run('tshark', args, { maxBuffer: 64 << 20 });
  const sdp = new Map<number, { fmtp: string; attributes: string }>();
  let rtpPackets = 0;
  let invites = 0;
  for (const line of stdout.split('\n')) {
    if (line.length === 0) continue;
    const [frame, protocols, fmtp, attributes, method] = line.split('\t');
    const layers = (protocols ?? '').split(':');
    if (layers.includes('rtp')) rtpPackets++;
    if (layers.includes('sdp')) sdp.set(Number(frame), { fmtp: fmtp ?? '', attributes: attributes ?? '' });
    if ((method ?? '').split(',').includes('INVITE')) invites++;
  }
  return { sdp, rtpPackets, invites };
}

test('corpus IMS calls: clean but for the deviations tshark shows, every dissected RTP packet checked', { concurrency: CAPTURES.length }, async (t) => {
  if (!needTools(t, 'tshark')) return;
  await Promise.all(CAPTURES.map((c) => t.test(c.name, async (st) => checkCapture(st, c))));
});

async function checkCapture(t: TestContext, expected: Expectation): Promise<void> {
  const path = corpusFile(t, expected.name);
  if (path === undefined) return;
  const [view, report] = await Promise.all([tsharkView(path), audit(path)]);
  assert.deepEqual(
    report.findings.map((f) => f.ruleId).sort(),
    expected.findings,
    report.findings.map((f) => f.message).join('\n'),
  );
  const sdp = view.sdp;
  for (const call of report.calls) {
    for (const n of call.negotiations) {
      assert.ok(sdp.has(n.offerFrameNo), `offer frame ${n.offerFrameNo} has SDP for tshark`);
      if (n.answerFrameNo === undefined) continue;
      const answer = sdp.get(n.answerFrameNo);
      assert.ok(answer !== undefined, `answer frame ${n.answerFrameNo} has SDP for tshark`);
      for (const m of n.media) {
        if (m.chosen === undefined) continue;
        assert.ok(answer.attributes.includes(`rtpmap:${m.chosen.payloadType} ${m.chosen.codec}`), `frame ${n.answerFrameNo}: ${m.chosen.codec} PT ${m.chosen.payloadType} in ${answer.attributes}`);
      }
    }
  }
  for (const f of report.findings) {
    if (f.ruleId === 'amr-fmtp-invalid') {
      assert.match(f.message, /mode-set value is quoted/);
      for (const frame of f.frames) assert.match(sdp.get(frame)?.fmtp ?? '', /mode-set="/, `frame ${frame}`);
    }
    if (f.ruleId === 'telephone-event-rate-mismatch') {
      const attributes = sdp.get(f.frames[0]!)?.attributes ?? '';
      assert.match(attributes, /rtpmap:\d+ AMR-WB\/16000/);
      assert.match(attributes, /rtpmap:\d+ telephone-event\/8000/);
      assert.doesNotMatch(attributes, /telephone-event\/16000/);
    }
  }
  assert.equal(report.rtp.packets, view.rtpPackets, 'RTP packets seen, as tshark dissects them');
  if (expected.rtpFromSdp) assert.equal(report.rtp.checked, view.rtpPackets, 'every RTP packet checked against its negotiation');
  else assert.equal(view.invites, 0, 'no INVITE captured');
}
