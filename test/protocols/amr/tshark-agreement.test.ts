// Frame types, CMR and Q bits agree with tshark's AMR dissector (packet-amr.c), on payloads the
// test packs itself and on the AMR-WB streams of the public corpus.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { decodeAmrPayload } from '../../../src/protocols/amr/decode.js';
import { isDecodeError } from '../../../src/decode-error.js';
import { tempCaptureFile, writePcap } from '../../fixtures/capture-writer.js';
import { NO_DATA, buildRtp, packAmrPayload, randomFrame, seededRandom, synthFrames, udpFrame, type FixtureAmrFrame } from '../../fixtures/amr-frames.js';
import { corpusFile, needTools } from '../../support/environment.js';

interface TsharkAmr {
  frameNo: number;
  cmr: number;
  ft: number[];
  q: boolean[];
  payloadHex: string;
  problems: string;
}

const EXPERT_FIELDS = ['amr.not_enough_data_for_frames', 'amr.superfluous_data', 'amr.padding_bits_not0', 'amr.reserved.not_zero'];

function tsharkAmr(file: string, wideband: boolean, extra: readonly string[]): TsharkAmr[] {
  const codec = wideband ? 'wb' : 'nb';
  const fields = ['frame.number', `amr.${codec}.cmr`, `amr.${codec}.toc.ft`, 'amr.toc.q', 'rtp.payload', ...EXPERT_FIELDS];
  const r = spawnSync('tshark', ['-r', file, ...extra, '-Y', 'amr', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((line) => {
      const [frameNo, cmr, ft, q, payloadHex, ...problems] = line.split('\t') as [string, string, string, string, string, ...string[]];
      return {
        frameNo: Number(frameNo),
        cmr: Number(cmr),
        ft: ft.split(',').map(Number),
        q: q.split(',').map((v) => v === '1' || v === 'True'),
        payloadHex,
        problems: problems.join('').trim(),
      };
    });
}

/** AMR dissector preferences (tshark -G defaultprefs) and decode-as for the payload type. */
function amrPrefs(wideband: boolean, octetAligned: boolean, payloadType: number): string[] {
  return [
    '-o',
    `amr.encoding.version:${octetAligned ? 'RFC 3267 octet aligned' : 'RFC 3267 BW-efficient'}`,
    '-o',
    `amr.mode:${wideband ? 'Wideband AMR' : 'Narrowband AMR'}`,
    '-d',
    `rtp.pt==${payloadType},amr`,
  ];
}

const SYNTH_PORT = 40000;
const synthPrefs = (wideband: boolean, octetAligned: boolean): string[] => ['-d', `udp.port==${SYNTH_PORT},rtp`, ...amrPrefs(wideband, octetAligned, 97)];

function compare(rows: readonly TsharkAmr[], wideband: boolean, octetAligned: boolean, label: string): void {
  for (const row of rows) {
    const p = decodeAmrPayload(Buffer.from(row.payloadHex, 'hex'), { wideband, octetAligned });
    if (isDecodeError(p)) assert.fail(`${label} frame ${row.frameNo}: ${p.reason}`);
    assert.equal(p.cmr, row.cmr, `${label} frame ${row.frameNo} CMR`);
    assert.deepEqual(
      p.frames.map((f) => f.ft),
      row.ft,
      `${label} frame ${row.frameNo} frame types`,
    );
    assert.deepEqual(
      p.frames.map((f) => f.q),
      row.q,
      `${label} frame ${row.frameNo} Q bits`,
    );
  }
}

function synthesisedCapture(t: TestContext, wideband: boolean, octetAligned: boolean): { file: string; packets: FixtureAmrFrame[][] } {
  const random = seededRandom(wideband ? 101 : 102);
  const frames = synthFrames(wideband, wideband ? 5 : 6, 240);
  // Damaged frames (Q = 0) too.
  const marked = frames.map((f) => (random() < 0.1 ? { ...f, q: false } : f));
  // First one packet per frame type (so every frame size meets tshark's table), then a call.
  const types = Array.from({ length: wideband ? 10 : 9 }, (_, ft) => ft);
  const packets: FixtureAmrFrame[][] = types.map((ft) => [randomFrame(ft, wideband, random)]);
  for (let i = 0; i < marked.length; ) {
    const n = 1 + Math.floor(random() * 3);
    const group = marked.slice(i, i + n);
    // tshark's bandwidth-efficient dissection ends the TOC at a NO_DATA entry (RFC 4867 allows
    // more entries after one), so there NO_DATA goes last in a packet.
    const cut = octetAligned ? -1 : group.findIndex((f) => f.ft === NO_DATA);
    const taken = cut === -1 ? group : group.slice(0, cut + 1);
    packets.push(taken);
    i += taken.length;
  }
  const records = packets.map((group, i) => {
    const payload = packAmrPayload(group, { wideband, octetAligned, cmr: i % 5 === 0 ? Math.floor(random() * (wideband ? 9 : 8)) : 15 });
    const rtp = buildRtp({ payloadType: 97, sequence: i, timestamp: i * (wideband ? 320 : 160), ssrc: 0x1234, payload });
    return { bytes: udpFrame(rtp, { src: SYNTH_PORT, dst: SYNTH_PORT }), tsSec: 1_700_000_000 + Math.floor(i / 50), tsNsec: (i % 50) * 20_000_000 };
  });
  return { file: tempCaptureFile(t, `amr-${wideband}-${octetAligned}.pcap`, writePcap(records)), packets };
}

for (const wideband of [false, true]) {
  for (const octetAligned of [false, true]) {
    const label = `${wideband ? 'AMR-WB' : 'AMR'} ${octetAligned ? 'octet-aligned' : 'bandwidth-efficient'}`;
    test(`${label}: every frame type and a packed call dissect in tshark without complaint and agree frame by frame`, (t) => {
      if (!needTools(t, 'tshark')) return;
      const { file, packets } = synthesisedCapture(t, wideband, octetAligned);
      const rows = tsharkAmr(file, wideband, synthPrefs(wideband, octetAligned));
      assert.equal(rows.length, packets.length, 'tshark saw every packet as AMR');
      for (const row of rows) assert.equal(row.problems, '', `frame ${row.frameNo}: tshark expert info`);
      rows.forEach((row, i) => {
        assert.deepEqual(
          row.ft,
          (packets[i] as FixtureAmrFrame[]).map((f) => f.ft),
          `frame ${row.frameNo}: the packer wrote what tshark reads`,
        );
      });
      compare(rows, wideband, octetAligned, label);
    });
  }
}

const CORPUS: readonly { name: string; octetAligned: boolean; extra: string[]; minPackets: number }[] = [
  // PT 123 octet-aligned AMR-WB, bound to AMR by the call's SDP.
  { name: 'nesfit__codecs3-amr-wb.pcap', octetAligned: true, extra: [], minPackets: 700 },
  // PT 96 octet-aligned AMR-WB, bound by SDP.
  { name: 'SSMTK_FMC_VoNR_IMS_5G__wp3_v2.pcapng', octetAligned: true, extra: [], minPackets: 400 },
  // PT 116 bandwidth-efficient AMR-WB: tshark needs to be told.
  { name: 'SSMTK-projekt__VoNR_poziv_PJSUA.pcap', octetAligned: false, extra: amrPrefs(true, false, 116), minPackets: 400 },
];

for (const c of CORPUS) {
  test(`corpus ${c.name}: AMR-WB frame types per packet agree with tshark`, (t) => {
    if (!needTools(t, 'tshark')) return;
    const file = corpusFile(t, c.name);
    if (file === undefined) return;
    const rows = tsharkAmr(file, true, c.extra);
    assert.ok(rows.length >= c.minPackets, `tshark dissected ${rows.length} AMR packets`);
    compare(rows, true, c.octetAligned, c.name);
  });
}
