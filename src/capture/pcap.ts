// Classic libpcap files (draft-ietf-opsawg-pcap §4 file header, §5 packet records): a 24-byte
// file header, then 16-byte record headers each followed by the captured bytes. Magic a1b2c3d4 =
// microsecond, a1b23c4d = nanosecond timestamps, written in either byte order.
import { CaptureError } from './capture-error.js';
import { linkTypeName } from './link-types.js';
import { MAX_CAPLEN, MIN_SANE_SNAPLEN, RecordParser } from './record-parser.js';
import type { CaptureInterface } from './summary.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;
// The link-type field's upper bits may carry FCS information (pcap-savefile(5), LT_LINKTYPE).
const LINKTYPE_MASK = 0x03ffffff;

/** True when the first four bytes are a classic pcap magic in either byte order. */
export function isPcapMagic(first4: DataView): boolean {
  const be = first4.getUint32(0, false);
  const le = first4.getUint32(0, true);
  return be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS || le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS;
}

export class PcapParser extends RecordParser {
  readonly format = 'pcap';
  private headerDone = false;
  private littleEndian = true;
  private nanosecond = false;
  private snapLen = 0;
  private linkType = 0;
  /** Largest captured length that is not a lie: the snapshot length when it is sane. */
  private capLimit = MAX_CAPLEN;

  parse(bytes: Uint8Array, view: DataView, start: number, end: number): number {
    let pos = start;
    if (!this.headerDone) {
      if (end - pos < FILE_HEADER) return pos;
      this.readFileHeader(view, pos);
      pos += FILE_HEADER;
    }
    const le = this.littleEndian;
    const nano = this.nanosecond;
    const capLimit = this.capLimit;
    const linkType = this.linkType;
    const onFrame = this.onFrame;
    const frame = this.frame;
    let frameNo = this.frameNo;
    let minTs = this.minTs;
    let maxTs = this.maxTs;
    while (end - pos >= RECORD_HEADER) {
      const capLen = view.getUint32(pos + 8, le);
      if (capLen > capLimit) {
        this.frames = this.frameNo = frameNo;
        this.minTs = minTs;
        this.maxTs = maxTs;
        this.offset += pos - start;
        this.rejectLength(capLen);
        return pos;
      }
      const dataEnd = pos + RECORD_HEADER + capLen;
      if (dataEnd > end) break;
      let tsSec = view.getUint32(pos, le);
      let frac = view.getUint32(pos + 4, le);
      let tsNsec: number;
      if (nano) {
        if (frac >= 1e9) {
          tsSec += Math.floor(frac / 1e9);
          frac %= 1e9;
        }
        tsNsec = frac;
      } else {
        if (frac >= 1e6) {
          tsSec += Math.floor(frac / 1e6);
          frac %= 1e6;
        }
        tsNsec = frac * 1000;
      }
      const t = tsSec + tsNsec / 1e9;
      if (t < minTs) minTs = t;
      if (t > maxTs) maxTs = t;
      onFrame(frame.fill(++frameNo, tsSec, tsNsec, linkType, 0, bytes, pos + RECORD_HEADER, dataEnd, view.getUint32(pos + 12, le)));
      pos = dataEnd;
    }
    this.frames = this.frameNo = frameNo;
    this.minTs = minTs;
    this.maxTs = maxTs;
    this.offset += pos - start;
    return pos;
  }

  finish(leftover: number): void {
    if (!this.headerDone) throw new CaptureError(this.file, `pcap file header is truncated (${leftover} of ${FILE_HEADER} bytes)`);
    this.warnTruncated(leftover, `frame ${this.frameNo + 1}`);
  }

  variant(): string {
    return `pcap, ${this.nanosecond ? 'nanosecond' : 'microsecond'}, ${this.littleEndian ? 'little' : 'big'}-endian`;
  }

  interfaces(): CaptureInterface[] {
    if (!this.headerDone) return [];
    return [{ id: 0, linkType: this.linkType, linkTypeName: linkTypeName(this.linkType), snapLen: this.snapLen, tsResolution: this.nanosecond ? 'ns' : 'µs' }];
  }

  private readFileHeader(view: DataView, pos: number): void {
    const magicLe = view.getUint32(pos, true);
    this.littleEndian = magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS;
    const magic = view.getUint32(pos, this.littleEndian);
    this.nanosecond = magic === PCAP_MAGIC_NS;
    this.snapLen = view.getUint32(pos + 16, this.littleEndian);
    this.linkType = view.getUint32(pos + 20, this.littleEndian) & LINKTYPE_MASK;
    this.capLimit = this.snapLen >= MIN_SANE_SNAPLEN && this.snapLen <= MAX_CAPLEN ? this.snapLen : MAX_CAPLEN;
    this.headerDone = true;
  }

  private rejectLength(capLen: number): void {
    const frameNo = this.frameNo + 1;
    const bound = this.capLimit === MAX_CAPLEN ? `the ${MAX_CAPLEN}-byte maximum` : `the snapshot length ${this.snapLen}`;
    this.warn(this.offset, `frame ${frameNo} at offset ${this.offset}: captured length ${capLen} exceeds ${bound}; reading stopped`, true, frameNo);
  }
}
