import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLOTLY_MIME } from '../../lib/notebook/figures';
import { figureOutputs, findProblems, imageCopies, tableOutputs } from '../../tools/notebooks/check-outputs';
import { rewriteNotebookLinks } from '../../tools/notebooks/export-html';
import {
  buildNotebook,
  code,
  dedent,
  md,
  type NotebookCell,
  type NotebookJson,
  type NotebookOutput,
} from '../../tools/notebooks/make-notebook';

function notebookWith(outputs: NotebookOutput[][], metadata: Record<string, unknown>[] = []): NotebookJson {
  const cells: NotebookCell[] = [{ cell_type: 'markdown', metadata: {}, source: '# t' }];
  outputs.forEach((o, i) => {
    cells.push({ cell_type: 'code', metadata: metadata[i] ?? {}, source: `cell ${i}`, outputs: o, execution_count: null });
  });
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}
const stderr = (text: string): NotebookOutput => ({ output_type: 'stream', name: 'stderr', text });

test('a tslab TypeScript diagnostic is found, with its cell index and line', () => {
  const nb = notebookWith([
    [{ output_type: 'stream', name: 'stdout', text: 'fine\n' }],
    [stderr("1:7 - Type 'string' is not assignable to type 'number'.\n")],
  ]);
  assert.deepEqual(findProblems(nb), [
    { cellIndex: 2, kind: 'typescript', line: "1:7 - Type 'string' is not assignable to type 'number'." },
  ]);
  const inFile = notebookWith([[stderr("/repo/lib/x.ts 3:5 - Cannot find name 'y'.\n")]]);
  assert.equal(findProblems(inFile)[0].kind, 'typescript');
});

test('an exception printed by tslab is found', () => {
  const text = "evalmachine.<anonymous>:2\nthrow new Error('boom');\n^\n\nError: boom\n    at evalmachine.<anonymous>:2:7\n";
  assert.deepEqual(findProblems(notebookWith([[stderr(text)]])), [{ cellIndex: 1, kind: 'exception', line: 'Error: boom' }]);
  assert.equal(findProblems(notebookWith([[stderr('TypeError [ERR_X]: bad\n')]]))[0].line, 'TypeError [ERR_X]: bad');
  assert.equal(findProblems(notebookWith([[stderr('UnhandledPromiseRejection: nope\n')]]))[0].kind, 'exception');
});

test('a thrown value that is not an Error with a stack is named from the end of stderr', () => {
  const failed = { ipc_lab: { status: 'error' } };
  const line = (text: string) => findProblems(notebookWith([[stderr(text)]], [failed]))[0];
  // A sweep's failure line first, then what tslab printed for the thrown value.
  assert.deepEqual(line('node pipe int32 1e3 run 1: failed (spawn): no\na string\n'), {
    cellIndex: 1,
    kind: 'exception',
    line: 'the kernel reported "error"; the cell\'s stderr ends: a string',
  });
  assert.match(line("{ code: 1, reason: 'nope' }\n").line, /stderr ends: \{ code: 1, reason: 'nope' \}$/);
  assert.match(line('undefined\n').line, /stderr ends: undefined$/);
  // An Error whose stack was emptied, and one with a name of its own after tslab's source arrow.
  assert.deepEqual(line('[Error: stackless]\n'), { cellIndex: 1, kind: 'exception', line: '[Error: stackless]' });
  const custom = 'evalmachine.<anonymous>:3\nthrow e;\n^\n\nSweepStopped: custom\n    at evalmachine.<anonymous>:2:11\n';
  assert.deepEqual(line(custom), { cellIndex: 1, kind: 'exception', line: 'SweepStopped: custom' });
  // The same stderr text in a cell that ended well is not a failure.
  assert.deepEqual(findProblems(notebookWith([[stderr('a string\n')]])), []);
});

test("tslab's watch error says what disturbed the run", () => {
  const text = 'unexpected error: Error: Unexpected pending rebuildTimer\n    at sys.setTimeout (/x/converter.js:111:19)\n';
  assert.match(findProblems(notebookWith([[stderr(text)]]))[0].line, /changed on disk during the run/);
});

