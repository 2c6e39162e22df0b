// A 3GPP file (TS 26.244) holding one AMR or AMR-WB track: ftyp, mdat with the samples, then
// moov describing them. Each sample is one frame with its storage-format header octet (RFC 4867
// §5.3 framing, as 3GP AMR samples carry it; one frame per sample, since common decoders read
// only the first frame of a sample). Frames stream to the sink as they come; only the sample
// sizes are kept (one octet per 20 ms) to write moov and patch the mdat size at the end.
import { AMR_NO_DATA, amrClockRate, amrFrameOctetsTable, amrSamplesPerFrame } from '../protocols/amr/frame-types.js';
import type { AmrFrameSink } from '../protocols/amr/types.js';
import { NO_DATA_HEADER, assertStorable, amrStorageHeader, type AmrStorageFrame } from './amr-storage.js';
import type { PatchableByteSink } from './byte-sink.js';
import { BufferedWriter } from './buffered-writer.js';
import { IsoBoxBuilder } from './iso-box.js';

const VENDOR = 'imsc';
const UINT32_MAX = 0xffffffff;
// ISO/IEC 14496-12 §8.2.2: the unity matrix of mvhd and tkhd.
const UNITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

export class ThreeGpAmrWriter implements AmrFrameSink {
  private readonly out: BufferedWriter;
  private readonly mdatStart: number;
  private readonly octets: Int8Array;
  private sampleSizes = new Uint8Array(4096);
  private samples = 0;
  private modeSet = 0;
  private finished = false;

  constructor(
    private readonly sink: PatchableByteSink,
    private readonly wideband: boolean,
  ) {
    this.out = new BufferedWriter(sink);
    this.octets = amrFrameOctetsTable(wideband);
    this.out.bytes(fileType());
    this.mdatStart = this.out.position;
    // mdat size is patched by finish().
    this.out.bytes(new IsoBoxBuilder().u32(0).fourcc('mdat').finish());
  }

  get framesWritten(): number {
    return this.samples;
  }

  writeFrame(frame: AmrStorageFrame): void {
    this.frame(frame.ft, frame.q, frame.bits, 0, frame.bits.length);
  }

  /** One frame whose speech octets are bytes[start, end) (copied here, the last ANDed with lastMask). */
  frame(ft: number, q: boolean, bytes: Uint8Array, start: number, end: number, lastMask = 0xff): void {
    if (this.finished) throw new Error('writeFrame after finish');
    const octets = end - start;
    if (this.octets[ft] !== octets) assertStorable(ft, octets, this.wideband);
    this.out.prefixed(amrStorageHeader(ft, q), bytes, start, end, lastMask);
    // TS 26.244 AMRSpecificBox mode_set: bit k set when frames of type k may be present.
    this.modeSet |= 1 << ft;
    if (this.samples === this.sampleSizes.length) {
      const grown = new Uint8Array(this.sampleSizes.length * 2);
      grown.set(this.sampleSizes);
      this.sampleSizes = grown;
    }
    this.sampleSizes[this.samples++] = 1 + octets;
  }

  /** `count` NO_DATA frames, one sample each (the header octet alone). */
  noData(count: number): void {
    if (this.finished) throw new Error('writeFrame after finish');
    this.out.repeat(NO_DATA_HEADER, count);
    this.modeSet |= 1 << AMR_NO_DATA;
    if (this.samples + count > this.sampleSizes.length) {
      const grown = new Uint8Array(Math.max(this.sampleSizes.length * 2, this.samples + count));
      grown.set(this.sampleSizes);
      this.sampleSizes = grown;
    }
    this.sampleSizes.fill(1, this.samples, this.samples + count);
    this.samples += count;
  }

