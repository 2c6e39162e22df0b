// Ladder and Mermaid renderers on message lists the test writes: columns per host (a bare IP when
// the host used several ports), arrows from sender to receiver whatever the distance, width kept
// within 160 columns with many hosts and long reason phrases, messages to oneself, Mermaid text
// escaped to what its sequenceDiagram lexer accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowMessage } from '../../src/analysis/dialogs/message-flow.js';
import { flowLayout, laneId, mermaidRenderer, mermaidText, messageLabel, renderLadder } from '../../src/report/flow.js';

let frame = 0;
function msg(src: string, dst: string, label: string | number, extra: Partial<FlowMessage> = {}): FlowMessage {
  const [srcIp = '', srcPort = '5060'] = src.split('/');
  const [dstIp = '', dstPort = '5060'] = dst.split('/');
  frame++;
  const base = { frameNo: frame, ts: 1_700_000_000 + frame / 10, src: { ip: srcIp, port: Number(srcPort) }, dst: { ip: dstIp, port: Number(dstPort) }, transport: 'udp', callId: 'c@h', cseq: '1 INVITE' };
  return typeof label === 'number'
    ? { ...base, kind: 'response', method: 'INVITE', statusCode: label, reason: 'OK', ...extra }
    : { ...base, kind: 'request', method: label, ...extra };
}

function rows(ladder: string): string[] {
  return ladder.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l));
}

function lanePositions(ladder: string): Map<string, number> {
  const header = ladder.split('\n').find((l) => l.startsWith('Time')) ?? '';
  const out = new Map<string, number>();
  const re = /\s([A-Z]|H\d+)(?=\s|$)/g;
  for (let m = re.exec(header); m !== null; m = re.exec(header)) out.set(m[1] ?? '', m.index + 1);
  return out;
}

test('layout: the INVITE sender is A, hosts in order of appearance, a host with several ports is one column', () => {
  frame = 0;
  const messages = [
    msg('10.0.0.9/5060', '10.0.0.1/5060', 'OPTIONS'),
    msg('10.0.0.1/5060', '10.0.0.2/5060', 'INVITE'),
    msg('10.0.0.2/5060', '10.0.0.3/40001', 'INVITE'),
    msg('10.0.0.3/5060', '10.0.0.2/5060', 200),
  ];
  const layout = flowLayout(messages);
  assert.deepEqual(layout.lanes.map((l) => [l.id, l.address, l.role]), [
    ['A', '10.0.0.1:5060', 'caller'],
    ['B', '10.0.0.9:5060', undefined],
    ['C', '10.0.0.2:5060', undefined],
    ['D', '10.0.0.3', 'callee'],
  ]);
  assert.deepEqual(layout.lanes[3]?.ports, [40001, 5060]);
  assert.equal(layout.laneOf({ ip: '10.0.0.3', port: 5060 }), 3);
  assert.deepEqual([0, 25, 26, 99].map(laneId), ['A', 'Z', 'H27', 'H100']);
});

test('ladder: arrows span from sender to receiver across other columns, in both directions', () => {
  frame = 0;
  const messages = [
    msg('10.0.0.1', '10.0.0.2', 'INVITE', { sdp: { media: [] } }),
    msg('10.0.0.2', '10.0.0.3', 'INVITE'),
    msg('10.0.0.3', '10.0.0.1', 180),
    msg('10.0.0.1', '10.0.0.3', 'PRACK'),
    msg('10.0.0.2', '10.0.0.2', 'OPTIONS'),
  ];
  const ladder = renderLadder(['title'], messages);
  const pos = lanePositions(ladder);
  const [a, b, c] = [pos.get('A') ?? -1, pos.get('B') ?? -1, pos.get('C') ?? -1];
  assert.ok(a > 0 && b > a && c > b, ladder);
  const r = rows(ladder).map((row) => [...row]);
  assert.equal(r.length, 5);
  // A → B: starts right of A, head just left of B, C untouched.
  assert.equal(r[0]?.slice(a + 1, a + 4).join(''), '───');
  assert.equal(r[0]?.[b - 1], '▶');
  assert.equal(r[0]?.[c], '│');
  assert.ok(r[0]?.join('').includes('INVITE (SDP)'));
  // B → C.
  assert.equal(r[1]?.[c - 1], '▶');
  assert.equal(r[1]?.[a + 1], ' ');
  // C → A crosses B: head right of A, line through B's column.
  assert.equal(r[2]?.[a + 1], '◀');
  assert.equal(r[2]?.[b], '─');
  assert.equal(r[2]?.[c], '│');
  // A → C crosses B.
  assert.equal(r[3]?.[c - 1], '▶');
  assert.equal(r[3]?.[b], '─');
  // B to itself.
  assert.ok(r[4]?.slice(b + 1).join('').startsWith('↺ OPTIONS'));
  // Frame numbers at the left, in order.
  assert.deepEqual(rows(ladder).map((row) => Number(/^\S+ +(\d+) /.exec(row)?.[1])), [1, 2, 3, 4, 5]);
});

