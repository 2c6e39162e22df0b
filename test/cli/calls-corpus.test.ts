// `imscap calls --format json` on the IMS calls of the corpus, through the whole pipeline. The
// expectations come from tshark's fields (method, status, CSeq, tags, RSeq, whether the frame
// carries SDP, its first rtpmap) and the plain rules: RFC 3264 §4 with RFC 3262 §5 and RFC 3311
// §5 — an offer in an INVITE or UPDATE is answered by the first SDP in a reliable provisional or
// 2xx response to that request, once per To tag — and RFC 3261 §12.1: one dialog per To tag in
// the responses to a dialog-creating INVITE.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFile, needTools } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { runTshark } from '../protocols/sip/tshark-oracle.js';

const CAPTURES = [
  'sngrep__ipv6frag.pcap',
  'pcaptoparquet__50_sip_ott.pcap',
  'SSMTK-projekt__VoNR_poziv_PJSUA.pcap',
  'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng',
  'nesfit__codecs3-amr-wb.pcap',
];

const FIELDS = ['frame.number', 'sip.Method', 'sip.Status-Code', 'sip.CSeq', 'sip.Call-ID', 'sip.from.tag', 'sip.to.tag', 'sip.RSeq', 'sdp.version', 'sdp.mime.type', 'sdp.sample_rate'] as const;

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
  readonly rtpmap: string;
  /** First sighting of this end-to-end message (not a retransmission, not a copy at another hop). */
  readonly first: boolean;
}

interface ExchangeJson {
  frameNo: number;
  carrier: string;
}

interface DialogJson {
  callId: string;
  method: string;
  state: string;
  finalStatus?: number;
  calleeTag?: string;
  partial: boolean;
  firstFrameNo: number;
  lastFrameNo: number;
  codec?: { name: string; answerFrameNo: number };
  negotiations: { trigger: string; status: string; offer: ExchangeJson; answer?: ExchangeJson; answerFromEarlySdp: boolean }[];
}

interface CallsJson {
  summary: { calls: number; dialogs: number };
  calls: { callId: string; firstMethod: string; messages: number; dialogs: DialogJson[] }[];
}

async function tsharkRows(file: string): Promise<Row[]> {
  const args = ['-r', file, '-o', 'esp.enable_null_encryption_decode_heuristic:TRUE', '-Y', 'sip', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f'];
  for (const f of FIELDS) args.push('-e', f);
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const line of (await runTshark(args)).split('\n')) {
    if (line.length === 0) continue;
    const [frame = '', method = '', status = '', cseq = '', callId = '', fromTag = '', toTag = '', rseq = '', sdpVersion = '', mime = '', rate = ''] = line.split('\t');
    const code = Number(status || 0);
    const label = method || status;
    const identity = `${callId}|${label}|${cseq}|${fromTag}|${toTag}|${rseq}`;
    rows.push({
      frameNo: Number(frame), label, isRequest: method !== '', status: code, cseq, callId, fromTag, toTag,
      reliable: rseq !== '' && code > 100 && code < 200,
      hasSdp: sdpVersion !== '',
      rtpmap: `${mime}/${rate}`,
      first: !seen.has(identity),
    });
    seen.add(identity);
  }
  return rows;
}

/** Offer → answer pairs per the rule above, as "offerFrame->answerFrame" (or "->none"). */
function expectedPairs(rows: readonly Row[]): string[] {
  const pairs: string[] = [];
  for (const offer of rows.filter((r) => r.first && r.isRequest && r.hasSdp && (r.label === 'INVITE' || r.label === 'UPDATE'))) {
    const answered = new Set<string>();
    for (const r of rows) {
      if (!r.first || r.isRequest || !r.hasSdp || r.frameNo < offer.frameNo) continue;
      if (r.callId !== offer.callId || r.cseq !== offer.cseq || r.fromTag !== offer.fromTag || answered.has(r.toTag)) continue;
      // An in-dialog request is answered inside its own dialog (same To tag).
      if (offer.toTag !== '' && r.toTag !== offer.toTag) continue;
      if (r.reliable || (r.status >= 200 && r.status < 300)) {
        answered.add(r.toTag);
        pairs.push(`${offer.frameNo}->${r.frameNo}`);
      }
    }
    if (answered.size === 0) pairs.push(`${offer.frameNo}->none`);
  }
  return pairs.sort();
}

/** Per Call-ID, the To tags of the dialogs created by first-seen INVITEs without a To tag (one untagged when none answered). */
function expectedInviteDialogs(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const invite of rows.filter((r) => r.first && r.label === 'INVITE' && r.toTag === '')) {
    const tags = new Set(rows.filter((r) => !r.isRequest && r.status > 100 && r.toTag !== '' && r.callId === invite.callId && r.cseq === invite.cseq && r.fromTag === invite.fromTag).map((r) => r.toTag));
    if (tags.size === 0) out.push(`${invite.callId} -`);
    for (const tag of tags) out.push(`${invite.callId} ${tag}`);
  }
  return out.sort();
}

