import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articlePipeSweep } from '../../lib/findings/article';
import { resultSummaryRows } from '../../lib/findings/chapters';
import { threeWayRows } from '../../lib/findings/three-ways';
import { NODE_TRANSPORTS, patternsOf } from '../../lib/model/catalog';
import { blankRecord, describeFailure } from '../../lib/model/record';
import type { PayloadKind, Runtime, TransferRecord } from '../../lib/model/types';
import {
  articleBesideFigure,
  articleFigure,
  sizeSweepFigure,
  summaryTotalsFigure,
  threeWayFigure,
} from '../../lib/notebook/article-figures';
import { failureMarks, failureNoteLines } from '../../lib/notebook/figure-notes';
import { type FigureSpec, groupedBarFigure, lineFigure, spansDecades } from '../../lib/notebook/figures';
import { transportStyle } from '../../lib/notebook/palette';
import { phaseFigure, sizeFigure } from '../../lib/notebook/report';

const LIMIT =
  "JSON serialization would need a 888888907-character string, beyond V8's limit of 536870888 (2^29 − 24): use ipc (advanced) or a stream transport";

function rec(runtime: Runtime, transport: string, payload: PayloadKind, sizeElements: number, totalSeconds: number | null): TransferRecord {
  const r = blankRecord({ runtime, transport, payload, sizeElements }, { runId: 'r1', repeat: 0, warmup: false });
  if (totalSeconds === null) {
    return { ...r, failedPhase: 'limits', error: LIMIT };
  }
  return { ...r, ok: true, totalSeconds, sendSeconds: totalSeconds * 0.4, recvSeconds: totalSeconds * 0.5, encodeSeconds: 1e-5 };
}

/** Node's thirteen transports at 10^5 … 10^8, ipc-json refused at 10^8 (as V8's string limit makes it). */
const NODE = NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('transfer')).flatMap((t, i) =>
  (['list', 'int32'] as const).flatMap((payload) =>
    [1e5, 1e6, 1e7, 1e8].map((size) =>
      rec(
        'node',
        t.id,
        payload,
        size,
        t.id === 'ipc-json' && size === 1e8 ? null : (size / 1e7) * (1 + i / 10) * (payload === 'list' ? 5 : 1),
      ),
    ),
  ),
);
const CPYTHON = ['queue', 'pipe', 'shared-array', 'manager', 'raw-array', 'file', 'tcp'].flatMap((t) =>
  [1e7, 1e8].map((size) => rec('cpython', t, 'list', size, size / 2e7)),
);

interface Axis {
  type: string;
  title: { text: string };
}
const layoutOf = (fig: FigureSpec) =>
  fig.layout as {
    xaxis: Axis;
    yaxis: Axis;
    annotations?: { text: string; hovertext: string; x: unknown; font: { color: string } }[];
    title: { subtitle?: { text: string } };
  };

