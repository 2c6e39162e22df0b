// The sample captures of samples/, built from the test fixtures' declarative builders:
//   npm run samples -- [--out DIR] [--force] [--reuse-speech]
// volte-call.pcap and mode-set-violation.pcap carry real speech: espeak-ng says a sentence, sox
// encodes it as AMR-NB with DTX. Those encoders differ between machines, so --reuse-speech takes
// the frames from the committed samples instead; everything else is fixed (addresses, timestamps,
// SSRCs, seeds), so the same speech always gives the same bytes. Files are written atomically and
// an existing one is never replaced without --force.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AmrExtractor } from '../src/analysis/amr-extract/extractor.js';
import type { ExtractSink } from '../src/analysis/amr-extract/types.js';
import { MemoryByteSink } from '../src/media/byte-sink.js';
import { OutputExistsError, writeFileAtomic } from '../src/output/atomic-file.js';
import { runPass } from '../src/pipeline/pass.js';
import { NO_DATA, parseStorageFile, run, seededRandom, type FixtureAmrFrame } from '../test/fixtures/amr-frames.js';
import { AkaCapture, akaVector, randOf, sqnOf } from '../test/fixtures/aka-capture.js';
import { amrNbFormat, amrRtpPackets, amrWbFormat, buildCallCapture, telephoneEventFormat, type CallStep, type Party, type SdpFormatSpec, type SdpSpec, type TimedPacket } from '../test/fixtures/call-capture.js';
import { ImsScenario, type UeSpec } from '../test/fixtures/ims-scenario.js';
import { haveTool, repoRoot } from '../test/support/environment.js';

// ---- speech ----------------------------------------------------------------------------------

/** One direction of speech: what espeak-ng says, how sox encodes it, where the stream goes. */
export interface SpeechLine {
  readonly sample: SampleName;
  readonly ssrc: number;
  /** espeak-ng voice and text (SSML: <break> makes the pauses the encoder's DTX turns into SID / NO_DATA). */
  readonly voice: string;
  readonly ssml: string;
  /** AMR-NB mode sox encodes with (TS 26.101 Table 1a: 7 = 12.2 kbit/s, 4 = 7.4 kbit/s). */
  readonly mode: number;
  /** Seconds of silence before and after the speech. */
  readonly lead: number;
  readonly tail: number;
}

export const SAMPLE_NAMES = ['volte-call.pcap', 'mode-set-violation.pcap', 'sqn-resync-loop.pcap', 'volte-registration.pcap'] as const;
export type SampleName = (typeof SAMPLE_NAMES)[number];

export const SPEECH = {
  caller: { sample: 'volte-call.pcap', ssrc: 0x5eed0001, voice: 'en-us', ssml: 'This is imscap, extracting AMR audio from a VoLTE call.', mode: 7, lead: 1.2, tail: 3 },
  callee: { sample: 'volte-call.pcap', ssrc: 0x5eed0002, voice: 'en-gb+f3', ssml: '<speak>Hello? <break time="5600ms"/> Loud and clear. Goodbye!</speak>', mode: 7, lead: 0, tail: 0.4 },
  handset: { sample: 'mode-set-violation.pcap', ssrc: 0x4a4d0001, voice: 'en-us', ssml: 'The answer allowed twelve point two only.', mode: 7, lead: 0.2, tail: 0.2 },
  gateway: { sample: 'mode-set-violation.pcap', ssrc: 0x4a4d0002, voice: 'en-gb', ssml: 'The gateway sends seven point four anyway.', mode: 4, lead: 0.2, tail: 0.2 },
} as const satisfies Record<string, SpeechLine>;

export type SpeechKey = keyof typeof SPEECH;
/** The AMR-NB frames of every direction, 20 ms each, as the encoder produced them. */
export type SampleSpeech = Record<SpeechKey, readonly FixtureAmrFrame[]>;

const SPEECH_KEYS = Object.keys(SPEECH) as SpeechKey[];

/**
 * Without leading and trailing NO_DATA: a DTX sender sends nothing for those (RFC 4867 §4.3.2),
 * so the frames of a stream run from its first sent frame to its last.
 */
export function trimNoData(frames: readonly FixtureAmrFrame[]): FixtureAmrFrame[] {
  let first = 0;
  let last = frames.length - 1;
  while (first <= last && frames[first]?.ft === NO_DATA) first++;
  while (last >= first && frames[last]?.ft === NO_DATA) last--;
  return frames.slice(first, last + 1);
}

