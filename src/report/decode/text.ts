// The readable form of a decode record, like `tshark -V` for these protocols only: a frame
// line (number, time, flow, tunnels), then the message as an indented tree.
import { hostPort, type TunnelHop } from '../../net/events.js';
import { diameterText } from './diameter.js';
import { gtpv2Text } from './gtpv2.js';
import type { DecodedRecord } from './record.js';
import { rtpText } from './rtp.js';
import { sdpRecordText, sipText } from './sip.js';

function hopText(t: TunnelHop): string {
  const ends = `${t.src} → ${t.dst}`;
  if (t.kind === 'gtpu') return `GTP-U TEID 0x${t.teid.toString(16).padStart(8, '0')} ${ends}`;
  if (t.kind === 'esp') return `ESP SPI 0x${t.spi.toString(16).padStart(8, '0')} seq ${t.seq}${t.udpEncap ? ' (UDP-encapsulated)' : ''} ${ends}`;
  return `IP-in-IP ${ends}`;
}

/** "Frame 12  2025-01-23T10:21:00.123456Z  udp 10.0.0.1:5060 → 10.0.0.2:5060". */
export function frameLine(r: DecodedRecord): string {
  const frames = r.firstFrame !== r.frame ? ` (from frame ${r.firstFrame})` : '';
  return `Frame ${r.frame}${frames}  ${r.time}  ${r.transport} ${hostPort(r.src, r.srcPort)} → ${hostPort(r.dst, r.dstPort)}`;
}

/** One message: the frame line, its tunnels, the protocol tree; ends with a blank line. */
export function recordText(r: DecodedRecord): string {
  const lines = [frameLine(r)];
  for (const hop of r.tunnel) lines.push(`  in ${hopText(hop)}`);
  switch (r.proto) {
    case 'sip':
      lines.push(...sipText(r, '  '));
      break;
    case 'sdp':
      lines.push(...sdpRecordText(r, '  '));
      break;
    case 'diameter':
      lines.push(...diameterText(r, '  '));
      break;
    case 'gtpv2':
      lines.push(...gtpv2Text(r, '  '));
      break;
    case 'rtp':
      lines.push(...rtpText(r, '  '));
      break;
  }
  return `${lines.join('\n')}\n\n`;
}