/** What every figure must have: an explicit colour on every trace, distinct in the figure; units on the value axis. */
function assertReadable(fig: FigureSpec): void {
  const colors = fig.data.map((d) => {
    const marker = d.marker as { color?: unknown } | undefined;
    assert.match(String(marker?.color), /^#[0-9A-F]{6}$/, `${fig.title}: trace ${d.name} has an explicit colour`);
    if (d.type === 'scatter') assert.equal((d.line as { color: string }).color, marker?.color);
    return marker?.color;
  });
  assert.equal(new Set(colors).size, colors.length, `${fig.title}: no two series share a colour (${colors})`);
  const { xaxis, yaxis } = layoutOf(fig);
  assert.match(yaxis.title.text, /\(.+\)/, `${fig.title}: the value axis "${yaxis.title.text}" names its unit`);
  if (xaxis.type !== 'category') assert.match(xaxis.title.text, /\(.+\)/, `${fig.title}: the x axis names its unit`);
  else assert.ok(xaxis.title.text.length > 0, `${fig.title}: the category axis says what its categories are`);
}

/** The failure is on the figure: a ✗ with the reason on hover, and the reason in the note under the title. */
function assertFailureShown(fig: FigureSpec, what: RegExp, inNote: RegExp = what): void {
  const marks = (layoutOf(fig).annotations ?? []).filter((a) => a.text === '✗');
  assert.ok(
    marks.some((a) => what.test(a.hovertext) && a.hovertext.includes('refused: JSON serialization')),
    `${fig.title}: a ✗ for ${what}`,
  );
  const note = layoutOf(fig).title.subtitle?.text ?? '';
  assert.match(note, inNote);
  assert.match(note, /refused: JSON serialization would need/);
}

test("a figure mark's reason is describeFailure without the name: whether the limits check refused it, or the phase that failed", () => {
  assert.equal(describeFailure(rec('node', 'ipc-json', 'list', 1e8, null)), `refused: ${LIMIT}`);
  const crashed: TransferRecord = { ...rec('node', 'pipe', 'list', 10, null), failedPhase: 'transfer', error: 'the receiver died' };
  assert.equal(describeFailure(crashed), 'failed (transfer): the receiver died');
  const marks = failureMarks([crashed], (r) => ({ series: r.transport, at: r.sizeElements }));
  assert.deepEqual(marks, [{ series: 'pipe', at: 10, reason: 'failed (transfer): the receiver died' }]);
});

test('failureMarks: one per place that has no ok measurement; a failed repeat beside an ok one is not a gap', () => {
  const records = [
    rec('node', 'pipe', 'list', 10, 1),
    { ...rec('node', 'pipe', 'list', 10, null), repeat: 1 },
    rec('node', 'ipc-json', 'list', 1e8, null),
    { ...rec('node', 'ipc-json', 'list', 1e8, null), repeat: 1 },
  ];
  const marks = failureMarks(records, (r) => ({ series: r.transport, at: r.sizeElements }));
  assert.deepEqual(marks, [{ series: 'ipc-json', at: 1e8, reason: `refused: ${LIMIT}` }]);
  assert.deepEqual(
    failureNoteLines([
      { series: 'list', at: 'ipc-json', reason: 'r' },
      { series: 'Int32Array', at: 'ipc-json', reason: 'r' },
    ]),
    ['✗ ipc-json (list, Int32Array): r'],
  );
});

test('spansDecades decides a log axis', () => {
  assert.equal(spansDecades([0.5, 9, null, 0]), false);
  assert.equal(spansDecades([1e-5, 9]), true);
});

test('phaseFigure: phases in their palette colours, a log axis over decades, the refused transport marked', () => {
  const records = NODE.filter((r) => ['pipe', 'ipc', 'ipc-json'].includes(r.transport) && r.sizeElements === 1e8);
  const fig = phaseFigure(records, 'Pipe in Node.js');
  assertReadable(fig);
  assert.deepEqual(
    fig.data.map((d) => (d.marker as { color: string }).color),
    ['#E69F00', '#0072B2', '#009E73', '#CC79A7', '#444444'],
  );
  assert.equal(layoutOf(fig).yaxis.type, 'log', 'encode 1e-5 s beside totals of seconds');
  assert.ok((fig.data[0].x as string[]).includes('ipc-json list json'), 'the refused transport keeps its place on the axis');
  assertFailureShown(fig, /ipc-json list json/);
  assert.ok(fig.height > 460, 'the note adds height instead of squeezing the plot');
});

test('articleBesideFigure marks the refused transport too', () => {
  const fig = articleBesideFigure(
    'Pipe',
    NODE.filter((r) => ['pipe', 'ipc-json'].includes(r.transport)),
  );
  assertReadable(fig);
  assertFailureShown(fig, /Node ipc-json list/);
});

test("sizeFigure: each transport in its own colour, variants dotted, and the refused size marked in the series' colour", () => {
  const fig = sizeFigure(
    NODE.filter((r) => r.payload === 'int32'),
    { title: 'throughput', y: 'throughputMBps', group: (r) => r.transport },
  );
  assertReadable(fig);
  assert.equal(fig.data.length, 15);
  for (const d of fig.data) {
    const style = transportStyle(String(d.name));
    assert.equal((d.marker as { color: string }).color, style.color, `${d.name} in its palette colour`);
    assert.equal((d.line as { dash: string }).dash, style.dash);
  }
  assert.match(layoutOf(fig).yaxis.title.text, /MB\/s/);
  assert.equal(layoutOf(fig).xaxis.type, 'log');
  assertFailureShown(fig, /ipc-json at 1e8 elements/);
  const mark = (layoutOf(fig).annotations ?? []).find((a) => a.text === '✗');
  assert.equal(mark?.x, 8, 'placed at log10(10^8) on the log axis');
  assert.equal(mark?.font.color, transportStyle('ipc-json').color);
});

test('sizeFigure grouped by transport and payload: one colour per series still', () => {
  assertReadable(sizeFigure(NODE, { title: 'all', y: 'totalSeconds' }));
});

test('sizeSweepFigure and threeWayFigure: runtimes in their colours, every series distinct', () => {
  const sweep = sizeSweepFigure(
    'Pipe three ways',
    [...NODE, ...CPYTHON].filter((r) => r.transport === 'pipe'),
    articlePipeSweep(),
  );
  assertReadable(sweep);
  assert.ok(sweep.data.some((d) => String(d.name).startsWith('cpython')));
  const ipcJson = sizeSweepFigure(
    'ipc-json sweep',
    NODE.filter((r) => r.transport === 'ipc-json'),
    articlePipeSweep(),
  );
  assertFailureShown(ipcJson, /node list total at 1e8 elements/, /1e8 elements \(node list total, node int32 total\)/);
  const threeWay = threeWayFigure(threeWayRows(CPYTHON, NODE), [...CPYTHON, ...NODE]);
  assertReadable(threeWay);
  assert.deepEqual(threeWay.data.map((d) => (d.marker as { color: string }).color).slice(0, 3), ['#555555', '#0072B2', '#009E73']);
});

test('summaryTotalsFigure and articleFigure: payload and phase colours, the refused transport marked', () => {
  const largest = NODE.filter((r) => r.sizeElements === 1e8);
  const summary = summaryTotalsFigure(resultSummaryRows(largest));
  assertReadable(summary);
  const marks = (layoutOf(summary).annotations ?? []).filter((a) => a.text === '✗');
  assert.equal(marks.length, 2, 'list and Int32Array of ipc-json');
  assert.ok(marks.every((a) => a.x === 'ipc-json' && a.hovertext.includes('JSON serialization')));
  assert.notEqual(marks[0].font.color, marks[1].font.color, "each ✗ in its series' colour");
  assertReadable(articleFigure());
});

test('generic builders: an unknown series gets a colour, and a figure without failures has no note', () => {
  const line = lineFigure({ title: 't', xTitle: 'x (elements)', yTitle: 'y (s)', series: [{ name: 'mine', x: [1], y: [1] }] });
  assertReadable(line);
  assert.equal(layoutOf(line).annotations, undefined);
  assert.equal(layoutOf(line).title.subtitle, undefined);
  const bars = groupedBarFigure({
    title: 'b',
    categories: ['a', 'b'],
    yTitle: 'y (s)',
    xTitle: 'what',
    series: [
      { name: 'pipe', values: [1, null] },
      { name: 'pipe again', values: [2, 3], style: { color: transportStyle('pipe').color } },
    ],
    failures: [{ series: 'pipe', at: 'b', reason: 'failed (transfer): <b>boom</b>' }],
  });
  assertReadable(bars);
  const [mark] = layoutOf(bars).annotations ?? [];
  assert.equal(mark.hovertext, 'pipe at b: failed (transfer): &lt;b&gt;boom&lt;/b&gt;', 'reasons are shown as text, not markup');
  assert.ok((mark as unknown as { xshift: number }).xshift < 0, 'over the left bar of its group');
});
