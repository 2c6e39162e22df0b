// For the corpus acceptance tests: tshark supplies each frame's innermost transport payload
// (after its IP reassembly, tunnels and NULL-ESP decoding) and its own SIP findings per frame;
// the payloads then go through this project's decoders the way the pipeline wires them:
// datagrams to decodeSipMessage when looksLikeSip, TCP streams to SipStreamFramer, or to
// WebSocketStream when the stream opens with an HTTP upgrade.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { isDecodeError } from '../../../src/decode-error.js';
import { decodeSipMessage, looksLikeSip } from '../../../src/protocols/sip/decode.js';
import type { SipMessage } from '../../../src/protocols/sip/message.js';
import { SipStreamFramer } from '../../../src/protocols/sip/stream-framer.js';
import { WS_OPCODE } from '../../../src/protocols/websocket/frame.js';
import { looksLikeHttpHandshake } from '../../../src/protocols/websocket/handshake.js';
import { WebSocketStream } from '../../../src/protocols/websocket/stream.js';
import { corpusFile, needTools } from '../../support/environment.js';
import { runTshark, SIP_DISSECTION_ARGS } from './tshark-oracle.js';

export interface TransportPayload {
  readonly frameNo: number;
  readonly ts: number;
  readonly transport: 'udp' | 'tcp' | 'sctp';
  /** TCP: stream index and direction ("3:5060>40000"). */
  readonly stream?: string;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly bytes: Uint8Array;
}

export interface CaptureView {
  readonly payloads: TransportPayload[];
  /** tshark's SIP messages per frame: "METHOD Call-ID" or "STATUS Call-ID". */
  readonly oracle: Map<number, string[]>;
  /** For SIP frames tshark reassembled from several TCP segments: the first segment's frame. */
  readonly firstSegment: Map<number, number>;
}

const FIELDS = [
  'frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst',
  'udp.srcport', 'udp.dstport', 'udp.payload', 'tcp.stream', 'tcp.srcport', 'tcp.dstport', 'tcp.payload',
  'tcp.analysis.retransmission', 'tcp.segment', 'sip.Method', 'sip.Status-Code', 'sip.Call-ID',
] as const;

