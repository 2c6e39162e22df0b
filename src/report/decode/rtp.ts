// RTP packets as decode records (RFC 3550 §5.1): header fields and payload length, the SDP
// that set up the flow, and for AMR / AMR-WB payloads the CMR and table of contents
// (RFC 4867 §4.3 / §4.4) read with the format the SDP negotiated.
import { isDecodeError } from '../../decode-error.js';
import type { RtpEvent } from '../../pipeline/events.js';
import { decodeAmrPayload } from '../../protocols/amr/decode.js';
import type { AmrTocEntry } from '../../protocols/amr/types.js';
import { amrFmtpOf } from '../../protocols/sdp/amr-fmtp.js';
import type { SdpPayloadFormat } from '../../protocols/sdp/types.js';
import { printable } from './inline.js';
import { recordMeta, type RecordMeta } from './record.js';

export interface RtpAmrRecord {
  readonly wideband: boolean;
  readonly octetAligned: boolean;
  /** Codec mode request; 15 = no request. */
  readonly cmr?: number;
  readonly toc?: readonly AmrTocEntry[];
  /** Why the payload does not read as the negotiated AMR format. */
  readonly error?: string;
}

export interface RtpRecord extends RecordMeta {
  readonly proto: 'rtp';
  readonly version: 2;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  /** RFC 3550 §5.3.1 header extension: profile field and data length in octets. */
  readonly extension?: { readonly profile: number; readonly length: number };
  readonly paddingLength: number;
  readonly headerLength: number;
  readonly payloadLength: number;
  /** "AMR-WB/16000": the encoding the SDP gave this payload type. */
  readonly encoding?: string;
  /** How the flow was recognised: the SDP (Call-ID, frame) and the endpoint matched, or a heuristic. */
  readonly binding: { readonly callId?: string; readonly sdpFrame?: number; readonly by: RtpEvent['boundBy'] };
  readonly amr?: RtpAmrRecord;
}

export function rtpRecord(event: RtpEvent): RtpRecord {
  const p = event.packet;
  const b = event.binding;
  const format = b?.formats.get(p.payloadType);
  const amr = format !== undefined ? amrRecord(format, p.payload) : undefined;
  return {
    ...recordMeta(event.meta),
    proto: 'rtp',
    version: p.version,
    marker: p.marker,
    payloadType: p.payloadType,
    sequence: p.sequence,
    timestamp: p.timestamp,
    ssrc: p.ssrc,
    csrcs: p.csrcs,
    ...(p.extension !== undefined ? { extension: { profile: p.extension.profile, length: p.extension.data.length } } : {}),
    paddingLength: p.paddingLength,
    headerLength: p.headerLength,
    payloadLength: p.payload.length,
    ...(format?.encodingName !== undefined ? { encoding: `${format.encodingName}/${format.clockRate ?? '?'}` } : {}),
    binding: b === undefined ? { by: event.boundBy } : { callId: b.callId, sdpFrame: b.sdpFrameNo, by: event.boundBy },
    ...(amr !== undefined ? { amr } : {}),
  };
}

function amrRecord(format: SdpPayloadFormat, payload: Uint8Array): RtpAmrRecord | undefined {
  const fmtp = amrFmtpOf(format);
  if (fmtp === undefined) return undefined;
  const wideband = format.encodingKey === 'amr-wb';
  const decoded = decodeAmrPayload(payload, {
    wideband,
    octetAligned: fmtp.octetAlign,
    crc: fmtp.crc,
    robustSorting: fmtp.robustSorting,
    interleaving: fmtp.interleaving !== undefined,
    channels: fmtp.channels,
  });
  const base = { wideband, octetAligned: fmtp.octetAlign };
  if (isDecodeError(decoded)) return { ...base, error: decoded.reason };
  return { ...base, cmr: decoded.cmr, toc: decoded.tocEntries };
}

const hex32 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

export function rtpText(r: RtpRecord, indent: string): string[] {
  const encoding = r.encoding !== undefined ? ` (${printable(r.encoding)})` : '';
  const lines = [
    `${indent}RTP PT ${r.payloadType}${encoding}  seq ${r.sequence}  ts ${r.timestamp}  SSRC ${hex32(r.ssrc)}${r.marker ? '  marker' : ''}`,
    `${indent}  header ${r.headerLength} bytes, payload ${r.payloadLength} bytes${r.paddingLength > 0 ? `, padding ${r.paddingLength}` : ''}${r.csrcs.length > 0 ? `, CSRC ${r.csrcs.map(hex32).join(' ')}` : ''}`,
  ];
  if (r.extension !== undefined) lines.push(`${indent}  extension profile 0x${r.extension.profile.toString(16).padStart(4, '0')}, ${r.extension.length} bytes`);
  const b = r.binding;
  lines.push(b.callId !== undefined ? `${indent}  set up by SDP in frame ${b.sdpFrame}, Call-ID ${printable(b.callId)} (matched on ${b.by})` : `${indent}  found by heuristic`);
  const amr = r.amr;
  if (amr !== undefined) {
    const mode = `${amr.wideband ? 'AMR-WB' : 'AMR'} ${amr.octetAligned ? 'octet-aligned' : 'bandwidth-efficient'}`;
    if (amr.error !== undefined) lines.push(`${indent}  ${mode}: [Malformed: ${amr.error}]`);
    else lines.push(`${indent}  ${mode}  CMR ${amr.cmr}  TOC ${(amr.toc ?? []).map((e) => `FT ${e.ft}${e.q ? '' : ' (Q=0)'}`).join(', ')}`);
  }
  return lines;
}
