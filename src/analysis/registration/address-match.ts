// Does a UE address belong to an allocation? IPv4: the same address. IPv6: inside the prefix the
// network delegated (TS 29.274 §8.14 PAA, RFC 3162 §2.3 Framed-IPv6-Prefix; a UE forms its
// address from a /64 with its own interface identifier, TS 23.401 §5.3.1.2.2).
import { BlockList, isIPv4, isIPv6 } from 'node:net';

const DEFAULT_IPV6_PREFIX = 64;

export function addressMatches(address: string, allocated: string, prefixLength?: number): boolean {
  if (address === allocated) return true;
  if (!isIPv6(address) || !isIPv6(allocated)) return isIPv4(address) && isIPv4(allocated) && address === allocated;
  const length = Math.min(128, Math.max(0, prefixLength ?? DEFAULT_IPV6_PREFIX));
  const list = new BlockList();
  list.addSubnet(allocated, length, 'ipv6');
  return list.check(address, 'ipv6');
}

/** A key shared by every address of the same IPv6 /64 (the IPv4 address itself otherwise), for indexing. */
export function subnetKey(address: string): string | undefined {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return undefined;
  const groups = ipv6Groups(address);
  return groups === undefined ? undefined : groups.slice(0, 4).join(':');
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail counts as two). */
function ipv6Groups(text: string): number[] | undefined {
  const zone = text.indexOf('%');
  const t = (zone < 0 ? text : text.slice(0, zone)).toLowerCase();
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const gap = t.indexOf('::');
  const head = parse(gap < 0 ? t : t.slice(0, gap));
  const tail = gap < 0 ? [] : parse(t.slice(gap + 2));
  const groups = gap < 0 ? head : [...head, ...new Array<number>(Math.max(0, 8 - head.length - tail.length)).fill(0), ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}
