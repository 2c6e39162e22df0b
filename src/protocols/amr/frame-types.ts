// AMR and AMR-WB frame types as data: speech bits per frame type and mode names.
// AMR: 3GPP TS 26.101 Table 1a; AMR-WB: 3GPP TS 26.201 Table 1a (as RFC 4867 uses them).

export type AmrFrameKind = 'speech' | 'sid' | 'speech-lost' | 'no-data' | 'reserved';

export interface AmrFrameTypeInfo {
  readonly ft: number;
  readonly kind: AmrFrameKind;
  /** Bits carried by a frame of this type (0 for NO_DATA, SPEECH_LOST and reserved types). */
  readonly bits: number;
  /** 'AMR 12.2', 'AMR-WB 23.85', 'SID', 'NO_DATA', 'SPEECH_LOST', 'reserved'. */
  readonly name: string;
  /** Codec bit rate in kbit/s for speech modes. */
  readonly kbps?: number;
}

/** RFC 4867 §4.3.2 / §5.3: frame type 15 means no data; a storage header byte 0x7C. */
export const AMR_NO_DATA = 15;
/** TS 26.201 Table 1a: AMR-WB frame type 14 is SPEECH_LOST. */
export const AMR_WB_SPEECH_LOST = 14;
/** Frame type of a SID (comfort noise) frame. */
export const AMR_NB_SID = 8;
export const AMR_WB_SID = 9;

// [mode name, kbit/s, speech bits]
const NB_SPEECH: readonly (readonly [string, number, number])[] = [
  ['4.75', 4.75, 95],
  ['5.15', 5.15, 103],
  ['5.90', 5.9, 118],
  ['6.70', 6.7, 134],
  ['7.40', 7.4, 148],
  ['7.95', 7.95, 159],
  ['10.2', 10.2, 204],
  ['12.2', 12.2, 244],
];

const WB_SPEECH: readonly (readonly [string, number, number])[] = [
  ['6.60', 6.6, 132],
  ['8.85', 8.85, 177],
  ['12.65', 12.65, 253],
  ['14.25', 14.25, 285],
  ['15.85', 15.85, 317],
  ['18.25', 18.25, 365],
  ['19.85', 19.85, 397],
  ['23.05', 23.05, 461],
  ['23.85', 23.85, 477],
];

function buildTable(wideband: boolean): readonly AmrFrameTypeInfo[] {
  const speech = wideband ? WB_SPEECH : NB_SPEECH;
  const codec = wideband ? 'AMR-WB' : 'AMR';
  const table: AmrFrameTypeInfo[] = [];
  for (let ft = 0; ft < 16; ft++) {
    const mode = speech[ft];
    if (mode !== undefined) {
      table.push({ ft, kind: 'speech', bits: mode[2], kbps: mode[1], name: `${codec} ${mode[0]}` });
    } else if (ft === (wideband ? AMR_WB_SID : AMR_NB_SID)) {
      // AMR SID: 39 bits (TS 26.101); AMR-WB SID: 40 bits (TS 26.201).
      table.push({ ft, kind: 'sid', bits: wideband ? 40 : 39, name: 'SID' });
    } else if (ft === AMR_NO_DATA) {
      table.push({ ft, kind: 'no-data', bits: 0, name: 'NO_DATA' });
    } else if (wideband && ft === AMR_WB_SPEECH_LOST) {
      table.push({ ft, kind: 'speech-lost', bits: 0, name: 'SPEECH_LOST' });
    } else {
      // AMR 9–11 (legacy GSM-EFR/TDMA-EFR/PDC-EFR SID, not used by RFC 4867) and 12–14,
      // AMR-WB 10–13: reserved for future use.
      table.push({ ft, kind: 'reserved', bits: 0, name: 'reserved' });
    }
  }
  return table;
}

export const AMR_NB_FRAME_TYPES: readonly AmrFrameTypeInfo[] = buildTable(false);
export const AMR_WB_FRAME_TYPES: readonly AmrFrameTypeInfo[] = buildTable(true);

export function amrFrameTypes(wideband: boolean): readonly AmrFrameTypeInfo[] {
  return wideband ? AMR_WB_FRAME_TYPES : AMR_NB_FRAME_TYPES;
}

/** Speech bits per frame type (index 0–15) with -1 for reserved types: the tables hot paths read. */
function bitsTable(types: readonly AmrFrameTypeInfo[]): Int16Array {
  return Int16Array.from(types, (t) => (t.kind === 'reserved' ? -1 : t.bits));
}

/** Octets per frame type (speech bits octet-aligned, RFC 4867 §5.3) with -1 for reserved types. */
function octetsTable(types: readonly AmrFrameTypeInfo[]): Int8Array {
  return Int8Array.from(types, (t) => (t.kind === 'reserved' ? -1 : (t.bits + 7) >> 3));
}

const NB_BITS = bitsTable(AMR_NB_FRAME_TYPES);
const WB_BITS = bitsTable(AMR_WB_FRAME_TYPES);
const NB_OCTETS = octetsTable(AMR_NB_FRAME_TYPES);
const WB_OCTETS = octetsTable(AMR_WB_FRAME_TYPES);

/** Speech bits of frame types 0–15 (-1: reserved), as a typed array. Read only. */
export function amrFrameBitsTable(wideband: boolean): Int16Array {
  return wideband ? WB_BITS : NB_BITS;
}

/** Octets of frame types 0–15 in storage layout (-1: reserved), as a typed array. Read only. */
export function amrFrameOctetsTable(wideband: boolean): Int8Array {
  return wideband ? WB_OCTETS : NB_OCTETS;
}

/** Information on frame type `ft` (0–15; anything else is reported as reserved). */
export function amrFrameType(ft: number, wideband: boolean): AmrFrameTypeInfo {
  return amrFrameTypes(wideband)[ft] ?? { ft, kind: 'reserved', bits: 0, name: 'reserved' };
}

/** Speech bits octet-aligned, as the storage format and octet-aligned payloads carry them. */
export function amrFrameBytes(ft: number, wideband: boolean): number {
  return Math.ceil(amrFrameType(ft, wideband).bits / 8);
}

/** RFC 4867 §4.1: AMR is sampled at 8 kHz, AMR-WB at 16 kHz; a frame is 20 ms. */
export function amrClockRate(wideband: boolean): number {
  return wideband ? 16000 : 8000;
}

export function amrSamplesPerFrame(wideband: boolean): number {
  return wideband ? 320 : 160;
}
