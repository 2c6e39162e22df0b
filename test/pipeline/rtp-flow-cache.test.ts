// The RTP flow cache must change nothing but speed: every capture is run twice, with the cache
// and without it (every frame through the full network walk, every packet in capture order),
// and what the pass counts and what extract-amr, the stream table and a plain recorder of RTP
// events make of it must be identical. The synthetic capture is built to break a cache that
// trusts too much: calls overlapping and ending (BYE deadlines while others talk), a codec
// change by re-INVITE, DTMF and SSRC changes on a flow, and RTP frames rewritten into VLAN tags,
// IPv4 options, fragments, padding, CSRCs, header extensions, Ethernet trailers, cut frames,
// RTCP and garbage on the media port, timestamps out of order.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runPass, type PassResult } from '../../src/pipeline/pass.js';
import type { PassHandlers, RtpEvent } from '../../src/pipeline/events.js';
import { AmrExtractor } from '../../src/analysis/amr-extract/extractor.js';
import type { ExtractSink } from '../../src/analysis/amr-extract/types.js';
import { RtpStreamTable } from '../../src/analysis/rtp-streams.js';
import { MemoryByteSink } from '../../src/media/byte-sink.js';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW, tempCaptureFile, writePcap, type FixtureRecord } from '../fixtures/capture-writer.js';
import { buildRtp, synthFrames } from '../fixtures/amr-frames.js';
import { amrFormat, amrRtpPackets, buildCallCapture, callFlow, plainRtpPackets, reInvite, telephoneEventFormat, type CallSpec, type SdpSpec } from '../fixtures/call-capture.js';
import { concat, ethernet, gtpu, ipv4, ipv4Fragments, ipv6, PROTO, sll, sll2, udp } from '../fixtures/packets.js';
import { corpusCaptures, repoRoot } from '../support/environment.js';

class Sink extends MemoryByteSink implements ExtractSink {
  committed = false;
  commit(): void {
    this.committed = true;
  }
  abort(): void {}
}

/** What one consumer made of a capture, as comparable text. */
type Outcome = string;

const consumers: Record<string, () => { handlers: PassHandlers; outcome: () => Outcome }> = {
  'extract-amr': () => {
    const files = new Map<string, Sink>();
    const x = new AmrExtractor({ sinks: (name) => files.set(name, new Sink()).get(name) as Sink });
    return {
      handlers: x.handlers(),
      outcome: () => {
        const report = x.finish();
        const bytes = [...files].map(([name, s]) => `${name} ${s.committed} ${Buffer.from(s.bytes()).toString('base64')}`);
        return JSON.stringify({ report, bytes });
      },
    };
  },
  'extract-amr 3gp': () => {
    const files = new Map<string, Sink>();
    const x = new AmrExtractor({ container: '3gp', closeAfterByeSeconds: 1, sinks: (name) => files.set(name, new Sink()).get(name) as Sink });
    return {
      handlers: x.handlers(),
      outcome: () => JSON.stringify({ report: x.finish(), bytes: [...files].map(([name, s]) => `${name} ${Buffer.from(s.bytes()).toString('base64')}`) }),
    };
  },
  // The same, with queued packets handed on one by one (rtp() per packet) rather than per flow.
  'extract-amr, queued one by one': () => {
    const files = new Map<string, Sink>();
    const x = new AmrExtractor({ sinks: (name) => files.set(name, new Sink()).get(name) as Sink });
    const { rtpQueued: _batch, ...handlers } = x.handlers();
    return {
      handlers,
      outcome: () => JSON.stringify({ report: x.finish(), bytes: [...files].map(([name, s]) => `${name} ${Buffer.from(s.bytes()).toString('base64')}`) }),
    };
  },
  streams: () => {
    const table = new RtpStreamTable();
    return { handlers: table.handlers(), outcome: () => JSON.stringify(table.finish()) };
  },
  // No permits: every RTP event must come in capture order, exactly as the walk hands it on.
  'event order': () => {
    const seen: string[] = [];
    const record = (e: RtpEvent): void => {
      const p = e.packet;
      const m = e.meta;
      seen.push(`${m.frameNo} ${m.firstFrameNo} ${m.ts} ${m.transport} ${m.src}:${m.srcPort}>${m.dst}:${m.dstPort} ${m.tunnel.length} ${p.ssrc} ${p.sequence} ${p.timestamp} ${p.payloadType} ${p.marker} ${p.csrcs.join(',')} ${p.extension?.profile ?? '-'} ${p.paddingLength} ${Buffer.from(p.payload).toString('hex')} ${e.binding?.callId ?? '-'} ${e.binding?.sdpFrameNo ?? '-'} ${e.boundBy}`);
    };
    return { handlers: { rtp: record, problem: (p) => seen.push(`problem ${p.frameNo} ${p.protocol} ${p.reason}`) }, outcome: () => seen.join('\n') };
  },
};

