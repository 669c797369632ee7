import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankRecord } from '../../lib/model/record';
import type { CodecName, Runtime, TransferRecord } from '../../lib/model/types';
import { threeWayRows, threeWaySentence } from '../../lib/notebook/three-ways';

/** One measured list transfer of 10^8 elements with a hand-picked total. */
function run(runtime: Runtime, transport: string, totalSeconds: number, repeat: number, codec?: CodecName): TransferRecord {
  const record = blankRecord({ runtime, transport, payload: 'list', sizeElements: 1e8, codec }, { runId: 't', repeat, warmup: false });
  record.ok = true;
  record.totalSeconds = totalSeconds;
  return record;
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
  assert.equal(pipe['CPython total'], 6.0);
  assert.equal(pipe['Node total'], 7.1);
  assert.equal(pipe['Node packed total'], 4.0);
  assert.ok(Math.abs((pipe['Node ÷ CPython (list)'] as number) - 7.1 / 6.0) < 1e-12);
  assert.equal(pipe['fastest Node codec'], 'packed');
  assert.ok(Math.abs((pipe['fastest Node ÷ CPython'] as number) - 4.0 / 6.0) < 1e-12);
  const [low, high] = String(pipe['fastest 95% CI']).split('–').map(Number);
  assert.ok(low < 4.0 / 6.0 && 4.0 / 6.0 < high && high < 1, `interval ${pipe['fastest 95% CI']} holds the ratio, below 1`);
  const [aLow] = String(pipe['95% CI']).split('–').map(Number);
  assert.ok(aLow > 1, `v8 interval ${pipe['95% CI']} is above 1`);
});

test('the sentence claims a difference only where the interval excludes 1', () => {
  const rows = threeWayRows([...cpython, ...cpythonFile], [...nodeV8, ...nodePacked, ...nodeFile]);
  const text = threeWaySentence(rows, []);
  assert.match(text, /Pipe \(`pipe`\): 1\.18 \[[0-9.]+–[0-9.]+\] — Node slower; packed 0\.67 \[[0-9.]+–[0-9.]+\] — Node faster/);
  assert.match(text, /File \(`file`\): 1\.00 \[[0-9.]+–[0-9.]+\] — no difference shown/);
  assert.match(text, /faster than CPython's pickle — the interval below 1 — on Pipe \(packed\) of the 2 methods/);
});

test('one repeat a side: a ratio, no interval, and no claim', () => {
  const rows = threeWayRows([cpython[0]], [nodeV8[0]]);
  const pipe = rows.find((r) => r.method === 'Pipe');
  assert.equal(pipe?.['95% CI'], 'needs ≥ 2 repeats');
  assert.match(threeWaySentence(rows, []), /one repeat: no interval/);
  assert.match(threeWaySentence(rows, []), /on none of the 1 methods/);
});
