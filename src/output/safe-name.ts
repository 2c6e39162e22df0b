// File names built from packet data (Call-IDs, SIP URIs, SSRCs) must never escape the output
// directory nor carry control characters: only a conservative character set survives.

const MAX_COMPONENT = 80;

/** One path component made only of [A-Za-z0-9._-], never '.', '..' or empty, at most 80 chars. */
export function safeComponent(text: string): string {
  let out = '';
  for (const ch of text) {
    if (out.length >= MAX_COMPONENT) break;
    out += /[A-Za-z0-9._-]/.test(ch) ? ch : '_';
  }
  out = out.replace(/^[.]+/, '_');
  return out === '' ? '_' : out;
}

/** Make a name unique within a set of names already used (adds -2, -3 … before the extension). */
export function uniqueName(name: string, used: Set<string>): string {
  if (!used.has(name)) {
    used.add(name);
    return name;
  }
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 2; ; i++) {
    const candidate = `${stem}-${i}${ext}`;
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
}
