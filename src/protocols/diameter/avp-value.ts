// Reads AVP data as its dictionary type (RFC 6733 §4.2 basic and §4.3 derived formats). Grouped
// data is read by avp-list.ts; everything else is here. Never throws: data that does not fit
// its type becomes an `Invalid` value that keeps the bytes as hex.
import { formatIpv4, formatIpv6 } from '../../net/address.js';
import { toHex } from './hex.js';
import type { EnumTable } from './avp-enums.js';
import type { DiameterAvpType, DiameterAvpValue } from './types.js';

const utf8 = new TextDecoder('utf-8');

// RFC 5905 §6: NTP era 0 starts 1900-01-01; 2 208 988 800 s before the Unix epoch.
const NTP_UNIX_OFFSET = 2_208_988_800;
const NTP_ERA_SECONDS = 4_294_967_296;

// IANA Address Family Numbers used by the Address format (RFC 6733 §4.3.1).
const FAMILY_IPV4 = 1;
const FAMILY_IPV6 = 2;
const FAMILY_E164 = 8;

function invalid(reason: string, data: Uint8Array): DiameterAvpValue {
  return { type: 'Invalid', reason, hex: toHex(data) };
}

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** RFC 6733 §4.3.1 Address: 2-octet family then the address; RADIUS-derived AVPs carry a bare 4/16-octet address. */
export function readAddress(data: Uint8Array): DiameterAvpValue {
  if (data.length === 4) return { type: 'Address', family: FAMILY_IPV4, text: formatIpv4(data, 0) };
  if (data.length === 16) return { type: 'Address', family: FAMILY_IPV6, text: formatIpv6(data, 0) };
  if (data.length < 2) return invalid(`Address of ${data.length} octets has no address family`, data);
  const family = (data[0]! << 8) | data[1]!;
  const address = data.subarray(2);
  if (family === FAMILY_IPV4) {
    return address.length === 4 ? { type: 'Address', family, text: formatIpv4(address, 0) } : invalid(`IPv4 Address of ${address.length} octets`, data);
  }
  if (family === FAMILY_IPV6) {
    return address.length === 16 ? { type: 'Address', family, text: formatIpv6(address, 0) } : invalid(`IPv6 Address of ${address.length} octets`, data);
  }
  if (family === FAMILY_E164) return { type: 'Address', family, text: utf8.decode(address) };
  return { type: 'Address', family, text: toHex(address) };
}

/**
 * RFC 6733 §4.3.1 Time: NTP seconds. RFC 4330 §3: with the top bit clear the value counts from
 * 2036-02-07 (era 1), which keeps dates up to 2104 readable.
 */
export function readTime(data: Uint8Array): DiameterAvpValue {
  if (data.length !== 4) return invalid(`Time of ${data.length} octets (expected 4)`, data);
  const ntp = view(data).getUint32(0);
  const unixSeconds = (ntp >= 0x80000000 ? ntp : ntp + NTP_ERA_SECONDS) - NTP_UNIX_OFFSET;
  return { type: 'Time', unixSeconds, iso: new Date(unixSeconds * 1000).toISOString() };
}

/** Every type but Grouped. */
export function readScalar(type: Exclude<DiameterAvpType, 'Grouped'>, data: Uint8Array, values?: EnumTable): DiameterAvpValue {
  switch (type) {
    case 'OctetString':
      return { type, hex: toHex(data) };
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
    case 'IPFilterRule':
      return { type, text: utf8.decode(data) };
    case 'Integer32':
      return data.length === 4 ? { type, value: view(data).getInt32(0) } : invalid(`Integer32 of ${data.length} octets`, data);
    case 'Unsigned32':
      return data.length === 4 ? { type, value: view(data).getUint32(0) } : invalid(`Unsigned32 of ${data.length} octets`, data);
    case 'Float32':
      return data.length === 4 ? { type, value: view(data).getFloat32(0) } : invalid(`Float32 of ${data.length} octets`, data);
    case 'Float64':
      return data.length === 8 ? { type, value: view(data).getFloat64(0) } : invalid(`Float64 of ${data.length} octets`, data);
    case 'Integer64':
      return data.length === 8 ? { type, value: view(data).getBigInt64(0) } : invalid(`Integer64 of ${data.length} octets`, data);
    case 'Unsigned64':
      return data.length === 8 ? { type, value: view(data).getBigUint64(0) } : invalid(`Unsigned64 of ${data.length} octets`, data);
    case 'Enumerated': {
      // RFC 6733 §4.3.1: Enumerated is derived from Integer32. Values are read unsigned so that
      // tables may name 0xFFFFFFFF (e.g. Media-Type OTHER, TS 29.214).
      if (data.length !== 4) return invalid(`Enumerated of ${data.length} octets`, data);
      const value = view(data).getUint32(0);
      const name = values?.[value];
      return name === undefined ? { type, value } : { type, value, name };
    }
    case 'Address':
      return readAddress(data);
    case 'Time':
      return readTime(data);
  }
}