function passFacts(r: PassResult): string {
  return JSON.stringify({ capture: r.capture, net: { ...r.net, layerFrames: [...r.net.layerFrames], dropped: [...r.net.dropped] }, app: { ...r.app, messages: [...r.app.messages], frames: [...r.app.frames], errorsByProtocol: [...r.app.errorsByProtocol] } });
}

interface Compared {
  /** Per consumer: frames the cache took past the walk, and how many of them waited in its queue. */
  readonly cache: Map<string, { taken: number; queued: number }>;
}

async function compareWithAndWithout(path: string): Promise<Compared> {
  const cache = new Map<string, { taken: number; queued: number }>();
  for (const [name, make] of Object.entries(consumers)) {
    const off = make();
    const on = make();
    const walked = await runPass(path, off.handlers, { rtpHeuristic: true, rtpFlowCache: false }).catch((e: unknown) => e as Error);
    const cached = await runPass(path, on.handlers, { rtpHeuristic: true }).catch((e: unknown) => e as Error);
    if (walked instanceof Error || cached instanceof Error) {
      assert.equal(String(cached), String(walked), `${path}: ${name}: fails the same way`);
      continue;
    }
    assert.equal(walked.rtpFlowCache, undefined);
    assert.equal(passFacts(cached), passFacts(walked), `${path}: ${name}: the pass counts the same`);
    const a = off.outcome();
    const b = on.outcome();
    if (a !== b) {
      const al = a.split('\n');
      const bl = b.split('\n');
      const at = al.findIndex((l, i) => l !== bl[i]);
      assert.fail(`${path}: ${name}: differs with the flow cache (first at line ${at + 1}):\nwithout: ${al[at]?.slice(0, 400)}\nwith:    ${bl[at]?.slice(0, 400)}`);
    }
    cache.set(name, cached.rtpFlowCache ?? { taken: 0, queued: 0 });
  }
  return { cache };
}

// ---- the synthetic capture ------------------------------------------------------------------

const WB = (pt: number): SdpSpec['formats'][number] => amrFormat(pt, true, { octetAlign: true, modeChangeCapability: 2, maxRed: 0 });
const NB = (pt: number): SdpSpec['formats'][number] => amrFormat(pt, false, { octetAlign: false, modeChangeCapability: 2, maxRed: 0 });