async function runFields(file: string, fields: readonly string[], extra: readonly string[]): Promise<string[][]> {
  const args = ['-r', file, ...SIP_DISSECTION_ARGS, ...extra, '-T', 'fields', '-E', 'occurrence=a', '-E', 'separator=\t'];
  for (const f of fields) args.push('-e', f);
  const stdout = await runTshark(args);
  return stdout.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

const last = (cell: string | undefined): string => (cell ?? '').split(',').at(-1) ?? '';
const all = (cell: string | undefined): string[] => ((cell ?? '') === '' ? [] : (cell ?? '').split(','));

export async function captureView(file: string): Promise<CaptureView> {
  const payloads: TransportPayload[] = [];
  const oracle = new Map<number, string[]>();
  const firstSegment = new Map<number, number>();
  let sctpFrames = false;
  for (const row of await runFields(file, FIELDS, [])) {
    const get = (name: (typeof FIELDS)[number]): string | undefined => row[FIELDS.indexOf(name)];
    const frameNo = Number(get('frame.number'));
    const ts = Number(get('frame.time_epoch'));
    const src = last(get('ipv6.src')) || last(get('ip.src'));
    const dst = last(get('ipv6.dst')) || last(get('ip.dst'));
    const methods = all(get('sip.Method'));
    const statuses = all(get('sip.Status-Code'));
    const callIds = all(get('sip.Call-ID'));
    if (methods.length + statuses.length > 0) {
      // One SIP message per frame in the corpus: a method or a status, and its Call-ID.
      oracle.set(frameNo, [...methods, ...statuses].map((s, i) => `${s} ${callIds[i] ?? ''}`));
      const segments = all(get('tcp.segment'));
      if (segments.length > 0) firstSegment.set(frameNo, Number(segments[0]));
    }
    const tcpHex = last(get('tcp.payload'));
    const udpHex = last(get('udp.payload'));
    if (tcpHex !== '' && get('tcp.analysis.retransmission') === '') {
      const srcPort = Number(last(get('tcp.srcport')));
      const dstPort = Number(last(get('tcp.dstport')));
      const stream = `${last(get('tcp.stream'))}:${srcPort}>${dstPort}`;
      payloads.push({ frameNo, ts, transport: 'tcp', stream, src, dst, srcPort, dstPort, bytes: Uint8Array.from(Buffer.from(tcpHex, 'hex')) });
    } else if (udpHex !== '') {
      payloads.push({ frameNo, ts, transport: 'udp', src, dst, srcPort: Number(last(get('udp.srcport'))), dstPort: Number(last(get('udp.dstport'))), bytes: Uint8Array.from(Buffer.from(udpHex, 'hex')) });
    } else if (tcpHex === '' && udpHex === '' && methods.length + statuses.length > 0) {
      sctpFrames = true;
    }
  }
  if (sctpFrames) {
    // SCTP user messages: with the SIP dissector off, tshark hands them to "data".
    const sctpFields = ['frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'sctp.srcport', 'sctp.dstport', 'data.data'];
    for (const row of await runFields(file, sctpFields, ['--disable-protocol', 'sip'])) {
      if ((row[6] ?? '') === '') continue;
      for (const hex of all(row[6])) {
        payloads.push({ frameNo: Number(row[0]), ts: Number(row[1]), transport: 'sctp', src: row[2] ?? '', dst: row[3] ?? '', srcPort: Number(row[4]), dstPort: Number(row[5]), bytes: Uint8Array.from(Buffer.from(hex, 'hex')) });
      }
    }
    payloads.sort((a, b) => a.frameNo - b.frameNo);
  }
  return { payloads, oracle, firstSegment };
}

export interface DecodedSip {
  readonly frameNo: number;
  readonly firstFrameNo: number;
  readonly payload: TransportPayload;
  readonly message: SipMessage;
  readonly transport: string;
}

/** Runs the project's decoders over the payloads, in frame order. */
export function decodeSipPayloads(payloads: readonly TransportPayload[]): { messages: DecodedSip[]; problems: string[] } {
  const messages: DecodedSip[] = [];
  const problems: string[] = [];
  const sipStreams = new Map<string, SipStreamFramer>();
  const wsStreams = new Map<string, WebSocketStream>();
  for (const p of payloads) {
    if (p.transport !== 'tcp') {
      if (!looksLikeSip(p.bytes)) continue;
      const m = decodeSipMessage(p.bytes);
      if (isDecodeError(m)) problems.push(`frame ${p.frameNo}: ${m.reason}`);
      else messages.push({ frameNo: p.frameNo, firstFrameNo: p.frameNo, payload: p, message: m, transport: p.transport });
      continue;
    }
    const key = p.stream ?? '';
    let ws = wsStreams.get(key);
    let framer = sipStreams.get(key);
    if (ws === undefined && framer === undefined) {
      if (looksLikeHttpHandshake(p.bytes)) {
        ws = new WebSocketStream();
        wsStreams.set(key, ws);
      } else {
        framer = new SipStreamFramer();
        sipStreams.set(key, framer);
      }
    }
    if (ws !== undefined) {
      for (const item of ws.push(p.bytes, p.frameNo, p.ts)) {
        if (item.kind !== 'message' || (item.opcode !== WS_OPCODE.text && item.opcode !== WS_OPCODE.binary)) continue;
        const m = decodeSipMessage(item.payload);
        if (isDecodeError(m)) problems.push(`frame ${item.frameNo}: websocket message is not SIP: ${m.reason}`);
        else messages.push({ frameNo: item.frameNo, firstFrameNo: item.firstFrameNo, payload: p, message: m, transport: 'websocket' });
      }
    } else if (framer !== undefined) {
      for (const item of framer.push(p.bytes, p.frameNo, p.ts)) {
        if (item.kind === 'message') messages.push({ frameNo: item.frameNo, firstFrameNo: item.firstFrameNo, payload: p, message: item.message, transport: 'tcp' });
      }
    }
  }
  return { messages, problems };
}

/** The decoded messages in the oracle's shape: frame → ["METHOD Call-ID" | "STATUS Call-ID"]. */
export function asOracle(messages: readonly DecodedSip[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const d of messages) {
    const label = `${d.message.method ?? d.message.statusCode ?? '?'} ${d.message.callId ?? ''}`;
    const list = out.get(d.frameNo);
    if (list === undefined) out.set(d.frameNo, [label]);
    else list.push(label);
  }
  return out;
}

/**
 * One sub-test per corpus capture (two at a time): the SIP messages decoded from its payloads
 * equal tshark's per frame, then `more` checks what else the capture must show.
 */
export async function eachCaptureAgainstTshark(t: TestContext, captures: readonly string[], more?: (messages: readonly DecodedSip[], view: CaptureView) => void): Promise<void> {
  if (!needTools(t, 'tshark')) return;
  await Promise.all(
    captures.map((name) =>
      t.test(name, async (st) => {
        const file = corpusFile(st, name);
        if (file === undefined) return;
        const view = await captureView(file);
        assert.ok(view.oracle.size > 0, 'tshark found SIP');
        const { messages, problems } = decodeSipPayloads(view.payloads);
        assert.deepEqual(problems, []);
        assert.deepEqual(asOracle(messages), view.oracle);
        more?.(messages, view);
      }),
    ),
  );
}
