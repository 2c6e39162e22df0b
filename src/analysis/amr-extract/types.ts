// Records of `imscap extract-amr`: where the bytes of each output go, and what each stream gave.
import type { PatchableByteSink } from '../../media/byte-sink.js';
import type { RtpStreamReport } from '../rtp-streams.js';
import type { AmrTimelineStats } from '../amr-timeline.js';

/** An output file being written: committed when complete, aborted when the run fails. */
export interface ExtractSink extends PatchableByteSink {
  commit(): void;
  abort(): void;
}

/** Opens the output of one stream segment under a sanitised, unique file name. */
export type ExtractSinkFactory = (fileName: string) => ExtractSink;

/** amr: RFC 4867 §5 storage format (.amr / .awb); 3gp: TS 26.244 file (.3ga). */
export type AmrContainer = 'amr' | '3gp';

export interface FrameTypeCount {
  readonly ft: number;
  /** 'AMR-WB 23.85', 'SID', 'NO_DATA', 'SPEECH_LOST'. */
  readonly name: string;
  readonly frames: number;
}

/** One output file: a stream, or the part of it between codec changes (a re-INVITE to AMR-WB). */
/** The timeline's counts of one output file (speech / SID / NO_DATA, fills, duplicates, late). */
type TimelineCounts = Omit<AmrTimelineStats, 'framesReceived' | 'framesEmitted' | 'frameTypeCounts'>;

export interface AmrOutputReport extends TimelineCounts {
  readonly file: string;
  readonly codec: 'AMR' | 'AMR-WB';
  readonly container: AmrContainer;
  /** "octet-aligned (SDP frame 12)", "bandwidth-efficient (--codec)", "… (guessed: …)". */
  readonly payloadFormats: readonly string[];
  /** Packets whose frames went into this file. */
  readonly packets: number;
  /** Frames written, NO_DATA fills included: the file lasts frames × 20 ms. */
  readonly frames: number;
  readonly frameTypes: readonly FrameTypeCount[];
  /** Speech modes present ('12.65', '23.85'), in frame-type order. */
  readonly modes: readonly string[];
  readonly durationSeconds: number;
  readonly firstFrameNo: number;
  readonly lastFrameNo: number;
}

export interface SkippedPackets {
  readonly reason: string;
  readonly packets: number;
  readonly firstFrameNo: number;
}

/** speech: some speech frame; no-speech: only SID / NO_DATA; no-frames: nothing decodable; skipped: not AMR. */
export type AmrVerdict = 'speech' | 'no-speech' | 'no-frames' | 'skipped';

export interface AmrStreamResult {
  readonly stream: RtpStreamReport;
  readonly outputs: readonly AmrOutputReport[];
  /** Packets not extracted: other payload types (events, comfort noise, other codecs), undecodable payloads. */
  readonly skipped: readonly SkippedPackets[];
  readonly verdict: AmrVerdict;
  /** The verdict in words: "speech", "no speech: only SID/NO_DATA (silence / DTX)", "skipped: EVS is not AMR". */
  readonly verdictText: string;
}

export interface AmrExtractReport {
  readonly container: AmrContainer;
  /** Streams selected (by --call / --ssrc, or all), in order of their first packet. */
  readonly streams: readonly AmrStreamResult[];
  /** Streams left out by --call / --ssrc. */
  readonly notSelected: number;
  readonly files: readonly string[];
  readonly droppedStreams: number;
  readonly droppedPackets: number;
  readonly rejectedCandidates: number;
  readonly rejectedPackets: number;
}