function calls(ipv6 = false): CallSpec[] {
  const out: CallSpec[] = [];
  // Four calls talking at once, ending at different times; media goes on for 3 s after each BYE.
  for (let c = 0; c < 4; c++) {
    const caller = { ip: ipv6 ? `2001:db8:a::${10 + c}` : `192.0.2.${10 + c}` };
    const callee = { ip: ipv6 ? `2001:db8:b::${20 + c}` : `198.51.100.${20 + c}` };
    const offer: SdpSpec = { port: 40000 + 2 * c, formats: [WB(96), telephoneEventFormat(100, 16000)] };
    const answer: SdpSpec = { port: 50000 + 2 * c, formats: [WB(96), telephoneEventFormat(100, 16000)] };
    const byeAt = 5 + 2 * c;
    const a = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xa000 + c, frames: synthFrames(true, c, Math.round((byeAt + 3) * 50)), start: 0.6, framesPerPacket: (i) => 1 + (i % 2), lose: [7, 40], duplicate: [12], delay: [20, 90] });
    const b = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xb000 + c, frames: synthFrames(true, 10 + c, Math.round((byeAt + 3) * 50)), start: 0.61, firstSequence: 65530 });
    const steps: CallSpec['steps'][number][] = [...callFlow({ offer, answer, byeAt }), { from: 'caller', packets: a.packets }, { from: 'callee', packets: b.packets }];
    if (c === 1) {
      // DTMF on the caller's flow (same SSRC), and an SSRC change on the callee's flow at 3 s.
      steps.push({ from: 'caller', packets: plainRtpPackets({ payloadType: 100, ssrc: 0xa001, start: 2.005, count: 10, payload: (i) => Uint8Array.of(5, i === 9 ? 0x80 : 0, 0, 160), samplesPerPacket: 0, firstSequence: 30000, firstTimestamp: 1234 }) });
      const b2 = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0xb0b1, frames: synthFrames(true, 77, 100), start: 3.001 });
      steps.push({ from: 'callee', packets: b2.packets });
    }
    if (c === 2) {
      // A re-INVITE moves the call to AMR (bandwidth-efficient) on the same ports: a new file per stream.
      steps.push(...reInvite(4, 'caller', { port: offer.port, formats: [NB(97)] }, { port: answer.port, formats: [NB(97)] }));
      const nb = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 97, ssrc: 0xa002, frames: synthFrames(false, 5, 150), start: 4.1, firstSequence: 5000 });
      steps.push({ from: 'caller', packets: nb.packets });
    }
    out.push({ callId: `cache-${c}@test`, caller, callee, steps });
  }
  return out;
}

/** The pcap the fixture writes (nanosecond, little-endian), back to records. */
function records(pcap: Uint8Array): FixtureRecord[] {
  const v = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const out: FixtureRecord[] = [];
  for (let at = 24; at + 16 <= pcap.length; ) {
    const capLen = v.getUint32(at + 8, true);
    out.push({ tsSec: v.getUint32(at, true), tsNsec: v.getUint32(at + 4, true), bytes: pcap.slice(at + 16, at + 16 + capLen), origLen: v.getUint32(at + 12, true) });
    at += 16 + capLen;
  }
  return out;
}

interface PlainRtp {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly rtp: Uint8Array;
}

/** An Ethernet / IPv4 (no options) / UDP frame carrying RTP, taken apart. */
function plainRtp(frame: Uint8Array): PlainRtp | undefined {
  if (frame[12] !== 0x08 || frame[13] !== 0 || frame[14] !== 0x45 || frame[23] !== PROTO.udp) return undefined;
  const ip = (o: number): string => `${frame[o]}.${frame[o + 1]}.${frame[o + 2]}.${frame[o + 3]}`;
  const port = (o: number): number => ((frame[o] as number) << 8) | (frame[o + 1] as number);
  const srcPort = port(34);
  const dstPort = port(36);
  if (srcPort === 5060 || dstPort === 5060 || (frame[42] as number) >> 6 !== 2) return undefined;
  return { src: ip(26), dst: ip(30), srcPort, dstPort, rtp: frame.subarray(42, 14 + port(16)) };
}

function frameOf(p: PlainRtp, rtp: Uint8Array, o: { vlan?: number; ipOptions?: boolean } = {}): Uint8Array {
  const packet = ipv4({ src: p.src, dst: p.dst, proto: PROTO.udp, ...(o.ipOptions ? { options: Uint8Array.of(1, 1, 1, 0) } : {}) }, udp({ srcPort: p.srcPort, dstPort: p.dstPort }, rtp));
  return ethernet(o.vlan !== undefined ? { vlan: [o.vlan] } : {}, packet);
}

/** The same RTP packet rebuilt with padding, CSRCs or a header extension (same payload). */
function rebuilt(rtp: Uint8Array, extra: 'padding' | 'csrc' | 'extension'): Uint8Array {
  const v = new DataView(rtp.buffer, rtp.byteOffset, rtp.byteLength);
  return buildRtp({
    payloadType: (rtp[1] as number) & 0x7f,
    marker: ((rtp[1] as number) & 0x80) !== 0,
    sequence: v.getUint16(2),
    timestamp: v.getUint32(4),
    ssrc: v.getUint32(8),
    payload: rtp.subarray(12),
    ...(extra === 'padding' ? { padding: 3 } : extra === 'csrc' ? { csrcs: [0x11223344] } : { extension: { profile: 0xbede, data: Uint8Array.of(0x10, 0xaa, 0, 0) } }),
  });
}

