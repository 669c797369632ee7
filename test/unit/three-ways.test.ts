import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeForArticleMethod, threeWayFinding, threeWayRows } from '../../lib/findings/three-ways';
import { blankRecord } from '../../lib/model/record';
import type { CodecName, Runtime, TransferRecord } from '../../lib/model/types';

/** One measured list transfer of 10^8 elements with a hand-picked total (and build time). */
function run(runtime: Runtime, transport: string, totalSeconds: number, repeat: number, codec?: CodecName): TransferRecord {
  const record = blankRecord({ runtime, transport, payload: 'list', sizeElements: 1e8, codec }, { runId: 't', repeat, warmup: false });
  return { ...record, ok: true, totalSeconds, buildSeconds: runtime === 'node' ? 2 : 4 + repeat };
}

const cpython = [5.9, 6.0, 6.1].map((t, i) => run('cpython', 'pipe', t, i));
const nodeV8 = [7.0, 7.2, 7.1].map((t, i) => run('node', 'pipe', t, i));
const nodePacked = [4.0, 4.1, 3.9].map((t, i) => run('node', 'pipe', t, i, 'packed'));
// A method where Node and CPython overlap: no difference can be claimed.
const cpythonFile = [3.0, 4.0, 5.0].map((t, i) => run('cpython', 'file', t, i));
const nodeFile = [3.5, 4.5, 4.0].map((t, i) => run('node', 'file', t, i));

test('three-way rows: Node ÷ CPython per method with the interval, for the analog and the fastest codec', () => {
  const rows = threeWayRows([...cpython, ...cpythonFile], [...nodeV8, ...nodePacked, ...nodeFile]);
  const pipe = rows.find((r) => r.method === 'Pipe');
  assert.ok(pipe);
  assert.equal(pipe.cpythonTotalSeconds, 6.0);
  assert.equal(pipe.nodeTotalSeconds, 7.1);
  assert.equal(pipe.nodePackedTotalSeconds, 4.0);
  assert.equal(pipe.articleSendSeconds, 3.12, "the article's published send at its own size");
  assert.ok(Math.abs((pipe.ratio as number) - 7.1 / 6.0) < 1e-12);
  assert.equal(pipe.fastestCodec, 'packed');
  assert.ok(Math.abs((pipe.fastestRatio as number) - 4.0 / 6.0) < 1e-12);
  const [low, high] = [pipe.fastestCiLow as number, pipe.fastestCiHigh as number];
  assert.ok(low < 4.0 / 6.0 && 4.0 / 6.0 < high && high < 1, `interval ${low}–${high} holds the ratio, below 1`);
  assert.ok((pipe.ciLow as number) > 1, `v8 interval ${pipe.ciLow}–${pipe.ciHigh} is above 1`);
  assert.equal(rows.find((r) => r.method === 'Queue')?.ratio, null, 'no CPython Queue ran: no ratio');
});

test('a verdict claims a difference only where the interval excludes 1', () => {
  const rows = threeWayRows([...cpython, ...cpythonFile], [...nodeV8, ...nodePacked, ...nodeFile]);
  const finding = threeWayFinding(rows, [...cpython, ...nodeV8]);
  assert.equal(finding.sizeElements, 1e8);
  const pipe = finding.compared.find((r) => r.method === 'Pipe');
  assert.deepEqual([pipe?.verdict, pipe?.fastestVerdict], ['slower', 'faster']);
  const file = finding.compared.find((r) => r.method === 'File');
  assert.deepEqual([file?.verdict, file?.fastestCodec, file?.fastestVerdict], ['same', 'analog', 'same']);
  assert.deepEqual(
    finding.compared.map((r) => r.method),
    ['Pipe', 'File'],
  );
  assert.deepEqual(
    finding.wins.map((r) => r.method),
    ['Pipe'],
  );
  assert.deepEqual(finding.buildSeconds, { cpython: 5, node: 2 }, 'the mean build time per runtime');
});

test('one repeat a side: a ratio, no interval, and no claim', () => {
  const rows = threeWayRows([cpython[0]], [nodeV8[0]]);
  const pipe = rows.find((r) => r.method === 'Pipe');
  assert.deepEqual([pipe?.ciLow, pipe?.ciHigh, pipe?.verdict], [null, null, 'one-repeat']);
  const finding = threeWayFinding(rows, []);
  assert.equal(finding.compared.length, 1);
  assert.deepEqual(finding.wins, []);
  assert.deepEqual(finding.buildSeconds, { cpython: null, node: null });
});

test('each article method stands for its Node process variant', () => {
  assert.deepEqual(['Queue', 'Pipe', 'shared memory (Array)', 'Manager', 'RawArray', 'File', 'socket'].map(nodeForArticleMethod), [
    'queue',
    'pipe',
    'shared-array',
    'manager',
    'raw-array',
    'file',
    'tcp',
  ]);
});
