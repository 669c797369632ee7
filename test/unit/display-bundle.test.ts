import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { rowsToFrame } from '../../lib/notebook/dataframe';
import { figureBundle, type MimeBundle, publish, showMarkdown, showTable } from '../../lib/notebook/display';
import { lineFigure, PLOTLY_MIME } from '../../lib/notebook/figures';

// tslab's kernel sets this writer for each executed cell; here a mock stands in for it.
const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };

function captureWrites(): { bundle: MimeBundle; update: boolean }[] {
  const writes: { bundle: MimeBundle; update: boolean }[] = [];
  jupyter.lastWriteDisplayData = (bundle: MimeBundle, update: boolean) => writes.push({ bundle, update });
  return writes;
}

afterEach(() => {
  jupyter.lastWriteDisplayData = null;
});

const fig = lineFigure({
  title: 'A </script> title & more',
  xTitle: 'size (elements)',
  yTitle: 'time (s)',
  logX: true,
  series: [{ name: 'send', x: [10, 100], y: [1, 2] }],
});
const PNG = Buffer.from('89504e470d0a1a0a0000', 'hex').toString('base64');

test('a figure is ONE output carrying plotly JSON, its static image ONCE (a PNG) and text', () => {
  const writes = captureWrites();
  publish(figureBundle(fig, { png: PNG }));
  assert.equal(writes.length, 1);
  const { bundle, update } = writes[0];
  assert.equal(update, false);
  assert.deepEqual(Object.keys(bundle.data).sort(), [PLOTLY_MIME, 'image/png', 'text/plain'].sort());
  assert.deepEqual(bundle.metadata, {});
  const plotly = bundle.data[PLOTLY_MIME] as { data: unknown[]; layout: { width: number; height: number } };
  assert.equal(typeof plotly, 'object', 'the plotly figure is an object, not a string');
  assert.equal(plotly.data.length, 1);
  assert.deepEqual([plotly.layout.width, plotly.layout.height], [fig.width, fig.height], 'the image size, for the exported page');
  assert.equal(bundle.data['image/png'], PNG);
  // The image is stored once: no other representation repeats it (an HTML <img>, an SVG).
  const stored = JSON.stringify(bundle.data);
  assert.equal(stored.split(PNG).length - 1, 1, 'the PNG appears once');
  assert.ok(!stored.includes('data:image/'), 'no image inside another representation');
  assert.ok(!stored.includes('plotly.js v'), 'plotly.js itself is never embedded');
  assert.match(bundle.data['text/plain'] as string, /A <\/script> title/);
});

test('without the internal writer a figure prints its text line (tslab\'s public API would throw "Not ready")', (t) => {
  const logged: string[] = [];
  t.mock.method(console, 'log', (line: string) => logged.push(line));
  publish(figureBundle(fig, { png: PNG }));
  assert.equal(logged.length, 1);
  assert.match(logged[0], /^\[figure\] A <\/script> title/);
});

test('a table of typed rows is one output with the HTML table and aligned text; a Frame shows the same', () => {
  const writes = captureWrites();
  const rows = [{ transport: 'pipe', seconds: 1.5 }];
  showTable(rows, { caption: 'c' });
  assert.equal(writes.length, 1);
  const data = writes[0].bundle.data;
  assert.deepEqual(Object.keys(data).sort(), ['text/html', 'text/plain']);
  assert.match(data['text/html'] as string, /^<table/);
  assert.match(data['text/plain'] as string, /^c\ntransport\s+seconds\n.*\npipe\s+1\.5$/);
  showTable(rowsToFrame(rows), { caption: 'c' });
  assert.deepEqual(writes[1].bundle.data, data);
});

test('markdown is one output', () => {
  const writes = captureWrites();
  showMarkdown('**bold**');
  assert.deepEqual(writes[0].bundle.data, { 'text/markdown': '**bold**', 'text/plain': '**bold**' });
});

test('outside a kernel, publish prints the text instead of failing', (t) => {
  const logged: string[] = [];
  t.mock.method(console, 'log', (line: string) => logged.push(line));
  publish({ data: { 'text/plain': 'plain text' }, metadata: {}, transient: {} });
  assert.deepEqual(logged, ['plain text']);
});
