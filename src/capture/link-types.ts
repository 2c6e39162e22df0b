// Names of the link-layer header types found in capture files (tcpdump.org "LINKTYPE_" registry).

/** LINKTYPE_* values the network layer decodes itself. */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

const names = new Map<number, string>([
  [LINKTYPE_NULL, 'BSD loopback'],
  [LINKTYPE_ETHERNET, 'Ethernet'],
  [6, 'IEEE 802.5 Token Ring'],
  [8, 'SLIP'],
  [9, 'PPP'],
  [10, 'FDDI'],
  // DLT_RAW values some platforms wrote into files before LINKTYPE_RAW existed.
  [12, 'Raw IP'],
  [14, 'Raw IP'],
  [50, 'PPP in HDLC-like framing'],
  [51, 'PPPoE'],
  [100, 'ATM RFC 1483'],
  [LINKTYPE_RAW, 'Raw IP'],
  [104, 'Cisco HDLC'],
  [105, 'IEEE 802.11'],
  [LINKTYPE_LOOP, 'OpenBSD loopback'],
  [LINKTYPE_LINUX_SLL, 'Linux cooked v1'],
  [119, 'Prism 802.11'],
  [127, 'IEEE 802.11 radiotap'],
  [139, 'MTP2 with pseudo-header'],
  [140, 'MTP2'],
  [141, 'MTP3'],
  [142, 'SCCP'],
  [143, 'DOCSIS'],
  [187, 'Bluetooth HCI H4'],
  [189, 'Linux USB'],
  [192, 'PPI'],
  [195, 'IEEE 802.15.4'],
  [201, 'Bluetooth HCI H4 with direction'],
  [220, 'Linux USB (memory-mapped)'],
  [LINKTYPE_IPV4, 'Raw IPv4'],
  [LINKTYPE_IPV6, 'Raw IPv6'],
  [239, 'Linux netfilter NFLOG'],
  [252, 'Wireshark upper PDU'],
  [253, 'Linux netlink'],
  [LINKTYPE_LINUX_SLL2, 'Linux cooked v2'],
]);

// LINKTYPE_USER0..15 (147–162) are reserved for private use.
const USER0 = 147;
const USER15 = 162;

export function linkTypeName(linkType: number): string {
  const known = names.get(linkType);
  if (known !== undefined) return known;
  if (linkType >= USER0 && linkType <= USER15) return `User ${linkType - USER0}`;
  return `LINKTYPE_${linkType}`;
}
