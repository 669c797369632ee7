import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatValue, groupedBarFigure, lineFigure, plotlyJson } from '../../lib/notebook/figures';

const sweep = () =>
  lineFigure({
    title: 'Pipe: time against size',
    xTitle: 'list length (elements)',
    yTitle: 'time (s)',
    logX: true,
    logY: true,
    series: [
      { name: 'send', x: [10, 1e5, 1e8], y: [0, 0.0109, 3.2228] },
      { name: 'article', x: [10, 1e5, 1e8], y: [null, 0.01, 3] },
    ],
  });

test('lineFigure: log axes, units in axis titles, gaps for values a log axis cannot show', () => {
  const fig = sweep();
  const layout = fig.layout as { xaxis: { type: string; title: { text: string } }; yaxis: { type: string; title: { text: string } } };
  assert.equal(layout.xaxis.type, 'log');
  assert.equal(layout.yaxis.type, 'log');
  assert.equal(layout.xaxis.title.text, 'list length (elements)');
  assert.equal(layout.yaxis.title.text, 'time (s)');
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data[0].y, [null, 0.0109, 3.2228], 'a 0 on a log axis becomes a gap');
  assert.deepEqual(fig.data[0].x, [10, 1e5, 1e8]);
  assert.equal(fig.data[0].mode, 'lines+markers');
  assert.equal((fig.data[1].line as { dash: string }).dash, 'dash', "the article's published numbers are dashed");
  assert.equal(fig.title, 'Pipe: time against size');
});

test('figure ids are deterministic and depend on the content', () => {
  assert.equal(sweep().id, sweep().id);
  assert.match(sweep().id, /^fig-[0-9a-f]{12}$/);
  const other = lineFigure({ title: 'other', xTitle: 'x (elements)', yTitle: 'y (s)', series: [{ name: 'a', x: [1], y: [1] }] });
  assert.notEqual(other.id, sweep().id);
});

test('lineFigure rejects series whose x and y differ in length', () => {
  assert.throws(
    () => lineFigure({ title: 't', xTitle: 'x', yTitle: 'y', series: [{ name: 'bad', x: [1, 2], y: [1] }] }),
    /series "bad" has 2 x values and 1 y values/,
  );
});

test('groupedBarFigure: one bar trace per series over the categories, null leaves a gap', () => {
  const fig = groupedBarFigure({
    title: 'send and receive',
    categories: ['Queue', 'Pipe'],
    yTitle: 'time (s)',
    series: [
      { name: 'send', values: [0, 3.12] },
      { name: 'receive', values: [5.33, null] },
    ],
  });
  assert.equal((fig.layout as { barmode: string }).barmode, 'group');
  assert.deepEqual(
    fig.data.map((d) => d.type),
    ['bar', 'bar'],
  );
  assert.deepEqual(fig.data[0].x, ['Queue', 'Pipe']);
  assert.deepEqual(fig.data[1].y, [5.33, null]);
  assert.deepEqual(fig.data[1].text, ['5.33', '']);
  assert.equal((fig.layout as { yaxis: { title: { text: string } } }).yaxis.title.text, 'time (s)');
  assert.throws(
    () => groupedBarFigure({ title: 't', categories: ['a'], yTitle: 'y', series: [{ name: 's', values: [1, 2] }] }),
    /2 values for 1 categories/,
  );
});

test('plotlyJson carries data, layout with the size, and config', () => {
  const fig = sweep();
  const json = plotlyJson(fig);
  assert.deepEqual(Object.keys(json).sort(), ['config', 'data', 'layout']);
  assert.equal((json.layout as { width: number }).width, fig.width);
  assert.doesNotThrow(() => JSON.stringify(json));
});

test('formatValue', () => {
  assert.equal(formatValue(0), '0');
  assert.equal(formatValue(5.337), '5.34');
  assert.equal(formatValue(0.00012), '1.2e-4');
  assert.equal(formatValue(123456), '1.2e+5');
});

test('a series with whiskers: error bars above each value only, in its colour; none where the whisker is missing', () => {
  const fig = lineFigure({
    title: 'p50 with p99',
    xTitle: 'size (B)',
    yTitle: 'round trip (µs)',
    series: [
      { name: 'pipe', x: [64, 1024], y: [10, 20], above: [5, null] },
      { name: 'tcp', x: [64], y: [12] },
    ],
  });
  const [pipe, tcp] = fig.data as { error_y?: { array: number[]; arrayminus: number[]; color: string }; marker: { color: string } }[];
  assert.deepEqual(pipe.error_y?.array, [5, 0]);
  assert.deepEqual(pipe.error_y?.arrayminus, [0, 0]);
  assert.equal(pipe.error_y?.color, pipe.marker.color);
  assert.equal(tcp.error_y, undefined);
});
