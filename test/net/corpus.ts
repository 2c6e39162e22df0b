// Corpus captures the network-layer tests compare with tshark, and a helper that concatenates
// several of them (mergecap) so that tshark runs once for all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { corpusFile } from '../support/environment.js';

/** Every capture of the corpus (MANIFEST.tsv lists one text sidecar besides these). */
export const CORPUS_CAPTURES = [
  'PcapPlusPlus__IPv4Frag.pcap',
  'PcapPlusPlus__Sll2Packet.pcap',
  'PcapPlusPlus__VlanPackets.pcap',
  'PcapPlusPlus__gtp-u.pcap',
  'PcapPlusPlus__ip6_fragments.pcap',
  'SSMTK-projekt__VoNR_poziv_PJSUA.pcap',
  'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng',
  'heplify__sip_ipv4_tcp_fragmented.pcap',
  'heplify__sip_ipv6_udp.pcap',
  'heplify__sip_sctp.pcap',
  'heplify__sip_tcp_websocket.pcap',
  'magma__gx_gy_combined_03_210505_132953-1.pcapng',
  'magma__inbound_roaming_01_210505_130828-1.pcapng',
  'nDPI__diameter.pcap',
  'nesfit__codecs3-amr-wb.pcap',
  'pcaptoparquet__01_udp_voice_ott.pcap',
  'pcaptoparquet__50_sip_ott.pcap',
  'pyhss__Diameter_AIA2.pcapng',
  'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap',
  'sngrep__ipv6frag.pcap',
  'suricata-verify__sip-body-large_sip-body-large.pcap',
  'suricata-verify__sip-compact-form_sip_compact_form.pcap',
  'suricata-verify__sip-header-multi-value_sip_header_multi_val.pcap',
  'tcpdump__LINKTYPE_RAW_ipv4.pcap',
  'tcpdump__empty.pcapng',
  'tcpdump__ip6_frag_asan.pcap',
  'tcpdump__tcp-handshake-nano.pcap',
  'tcpdump__udp-length-heapoverflow.pcap',
  'zeek__gtp7_ipv6.pcap',
  'zeek__gtp_ext_header.pcap',
  'zeek__ip4-trunc.pcap',
  'zeek__sip-junk-before-request.pcap',
  'zeek__trunc-hdr.pcap',
  'zeek__vlan-qinqinq.pcap',
  'zeek__wireshark.pcap',
];

/** Paths of the named captures, or undefined (test marked skipped) when the corpus is absent. */
export function corpusPaths(t: TestContext, names: readonly string[]): string[] | undefined {
  const paths: string[] = [];
  for (const name of names) {
    const p = corpusFile(t, name);
    if (p === undefined) return undefined;
    paths.push(p);
  }
  return paths;
}

/** The captures concatenated into one pcapng in a temporary directory removed after the test. */
export function mergedCapture(t: TestContext, paths: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'imscap-corpus-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const merged = join(dir, 'merged.pcapng');
  const r = spawnSync('mergecap', ['-a', '-w', merged, ...paths], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mergecap failed: ${r.stderr}`);
  return merged;
}
