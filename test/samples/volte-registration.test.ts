// samples/volte-registration.pcap: tshark sees the attach, the registration (SIP in NULL ESP after
// the 401), Cx over SCTP, Rx and Gx over TCP, and the reg-event SUBSCRIBE; the README's
// registration-report command runs clean, and its answers are the values tshark reads from the
// packets: P-CSCF from the PCO, SPIs, RAND / AUTN, IK / CK, expiry, Service-Route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needTools } from '../support/environment.js';
import { runCli } from '../support/run-cli.js';
import { cliArgs, occurrences, readmeCommand, samplePath, tsharkRows } from './samples-support.js';

const SAMPLE = samplePath('volte-registration.pcap');
// tshark opens NULL-encrypted ESP only when told to.
const NULL_ESP = '-o esp.enable_null_encryption_decode_heuristic:TRUE';

interface Row {
  readonly frameNo: number;
  readonly protocols: string;
  readonly label: string;
  readonly cells: Readonly<Record<string, string>>;
}

const FIELDS = ['sip.Method', 'sip.Status-Code', 'diameter.cmd.code', 'diameter.flags.request', 'gtpv2.message_type', 'esp.spi', 'gsm_a.gm.sm.pco.pcscf.ipv6', 'ipv6.dst', 'udp.dstport', 'sip.Security-Client', 'sip.Security-Server', 'sip.auth.nonce', 'sip.auth.ik', 'sip.auth.ck', 'sip.contact.parameter', 'sip.Service-Route', 'sip.Route', 'sip.Event'] as const;

function rows(): Row[] {
  return tsharkRows(SAMPLE, ['frame.number', 'frame.protocols', ...FIELDS], undefined, NULL_ESP.split(' ')).map(([frame, protocols, ...rest]) => {
    const cells: Record<string, string> = {};
    FIELDS.forEach((f, i) => (cells[f] = rest[i] ?? ''));
    const cmd = cells['diameter.cmd.code'];
    const gtp = cells['gtpv2.message_type'];
    const label = cells['sip.Method'] || cells['sip.Status-Code'] || (cmd ? `${cmd}${cells['diameter.flags.request'] === '1' ? 'R' : 'A'}` : '') || (gtp ? `gtpv2 ${gtp}` : '?');
    return { frameNo: Number(frame), protocols: protocols ?? '', label, cells };
  });
}

/** Security-Client / -Server parameters (RFC 3329 §2.2, TS 33.203 §7.2). */
function saParams(header: string): { spiC: number; spiS: number; portC: number; portS: number } {
  const num = (name: string): number => Number(new RegExp(`;\\s*${name}=(\\d+)`).exec(header)?.[1]);
  return { spiC: num('spi-c'), spiS: num('spi-s'), portC: num('port-c'), portS: num('port-s') };
}

test('tshark: attach, REGISTER / 401 / REGISTER / 200 on Gm and Mw with Cx, Rx and Gx, SUBSCRIBE; SIP in NULL ESP after the 401', (t) => {
  if (!needTools(t, 'tshark')) return;
  const all = rows();
  assert.deepEqual(
    all.map((r) => r.label),
    ['gtpv2 32', '272R', '272A', 'gtpv2 33', 'REGISTER', 'REGISTER', '300R', '300A', '303R', '303A', '401', '401', 'REGISTER', 'REGISTER', '300R', '300A', '301R', '301A', '200', '200', '265R', '265A', 'SUBSCRIBE', '200'],
  );
  // TS 29.229: Cx runs over SCTP; TS 33.203 §7: after the 401 the UE hop is ESP; the first REGISTER is in clear.
  for (const r of all) {
    if (['300', '301', '303'].some((c) => r.label.startsWith(c))) assert.match(r.protocols, /:sctp:diameter$/, `frame ${r.frameNo}`);
  }
  const gm = all.filter((r) => r.protocols.startsWith('eth:ethertype:ipv6:'));
  assert.deepEqual(gm.map((r) => [r.label, r.protocols.includes(':esp:')]), [['REGISTER', false], ['401', false], ['REGISTER', true], ['200', true], ['SUBSCRIBE', true], ['200', true]]);
  const subscribe = all.find((r) => r.label === 'SUBSCRIBE');
  assert.equal(subscribe?.cells['sip.Event'], 'reg');
  const problems = tsharkRows(SAMPLE, ['frame.number'], '_ws.malformed || _ws.expert.severity >= error', NULL_ESP.split(' '));
  assert.deepEqual(problems, []);
});