/** Packets delayed by up to `maxMs` (seeded), as a network delivers them: order within the stream is kept. */
export function withJitter(packets: readonly TimedPacket[], maxMs: number, seed: number): TimedPacket[] {
  const random = seededRandom(seed);
  return packets.map((p) => ({ at: p.at + Math.round(random() * maxMs * 1000) / 1e6, bytes: p.bytes }));
}

/** espeak-ng speech encoded by sox (AMR-NB, DTX on; -D: no dither, so one machine always gives the same frames). */
export function synthesiseSpeech(): SampleSpeech {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-samples-'));
  try {
    const out = {} as Record<SpeechKey, FixtureAmrFrame[]>;
    for (const key of SPEECH_KEYS) {
      const line: SpeechLine = SPEECH[key];
      const wav = join(dir, `${key}.wav`);
      const amr = join(dir, `${key}.amr`);
      run('espeak-ng', ['-m', '-v', line.voice, '-w', wav, line.ssml]);
      run('sox', ['-D', wav, '-r', '8000', '-c', '1', '-t', 'amr-nb', '-C', String(line.mode), amr, 'pad', String(line.lead), String(line.tail)]);
      out[key] = trimNoData(parseStorageFile(new Uint8Array(readFileSync(amr)), false));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The frames of every SSRC's AMR-NB stream in a capture, as the project's own extractor writes them. */
export async function framesBySsrc(path: string): Promise<Map<number, FixtureAmrFrame[]>> {
  const files = new Map<string, MemoryByteSink>();
  const sink = (name: string): ExtractSink => {
    const bytes = new MemoryByteSink();
    files.set(name, bytes);
    return { write: (c) => bytes.write(c), writeAt: (c, p) => bytes.writeAt(c, p), commit: () => undefined, abort: () => undefined };
  };
  const extractor = new AmrExtractor({ sinks: sink });
  await runPass(path, extractor.handlers(), { rtpHeuristic: true });
  const out = new Map<number, FixtureAmrFrame[]>();
  for (const s of extractor.finish().streams) {
    const file = s.outputs.length === 1 ? s.outputs[0] : undefined;
    const bytes = file !== undefined && file.codec === 'AMR' ? files.get(file.file)?.bytes() : undefined;
    if (bytes !== undefined) out.set(s.stream.ssrc, parseStorageFile(bytes, false));
  }
  return out;
}

/** The speech of the samples in `dir` (so a rebuild keeps their audio). */
export async function recoverSpeech(dir: string): Promise<SampleSpeech> {
  const out = {} as Record<SpeechKey, FixtureAmrFrame[]>;
  const bySample = new Map<SampleName, Map<number, FixtureAmrFrame[]>>();
  for (const key of SPEECH_KEYS) {
    const line: SpeechLine = SPEECH[key];
    let streams = bySample.get(line.sample);
    if (streams === undefined) {
      const path = join(dir, line.sample);
      if (!existsSync(path)) throw new Error(`${path} is missing: its speech cannot be reused`);
      streams = await framesBySsrc(path);
      bySample.set(line.sample, streams);
    }
    const frames = streams.get(line.ssrc);
    if (frames === undefined) throw new Error(`${line.sample} has no AMR-NB stream with SSRC 0x${line.ssrc.toString(16)}`);
    out[key] = frames;
  }
  return out;
}

// ---- volte-call.pcap -------------------------------------------------------------------------

/** Seen on the calling UE's S1-U: its IPv6 packets inside GTP-U between eNB and SGW (TS 29.281). */
const VOLTE_CALL = {
  callId: 'volte-call-1@2001:db8:1::10',
  ue: '2001:db8:1::10',
  pcscf: '2001:db8:ffff::5',
  /** The called UE's media address, from the SDP answer. */
  remoteMedia: '2001:db8:2::20',
  enb: '172.16.0.10',
  sgw: '172.16.0.1',
  uePort: 50010,
  remotePort: 40300,
  /** Seconds after the capture's start. */
  answeredAt: 2.4,
  mediaAt: 2.45,
} as const;

const IMS_DOMAIN = 'ims.mnc001.mcc001.3gppnetwork.org';
const MMTEL = 'urn:urn-7:3gpp-service.ims.icsi.mmtel';

// TS 26.114 §6.2.2.2 / RFC 4867 §8.2.1: AMR-WB and AMR, each bandwidth-efficient and octet-aligned.
const NB_MODES = [0, 2, 4, 7];
const offeredCodecs: readonly SdpFormatSpec[] = [
  amrWbFormat(116, { modeChangeCapability: 2, maxRed: 0 }),
  amrWbFormat(118, { octetAlign: true, modeChangeCapability: 2, maxRed: 0 }),
  amrNbFormat(97, { modeSet: NB_MODES, modeChangeCapability: 2, maxRed: 0 }),
  amrNbFormat(98, { modeSet: NB_MODES, octetAlign: true, modeChangeCapability: 2, maxRed: 0 }),
  telephoneEventFormat(111, 16000),
  telephoneEventFormat(110, 8000),
];
const chosenCodecs: readonly SdpFormatSpec[] = [amrNbFormat(97, { modeSet: NB_MODES, modeChangeCapability: 2, maxRed: 0 }), telephoneEventFormat(110, 8000)];

/** RFC 3312 §5: the precondition status lines of one SDP. */
function qos(local: 'none' | 'sendrecv', remote: 'none' | 'sendrecv', desiredRemote: 'optional' | 'mandatory', confirm: boolean): string[] {
  return [`curr:qos local ${local}`, `curr:qos remote ${remote}`, 'des:qos mandatory local sendrecv', `des:qos ${desiredRemote} remote sendrecv`, ...(confirm ? ['conf:qos remote sendrecv'] : [])];
}

function volteSdp(side: 'ue' | 'remote', formats: readonly SdpFormatSpec[], attributes: string[]): SdpSpec {
  return side === 'ue' ? { port: VOLTE_CALL.uePort, formats, attributes } : { port: VOLTE_CALL.remotePort, address: VOLTE_CALL.remoteMedia, formats, attributes };
}

/** INVITE, 100, 183 (100rel, answer, RFC 3262), PRACK, UPDATE (preconditions met, RFC 3312), 180, 200, ACK, RTP both ways, BYE. */
export function volteCall(speech: SampleSpeech): Uint8Array {
  const c = VOLTE_CALL;
  const caller: Party = { ip: c.ue, user: '+15551230001', gtpu: { ran: c.enb, core: c.sgw, uplinkTeid: 0x0000a001, downlinkTeid: 0x0000b001 } };
  const callee: Party = { ip: c.pcscf, user: '+15551230002' };
  const up = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 97, ssrc: SPEECH.caller.ssrc, frames: speech.caller, start: c.mediaAt, firstSequence: 23113, firstTimestamp: 0x1f3a0000 });
  const down = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 97, ssrc: SPEECH.callee.ssrc, frames: speech.callee, start: c.mediaAt + 0.006, firstSequence: 4211, firstTimestamp: 0x00d20000 });
  const mediaEnd = Math.max(up.packets.at(-1)?.at ?? 0, down.packets.at(-1)?.at ?? 0);
  const byeAt = Math.ceil((mediaEnd + 0.3) * 10) / 10;
  const steps: CallStep[] = [
    {
      at: 0,
      from: 'caller',
      request: 'INVITE',
      sdp: volteSdp('ue', offeredCodecs, qos('none', 'none', 'optional', false)),
      headers: [
        `P-Preferred-Identity: <sip:+15551230001@${IMS_DOMAIN}>`,
        'P-Access-Network-Info: 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=0010100010019B01',
        `P-Preferred-Service: ${MMTEL}`,
        `Accept-Contact: *;+g.3gpp.icsi-ref="${encodeURIComponent(MMTEL)}"`,
        'Supported: 100rel, precondition, timer',
        'Session-Expires: 1800',
        'Allow: INVITE, ACK, CANCEL, BYE, UPDATE, PRACK, OPTIONS, INFO, MESSAGE, NOTIFY, REFER',
      ],
    },
    { at: 0.05, from: 'callee', response: 100 },
    { at: 0.42, from: 'callee', response: 183, reliable: true, sdp: volteSdp('remote', chosenCodecs, qos('none', 'none', 'mandatory', true)), headers: ['Require: precondition', `P-Asserted-Identity: <sip:+15551230002@${IMS_DOMAIN}>`] },
    { at: 0.46, from: 'caller', request: 'PRACK' },
    { at: 0.5, from: 'callee', response: 200 },
    { at: 0.74, from: 'caller', request: 'UPDATE', sdp: volteSdp('ue', chosenCodecs, qos('sendrecv', 'none', 'mandatory', false)) },
    { at: 0.81, from: 'callee', response: 200, sdp: volteSdp('remote', chosenCodecs, qos('sendrecv', 'sendrecv', 'mandatory', false)) },
    { at: 0.86, from: 'callee', response: 180, answers: 'INVITE' },
    { at: c.answeredAt, from: 'callee', response: 200, answers: 'INVITE', headers: ['Session-Expires: 1800;refresher=uac', 'Require: timer'] },
    { at: c.answeredAt + 0.03, from: 'caller', request: 'ACK' },
    // Uplink is seen next to the eNB (radio scheduling only), downlink after crossing the core.
    { from: 'caller', packets: withJitter(up.packets, 1.5, 11) },
    { from: 'callee', packets: withJitter(down.packets, 6, 12) },
    { at: byeAt, from: 'caller', request: 'BYE' },
    { at: byeAt + 0.06, from: 'callee', response: 200 },
  ];
  return buildCallCapture([{ callId: c.callId, caller, callee, steps }]).pcap();
}