/** Rewrites RTP frames of the capture, one kind of trouble after another; returns the count of each. */
function roughen(input: FixtureRecord[]): { records: FixtureRecord[]; kinds: Map<string, number> } {
  const out: FixtureRecord[] = [];
  const kinds = new Map<string, number>();
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const r = input[i] as FixtureRecord;
    const p = plainRtp(r.bytes);
    if (p === undefined || r.origLen !== r.bytes.length) {
      out.push(r);
      continue;
    }
    n++;
    const kind = n % 97 === 3 ? 'vlan' : n % 89 === 5 ? 'ip-options' : n % 83 === 7 ? 'fragments' : n % 79 === 9 ? 'padding' : n % 73 === 11 ? 'csrc' : n % 71 === 13 ? 'extension' : n % 67 === 15 ? 'rtcp-mux' : n % 61 === 17 ? 'not-rtp' : n % 59 === 19 ? 'trailer' : n % 53 === 21 ? 'time-backwards' : n % 47 === 23 ? 'cut' : n % 43 === 25 ? 'rtcp-pt' : undefined;
    if (kind === undefined) {
      out.push(r);
      continue;
    }
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const at = { ...(r.tsSec !== undefined ? { tsSec: r.tsSec } : {}), ...(r.tsNsec !== undefined ? { tsNsec: r.tsNsec } : {}) };
    switch (kind) {
      case 'vlan':
        out.push({ ...at, bytes: frameOf(p, p.rtp, { vlan: 7 }) });
        break;
      case 'ip-options':
        out.push({ ...at, bytes: frameOf(p, p.rtp, { ipOptions: true }) });
        break;
      case 'fragments': {
        const whole = ipv4({ src: p.src, dst: p.dst, proto: PROTO.udp, id: 4242 + n }, udp({ srcPort: p.srcPort, dstPort: p.dstPort }, p.rtp));
        for (const f of ipv4Fragments(whole, 24)) out.push({ ...at, bytes: ethernet({}, f) });
        break;
      }
      case 'padding':
      case 'csrc':
      case 'extension':
        out.push({ ...at, bytes: frameOf(p, rebuilt(p.rtp, kind)) });
        break;
      case 'rtcp-mux':
        // An RTCP receiver report on the RTP port (RFC 5761 §4), then the packet.
        out.push({ ...at, bytes: frameOf(p, Uint8Array.of(0x80, 201, 0, 1, 0, 0, 0xa0, 0x01)) }, r);
        break;
      case 'not-rtp':
        out.push({ ...at, bytes: frameOf(p, concat(Uint8Array.of(0x00, 0x60), p.rtp.subarray(2))) }, r);
        break;
      case 'trailer':
        out.push({ ...at, bytes: concat(r.bytes, new Uint8Array(6)) });
        break;
      case 'time-backwards':
        // Captured now, stamped 4 s later: a BYE deadline may fall between.
        out.push({ ...r, tsSec: (r.tsSec ?? 0) + 4 });
        break;
      case 'cut':
        out.push({ ...at, bytes: r.bytes.subarray(0, r.bytes.length - 1), origLen: r.bytes.length });
        break;
      case 'rtcp-pt': {
        // Marker set and payload type 72 (octet 200): what RFC 5761 §4 reads as RTCP.
        const rtp = p.rtp.slice();
        rtp[1] = 200;
        out.push({ ...at, bytes: frameOf(p, rtp) });
        break;
      }
    }
  }
  return { records: out, kinds };
}

test('the flow cache changes nothing: a rough synthetic capture, with and without it', async (t: TestContext) => {
  const built = buildCallCapture(calls());
  const { records: rough, kinds } = roughen(records(built.pcap()));
  // Every kind of trouble is in the capture at least twice.
  for (const kind of ['vlan', 'ip-options', 'fragments', 'padding', 'csrc', 'extension', 'rtcp-mux', 'not-rtp', 'trailer', 'time-backwards', 'cut', 'rtcp-pt']) {
    assert.ok((kinds.get(kind) ?? 0) >= 2, `${kind}: ${kinds.get(kind) ?? 0}`);
  }
  const path = tempCaptureFile(t, 'rough.pcap', writePcap(rough, { nanosecond: true }));
  const { cache } = await compareWithAndWithout(path);
  // The comparison means something only if the cache took part: most RTP went past the walk,
  // and, for the consumers that give permits, at least half of it waited in the queue.
  const rtpFrames = rough.length - built.frames.filter((f) => f.kind === 'sip').length;
  for (const [name, c] of cache) {
    assert.ok(c.taken > rtpFrames * 0.8, `${name}: ${c.taken} of ${rtpFrames} RTP frames taken`);
    if (name === 'event order') assert.equal(c.queued, 0, 'no permits, no queue');
    else assert.ok(c.queued > c.taken / 2, `${name}: ${c.queued} of ${c.taken} queued`);
  }
});

