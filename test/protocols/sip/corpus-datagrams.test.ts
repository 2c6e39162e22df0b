// Acceptance on the corpus, datagram transports: from each frame's UDP (or SCTP) payload, the
// SIP messages found — count, method or status code, and Call-ID per frame — equal tshark's.
import { test } from 'node:test';
import { eachCaptureAgainstTshark } from './corpus-transport.js';

const CAPTURES = [
  'heplify__sip_ipv6_udp.pcap',
  'heplify__sip_sctp.pcap',
  'zeek__wireshark.pcap',
  'zeek__sip-junk-before-request.pcap',
  'suricata-verify__sip-compact-form_sip_compact_form.pcap',
  'suricata-verify__sip-header-multi-value_sip_header_multi_val.pcap',
  'nesfit__codecs3-amr-wb.pcap',
  'sngrep__ipv6frag.pcap',
  'pcaptoparquet__01_udp_voice_ott.pcap',
];

test("corpus datagram captures: SIP messages per frame equal tshark's", { concurrency: 2 }, (t) => eachCaptureAgainstTshark(t, CAPTURES));
