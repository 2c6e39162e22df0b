// The registration report as readable text: a header line per registration (who, where it
// stands, what happened, until when), its timeline as a table, then one section per question —
// kind, expiry, authentication, security agreement, identities, routing, access — every value
// followed by the frame it came from, and the findings.
import type { Registration, RegistrationProcedure } from '../../analysis/registration/types.js';
import type { Finding } from '../findings.js';
import { renderTable } from '../table.js';
import type { RegistrationDocument } from './document.js';
import { formatClock, formatTime } from '../time.js';
import {
  answerText,
  bearerText,
  endpointText,
  evidenceText,
  fact,
  facts,
  frameList,
  frameRef,
  gxText,
  headline,
  kindText,
  mechanismText,
  noncePurpose,
  paniText,
  rxText,
  schemeText,
  spiText,
  uliText,
} from './wording.js';

function line(label: string, value: string): string {
  return `    ${label.padEnd(16)}${value}`;
}

function timelineTable(r: Registration): string {
  const rows: string[][] = [];
  for (const p of r.procedures) {
    p.steps.forEach((s, i) => {
      const ue = s.sightings.filter((x) => x.hop === 'ue').map((x) => x.frame);
      const other = s.sightings.filter((x) => x.hop !== 'ue').map((x) => x.frame);
      const esp = s.sightings.find((x) => x.hop === 'ue' && x.espSpi !== undefined)?.espSpi;
      rows.push([
        i === 0 ? String(p.index) : '',
        i === 0 ? kindText(p.kind) : '',
        i === 0 ? p.outcome : '',
        formatClock(s.ts),
        s.cseq !== undefined ? `${s.label} (CSeq ${s.cseq})` : s.label,
        ue.length > 0 ? ue.join(', ') : '-',
        other.length > 0 ? other.join(', ') : '-',
        esp !== undefined ? `ESP ${spiText(esp)}` : 'clear',
      ]);
    });
  }
  return renderTable(['#', 'procedure', 'outcome', 'time', 'message', 'UE hop', 'network hops', 'UE hop carried'], rows)
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function kindLines(p: RegistrationProcedure): string[] {
  const evidence = p.kindEvidence.map((e) => `${e.kind === 'unknown' ? '?' : kindText(e.kind)} — ${evidenceText(e)}`);
  return [line(`procedure ${p.index}`, `${kindText(p.kind)}${p.kindAgrees ? '' : ' (sources DISAGREE)'}`), ...evidence.map((e) => line('', e))];
}

function expiryLines(r: Registration): string[] {
  const e = r.expiry;
  const last = r.procedures[r.procedures.length - 1];
  const shown = e ?? last?.expiry;
  if (shown === undefined) return [line('', 'no REGISTER in the capture')];
  const out: string[] = [];
  out.push(line('requested', shown.requested !== undefined ? fact(shown.requested, (v) => `${v} s`) : '-'));
  out.push(line('granted', shown.granted !== undefined ? fact(shown.granted, (v) => `${v} s`) : '-'));
  if (shown.minExpires !== undefined) out.push(line('Min-Expires', fact(shown.minExpires, (v) => `${v} s`)));
  if (shown.deadline !== undefined && shown.granted !== undefined) out.push(line('expires at', `${formatTime(shown.deadline)} (200 OK time + ${shown.granted.value} s) ${frameRef(shown.granted.frame)}`));
  if (shown.refreshBy !== undefined) out.push(line('re-register by', `${formatTime(shown.refreshBy)} (TS 24.229 §5.1.1.4.1)`));
  return out;
}

function authenticationLines(r: Registration): string[] {
  const out: string[] = [];
  for (const p of r.procedures) {
    for (const c of p.challenges) {
      out.push(`    procedure ${p.index}, ${c.status} challenge ${frameList(c.frames)}`);
      out.push(line('scheme', `${schemeText(c)}${c.realm !== undefined ? `, realm ${c.realm}` : ''}${c.qop !== undefined ? `, qop ${c.qop}` : ''} ${frameRef(c.frame)}`));
      out.push(line('nonce', fact(c.nonce)));
      if (c.aka !== undefined) {
        out.push(line('  RAND', c.aka.rand));
        out.push(line('  AUTN', `${c.aka.autn} = SQN⊕AK ${c.aka.sqnXorAk} · AMF ${c.aka.amf}${c.aka.amfSeparationBit ? ' (separation bit set)' : ''} · MAC ${c.aka.mac}`));
        if (c.aka.serverData !== undefined) out.push(line('  server data', c.aka.serverData));
      } else if (c.akaError !== undefined) {
        out.push(line('  not decoded', c.akaError));
      }
      if (c.ik.length > 0) out.push(line('IK', facts(c.ik, String, c.keysAgree)));
      if (c.ck.length > 0) out.push(line('CK', facts(c.ck, String, c.keysAgree)));
      if (c.xres !== undefined) out.push(line('XRES', fact(c.xres)));
      out.push(line('answer', answerText(c)));
    }
  }
  // The nonce explained once, for the kind of challenge this registration met.
  const first = r.procedures.flatMap((p) => p.challenges)[0];
  if (first !== undefined) out.push(line('the nonce', noncePurpose(first.algorithm)));
  return out.length > 0 ? out : [line('', 'no challenge in the capture')];
}

function securityLines(r: Registration): string[] {
  const out: string[] = [];
  r.security.negotiations.forEach((n, i) => {
    if (r.security.negotiations.length > 1) out.push(`    agreement ${i + 1}`);
    if (n.chosen !== undefined) out.push(line('mechanism', `${mechanismText(n.chosen.value)} (${n.chosen.source}) ${frameRef(n.chosen.frame)}`));
    if (n.client !== undefined) out.push(line('offered by UE', `${n.client.value.map(mechanismText).join(' | ')} ${frameRef(n.client.frame)}`));
    out.push(line('UE', endpointText(n.ue)));
    out.push(line('P-CSCF', endpointText(n.pcscf)));
    if (n.verifyMatchesServer !== undefined && n.verify !== undefined) out.push(line('Security-Verify', `${n.verifyMatchesServer ? 'repeats' : 'does NOT repeat'} Security-Server ${frameRef(n.verify.frame)}`));
  });
  if (out.length === 0) out.push(line('', 'no Security-Client / -Server / -Verify in the capture'));
  const esp = r.security.esp;
  const dir = (name: string, d: typeof esp.fromUe): string =>
    `${name}: ${d.packets} packet(s)${d.spis.length > 0 ? ` on ${d.spis.map((s) => `${spiText(s.spi)} ×${s.packets} [frames ${s.firstFrame}–${s.lastFrame}]${s.negotiated === false ? ' NOT NEGOTIATED' : s.negotiated === true ? '' : ' (not negotiated in the capture)'}`).join(', ')}` : ''}`;
  out.push(line('ESP', dir('from UE', esp.fromUe)));
  out.push(line('', dir('to UE', esp.toUe)));
  if (esp.readable !== undefined) {
    const decoded = esp.fromUe.decoded + esp.toUe.decoded;
    const total = esp.fromUe.packets + esp.toUe.packets;
    out.push(line('readable', esp.readable ? `yes — ${decoded} of ${total} packets read (NULL encryption, or decrypted with --esp-keys)` : `partly — ${decoded} of ${total} packets read (the rest is encrypted: --esp-keys decrypts it)`));
  }
  return out;
}

function identityLines(r: Registration): string[] {
  const i = r.identities;
  const out = [line('IMPI', i.impi !== undefined ? fact(i.impi) : '-'), line('IMPU', facts(i.impus)), line('MSISDN', facts(i.msisdn, String, i.msisdnAgrees)), line('IMSI', facts(i.imsi, String, i.imsiAgrees))];
  if (i.imei !== undefined) out.push(line('IMEI', fact(i.imei, (v) => `${v.imei} (TAC ${v.tac}, SNR ${v.snr})`)));
  else if (i.instance !== undefined) out.push(line('instance', fact(i.instance)));
  if (i.mei !== undefined) out.push(line('GTPv2 MEI', `${fact(i.mei)}${i.imeiAgrees !== undefined ? ` — ${i.imeiAgrees ? 'same device as +sip.instance' : 'DIFFERENT device from +sip.instance'}` : ''}`));
  if (i.userAgent !== undefined) {
    const d = i.device;
    const says = d === undefined ? '' : ` → ${[d.vendor, d.model, d.client].filter((x) => x !== undefined).join(', ')}`;
    out.push(line('User-Agent', `"${i.userAgent.value}"${says} ${frameRef(i.userAgent.frame)}`));
  }
  return out;
}

function routingLines(r: Registration): string[] {
  const g = r.routing;
  const out = [line('P-CSCF offered', facts(g.pcscfOffered))];
  if (g.pcscfUsed !== undefined) out.push(line('P-CSCF used', `${fact(g.pcscfUsed)}${g.pcscfInOffer === undefined ? '' : g.pcscfInOffer ? ' — one the network offered' : ' — NOT one the network offered'}`));
  out.push(line('S-CSCF', facts(g.scscf)));
  out.push(line('Service-Route', g.serviceRoute !== undefined ? fact(g.serviceRoute, (v) => v.join(', ')) : '-'));
  out.push(line('Path', g.path !== undefined ? fact(g.path, (v) => v.join(', ')) : '-'));
  if (g.serviceRoute !== undefined) out.push(line('requests go', `P-CSCF, then ${g.serviceRoute.value.join(', ')} (RFC 3608 §6)`));
  for (const c of g.routeChecks) out.push(line(`${c.method}`, `Route ${c.route.join(', ') || '(none)'} — ${c.usesServiceRoute ? 'uses the Service-Route' : 'does NOT use the Service-Route'} ${frameRef(c.frame)}`));
  return out;
}

function accessLines(r: Registration): string[] {
  const a = r.access;
  const out = a.pani.length > 0 ? a.pani.map((p, i) => line(i === 0 ? 'PANI' : '', fact(p, paniText))) : [line('PANI', '-')];
  if (a.uli !== undefined) out.push(line('ULI (GTPv2)', `${fact(a.uli, uliText)}${a.uliAgrees === undefined ? '' : a.uliAgrees ? ' — same cell as the PANI' : ' — NOT the cell of the PANI'}`));
  const bearer = bearerText(r);
  if (bearer !== undefined) out.push(line('IMS bearer', bearer));
  for (const x of a.rx) out.push(line('Rx', rxText(x)));
  for (const x of a.gx) out.push(line('Gx', gxText(x)));
  return out;
}

function findingLine(f: Finding): string {
  return `    ${f.severity.padEnd(8)}${f.ruleId} ${frameList(f.frames)}\n              ${f.message}`;
}

function registrationBlock(r: Registration): string[] {
  const lines = [headline(r), `  contact ${fact(r.contact)}${r.ueAddress !== undefined ? `, UE address ${r.ueAddress}` : ''}`];
  if (r.procedures.length > 0) lines.push('  Timeline', timelineTable(r));
  if (r.droppedProcedures > 0) lines.push(`    (${r.droppedProcedures} more procedure(s) not kept)`);
  if (r.procedures.length > 0) lines.push('  Kind', ...r.procedures.flatMap(kindLines));
  lines.push('  Expiry', ...expiryLines(r));
  lines.push('  Authentication', ...authenticationLines(r));
  lines.push('  Security agreement', ...securityLines(r));
  lines.push('  Identities and device', ...identityLines(r));
  lines.push('  Routing', ...routingLines(r));
  lines.push('  Access and bearer', ...accessLines(r));
  if (r.sqn !== undefined) lines.push('  SQN', line('verdict', `${r.sqn.verdict}, ${r.sqn.rounds} resync round(s) (subscriber ${r.sqn.subscriber})`));
  lines.push('  Findings', ...(r.findings.length > 0 ? r.findings.map(findingLine) : ['    none']));
  return lines;
}

function countBy<T extends string>(items: readonly T[]): string {
  const counts = new Map<T, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

export function renderRegistrationText(doc: RegistrationDocument): string {
  const regs = doc.registrations;
  const severities = countBy(doc.findings.map((f) => f.severity));
  const lines = [
    `IMS registration report — ${doc.capture}`,
    `${regs.length} registration(s)${regs.length > 0 ? `: ${countBy(regs.map((r) => r.state))}` : ''}; ${doc.findings.length} finding(s)${severities !== '' ? ` (${severities})` : ''}`,
    `seen: ${doc.stats.registerRequests} REGISTER and ${doc.stats.registerResponses} responses, ${doc.stats.cxMessages} Cx, ${doc.stats.rxMessages} Rx, ${doc.stats.gxMessages} Gx, ${doc.stats.gtpv2Messages} GTPv2-C messages, ${doc.stats.espPackets} ESP packets (${doc.stats.espUnattributed} outside any UE ↔ P-CSCF pair)`,
  ];
  if (doc.droppedRegistrations > 0) lines.push(`${doc.droppedRegistrations} REGISTER transaction(s) of registrations beyond the cap were not analysed`);
  if (doc.stats.orphanResponses > 0) lines.push(`${doc.stats.orphanResponses} response(s) to a REGISTER that is not in the capture`);
  for (const r of regs) lines.push('', ...registrationBlock(r));
  if (doc.sqnFindings.length > 0) lines.push('', 'SQN resynchronisation findings', ...doc.sqnFindings.map(findingLine));
  return `${lines.join('\n')}\n`;
}