// ---- mode-set-violation.pcap -----------------------------------------------------------------

/** A handset's offer and a media gateway's answer that narrows the AMR mode-set, seen at the SBC. */
const MODE_SET_VIOLATION = {
  callId: 'mode-set-violation-1@10.10.1.20',
  handset: '10.10.1.20',
  gateway: '10.30.0.7',
  handsetPort: 31000,
  gatewayPort: 20480,
  mediaAt: 1.2,
  /** The modes of the offer (AMR, RFC 4867 §8.1) and of the answer. */
  offeredModes: [0, 1, 2, 3, 4, 5, 6, 7],
  answeredModes: [7],
} as const;

export function modeSetViolation(speech: SampleSpeech): Uint8Array {
  const m = MODE_SET_VIOLATION;
  const offer: SdpSpec = {
    port: m.handsetPort,
    formats: [amrWbFormat(104, { modeSet: [0, 1, 2, 3, 4, 5, 6, 7, 8], modeChangeCapability: 2, maxRed: 0 }), amrNbFormat(102, { modeSet: m.offeredModes, modeChangeCapability: 2, maxRed: 0 }), telephoneEventFormat(105, 16000), telephoneEventFormat(100, 8000)],
  };
  // RFC 4867 §8.3.1: the answer must return the offered mode-set unchanged; this one does not.
  const answer: SdpSpec = { port: m.gatewayPort, formats: [amrNbFormat(102, { modeSet: m.answeredModes, modeChangeCapability: 2, maxRed: 0 }), telephoneEventFormat(100, 8000)] };
  const up = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 102, ssrc: SPEECH.handset.ssrc, frames: speech.handset, start: m.mediaAt, firstSequence: 811, firstTimestamp: 160000 });
  const down = amrRtpPackets({ wideband: false, octetAligned: false, payloadType: 102, ssrc: SPEECH.gateway.ssrc, frames: speech.gateway, start: m.mediaAt + 0.004, firstSequence: 31077, firstTimestamp: 4_000_000 });
  const mediaEnd = Math.max(up.packets.at(-1)?.at ?? 0, down.packets.at(-1)?.at ?? 0);
  const byeAt = Math.ceil((mediaEnd + 0.2) * 10) / 10;
  const steps: CallStep[] = [
    { at: 0, from: 'caller', request: 'INVITE', sdp: offer, headers: ['Supported: 100rel, timer'] },
    { at: 0.02, from: 'callee', response: 100 },
    { at: 0.3, from: 'callee', response: 183, reliable: true, sdp: answer },
    { at: 0.33, from: 'caller', request: 'PRACK' },
    { at: 0.35, from: 'callee', response: 200 },
    { at: 1.1, from: 'callee', response: 200, answers: 'INVITE' },
    { at: 1.12, from: 'caller', request: 'ACK' },
    { from: 'caller', packets: withJitter(up.packets, 2, 21) },
    { from: 'callee', packets: withJitter(down.packets, 4, 22) },
    { at: byeAt, from: 'callee', request: 'BYE' },
    { at: byeAt + 0.02, from: 'caller', response: 200 },
  ];
  return buildCallCapture([{ callId: m.callId, caller: { ip: m.handset, user: '+15551230003' }, callee: { ip: m.gateway, user: '+15559870000' }, steps }]).pcap();
}

