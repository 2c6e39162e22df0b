// The security agreement of a registration (RFC 3329, TS 33.203 §7): the UE's Security-Client
// offer, the P-CSCF's Security-Server answer, the Security-Verify echo, the mechanism and
// algorithms chosen, the SPIs and protected ports of both sides, and the ESP packets that used
// those SAs.
import { isDecodeError } from '../../decode-error.js';
import type { SipMessage } from '../../protocols/sip/message.js';
import { parseSecurityMechanism } from '../../protocols/sip/security-agreement.js';
import type { EspFlow } from './esp-tally.js';
import type { EspDirection, EspSpiCount, EspSummary, SaEndpoint, SecMechanismView, SecurityNegotiation } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface NegotiationDraft extends Omit<Mutable<SecurityNegotiation>, 'ue' | 'pcscf'> {
  ue: Mutable<SaEndpoint>;
  pcscf: Mutable<SaEndpoint>;
  readonly firstFrame: number;
}

/** Mechanisms kept per header: a UE offers a few algorithm pairs, not thousands. */
const MAX_MECHANISMS = 32;

export function mechanismsOf(message: SipMessage, name: 'Security-Client' | 'Security-Server' | 'Security-Verify'): SecMechanismView[] {
  const out: SecMechanismView[] = [];
  for (const text of message.headers(name)) {
    if (out.length >= MAX_MECHANISMS) break;
    const m = parseSecurityMechanism(text);
    if (isDecodeError(m)) continue;
    out.push({
      mechanism: m.mechanism,
      ...(m.q !== undefined ? { q: m.q } : {}),
      ...(m.alg !== undefined ? { alg: m.alg } : {}),
      ...(m.ealg !== undefined ? { ealg: m.ealg } : {}),
      ...(m.spiC !== undefined ? { spiC: m.spiC } : {}),
      ...(m.spiS !== undefined ? { spiS: m.spiS } : {}),
      ...(m.portC !== undefined ? { portC: m.portC } : {}),
      ...(m.portS !== undefined ? { portS: m.portS } : {}),
      ...(m.prot !== undefined ? { prot: m.prot } : {}),
      ...(m.mod !== undefined ? { mod: m.mod } : {}),
    });
  }
  return out;
}

const NOT_SEEN = 'not negotiated in the capture';
const OBSERVED = 'protected ports seen in the traffic (TS 33.203 §7.1)';

export function newNegotiation(frame: number, ueAddress: string | undefined, pcscfAddress: string | undefined): NegotiationDraft {
  return {
    firstFrame: frame,
    ue: { source: NOT_SEEN, ...(ueAddress !== undefined ? { address: ueAddress } : {}) },
    pcscf: { source: NOT_SEEN, ...(pcscfAddress !== undefined ? { address: pcscfAddress } : {}) },
  };
}

function sameMechanism(a: SecMechanismView, b: SecMechanismView): boolean {
  return a.mechanism === b.mechanism && a.alg === b.alg && a.ealg === b.ealg && a.spiC === b.spiC && a.spiS === b.spiS && a.portC === b.portC && a.portS === b.portS && a.prot === b.prot && a.mod === b.mod && a.q === b.q;
}

/** RFC 3329 §2.3.1: Security-Verify carries the Security-Server list exactly as received. */
export function verifyMatches(server: readonly SecMechanismView[], verify: readonly SecMechanismView[]): boolean {
  return server.length === verify.length && server.every((m, i) => {
    const v = verify[i];
    return v !== undefined && sameMechanism(m, v);
  });
}

/**
 * RFC 3329 §2.3.1 / TS 33.203 §7.2: the UE uses the P-CSCF's most preferred mechanism (highest q,
 * list order on ties) among those it offered; without the offer, the P-CSCF's first choice.
 */
export function chooseMechanism(offered: readonly SecMechanismView[] | undefined, server: readonly SecMechanismView[]): SecMechanismView | undefined {
  const ranked = server.map((m, i) => ({ m, i })).sort((a, b) => (b.m.q ?? 0) - (a.m.q ?? 0) || a.i - b.i);
  for (const { m } of ranked) {
    if (offered === undefined || offered.some((o) => o.mechanism === m.mechanism && (o.alg === undefined || m.alg === undefined || o.alg === m.alg) && (o.ealg ?? 'null') === (m.ealg ?? 'null'))) return m;
  }
  return ranked[0]?.m;
}

/** The UE's SA parameters: the Security-Client entry of the chosen mechanism and algorithms. */
function ueEntry(offered: readonly SecMechanismView[], chosen: SecMechanismView | undefined): SecMechanismView | undefined {
  if (chosen === undefined) return offered[0];
  return (
    offered.find((o) => o.mechanism === chosen.mechanism && o.alg === chosen.alg && (o.ealg ?? 'null') === (chosen.ealg ?? 'null')) ??
    offered.find((o) => o.mechanism === chosen.mechanism) ??
    offered[0]
  );
}

function setSide(side: Mutable<SaEndpoint>, m: SecMechanismView | undefined, source: string, frame: number): void {
  if (m === undefined) return;
  side.source = source;
  side.frame = frame;
  if (m.spiC !== undefined) side.spiC = m.spiC;
  if (m.spiS !== undefined) side.spiS = m.spiS;
  if (m.portC !== undefined) side.portC = m.portC;
  if (m.portS !== undefined) side.portS = m.portS;
}

