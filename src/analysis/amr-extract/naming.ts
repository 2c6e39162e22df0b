// Output file names: short, from the call, direction and SSRC ("<call-id>_<a2b|b2a>_<ssrc>.awb"),
// or from the flow when no SDP set the stream up ("<src>_<sport>-<dst>_<dport>_<ssrc>.amr").
// Every part comes from packet data, so each is reduced to a safe path component that does not
// start with '-' either (it would read as an option to sox or ffmpeg).
import { safeComponent } from '../../output/safe-name.js';
import type { RtpStreamInfo } from '../rtp-streams.js';
import type { AmrContainer } from './types.js';

const MAX_CALL_ID = 40;
const MAX_NAME = 80;

/** RFC 4867 §5 storage files: .amr / .awb; TS 26.244 audio-only 3GP files: .3ga. */
export function amrExtension(wideband: boolean, container: AmrContainer): string {
  if (container === '3gp') return '.3ga';
  return wideband ? '.awb' : '.amr';
}

export function streamFileName(stream: RtpStreamInfo, wideband: boolean, container: AmrContainer): string {
  const ssrc = (stream.ssrc >>> 0).toString(16).padStart(8, '0');
  const call = stream.callId !== undefined ? safeComponent(callLocalId(stream.callId)).slice(0, MAX_CALL_ID) : undefined;
  const flow = `${stream.src}_${stream.srcPort}-${stream.dst}_${stream.dstPort}`;
  const middle = stream.direction ?? flow;
  const head = call !== undefined ? `${call}_${middle}` : flow;
  // The SSRC and extension always survive; a long head (IPv6 flows) is shortened.
  const tail = `_${ssrc}${amrExtension(wideband, container)}`;
  return safeComponent(head).slice(0, MAX_NAME - tail.length).replace(/^-/, '_') + tail;
}

/** RFC 3261 §25.1: callid = word [ "@" word ]; the first word alone is usually unique and short. */
function callLocalId(callId: string): string {
  const at = callId.indexOf('@');
  return at > 0 ? callId.slice(0, at) : callId;
}
