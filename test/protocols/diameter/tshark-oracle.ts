// tshark as the oracle for the Diameter and GTPv2 decoders: the raw bytes of each PDU it
// dissects, and its `-T fields` values. Also wraps test-built PDUs in IPv4/TCP or IPv4/UDP so a
// capture written by the fixture writer can be shown to tshark.
import { spawnSync } from 'node:child_process';
import { writePcap, LINKTYPE_RAW, tempCaptureFile } from '../../fixtures/capture-writer.js';
import type { TestContext } from 'node:test';

export interface TsharkPdu {
  readonly frameNo: number;
  readonly bytes: Uint8Array;
}

function runTshark(args: string[]): string {
  const result = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`tshark ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

type RawField = [string, number, number, number, number];

function rawFields(value: unknown): RawField[] {
  if (!Array.isArray(value) || value.length === 0) return [];
  return typeof value[0] === 'string' ? [value as RawField] : (value as RawField[]);
}

/**
 * Every PDU of `proto` (e.g. "diameter", "gtpv2") in dissection order, with the frame it was
 * dissected in, from tshark's JSON `<proto>_raw` fields (reassembled data included).
 */
export function tsharkPdus(file: string, proto: string): TsharkPdu[] {
  const packets = JSON.parse(runTshark(['-r', file, '-Y', proto, '-T', 'json', '-x', '--no-duplicate-keys', '-J', `frame ${proto}`])) as {
    _source: { layers: Record<string, unknown> };
  }[];
  const out: TsharkPdu[] = [];
  for (const packet of packets) {
    const layers = packet._source.layers;
    const frame = layers.frame as Record<string, unknown>;
    const frameNo = Number(frame['frame.number']);
    for (const [hex] of rawFields(layers[`${proto}_raw`])) out.push({ frameNo, bytes: hexBytes(hex) });
  }
  return out;
}

/** Payloads of one transport (`tcp.payload` / `udp.payload`) per frame, in frame order. */
export function tsharkPayloads(file: string, filter: string, field: 'tcp.payload' | 'udp.payload'): TsharkPdu[] {
  const rows = tsharkFields(file, filter, [field]);
  return rows.filter((r) => (r[field] ?? '') !== '').map((r) => ({ frameNo: r.frameNo, bytes: hexBytes(r[field]!) }));
}

export type FieldRow = { frameNo: number } & Record<string, string>;

/**
 * `tshark -T fields` with every occurrence of a field joined by "|", one row per frame that
 * passes `filter`.
 */
export function tsharkFields(file: string, filter: string, fields: readonly string[]): FieldRow[] {
  const args = ['-r', file, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', '-E', 'separator=/t', '-e', 'frame.number'];
  for (const f of fields) args.push('-e', f);
  const out: FieldRow[] = [];
  for (const line of runTshark(args).split('\n')) {
    if (line === '') continue;
    const cols = line.split('\t');
    const row: FieldRow = { frameNo: Number(cols[0]) } as FieldRow;
    fields.forEach((f, i) => {
      row[f] = cols[i + 1] ?? '';
    });
    out.push(row);
  }
  return out;
}

let valueStringsText: string | undefined;

/** tshark's value strings for a field (`tshark -G values`, run once): value → label. */
export function tsharkValueStrings(field: string): Map<number, string> {
  valueStringsText ??= `\n${runTshark(['-G', 'values'])}`;
  const out = new Map<number, string>();
  const prefix = `\nV\t${field}\t`;
  for (let at = valueStringsText.indexOf(prefix); at >= 0; at = valueStringsText.indexOf(prefix, at + 1)) {
    const end = valueStringsText.indexOf('\n', at + 1);
    const [value, label] = valueStringsText.slice(at + prefix.length, end < 0 ? undefined : end).split('\t');
    if (value !== undefined && label !== undefined) out.set(Number(value), label);
  }
  return out;
}

/** tshark's global configuration folder (holds the Diameter dictionary XML). */
export function tsharkGlobalConfigDir(): string | undefined {
  for (const line of runTshark(['-G', 'folders']).split('\n')) {
    const m = /^Global configuration:\s+(.+)$/.exec(line);
    if (m) return m[1]!.trim();
  }
  return undefined;
}

function ipv4Header(protocol: number, payloadLength: number, src: readonly number[], dst: readonly number[]): Uint8Array {
  const h = new Uint8Array(20);
  const total = 20 + payloadLength;
  h.set([0x45, 0, total >> 8, total & 0xff, 0, 1, 0x40, 0, 64, protocol, 0, 0]);
  h.set(src, 12);
  h.set(dst, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (h[i]! << 8) | h[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const checksum = ~sum & 0xffff;
  h[10] = checksum >> 8;
  h[11] = checksum & 0xff;
  return h;
}

export interface Endpoints {
  readonly src: readonly number[];
  readonly dst: readonly number[];
  readonly srcPort: number;
  readonly dstPort: number;
}

/** IPv4 + TCP (PSH/ACK) segment carrying `payload` at sequence number `seq`. */
export function ipv4Tcp(ep: Endpoints, seq: number, payload: Uint8Array): Uint8Array {
  const tcp = new Uint8Array(20);
  const v = new DataView(tcp.buffer);
  v.setUint16(0, ep.srcPort);
  v.setUint16(2, ep.dstPort);
  v.setUint32(4, seq >>> 0);
  v.setUint32(8, 1);
  tcp[12] = 5 << 4;
  tcp[13] = 0x18;
  v.setUint16(14, 65535);
  const ip = ipv4Header(6, 20 + payload.length, ep.src, ep.dst);
  return Uint8Array.from([...ip, ...tcp, ...payload]);
}

/** IPv4 + UDP datagram carrying `payload` (UDP checksum 0: not computed, RFC 768). */
export function ipv4Udp(ep: Endpoints, payload: Uint8Array): Uint8Array {
  const udp = new Uint8Array(8);
  const v = new DataView(udp.buffer);
  v.setUint16(0, ep.srcPort);
  v.setUint16(2, ep.dstPort);
  v.setUint16(4, 8 + payload.length);
  const ip = ipv4Header(17, 8 + payload.length, ep.src, ep.dst);
  return Uint8Array.from([...ip, ...udp, ...payload]);
}

/** Writes raw-IP packets to a temporary pcap (removed after the test) and returns its path. */
export function rawIpCapture(t: TestContext, name: string, packets: readonly Uint8Array[]): string {
  const records = packets.map((bytes, i) => ({ bytes, tsSec: 1_700_000_000 + i }));
  return tempCaptureFile(t, name, writePcap(records, { linkType: LINKTYPE_RAW }));
}
