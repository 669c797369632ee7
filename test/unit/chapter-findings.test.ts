/**
 * The findings of notebooks 01–10 (lib/findings/chapters.ts, medians.ts) from fake
 * records with hand-picked times: the numbers and names the notebooks put into words.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listAgainstInt32, listCostRange, ranking, resultSummaryRows, sweepGrowth, winnersBySize } from '../../lib/findings/chapters';
import { medianRows } from '../../lib/findings/medians';
import { blankRecord, failRecord } from '../../lib/model/record';
import type { CodecName, PayloadKind, TransferRecord } from '../../lib/model/types';

/** Three measured repeats of one configuration, totals `seconds × (0.9, 1, 1.1)`, after one warm-up that took 100 s. */
function runs(transport: string, payload: PayloadKind, sizeElements: number, seconds: number, codec?: CodecName): TransferRecord[] {
  return [100 / seconds, 0.9, 1, 1.1].map((k, repeat) => {
    const r = blankRecord({ runtime: 'node', transport, payload, sizeElements, codec }, { runId: 't', repeat, warmup: repeat === 0 });
    return { ...r, ok: true, totalSeconds: seconds * k, sendSeconds: seconds * k * 0.4, bytes: 4 * sizeElements + repeat };
  });
}

/** A transfer refused before it ran. */
function refused(transport: string, payload: PayloadKind, sizeElements: number): TransferRecord {
  const r = blankRecord({ runtime: 'node', transport, payload, sizeElements }, { runId: 't', repeat: 0, warmup: false });
  return failRecord(r, 'limits', 'too long for JSON');
}

const PIPE = [
  ...runs('pipe', 'list', 1e7, 1),
  ...runs('pipe', 'int32', 1e7, 0.1),
  ...runs('pipe', 'list', 1e8, 12),
  ...runs('pipe', 'int32', 1e8, 0.5),
];
const METHOD = [
  ...PIPE,
  ...runs('pipe', 'int32', 1e8, 0.25, 'raw'),
  refused('ipc-json', 'list', 1e8),
  ...runs('ipc-json', 'int32', 1e8, 2),
];

test('medianRows: one row per configuration of ok measured runs, warm-ups left out, named by transport label', () => {
  const rows = medianRows(METHOD);
  assert.equal(rows.length, 6, 'the refused ipc-json list has no row');
  const raw = rows.find((r) => r.label === 'pipe/raw');
  assert.deepEqual([raw?.transport, raw?.codec, raw?.totalSeconds, raw?.bytes], ['pipe', 'raw', 0.25, 4e8 + 2]);
  assert.equal(rows.find((r) => r.label === 'pipe' && r.payload === 'list' && r.sizeElements === 1e8)?.sendSeconds, 12 * 0.4);
});

test('listAgainstInt32 tells a list that failed at run time from one refused, and an Int32Array never sent', () => {
  const died = failRecord(
    blankRecord({ runtime: 'node', transport: 'tcp', payload: 'list', sizeElements: 1e8 }, { runId: 't', repeat: 0, warmup: false }),
    'transfer',
    'the receiver died',
  );
  const [tcp, packed] = listAgainstInt32([died, ...runs('tcp', 'int32', 1e8, 1), ...runs('pipe', 'list', 1e8, 3, 'packed')], 'largest');
  assert.deepEqual([tcp.transport, tcp.listOutcome, tcp.int32Outcome], ['tcp', 'failed', 'ok']);
  assert.deepEqual(
    [packed.transport, packed.listOutcome, packed.int32Outcome, packed.int32Seconds],
    ['pipe/packed', 'ok', 'not run', null],
  );
});

