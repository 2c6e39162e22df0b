// The registration report on public captures, against tshark's fields for the same frames:
// REGISTER / 401 Digest exchanges (zeek wireshark.pcap), a lone REGISTER after junk bytes, and
// UEs seen in use over IPsec security agreements (Security-Verify, NULL ESP inside GTP-U; a
// decrypted operator capture over IPv6).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runPass } from '../../src/pipeline/pass.js';
import { RegistrationAnalyzer } from '../../src/analysis/registration/registrations.js';
import type { Registration, RegistrationReport, SaEndpoint } from '../../src/analysis/registration/types.js';
import { corpusFile, needTools } from '../support/environment.js';

type Row = Readonly<Record<string, string>>;

/** tshark field values by frame number; several occurrences of a field joined with '|'. */
function tsharkRows(path: string, fields: readonly string[], filter?: string): Map<number, Row> {
  const args = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE', '-r', path, '-T', 'fields', '-E', 'separator=/t', '-E', 'aggregator=|', '-e', 'frame.number', ...fields.flatMap((f) => ['-e', f])];
  const out = spawnSync('tshark', filter === undefined ? args : [...args, '-Y', filter], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(out.status, 0, out.stderr);
  const rows = new Map<number, Row>();
  for (const line of out.stdout.split('\n')) {
    if (line.length === 0) continue;
    const cells = line.split('\t');
    rows.set(Number(cells[0]), Object.fromEntries(fields.map((f, i) => [f, cells[i + 1] ?? ''])));
  }
  return rows;
}

async function analyse(path: string): Promise<RegistrationReport> {
  const analyzer = new RegistrationAnalyzer();
  await runPass(path, analyzer.handlers());
  return analyzer.finish();
}

function unquote(text: string | undefined): string {
  const t = text ?? '';
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** "expires=1200|q=0.500" → 1200 (the contact expires parameter tshark shows). */
function contactExpires(params: string | undefined): number | undefined {
  for (const p of (params ?? '').split('|')) if (p.toLowerCase().startsWith('expires=')) return Number(p.slice(8));
  return undefined;
}

/** Parameters of one sec-mechanism as tshark prints it: "ipsec-3gpp;alg=…;spi-c=…". */
function mechanismParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const piece of text.split(';').slice(1)) {
    const eq = piece.indexOf('=');
    if (eq > 0) out[piece.slice(0, eq).trim().toLowerCase()] = piece.slice(eq + 1).trim();
  }
  return out;
}

function endpointMatches(e: SaEndpoint, params: Record<string, string>): void {
  assert.deepEqual([e.spiC, e.spiS, e.portC, e.portS], [Number(params['spi-c']), Number(params['spi-s']), Number(params['port-c']), Number(params['port-s'])]);
}

/** TS 24.229 §7.2A.4.3, computed here from the hex text: MCC, MNC (2 digits for 16 characters), TAC, ECI. */
function eutranCell(cellId: string): { mcc: string; mnc: string; tac: number; eci: number } {
  const mncDigits = cellId.length - 3 - 4 - 7;
  return { mcc: cellId.slice(0, 3), mnc: cellId.slice(3, 3 + mncDigits), tac: parseInt(cellId.slice(3 + mncDigits, 7 + mncDigits), 16), eci: parseInt(cellId.slice(7 + mncDigits), 16) };
}

function corpus(t: TestContext, name: string): string | undefined {
  const path = corpusFile(t, name);
  if (path === undefined || !needTools(t, 'tshark')) return undefined;
  return path;
}

