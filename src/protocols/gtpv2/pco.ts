// Protocol Configuration Options (TS 24.008 §10.5.6.3) as carried in the GTPv2-C PCO (§8.13),
// APCO (§8.68) and ePCO (§8.128) IEs; the Extended PCO of TS 24.301 §9.9.4.26 codes its
// contents as the PCO does and only lifts the 253-octet limit of the whole. Address containers
// are read by their length, so the same code serves both directions (empty containers are
// requests from the MS).
import { formatIpv4, formatIpv6 } from '../../net/address.js';
import type { PcoContainer, ProtocolConfigurationOptions } from './types.js';

// TS 24.008 Table 10.5.154 (container identifiers) and the PPP protocols it allows.
const CONTAINER_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0001, 'P-CSCF IPv6 Address'],
  [0x0002, 'IM CN Subsystem Signaling Flag'],
  [0x0003, 'DNS Server IPv6 Address'],
  [0x0004, 'Policy Control rejection code'],
  [0x0005, 'Bearer Control Mode'], // MS support indicator uplink, selected mode downlink
  [0x000a, 'IP address allocation via NAS signalling'],
  [0x000b, 'IPv4 address allocation via DHCPv4'],
  [0x000c, 'P-CSCF IPv4 Address'],
  [0x000d, 'DNS Server IPv4 Address'],
  [0x000e, 'MSISDN'],
  [0x0010, 'IPv4 Link MTU'],
  [0x0011, 'MS support of Local address in TFT indicator'],
  [0x0012, 'P-CSCF Re-selection support'],
  [0x0017, '3GPP PS data off UE status'],
  [0x001a, 'PDU session ID'],
  [0x8021, 'IPCP'],
  [0xc021, 'LCP'],
  [0xc023, 'PAP'],
  [0xc223, 'CHAP'],
]);

const IPV6_CONTAINERS = new Set([0x0001, 0x0003]);
const IPV4_CONTAINERS = new Set([0x000c, 0x000d]);
const IPV4_LINK_MTU = 0x0010;
const IPCP = 0x8021;

// RFC 1332 §3.3 IP-Address, RFC 1877 §1.1–§1.4 DNS / NBNS server addresses.
const IPCP_IP_ADDRESS = 3;
const IPCP_PRIMARY_DNS = 129;
const IPCP_SECONDARY_DNS = 131;

function readIpcp(data: Uint8Array): PcoContainer['ipcp'] {
  if (data.length < 4) return undefined;
  // RFC 1661 §5: Code, Identifier, Length (covers the whole packet), then options.
  const end = Math.min(data.length, (data[2]! << 8) | data[3]!);
  const options: { type: number; address?: string; data: Uint8Array }[] = [];
  let primaryDns: string | undefined;
  let secondaryDns: string | undefined;
  let off = 4;
  while (end - off >= 2) {
    const type = data[off]!;
    const length = data[off + 1]!;
    if (length < 2 || off + length > end) break;
    const value = data.subarray(off + 2, off + length);
    const isAddress = value.length === 4 && (type === IPCP_IP_ADDRESS || (type >= IPCP_PRIMARY_DNS && type <= 132));
    const address = isAddress ? formatIpv4(value, 0) : undefined;
    options.push(address === undefined ? { type, data: value } : { type, address, data: value });
    if (type === IPCP_PRIMARY_DNS) primaryDns = address;
    if (type === IPCP_SECONDARY_DNS) secondaryDns = address;
    off += length;
  }
  return {
    code: data[0]!,
    identifier: data[1]!,
    options,
    ...(primaryDns === undefined ? {} : { primaryDns }),
    ...(secondaryDns === undefined ? {} : { secondaryDns }),
  };
}

function container(id: number, data: Uint8Array): PcoContainer {
  const name = CONTAINER_NAMES.get(id);
  const base = name === undefined ? { id, data } : { id, name, data };
  if (IPV4_CONTAINERS.has(id) && data.length === 4) return { ...base, address: formatIpv4(data, 0) };
  if (IPV6_CONTAINERS.has(id) && data.length === 16) return { ...base, address: formatIpv6(data, 0) };
  if (id === IPV4_LINK_MTU && data.length === 2) return { ...base, mtu: (data[0]! << 8) | data[1]! };
  if (id === IPCP) {
    const ipcp = readIpcp(data);
    if (ipcp !== undefined) return { ...base, ipcp };
  }
  return base;
}

/** Reads the options that fit; `problem` says where a container ran past the end. */
export function readPco(data: Uint8Array): { pco: ProtocolConfigurationOptions; problem?: string } {
  const containers: PcoContainer[] = [];
  if (data.length < 1) return { pco: { configurationProtocol: 0, containers }, problem: 'PCO without its configuration protocol octet' };
  const configurationProtocol = data[0]! & 0x07;
  const header = 3; // protocol / container ID (2 octets), length of its contents (1 octet)
  let off = 1;
  while (off < data.length) {
    if (data.length - off < header) return { pco: { configurationProtocol, containers }, problem: `${data.length - off} trailing octets are too short for a container header` };
    const id = (data[off]! << 8) | data[off + 1]!;
    const length = data[off + 2]!;
    if (off + header + length > data.length) {
      return { pco: { configurationProtocol, containers }, problem: `container 0x${id.toString(16).padStart(4, '0')} length ${length} exceeds the ${data.length - off - header} octets left` };
    }
    containers.push(container(id, data.subarray(off + header, off + header + length)));
    off += header + length;
  }
  return { pco: { configurationProtocol, containers } };
}
