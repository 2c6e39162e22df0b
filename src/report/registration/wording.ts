// How the registration report words its values, shared by the text and Markdown renderers: every
// value with the frame it came from, SPIs in hex and decimal, cells decoded, bearers summarised.
import type {
  ArpView,
  AuthChallenge,
  Fact,
  GxExchange,
  KindEvidence,
  PaniView,
  ProcedureKind,
  Registration,
  RegistrationProcedure,
  RxExchange,
  SaEndpoint,
  SecMechanismView,
  UliView,
} from '../../analysis/registration/types.js';
import { formatTime } from '../time.js';

/** "Digest AKAv1-MD5" for AKA, "Digest-MD5" for plain Digest (the algorithm label already names the scheme). */
export function schemeText(c: AuthChallenge): string {
  return c.algorithm.toLowerCase().startsWith(c.scheme.toLowerCase()) ? c.algorithm : `${c.scheme} ${c.algorithm}`;
}

/** One sentence on what the challenge's nonce is for (RFC 3310 §3.2; RFC 2617 §3.2.1). */
export function noncePurpose(algorithm: string): string {
  return algorithm.toUpperCase().startsWith('AKA')
    ? 'The nonce carries RAND, the network\'s random challenge, and AUTN, its proof of origin and freshness (SQN⊕AK, AMF, MAC): the USIM checks AUTN, derives RES, CK and IK from RAND, and the UE answers with a Digest response keyed by RES, while CK and IK become the keys of the IPsec SAs.'
    : 'The nonce is the registrar\'s one-time value: the UE proves it knows the password by hashing it together with the nonce (RFC 2617 §3.2.2), so a recorded answer cannot be replayed.';
}

export function frameRef(frame: number): string {
  return `[frame ${frame}]`;
}

export function frameList(frames: readonly number[]): string {
  return frames.length === 1 ? `[frame ${frames[0]}]` : `[frames ${frames.join(', ')}]`;
}

/** "value (source) [frame N]". */
export function fact<T>(f: Fact<T>, show: (v: T) => string = String): string {
  return `${show(f.value)} (${f.source}) ${frameRef(f.frame)}`;
}

/** Several facts for the same question, and whether they agree. */
export function facts<T>(list: readonly Fact<T>[], show: (v: T) => string = String, agrees?: boolean): string {
  if (list.length === 0) return '-';
  const text = list.map((f) => fact(f, show)).join('; ');
  return agrees === undefined ? text : `${text} — ${agrees ? 'agree' : 'DISAGREE'}`;
}

/** "SIP: first REGISTER … [frame 5]", "UAA Experimental-Result 2001 … [frame 8]": the detail of an HSS source names it. */
export function evidenceText(e: KindEvidence): string {
  return `${e.source === 'sip' ? 'SIP: ' : ''}${e.detail} ${frameRef(e.frame)}`;
}

export function kindText(kind: ProcedureKind): string {
  return kind === 'initial' ? 'initial registration' : kind;
}

export function spiText(spi: number | undefined): string {
  return spi === undefined ? '-' : `0x${spi.toString(16).padStart(8, '0')} (${spi})`;
}

export function mechanismText(m: SecMechanismView): string {
  const parts = [m.mechanism];
  if (m.alg !== undefined) parts.push(`integrity ${m.alg}`);
  parts.push(`encryption ${m.ealg ?? 'null'}`);
  if (m.prot !== undefined) parts.push(m.prot);
  if (m.mod !== undefined) parts.push(m.mod);
  return parts.join(', ');
}

export function endpointText(e: SaEndpoint): string {
  const where = e.frame !== undefined ? ` ${frameRef(e.frame)}` : '';
  return `${e.address ?? '?'}  spi-c ${spiText(e.spiC)}  spi-s ${spiText(e.spiS)}  port-c ${e.portC ?? '-'}  port-s ${e.portS ?? '-'} (${e.source})${where}`;
}

export function paniText(p: PaniView): string {
  if (p.error !== undefined) return `${p.accessType}, cell ${p.cellIdText ?? '?'} (not decoded: ${p.error})`;
  if (p.eci !== undefined) {
    return `${p.accessType}, MCC ${p.mcc} MNC ${p.mnc}, TAC ${p.tac} (0x${(p.tac ?? 0).toString(16)}), ECI ${p.eci} (0x${p.eci.toString(16)}) = eNB ${p.enbId} cell ${p.cellId}`;
  }
  if (p.nci !== undefined) return `${p.accessType}, MCC ${p.mcc} MNC ${p.mnc}, TAC ${p.tac}, NCI ${p.nci} (0x${p.nci.toString(16)})`;
  if (p.lac !== undefined) return `${p.accessType}, MCC ${p.mcc} MNC ${p.mnc}, LAC ${p.lac}, cell ${p.ci}`;
  return p.accessType;
}

export function uliText(u: UliView): string {
  const parts: string[] = [];
  if (u.tai !== undefined) parts.push(`TAI ${u.tai.mcc}-${u.tai.mnc} TAC ${u.tai.tac}`);
  if (u.ecgi !== undefined) parts.push(`ECGI ${u.ecgi.mcc}-${u.ecgi.mnc} ECI ${u.ecgi.eci} (0x${u.ecgi.eci.toString(16)}) = eNB ${u.ecgi.enbId} cell ${u.ecgi.cellId}`);
  return parts.join(', ');
}

export function arpText(a: ArpView): string {
  return `ARP priority ${a.priorityLevel} (${a.preemptionCapability ? 'may pre-empt' : 'may not pre-empt'}, ${a.preemptionVulnerability ? 'pre-emptable' : 'not pre-emptable'})`;
}