test('the flow cache changes nothing: the shipped samples', async () => {
  const dir = join(repoRoot, 'samples');
  for (const name of readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f))) await compareWithAndWithout(join(dir, name));
});

test('the flow cache changes nothing: every corpus capture', async (t) => {
  const captures = corpusCaptures(t);
  if (captures === undefined) return;
  for (const path of captures) await compareWithAndWithout(path);
});

test('a BYE is a barrier: a packet queued before it, stamped past the call’s deadline, cannot close the call early', async (t: TestContext) => {
  // Call X's media starts first (its flow leads the queue); call Y ends with a BYE at 4 s. One X
  // packet captured at 3.5 s carries a timestamp 7 s later, past Y's deadline (BYE + 1 s). In
  // capture order it comes before the BYE, when no deadline exists, so Y keeps one file per stream.
  const x = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x5151, frames: synthFrames(true, 1, 400), start: 0.55 });
  const ya = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x7171, frames: synthFrames(true, 2, 170), start: 0.6 });
  const yb = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x7272, frames: synthFrames(true, 3, 170), start: 0.6 });
  const sdp = (port: number): SdpSpec => ({ port, formats: [WB(96)] });
  const built = buildCallCapture([
    { callId: 'x@test', caller: { ip: '192.0.2.50' }, callee: { ip: '198.51.100.50' }, steps: [...callFlow({ offer: sdp(42000), answer: sdp(52000), byeAt: 9, answeredAt: 0.4 }), { from: 'caller', packets: x.packets }] },
    { callId: 'y@test', caller: { ip: '192.0.2.60' }, callee: { ip: '198.51.100.60' }, steps: [...callFlow({ offer: sdp(43000), answer: sdp(53000), byeAt: 4, answeredAt: 0.45 }), { from: 'caller', packets: ya.packets }, { from: 'callee', packets: yb.packets }] },
  ]);
  const all = records(built.pcap());
  const late = built.frames.reduce((last, f, i) => (f.callId === 'x@test' && f.kind === 'rtp' && f.at < 3.6 ? i : last), -1);
  const moved = all[late] as FixtureRecord;
  all[late] = { ...moved, tsSec: (moved.tsSec ?? 0) + 7 };
  const path = tempCaptureFile(t, 'bye.pcap', writePcap(all, { nanosecond: true }));
  const files = new Map<string, Sink>();
  const extractor = new AmrExtractor({ closeAfterByeSeconds: 1, sinks: (name) => files.set(name, new Sink()).get(name) as Sink });
  const pass = await runPass(path, extractor.handlers(), { rtpHeuristic: true });
  assert.ok((pass.rtpFlowCache?.queued ?? 0) > 0);
  const report = extractor.finish();
  for (const ssrc of [0x7171, 0x7272]) {
    const s = report.streams.find((r) => r.stream.ssrc === ssrc);
    assert.equal(s?.outputs.length, 1, `stream ${ssrc.toString(16)}: one file`);
  }
  await compareWithAndWithout(path);
});

