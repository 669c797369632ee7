import assert from 'node:assert/strict';
import { test } from 'node:test';
import { absentRuntimes, measure, runtimeTableRows } from '../../lib/findings/runtimes';
import { messageFindings, REASON_CHARS, runtimeCaveats, transferFinding } from '../../lib/findings/runtimes-findings';
import { blankRecord } from '../../lib/model/record';
import { type FailedPhase, type PayloadKind, RUNTIMES, type Runtime, type TransferRecord } from '../../lib/model/types';
import { RUNTIME_COLORS } from '../../lib/notebook/palette';
import { messageRateFigure, methodsFigure, peakRssFigure, roundTripFigure } from '../../lib/notebook/runtime-figures';

const VERSIONS: Record<Runtime, string> = { node: '20.20.2', bun: '1.4.5', deno: '2.9.6', cpython: '3.11.7' };
const MiB = 2 ** 20;
let repeat = 0;

/** One measured transfer with a hand-picked total and peak RSS of each side. */
function transfer(
  runtime: Runtime,
  transport: string,
  payload: PayloadKind,
  size: number,
  totalSeconds: number,
  rssMiB = [50, 60],
): TransferRecord {
  const r = blankRecord({ runtime, transport, payload, sizeElements: size }, { runId: 't', repeat: repeat++, warmup: false });
  r.runtimeVersion = VERSIONS[runtime];
  r.ok = true;
  r.totalSeconds = totalSeconds;
  r.senderPeakRssBytes = rssMiB[0] * MiB;
  r.receiverPeakRssBytes = rssMiB[1] * MiB;
  return r;
}

/** A record that did not run, as the runner writes it: the phase, and why in the bare words of the code that stopped it. */
function failed(
  runtime: Runtime,
  transport: string,
  phase: FailedPhase,
  why: string,
  pattern: 'transfer' | 'roundtrip' = 'transfer',
): TransferRecord {
  const spec =
    pattern === 'transfer'
      ? { runtime, transport, payload: 'list' as const, sizeElements: 1e8 }
      : { runtime, transport, payload: 'bytes' as const, sizeElements: 1e4, pattern, messageBytes: 64 };
  const r = blankRecord(spec, { runId: 't', repeat: 0, warmup: false });
  r.runtimeVersion = VERSIONS[runtime];
  r.failedPhase = phase;
  r.error = why;
  return r;
}

/** One round trip or stream run of 64 B messages. */
function message(runtime: Runtime, transport: string, pattern: 'roundtrip' | 'rate', value: number, p99 = 0): TransferRecord {
  const r = blankRecord(
    { runtime, transport, payload: 'bytes', sizeElements: 1e4, pattern, messageBytes: 64 },
    { runId: 't', repeat: 0, warmup: false },
  );
  r.runtimeVersion = VERSIONS[runtime];
  r.ok = true;
  if (pattern === 'roundtrip') {
    r.roundTripP50Seconds = value;
    r.roundTripP99Seconds = p99;
  } else r.messagesPerSecond = value;
  return r;
}

const BUN_V8 =
  'node:v8 serialize of a plain list takes about 150 bytes of memory per element in Bun (measured), more than half of the memory available';

const records: TransferRecord[] = [
  transfer('node', 'pipe', 'list', 1e7, 0.3),
  transfer('bun', 'pipe', 'list', 1e7, 0.6),
  // Node's pipe at 1e8 twice: its median is 3 s.
  transfer('node', 'pipe', 'list', 1e8, 2, [100, 200]),
  transfer('node', 'pipe', 'list', 1e8, 4, [100, 200]),
  transfer('bun', 'pipe', 'list', 1e8, 6, [300, 900]),
  transfer('deno', 'pipe', 'list', 1e8, 1.5),
  transfer('cpython', 'pipe', 'list', 1e8, 9),
  transfer('node', 'file', 'list', 1e8, 1),
  failed('bun', 'file', 'limits', BUN_V8),
  failed('bun', 'manager', 'limits', BUN_V8),
  transfer('deno', 'file', 'list', 1e8, 4),
  failed('cpython', 'file', 'transfer', 'the receiver exited with code 1 before the data arrived'),
  transfer('node', 'pipe', 'int32', 1e8, 0.5),
  transfer('bun', 'pipe', 'int32', 1e8, 0.25),
  transfer('deno', 'pipe', 'int32', 1e8, 1),
  message('node', 'tcp', 'roundtrip', 20e-6, 50e-6),
  message('bun', 'tcp', 'roundtrip', 10e-6, 15e-6),
  message('deno', 'tcp', 'roundtrip', 40e-6, 90e-6),
  failed(
    'cpython',
    'tcp',
    'limits',
    "multiprocessing has no TCP message channel (multiprocessing.connection's Listener is not measured)",
    'roundtrip',
  ),
  message('node', 'ipc', 'roundtrip', 30e-6, 60e-6),
  message('bun', 'ipc', 'roundtrip', 60e-6, 100e-6),
  message('deno', 'ipc', 'roundtrip', 30e-6, 40e-6),
  message('node', 'tcp', 'rate', 100_000),
  message('bun', 'tcp', 'rate', 200_000),
  message('deno', 'tcp', 'rate', 50_000),
];

