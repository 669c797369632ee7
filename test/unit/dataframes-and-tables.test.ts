import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankRecord } from '../../lib/model/record';
import type { TransferRecord } from '../../lib/model/types';
import { frameToRows, pivot, recordsToFrame, rowsToFrame, summarizeFrame } from '../../lib/notebook/dataframe';
import { tableBundle } from '../../lib/notebook/display';
import { formatCell, tableHtml } from '../../lib/notebook/tables';

function record(transport: string, sizeElements: number, totalSeconds: number | null, extra: Partial<TransferRecord> = {}): TransferRecord {
  const r = blankRecord({ runtime: 'node', transport, payload: 'list', sizeElements }, { runId: 'r1', repeat: 0, warmup: false });
  return { ...r, ok: totalSeconds !== null, totalSeconds, ...extra };
}

test('tableHtml escapes headers, cells and the caption', () => {
  const rows = [
    { 'a<b>': '<script>alert("x")</script>', n: 1.23456789 },
    { 'a<b>': "it's & more", n: null },
  ];
  const html = tableHtml(rows, { caption: 'caption <i>&</i>', digits: 3 });
  assert.ok(!html.includes('<script>'), 'no raw script tag');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  assert.ok(html.includes('<th style="text-align: left;">a&lt;b&gt;</th>'));
  assert.ok(html.includes('it&#39;s &amp; more'));
  assert.ok(html.includes('<caption>caption &lt;i&gt;&amp;&lt;/i&gt;</caption>'));
  assert.ok(html.includes('>1.23<'), 'three significant digits');
  assert.ok(html.includes('>–<'), 'missing value shown as a dash');
  assert.match(html, /^<table border="1" class="dataframe ipc-lab-table">/);
  assert.equal((html.match(/<tr>/g) ?? []).length, 3, 'header row and two body rows');
});

test('tableHtml uses labels, keeps integers whole and takes the columns in the order given', () => {
  const html = tableHtml([{ ok: true, sizeElements: 100000000, hidden: 'x' }], {
    labels: { sizeElements: 'size (elements)' },
    columns: ['sizeElements', 'ok'],
  });
  assert.ok(html.indexOf('>size (elements)</th>') < html.indexOf('>ok</th>'));
  assert.ok(!html.includes('hidden'));
  assert.ok(html.includes('>size (elements)</th>'));
  assert.ok(html.includes('>100000000</td>'));
  assert.ok(html.includes('>true</td>'));
});

test('formatCell', () => {
  assert.equal(formatCell(null), '–');
  assert.equal(formatCell(0.000123456, 2), '0.00012');
  assert.equal(formatCell(12345.678, 3), '12300');
  assert.equal(formatCell(42), '42');
  assert.equal(formatCell('x'), 'x');
});

test('recordsToFrame leaves out warm-ups and keeps nulls as null', () => {
  const records = [record('pipe', 10, 0.5), record('pipe', 10, 9, { warmup: true }), record('tcp', 10, null)];
  const df = recordsToFrame(records);
  assert.deepEqual(
    frameToRows(df).map((r) => [r.transport, r.totalSeconds]),
    [
      ['pipe', 0.5],
      ['tcp', null],
    ],
  );
  assert.equal(frameToRows(df)[0].runId, 'r1');
  assert.equal(frameToRows(recordsToFrame(records, { includeWarmup: true })).length, 3);
  assert.equal(frameToRows(recordsToFrame(records, { okOnly: true })).length, 1);
});

test('summarize groups, drops missing values per column and sorts by the keys', () => {
  const df = rowsToFrame([
    { t: 'pipe', s: 100, v: 3, w: null },
    { t: 'pipe', s: 10, v: 1, w: 2 },
    { t: 'pipe', s: 10, v: null, w: 4 },
    { t: 'tcp', s: 10, v: null, w: 5 },
    { t: 'pipe', s: 10, v: 2, w: 3 },
  ]);
  const rows = frameToRows(summarizeFrame(df, { by: ['t', 's'], values: ['v', 'w'], stats: ['median', 'count', 'min'] }));
  assert.deepEqual(rows, [
    { t: 'pipe', s: 10, v_median: 1.5, v_count: 2, v_min: 1, w_median: 3, w_count: 3, w_min: 2 },
    { t: 'pipe', s: 100, v_median: 3, v_count: 1, v_min: 3, w_median: null, w_count: null, w_min: null },
    { t: 'tcp', s: 10, v_median: null, v_count: null, v_min: null, w_median: 5, w_count: 1, w_min: 5 },
  ]);
});

test('summarize of an empty frame has the right columns', () => {
  const out = summarizeFrame(rowsToFrame([], ['t', 'v']), { by: ['t'], values: ['v'], stats: ['mean'] });
  assert.deepEqual(frameToRows(out), []);
  assert.ok((tableBundle(out).data['text/plain'] as string).startsWith('t  v_mean'), "an empty frame's table keeps its columns");
});

test('pivot spreads a column and rejects repeats', () => {
  const df = rowsToFrame([
    { size: 10, transport: 'pipe', t: 1 },
    { size: 10, transport: 'tcp', t: 2 },
    { size: 100, transport: 'pipe', t: 3 },
  ]);
  assert.deepEqual(frameToRows(pivot(df, { index: 'size', columns: 'transport', values: 't' })), [
    { size: 10, pipe: 1, tcp: 2 },
    { size: 100, pipe: 3, tcp: null },
  ]);
  const repeated = rowsToFrame([
    { a: 1, b: 'x', c: 1 },
    { a: 1, b: 'x', c: 2 },
  ]);
  assert.throws(() => pivot(repeated, { index: 'a', columns: 'b', values: 'c' }), /more than once; summarizeFrame first/);
});
