// Every SDP body of the corpus calls, parsed here and compared with tshark's SDP dissection:
// media lines, attributes in order, rtpmap, fmtp parameters, bandwidth and preconditions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../../src/decode-error.js';
import { amrFmtpOf } from '../../../src/protocols/sdp/amr-fmtp.js';
import type { SdpAttribute, SdpSession } from '../../../src/protocols/sdp/types.js';
import { sdpOf } from '../../../src/protocols/sip/body.js';
import { decodeSipMessage } from '../../../src/protocols/sip/decode.js';
import { corpusFile, needTools } from '../../support/environment.js';
import { fieldStrings, findAll, rawBytes, tsharkPackets } from '../sip/tshark-oracle.js';

const CAPTURES = [
  'pcaptoparquet__50_sip_ott.pcap',
  'sngrep__ipv6frag.pcap',
  'SSMTK-projekt__VoNR_poziv_PJSUA.pcap',
  'heplify__sip_tcp_websocket.pcap',
  'nesfit__codecs3-amr-wb.pcap',
  'heplify__sip_sctp.pcap',
];

const attr = (a: SdpAttribute): string => (a.value === undefined ? a.name : `${a.name}:${a.value}`);

function compare(ours: SdpSession, theirs: unknown, where: string): void {
  assert.deepEqual(
    ours.media.map((m) => `${m.type} ${m.port}${m.numberOfPorts > 1 ? `/${m.numberOfPorts}` : ''} ${m.proto}${m.formats.length > 0 ? ` ${m.formats.join(' ')}` : ''}`),
    fieldStrings(theirs, 'sdp.media'),
    `${where}: m= lines`,
  );
  assert.deepEqual(ours.attributes.map(attr), fieldStrings(theirs, 'sdp.session_attr'), `${where}: session attributes`);
  assert.deepEqual(ours.media.flatMap((m) => m.attributes.map(attr)), fieldStrings(theirs, 'sdp.media_attr'), `${where}: media attributes`);
  const bandwidth = [...ours.bandwidth, ...ours.media.flatMap((m) => m.bandwidth)];
  assert.deepEqual(bandwidth.map((b) => `${b.type}:${b.value}`), fieldStrings(theirs, 'sdp.bandwidth'), `${where}: b= lines`);
  const addresses = new Set([ours.connection?.address, ...ours.media.map((m) => m.connection?.address)].filter((a) => a !== undefined));
  assert.deepEqual([...addresses].sort(), [...new Set(fieldStrings(theirs, 'sdp.connection_info.address'))].sort(), `${where}: c= addresses`);
  const payloads = ours.media.flatMap((m) => m.payloads);
  for (const entry of findAll(theirs, 'sdp.media_attr_tree')) {
    const field = fieldStrings(entry, 'sdp.media_attribute.field')[0];
    const pt = Number(fieldStrings(entry, 'sdp.media.format')[0]);
    const p = payloads.find((x) => x.payloadType === pt);
    if ((field === 'rtpmap' || field === 'fmtp') && p === undefined) {
      // A format the m= line does not list: kept out of the payloads, with a warning.
      assert.ok(ours.warnings.some((w) => w.includes(`a=${field} for payload type ${pt} not listed`)), `${where}: warning for unlisted ${field} ${pt}`);
      continue;
    }
    if (field === 'rtpmap') {
      assert.equal(p?.encodingName, fieldStrings(entry, 'sdp.mime.type')[0], `${where}: rtpmap ${pt}`);
      assert.equal(p?.clockRate, Number(fieldStrings(entry, 'sdp.sample_rate')[0]), `${where}: rate ${pt}`);
    }
    if (field === 'fmtp') {
      for (const param of fieldStrings(entry, 'sdp.fmtp.parameter')) {
        const eq = param.indexOf('=');
        if (eq < 0) continue;
        assert.equal(p?.fmtp[param.slice(0, eq).trim().toLowerCase()], param.slice(eq + 1).trim(), `${where}: fmtp ${pt} ${param}`);
      }
      if (p !== undefined && (p.encodingKey === 'amr' || p.encodingKey === 'amr-wb')) {
        const octetAlign = fieldStrings(entry, 'sdp.fmtp.parameter').some((x) => x.replace(/\s/g, '') === 'octet-align=1');
        assert.equal(amrFmtpOf(p)?.octetAlign, octetAlign, `${where}: octet-align of ${pt}`);
      }
    }
  }
  const preconditions = fieldStrings(theirs, 'sdp.media_attr').filter((a) => /^(curr|des|conf):/.test(a));
  assert.deepEqual(
    ours.media.flatMap((m) => m.preconditions.map((c) => `${c.kind}:${c.type} ${c.strength !== undefined ? `${c.strength} ` : ''}${c.statusType} ${c.direction}`)),
    preconditions,
    `${where}: preconditions`,
  );
}

test("corpus SDP bodies match tshark's SDP dissection", { concurrency: 2 }, async (t) => {
  if (!needTools(t, 'tshark')) return;
  await Promise.all(
    CAPTURES.map((name) =>
      t.test(name, async (st) => {
        const file = corpusFile(st, name);
        if (file === undefined) return;
        const packets = await tsharkPackets(file, 'sip && sdp');
        assert.ok(packets.length > 0, 'tshark found SDP');
        for (const p of packets) {
          const m = decodeSipMessage(rawBytes(p.layers, 'sip')[0]!);
          assert.ok(!isDecodeError(m));
          const ours = sdpOf(m);
          assert.ok(ours !== undefined && !isDecodeError(ours), `frame ${p.frameNo}: SDP parsed`);
          compare(ours, findAll(p.layers['sip'], 'sdp')[0], `${name} frame ${p.frameNo}`);
        }
      }),
    ),
  );
});
