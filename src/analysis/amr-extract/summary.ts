// What an output file holds, from its timeline's counts, and the plain verdict of a stream:
// "was there audio or only silence?" (only SID and NO_DATA frames means DTX silence, TS 26.193).
import { amrFrameType } from '../../protocols/amr/frame-types.js';
import type { AmrTimelineStats } from '../amr-timeline.js';
import type { AmrContainer, AmrOutputReport, AmrStreamResult, AmrVerdict, FrameTypeCount, SkippedPackets } from './types.js';

/** RFC 4867 §4.1: a frame is 20 ms. */
const FRAME_SECONDS = 0.02;

export function outputReport(
  file: string,
  wideband: boolean,
  container: AmrContainer,
  payloadFormats: readonly string[],
  packets: number,
  firstFrameNo: number,
  lastFrameNo: number,
  s: AmrTimelineStats,
): AmrOutputReport {
  const frameTypes: FrameTypeCount[] = [];
  const modes: string[] = [];
  s.frameTypeCounts.forEach((frames, ft) => {
    if (frames === 0) return;
    const info = amrFrameType(ft, wideband);
    frameTypes.push({ ft, name: info.name, frames });
    if (info.kind === 'speech') modes.push(info.name.slice(info.name.indexOf(' ') + 1));
  });
  return {
    file,
    codec: wideband ? 'AMR-WB' : 'AMR',
    container,
    payloadFormats: payloadFormats.slice(),
    packets,
    frames: s.framesEmitted,
    frameTypes,
    modes,
    speechFrames: s.speechFrames,
    sidFrames: s.sidFrames,
    noDataFrames: s.noDataFrames,
    filledSlots: s.filledSlots,
    duplicateFrames: s.duplicateFrames,
    lateDroppedFrames: s.lateDroppedFrames,
    discontinuities: s.discontinuities,
    misalignedPackets: s.misalignedPackets,
    speechShare: s.speechShare,
    sidShare: s.sidShare,
    noDataShare: s.noDataShare,
    durationSeconds: Math.round(s.framesEmitted * FRAME_SECONDS * 1000) / 1000,
    firstFrameNo,
    lastFrameNo,
  };
}

export const VERDICT_TEXT = {
  speech: 'speech',
  noSpeech: 'no speech: only SID/NO_DATA (silence / DTX)',
  noFrames: 'no frames',
} as const;

export function streamVerdict(outputs: readonly AmrOutputReport[], skipped: readonly SkippedPackets[]): Pick<AmrStreamResult, 'verdict' | 'verdictText'> {
  if (outputs.length === 0) {
    const main = skipped.reduce<SkippedPackets | undefined>((a, b) => (a === undefined || b.packets > a.packets ? b : a), undefined);
    if (main === undefined) return { verdict: 'no-frames', verdictText: VERDICT_TEXT.noFrames };
    return { verdict: 'skipped', verdictText: `skipped: ${main.reason}` };
  }
  let speech = 0;
  let frames = 0;
  for (const o of outputs) {
    speech += o.speechFrames;
    frames += o.frames;
  }
  const verdict: AmrVerdict = speech > 0 ? 'speech' : frames > 0 ? 'no-speech' : 'no-frames';
  return { verdict, verdictText: verdict === 'speech' ? VERDICT_TEXT.speech : verdict === 'no-speech' ? VERDICT_TEXT.noSpeech : VERDICT_TEXT.noFrames };
}
