import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankRecord } from '../../lib/model/record';
import type { PayloadKind, Runtime, TransferRecord } from '../../lib/model/types';
import { RUNTIME_COLORS } from '../../lib/notebook/palette';
import {
  messageRateFigure,
  methodsFigure,
  peakRssFigure,
  roundTripFigure,
  runtimeTableRows,
  transferMedian,
} from '../../lib/notebook/runtimes';
import {
  caveatSentences,
  messageLesson,
  missingRuntimesSentence,
  runtimeCaveatRows,
  shortReason,
  transferLesson,
} from '../../lib/notebook/runtimes-lessons';

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

/** A record that did not run, as the runner writes it: `<spec>: <phase>: <runtime version>: why`. */
function failed(
  runtime: Runtime,
  transport: string,
  phase: string,
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
  r.error = `${runtime} ${transport} …: ${phase}: ${runtime} ${VERSIONS[runtime]}: ${why}`;
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

test('the table: median seconds per runtime under its version, each ÷ Node.js, a word where there is no time', () => {
  const rows = runtimeTableRows(records);
  assert.deepEqual(
    rows.map((r) => `${r.method} ${r.payload} ${r.elements}`),
    ['pipe list 1e7', 'pipe list 1e8', 'pipe Int32Array 1e8', 'manager list 1e8', 'file list 1e8'],
  );
  const pipe = rows[1];
  assert.equal(pipe['Node.js 20.20.2 (s)'], 3);
  assert.equal(pipe['Bun 1.4.5 (s)'], 6);
  assert.equal(pipe['Deno 2.9.6 (s)'], 1.5);
  assert.equal(pipe['CPython 3.11.7 (s)'], 9);
  assert.equal(pipe['Bun ÷ Node.js'], 2);
  assert.equal(pipe['Deno ÷ Node.js'], 0.5);
  assert.equal(pipe['CPython ÷ Node.js'], 3);
  const file = rows[4];
  assert.equal(file['Bun 1.4.5 (s)'], 'limits');
  assert.equal(file['Bun ÷ Node.js'], '–');
  assert.equal(file['CPython 3.11.7 (s)'], 'failed');
  assert.equal(file['Deno ÷ Node.js'], 4);
  assert.equal(rows[2]['CPython 3.11.7 (s)'], 'not run');
  assert.equal(rows[0]['Deno 2.9.6 (s)'], 'not run');
  assert.equal(transferMedian(records, 'bun', 'file', 'list', 1e8).failed?.runtime, 'bun');
});

test('the caveats: every failed or refused record grouped by runtime × reason, the reason short and naming the API', () => {
  const rows = runtimeCaveatRows(records);
  assert.equal(rows.length, 3);
  const bun = rows.find((r) => r.runtime === 'Bun 1.4.5');
  assert.ok(bun);
  assert.equal(bun.count, 2);
  assert.equal(bun.phase, 'limits');
  assert.equal(bun.transports, 'file, manager');
  assert.equal(bun.configurations, 'list 1e8');
  assert.equal(bun.reason, 'node:v8 serialize of a plain list takes about 150 bytes of memory per element in Bun');
  const cpython = rows.filter((r) => r.runtime === 'CPython 3.11.7');
  assert.deepEqual(
    cpython.map((r) => [r.phase, r.transports, r.configurations]),
    [
      ['transfer', 'file', 'list 1e8'],
      ['limits', 'tcp', 'roundtrip 64 B'],
    ],
  );
  const long = failed('deno', 'pipe', 'spawn', 'x'.repeat(300));
  assert.equal(shortReason(long).length, 140);
  assert.ok(shortReason(long).endsWith('…'));
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

test('the lessons carry the numbers computed from the records', () => {
  const list = transferLesson(records, 'list');
  assert.match(list, /The list at 1e8 elements/);
  assert.match(
    list,
    /Fastest by the geometric mean: Node\.js \(every ranked runtime's mean ratio is above 1\)\. Bun \(1 of 2\), CPython \(1 of 2\) had fewer methods with a time and are not ranked\./,
  );
  // Deno: pipe 1.5 ÷ 3 = 0.5, file 4 ÷ 1 = 4; geometric mean √2; file is furthest from Node.
  assert.match(list, /Deno 2\.9\.6 ÷ Node\.js: 1\.41× \(geometric mean over 2 methods\); furthest from Node\.js on `file`: 4\.00×/);
  assert.match(list, /Bun 1\.4\.5 ÷ Node\.js: 2\.00× \(geometric mean over 1 method\)/);
  assert.match(list, /Fastest per method: Deno on 1 \(`pipe`\); Node\.js on 1 \(`file`\)/);
  const int32 = transferLesson(records, 'int32');
  assert.match(int32, /Fastest by the geometric mean: Bun, 0\.50× Node\.js's time \(2\.00× faster\)/);
  assert.match(int32, /CPython: no transfers of the Int32Array/);
  const messages = messageLesson(records);
  assert.match(messages, /`ipc`: Node\.js 30\.0 µs, Bun 60\.0 µs, Deno 30\.0 µs, CPython not run/);
  assert.match(messages, /`tcp`: Node\.js 20\.0 µs, Bun 10\.0 µs, Deno 40\.0 µs, CPython limits/);
  assert.match(messages, /Fastest by the geometric mean: Bun, 0\.50× Node\.js's time/);
  const caveats = caveatSentences(records);
  assert.match(caveats, /- Node\.js 20\.20\.2: all 8 runs arrived intact/);
  assert.match(caveats, /- Bun 1\.4\.5: of 8 runs, 2 refused in advance — node:v8 serialize/);
  assert.match(caveats, /- CPython 3\.11\.7: of 3 runs, 1 refused in advance — .*; and 1 failed at run time — the receiver exited/);
});

test('missing runtimes and sizes are said, not thrown', () => {
  const nodeOnly = records.filter((r) => r.runtime === 'node' && r.pattern === 'transfer');
  assert.equal(missingRuntimesSentence(nodeOnly), 'This run has no records from Bun, Deno, CPython.');
  assert.equal(missingRuntimesSentence(records), '');
  assert.match(transferLesson(nodeOnly, 'list'), /Only Node\.js has times here/);
  assert.equal(transferLesson([], 'list'), 'This run has no transfers of the list.');
  assert.equal(messageLesson(nodeOnly), 'This run has no message patterns.');
  assert.match(roundTripFigure(records, 65536).title, /no round trips of this size/);
  assert.equal(methodsFigure([], 'int32').data.length, 0);
  assert.match(
    transferLesson(
      records.filter((r) => r.runtime !== 'node'),
      'list',
    ),
    /No Node\.js records/,
  );
});
