import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { rowsToFrame } from '../../lib/notebook/dataframe';
import {
  figureBundle,
  figureHtml,
  MAX_SVG_BYTES,
  type MimeBundle,
  PLOTLY_MIME,
  publish,
  showMarkdown,
  showTable,
} from '../../lib/notebook/display';
import { lineFigure } from '../../lib/notebook/figures';

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

test('a figure is ONE output carrying plotly JSON, HTML with the image inside, PNG, SVG and text', () => {
  const writes = captureWrites();
  publish(figureBundle(fig, { png: PNG, svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }));
  assert.equal(writes.length, 1);
  const { bundle, update } = writes[0];
  assert.equal(update, false);
  assert.deepEqual(Object.keys(bundle.data).sort(), [PLOTLY_MIME, 'image/png', 'image/svg+xml', 'text/html', 'text/plain'].sort());
  assert.deepEqual(bundle.metadata, {});
  const plotly = bundle.data[PLOTLY_MIME] as { data: unknown[]; layout: unknown };
  assert.equal(typeof plotly, 'object', 'the plotly figure is an object, not a string');
  assert.equal(plotly.data.length, 1);
  assert.equal(bundle.data['image/png'], PNG);
  const html = bundle.data['text/html'] as string;
  assert.ok(html.includes(`<img src="data:image/png;base64,${PNG}"`), 'the static image is inside the HTML');
  assert.ok(html.includes('alt="A &lt;/script&gt; title &amp; more"'));
  assert.equal(html.match(/<\/script>/g)?.length, 1, 'a title cannot close the script early');
  assert.ok(!html.includes('plotly.js v'), 'plotly.js itself is never embedded');
  assert.ok(html.includes('"plotly.min.js"'), 'exported pages load the shared copy beside them');
  assert.ok(html.includes("'files/'"), 'live notebooks load it through /files/');
  assert.match(bundle.data['text/plain'] as string, /A <\/script> title/);
});

test('a large SVG is left out; the PNG stays', () => {
  const bundle = figureBundle(fig, { png: PNG, svg: `<svg>${'x'.repeat(MAX_SVG_BYTES)}</svg>` });
  assert.equal(bundle.data['image/svg+xml'], undefined);
  assert.equal(bundle.data['image/png'], PNG);
});

test('figureHtml ids are the figure id, so re-running gives the same HTML', () => {
  assert.equal(figureHtml(fig, PNG), figureHtml(fig, PNG));
  assert.ok(figureHtml(fig, PNG).includes(`id="ipc-lab-${fig.id}"`));
});

test('a table is one output with the HTML table and aligned text', () => {
  const writes = captureWrites();
  showTable(rowsToFrame([{ transport: 'pipe', seconds: 1.5 }]), { caption: 'c' });
  assert.equal(writes.length, 1);
  const data = writes[0].bundle.data;
  assert.deepEqual(Object.keys(data).sort(), ['text/html', 'text/plain']);
  assert.match(data['text/html'] as string, /^<table/);
  assert.match(data['text/plain'] as string, /transport\s+seconds/);
  showTable('<table><tr><td>x</td></tr></table>');
  assert.equal(writes[1].bundle.data['text/plain'], 'x');
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
