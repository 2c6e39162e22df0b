// What `imscap decode` writes per message: the flow and frame it came from, then the typed
// fields of its protocol. Every record is plain JSON (no bigint, no byte arrays: byte values
// are lowercase hex), so the JSON form is `JSON.stringify(record)` and the text form is drawn
// from the same record.
import type { TunnelHop } from '../../net/events.js';
import type { MessageMeta } from '../../pipeline/events.js';
import { formatTime } from '../time.js';
import type { DiameterRecord } from './diameter.js';
import type { Gtpv2Record } from './gtpv2.js';
import type { RtpRecord } from './rtp.js';
import type { SdpRecord, SipRecord } from './sip.js';

export interface RecordMeta {
  /** Frame where the message became complete (where tshark shows it), 1-based. */
  readonly frame: number;
  /** First frame holding bytes of the message (earlier than `frame` after reassembly). */
  readonly firstFrame: number;
  /** Capture time, UTC ISO 8601 with microseconds. */
  readonly time: string;
  /** The same instant in seconds since the Unix epoch. */
  readonly epoch: number;
  readonly transport: MessageMeta['transport'];
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  /** Tunnels the message was carried in, outermost first. */
  readonly tunnel: readonly TunnelHop[];
}

export type DecodedRecord = SipRecord | SdpRecord | DiameterRecord | Gtpv2Record | RtpRecord;

export function recordMeta(meta: MessageMeta): RecordMeta {
  return {
    frame: meta.frameNo,
    firstFrame: meta.firstFrameNo,
    time: formatTime(meta.ts),
    epoch: meta.ts,
    transport: meta.transport,
    src: meta.src,
    srcPort: meta.srcPort,
    dst: meta.dst,
    dstPort: meta.dstPort,
    tunnel: meta.tunnel,
  };
}