test('permits: given for a steady stream, closed by a packet that is not, by a file closed, and at the end', async (t: TestContext) => {
  const audio = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x6161, frames: synthFrames(true, 4, 200), start: 0.6 });
  const dtmf = plainRtpPackets({ payloadType: 100, ssrc: 0x6161, start: 2.005, count: 3, payload: () => Uint8Array.of(5, 0, 0, 160), samplesPerPacket: 0, firstSequence: 9000 });
  const sdp = (port: number): SdpSpec => ({ port, formats: [WB(96), telephoneEventFormat(100, 16000)] });
  const built = buildCallCapture([{ callId: 'permit@test', caller: { ip: '192.0.2.70' }, callee: { ip: '198.51.100.70' }, steps: [...callFlow({ offer: sdp(44000), answer: sdp(54000), byeAt: 3 }), { from: 'caller', packets: [...audio.packets, ...dtmf] }] }]);
  const path = tempCaptureFile(t, 'permit.pcap', built.pcap());
  const extractor = new AmrExtractor({ closeAfterByeSeconds: 0.5, sinks: () => new Sink() });
  const handlers = extractor.handlers();
  const given: { frameNo: number; pt: number; permit: { readonly open: boolean } }[] = [];
  const ask = handlers.rtpPermit as NonNullable<PassHandlers['rtpPermit']>;
  await runPass(path, { ...handlers, rtpPermit: (e) => {
    const permit = ask(e);
    if (permit !== undefined) given.push({ frameNo: e.meta.frameNo, pt: e.packet.payloadType, permit });
    return permit;
  } }, { rtpHeuristic: true });
  const firstDtmf = built.frames.find((f) => f.kind === 'rtp' && f.at >= 2.005)?.frameNo ?? 0;
  const before = given.filter((g) => g.frameNo < firstDtmf && g.pt === 96);
  assert.ok(before.length > 0, 'the audio stream got a permit');
  assert.ok(before.every((g) => !g.permit.open), 'the first DTMF packet closed every audio permit');
  const open = given.filter((g) => g.permit.open);
  assert.ok(open.length > 0, 'a permit stands at the end of the pass');
  extractor.finish();
  assert.ok(given.every((g) => !g.permit.open), 'completing the files closed every permit');
});

/** The Ethernet frame's payload (after any VLAN tags) and its EtherType. */
function unwrapEthernet(frame: Uint8Array): { type: number; payload: Uint8Array } {
  let at = 12;
  let type = ((frame[at] as number) << 8) | (frame[at + 1] as number);
  while (type === 0x8100) {
    at += 4;
    type = ((frame[at] as number) << 8) | (frame[at + 1] as number);
  }
  return { type, payload: frame.subarray(at + 2) };
}

/** The same frames on another link: Linux cooked v1 / v2, raw IP, or Ethernet with a VLAN tag on every frame (two on those that had one). */
function relink(input: FixtureRecord[], link: 'sll' | 'sll2' | 'raw' | 'vlan'): { records: FixtureRecord[]; linkType: number } {
  const records = input.map((r) => {
    const { type, payload } = unwrapEthernet(r.bytes);
    const cut = (r.origLen ?? r.bytes.length) - r.bytes.length;
    let bytes: Uint8Array;
    if (link === 'sll') bytes = sll({ protocol: type }, payload);
    else if (link === 'sll2') bytes = sll2({ protocol: type }, payload);
    else if (link === 'raw') bytes = payload;
    else bytes = concat(r.bytes.subarray(0, 12), Uint8Array.of(0x81, 0x00, 0x00, 0x05), r.bytes.subarray(12));
    return { ...r, bytes, origLen: bytes.length + cut };
  });
  return { records, linkType: link === 'sll' ? LINKTYPE_LINUX_SLL : link === 'sll2' ? LINKTYPE_LINUX_SLL2 : link === 'raw' ? LINKTYPE_RAW : LINKTYPE_ETHERNET };
}

test('the flow cache changes nothing on other links: Linux cooked v1 and v2, raw IP, VLAN tags', async (t: TestContext) => {
  const built = buildCallCapture(calls());
  const { records: rough } = roughen(records(built.pcap()));
  const rtpFrames = rough.length - built.frames.filter((f) => f.kind === 'sip').length;
  for (const link of ['sll', 'sll2', 'raw', 'vlan'] as const) {
    const { records: relinked, linkType } = relink(rough, link);
    const { cache } = await compareWithAndWithout(tempCaptureFile(t, `${link}.pcap`, writePcap(relinked, { nanosecond: true, linkType })));
    const taken = cache.get('extract-amr')?.taken ?? 0;
    assert.ok(taken > rtpFrames * 0.8, `${link}: ${taken} of ${rtpFrames} RTP frames taken`);
  }
});