async function checkCapture(t: TestContext, name: string, rows: readonly Row[], file: string): Promise<void> {
  const run = await runCli(['calls', file, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const doc = JSON.parse(run.stdout) as CallsJson;
  const byFrame = new Map(rows.map((r) => [r.frameNo, r]));
  const dialogs = doc.calls.flatMap((c) => c.dialogs);

  // Calls: one per Call-ID tshark shows (none of these captures reuses a Call-ID).
  assert.deepEqual(doc.calls.map((c) => c.callId).sort(), [...new Set(rows.map((r) => r.callId))].sort(), `${name}: Call-IDs`);
  assert.equal(doc.summary.dialogs, dialogs.length);

  // Offer/answer frames.
  const actual: string[] = [];
  for (const d of dialogs) {
    for (const n of d.negotiations) {
      const offer = byFrame.get(n.offer.frameNo);
      assert.ok(offer?.hasSdp, `${name}: offer frame ${n.offer.frameNo} carries SDP for tshark`);
      assert.equal(n.offer.carrier, offer.label, `${name}: carrier of offer frame ${n.offer.frameNo}`);
      if (n.answer !== undefined) {
        const answer = byFrame.get(n.answer.frameNo);
        assert.ok(answer?.hasSdp, `${name}: answer frame ${n.answer.frameNo} carries SDP for tshark`);
        assert.equal(n.answer.carrier, answer.label, `${name}: carrier of answer frame ${n.answer.frameNo}`);
      }
      if ((offer.label === 'INVITE' || offer.label === 'UPDATE') && !n.answerFromEarlySdp) actual.push(`${n.offer.frameNo}->${n.answer?.frameNo ?? 'none'}`);
    }
  }
  assert.deepEqual(actual.sort(), expectedPairs(rows), `${name}: offer/answer pairs`);

  // Dialogs of the INVITEs, their final status, and the codec of the last completed answer.
  const inviteDialogs = dialogs.filter((d) => d.method === 'INVITE' && !d.partial);
  assert.deepEqual(inviteDialogs.map((d) => `${d.callId} ${d.calleeTag ?? '-'}`).sort(), expectedInviteDialogs(rows), `${name}: INVITE dialogs`);
  for (const d of inviteDialogs) {
    const final = rows.find((r) => !r.isRequest && r.status >= 200 && r.callId === d.callId && r.cseq.endsWith(' INVITE') && r.toTag === (d.calleeTag ?? '') && r.frameNo >= d.firstFrameNo);
    assert.equal(d.finalStatus, final?.status, `${name}: final status of ${d.callId} / ${d.calleeTag ?? '-'}`);
    const completed = d.negotiations.filter((n) => n.status === 'complete' && n.answer !== undefined).at(-1);
    if (completed?.answer === undefined) continue;
    assert.equal(d.codec?.answerFrameNo, completed.answer.frameNo, `${name}: codec read from the last answer`);
    assert.equal(d.codec?.name, byFrame.get(completed.answer.frameNo)?.rtpmap, `${name}: codec of ${d.callId} / ${d.calleeTag ?? '-'}`);
  }
  t.diagnostic(`${name}: ${doc.calls.length} call(s), ${dialogs.length} dialog(s), ${actual.length} negotiation(s)`);
}

test('calls --format json: dialogs, final status, codec and offer/answer frames of the corpus IMS calls match tshark', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const files = CAPTURES.map((name) => ({ name, file: corpusFile(t, name) }));
  const oracles = await Promise.all(files.map(({ file }) => (file === undefined ? Promise.resolve([]) : tsharkRows(file))));
  for (const [i, { name, file }] of files.entries()) {
    if (file === undefined) continue;
    const rows = oracles[i] ?? [];
    assert.ok(rows.some((r) => r.label === 'INVITE'), `${name}: tshark shows an INVITE`);
    await checkCapture(t, name, rows, file);
  }
});

test('calls text: one row per dialog, with the frame span and final status the JSON gives', async (t) => {
  const file = corpusFile(t, 'sngrep__ipv6frag.pcap');
  if (file === undefined) return;
  const json = JSON.parse((await runCli(['calls', file, '--format', 'json'])).stdout) as CallsJson;
  const text = await runCli(['calls', file]);
  assert.equal(text.code, 0);
  const lines = text.stdout.trimEnd().split('\n');
  const header = lines[1] ?? '';
  for (const column of ['Start', 'Call-ID', 'From', 'To', 'Method', 'State', 'Status', 'Duration', 'Codec', 'Frames', 'Msgs']) assert.ok(header.includes(column), column);
  const dialogs = json.calls.flatMap((c) => c.dialogs);
  const rows = lines.slice(2);
  assert.equal(rows.length, dialogs.length);
  for (const [i, d] of dialogs.entries()) {
    const row = rows[i] ?? '';
    assert.ok(row.includes(`${d.firstFrameNo}–${d.lastFrameNo}`), row);
    assert.ok(row.includes(` ${d.state}`) && row.includes(` ${d.finalStatus ?? '-'} `), row);
    assert.ok(row.includes(d.callId.slice(0, 23)) && row.includes('…'), 'the Call-ID is shortened');
  }
});