test('the table: median seconds per runtime, each ÷ Node.js, and a status where there is no time', () => {
  const rows = runtimeTableRows(records);
  assert.deepEqual(
    rows.map((r) => `${r.method} ${r.payload} ${r.sizeElements}`),
    ['pipe list 10000000', 'pipe list 100000000', 'pipe int32 100000000', 'manager list 100000000', 'file list 100000000'],
  );
  const pipe = rows[1];
  assert.deepEqual(
    RUNTIMES.map((rt) => pipe.seconds[rt]?.value),
    [3, 6, 1.5, 9],
  );
  assert.deepEqual(
    RUNTIMES.map((rt) => pipe.ratio[rt]),
    [1, 2, 0.5, 3],
  );
  const file = rows[4];
  assert.equal(file.seconds.bun?.status, 'limits');
  assert.equal(file.seconds.bun?.failed?.runtime, 'bun');
  assert.equal(file.ratio.bun, null);
  assert.equal(file.seconds.cpython?.status, 'failed');
  assert.equal(file.ratio.deno, 4);
  assert.equal(rows[2].seconds.cpython?.status, 'not run');
  assert.equal(rows[0].seconds.deno?.status, 'not run');
});

test('the caveats: per runtime its runs, refused and failed apart, grouped by phase × reason, the reason in its own words', () => {
  const caveats = runtimeCaveats(records);
  assert.deepEqual(
    caveats.map((c) => [c.runtime, c.runs, c.refusedRuns, c.failedRuns, c.groups.length]),
    [
      ['node', 8, 0, 0, 0],
      ['bun', 8, 2, 0, 1],
      ['deno', 6, 0, 0, 0],
      ['cpython', 3, 1, 1, 2],
    ],
  );
  assert.deepEqual(caveats[1].groups[0], {
    phase: 'limits',
    reason: BUN_V8,
    count: 2,
    transports: ['file', 'manager'],
    configurations: ['list 1e8'],
  });
  assert.deepEqual(
    caveats[3].groups.map((g) => [g.phase, g.transports, g.configurations]),
    [
      ['transfer', ['file'], ['list 1e8']],
      ['limits', ['tcp'], ['roundtrip 64 B']],
    ],
  );
  assert.equal(caveats[3].groups[0].reason, 'the receiver exited with code 1 before the data arrived');
  const [long] = runtimeCaveats([failed('deno', 'pipe', 'spawn', 'x'.repeat(300))])[0].groups;
  assert.equal(long.reason.length, REASON_CHARS);
  assert.ok(long.reason.endsWith('…'));
});

/** The runtime a trace stands for, from its name ("Bun 1.4.5" → bun). */
function runtimeOf(name: string): Runtime {
  const found = (Object.keys(VERSIONS) as Runtime[]).find((rt) => name.toLowerCase().startsWith(rt === 'node' ? 'node.js' : rt));
  assert.ok(found, `trace ${name} names a runtime`);
  return found;
}

test('every figure draws each runtime in its fixed colour', () => {
  const figures = [
    methodsFigure(records, 'list'),
    methodsFigure(records, 'int32'),
    roundTripFigure(records, 64),
    messageRateFigure(records, 64),
    peakRssFigure(records),
  ];
  for (const fig of figures) {
    assert.ok(fig.data.length >= 3, `${fig.title} has a trace per runtime`);
    for (const trace of fig.data) {
      const color = (trace.marker as { color: string }).color;
      assert.equal(color, RUNTIME_COLORS[runtimeOf(String(trace.name))], `${fig.title}: ${trace.name}`);
    }
    assert.equal((fig.layout.yaxis as { type: string }).type, 'log', fig.title);
  }
  // CPython has no Int32Array: no series rather than a row of marks.
  assert.deepEqual(
    figures[1].data.map((t) => t.name),
    ['Node.js 20.20.2', 'Bun 1.4.5', 'Deno 2.9.6'],
  );
});

