// AmrExtractor: every AMR / AMR-WB stream of a capture to its own file. Fed by the pass
// handlers through an RtpStreamTable (which knows each packet's payload format), it decodes
// each payload (RFC 4867 §4) and hands its frames to the segment's output (segment-output.ts),
// which lays them on the stream's 20 ms timeline (duplicates dropped, reordering undone, gaps
// stored as NO_DATA) and streams them to a storage-format or 3GP writer, in this thread or in an
// output thread (output-thread.ts). A codec change on a stream (a
// re-INVITE from AMR to AMR-WB) starts a new file; a change of payload mode does not, since the
// storage format does not depend on it. The files of a call are completed shortly after its BYE.
import { isDecodeError } from '../../decode-error.js';
import type { PassHandlers, QueuedRtp, SipEvent } from '../../pipeline/events.js';
import { decodeAmrFramesAt, singleTocKeyOf } from '../../protocols/amr/decode.js';
import type { AmrPayloadOptions } from '../../protocols/amr/types.js';
import { readU16 } from '../../protocols/rtp/big-endian.js';
import { AmrFrameList } from '../../protocols/amr/frame-list.js';
import { uniqueName } from '../../output/safe-name.js';
import type { AmrTimelineStats } from '../amr-timeline.js';
import { RtpStreamTable, type AmrCodecOption, type RtpStreamInfo, type RtpStreamsReport, type StreamFormat, type StreamPacket } from '../rtp-streams.js';
import { CallDeadlines } from './call-deadlines.js';
import { streamFileName } from './naming.js';
import { LocalSegmentOutputs, type SegmentOutput, type SegmentOutputs } from './segment-output.js';
import { outputReport, streamVerdict } from './summary.js';
import type { AmrContainer, AmrExtractReport, AmrStreamResult, ExtractSinkFactory, SkippedPackets } from './types.js';

export interface AmrExtractOptions {
  /** Where each segment's file goes: a sink per file name (written in this thread), or outputs that decide themselves. */
  readonly sinks?: ExtractSinkFactory;
  readonly outputs?: SegmentOutputs;
  readonly container?: AmrContainer;
  /** Codec of streams no SDP describes (--codec), and their payload mode (--octet-align). */
  readonly codec?: AmrCodecOption;
  readonly octetAlign?: boolean;
  /** Extract only streams of these calls (--call). */
  readonly callIds?: readonly string[];
  /** Extract only streams with these SSRCs (--ssrc). */
  readonly ssrcs?: readonly number[];
  /** Capture seconds after a BYE or CANCEL before the call's files are completed (default 5). */
  readonly closeAfterByeSeconds?: number;
  /** Called once when an output cannot be opened (it exists, the directory is not writable): stop the pass. */
  readonly onFatal?: (error: Error) => void;
}

interface Segment {
  readonly wideband: boolean;
  // The last payload decoded for it as one frame (its format, length, singleTocKeyOf): later
  // payloads of that shape decode as well, and outputs that decode payloads themselves take
  // them without this thread decoding them first.
  checkedAmr: AmrPayloadOptions | undefined;
  checkedLength: number;
  checkedKey: number;
  readonly file: string;
  readonly output: SegmentOutput;
  readonly payloadFormats: string[];
  packets: number;
  readonly firstFrameNo: number;
  lastFrameNo: number;
  lastFormat: StreamFormat | undefined;
}

/** A completed output file; its timeline's counts come when it is written. */
interface FinishedSegment {
  readonly file: string;
  readonly wideband: boolean;
  readonly payloadFormats: readonly string[];
  readonly packets: number;
  readonly firstFrameNo: number;
  readonly lastFrameNo: number;
  stats: AmrTimelineStats | undefined;
}

interface StreamExtraction {
  readonly stream: RtpStreamInfo;
  readonly selected: boolean;
  open: Segment | undefined;
  readonly outputs: FinishedSegment[];
  readonly skipped: Map<string, { packets: number; firstFrameNo: number }>;
}

