// Lexical pieces shared by SIP header parsers (RFC 3261 §25.1): list splitting that respects
// quoted-strings and <...>, generic ";name=value" parameters, quoted-string unescaping.
// Every function is a single linear pass and never throws.

/** Parameters by lower-case name; a flag parameter (";lr") has the value "". No prototype. */
export type SipParams = Readonly<Record<string, string>>;

export function emptyParams(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/**
 * Splits on `separator` where it is not inside a quoted-string or <...> (RFC 3261 §7.3.1:
 * commas inside them do not separate list elements). Pieces are trimmed; empty ones dropped.
 * An unterminated quote runs to the end of the text.
 */
export function splitTopLevel(text: string, separator: ',' | ';'): string[] {
  const out: string[] = [];
  let inQuote = false;
  let angle = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++; // quoted-pair
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) {
      inQuote = true;
    } else if (c === 0x3c) {
      angle++;
    } else if (c === 0x3e) {
      if (angle > 0) angle--;
    } else if (angle === 0 && text[i] === separator) {
      pushTrimmed(out, text, start, i);
      start = i + 1;
    }
  }
  pushTrimmed(out, text, start, text.length);
  return out;
}

function pushTrimmed(out: string[], text: string, from: number, to: number): void {
  const piece = text.slice(from, to).trim();
  if (piece.length > 0) out.push(piece);
}

/** Removes surrounding double quotes and resolves quoted-pairs (RFC 3261 §25.1). */
export function unquote(text: string): string {
  const t = text.trim();
  if (t.length < 1 || t.charCodeAt(0) !== 0x22) return t;
  let out = '';
  let runStart = 1;
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x5c) {
      out += t.slice(runStart, i);
      runStart = i + 1;
      i++;
    } else if (c === 0x22) {
      return out + t.slice(runStart, i);
    }
  }
  return out + t.slice(runStart);
}

/**
 * Parses "name=value;name;name="quoted"" (a leading ";" is allowed) into lower-case names and
 * unquoted values. The first occurrence of a repeated name wins.
 */
export function parseParams(text: string): SipParams {
  const params = emptyParams();
  for (const piece of splitTopLevel(text, ';')) {
    const eq = piece.indexOf('=');
    const name = (eq < 0 ? piece : piece.slice(0, eq)).trim().toLowerCase();
    if (name.length === 0 || name in params) continue;
    params[name] = eq < 0 ? '' : unquote(piece.slice(eq + 1));
  }
  return params;
}

/** Non-negative decimal integer made only of digits (no sign, no spaces), else undefined. */
export function parseDecimal(text: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const t = text.trim();
  if (t.length === 0) return undefined;
  let first = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
    if (c === 0x30 && first === i && i < t.length - 1) first = i + 1;
  }
  if (t.length - first > 16) return undefined;
  const n = Number(t.slice(first));
  return n <= max ? n : undefined;
}
