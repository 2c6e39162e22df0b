// What `imscap info` reports: the capture file itself, the protocol hierarchy (frames holding
// each layer, as tshark's io,phs counts them) and what could not be decoded.
import type { PassResult } from '../pipeline/pass.js';

export interface CaptureInfoReport {
  readonly file: string;
  readonly format: string;
  readonly variant: string;
  readonly gzip: boolean;
  readonly interfaces: readonly { id: number; linkType: number; linkTypeName: string; snapLen: number; name?: string; tsResolution: string }[];
  readonly frames: number;
  readonly bytes: number;
  readonly firstTime?: number;
  readonly lastTime?: number;
  readonly durationSeconds?: number;
  /** Frames holding each network layer. */
  readonly layers: Readonly<Record<string, number>>;
  /** Frames holding each application protocol, and messages of each. */
  readonly applicationFrames: Readonly<Record<string, number>>;
  readonly applicationMessages: Readonly<Record<string, number>>;
  readonly malformedFrames: number;
  readonly truncatedFrames: number;
  readonly undecodableMessages: number;
  readonly tcpGaps: number;
  readonly dropped: Readonly<Record<string, number>>;
  readonly problems: readonly { frameNo: number; layer: string; reason: string }[];
  readonly warnings: readonly { offset: number; frameNo?: number; message: string; fatal: boolean }[];
}

export function captureInfo(file: string, pass: PassResult): CaptureInfoReport {
  const c = pass.capture;
  const timed = c.firstTs !== undefined && c.lastTs !== undefined;
  return {
    file,
    format: c.format,
    variant: c.variant,
    gzip: c.gzip,
    interfaces: c.interfaces.map((i) => ({ id: i.id, linkType: i.linkType, linkTypeName: i.linkTypeName, snapLen: i.snapLen, ...(i.name ? { name: i.name } : {}), tsResolution: i.tsResolution })),
    frames: c.frames,
    bytes: c.bytesRead,
    ...(timed ? { firstTime: c.firstTs, lastTime: c.lastTs, durationSeconds: (c.lastTs ?? 0) - (c.firstTs ?? 0) } : {}),
    layers: Object.fromEntries([...pass.net.layerFrames].sort(([a], [b]) => a.localeCompare(b))),
    applicationFrames: Object.fromEntries([...pass.app.frames].sort(([a], [b]) => a.localeCompare(b))),
    applicationMessages: Object.fromEntries([...pass.app.messages].sort(([a], [b]) => a.localeCompare(b))),
    malformedFrames: pass.net.malformed,
    truncatedFrames: pass.net.truncated,
    undecodableMessages: pass.app.errors,
    tcpGaps: pass.net.tcpGaps,
    dropped: Object.fromEntries(pass.net.dropped),
    problems: [...pass.net.firstMalformed.map((p) => ({ frameNo: p.frameNo, layer: p.layer, reason: p.reason })), ...pass.app.firstErrors.map((p) => ({ frameNo: p.frameNo, layer: p.protocol, reason: p.reason }))],
    warnings: c.warnings.map((w) => ({ offset: w.offset, ...(w.frameNo !== undefined ? { frameNo: w.frameNo } : {}), message: w.message, fatal: w.fatal })),
  };
}
