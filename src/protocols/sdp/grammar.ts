// Extensions to sdp-transform's line grammar, registered once with unshift so they are tried
// before the catch-all rule that files unknown attributes under "invalid".
import sdpTransform from 'sdp-transform';

interface GrammarRule {
  name?: string;
  push?: string;
  reg: RegExp;
  names?: string[];
  format: string | ((o: RawPrecondition) => string);
}

/** What the precondition rule adds to a session or media object. */
export interface RawPrecondition {
  kind: string;
  type: string;
  strength?: string;
  statusType: string;
  direction: string;
}

// RFC 3312 §5: a=curr:qos local sendrecv / a=des:qos mandatory local sendrecv / a=conf:qos remote sendrecv
export const PRECONDITION_RULE: GrammarRule & { readonly names: string[] } = {
  push: 'preconditions',
  reg: /^(curr|des|conf):(\S+) (?:(mandatory|optional|none|failure|unknown) )?(e2e|local|remote) (sendrecv|send|recv|none)\s*$/i,
  names: ['kind', 'type', 'strength', 'statusType', 'direction'],
  format: (o) => (o.strength !== undefined ? '%s:%s %s %s %s' : '%s:%s %v%s %s'),
};

let registered = false;

export function registerSdpGrammar(): void {
  if (registered) return;
  const grammar = (sdpTransform as unknown as { grammar: Record<string, GrammarRule[]> }).grammar;
  const attributeRules = grammar['a'];
  if (attributeRules !== undefined && !attributeRules.includes(PRECONDITION_RULE)) attributeRules.unshift(PRECONDITION_RULE);
  registered = true;
}
