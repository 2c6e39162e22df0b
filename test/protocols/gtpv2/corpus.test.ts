// S8 GTPv2-C Create / Delete Session from a Magma inbound-roaming capture, checked against tshark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFile, needTools } from '../../support/environment.js';
import { compareGtpv2WithTshark } from './corpus-compare.js';

test('magma inbound roaming: GTPv2-C messages, IE tree and IE values equal tshark', (t) => {
  const file = corpusFile(t, 'magma__inbound_roaming_01_210505_130828-1.pcapng');
  if (file === undefined || !needTools(t, 'tshark')) return;
  const { messages, compared } = compareGtpv2WithTshark(file);
  // MANIFEST.tsv: CreateSessionReqx1 CreateSessionRespx1 DeleteSessionReqx1 DeleteSessionRespx1
  assert.deepEqual(messages.map((m) => m.message.messageName), ['Create Session Request', 'Create Session Response', 'Delete Session Request', 'Delete Session Response']);
  for (const field of ['gtpv2.ie_type', 'e212.imsi', 'e164.msisdn', 'gtpv2.mei', 'gtpv2.apn', 'gtpv2.ambr_up', 'gtpv2.ambr_down', 'gtpv2.ebi', 'gtpv2.cause',
    'gtpv2.bearer_qos_label_qci', 'gtpv2.bearer_qos_pl', 'gtpv2.f_teid_gre_key', 'gtpv2.f_teid_ipv4', 'gtpv2.pdn_addr_and_prefix.ipv4', 'gtpv2.rat_type',
    'e212.tai.mcc', 'gtpv2.tai_tac', 'gtpv2.ecgi_eci', 'gtpv2.enodebid', 'gtpv2.cellid', 'gsm_a.gm.sm.pco_pid', 'gsm_a.gm.sm.pco.pcscf.ipv4',
    'gsm_a.gm.sm.pco.dns.ipv4', 'ipcp.opt.pri_dns_address', 'gtpv2.selec_mode', 'gtpv2.apn_rest', 'gtpv2.charging_id']) {
    assert.ok((compared.get(field) ?? 0) > 0, `${field} was compared`);
  }
});