const DEFAULT_CLOSE_AFTER_BYE = 5;
/** RFC 3550 §5.1: the fixed RTP header, all a queued packet has before its payload. */
const RTP_FIXED_HEADER = 12;

export class AmrExtractor {
  readonly table: RtpStreamTable;
  private readonly container: AmrContainer;
  private readonly outputs: SegmentOutputs;
  private readonly callIds: ReadonlySet<string> | undefined;
  private readonly ssrcs: ReadonlySet<number> | undefined;
  private readonly closeAfterBye: number;
  private readonly onFatal: ((error: Error) => void) | undefined;
  /** By stream id (ids are dense, from 1). */
  private readonly byId: (StreamExtraction | undefined)[] = [];
  /** Every payload is decoded into this one list (RFC 4867 §4), which the timeline copies from. */
  private readonly frames = new AmrFrameList();
  private readonly order: StreamExtraction[] = [];
  private readonly byCall = new Map<string, StreamExtraction[]>();
  private readonly closing = new CallDeadlines();
  private readonly usedNames = new Set<string>();
  private readonly files: string[] = [];
  private readonly openSegments = new Set<Segment>();
  // Reasons worded once: per format object (dropped with its SDP binding), per bare payload type.
  private readonly formatReasons = new WeakMap<StreamFormat, string>();
  private readonly ptReasons = new Map<number, string>();
  private failed: Error | undefined;

  constructor(options: AmrExtractOptions) {
    if (options.outputs !== undefined) this.outputs = options.outputs;
    else if (options.sinks !== undefined) this.outputs = new LocalSegmentOutputs(options.sinks);
    else throw new Error('AmrExtractor needs sinks or outputs');
    this.container = options.container ?? 'amr';
    this.callIds = options.callIds !== undefined && options.callIds.length > 0 ? new Set(options.callIds) : undefined;
    this.ssrcs = options.ssrcs !== undefined && options.ssrcs.length > 0 ? new Set(options.ssrcs.map((s) => s >>> 0)) : undefined;
    this.closeAfterBye = options.closeAfterByeSeconds ?? DEFAULT_CLOSE_AFTER_BYE;
    this.onFatal = options.onFatal;
    this.table = new RtpStreamTable({
      ...(options.codec !== undefined ? { codec: options.codec } : {}),
      ...(options.octetAlign !== undefined ? { octetAlign: options.octetAlign } : {}),
      listener: {
        packet: (stream, packet) => this.packet(stream, packet),
        packets: (stream, run, format) => this.packets(stream, run, format),
        inOrder: (stream, ts, format) => this.inOrder(stream, ts, format),
        horizon: () => this.closing.next,
      },
    });
  }

  /** The error that stopped extraction (an output that could not be opened), if any. */
  get failure(): Error | undefined {
    return this.failed;
  }

  /** The handlers a pass needs (run it with `rtpHeuristic: true` to find streams no SDP set up). */
  handlers(): PassHandlers {
    // A BYE sets a deadline packets queued before it must not see.
    return { ...this.table.handlers(), sip: (e) => this.sip(e), sipPastQueuedRtp: (e) => !this.endsCall(e) };
  }

  sip(event: SipEvent): void {
    this.table.sip(event);
    // RFC 3261 §15: BYE ends the call (CANCEL an early one); media stops at about the same time.
    if (this.endsCall(event)) this.closing.push(event.message.callId as string, event.meta.ts + this.closeAfterBye);
  }

  /** A BYE or CANCEL of a call with streams: its files are completed some seconds later (capture time). */
  private endsCall(event: SipEvent): boolean {
    const method = event.message.method;
    const callId = event.message.callId;
    return (method === 'BYE' || method === 'CANCEL') && callId !== undefined && this.byCall.has(callId);
  }

  /** End of the capture: completes and commits every file, returns the summary (outputs written in this thread). */
  finish(): AmrExtractReport {
    return this.report(this.complete());
  }

