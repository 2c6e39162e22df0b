// telephone-event format parameters (RFC 4733 §2.4.1): the events a receiver accepts, as a
// list of event codes and ranges, "0-15" or "0-11,16,32-35".

export interface TelephoneEvents {
  /** Event codes in ascending order, without duplicates. */
  readonly events: readonly number[];
  readonly errors: readonly string[];
}

const MAX_EVENT = 255;

export function parseTelephoneEvents(fmtpText: string): TelephoneEvents {
  const errors: string[] = [];
  const seen = new Set<number>();
  for (const item of fmtpText.split(',')) {
    const t = item.trim();
    if (t.length === 0) continue;
    const m = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(t);
    const lo = m === null ? NaN : Number(m[1]);
    const hi = m === null ? NaN : m[2] === undefined ? lo : Number(m[2]);
    if (!(lo <= hi && hi <= MAX_EVENT)) {
      errors.push(`"${t.slice(0, 20)}" is not an event code or range within 0..${MAX_EVENT}`);
      continue;
    }
    for (let e = lo; e <= hi; e++) seen.add(e);
  }
  return { events: [...seen].sort((a, b) => a - b), errors };
}