test('the flow cache changes nothing on IPv6, extension headers and fragments included', async (t: TestContext) => {
  const built = buildCallCapture(calls(true));
  let n = 0;
  const kinds = new Map<string, number>();
  const rough = records(built.pcap()).map((r) => {
    const { type, payload } = unwrapEthernet(r.bytes);
    if (type !== 0x86dd || payload[6] !== PROTO.udp) return r;
    const segment = payload.subarray(40);
    const dstPort = ((segment[2] as number) << 8) | (segment[3] as number);
    const srcPort = ((segment[0] as number) << 8) | (segment[1] as number);
    if (dstPort === 5060 || srcPort === 5060) return r;
    n++;
    const src = ipv6Text(payload.subarray(8, 24));
    const dst = ipv6Text(payload.subarray(24, 40));
    // A destination-options header (RFC 8200 §4.6), or a fragment header on an atomic fragment (RFC 6946).
    const kind = n % 31 === 4 ? 'destination-options' : n % 37 === 9 ? 'atomic-fragment' : n % 41 === 13 ? 'cut' : undefined;
    if (kind === undefined) return r;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    if (kind === 'cut') return { ...r, bytes: r.bytes.subarray(0, r.bytes.length - 2), origLen: r.bytes.length };
    const ext = kind === 'destination-options' ? [{ type: 60 }] : [{ type: 44, data: new Uint8Array(6) }];
    return { ...r, bytes: ethernet({}, ipv6({ src, dst, nextHeader: PROTO.udp, extHeaders: ext }, udp({ srcPort, dstPort }, segment.subarray(8)))) };
  });
  for (const kind of ['destination-options', 'atomic-fragment', 'cut']) assert.ok((kinds.get(kind) ?? 0) >= 2, `${kind}: ${kinds.get(kind) ?? 0}`);
  const rtpFrames = rough.length - built.frames.filter((f) => f.kind === 'sip').length;
  const { cache } = await compareWithAndWithout(tempCaptureFile(t, 'v6.pcap', writePcap(rough, { nanosecond: true })));
  for (const [name, c] of cache) assert.ok(c.taken > rtpFrames * 0.8, `${name}: ${c.taken} of ${rtpFrames} RTP frames taken`);
});

function ipv6Text(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return groups.join(':');
}

test('a packet the walk takes for RTCP (RFC 5761 §4) is never queued as RTP, whatever its payload type', async (t: TestContext) => {
  // Payload type 77 with the marker set is the octet 205 (RTCP RTPFB): while the sequence number
  // is small the length field fits the datagram, and the walk counts the packet as RTCP.
  const a = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 77, ssrc: 0x7777, frames: synthFrames(true, 8, 200), start: 0.6, firstSequence: 0 });
  const packets = a.packets.map((p, i) => {
    const bytes = p.bytes.slice();
    if (i > 3 && i < 18) bytes[1] = (bytes[1] as number) | 0x80;
    return { ...p, bytes };
  });
  const sdp = (port: number): SdpSpec => ({ port, formats: [WB(77)] });
  const built = buildCallCapture([{ callId: 'rtcp@test', caller: { ip: '192.0.2.80' }, callee: { ip: '198.51.100.80' }, steps: [...callFlow({ offer: sdp(45000), answer: sdp(55000), byeAt: 9 }), { from: 'caller', packets }] }]);
  const path = tempCaptureFile(t, 'rtcp.pcap', built.pcap());
  const walked = await runPass(path, {}, { rtpFlowCache: false });
  assert.ok((walked.app.messages.get('rtcp') ?? 0) >= 3, `the walk counts some packets as RTCP: ${JSON.stringify([...walked.app.messages])}`);
  const { cache } = await compareWithAndWithout(path);
  assert.ok((cache.get('extract-amr')?.queued ?? 0) > 100);
});

