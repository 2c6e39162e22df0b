// Plain text tables for stdout: columns padded to their widest cell, the last one left ragged,
// no colour codes and no box drawing in pipes. One pass to measure and one to write, so tables
// of many thousand rows stay cheap (a general table library was quadratic here).

export function renderTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const all = [head, ...rows].map((r) => r.map((c) => String(c).replace(/[\r\n\t]+/g, ' ')));
  const widths = head.map((_, i) => all.reduce((w, r) => Math.max(w, (r[i] ?? '').length), 0));
  return all
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 2)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

export function markdownEscape(text: string): string {
  return text.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function renderMarkdownTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const lines = [`| ${head.map(markdownEscape).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map((c) => markdownEscape(String(c))).join(' | ')} |`);
  return lines.join('\n');
}