// ---- sqn-resync-loop.pcap --------------------------------------------------------------------

/** The USIM's SQN (SEQ 5000, IND 3) and the stale SEQs the HSS keeps handing out (TS 33.102 Annex C). */
const SQN_LOOP = {
  rounds: 3,
  sqnMs: sqnOf(5000, 3),
  staleSqn: (round: number): bigint => sqnOf(100 + round, round % 32),
} as const;

/**
 * REGISTER → MAR/MAA → 401, then every round the UE rejects the challenge with AUTS (RFC 3310
 * §3.4), the S-CSCF asks the HSS again with RAND ‖ AUTS (TS 29.229 §6.3.11), and the HSS, not
 * resynchronising, answers with another stale vector: the subscriber never registers.
 */
export function sqnResyncLoop(): Uint8Array {
  const c = new AkaCapture('reg-1@10.45.0.2', 0.05);
  let challenged = akaVector(randOf(0), SQN_LOOP.staleSqn(0));
  c.register({ cseq: 1 });
  c.cxMar();
  c.cxMaa({ vectors: [challenged] });
  c.challenge({ cseq: 1, vector: challenged });
  for (let round = 1; round <= SQN_LOOP.rounds; round++) {
    const resync = { vector: challenged, sqnMs: SQN_LOOP.sqnMs };
    challenged = akaVector(randOf(round), SQN_LOOP.staleSqn(round));
    c.register({ cseq: round + 1, auts: resync });
    c.cxMar(resync);
    c.cxMaa({ vectors: [challenged] });
    c.challenge({ cseq: round + 1, vector: challenged });
  }
  return c.pcap();
}