  /** finish() for outputs that may be written elsewhere: the summary once every file is written. */
  async finishWritten(): Promise<AmrExtractReport> {
    const table = this.complete();
    await this.outputs.settle?.();
    return this.report(table);
  }

  private complete(): RtpStreamsReport {
    const table = this.table.finish();
    if (this.failed === undefined) for (const x of this.order) this.close(x);
    return table;
  }

  private report(table: RtpStreamsReport): AmrExtractReport {
    const reports = new Map(table.streams.map((s) => [s.id, s]));
    const streams: AmrStreamResult[] = [];
    let notSelected = 0;
    for (const x of this.order) {
      if (!x.selected) {
        notSelected++;
        continue;
      }
      const stream = reports.get(x.stream.id);
      if (stream === undefined) continue;
      const skipped: SkippedPackets[] = [...x.skipped].map(([reason, s]) => ({ reason, packets: s.packets, firstFrameNo: s.firstFrameNo }));
      const outputs = x.outputs.map((o) => {
        if (o.stats === undefined) throw new Error(`${o.file}: not written yet (finishWritten() waits for it)`);
        return outputReport(o.file, o.wideband, this.container, o.payloadFormats, o.packets, o.firstFrameNo, o.lastFrameNo, o.stats);
      });
      const { verdict, verdictText } = streamVerdict(outputs, skipped);
      streams.push({ stream, outputs, skipped, verdict, verdictText });
    }
    return {
      container: this.container,
      streams,
      notSelected,
      files: this.files.slice(),
      droppedStreams: table.droppedStreams,
      droppedPackets: table.droppedPackets,
      rejectedCandidates: table.rejectedCandidates,
      rejectedPackets: table.rejectedPackets,
    };
  }

  /** Drop every file not yet committed (after a failure or an interrupted pass). */
  abort(): void {
    for (const segment of this.openSegments) segment.output.abort();
    this.openSegments.clear();
  }

  private packet(stream: RtpStreamInfo, packet: StreamPacket): void {
    if (this.failed !== undefined) return;
    if (this.closing.next <= packet.ts) this.closeEnded(packet.ts);
    const x = this.byId[stream.id] ?? this.track(stream);
    if (!x.selected) return;
    const format = packet.format;
    const amr = format?.amr;
    if (format === undefined || amr === undefined) return this.skip(x, this.skipReason(format, packet.payloadType), packet.frameNo);
    let segment = x.open;
    // (A file of the other codec is completed below, once the payload is known to decode.)
    const error = this.payloadError(segment?.wideband === amr.wideband ? segment : undefined, packet.buf, packet.start, packet.end, amr);
    if (error !== undefined) return this.skip(x, error, packet.frameNo);
    if (segment !== undefined && segment.wideband !== amr.wideband) {
      this.close(x);
      segment = undefined;
    }
    if (segment === undefined) {
      segment = this.openSegment(x, amr.wideband, packet.frameNo);
      if (segment === undefined) return;
    }
    if (segment.lastFormat !== format) noteFormat(segment, format);
    this.append(segment, packet.timestamp, packet.sequence, packet.frameNo, packet.buf, packet.start, packet.end, amr);
  }

  /** A packet whose payload decodes (this.frames holding its frames, see payloadError) into the segment's file. */
  private append(segment: Segment, timestamp: number, sequence: number, frameNo: number, buf: Uint8Array, start: number, end: number, amr: AmrPayloadOptions): void {
    segment.packets++;
    segment.lastFrameNo = frameNo;
    segment.output.push(timestamp, sequence, frameNo, this.frames, buf, start, end, amr);
  }