test('README: registration-report runs clean, and its answers are what tshark reads in the packets', async (t) => {
  if (!needTools(t, 'tshark')) return;
  const command = readmeCommand('registration-report samples/volte-registration.pcap');
  const text = await runCli(cliArgs(command));
  assert.equal(text.code, command.exit);
  assert.equal(text.code, 0);
  assert.equal(text.stderr, '');
  assert.match(text.stdout, /REGISTERED/);

  const r = await runCli([...cliArgs(command), '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    findings?: unknown[];
    registrations: {
      state: string;
      findings: unknown[];
      ueAddress: string;
      expiry: { granted: { value: number; frame: number } };
      procedures: { challenges: { aka: { rand: string; autn: string }; ik: { value: string }[]; ck: { value: string }[] }[] }[];
      security: { negotiations: { ue: { spiC: number; spiS: number; portC: number; portS: number }; pcscf: { spiC: number; spiS: number; portC: number; portS: number } }[]; esp: { fromUe: { spis: { spi: number }[] }; toUe: { spis: { spi: number }[] } } };
      routing: { pcscfOffered: { value: string }[]; pcscfUsed: { value: string }; serviceRoute: { value: string[] }; routeChecks: { method: string; usesServiceRoute: boolean }[] };
    }[];
  };
  assert.equal(doc.registrations.length, 1);
  const reg = doc.registrations[0];
  assert.ok(reg !== undefined);
  assert.equal(reg.state, 'registered');
  assert.deepEqual(reg.findings, []);

  const all = rows();
  const csr = all.find((x) => x.label === 'gtpv2 33');
  const firstRegister = all.find((x) => x.label === 'REGISTER' && x.protocols.includes(':ipv6:'));
  const challenge = all.filter((x) => x.label === '401');
  const ok = all.filter((x) => x.label === '200' && x.cells['sip.Service-Route'] !== '');
  assert.ok(csr !== undefined && firstRegister !== undefined && challenge.length === 2 && ok.length > 0);

  // Routing: the P-CSCF the PCO offered, the one the REGISTER went to, the Service-Route the SUBSCRIBE follows.
  assert.deepEqual(reg.routing.pcscfOffered.map((p) => p.value), occurrences(csr.cells['gsm_a.gm.sm.pco.pcscf.ipv6']));
  assert.equal(reg.routing.pcscfUsed.value, `[${firstRegister.cells['ipv6.dst']}]:${firstRegister.cells['udp.dstport']}`);
  const serviceRoute = (ok[0]?.cells['sip.Service-Route'] ?? '').replace(/^<|>$/g, '');
  assert.deepEqual(reg.routing.serviceRoute.value, [serviceRoute]);
  const subscribe = all.find((x) => x.label === 'SUBSCRIBE');
  assert.ok(occurrences(subscribe?.cells['sip.Route']).some((route) => route.includes(serviceRoute)));
  assert.deepEqual(reg.routing.routeChecks.map((c) => [c.method, c.usesServiceRoute]), [['SUBSCRIBE', true]]);

  // Authentication: RAND ‖ AUTN is the nonce (RFC 3310 §3.2); IK / CK as the S-CSCF sent them on Mw.
  const nonce = Buffer.from(occurrences(challenge[0]?.cells['sip.auth.nonce'])[0]?.replaceAll('"', '') ?? '', 'base64');
  const c = reg.procedures[0]?.challenges[0];
  assert.ok(c !== undefined);
  assert.equal(c.aka.rand, nonce.subarray(0, 16).toString('hex'));
  assert.equal(c.aka.autn, nonce.subarray(16, 32).toString('hex'));
  const mw = challenge.find((x) => x.cells['sip.auth.ik'] !== '');
  assert.ok(mw !== undefined, 'the Mw 401 carries ik / ck (TS 24.229 §5.4.1.2.1)');
  assert.equal(c.ik[0]?.value, mw.cells['sip.auth.ik']?.replaceAll('"', ''));
  assert.equal(c.ck[0]?.value, mw.cells['sip.auth.ck']?.replaceAll('"', ''));

  // Security agreement: SPIs and ports of Security-Client / -Server, and the SPIs the ESP packets carry.
  const client = saParams(firstRegister.cells['sip.Security-Client'] ?? '');
  const server = saParams(challenge.find((x) => x.cells['sip.Security-Server'] !== '')?.cells['sip.Security-Server'] ?? '');
  const n = reg.security.negotiations[0];
  assert.deepEqual(n?.ue, { ...n?.ue, ...client });
  assert.deepEqual(n?.pcscf, { ...n?.pcscf, ...server });
  const espSpis = (fromUe: boolean): number[] => [...new Set(all.filter((x) => x.cells['esp.spi'] !== '' && x.label !== '?' && (x.label === 'REGISTER' || x.label === 'SUBSCRIBE') === fromUe).map((x) => Number(x.cells['esp.spi'])))];
  assert.deepEqual(reg.security.esp.fromUe.spis.map((s) => s.spi), espSpis(true));
  assert.deepEqual(reg.security.esp.toUe.spis.map((s) => s.spi), espSpis(false));
  assert.deepEqual(espSpis(true), [server.spiS], 'the UE sends to the P-CSCF’s server SPI');

  // Expiry: the expires parameter of the Contact in the 200 OK on the UE hop.
  const okUe = all.find((x) => x.label === '200' && x.protocols.includes(':esp:'));
  const expires = /expires=(\d+)/.exec(okUe?.cells['sip.contact.parameter'] ?? '')?.[1];
  assert.equal(reg.expiry.granted.value, Number(expires));
  assert.equal(reg.expiry.granted.frame, okUe?.frameNo);
});