export function bearerText(r: Registration): string | undefined {
  const b = r.access.bearer;
  if (b === undefined) return undefined;
  const parts: string[] = [];
  if (b.apn !== undefined) parts.push(`APN ${b.apn}`);
  if (b.ebi !== undefined) parts.push(`EBI ${b.ebi}`);
  if (b.qci !== undefined) parts.push(`QCI ${b.qci}`);
  if (b.arp !== undefined) parts.push(arpText(b.arp));
  if (b.apnAmbr !== undefined) parts.push(`APN-AMBR UL ${b.apnAmbr.uplinkKbps} kbps / DL ${b.apnAmbr.downlinkKbps} kbps`);
  if (b.ueAddresses.length > 0) parts.push(`PAA ${b.ueAddresses.join(', ')}`);
  if (b.cause !== undefined) parts.push(`cause ${b.cause.value}${b.cause.name !== undefined ? ` ${b.cause.name}` : ''}`);
  return `${parts.join(', ')} ${frameList(b.responseFrame !== undefined ? [b.requestFrame, b.responseFrame] : [b.requestFrame])}`;
}

function exchangeFrames(x: { requestFrame: number; answerFrame?: number }): string {
  return x.answerFrame !== undefined ? `[frames ${x.requestFrame} → ${x.answerFrame}]` : `[frame ${x.requestFrame}, no answer]`;
}

function resultText(r: { code: number; name?: string } | undefined): string {
  return r === undefined ? 'no result' : `${r.code}${r.name !== undefined ? ` ${r.name}` : ''}`;
}

export function rxText(x: RxExchange): string {
  const parts = [`${x.command} ${resultText(x.result)}`];
  if (x.afApplicationId !== undefined) parts.push(`AF application ${x.afApplicationId}`);
  if (x.specificActions.length > 0) parts.push(`specific actions ${x.specificActions.join(', ')}`);
  for (const m of x.mediaComponents) {
    const flows = m.flows.map((f) => `flow ${f.number ?? '?'}${f.usage !== undefined ? ` ${f.usage}` : ''}${f.descriptions.length > 0 ? ` "${f.descriptions.join('", "')}"` : ''}`).join('; ');
    const bw = m.maxRequestedBandwidthUl !== undefined || m.maxRequestedBandwidthDl !== undefined ? ` max UL ${m.maxRequestedBandwidthUl ?? '-'} / DL ${m.maxRequestedBandwidthDl ?? '-'} bit/s` : '';
    parts.push(`media component ${m.number ?? '?'}${m.mediaType !== undefined ? ` ${m.mediaType}` : ''}${bw}${flows !== '' ? `: ${flows}` : ''}`);
  }
  return `${parts.join('; ')} ${exchangeFrames(x)}`;
}

export function gxText(x: GxExchange): string {
  const parts = [`${x.command}${x.requestType !== undefined ? ` ${x.requestType}` : ''} ${resultText(x.result)}`];
  if (x.defaultBearerQci !== undefined) parts.push(`default bearer QCI ${x.defaultBearerQci}${x.defaultBearerArp !== undefined ? ` ${arpText(x.defaultBearerArp)}` : ''}`);
  if (x.apnAmbr !== undefined) parts.push(`APN-AMBR UL ${x.apnAmbr.uplinkBps ?? '-'} / DL ${x.apnAmbr.downlinkBps ?? '-'} bit/s`);
  if (x.rulesInstalled.length > 0) parts.push(`rules installed ${x.rulesInstalled.map((r) => `${r.name}${r.qci !== undefined ? ` (QCI ${r.qci})` : ''}`).join(', ')}`);
  if (x.rulesRemoved.length > 0) parts.push(`rules removed ${x.rulesRemoved.join(', ')}`);
  return `${parts.join('; ')} ${exchangeFrames(x)}`;
}

export function answerText(c: AuthChallenge): string {
  const a = c.answer;
  if (a === undefined) return 'not answered in the capture';
  const what = a.auts !== undefined ? `AUTS ${a.auts} (the USIM rejected the challenge: SQN resynchronisation)` : a.response !== undefined ? `response ${a.response}` : 'credentials without a response';
  const check = a.matchesXres === undefined ? '' : a.matchesXres ? ', matches XRES (RES = XRES)' : ', does NOT match XRES';
  const result = a.result !== undefined ? ` → ${a.result}` : '';
  return `${what}${check}${result} ${frameRef(a.frame)}`;
}

/** The header line of a registration: who, where it stands, what happened, until when. */
export function headline(r: Registration): string {
  const who = r.impi?.value ?? r.aor?.value ?? r.contact.value;
  const kinds = summariseKinds(r.procedures);
  const until = r.state === 'registered' && r.expiry?.deadline !== undefined ? ` — registered until ${formatTime(r.expiry.deadline)}` : r.state === 'expired' && r.expiry?.deadline !== undefined ? ` — expired at ${formatTime(r.expiry.deadline)}` : '';
  return `Registration ${r.id} — ${who} — ${r.state.toUpperCase()}${kinds !== '' ? ` — ${kinds}` : ''}${until}`;
}

function summariseKinds(procedures: readonly RegistrationProcedure[]): string {
  if (procedures.length === 0) return 'no REGISTER in the capture (in use over an existing security agreement)';
  return procedures.map((p) => `${kindText(p.kind)} ${p.outcome === 'success' ? 'ok' : p.outcome}`).join(', ');
}

