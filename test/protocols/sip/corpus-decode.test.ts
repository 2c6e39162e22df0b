// Every SIP message of the corpus captures, decoded from tshark's own message bytes, compared
// field by field with tshark's dissection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecodeError } from '../../../src/decode-error.js';
import { decodeSipMessage } from '../../../src/protocols/sip/decode.js';
import { unquote } from '../../../src/protocols/sip/header-syntax.js';
import type { SipMessage } from '../../../src/protocols/sip/message.js';
import { corpusFile, needTools } from '../../support/environment.js';
import { fieldStrings, rawBytes, tsharkPackets } from './tshark-oracle.js';

const CAPTURES = [
  'pcaptoparquet__50_sip_ott.pcap',
  'SSMTK-projekt__VoNR_poziv_PJSUA.pcap',
  'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng',
  'zeek__wireshark.pcap',
  'sngrep__ipv6frag.pcap',
  'suricata-verify__sip-compact-form_sip_compact_form.pcap',
  'suricata-verify__sip-header-multi-value_sip_header_multi_val.pcap',
];

function defined<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((v): v is T => v !== undefined);
}

function compareMessage(m: SipMessage, sip: unknown, where: string): void {
  const eq = (ours: unknown, field: string, map: (s: string) => unknown = (s) => s, first?: number): void => {
    const theirs = fieldStrings(sip, field).map(map).slice(0, first);
    assert.deepEqual(ours, theirs, `${where}: ${field}`);
  };
  eq(defined([m.method]), 'sip.Method');
  eq(defined([m.statusCode]), 'sip.Status-Code', Number);
  eq(defined([m.callId]), 'sip.Call-ID');
  const cseq = m.cseq;
  assert.ok(cseq !== undefined && !isDecodeError(cseq), `${where}: CSeq`);
  eq([cseq.seq], 'sip.CSeq.seq', Number);
  eq([cseq.method], 'sip.CSeq.method');
  eq(defined([m.fromTag]), 'sip.from.tag');
  eq(defined([m.toTag]), 'sip.to.tag');
  const vias = m.vias.map((v) => {
    assert.ok(!isDecodeError(v), `${where}: Via`);
    return v;
  });
  eq(defined(vias.map((v) => v.branch)), 'sip.Via.branch');
  eq(vias.map((v) => v.transport), 'sip.Via.transport', (s) => s.toUpperCase());
  eq(vias.map((v) => v.host), 'sip.Via.sent-by.address');
  eq(defined(vias.map((v) => v.port)), 'sip.Via.sent-by.port', Number);
  const contacts = m.contacts.map((c) => {
    assert.ok(!isDecodeError(c) && c.kind === 'address', `${where}: Contact`);
    return c;
  });
  eq(contacts.map((c) => c.uriText), 'sip.contact.uri');
  // Every field line (a message may repeat a header, as one in sngrep__ipv6frag does).
  eq(m.headers('Content-Length').map(Number), 'sip.Content-Length', Number);
  eq(m.headers('Content-Type'), 'sip.Content-Type');
  eq(m.headers('User-Agent'), 'sip.User-Agent');
  eq(m.headers('Server'), 'sip.Server');
  eq(m.headers('Expires').map(Number), 'sip.Expires', Number);
  eq(m.headers('RSeq').map(Number), 'sip.RSeq', Number);
  eq(defined([m.rseq]).filter((r): r is number => typeof r === 'number'), 'sip.RSeq', Number, 1);
  eq(defined([m.contentLength]), 'sip.Content-Length', Number, 1);
  eq(defined([m.expires]), 'sip.Expires', Number, 1);
  eq(m.nameAddrs('Route').map((a) => {
    assert.ok(!isDecodeError(a), `${where}: Route`);
    return a.uriText;
  }), 'sip.Route.uri');
  // Digest parameters (tshark keeps the quotes).
  const auth = (['WWW-Authenticate', 'Proxy-Authenticate', 'Authorization', 'Proxy-Authorization'] as const).flatMap((h) => m.authHeaders(h)).map((a) => {
    assert.ok(!isDecodeError(a), `${where}: ${isDecodeError(a) ? a.reason : ''}`);
    return a;
  });
  for (const name of ['nonce', 'realm', 'username', 'uri', 'algorithm', 'opaque', 'cnonce', 'nc'] as const) {
    eq(defined(auth.map((a) => a.params[name])), `sip.auth.${name}`, unquote);
  }
  eq(defined(auth.map((a) => a.response)), 'sip.auth.digest.response', unquote);
  const mechanisms = (['Security-Client', 'Security-Server', 'Security-Verify'] as const).flatMap((h) => m.securityMechanisms(h)).map((s) => {
    assert.ok(!isDecodeError(s), `${where}: ${isDecodeError(s) ? s.reason : ''}`);
    return s;
  });
  eq(defined(mechanisms.map((s) => s.spiC)), 'sip.sec_mechanism.spi_c', Number);
  eq(defined(mechanisms.map((s) => s.spiS)), 'sip.sec_mechanism.spi_s', Number);
  eq(defined(mechanisms.map((s) => s.portC)), 'sip.sec_mechanism.port_c', Number);
  eq(defined(mechanisms.map((s) => s.portS)), 'sip.sec_mechanism.port_s', Number);
  eq(defined(mechanisms.map((s) => s.alg)), 'sip.sec_mechanism.alg');
  eq(defined(mechanisms.map((s) => s.ealg)), 'sip.sec_mechanism.ealg');
  const pani = m.accessNetworkInfo.map((p) => {
    assert.ok(!isDecodeError(p), `${where}: ${isDecodeError(p) ? p.reason : ''}`);
    return p;
  });
  eq(pani.map((p) => p.accessType), 'sip.P-Access-Network-Info.access-type');
  eq(defined(pani.map((p) => p.params['utran-cell-id-3gpp'])), 'sip.P-Access-Network-Info.utran-cell-id-3gpp');
}

test("corpus captures: every SIP message decodes to tshark's fields", { concurrency: 2 }, async (t) => {
  if (!needTools(t, 'tshark')) return;
  await Promise.all(
    CAPTURES.map((name) =>
      t.test(name, async (st) => {
        const file = corpusFile(st, name);
        if (file === undefined) return;
        const packets = await tsharkPackets(file, 'sip');
        assert.ok(packets.length > 0, 'tshark found SIP');
        for (const p of packets) {
          const raws = rawBytes(p.layers, 'sip');
          assert.equal(raws.length, 1, `frame ${p.frameNo}: one SIP message per frame in these captures`);
          const m = decodeSipMessage(raws[0]!);
          assert.ok(!isDecodeError(m), `frame ${p.frameNo}: ${isDecodeError(m) ? m.reason : ''}`);
          assert.deepEqual(m.warnings, [], `frame ${p.frameNo}`);
          compareMessage(m, p.layers['sip'], `${name} frame ${p.frameNo}`);
        }
      }),
    ),
  );
});
