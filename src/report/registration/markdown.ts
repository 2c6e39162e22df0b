// The registration report as Markdown for a ticket: a heading per registration, its timeline and
// a question / answer table (every answer with its frames), then the findings.
import type { Registration } from '../../analysis/registration/types.js';
import type { Finding } from '../findings.js';
import { markdownEscape, renderMarkdownTable } from '../table.js';
import { formatClock, formatTime } from '../time.js';
import type { RegistrationDocument } from './document.js';
import {
  answerText,
  bearerText,
  endpointText,
  evidenceText,
  fact,
  facts,
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

function timeline(r: Registration): string {
  const rows: string[][] = [];
  for (const p of r.procedures) {
    p.steps.forEach((s, i) => {
      rows.push([
        i === 0 ? `${p.index} ${kindText(p.kind)}` : '',
        i === 0 ? p.outcome : '',
        formatClock(s.ts),
        s.label,
        s.sightings.map((x) => `${x.frame}${x.hop === 'ue' ? ' (UE)' : ''}`).join(', '),
      ]);
    });
  }
  return renderMarkdownTable(['procedure', 'outcome', 'time', 'message', 'frames'], rows);
}

function answers(r: Registration): string[][] {
  const rows: string[][] = [];
  const add = (question: string, answer: string | undefined): void => {
    if (answer !== undefined && answer !== '') rows.push([question, answer]);
  };
  for (const p of r.procedures) {
    add(`Procedure ${p.index} kind`, `${kindText(p.kind)}${p.kindAgrees ? '' : ' (sources disagree)'}: ${p.kindEvidence.map(evidenceText).join('; ')}`);
  }
  const e = r.expiry ?? r.procedures[r.procedures.length - 1]?.expiry;
  if (e !== undefined) {
    add('Expiry requested', e.requested !== undefined ? fact(e.requested, (v) => `${v} s`) : undefined);
    add('Expiry granted', e.granted !== undefined ? fact(e.granted, (v) => `${v} s`) : undefined);
    add('Registration expires at', e.deadline !== undefined ? formatTime(e.deadline) : undefined);
    add('Re-register by', e.refreshBy !== undefined ? `${formatTime(e.refreshBy)} (TS 24.229 §5.1.1.4.1)` : undefined);
  }
  for (const p of r.procedures) {
    for (const c of p.challenges) {
      add(`Challenge (procedure ${p.index})`, `${schemeText(c)}, nonce ${fact(c.nonce)}`);
      if (c.aka !== undefined) add('RAND / AUTN', `RAND ${c.aka.rand}; AUTN ${c.aka.autn} = SQN⊕AK ${c.aka.sqnXorAk}, AMF ${c.aka.amf}, MAC ${c.aka.mac}`);
      add('IK', c.ik.length > 0 ? facts(c.ik, String, c.keysAgree) : undefined);
      add('CK', c.ck.length > 0 ? facts(c.ck, String, c.keysAgree) : undefined);
      add('XRES', c.xres !== undefined ? fact(c.xres) : undefined);
      add('Answer', answerText(c));
    }
  }
  const first = r.procedures.flatMap((p) => p.challenges)[0];
  if (first !== undefined) add('What the nonce is for', noncePurpose(first.algorithm));
  r.security.negotiations.forEach((n, i) => {
    const label = r.security.negotiations.length > 1 ? ` ${i + 1}` : '';
    add(`Security mechanism${label}`, n.chosen !== undefined ? `${mechanismText(n.chosen.value)} (${n.chosen.source}) [frame ${n.chosen.frame}]` : undefined);
    add(`UE SA${label}`, endpointText(n.ue));
    add(`P-CSCF SA${label}`, endpointText(n.pcscf));
    add(`Security-Verify${label}`, n.verifyMatchesServer === undefined ? undefined : n.verifyMatchesServer ? 'repeats Security-Server' : 'does NOT repeat Security-Server');
  });
  const esp = r.security.esp;
  if (esp.fromUe.packets + esp.toUe.packets > 0) {
    const spis = (d: typeof esp.fromUe): string => d.spis.map((s) => `${spiText(s.spi)} ×${s.packets}${s.negotiated === false ? ' (not negotiated)' : ''}`).join(', ');
    add('ESP', `from UE ${esp.fromUe.packets} (${spis(esp.fromUe)}); to UE ${esp.toUe.packets} (${spis(esp.toUe)}); ${esp.readable === true ? 'readable (NULL encryption)' : 'not all readable'}`);
  }
  const id = r.identities;
  add('IMPI', id.impi !== undefined ? fact(id.impi) : undefined);
  add('IMPU', id.impus.length > 0 ? facts(id.impus) : undefined);
  add('MSISDN', id.msisdn.length > 0 ? facts(id.msisdn, String, id.msisdnAgrees) : undefined);
  add('IMSI', id.imsi.length > 0 ? facts(id.imsi, String, id.imsiAgrees) : undefined);
  add('IMEI', id.imei !== undefined ? fact(id.imei, (v) => `${v.imei} (TAC ${v.tac})`) : undefined);
  add('User-Agent', id.userAgent !== undefined ? `${fact(id.userAgent)}${id.device !== undefined ? ` → ${[id.device.vendor, id.device.model, id.device.client].filter((x) => x !== undefined).join(', ')}` : ''}` : undefined);
  const g = r.routing;
  add('P-CSCF offered (PCO)', g.pcscfOffered.length > 0 ? facts(g.pcscfOffered) : undefined);
  add('P-CSCF used', g.pcscfUsed !== undefined ? fact(g.pcscfUsed) : undefined);
  add('S-CSCF', g.scscf.length > 0 ? facts(g.scscf) : undefined);
  add('Service-Route', g.serviceRoute !== undefined ? fact(g.serviceRoute, (v) => v.join(', ')) : undefined);
  add('Path', g.path !== undefined ? fact(g.path, (v) => v.join(', ')) : undefined);
  for (const c of g.routeChecks) add(`${c.method} route`, `${c.usesServiceRoute ? 'uses' : 'does NOT use'} the Service-Route [frame ${c.frame}]`);
  for (const p of r.access.pani) add('Access network', fact(p, paniText));
  add('ULI (GTPv2)', r.access.uli !== undefined ? `${fact(r.access.uli, uliText)}${r.access.uliAgrees === false ? ' (not the PANI cell)' : ''}` : undefined);
  add('IMS bearer', bearerText(r));
  for (const x of r.access.rx) add('Rx', rxText(x));
  for (const x of r.access.gx) add('Gx', gxText(x));
  return rows;
}

function findingItem(f: Finding): string {
  return `- **${f.severity}** \`${f.ruleId}\` (frames ${f.frames.join(', ')}): ${markdownEscape(f.message)}`;
}

export function renderRegistrationMarkdown(doc: RegistrationDocument): string {
  const parts = [`# IMS registration report — ${markdownEscape(doc.capture)}`, '', `${doc.registrations.length} registration(s), ${doc.findings.length} finding(s).`];
  for (const r of doc.registrations) {
    parts.push('', `## ${markdownEscape(headline(r))}`, '');
    if (r.procedures.length > 0) parts.push(timeline(r), '');
    parts.push(renderMarkdownTable(['Question', 'Answer'], answers(r)));
    if (r.findings.length > 0) parts.push('', '### Findings', '', ...r.findings.map(findingItem));
  }
  if (doc.sqnFindings.length > 0) parts.push('', '## SQN resynchronisation', '', ...doc.sqnFindings.map(findingItem));
  return `${parts.join('\n')}\n`;
}
