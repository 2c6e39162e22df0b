// pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each "type, total length, body,
// total length". Section Header Blocks start sections with their own byte order; Interface
// Description Blocks give each interface its link type, snapshot length and timestamp unit;
// Enhanced, Simple and (obsolete) Packet Blocks carry frames. Every other block is skipped by
// its length (custom blocks and systemd journal entries still take a frame number, as in tshark).
import { CaptureError } from './capture-error.js';
import { linkTypeName } from './link-types.js';
import { MAX_CAPLEN, MIN_SANE_SNAPLEN, RecordParser } from './record-parser.js';
import type { CaptureInterface } from './summary.js';
import { DEFAULT_TSRESOL, TimestampUnits, isSupportedTsresol } from './timestamp-units.js';

export const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_PB = 0x00000002;
const BLOCK_SPB = 0x00000003;
const BLOCK_EPB = 0x00000006;
// Records tshark numbers as frames although they carry no packet (Wireshark 4.0 wiretap).
const BLOCK_SYSTEMD_JOURNAL = 0x00000009;
const BLOCK_CUSTOM = 0x00000bad;
const BLOCK_CUSTOM_NOCOPY = 0x40000bad;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

/** Smallest block: type + total length + trailing total length (§3.1). */
const MIN_BLOCK = 12;
const MIN_SHB = 28;
const MIN_IDB = 20;
const MIN_SPB = 16;
/** EPB and PB: 28 bytes of header before the packet data, 4 after (§4.3, Appendix A). */
const PACKET_HEADER = 28;
const MIN_EPB = 32;
/** A packet block never needs more than its largest packet plus generous options. */
const MAX_PACKET_BLOCK = MAX_CAPLEN + 65536;
/** SHB and IDB are parsed whole; larger ones are nonsense. */
const MAX_HEADER_BLOCK = 1 << 20;

// IDB option codes (§4.2).
const OPT_ENDOFOPT = 0;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