test('zeek wireshark.pcap: every REGISTER and final response, expiries, Digest challenges and answers agree with tshark', async (t) => {
  const path = corpus(t, 'zeek__wireshark.pcap');
  if (path === undefined) return;
  const rows = tsharkRows(path, ['sip.Method', 'sip.Status-Code', 'sip.CSeq.method', 'sip.Expires', 'sip.contact.parameter', 'sip.auth.nonce', 'sip.auth.realm', 'sip.auth.algorithm', 'sip.auth.username', 'sip.User-Agent'], 'sip.CSeq.method == "REGISTER"');
  const report = await analyse(path);
  const steps = report.registrations.flatMap((r) => r.procedures.flatMap((p) => p.steps.map((s) => ({ r, p, s }))));

  // Every REGISTER and every final response to one is in a timeline, once.
  const requests = [...rows].filter(([, row]) => row['sip.Method'] === 'REGISTER').map(([f]) => f);
  const finals = [...rows].filter(([, row]) => Number(row['sip.Status-Code']) >= 200).map(([f]) => f);
  assert.deepEqual(steps.filter((x) => x.s.status === undefined).flatMap((x) => x.s.sightings.map((y) => y.frame)).sort((a, b) => a - b), requests);
  assert.deepEqual(steps.filter((x) => x.s.status !== undefined).flatMap((x) => x.s.sightings.map((y) => y.frame)).sort((a, b) => a - b), finals);
  for (const { s } of steps) {
    const row = rows.get(s.sightings[0]!.frame)!;
    if (s.status !== undefined) assert.equal(s.status, Number(row['sip.Status-Code']), `status of frame ${s.sightings[0]!.frame}`);
  }

  for (const r of report.registrations) {
    for (const p of r.procedures) {
      // Requested: the contact's expires parameter, else the Expires header (RFC 3261 §10.2.1.1).
      const req = p.expiry.requested!;
      const row = rows.get(req.frame)!;
      assert.equal(req.value, contactExpires(row['sip.contact.parameter']) ?? Number(row['sip.Expires']), `requested expiry at frame ${req.frame}`);
      if (p.expiry.granted !== undefined) assert.equal(p.expiry.granted.value, contactExpires(rows.get(p.expiry.granted.frame)!['sip.contact.parameter']));
      if (p.final !== undefined) assert.equal(p.final.status, Number(rows.get(p.final.frame)!['sip.Status-Code']));
      for (const c of p.challenges) {
        const at = rows.get(c.frame)!;
        assert.equal(c.nonce.value, unquote(at['sip.auth.nonce']), `nonce at frame ${c.frame}`);
        assert.equal(c.realm, unquote(at['sip.auth.realm']));
        assert.equal(c.algorithm, `Digest-${at['sip.auth.algorithm']}`);
        if (c.answer !== undefined) {
          const answer = rows.get(c.answer.frame)!;
          assert.equal(c.answer.username, unquote(answer['sip.auth.username']), `username at frame ${c.answer.frame}`);
          assert.equal(unquote(answer['sip.auth.nonce']), c.nonce.value, 'the answer names the challenge nonce');
        }
      }
    }
    if (r.identities.userAgent !== undefined) assert.equal(r.identities.userAgent.value, rows.get(r.identities.userAgent.frame)!['sip.User-Agent']);
    // The IMPI is the username the REGISTERs of this registration carried.
    const usernames = new Set(r.procedures.flatMap((p) => p.steps.flatMap((s) => s.sightings.map((y) => unquote(rows.get(y.frame)?.['sip.auth.username'])))).filter((u) => u !== ''));
    assert.ok(r.impi !== undefined && usernames.has(r.impi.value), `IMPI ${r.impi?.value} among ${[...usernames].join(', ')}`);
  }
  // The 403 of frame 5 fails voi18063's first attempt (tshark: "403" to REGISTER CSeq 69).
  const failed = report.findings.filter((f) => f.ruleId === 'registration-failed');
  assert.ok(failed.some((f) => f.frames[0] === finals.find((fr) => rows.get(fr)!['sip.Status-Code'] === '403')));
});