test('ladder: many hosts and long reason phrases stay within 160 columns, labels cut with "…"', () => {
  frame = 0;
  const messages: FlowMessage[] = [];
  for (let i = 1; i <= 9; i++) messages.push(msg(`10.0.0.${i}`, `10.0.0.${i + 1}`, 'INVITE'));
  messages.push(msg('10.0.0.10', '10.0.0.9', 500, { reason: 'Server Internal Error because the downstream node did not answer in time' }));
  const ladder = renderLadder(['title'], messages);
  for (const line of ladder.split('\n')) assert.ok([...line].length <= 160, `${[...line].length}: ${line}`);
  const last = rows(ladder).at(-1) ?? '';
  assert.match(last, /◀──500 [^│]*…─*│/);
  const pos = lanePositions(ladder);
  assert.equal(pos.size, 10);
  // Two hosts and short labels: a narrow diagram.
  frame = 0;
  const narrow = renderLadder(['t'], [msg('10.0.0.1', '10.0.0.2', 'BYE'), msg('10.0.0.2', '10.0.0.1', 200)]);
  assert.ok(narrow.split('\n').every((l) => [...l].length <= 80));
});

test('labels: control characters replaced, SDP and retransmissions marked', () => {
  frame = 0;
  assert.equal(messageLabel(msg('1.1.1.1', '2.2.2.2', 183, { reason: 'Session\u001b[2J Progress', sdp: { media: [] } })), '183 Session\ufffd[2J Progress (SDP)');
  assert.equal(messageLabel(msg('1.1.1.1', '2.2.2.2', 'INVITE', { repeat: 'retransmission' })), 'INVITE (retransmission)');
  assert.equal(messageLabel(msg('1.1.1.1', '2.2.2.2', 'ACK', { repeat: 'copy' })), 'ACK');
});

test('mermaid: text escaped for the sequenceDiagram lexer, one diagram for several calls', () => {
  assert.equal(mermaidText('a#b;c<d>e%f\ng'), 'a#35;b#59;c#60;d#62;e#37;f\ufffdg');
  frame = 0;
  const r = mermaidRenderer();
  const one = [msg('10.0.0.1', '10.0.0.2', 'INVITE'), msg('10.0.0.2', '10.0.0.1', 200)];
  const two = [msg('10.0.0.3', '10.0.0.2', 'INVITE'), msg('10.0.0.2', '10.0.0.3', 486)];
  const call = (messages: FlowMessage[], callId: string): string => r.call({ callId, firstMethod: 'INVITE', from: '', to: '', dialogs: [], doneReason: 'quiet', messages });
  const text = r.head() + call(one, 'one;1') + call(two, 'two#2') + r.tail({ unplaced: [], unplacedTotal: 0, calls: 2, messages: 4 });
  assert.equal(text, [
    'sequenceDiagram',
    '    participant A as 10.0.0.1:5060',
    '    participant B as 10.0.0.2:5060',
    '    Note over A,B: Call-ID one#59;1 (caller A, callee B)',
    '    A->>B: INVITE [f1]',
    '    B-->>A: 200 OK [f2]',
    '    participant C as 10.0.0.3:5060',
    '    Note over C,B: Call-ID two#35;2 (caller C, callee B)',
    '    C->>B: INVITE [f3]',
    '    B-->>C: 486 OK [f4]',
    '',
  ].join('\n'));
});

test('layout: a host talking to itself on several ports keeps one column per port', () => {
  frame = 0;
  const layout = flowLayout([msg('192.168.4.1/39237', '192.168.4.1/5061', 'INVITE'), msg('192.168.4.1/5061', '192.168.4.1/39237', 200), msg('192.168.4.1/5060', '192.168.4.1/5061', 'ACK')]);
  assert.deepEqual(layout.lanes.map((l) => [l.address, l.ports]), [['192.168.4.1:39237', undefined], ['192.168.4.1:5061', undefined], ['192.168.4.1:5060', undefined]]);
  const ladder = renderLadder(['t'], [msg('192.168.4.1/39237', '192.168.4.1/5061', 'INVITE')]);
  assert.ok(!ladder.includes('↺'));
});
