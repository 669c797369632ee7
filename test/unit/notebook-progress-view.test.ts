/**
 * What `npm run notebooks` shows while its notebooks execute: the status line (notebook k of n,
 * cell i of m, the latest transfer line), plain lines when not on a terminal, and one clear message
 * for a bad --timeout, option or name (a bad --scale on the command line: test/system/execute-args.test.ts).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { listNotebooks, parseArgs } from '../../tools/notebooks/execute';
import { ProgressView } from '../../tools/notebooks/progress-view';

function capture(isTTY: boolean): Writable & { text: () => string; isTTY: boolean; columns: number } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { text: () => string; isTTY: boolean; columns: number };
  stream.isTTY = isTTY;
  stream.columns = 400;
  stream.text = () => chunks.join('');
  return stream;
}

function drive(view: ProgressView): void {
  view.notebookStarts('a', 'executing at scale smoke');
  view.driver({ event: 'start', codeCells: 3 });
  view.driver({ event: 'cell', index: 1, cellIndex: 2 });
  view.driver({ event: 'progress', done: 2, total: 6, failed: 0, line: 'node pipe int32 1e4 run 1: ok', final: false });
}

test('on a terminal: one status line redrawn in place with notebook k of n, cell i of m and the transfer line', () => {
  const out = capture(true);
  const view = new ProgressView(['a', 'b'], out);
  drive(view);
  assert.equal(view.statusText(), 'notebook 1 of 2: a, cell 2 of 3 | [2/6] node pipe int32 1e4 run 1: ok');
  view.driver({
    event: 'progress',
    done: 3,
    total: 6,
    failed: 1,
    line: 'node tcp int32 1e4 run 1: failed (transfer): send: ECONNREFUSED',
    final: false,
  });
  view.line('a: ok in 1.0 s');
  view.close();
  const text = out.text();
  assert.ok(text.includes('\r\x1b[Knotebook 1 of 2: a, starting the kernel'), 'drawn before the first cell');
  assert.ok(text.includes('\r\x1b[Knotebook 1 of 2: a, cell 2 of 3'), 'redrawn in place');
  assert.ok(text.includes('\r\x1b[Ka: ok in 1.0 s\n'), 'a result line above the status line');
  assert.ok(
    text.includes('\r\x1b[Ka cell 2 of 3: [3/6] node tcp int32 1e4 run 1: failed (transfer): send: ECONNREFUSED\n'),
    'a failure keeps its line',
  );
  assert.ok(!text.includes('[2/6] node pipe int32 1e4 run 1: ok\n'), 'an ok transfer does not');
  assert.ok(text.endsWith('\r\x1b[K'), 'the status line is cleared at the end');
});

test('not on a terminal: plain lines, one per cell and per transfer line, no control characters', () => {
  const out = capture(false);
  drive(new ProgressView(['a', 'b'], out));
  assert.deepEqual(out.text().trimEnd().split('\n'), [
    'a (1 of 2): executing at scale smoke',
    'a: cell 2 of 3',
    'a cell 2 of 3: [2/6] node pipe int32 1e4 run 1: ok',
  ]);
});

test('with no stream nothing is shown, and nothing breaks', () => {
  const view = new ProgressView(['a'], null);
  drive(view);
  view.line('a: ok');
  view.close();
  assert.equal(view.statusText(), 'notebook 1 of 1: a, cell 2 of 3 | [2/6] node pipe int32 1e4 run 1: ok');
});

test('a bad --timeout, option or notebook name is one clear message naming it and what is valid', () => {
  assert.throws(() => parseArgs(['--timeout', '0s']), { message: '--timeout "0s" is not a positive number of seconds' });
  assert.throws(() => parseArgs(['--timeout']), { message: '--timeout needs a value' });
  assert.throws(() => parseArgs(['--fast']), {
    message: 'unknown option --fast (known: --out-dir, --scale, --timeout, --no-html, --reuse-run)',
  });
  assert.deepEqual(parseArgs(['notebooks/03-pipe.ipynb', '--timeout', '30', '--no-html', '--reuse-run']), {
    names: ['03-pipe'],
    cellTimeoutSeconds: 30,
    html: false,
    reuseRun: true,
  });
  assert.throws(() => listNotebooks(['99-no-such']), /^Error: no notebook \S*notebooks\/99-no-such\.ipynb \(there are: 00-index, /);
});
