// Dialogs and offer/answer on the corpus IMS calls. The SIP bytes come from tshark; the
// expectations are computed here from tshark's own fields (method, status, CSeq, tags, RSeq and
// whether the frame carries SDP), with the plain RFC 3264/3262/3311 rule "an offer in a request
// is answered by the first SDP in a reliable provisional or 2xx response to that request".
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../src/decode-error.js';
import { DialogTracker, negotiatedCodec } from '../../src/analysis/dialogs.js';
import { decodeSipMessage } from '../../src/protocols/sip/decode.js';
import { corpusFile, needTools } from '../support/environment.js';
import { fieldStrings, rawBytes, tsharkPackets } from '../protocols/sip/tshark-oracle.js';

interface Row {
  readonly frameNo: number;
  readonly label: string;
  readonly isRequest: boolean;
  readonly status: number;
  readonly cseq: string;
  readonly callId: string;
  readonly fromTag: string;
  readonly toTag: string;
  readonly reliable: boolean;
  readonly hasSdp: boolean;
  /** tshark's first a=rtpmap of the SDP, as "NAME/rate". */
  readonly firstRtpmap?: string;
  /** First sighting of this end-to-end message (not a retransmission or a copy at another hop). */
  readonly first: boolean;
}

const CAPTURES = [
  'sngrep__ipv6frag.pcap',
  'pcaptoparquet__50_sip_ott.pcap',
  'SSMTK-projekt__VoNR_poziv_PJSUA.pcap',
  'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng',
  'nesfit__codecs3-amr-wb.pcap',
];

test('corpus IMS calls: offers and answers sit where tshark shows SDP, paired per RFC 3264', { concurrency: 2 }, async (t) => {
  if (!needTools(t, 'tshark')) return;
  await Promise.all(CAPTURES.map((name) => t.test(name, async (st) => checkCapture(st, name))));
});