/** Recomputes the chosen mechanism and both sides after a header was added to the negotiation. */
export function settle(n: NegotiationDraft): void {
  const server = n.verify ?? n.server;
  if (server !== undefined) {
    const chosen = chooseMechanism(n.client?.value, server.value);
    if (chosen !== undefined) n.chosen = { value: chosen, frame: server.frame, source: n.verify !== undefined ? 'Security-Verify' : 'Security-Server' };
    setSide(n.pcscf, chosen, n.server !== undefined ? 'Security-Server' : 'Security-Verify', n.server?.frame ?? server.frame);
  }
  if (n.client !== undefined) setSide(n.ue, ueEntry(n.client.value, n.chosen?.value), 'Security-Client', n.client.frame);
  if (n.server !== undefined && n.verify !== undefined) n.verifyMatchesServer = verifyMatches(n.server.value, n.verify.value);
}

/**
 * TS 33.203 §7.1: requests from the UE go from its port-c to the P-CSCF's port-s, requests to the
 * UE from the P-CSCF's port-c to the UE's port-s. Ports the headers did not give are taken from
 * the traffic.
 */
export function observePorts(n: NegotiationDraft, fromUe: boolean, srcPort: number, dstPort: number): void {
  const [ue, pcscf] = fromUe ? (['portC', 'portS'] as const) : (['portS', 'portC'] as const);
  if (n.ue[ue] === undefined) {
    n.ue[ue] = fromUe ? srcPort : dstPort;
    if (n.ue.source === NOT_SEEN) n.ue.source = OBSERVED;
  }
  if (n.pcscf[pcscf] === undefined) {
    n.pcscf[pcscf] = fromUe ? dstPort : srcPort;
    if (n.pcscf.source === NOT_SEEN) n.pcscf.source = OBSERVED;
  }
}

export function finishNegotiation(n: NegotiationDraft): SecurityNegotiation {
  const { firstFrame: _first, ...rest } = n;
  return { ...rest, ue: { ...n.ue }, pcscf: { ...n.pcscf } };
}

function spisOf(side: SaEndpoint): number[] {
  return [side.spiC, side.spiS].filter((s): s is number => s !== undefined);
}

/**
 * ESP between the UE and its P-CSCF, per direction and SPI. TS 33.203 §7.1: packets from the UE
 * use the P-CSCF's spi-c / spi-s, packets to the UE the UE's. An SPI counts as not negotiated only
 * when that side's SPIs were negotiated in the capture before the SPI was first used.
 */
export function espSummary(
  fromUeFlows: readonly EspFlow[],
  toUeFlows: readonly EspFlow[],
  negotiations: readonly NegotiationDraft[],
): EspSummary {
  const pcscfSpis = new Map<number, number>();
  const ueSpis = new Map<number, number>();
  let pcscfFrom = Infinity;
  let ueFrom = Infinity;
  for (const n of negotiations) {
    for (const spi of spisOf(n.pcscf)) if (!pcscfSpis.has(spi)) pcscfSpis.set(spi, n.pcscf.frame ?? n.firstFrame);
    for (const spi of spisOf(n.ue)) if (!ueSpis.has(spi)) ueSpis.set(spi, n.ue.frame ?? n.firstFrame);
    if (spisOf(n.pcscf).length > 0) pcscfFrom = Math.min(pcscfFrom, n.pcscf.frame ?? n.firstFrame);
    if (spisOf(n.ue).length > 0) ueFrom = Math.min(ueFrom, n.ue.frame ?? n.firstFrame);
  }
  const fromUe = direction(fromUeFlows, pcscfSpis, pcscfFrom);
  const toUe = direction(toUeFlows, ueSpis, ueFrom);
  const packets = fromUe.packets + toUe.packets;
  const decoded = fromUe.decoded + toUe.decoded;
  return { fromUe, toUe, ...(packets > 0 ? { readable: decoded === packets } : {}) };
}

function direction(flows: readonly EspFlow[], negotiated: ReadonlyMap<number, number>, negotiatedFrom: number): EspDirection {
  const bySpi = new Map<number, Mutable<EspSpiCount>>();
  for (const f of flows) {
    const s = bySpi.get(f.spi);
    if (s === undefined) bySpi.set(f.spi, { spi: f.spi, packets: f.packets, decoded: f.decoded, firstFrame: f.firstFrame, lastFrame: f.lastFrame });
    else {
      s.packets += f.packets;
      s.decoded += f.decoded;
      s.firstFrame = Math.min(s.firstFrame, f.firstFrame);
      s.lastFrame = Math.max(s.lastFrame, f.lastFrame);
    }
  }
  const spis = [...bySpi.values()].sort((a, b) => a.firstFrame - b.firstFrame);
  for (const s of spis) {
    if (negotiated.has(s.spi)) s.negotiated = true;
    else if (negotiated.size > 0 && s.firstFrame > negotiatedFrom) s.negotiated = false;
  }
  return { packets: spis.reduce((n, s) => n + s.packets, 0), decoded: spis.reduce((n, s) => n + s.decoded, 0), spis };
}