test('listAgainstInt32: per transport that sent the list, its total beside the Int32Array at the largest size', () => {
  const totals = listAgainstInt32(METHOD, 'largest');
  assert.deepEqual(
    totals.map((t) => [t.transport, t.sizeElements, t.listSeconds, t.listOutcome, t.int32Seconds, t.int32Outcome, t.ratio]),
    [
      ['pipe', 1e8, 12, 'ok', 0.5, 'ok', 24],
      ['ipc-json', 1e8, null, 'refused', 2, 'ok', null],
    ],
    'pipe/raw sent no list; a refused list has no time and no ratio, and says it was refused',
  );
  assert.deepEqual(
    listAgainstInt32(PIPE).map((t) => [t.sizeElements, t.ratio]),
    [
      [1e7, 10],
      [1e8, 24],
    ],
    'every size, smallest first',
  );
});

test('sweepGrowth: the largest size and how much ten times the data cost', () => {
  const g = sweepGrowth(PIPE);
  assert.deepEqual([g.sizeElements, g.listSeconds, g.int32Seconds, g.tenthListSeconds, g.growth], [1e8, 12, 0.5, 1, 12]);
  assert.equal(sweepGrowth(runs('pipe', 'list', 1e8, 3)).growth, null, 'no tenth of the size: no growth');
  assert.throws(() => sweepGrowth(runs('pipe', 'int32', 1e8, 3)), /no list transfer/);
});

test('resultSummaryRows: every Node transport, the article beside the analog list, and why a row has no time', () => {
  const rows = resultSummaryRows(METHOD);
  const pipeList = rows.find((r) => r.transport === 'pipe' && r.payload === 'list');
  assert.deepEqual(
    [pipeList?.method, pipeList?.totalSeconds, pipeList?.articleSendSeconds, pipeList?.flag],
    ['Pipe', 12, 3.12, 'unnecessary'],
  );
  const raw = rows.filter((r) => r.transport === 'pipe/raw');
  assert.deepEqual(
    raw.map((r) => [r.payload, r.totalSeconds, r.articleSendSeconds]),
    [['int32', 0.25, null]],
    'a codec row for the payloads it ran, without the article',
  );
  assert.match(rows.find((r) => r.transport === 'ipc-json' && r.payload === 'list')?.remarks ?? '', /^refused: too long for JSON$/);
  assert.equal(rows.find((r) => r.transport === 'tcp' && r.payload === 'list')?.remarks, 'not measured in this run');
  const { fastest, slowest } = ranking(rows);
  assert.deepEqual(
    fastest.map((r) => r.totalSeconds),
    [0.25, 0.5, 2],
  );
  assert.deepEqual(
    slowest.map((r) => r.totalSeconds),
    [12, 2, 0.5],
    'slowest first',
  );
});

test('winnersBySize: the fastest between processes and between threads, per payload and size', () => {
  const records = [
    ...PIPE,
    ...runs('queue', 'int32', 1e8, 0.7),
    ...runs('transfer', 'int32', 1e8, 0.01),
    ...runs('unix', 'int32', 1e8, 0.4),
  ];
  const at = winnersBySize(records).find((w) => w.payload === 'int32' && w.sizeElements === 1e8);
  assert.deepEqual(at, {
    payload: 'int32',
    sizeElements: 1e8,
    processes: 'unix',
    processesSeconds: 0.4,
    threads: 'transfer',
    threadsSeconds: 0.01,
  });
  const list = winnersBySize(records).find((w) => w.payload === 'list' && w.sizeElements === 1e7);
  assert.deepEqual([list?.processes, list?.threads], ['pipe', null], 'no thread transport sent the list');
});

test('listCostRange: where the list costs least and most against the Int32Array at the largest size', () => {
  const records = [...PIPE, ...runs('unix', 'list', 1e8, 8), ...runs('unix', 'int32', 1e8, 2)];
  const range = listCostRange(listAgainstInt32(records));
  assert.deepEqual(
    [range?.sizeElements, range?.least.transport, range?.least.ratio, range?.most.transport, range?.most.ratio],
    [1e8, 'unix', 4, 'pipe', 24],
  );
  assert.equal(listCostRange(listAgainstInt32(runs('pipe', 'list', 1e8, 3))), null, 'no size had both payloads');
});