async function checkCapture(t: TestContext, name: string): Promise<void> {
  const file = corpusFile(t, name);
  if (file === undefined) return;
  const tracker = new DialogTracker();
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const p of await tsharkPackets(file, 'sip')) {
    const sip = p.layers['sip'];
    const method = fieldStrings(sip, 'sip.Method')[0];
    const status = Number(fieldStrings(sip, 'sip.Status-Code')[0] ?? 0);
    const cseq = fieldStrings(sip, 'sip.CSeq')[0] ?? '';
    const fromTag = fieldStrings(sip, 'sip.from.tag')[0] ?? '';
    const toTag = fieldStrings(sip, 'sip.to.tag')[0] ?? '';
    const rseq = fieldStrings(sip, 'sip.RSeq')[0];
    const callId = fieldStrings(sip, 'sip.Call-ID')[0] ?? '';
    const label = method ?? String(status);
    const identity = `${callId}|${label}|${cseq}|${fromTag}|${toTag}|${rseq ?? ''}`;
    rows.push({
      frameNo: p.frameNo, label, isRequest: method !== undefined, status, cseq, callId, fromTag, toTag,
      reliable: rseq !== undefined && status > 100 && status < 200,
      hasSdp: fieldStrings(sip, 'sdp.version').length > 0,
      firstRtpmap: `${fieldStrings(sip, 'sdp.mime.type')[0] ?? ''}/${fieldStrings(sip, 'sdp.sample_rate')[0] ?? ''}`,
      first: !seen.has(identity),
    });
    seen.add(identity);
    const ip = (p.layers['ipv6'] ?? p.layers['ip']) as unknown;
    const src = fieldStrings(ip, 'ipv6.src').at(-1) ?? fieldStrings(ip, 'ip.src').at(-1) ?? '';
    const dst = fieldStrings(ip, 'ipv6.dst').at(-1) ?? fieldStrings(ip, 'ip.dst').at(-1) ?? '';
    const ports = [...fieldStrings(p.layers, 'udp.srcport'), ...fieldStrings(p.layers, 'tcp.srcport')];
    const dports = [...fieldStrings(p.layers, 'udp.dstport'), ...fieldStrings(p.layers, 'tcp.dstport')];
    const m = decodeSipMessage(rawBytes(p.layers, 'sip')[0]!);
    assert.ok(!isDecodeError(m));
    tracker.push({ message: m, frameNo: p.frameNo, ts: p.ts, src, dst, srcPort: Number(ports.at(-1)), dstPort: Number(dports.at(-1)), transport: 'udp' });
  }
  tracker.finish();
  const byFrame = new Map(rows.map((r) => [r.frameNo, r]));
  const dialogs = tracker.dialogs();

  // Expected pairs: each first-seen SDP request, answered (per To tag) by the first SDP in a
  // reliable 1xx or a 2xx to the same request.
  const expected = new Set<string>();
  for (const offer of rows.filter((r) => r.first && r.isRequest && r.hasSdp && (r.label === 'INVITE' || r.label === 'UPDATE'))) {
    const answered = new Set<string>();
    for (const r of rows) {
      if (!r.first || r.isRequest || !r.hasSdp || r.frameNo < offer.frameNo) continue;
      if (r.callId !== offer.callId || r.cseq !== offer.cseq || r.fromTag !== offer.fromTag || answered.has(r.toTag)) continue;
      // An in-dialog request is answered inside its own dialog (same To tag).
      if (offer.toTag !== '' && r.toTag !== offer.toTag) continue;
      if (r.reliable || (r.status >= 200 && r.status < 300)) {
        answered.add(r.toTag);
        expected.add(`${offer.frameNo}->${r.frameNo}`);
      }
    }
    if (answered.size === 0) expected.add(`${offer.frameNo}->none`);
  }
  const actual = new Set<string>();
  for (const d of dialogs) {
    for (const n of d.negotiations) {
      const offer = byFrame.get(n.offer.frameNo);
      assert.ok(offer?.hasSdp, `offer frame ${n.offer.frameNo} carries SDP for tshark`);
      assert.equal(n.offer.carrier, offer.label);
      if (n.answer !== undefined) {
        const answer = byFrame.get(n.answer.frameNo);
        assert.ok(answer?.hasSdp, `answer frame ${n.answer.frameNo} carries SDP for tshark`);
        assert.equal(n.answer.carrier, answer.label);
      }
      if (offer.isRequest && (offer.label === 'INVITE' || offer.label === 'UPDATE') && !n.answerFromEarlySdp) {
        actual.add(`${n.offer.frameNo}->${n.answer?.frameNo ?? 'none'}`);
      }
    }
  }
  assert.deepEqual([...actual].sort(), [...expected].sort());

  // Every first-seen SDP is accounted for: offer, answer, early SDP, repeat, or a reported anomaly.
  const accounted = new Set<number>();
  for (const d of dialogs) {
    for (const n of d.negotiations) {
      accounted.add(n.offer.frameNo);
      if (n.answer !== undefined) accounted.add(n.answer.frameNo);
      n.repeats.forEach((f) => accounted.add(f));
    }
    d.earlySdp.forEach((e) => accounted.add(e.frameNo));
    d.anomalies.forEach((a) => accounted.add(a.frameNo));
  }
  for (const r of rows) if (r.first && r.hasSdp) assert.ok(accounted.has(r.frameNo), `SDP of frame ${r.frameNo} (${r.label}) has a role`);

  // Final status of each INVITE dialog: the first final response with its To tag, per tshark.
  for (const d of dialogs.filter((x) => x.method === 'INVITE' && !x.partial)) {
    const final = rows.find((r) => !r.isRequest && r.status >= 200 && r.callId === d.callId && r.cseq === `${d.cseq} INVITE` && r.toTag === d.calleeTag);
    assert.equal(d.finalStatus, final?.status, `final status of dialog ${d.callId} / ${d.calleeTag ?? ''}`);
    const bye = rows.some((r) => r.label === 'BYE' && r.callId === d.callId && (r.toTag === d.calleeTag || r.fromTag === d.calleeTag));
    if (bye) assert.equal(d.state, 'terminated');
  }

  // The negotiated codec: the first rtpmap (as tshark reads it) of the last completed answer.
  const answered = dialogs.filter((d) => d.negotiations.some((n) => n.status === 'complete'));
  assert.ok(answered.length > 0);
  for (const d of answered) {
    const codec = negotiatedCodec(d);
    const last = d.negotiations.filter((n) => n.status === 'complete').at(-1);
    assert.ok(codec !== undefined && last?.answer !== undefined);
    assert.equal(codec.negotiation, last);
    assert.equal(`${codec.format.encodingName ?? ''}/${codec.format.clockRate ?? ''}`, byFrame.get(last.answer.frameNo)?.firstRtpmap);
  }
}