test('zeek sip-junk-before-request.pcap: the lone REGISTER and its Expires', async (t) => {
  const path = corpus(t, 'zeek__sip-junk-before-request.pcap');
  if (path === undefined) return;
  const rows = tsharkRows(path, ['sip.Method', 'sip.Expires'], 'sip.Method == "REGISTER"');
  const report = await analyse(path);
  assert.equal(rows.size, 1);
  const [[frame, row]] = [...rows] as [[number, Row]];
  const r: Registration = report.registrations[0]!;
  assert.equal(report.registrations.length, 1);
  assert.deepEqual(r.procedures[0]!.steps.map((s) => s.sightings[0]!.frame), [frame]);
  assert.deepEqual([r.procedures[0]!.expiry.requested?.value, r.procedures[0]!.expiry.requested?.frame], [Number(row['sip.Expires']), frame]);
  assert.equal(r.state, 'incomplete');
});

test('SSMTK VoNR PJSUA: Security-Verify, ESP SPIs per direction, PANI, IMEI and User-Agent of a UE in use', async (t) => {
  const path = corpus(t, 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap');
  if (path === undefined) return;
  const sip = tsharkRows(path, ['sip.Security-Verify', 'sip.P-Access-Network-Info', 'sip.contact.parameter', 'sip.User-Agent', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport'], 'sip.Security-Verify');
  const esp = tsharkRows(path, ['ipv6.src', 'ipv6.dst', 'esp.spi'], 'esp');
  const report = await analyse(path);
  assert.equal(report.registrations.length, 1);
  const r = report.registrations[0]!;
  assert.equal(r.state, 'in-use');
  const [first, row] = [...sip][0] as [number, Row];
  assert.equal(r.ueAddress, row['ipv6.src']);

  const n = r.security.negotiations[0]!;
  assert.equal(n.verify?.frame, first);
  const verify = mechanismParams(row['sip.Security-Verify']!);
  endpointMatches(n.pcscf, verify);
  assert.deepEqual([n.chosen?.value.alg, n.chosen?.value.ealg], [verify['alg'], verify['ealg']]);
  // The UE sends its requests from its protected client port (TS 33.203 §7.1).
  assert.equal(n.ue.portC, Number(row['tcp.srcport']?.split('|').pop()));

  // ESP per direction and SPI, as tshark reads the SPI field.
  const count = (src: string, dst: string): [number, number][] => {
    const m = new Map<number, number>();
    for (const e of esp.values()) if (e['ipv6.src'] === src && e['ipv6.dst'] === dst) m.set(Number(e['esp.spi']), (m.get(Number(e['esp.spi'])) ?? 0) + 1);
    return [...m].sort((a, b) => a[0] - b[0]);
  };
  const ue = row['ipv6.src']!;
  const pcscf = row['ipv6.dst']!;
  assert.deepEqual(r.security.esp.fromUe.spis.map((s) => [s.spi, s.packets]).sort((a, b) => a[0]! - b[0]!), count(ue, pcscf));
  assert.deepEqual(r.security.esp.toUe.spis.map((s) => [s.spi, s.packets]).sort((a, b) => a[0]! - b[0]!), count(pcscf, ue));
  assert.ok(r.security.esp.fromUe.spis.every((s) => s.spi === n.pcscf.spiC || s.spi === n.pcscf.spiS), 'UE → P-CSCF ESP uses the P-CSCF SPIs');
  assert.equal(r.security.esp.readable, true);
  assert.deepEqual(report.findings.filter((f) => f.ruleId === 'esp-spi-not-negotiated'), [], 'the UE side was never negotiated in this capture');

  // PANI, IMEI and User-Agent of the frame tshark shows them in.
  const pani = r.access.pani[0]!;
  assert.equal(pani.value.raw, sip.get(pani.frame)!['sip.P-Access-Network-Info']);
  const cellId = pani.value.raw.slice(pani.value.raw.indexOf('utran-cell-id-3gpp=') + 'utran-cell-id-3gpp='.length);
  const cell = eutranCell(cellId);
  assert.deepEqual([pani.value.mcc, pani.value.mnc, pani.value.tac, pani.value.eci, pani.value.enbId, pani.value.cellId], [cell.mcc, cell.mnc, cell.tac, cell.eci, Math.floor(cell.eci / 256), cell.eci % 256]);
  const instance = (sip.get(r.identities.imei!.frame)!['sip.contact.parameter'] ?? '').split('|').find((p) => p.startsWith('+sip.instance='))!;
  assert.equal(instance, `+sip.instance="<${r.identities.instance!.value}>"`);
  assert.equal(r.identities.imei!.value.imei, r.identities.instance!.value.replace('urn:gsma:imei:', '').split('-').join(''));
  assert.equal(r.identities.userAgent?.value, sip.get(r.identities.userAgent!.frame)!['sip.User-Agent']);
});

test('pcaptoparquet 50_sip_ott: Security-Verify, protected ports and the cell change of a real operator UE', async (t) => {
  const path = corpus(t, 'pcaptoparquet__50_sip_ott.pcap');
  if (path === undefined) return;
  const rows = tsharkRows(path, ['sip.Method', 'sip.Security-Verify', 'sip.P-Access-Network-Info', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport'], 'sip.Method');
  const report = await analyse(path);
  assert.equal(report.registrations.length, 1);
  const r = report.registrations[0]!;
  const withVerify = [...rows].filter(([, row]) => row['sip.Security-Verify'] !== '');
  const [first, row] = withVerify[0]!;
  const n = r.security.negotiations[0]!;
  assert.equal(n.verify?.frame, first);
  endpointMatches(n.pcscf, mechanismParams(row['sip.Security-Verify']!));
  assert.equal(r.ueAddress, row['ipv6.src']);
  // Requests from the UE leave its port-c; requests to it arrive at its port-s (TS 33.203 §7.1).
  assert.equal(n.ue.portC, Number(row['tcp.srcport'] || row['udp.srcport']));
  const toUe = [...rows].find(([, x]) => x['ipv6.dst'] === r.ueAddress && x['sip.Method'] !== '')![1];
  assert.equal(n.ue.portS, Number(toUe['tcp.dstport'] || toUe['udp.dstport']));
  // Each distinct P-Access-Network-Info the UE sent, in order, as tshark shows it.
  const distinct = [...new Set([...rows.values()].filter((x) => x['ipv6.src'] === r.ueAddress).map((x) => x['sip.P-Access-Network-Info']).filter((p): p is string => p !== undefined && p !== ''))];
  assert.deepEqual(r.access.pani.map((p) => p.value.raw), distinct);
});

test('pcaptoparquet 01_udp_voice_ott: a UE known only from in-dialog requests (no Contact) over its SA', async (t) => {
  const path = corpus(t, 'pcaptoparquet__01_udp_voice_ott.pcap');
  if (path === undefined) return;
  const rows = tsharkRows(path, ['sip.Security-Verify', 'sip.P-Access-Network-Info', 'sip.P-Preferred-Identity', 'ipv6.src'], 'sip.Security-Verify');
  const report = await analyse(path);
  assert.equal(report.registrations.length, 1);
  const r = report.registrations[0]!;
  const [first, row] = [...rows][0] as [number, Row];
  assert.deepEqual([r.state, r.ueAddress], ['in-use', row['ipv6.src']]);
  endpointMatches(r.security.negotiations[0]!.pcscf, mechanismParams(row['sip.Security-Verify']!));
  const impu = r.identities.impus[0]!;
  assert.deepEqual([`<${impu.value}>`, impu.frame], [row['sip.P-Preferred-Identity'], first]);
  // The MSISDN is the global number of that IMPU (RFC 3966 §5.1.4), digits only.
  assert.equal(r.identities.msisdn[0]?.value, impu.value.slice(impu.value.indexOf('+') + 1, impu.value.indexOf('@')));
  const sent = [...rows].filter(([, x]) => x['sip.P-Access-Network-Info'] !== '');
  const distinct = sent.filter(([, x], i) => sent.findIndex(([, y]) => y['sip.P-Access-Network-Info'] === x['sip.P-Access-Network-Info']) === i);
  assert.deepEqual(r.access.pani.map((p) => [p.frame, p.value.raw]), distinct.map(([f, x]) => [f, x['sip.P-Access-Network-Info']]));
});
