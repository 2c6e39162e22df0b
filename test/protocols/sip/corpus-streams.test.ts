// Acceptance on the corpus, stream transports (TCP, WebSocket) and tunnels (GTP-U, NULL ESP):
// the SIP messages framed out of each TCP stream — count, method or status code, and Call-ID,
// at the frame that completed them — equal tshark's reassembly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachCaptureAgainstTshark } from './corpus-transport.js';

const CAPTURES = [
  'heplify__sip_ipv4_tcp_fragmented.pcap',
  'suricata-verify__sip-body-large_sip-body-large.pcap',
  'pcaptoparquet__50_sip_ott.pcap',
  'heplify__sip_tcp_websocket.pcap',
  'SSMTK-projekt__VoNR_poziv_PJSUA.pcap',
  'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng',
  'rtpdump__sample2_vowifi_ipv4_esp_ipv4.pcap',
];

test("corpus stream captures: SIP messages per frame equal tshark's reassembly", { concurrency: 2 }, (t) =>
  eachCaptureAgainstTshark(t, CAPTURES, (messages, view) => {
    // A message spread over several segments starts in the first segment tshark reassembled.
    for (const m of messages) {
      if (m.transport !== 'tcp') continue;
      assert.equal(m.firstFrameNo, view.firstSegment.get(m.frameNo) ?? m.frameNo, `first frame of the message completed in frame ${m.frameNo}`);
    }
  }),
);
