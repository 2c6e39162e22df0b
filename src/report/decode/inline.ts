// One-line text for the decode text form: control characters escaped (a header or AVP value
// never breaks the indented tree), small records flattened to "key=value" pairs.

const ESCAPES: Readonly<Record<string, string>> = { '\r': '\\r', '\n': '\\n', '\t': '\\t', '\\': '\\\\' };

/** The text with CR, LF, TAB and other C0 controls escaped. */
export function printable(text: string): string {
  // One linear pass over a single character class: safe on megabyte values.
  return text.replace(/[\u0000-\u001f\u007f\\]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

type Flat = [string, string][];

function flatten(value: unknown, key: string, out: Flat, depth: number, skip: ReadonlySet<string>): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) {
      if (value.length > 0) out.push([key, value.map(String).join(',')]);
    } else if (depth < 4) {
      value.forEach((v, i) => flatten(v, `${key}[${i}]`, out, depth + 1, skip));
    }
    return;
  }
  if (typeof value === 'object') {
    if (depth >= 4) return;
    for (const [k, v] of Object.entries(value)) if (!skip.has(k)) flatten(v, `${key}.${k}`, out, depth + 1, skip);
    return;
  }
  out.push([key, String(value)]);
}

/**
 * "a=1 b.c=x list=1,2": every defined scalar of a record, nested records joined with dots.
 * Keys in `skip` are left out at every depth.
 */
export function inlineFields(record: object, skip: ReadonlySet<string> = new Set()): string {
  const out: Flat = [];
  for (const [k, v] of Object.entries(record)) if (!skip.has(k)) flatten(v, k, out, 1, skip);
  return out.map(([k, v]) => `${k}=${printable(v)}`).join(' ');
}
