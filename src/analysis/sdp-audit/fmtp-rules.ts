// AMR / AMR-WB a=fmtp values outside their definition (RFC 4867 §8.1 media type parameters,
// §8.2.1 SDP mapping), reported once per call, author and problem, with every SDP that has it.
import type { DialogSide } from '../dialogs.js';
import { amrFmtpOf } from '../../protocols/sdp/amr-fmtp.js';
import type { SdpSession } from '../../protocols/sdp/types.js';
import { codecName } from './codec-match.js';
import type { EmitFinding } from './emit.js';

export interface AuthoredSdp {
  readonly frameNo: number;
  readonly side: DialogSide;
  readonly sdp: SdpSession;
}

interface Problem {
  readonly side: DialogSide;
  readonly reason: string;
  readonly formats: string[];
  readonly frames: number[];
}

/** Checks every SDP of one call (each once, in frame order). */
export function checkAmrFmtp(sdps: readonly AuthoredSdp[], emit: EmitFinding): void {
  const problems = new Map<string, Problem>();
  for (const s of sdps) {
    for (const media of s.sdp.media) {
      for (const format of media.payloads) {
        const amr = amrFmtpOf(format);
        if (amr === undefined) continue;
        for (const reason of amr.errors) {
          const key = `${s.side}\n${reason}`;
          let p = problems.get(key);
          if (p === undefined) {
            p = { side: s.side, reason, formats: [], frames: [] };
            problems.set(key, p);
          }
          const label = `${format.payloadType} ${codecName(format)}`;
          if (!p.formats.includes(label)) p.formats.push(label);
          if (!p.frames.includes(s.frameNo)) p.frames.push(s.frameNo);
        }
      }
    }
  }
  for (const p of problems.values()) {
    emit(
      'amr-fmtp-invalid',
      `the ${p.side}'s SDP (frame${p.frames.length > 1 ? 's' : ''} ${p.frames.join(', ')}) has a=fmtp for payload type${p.formats.length > 1 ? 's' : ''} ${p.formats.join(', ')}: ${p.reason}; RFC 4867 §8.1, §8.2.1`,
      p.frames,
      { side: p.side, reason: p.reason },
    );
  }
}