test('an error output, a failed status without text, and cells not run are problems', () => {
  const nb = notebookWith(
    [[{ output_type: 'error', ename: 'RangeError', evalue: 'x', traceback: [] }], [], []],
    [{}, { ipc_lab: { status: 'error' } }, { ipc_lab: { status: 'abort' } }],
  );
  assert.deepEqual(
    findProblems(nb).map((p) => [p.cellIndex, p.kind]),
    [
      [1, 'error-output'],
      [2, 'failed-status'],
      [3, 'not-run'],
    ],
  );
});

test('warnings on stderr are not failures', () => {
  const nb = notebookWith([
    [stderr('(node:12) Warning: something is deprecated\n'), stderr('Hi there 👋. Looks like you are running TensorFlow.js in Node.js.\n')],
  ]);
  assert.deepEqual(findProblems(nb), []);
});

test('tables and figures are recognised by their MIME types', () => {
  const nb = notebookWith([
    [{ output_type: 'display_data', data: { 'text/html': ['<table class="dataframe">', '</table>'], 'text/plain': 'x' }, metadata: {} }],
    [
      {
        output_type: 'display_data',
        data: { 'application/vnd.plotly.v1+json': {}, 'image/png': 'iVBOR', 'text/html': '<div></div>' },
        metadata: {},
      },
    ],
    [{ output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': {} }, metadata: {} }],
  ]);
  assert.equal(tableOutputs(nb).length, 1);
  assert.equal(figureOutputs(nb).length, 1);
});

test('a figure that stores its static image more than once is a problem; once is not', () => {
  const figure = (data: Record<string, unknown>): NotebookOutput => ({
    output_type: 'display_data',
    data: { [PLOTLY_MIME]: {}, 'text/plain': '[figure]', ...data },
    metadata: {},
  });
  const once = figure({ 'image/png': 'iVBOR' });
  const inHtml = figure({ 'image/png': 'iVBOR', 'text/html': '<div><img src="data:image/png;base64,iVBOR"></div><script></script>' });
  const withSvg = figure({ 'image/png': 'iVBOR', 'image/svg+xml': '<svg></svg>' });
  assert.deepEqual([once, inHtml, withSvg].map(imageCopies), [1, 2, 2]);
  assert.deepEqual(findProblems(notebookWith([[once]])), []);
  const problems = findProblems(notebookWith([[inHtml], [once], [withSvg]]));
  assert.deepEqual(
    problems.map((p) => [p.cellIndex, p.kind]),
    [
      [1, 'image-twice'],
      [3, 'image-twice'],
    ],
  );
  assert.match(problems[0].line, /stores its static image 2 times/);
  // Not a figure (no plotly JSON): an image beside its SVG is someone else's choice.
  const other: NotebookOutput = { output_type: 'display_data', data: { 'image/png': 'iVBOR', 'image/svg+xml': '<svg/>' }, metadata: {} };
  assert.deepEqual(findProblems(notebookWith([[other]])), []);
});

test('buildNotebook: tslab kernelspec, deterministic ids, line-split sources, empty outputs', () => {
  const nb = buildNotebook({ name: 'x', cells: [md('# T\n\ntext'), code(`\n    const a = 1;\n    console.log(a);\n  `)] });
  assert.deepEqual(nb.metadata.kernelspec, { name: 'tslab', display_name: 'TypeScript', language: 'typescript' });
  assert.equal(nb.nbformat, 4);
  assert.deepEqual(nb.cells[0].source, ['# T\n', '\n', 'text']);
  assert.deepEqual(nb.cells[1].source, ['const a = 1;\n', 'console.log(a);']);
  assert.deepEqual(nb.cells[1].outputs, []);
  assert.equal(nb.cells[1].execution_count, null);
  assert.equal(
    JSON.stringify(buildNotebook({ name: 'x', cells: [md('a')] })),
    JSON.stringify(buildNotebook({ name: 'x', cells: [md('a')] })),
  );
  assert.match(nb.cells[0].id!, /^[0-9a-f]{12}$/);
  assert.notEqual(nb.cells[0].id, nb.cells[1].id);
  assert.equal(dedent('\n  a\n    b\n'), 'a\n  b');
});

test('links between notebooks point at the sibling HTML page in exports', () => {
  assert.equal(
    rewriteNotebookLinks('<a href="01-pipe-size-sweep.ipynb">x</a> <a href="https://h/y.ipynb">y</a> <a href="02-q.ipynb#top">z</a>'),
    '<a href="01-pipe-size-sweep.html">x</a> <a href="https://h/y.ipynb">y</a> <a href="02-q.html#top">z</a>',
  );
});