// ---- volte-registration.pcap -----------------------------------------------------------------

/** The UE of the registration sample; its K / OPc are the scenario's (TS 35.208 test set 1). */
const REGISTRATION_UE: UeSpec = { ip: '2001:db8:10:1::5', imsi: '001010000000001', msisdn: '15551230001' };

/**
 * Attach (GTPv2 Create Session with the P-CSCF in the PCO, Gx CCR/CCA), then the initial
 * registration (TS 24.229 §5.1.1.2: REGISTER → 401 with AKA and sec-agree → REGISTER in NULL ESP
 * → 200, Cx UAR/UAA, MAR/MAA, SAR/SAA over SCTP, Rx AAR/AAA), then SUBSCRIBE to the reg event
 * along the Service-Route (TS 24.229 §5.1.1.3).
 */
export function volteRegistration(): Uint8Array {
  const s = new ImsScenario({ ue: REGISTRATION_UE });
  s.attach({ at: 0 });
  s.register({ at: 1, expires: 600000, grant: 3600 });
  s.subscribe({ at: 2 });
  return s.pcap();
}

// ---- all samples -----------------------------------------------------------------------------

export function buildSamples(speech: SampleSpeech): Map<SampleName, Uint8Array> {
  return new Map<SampleName, Uint8Array>([
    ['volte-call.pcap', volteCall(speech)],
    ['mode-set-violation.pcap', modeSetViolation(speech)],
    ['sqn-resync-loop.pcap', sqnResyncLoop()],
    ['volte-registration.pcap', volteRegistration()],
  ]);
}

const USAGE = 'usage: npm run samples -- [--out DIR] [--force] [--reuse-speech]';

/** The command line; resolves to the exit code (0 written, 2 usage error, a file exists or no speech source). */
export async function buildSamplesCli(argv: readonly string[], write: (text: string) => void): Promise<number> {
  let values: { out?: string; force?: boolean; 'reuse-speech'?: boolean };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { out: { type: 'string' }, force: { type: 'boolean' }, 'reuse-speech': { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (err) {
    write(`build-samples: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const committed = join(repoRoot, 'samples');
  const out = resolve(values.out ?? committed);
  const force = values.force === true;
  const existing = SAMPLE_NAMES.filter((name) => existsSync(join(out, name)));
  if (!force && existing.length > 0) {
    write(`build-samples: ${existing.map((n) => join(out, n)).join(', ')} exist (use --force to overwrite)\n`);
    return 2;
  }
  let speech: SampleSpeech;
  if (values['reuse-speech'] === true) {
    try {
      speech = await recoverSpeech(committed);
    } catch (err) {
      write(`build-samples: ${(err as Error).message}\n`);
      return 2;
    }
  } else {
    const missing = ['espeak-ng', 'sox'].filter((tool) => !haveTool(tool));
    if (missing.length > 0) {
      write(`build-samples: speech needs ${missing.join(' and ')} (or --reuse-speech to keep the speech of the committed samples)\n`);
      return 2;
    }
    speech = synthesiseSpeech();
  }
  mkdirSync(out, { recursive: true });
  for (const [name, bytes] of buildSamples(speech)) {
    try {
      writeFileAtomic(join(out, name), bytes, force);
    } catch (err) {
      if (!(err instanceof OutputExistsError)) throw err;
      write(`build-samples: ${err.message}\n`);
      return 2;
    }
    write(`${join(out, name)}: ${bytes.length} bytes\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await buildSamplesCli(process.argv.slice(2), (text) => void process.stdout.write(text));
}