  /**
   * A steady stream's queued packets in one call, when packet() would take each the same way:
   * a selected stream whose open file has this codec (none of them reaches the horizon, the
   * first BYE deadline, so no file is completed meanwhile: RtpStreamListener.packets). False
   * (nothing done) otherwise: they then come one by one.
   */
  private packets(stream: RtpStreamInfo, run: QueuedRtp, format: StreamFormat): boolean {
    const x = this.byId[stream.id];
    const amr = format.amr;
    const segment = x?.open;
    if (this.failed !== undefined || x === undefined || !x.selected || amr === undefined || segment === undefined || segment.wideband !== amr.wideband) return false;
    const { count, at, buf } = run;
    if (segment.lastFormat !== format) noteFormat(segment, format);
    for (let i = 0; i < count; i++) {
      // (Queued packets have plain 12-byte RTP headers, RFC 3550 §5.1.)
      const k = at[i] as number;
      const start = run.startOf(k) + RTP_FIXED_HEADER;
      const end = run.endOf(k);
      const frameNo = run.frameNoOf(k);
      const error = this.payloadError(segment, buf, start, end, amr, run.payloadLeadOf(k));
      if (error !== undefined) this.skip(x, error, frameNo);
      else this.append(segment, run.timestampOf(k), run.sequenceOf(k), frameNo, buf, start, end, amr);
    }
    return true;
  }

  /**
   * Why the payload cannot be extracted (RFC 4867 §4), or undefined: then this.frames holds its
   * frames — unless the outputs decode payloads themselves and it has the shape of the last
   * payload checked for the segment (then it decodes as that one did, and is not decoded here).
   */
  private payloadError(segment: Segment | undefined, buf: Uint8Array, start: number, end: number, amr: AmrPayloadOptions, lead = readU16(buf, start)): string | undefined {
    if (segment !== undefined && segment.checkedAmr === amr && end - start === segment.checkedLength && singleTocKeyOf(lead, amr.octetAligned) === segment.checkedKey && this.outputs.decodesPayloads === true) return undefined;
    const error = decodeAmrFramesAt(buf, start, end, amr, this.frames);
    if (error !== undefined) return error.reason;
    if (segment !== undefined && this.frames.count === 1) {
      segment.checkedAmr = amr;
      segment.checkedLength = end - start;
      segment.checkedKey = singleTocKeyOf(lead, amr.octetAligned);
    }
    return undefined;
  }

  /**
   * What must happen in capture order across streams: a call's files completed after its BYE
   * (by capture time), a stream first seen (its place in the summary), a file opened (file
   * names are given in opening order), a codec change (a new file). Other packets only add to
   * their own stream's file, whatever the order between streams.
   */
  private inOrder(stream: RtpStreamInfo, ts: number, format: StreamFormat): boolean {
    if (this.closing.next <= ts) return true;
    const x = this.byId[stream.id];
    if (x === undefined) return true;
    const amr = format.amr;
    if (!x.selected || amr === undefined) return false;
    return x.open === undefined || x.open.wideband !== amr.wideband;
  }

  private track(stream: RtpStreamInfo): StreamExtraction {
    const selected = (this.callIds === undefined || (stream.callId !== undefined && this.callIds.has(stream.callId))) && (this.ssrcs === undefined || this.ssrcs.has(stream.ssrc));
    const x: StreamExtraction = { stream, selected, open: undefined, outputs: [], skipped: new Map() };
    this.byId[stream.id] = x;
    this.order.push(x);
    if (stream.callId !== undefined) {
      const list = this.byCall.get(stream.callId);
      if (list === undefined) this.byCall.set(stream.callId, [x]);
      else list.push(x);
    }
    return x;
  }

  private openSegment(x: StreamExtraction, wideband: boolean, frameNo: number): Segment | undefined {
    const file = uniqueName(streamFileName(x.stream, wideband, this.container), this.usedNames);
    let output: SegmentOutput;
    try {
      output = this.outputs.open(file, wideband, this.container);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      return undefined;
    }
    const segment: Segment = { wideband, checkedAmr: undefined, checkedLength: -1, checkedKey: -1, file, output, payloadFormats: [], packets: 0, firstFrameNo: frameNo, lastFrameNo: frameNo, lastFormat: undefined };
    x.open = segment;
    this.openSegments.add(segment);
    return segment;
  }