  /** Write moov after the samples and patch the mdat size; the file is then complete. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const mdatSize = this.out.position - this.mdatStart;
    if (mdatSize > UINT32_MAX) throw new RangeError('3GP media data over 4 GiB');
    this.out.bytes(this.movie());
    this.out.close();
    this.sink.writeAt(new IsoBoxBuilder().u32(mdatSize).finish(), this.mdatStart);
  }

  private movie(): Uint8Array {
    const timescale = amrClockRate(this.wideband);
    const frameTicks = amrSamplesPerFrame(this.wideband);
    const duration = this.samples * frameTicks;
    const version = duration > UINT32_MAX ? 1 : 0;
    const b = new IsoBoxBuilder();
    const times = (): void => {
      // creation_time, modification_time (0: unknown), then timescale and duration
      if (version === 1) b.u64(0).u64(0);
      else b.u32(0).u32(0);
    };
    const dur = (): void => {
      if (version === 1) b.u64(duration);
      else b.u32(duration);
    };

    b.start('moov');
    b.startFull('mvhd', version, 0);
    times();
    b.u32(timescale);
    dur();
    b.u32(0x00010000).u16(0x0100).zeros(10);
    for (const m of UNITY_MATRIX) b.u32(m);
    b.zeros(24).u32(2).end();

    b.start('trak');
    // tkhd flags: track_enabled | track_in_movie | track_in_preview
    b.startFull('tkhd', version, 7);
    times();
    b.u32(1).u32(0);
    dur();
    b.zeros(8).u16(0).u16(0).u16(0x0100).u16(0);
    for (const m of UNITY_MATRIX) b.u32(m);
    b.u32(0).u32(0).end();

    b.start('mdia');
    b.startFull('mdhd', version, 0);
    times();
    b.u32(timescale);
    dur();
    // ISO 639-2/T 'und', three 5-bit letters offset by 0x60.
    b.u16(((0x75 - 0x60) << 10) | ((0x6e - 0x60) << 5) | (0x64 - 0x60)).u16(0).end();
    b.startFull('hdlr', 0, 0).u32(0).fourcc('soun').zeros(12).bytes(new TextEncoder().encode('SoundHandler\0')).end();

    b.start('minf');
    b.startFull('smhd', 0, 0).u16(0).u16(0).end();
    b.start('dinf').startFull('dref', 0, 0).u32(1).startFull('url ', 0, 1).end().end().end();

    b.start('stbl');
    this.sampleDescription(b, timescale);
        // stts: every sample lasts one frame.
    b.startFull('stts', 0, 0).u32(this.samples > 0 ? 1 : 0);
    if (this.samples > 0) b.u32(this.samples).u32(frameTicks);
    b.end();
    const n = this.samples;
    b.startFull('stsc', 0, 0).u32(n > 0 ? 1 : 0);
    if (n > 0) b.u32(1).u32(n).u32(1);
    b.end();
    b.startFull('stsz', 0, 0).u32(0).u32(n);
    for (let i = 0; i < n; i++) b.u32(this.sampleSizes[i] as number);
    b.end();
    // All samples form one chunk, starting right after the mdat header.
    b.startFull('stco', 0, 0).u32(n > 0 ? 1 : 0);
    if (n > 0) b.u32(this.mdatStart + 8);
    b.end();
    b.end(); // stbl
    b.end(); // minf
    b.end(); // mdia
    b.end(); // trak
    b.end(); // moov
    return b.finish();
  }

  // TS 26.244 AMRSampleEntry ('samr' / 'sawb') with its AMRSpecificBox ('damr').
  private sampleDescription(b: IsoBoxBuilder, timescale: number): void {
    b.startFull('stsd', 0, 0).u32(1);
    b.start(this.wideband ? 'sawb' : 'samr');
    b.zeros(6).u16(1); // reserved, data_reference_index
    b.zeros(8).u16(2).u16(16).u16(0).u16(0); // reserved, channelcount = 2, samplesize = 16 (fixed by TS 26.244)
    b.u32(timescale * 0x10000);
    const allModes = this.wideband ? 0x83ff : 0x81ff;
    b.start('damr').fourcc(VENDOR).u8(0).u16(this.modeSet === 0 ? allModes : this.modeSet).u8(0).u8(1).end(); // mode_change_period, frames_per_sample
    b.end();
    b.end();
  }
}

// TS 26.244 file type: brand '3gp4' (release 4 AMR is all this file needs), compatible with isom.
function fileType(): Uint8Array {
  return new IsoBoxBuilder().start('ftyp').fourcc('3gp4').u32(0).fourcc('3gp4').fourcc('isom').end().finish();
}
