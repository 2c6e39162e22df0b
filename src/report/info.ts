// Renderers for `imscap info`.
import type { CaptureInfoReport } from '../analysis/capture-info.js';
import { renderTable } from './table.js';
import { formatDuration, formatTime } from './time.js';

/** Protocol hierarchy order for the text view (outer layers first). */
const LAYER_ORDER = ['eth', 'vlan', 'sll', 'sll2', 'null', 'loop', 'raw', 'arp', 'ipv4', 'ipv4-frag', 'ipv6', 'ipv6-frag', 'ah', 'icmp', 'icmpv6', 'udp', 'tcp', 'sctp', 'gtpu', 'esp', 'esp-null-decoded', 'esp-decrypted', 'nat-keepalive', 'ip-in-ip'];

export function renderInfoText(r: CaptureInfoReport): string {
  const lines: string[] = [];
  lines.push(`File:        ${r.file}`);
  lines.push(`Format:      ${r.variant}${r.gzip ? ' (gzip-compressed)' : ''}`);
  for (const i of r.interfaces) lines.push(`Interface ${i.id}: ${i.linkTypeName} (linktype ${i.linkType}), snaplen ${i.snapLen}, timestamps in ${i.tsResolution}${i.name ? `, ${i.name}` : ''}`);
  lines.push(`Frames:      ${r.frames}`);
  lines.push(`Data:        ${r.bytes} bytes`);
  lines.push(`First frame: ${formatTime(r.firstTime)}`);
  lines.push(`Last frame:  ${formatTime(r.lastTime)}`);
  lines.push(`Duration:    ${formatDuration(r.durationSeconds)}`);
  lines.push('');
  lines.push('Protocol hierarchy (frames containing each layer):');
  const known = LAYER_ORDER.filter((k) => r.layers[k] !== undefined).map((k) => [k, r.layers[k] ?? 0] as const);
  const other = Object.entries(r.layers).filter(([k]) => !LAYER_ORDER.includes(k));
  const app = Object.entries(r.applicationFrames).map(([k, v]) => [k, v, r.applicationMessages[k] ?? v] as const);
  lines.push(renderTable(['layer', 'frames', 'messages'], [...known.map(([k, v]) => [k, v, '']), ...other.map(([k, v]) => [k, v, '']), ...app.map(([k, f, m]) => [k, f, m])]));
  lines.push('');
  lines.push(`Malformed frames:      ${r.malformedFrames}`);
  lines.push(`Truncated frames:      ${r.truncatedFrames}`);
  lines.push(`Undecodable messages:  ${r.undecodableMessages}`);
  lines.push(`TCP gaps:              ${r.tcpGaps}`);
  const dropped = Object.entries(r.dropped).filter(([, v]) => v > 0);
  if (dropped.length > 0) lines.push(`Dropped by limits:     ${dropped.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (r.problems.length > 0) {
    lines.push('First problems:');
    for (const p of r.problems) lines.push(`  frame ${p.frameNo}: ${p.layer}: ${p.reason}`);
  }
  if (r.warnings.length > 0) {
    lines.push('Capture warnings:');
    for (const w of r.warnings) lines.push(`  ${w.frameNo !== undefined ? `frame ${w.frameNo}, ` : ''}offset ${w.offset}: ${w.message}${w.fatal ? ' (reading stopped)' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderInfoJson(r: CaptureInfoReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