test('the flow cache changes nothing in GTP-U: IPv6 and IPv4 UEs (IPv4 transport), sequence numbers, extension headers, echo, cut frames', async (t: TestContext) => {
  const sdp = (port: number): SdpSpec => ({ port, formats: [WB(96)] });
  const calls: CallSpec[] = [0, 1].map((c) => {
    const v6 = c === 0;
    const ue = { ip: v6 ? '2001:db8:a::1' : '10.45.0.7', gtpu: { ran: '172.16.0.1', core: '172.16.0.2', uplinkTeid: 0x1111 + c, downlinkTeid: 0x2222 + c } };
    const peer = { ip: v6 ? '2001:db8:b::9' : '10.99.0.9' };
    const up = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x3000 + c, frames: synthFrames(true, 20 + c, 300), start: 0.6, lose: [9], delay: [30] });
    const down = amrRtpPackets({ wideband: true, octetAligned: true, payloadType: 96, ssrc: 0x4000 + c, frames: synthFrames(true, 30 + c, 300), start: 0.61 });
    return { callId: `gtpu-${c}@test`, caller: ue, callee: peer, steps: [...callFlow({ offer: sdp(40400 + c), answer: sdp(50400 + c), byeAt: 5 + c }), { from: 'caller' as const, packets: up.packets }, { from: 'callee' as const, packets: down.packets }] };
  });
  const built = buildCallCapture(calls);
  let n = 0;
  const kinds = new Map<string, number>();
  const rough: FixtureRecord[] = [];
  for (const r of records(built.pcap())) {
    const outer = unwrapEthernet(r.bytes);
    const v6 = outer.type === 0x86dd;
    const ipHeader = v6 ? 40 : 20;
    const u = outer.payload.subarray(ipHeader);
    const isGtp = ((u[2] as number) << 8 | (u[3] as number)) === 2152;
    if (!isGtp) {
      rough.push(r);
      continue;
    }
    n++;
    const kind = n % 29 === 3 ? 'sequence' : n % 31 === 5 ? 'extension' : n % 37 === 7 ? 'echo' : n % 41 === 11 ? 'cut' : n % 43 === 13 ? 'vlan' : undefined;
    if (kind === undefined) {
      rough.push(r);
      continue;
    }
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const teid = new DataView(u.buffer, u.byteOffset + 12, 4).getUint32(0);
    const inner = u.subarray(16);
    const src = v6 ? ipv6Text(outer.payload.subarray(8, 24)) : [...outer.payload.subarray(12, 16)].join('.');
    const dst = v6 ? ipv6Text(outer.payload.subarray(24, 40)) : [...outer.payload.subarray(16, 20)].join('.');
    const wrap = (g: Uint8Array): Uint8Array => {
      const seg = udp({ srcPort: 2152, dstPort: 2152 }, g);
      return ethernet({}, v6 ? ipv6({ src, dst, nextHeader: PROTO.udp }, seg) : ipv4({ src, dst, proto: PROTO.udp }, seg));
    };
    if (kind === 'sequence') rough.push({ ...r, bytes: wrap(gtpu({ teid, seq: n }, inner)) });
    else if (kind === 'extension') rough.push({ ...r, bytes: wrap(gtpu({ teid, extHeaders: [{ type: 0x85, content: Uint8Array.of(0x10, 0x09) }] }, inner)) });
    else if (kind === 'echo') rough.push({ ...r, bytes: wrap(gtpu({ teid: 0, seq: n, messageType: 1 }, new Uint8Array(0))) }, r);
    else if (kind === 'cut') rough.push({ ...r, bytes: r.bytes.subarray(0, r.bytes.length - 3), origLen: r.bytes.length });
    else rough.push({ ...r, bytes: concat(r.bytes.subarray(0, 12), Uint8Array.of(0x81, 0x00, 0x00, 0x07), r.bytes.subarray(12)) });
  }
  for (const kind of ['sequence', 'extension', 'echo', 'cut', 'vlan']) assert.ok((kinds.get(kind) ?? 0) >= 2, `${kind}: ${kinds.get(kind) ?? 0}`);
  const rtpFrames = built.frames.filter((f) => f.kind === 'rtp').length;
  const { cache } = await compareWithAndWithout(tempCaptureFile(t, 'gtpu.pcap', writePcap(rough, { nanosecond: true })));
  for (const [name, c] of cache) {
    assert.ok(c.taken > rtpFrames * 0.8, `${name}: ${c.taken} of ${rtpFrames} RTP frames taken`);
    if (name !== 'event order') assert.ok(c.queued > c.taken / 2, `${name}: ${c.queued} of ${c.taken} queued`);
  }
});