test('the figures carry the medians, the p99 whiskers and the reasons of missing bars', () => {
  const list = methodsFigure(records, 'list');
  assert.match(list.title, /1e8/);
  assert.deepEqual(list.data[0].x, ['pipe', 'manager', 'file']);
  assert.deepEqual(list.data[0].y, [3, null, 1]);
  const marks = list.layout.annotations as { hovertext: string }[];
  assert.ok(marks.some((m) => m.hovertext.startsWith('Bun 1.4.5 at file') && m.hovertext.includes('node:v8 serialize')));
  const rt = roundTripFigure(records, 64);
  assert.deepEqual(rt.data[0].x, ['tcp', 'ipc']);
  const node = rt.data[0] as { y: number[]; error_y: { array: number[] } };
  assert.deepEqual(
    node.y.map((v) => Math.round(v)),
    [20, 30],
  );
  assert.deepEqual(
    node.error_y.array.map((v) => Math.round(v)),
    [30, 30],
  );
  const rss = peakRssFigure(records);
  assert.deepEqual((rss.data[1].y as number[]).slice(0, 2), [300, 900]);
});

test('the transfer findings: each runtime ÷ Node.js by geometric mean, the furthest method, who is ranked and who wins where', () => {
  const list = transferFinding(records, 'list');
  assert.ok(list);
  assert.equal(list.sizeElements, 1e8);
  // Deno: pipe 1.5 ÷ 3 = 0.5, file 4 ÷ 1 = 4; geometric mean √2; file is furthest from Node.js.
  const deno = list.others.find((o) => o.runtime === 'deno');
  assert.ok(deno && deno.meanRatio !== null);
  assert.ok(Math.abs(deno.meanRatio - Math.SQRT2) < 1e-12);
  assert.deepEqual([deno.count, deno.furthest, deno.ranked], [2, { category: 'file', ratio: 4 }, true]);
  assert.deepEqual(
    list.others.map((o) => [o.runtime, o.meanRatio === null ? null : Number(o.meanRatio.toFixed(3)), o.count, o.ranked]),
    [
      ['bun', 2, 1, false],
      ['deno', Number(Math.SQRT2.toFixed(3)), 2, true],
      ['cpython', 3, 1, false],
    ],
  );
  // Only Deno ranks, and its mean is above Node.js's 1.
  assert.deepEqual([list.hasNode, list.fastest, list.fastestRatio, list.widest], [true, 'node', 1, 2]);
  assert.deepEqual(list.wins, [
    { runtime: 'deno', categories: ['pipe'] },
    { runtime: 'node', categories: ['file'] },
  ]);
  const int32 = transferFinding(records, 'int32');
  assert.deepEqual([int32?.fastest, int32?.fastestRatio, int32?.absent], ['bun', 0.5, ['cpython']]);
});

test('the message findings: round trip p50 and time per message of the stream, compared with Node.js per message size', () => {
  const [m] = messageFindings(records);
  assert.equal(m.messageBytes, 64);
  // Round trips over tcp and ipc: Bun 0.5 and 2 (mean 1, tying Node.js, which keeps first place), Deno 2 and 1.
  assert.deepEqual(
    m.roundTrip.others.map((o) => [o.runtime, o.meanRatio === null ? null : Number(o.meanRatio.toFixed(3)), o.furthest]),
    [
      ['bun', 1, { category: 'tcp', ratio: 0.5 }],
      ['deno', Number(Math.SQRT2.toFixed(3)), { category: 'tcp', ratio: 2 }],
      ['cpython', null, null],
    ],
  );
  assert.equal(m.roundTrip.fastest, 'node');
  assert.deepEqual(m.roundTrip.wins, [
    { runtime: 'bun', categories: ['tcp'] },
    { runtime: 'node', categories: ['ipc'] },
  ]);
  // The stream: twice Node.js's rate is half its time per message.
  assert.deepEqual([m.stream.fastest, m.stream.fastestRatio], ['bun', 0.5]);
  const p50 = (rt: Runtime, transport: string) =>
    measure(records, rt, { pattern: 'roundtrip', transport, size: 64 }, (r) => r.roundTripP50Seconds);
  assert.deepEqual([p50('node', 'ipc').value, p50('cpython', 'tcp').status, p50('cpython', 'ipc').status], [30e-6, 'limits', 'not run']);
});

test('missing runtimes, payloads and sizes are findings too, not throws', () => {
  const nodeOnly = records.filter((r) => r.runtime === 'node' && r.pattern === 'transfer');
  assert.deepEqual(absentRuntimes(nodeOnly), ['bun', 'deno', 'cpython']);
  assert.deepEqual(absentRuntimes(records), []);
  assert.deepEqual(transferFinding(nodeOnly, 'list')?.fastest, null);
  assert.equal(transferFinding([], 'list'), null);
  assert.deepEqual(messageFindings(nodeOnly), []);
  assert.match(roundTripFigure(records, 65536).title, /none in this run/);
  assert.equal(methodsFigure([], 'int32').data.length, 0);
  assert.equal(
    transferFinding(
      records.filter((r) => r.runtime !== 'node'),
      'list',
    )?.hasNode,
    false,
  );
});
