// Parsing is linear: SIP messages with 1 MB header values (parameters, quotes, brackets, commas,
// folding, digits, escapes) and SDP bodies with 1 MB lines go through the whole pipeline of
// every capture command in about the time a plain 1 MB message takes. Each case runs in a
// worker thread with a budget, so a catastrophic regex fails the test instead of hanging it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writePcap } from '../fixtures/capture-writer.js';
import { ipTcp, text } from '../fixtures/packets.js';
import { runOnCapture } from '../../scripts/fuzz/run-capture.js';
import type { CommandVariant } from '../../scripts/fuzz/commands.js';
import { harness } from './support.js';

const MB = 1_000_000;
/** Largest TCP payload per frame (an IPv4 packet holds at most 65535 bytes). */
const SEGMENT = 60_000;

interface LongCase {
  readonly name: string;
  readonly startLine?: string;
  /** Header lines replacing the defaults of the same name, or added. */
  readonly headers?: readonly string[];
  readonly body?: string;
  readonly contentType?: string;
  /** Start line and framing are valid: the message must come out decoded, not as an error. */
  readonly valid: boolean;
}

const SDP_HEAD = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 96\r\n';

const CASES: readonly LongCase[] = [
  { name: 'Via with 1 MB of parameters', headers: [`Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-x${';p'.repeat(MB / 2)}`], valid: true },
  { name: 'Subject of 1 MB of spaces', headers: [`Subject: ${' '.repeat(MB)}x`], valid: true },
  { name: 'display name of 1 MB of escaped quotes', headers: [`From: "${'\\"'.repeat(MB / 2)}" <sip:alice@example.com>;tag=1`], valid: true },
  { name: 'unterminated quoted string of 1 MB', headers: [`Contact: "${'a'.repeat(MB)}`], valid: true },
  { name: '1 MB of unclosed angle brackets', headers: [`Contact: ${'<'.repeat(MB)}`], valid: true },
  { name: 'Route of 1 MB of comma-separated values', headers: [`Route: ${'<sip:a>,'.repeat(MB / 8)}`], valid: true },
  { name: 'header name of 1 MB', headers: [`X${'a'.repeat(MB)}: v`], valid: true },
  { name: 'header line of 1 MB without a colon', headers: ['a'.repeat(MB)], valid: false },
  { name: 'header folded over 1 MB of continuation lines', headers: [`Subject: a${'\r\n b'.repeat(MB / 4)}`], valid: true },
  { name: 'Request-URI of 1 MB', startLine: `INVITE sip:${'a'.repeat(MB)}@example.com SIP/2.0`, valid: true },
  { name: 'Authorization with a 1 MB nonce', headers: [`Authorization: Digest username="u", realm="r", nonce="${'A'.repeat(MB)}", uri="sip:r", response=""`], valid: true },
  { name: 'WWW-Authenticate with 1 MB of parameters', headers: [`WWW-Authenticate: Digest ${'a=b,'.repeat(MB / 4)}`], valid: true },
  { name: 'Security-Client with 1 MB of parameters', headers: [`Security-Client: ipsec-3gpp${';alg=x'.repeat(MB / 6)}`], valid: true },
  { name: 'CSeq of 1 MB of digits', headers: [`CSeq: ${'1'.repeat(MB)} INVITE`], valid: true },
  { name: 'Content-Length of 1 MB of zeros', headers: [`Content-Length: ${'0'.repeat(MB)}`], valid: true },
  { name: 'P-Access-Network-Info of 1 MB', headers: [`P-Access-Network-Info: 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=${'f'.repeat(MB)}`], valid: true },
  { name: 'URI of 1 MB of percent signs', headers: [`To: <sip:${'%'.repeat(MB)}@example.com>`], valid: true },
  { name: '125,000 short header lines', headers: Array.from({ length: MB / 8 }, () => 'X-A: b'), valid: true },
  { name: 'SDP a=fmtp line of 1 MB', body: `${SDP_HEAD}a=rtpmap:96 AMR-WB/16000\r\na=fmtp:96 mode-set=${'0,'.repeat(MB / 2)}0\r\n`, contentType: 'application/sdp', valid: true },
  { name: 'SDP m= line with 1 MB of payload types', body: `${SDP_HEAD.replace('m=audio 4000 RTP/AVP 96\r\n', `m=audio 4000 RTP/AVP${' 96'.repeat(MB / 3)}\r\n`)}`, contentType: 'application/sdp', valid: true },
  { name: 'SDP with 1 MB of a= lines', body: `${SDP_HEAD}${'a=rtpmap:96 AMR-WB/16000\r\n'.repeat(MB / 26)}`, contentType: 'application/sdp', valid: true },
  { name: 'SDP c= address of 1 MB', body: `${SDP_HEAD.replace('c=IN IP4 192.0.2.1', `c=IN IP4 ${'1.'.repeat(MB / 2)}1`)}`, contentType: 'application/sdp', valid: true },
  { name: 'SDP line of 1 MB without a line end', body: `${SDP_HEAD}a=${'x'.repeat(MB)}`, contentType: 'application/sdp', valid: true },
  { name: 'SDP fmtp of 1 MB of semicolons', body: `${SDP_HEAD}a=fmtp:96 ${';'.repeat(MB)}\r\n`, contentType: 'application/sdp', valid: true },
];

