// GTP-U version 1 header (3GPP TS 29.281 §5.1, §5.2): mandatory 8 octets, the optional
// sequence / N-PDU / next-extension-type word when any of E, S, PN is set, then the chain of
// extension headers, each a multiple of 4 octets whose last octet names the next one.

import { decodeError, type DecodeError } from '../decode-error.js';
import { u16, u32 } from './read.js';

export const GTPU_PORT = 2152; // TS 29.281 §4.4.2
/** TS 29.281 §6.1: G-PDU carries a T-PDU (here an IP packet); the rest are signalling. */
export const GTPU_G_PDU = 255;

const FLAG_PN = 0x01;
const FLAG_S = 0x02;
const FLAG_E = 0x04;
const FLAG_PT = 0x10;

/** Message names for the GTP-U signalling messages counted in statistics (TS 29.281 §7.1). */
export const GTPU_MESSAGE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'echo-request'],
  [2, 'echo-response'],
  [26, 'error-indication'],
  [31, 'supported-extension-headers'],
  [253, 'tunnel-status'],
  [254, 'end-marker'],
]);

/** Reusable result of decodeGtpu (one per decoder, overwritten by each call). */
export interface GtpuHeader {
  messageType: number;
  teid: number;
  /** -1 when the S flag is clear. */
  sequence: number;
  /** Number of extension headers in the chain. */
  extensionHeaders: number;
  payloadStart: number;
  payloadEnd: number;
  /** The length field claims more octets than `end` allows (payloadEnd was clipped). */
  lengthExceeds: boolean;
  /** Set with an error: the header ran out of bytes (rather than breaking a rule). */
  cutShort: boolean;
}

export function newGtpuHeader(): GtpuHeader {
  return { messageType: 0, teid: 0, sequence: -1, extensionHeaders: 0, payloadStart: 0, payloadEnd: 0, lengthExceeds: false, cutShort: false };
}

export function decodeGtpu(buf: Uint8Array, start: number, end: number, out: GtpuHeader): DecodeError | undefined {
  out.cutShort = true;
  if (end - start < 8) return decodeError('gtpu', `${end - start} octets, header needs 8`, 0);
  out.cutShort = false;
  const flags = buf[start]!;
  if (flags >> 5 !== 1) return decodeError('gtpu', `version ${flags >> 5}, expected 1`, 0);
  if ((flags & FLAG_PT) === 0) return decodeError('gtpu', "protocol type 0 (GTP')", 0);
  out.messageType = buf[start + 1]!;
  const length = u16(buf, start + 2); // octets after the mandatory header (TS 29.281 §5.1)
  out.teid = u32(buf, start + 4);
  let msgEnd = start + 8 + length;
  out.lengthExceeds = msgEnd > end;
  if (out.lengthExceeds) msgEnd = end;
  let p = start + 8;
  out.sequence = -1;
  out.extensionHeaders = 0;
  if ((flags & (FLAG_E | FLAG_S | FLAG_PN)) !== 0) {
    out.cutShort = true;
    if (p + 4 > msgEnd) return decodeError('gtpu', 'optional fields cut short', p - start);
    if ((flags & FLAG_S) !== 0) out.sequence = u16(buf, p);
    let next = (flags & FLAG_E) !== 0 ? buf[p + 3]! : 0;
    p += 4;
    while (next !== 0) {
      if (p >= msgEnd) return decodeError('gtpu', `extension header 0x${next.toString(16)} cut short`, p - start);
      const extLen = buf[p]! * 4; // TS 29.281 §5.2.1: length in 4-octet units
      if (extLen === 0) {
        out.cutShort = false;
        return decodeError('gtpu', 'extension header of length 0', p - start);
      }
      if (p + extLen > msgEnd) return decodeError('gtpu', `extension header of ${extLen} octets runs past the message`, p - start);
      next = buf[p + extLen - 1]!;
      p += extLen;
      out.extensionHeaders++;
    }
    out.cutShort = false;
  }
  out.payloadStart = p;
  out.payloadEnd = msgEnd;
  return undefined;
}