interface Interface {
  readonly info: CaptureInterface;
  readonly linkType: number;
  /** Largest captured length that is not a lie (the snapshot length when it is sane). */
  readonly capLimit: number;
  /** Snapshot length bounding SPB data; 0 = none. */
  readonly spbLimit: number;
  readonly units: TimestampUnits;
  readonly tsOffset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class PcapngParser extends RecordParser {
  readonly format = 'pcapng';
  private littleEndian = true;
  private readonly sectionOrders: boolean[] = [];
  /** Interfaces of the current section, by section-local id. */
  private section: Interface[] = [];
  private readonly all: CaptureInterface[] = [];
  /** A block larger than the buffer being skipped as it streams by. */
  private skipping = false;
  private skipLeft = 0;
  private skipLen = 0;
  private skipType = 0;
  private skipOffset = 0;
  /** Type of the block waiting for more bytes at the unconsumed position, or -1. */
  private pendingType = -1;
  /** The block at the unconsumed position already took a frame number. */
  private numbered = false;

  parse(bytes: Uint8Array, view: DataView, start: number, end: number): number {
    const base = this.offset - start;
    let pos = start;
    this.pendingType = -1;
    for (;;) {
      if (this.skipping) {
        const take = Math.min(end - pos, this.skipLeft);
        pos += take;
        this.skipLeft -= take;
        if (this.skipLeft > 0 || end - pos < 4) break;
        const trailer = view.getUint32(pos, this.littleEndian);
        this.skipping = false;
        if (roundUp4(trailer) !== this.skipLen) {
          this.offset = this.skipOffset;
          this.badTrailer(this.skipOffset, this.skipType, this.skipLen, trailer);
          return pos;
        }
        this.numbered = false;
        pos += 4;
        continue;
      }
      const avail = end - pos;
      if (avail < MIN_BLOCK) break;
      const at = base + pos;
      this.offset = at;
      let le = this.littleEndian;
      const type = view.getUint32(pos, le);
      if (type === BLOCK_SHB) {
        const bom = view.getUint32(pos + 8, true);
        if (bom === BYTE_ORDER_MAGIC) le = true;
        else if (bom === BYTE_ORDER_MAGIC_SWAPPED) le = false;
        else {
          this.reject(at, `section header block at offset ${at} has an unknown byte-order magic ${hex(bytes, pos + 8, 4)}`);
          return pos;
        }
      }
      // §3.1 requires a multiple of 4; writers that leave the padding out of the length exist,
      // and Wireshark (wiretap/pcapng.c) rounds the length up: so does this reader.
      const rawLen = view.getUint32(pos + 4, le);
      const len = roundUp4(rawLen);
      if (len < MIN_BLOCK) {
        this.badLength(at, type, rawLen, 'is not a multiple of 4 of at least 12');
        return pos;
      }
      const parsed = type === BLOCK_EPB || type === BLOCK_PB || type === BLOCK_SPB || type === BLOCK_SHB || type === BLOCK_IDB;
      if (parsed) {
        const max = type === BLOCK_SHB || type === BLOCK_IDB ? MAX_HEADER_BLOCK : MAX_PACKET_BLOCK;
        if (len > max) {
          this.badLength(at, type, rawLen, `exceeds ${max}`);
          return pos;
        }
      }
      if (!parsed && (type === BLOCK_CUSTOM || type === BLOCK_CUSTOM_NOCOPY || type === BLOCK_SYSTEMD_JOURNAL) && !this.numbered) {
        this.frameNo++;
        this.numbered = true;
      }
      if (avail < len) {
        if (parsed) {
          this.pendingType = type;
          break;
        }
        // A block nobody reads streams by without being buffered whole.
        const take = Math.min(avail, len - 4);
        this.skipping = true;
        this.skipLen = len;
        this.skipType = type;
        this.skipOffset = at;
        this.skipLeft = len - 4 - take;
        pos += take;
        continue;
      }
      const trailer = view.getUint32(pos + len - 4, le);
      if (roundUp4(trailer) !== len) {
        this.badTrailer(at, type, rawLen, trailer);
        return pos;
      }
      if (type === BLOCK_EPB || type === BLOCK_PB) this.packetBlock(bytes, view, pos, len, type, at);
      else if (type === BLOCK_SPB) this.simplePacketBlock(bytes, view, pos, len, at);
      else if (type === BLOCK_SHB) this.sectionHeader(view, pos, len, le, at);
      else if (type === BLOCK_IDB) this.interfaceDescription(bytes, view, pos, len, at);
      if (this.stopped) return pos;
      this.numbered = false;
      pos += len;
    }
    this.offset = base + pos;
    return pos;
  }

  finish(leftover: number): void {
    if (this.sectionOrders.length === 0) {
      throw new CaptureError(this.file, `pcapng section header block is truncated (${leftover} bytes)`);
    }
    if (this.skipping) {
      const at = this.skipOffset;
      this.warn(at, `capture ends mid-record at offset ${at} (${blockName(this.skipType)} incomplete)`, false);
    } else if (leftover > 0) {
      const t = this.pendingType;
      if (t === BLOCK_EPB || t === BLOCK_PB || t === BLOCK_SPB) this.warnTruncated(leftover, `frame ${this.frameNo + 1}`);
      else this.warn(this.offset, `capture ends mid-record at offset ${this.offset} (${t < 0 ? 'block header' : blockName(t)} incomplete)`, false);
    }
  }

  variant(): string {
    const n = this.sectionOrders.length;
    if (n === 1) return `pcapng, ${this.sectionOrders[0] ? 'little' : 'big'}-endian`;
    return `pcapng (${n} sections)`;
  }

  interfaces(): CaptureInterface[] {
    return this.all.slice();
  }

  // §4.3 Enhanced Packet Block, Appendix A obsolete Packet Block (16-bit interface id + drops).
  private packetBlock(bytes: Uint8Array, view: DataView, pos: number, len: number, type: number, at: number): void {
    const le = this.littleEndian;
    const frameNo = this.frameNo + 1;
    if (len < MIN_EPB) {
      this.badLength(at, type, len, `is below the minimum of ${MIN_EPB}`);
      return;
    }
    const interfaceId = type === BLOCK_EPB ? view.getUint32(pos + 8, le) : view.getUint16(pos + 8, le);
    const iface = this.section[interfaceId];
    if (iface === undefined) {
      this.warn(at, `frame ${frameNo} at offset ${at} refers to interface ${interfaceId}, but its section describes ${this.section.length}; reading stopped`, true, frameNo);
      return;
    }
    const capLen = view.getUint32(pos + 20, le);
    if (capLen > len - PACKET_HEADER - 4) {
      this.warn(at, `frame ${frameNo} at offset ${at}: captured length ${capLen} does not fit its ${len}-byte block; reading stopped`, true, frameNo);
      return;
    }
    if (capLen > iface.capLimit) {
      this.rejectCapLen(at, frameNo, capLen, iface);
      return;
    }
    const units = iface.units;
    units.split(view.getUint32(pos + 12, le), view.getUint32(pos + 16, le));
    const tsSec = units.sec + iface.tsOffset;
    const tsNsec = units.nsec;
    const t = tsSec + tsNsec / 1e9;
    if (t < this.minTs) this.minTs = t;
    if (t > this.maxTs) this.maxTs = t;
    this.frameNo = frameNo;
    this.frames++;
    this.onFrame(this.frame.fill(frameNo, tsSec, tsNsec, iface.linkType, iface.info.id, bytes, pos + PACKET_HEADER, pos + PACKET_HEADER + capLen, view.getUint32(pos + 24, le)));
  }

  // §4.4 Simple Packet Block: interface 0, no timestamp, captured length from the original
  // length capped by the snapshot length.
  private simplePacketBlock(bytes: Uint8Array, view: DataView, pos: number, len: number, at: number): void {
    const frameNo = this.frameNo + 1;
    if (len < MIN_SPB) {
      this.badLength(at, BLOCK_SPB, len, `is below the minimum of ${MIN_SPB}`);
      return;
    }
    const iface = this.section[0];
    if (iface === undefined) {
      this.warn(at, `frame ${frameNo} at offset ${at} is a simple packet block in a section without interfaces; reading stopped`, true, frameNo);
      return;
    }
    const origLen = view.getUint32(pos + 8, this.littleEndian);
    const capLen = iface.spbLimit !== 0 && origLen > iface.spbLimit ? iface.spbLimit : origLen;
    if (capLen > len - MIN_SPB) {
      this.warn(at, `frame ${frameNo} at offset ${at}: captured length ${capLen} does not fit its ${len}-byte simple packet block; reading stopped`, true, frameNo);
      return;
    }
    if (capLen > iface.capLimit) {
      this.rejectCapLen(at, frameNo, capLen, iface);
      return;
    }
    this.frameNo = frameNo;
    this.frames++;
    this.onFrame(this.frame.fill(frameNo, 0, 0, iface.linkType, iface.info.id, bytes, pos + 12, pos + 12 + capLen, origLen));
  }

  // §4.1 Section Header Block: byte order, version 1.x; interfaces are numbered per section.
  private sectionHeader(view: DataView, pos: number, len: number, le: boolean, at: number): void {
    if (len < MIN_SHB) {
      this.badLength(at, BLOCK_SHB, len, `is below the minimum of ${MIN_SHB}`);
      return;
    }
    const major = view.getUint16(pos + 12, le);
    const minor = view.getUint16(pos + 14, le);
    if (major !== 1) {
      this.reject(at, `section header block at offset ${at} has unsupported pcapng version ${major}.${minor}`);
      return;
    }
    this.littleEndian = le;
    this.sectionOrders.push(le);
    this.section = [];
  }

  // §4.2 Interface Description Block and its options.
  private interfaceDescription(bytes: Uint8Array, view: DataView, pos: number, len: number, at: number): void {
    if (len < MIN_IDB) {
      this.badLength(at, BLOCK_IDB, len, `is below the minimum of ${MIN_IDB}`);
      return;
    }
    const le = this.littleEndian;
    const id = this.all.length;
    const linkType = view.getUint16(pos + 8, le);
    const snapLen = view.getUint32(pos + 12, le);
    let tsresol = DEFAULT_TSRESOL;
    let tsOffset = 0;
    let name: string | undefined;
    let description: string | undefined;
    const optEnd = pos + len - 4;
    let p = pos + 16;
    while (optEnd - p >= 4) {
      const code = view.getUint16(p, le);
      const optLen = view.getUint16(p + 2, le);
      if (code === OPT_ENDOFOPT) break;
      const value = p + 4;
      if (optLen > optEnd - value) {
        this.warn(at, `interface ${id} at offset ${at}: option ${code} overruns its block; remaining options ignored`, false);
        break;
      }
      if (code === IF_NAME) name = utf8.decode(bytes.subarray(value, value + optLen));
      else if (code === IF_DESCRIPTION) description = utf8.decode(bytes.subarray(value, value + optLen));
      else if (code === IF_TSRESOL && optLen >= 1) {
        const raw = bytes[value] ?? DEFAULT_TSRESOL;
        if (isSupportedTsresol(raw)) tsresol = raw;
        else this.warn(at, `interface ${id} at offset ${at}: if_tsresol 0x${raw.toString(16)} is out of range; microseconds assumed`, false);
      } else if (code === IF_TSOFFSET && optLen === 8) tsOffset = Number(view.getBigInt64(value, le));
      p = value + ((optLen + 3) & ~3);
    }
    const units = new TimestampUnits(tsresol);
    const info: CaptureInterface = {
      id,
      linkType,
      linkTypeName: linkTypeName(linkType),
      snapLen,
      ...(name === undefined ? {} : { name }),
      ...(description === undefined ? {} : { description }),
      tsResolution: units.label,
    };
    this.all.push(info);
    this.section.push({
      info,
      linkType,
      capLimit: snapLen >= MIN_SANE_SNAPLEN && snapLen <= MAX_CAPLEN ? snapLen : MAX_CAPLEN,
      spbLimit: snapLen,
      units,
      tsOffset,
    });
  }

  private rejectCapLen(at: number, frameNo: number, capLen: number, iface: Interface): void {
    const bound = iface.capLimit === MAX_CAPLEN ? `the ${MAX_CAPLEN}-byte maximum` : `the snapshot length ${iface.capLimit} of interface ${iface.info.id}`;
    this.warn(at, `frame ${frameNo} at offset ${at}: captured length ${capLen} exceeds ${bound}; reading stopped`, true, frameNo);
  }

  private badLength(at: number, type: number, len: number, why: string): void {
    this.reject(at, `${this.blockAt(type, at)} has block length ${len}, which ${why}`, type);
  }

  private badTrailer(at: number, type: number, len: number, trailer: number): void {
    this.reject(at, `${this.blockAt(type, at)} has block length ${len} but its trailing copy says ${trailer}`, type);
  }

  /** Fatal: a CaptureError before the first section is accepted, a warning after. */
  private reject(at: number, message: string, type?: number): void {
    if (this.sectionOrders.length === 0) throw new CaptureError(this.file, message);
    this.warn(at, `${message}; reading stopped`, true, type === undefined ? undefined : this.frameOf(type));
  }

  private blockAt(type: number, at: number): string {
    const frameNo = this.frameOf(type);
    if (frameNo !== undefined) return `frame ${frameNo} (${blockName(type)}) at offset ${at}`;
    return `${blockName(type)} at offset ${at} (after frame ${this.frameNo})`;
  }

  /** The frame number of a block: the next one for packet blocks, the one it took for others. */
  private frameOf(type: number): number | undefined {
    if (type === BLOCK_EPB || type === BLOCK_PB || type === BLOCK_SPB) return this.frameNo + 1;
    return this.numbered ? this.frameNo : undefined;
  }
}

function blockName(type: number): string {
  switch (type) {
    case BLOCK_SHB:
      return 'section header block';
    case BLOCK_IDB:
      return 'interface description block';
    case BLOCK_EPB:
      return 'enhanced packet block';
    case BLOCK_SPB:
      return 'simple packet block';
    case BLOCK_PB:
      return 'packet block';
    case BLOCK_CUSTOM:
    case BLOCK_CUSTOM_NOCOPY:
      return 'custom block';
    case BLOCK_SYSTEMD_JOURNAL:
      return 'systemd journal export block';
    default:
      return `block of type 0x${type.toString(16).padStart(8, '0')}`;
  }
}

function hex(bytes: Uint8Array, from: number, count: number): string {
  const out: string[] = [];
  for (let i = from; i < from + count && i < bytes.length; i++) out.push((bytes[i] ?? 0).toString(16).padStart(2, '0'));
  return out.join(' ');
}

/** A block length rounded up to the 32-bit boundary the block really ends on. */
function roundUp4(n: number): number {
  return n % 4 === 0 ? n : n + 4 - (n % 4);
}