const BASELINE: LongCase = { name: 'a plain 1 MB body', startLine: 'MESSAGE sip:bob@example.com SIP/2.0', body: 'x'.repeat(MB), contentType: 'text/plain', valid: true };

function message(c: LongCase, index: number): Uint8Array {
  const body = c.body ?? '';
  const defaults = [
    'Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-long',
    'From: <sip:alice@example.com>;tag=1',
    'To: <sip:bob@example.com>',
    `Call-ID: long-${index}@192.0.2.1`,
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    ...(c.contentType !== undefined ? [`Content-Type: ${c.contentType}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  const replaced = new Set((c.headers ?? []).map((h) => h.slice(0, h.indexOf(':') + 1)).filter((n) => n.length > 1));
  const headers = [...defaults.filter((h) => !replaced.has(h.slice(0, h.indexOf(':') + 1))), ...(c.headers ?? [])];
  return text(`${c.startLine ?? 'INVITE sip:bob@example.com SIP/2.0'}\r\n${headers.join('\r\n')}\r\n\r\n${body}`);
}

/** The message as a TCP stream to port 5060, one frame per 60,000 bytes. */
function capture(c: LongCase, index: number): Uint8Array {
  const bytes = message(c, index);
  const frames: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += SEGMENT) {
    frames.push(ipTcp({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 40000 + index, dstPort: 5060, seq: 1 + at }, bytes.subarray(at, at + SEGMENT)));
  }
  return writePcap(frames.map((f) => ({ bytes: f })));
}

interface Counts {
  readonly sip: number;
  readonly undecodable: number;
}

test('1 MB SIP header values and SDP lines: every command in about the time of a plain 1 MB message', async (t) => {
  const { pool, scratch, commands } = await harness(t, 60_000);
  const infoJson: CommandVariant = { label: 'info --format json', argv: (capture) => ['info', capture, '--format', 'json'] };
  const choices = [
    { command: 'info', variant: infoJson },
    ...commands
      .filter((c) => c.name !== 'info')
      .map((c) => ({ command: c.name, variant: c.variants[0] as CommandVariant })),
  ];
  const run = async (c: LongCase, index: number): Promise<{ ms: number; counts: Counts }> => {
    const r = await runOnCapture(pool, choices, capture(c, index), join(scratch.root, `case-${index}`), 'long.pcap', scratch.cwd);
    r.cleanup();
    for (const k of r.cases) assert.equal(k.verdict, undefined, `${c.name}: ${k.variant.label}: ${k.verdict?.reason ?? ''}`);
    const info = r.cases[0]?.outcome.reply;
    const report = JSON.parse(info?.stdoutHead ?? '{}') as { applicationMessages?: Record<string, number>; undecodableMessages?: number };
    const ms = Math.max(...r.cases.map((k) => k.outcome.ms));
    return { ms, counts: { sip: report.applicationMessages?.sip ?? 0, undecodable: report.undecodableMessages ?? 0 } };
  };

  // Warm the workers up, then time the plain message: the yardstick for this machine's load.
  await run(BASELINE, 1000);
  const baseline = await run(BASELINE, 1001);
  assert.equal(baseline.counts.sip, 1, 'the plain 1 MB message is decoded');
  const limit = 2000 + 20 * baseline.ms;
  for (const [i, c] of CASES.entries()) {
    const { ms, counts } = await run(c, i);
    assert.ok(ms < limit, `${c.name}: ${Math.round(ms)} ms, a plain 1 MB message takes ${Math.round(baseline.ms)} ms`);
    if (c.valid) assert.equal(counts.sip, 1, `${c.name}: decoded as a SIP message`);
    else assert.equal(counts.sip + counts.undecodable, 1, `${c.name}: counted, decoded or not`);
  }
});
