// Initial registration, re-registration or de-registration: what the SIP exchange shows, and what
// the HSS says on Cx — UAA Experimental-Result DIAMETER_FIRST_REGISTRATION (2001) or
// DIAMETER_SUBSEQUENT_REGISTRATION (2002) (TS 29.229 §6.2.1), UAR User-Authorization-Type
// DE_REGISTRATION, SAR Server-Assignment-Type (TS 29.229 §6.3.15).
import type { SipMessage } from '../../protocols/sip/message.js';
import type { RegistrationDraft } from './drafts.js';
import { isRemoval } from './expiry.js';
import { mechanismsOf } from './security-agreement.js';
import type { ContactView } from './sip-view.js';
import type { CxExchange, KindEvidence, ProcedureKind, Sighting } from './types.js';

// TS 29.229 §6.2.1.1, §6.2.1.2: 3GPP Experimental-Result-Code values of a UAA.
const FIRST_REGISTRATION = 2001;
const SUBSEQUENT_REGISTRATION = 2002;

const BY_ASSIGNMENT_TYPE: ReadonlyMap<string, ProcedureKind> = new Map([
  ['REGISTRATION', 'initial'],
  ['RE_REGISTRATION', 're-registration'],
  ['USER_DEREGISTRATION', 'de-registration'],
  ['USER_DEREGISTRATION_STORE_SERVER_NAME', 'de-registration'],
]);

export function hssEvidence(cx: readonly CxExchange[]): KindEvidence[] {
  const out: KindEvidence[] = [];
  for (const x of cx) {
    if (x.command === 'UAR/UAA') {
      if (x.userAuthorizationType === 'DE_REGISTRATION' && x.requestFrame !== undefined) {
        out.push({ source: 'uaa', kind: 'de-registration', detail: 'UAR User-Authorization-Type DE_REGISTRATION', frame: x.requestFrame });
      }
      const r = x.result;
      if (r !== undefined && r.experimental && x.answerFrame !== undefined && (r.code === FIRST_REGISTRATION || r.code === SUBSEQUENT_REGISTRATION)) {
        const kind = r.code === FIRST_REGISTRATION ? 'initial' : 're-registration';
        out.push({ source: 'uaa', kind, detail: `UAA Experimental-Result ${r.code}${r.name !== undefined ? ` ${r.name}` : ''}`, frame: x.answerFrame });
      }
    } else if (x.command === 'SAR/SAA' && x.serverAssignmentType !== undefined && x.requestFrame !== undefined) {
      const kind = BY_ASSIGNMENT_TYPE.get(x.serverAssignmentType);
      if (kind !== undefined) out.push({ source: 'sar', kind, detail: `SAR Server-Assignment-Type ${x.serverAssignmentType}`, frame: x.requestFrame });
    }
  }
  return out;
}

/**
 * The kind a procedure is reported as: the S-CSCF's SAR when there is one, then the UAA, then the
 * SIP exchange; and whether every source agrees.
 */
export function decideKind(sip: KindEvidence, hss: readonly KindEvidence[]): { kind: ProcedureKind; agrees: boolean } {
  const sar = hss.find((e) => e.source === 'sar');
  const uaa = hss.find((e) => e.source === 'uaa');
  const chosen = sar ?? uaa ?? sip;
  const kind = chosen.kind === 'unknown' ? (sip.kind === 'unknown' ? 'initial' : sip.kind) : chosen.kind;
  const agrees = [sip, ...hss].every((e) => e.kind === 'unknown' || e.kind === kind);
  return { kind, agrees };
}

/**
 * The kind of registration the SIP exchange shows (TS 24.229 §5.1.1.2, §5.1.1.4, §5.1.1.6): an
 * expiry of zero deregisters; a REGISTER while an earlier binding is still valid, or one sent
 * integrity-protected (Security-Verify, TS 33.203 §7.4), re-registers; anything else is initial.
 */
export function sipKind(reg: RegistrationDraft, m: SipMessage, contact: ContactView | undefined, s: Sighting): [ProcedureKind, string] {
  if (isRemoval(m, contact)) return ['de-registration', contact?.key === '*' ? 'Contact: * (remove every binding)' : 'expires 0'];
  for (let i = reg.procedures.length - 1; i >= 0; i--) {
    const p = reg.procedures[i];
    if (p === undefined || p.outcome !== 'success') continue;
    if (p.kind === 'de-registration') break;
    const deadline = p.expiry.deadline;
    if (deadline === undefined || deadline > s.ts) return ['re-registration', `the binding registered in frame ${p.final?.frame ?? p.lastFrame} is still valid`];
    break;
  }
  if (mechanismsOf(m, 'Security-Verify').length > 0) return ['re-registration', 'sent over an existing security agreement (Security-Verify)'];
  return ['initial', reg.procedures.length === 0 ? 'first REGISTER of this binding in the capture' : 'no valid binding before it'];
}
