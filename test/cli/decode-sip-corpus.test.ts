// SIP through the whole pipeline and `imscap decode --format json`, on every SIP capture of the
// corpus: per frame, the methods / status codes and the Call-IDs equal tshark's (as multisets,
// for frames holding several messages). The SIP hidden on TCP port 6060 is found with the same
// decode-as on both sides; NULL ESP is opened by both.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFile, needTools } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { runTshark } from '../protocols/sip/tshark-oracle.js';
import type { SipRecord } from '../../src/report/decode/sip.js';

interface SipCapture {
  readonly name: string;
  /** Port carrying SIP that tshark does not find by itself: decoded as SIP on both sides. */
  readonly sipPort?: number;
}

const CAPTURES: readonly SipCapture[] = [
  { name: 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap' },
  { name: 'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng' },
  { name: 'heplify__sip_ipv4_tcp_fragmented.pcap', sipPort: 6060 },
  { name: 'heplify__sip_ipv6_udp.pcap' },
  { name: 'heplify__sip_sctp.pcap' },
  { name: 'heplify__sip_tcp_websocket.pcap' },
  { name: 'nesfit__codecs3-amr-wb.pcap' },
  { name: 'pcaptoparquet__01_udp_voice_ott.pcap' },
  { name: 'pcaptoparquet__50_sip_ott.pcap' },
  { name: 'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap' },
  { name: 'sngrep__ipv6frag.pcap' },
  { name: 'suricata-verify__sip-body-large_sip-body-large.pcap' },
  { name: 'suricata-verify__sip-compact-form_sip_compact_form.pcap' },
  { name: 'suricata-verify__sip-header-multi-value_sip_header_multi_val.pcap' },
  { name: 'zeek__sip-junk-before-request.pcap' },
  { name: 'zeek__wireshark.pcap' },
];

/** frame → sorted "method or status" labels and sorted Call-IDs. */
type PerFrame = Map<number, { labels: string[]; callIds: string[] }>;

const cells = (cell: string | undefined): string[] => (cell === undefined || cell === '' ? [] : cell.split('\u001f'));

async function tsharkSip(file: string, sipPort: number | undefined): Promise<PerFrame> {
  const args = ['-r', file, '-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
  if (sipPort !== undefined) args.push('-d', `tcp.port==${sipPort},sip`);
  // U+001F as the aggregator: no Call-ID of the corpus contains it (a comma or "|" might).
  args.push('-Y', 'sip', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=\u001f', '-e', 'frame.number', '-e', 'sip.Method', '-e', 'sip.Status-Code', '-e', 'sip.Call-ID');
  const out: PerFrame = new Map();
  for (const line of (await runTshark(args)).split('\n')) {
    if (line === '') continue;
    const [frame, methods, statuses, callIds] = line.split('\t');
    out.set(Number(frame), { labels: [...cells(methods), ...cells(statuses)].sort(), callIds: cells(callIds).sort() });
  }
  return out;
}

async function decodedSip(file: string, sipPort: number | undefined): Promise<PerFrame> {
  const args = ['decode', file, '--format', 'json', '--proto', 'sip'];
  if (sipPort !== undefined) args.push('--decode-as', `${sipPort}=sip`);
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  const out: PerFrame = new Map();
  for (const rec of JSON.parse(r.stdout) as SipRecord[]) {
    const entry = out.get(rec.frame) ?? { labels: [], callIds: [] };
    entry.labels.push(rec.startLine.kind === 'request' ? rec.startLine.method : String(rec.startLine.statusCode));
    if (rec.callId !== undefined) entry.callIds.push(rec.callId);
    out.set(rec.frame, entry);
  }
  for (const e of out.values()) {
    e.labels.sort();
    e.callIds.sort();
  }
  return out;
}

test("corpus SIP captures through imscap decode: method / status and Call-ID per frame equal tshark's", { concurrency: 2 }, async (t) => {
  if (!needTools(t, 'tshark')) return;
  await Promise.all(
    CAPTURES.map(({ name, sipPort }) =>
      t.test(name, async (st: TestContext) => {
        const file = corpusFile(st, name);
        if (file === undefined) return;
        const [theirs, mine] = await Promise.all([tsharkSip(file, sipPort), decodedSip(file, sipPort)]);
        assert.ok(theirs.size > 0, 'tshark finds SIP');
        assert.deepEqual([...mine].sort(([a], [b]) => a - b), [...theirs].sort(([a], [b]) => a - b));
      }),
    ),
  );
});