  /** Completes the stream's open file: the timeline's held frames, the writer's tail, the commit. */
  private close(x: StreamExtraction): void {
    const segment = x.open;
    if (segment === undefined) return;
    x.open = undefined;
    this.table.changed(x.stream);
    this.openSegments.delete(segment);
    const { file, wideband, payloadFormats, packets, firstFrameNo, lastFrameNo } = segment;
    const finished: FinishedSegment = { file, wideband, payloadFormats, packets, firstFrameNo, lastFrameNo, stats: undefined };
    try {
      segment.output.finish((stats) => (finished.stats = stats));
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    this.files.push(file);
    x.outputs.push(finished);
  }

  private closeEnded(now: number): void {
    while (this.closing.next <= now) {
      const callId = this.closing.shift() as string;
      for (const x of this.byCall.get(callId) ?? []) this.close(x);
    }
  }

  private fail(error: Error): void {
    if (this.failed !== undefined) return;
    this.failed = error;
    this.abort();
    this.onFatal?.(error);
  }

  private skip(x: StreamExtraction, reason: string, frameNo: number): void {
    const s = x.skipped.get(reason);
    if (s === undefined) x.skipped.set(reason, { packets: 1, firstFrameNo: frameNo });
    else s.packets++;
  }

  /** Why packets of a payload type are not extracted, worded once per format. */
  private skipReason(format: StreamFormat | undefined, pt: number): string {
    let reason = format !== undefined ? this.formatReasons.get(format) : this.ptReasons.get(pt);
    if (reason === undefined) {
      if (format?.encodingKey === 'telephone-event') reason = 'telephone-event (RFC 4733)';
      else if (format?.encodingKey === 'cn' || (format === undefined && pt === 13)) reason = 'comfort noise (RFC 3389)';
      else if (format?.encodingName !== undefined) reason = `${format.encodingName} is not AMR`;
      else reason = `PT ${pt} unidentified${format?.note !== undefined ? ` (${format.note})` : ' (no SDP names it)'}; give --codec if it is AMR`;
      if (format !== undefined) this.formatReasons.set(format, reason);
      else this.ptReasons.set(pt, reason);
    }
    return reason;
  }
}

/** The segment's packets now come in `format`: named once in its payload formats. */
function noteFormat(segment: Segment, format: StreamFormat): void {
  segment.lastFormat = format;
  const described = describeFormat(format);
  if (!segment.payloadFormats.includes(described)) segment.payloadFormats.push(described);
}

function describeFormat(f: StreamFormat): string {
  const amr = f.amr;
  const mode = amr?.octetAligned ? 'octet-aligned' : 'bandwidth-efficient';
  const fmtp = f.amrFmtp;
  const extras = [
    amr?.crc ? 'crc' : '',
    amr?.robustSorting ? 'robust-sorting' : '',
    amr?.interleaving ? 'interleaving' : '',
    (amr?.channels ?? 1) > 1 ? `channel 1 of ${amr?.channels}` : '',
    fmtp?.modeSet !== undefined ? `mode-set ${fmtp.modeSet.join(',')}` : '',
    // RFC 4867 §3.7.1 / §8.1 max-red: packets may repeat earlier frames; the timeline drops the copies.
    fmtp?.maxRed !== undefined && fmtp.maxRed > 0 ? `max-red ${fmtp.maxRed} ms` : '',
  ].filter((e) => e !== '');
  const source = f.source === 'sdp' ? `SDP frame ${f.sdpFrameNo}` : f.source === 'option' ? '--codec' : f.source === 'guess' ? (f.note ?? 'guessed') : 'static';
  return `PT ${f.payloadType} ${mode}${extras.length > 0 ? `, ${extras.join(', ')}` : ''} (${source})`;
}
