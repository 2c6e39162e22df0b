// User Location Information (TS 29.274 §8.21): a flags octet, then the flagged identities in
// the order CGI, SAI, RAI, TAI, ECGI, LAI, Macro eNodeB ID, Extended Macro eNodeB ID.
import { readPlmn } from './tbcd.js';
import type { UserLocationInfo } from './types.js';

const CGI = 0x01;
const SAI = 0x02;
const RAI = 0x04;
const TAI = 0x08;
const ECGI = 0x10;
const LAI = 0x20;
const MACRO_ENB = 0x40;
const EXT_MACRO_ENB = 0x80;

const u16 = (b: Uint8Array, off: number): number => (b[off]! << 8) | b[off + 1]!;

/** The identities that fit; `problem` says where the data ran out. */
export function readUli(data: Uint8Array): { uli: UserLocationInfo; problem?: string } {
  const uli: { -readonly [K in keyof UserLocationInfo]: UserLocationInfo[K] } = {};
  if (data.length < 1) return { uli, problem: 'ULI without its flags octet' };
  const flags = data[0]!;
  let off = 1;
  const take = (flag: number, size: number, label: string): number | string | undefined => {
    if ((flags & flag) === 0) return undefined;
    if (data.length - off < size) return `${label} flagged but only ${data.length - off} octets left`;
    const at = off;
    off += size;
    return at;
  };
  const steps: [number, number, string, (at: number) => void][] = [
    [CGI, 7, 'CGI', (at) => (uli.cgi = { ...readPlmn(data, at), lac: u16(data, at + 3), ci: u16(data, at + 5) })], // §8.21.1
    [SAI, 7, 'SAI', (at) => (uli.sai = { ...readPlmn(data, at), lac: u16(data, at + 3), sac: u16(data, at + 5) })], // §8.21.2
    [RAI, 7, 'RAI', (at) => (uli.rai = { ...readPlmn(data, at), lac: u16(data, at + 3), rac: data[at + 5]! })], // §8.21.3: octet c+6 is all ones
    [TAI, 5, 'TAI', (at) => (uli.tai = { ...readPlmn(data, at), tac: u16(data, at + 3) })], // §8.21.4
    [ECGI, 7, 'ECGI', (at) => {
      // §8.21.5: 4 spare bits, then the 28-bit ECI (20-bit eNodeB id + 8-bit cell id, TS 36.413 §9.2.1.38)
      const eci = (((data[at + 3]! & 0x0f) << 24) | (data[at + 4]! << 16) | u16(data, at + 5)) >>> 0;
      uli.ecgi = { ...readPlmn(data, at), eci, enodebId: eci >>> 8, cellId: eci & 0xff };
    }],
    [LAI, 5, 'LAI', (at) => (uli.lai = { ...readPlmn(data, at), lac: u16(data, at + 3) })], // §8.21.6
    [MACRO_ENB, 6, 'Macro eNodeB ID', (at) => {
      uli.macroEnodebId = { ...readPlmn(data, at), enodebId: ((data[at + 3]! & 0x0f) << 16) | u16(data, at + 4) }; // §8.21.7: 20 bits
    }],
    [EXT_MACRO_ENB, 6, 'Extended Macro eNodeB ID', (at) => {
      // §8.21.8: SMeNB set → 18-bit Short Macro eNodeB ID, else 21-bit Long Macro eNodeB ID
      const short = (data[at + 3]! & 0x80) !== 0;
      const high = data[at + 3]! & (short ? 0x03 : 0x1f);
      uli.extendedMacroEnodebId = { ...readPlmn(data, at), enodebId: (high << 16) | u16(data, at + 4), short };
    }],
  ];
  for (const [flag, size, label, read] of steps) {
    const at = take(flag, size, label);
    if (typeof at === 'string') return { uli, problem: at };
    if (at !== undefined) read(at);
  }
  return { uli };
}
