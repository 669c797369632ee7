import assert from 'node:assert/strict';
import { test } from 'node:test';
import { figureBundle } from '../../lib/notebook/display';
import { lineFigure, PLOTLY_MIME } from '../../lib/notebook/figures';
import type { NotebookJson, NotebookOutput } from '../../tools/notebooks/make-notebook';
import { EXPORTED_PLOTLY, withPageFigures } from '../../tools/notebooks/page-figures';

const fig = lineFigure({
  title: 'A </script> title & more',
  xTitle: 'size (elements)',
  yTitle: 'time (s)',
  logX: true,
  series: [{ name: 'send', x: [10, 100], y: [1, 2] }],
});
const PNG = Buffer.from('89504e470d0a1a0a0000', 'hex').toString('base64');

/** A figure output as the kernel stores it: the bundle figureBundle makes. */
function figureOutput(): NotebookOutput {
  const { data, metadata } = figureBundle(fig, { png: PNG });
  return { output_type: 'display_data', data, metadata };
}

function notebook(outputs: NotebookOutput[]): NotebookJson {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', metadata: {}, source: '# t' },
      { cell_type: 'code', metadata: {}, source: 'x', outputs, execution_count: 1 },
    ],
  };
}

const table: NotebookOutput = { output_type: 'display_data', data: { 'text/html': '<table></table>', 'text/plain': 't' }, metadata: {} };

test("the exported page's copy: each figure gets HTML holding its image, upgraded by a script to the interactive plot", () => {
  const nb = notebook([figureOutput(), table, figureOutput()]);
  const stored = JSON.stringify(nb);
  const page = withPageFigures(nb);
  assert.equal(JSON.stringify(nb), stored, 'the notebook itself is left as it is');
  const outputs = page.cells[1].outputs ?? [];
  assert.deepEqual(outputs[1], table, 'other outputs are untouched');
  const html = String(outputs[0].data?.['text/html']);
  assert.ok(html.includes(`<img src="data:image/png;base64,${PNG}"`), 'the static image is inside the HTML');
  assert.ok(html.includes(`width="${fig.width}" height="${fig.height}"`), "the image's size");
  assert.ok(html.includes('alt="A &lt;/script&gt; title &amp; more"'));
  assert.equal(html.match(/<\/script>/g)?.length, 1, 'a title cannot close the script early');
  assert.ok(!html.includes('plotly.js v'), 'plotly.js itself is never embedded');
  assert.ok(html.includes(JSON.stringify(EXPORTED_PLOTLY)), 'the page loads the shared copy beside it');
  assert.ok(html.includes('"autosize":true') && !html.includes(`"width":${fig.width}`), 'the plot fills its container');
  // Everything else of the output stays: JupyterLab-style viewers of the copy still find the plotly JSON.
  assert.deepEqual(outputs[0].data?.[PLOTLY_MIME], figureOutput().data?.[PLOTLY_MIME]);
  assert.equal(outputs[0].data?.['image/png'], PNG);
  // Ids count the figures: unique in the page, the same on every export.
  assert.match(html, /id="ipc-lab-figure-1"/);
  assert.match(String(outputs[2].data?.['text/html']), /id="ipc-lab-figure-2"/);
  assert.deepEqual(withPageFigures(nb), page);
});

test('a PNG that nbformat stored as lines is joined; an output that already has HTML is left alone', () => {
  const split = figureOutput();
  split.data = { ...split.data, 'image/png': [`${PNG.slice(0, 8)}\n`, PNG.slice(8)] };
  const html = String(withPageFigures(notebook([split])).cells[1].outputs?.[0].data?.['text/html']);
  assert.ok(html.includes(`base64,${PNG}"`));
  const old = figureOutput();
  old.data = { ...old.data, 'text/html': '<div>kept</div>' };
  assert.equal(withPageFigures(notebook([old])).cells[1].outputs?.[0].data?.['text/html'], '<div>kept</div>');
});
