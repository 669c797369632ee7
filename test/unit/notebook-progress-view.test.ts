/**
 * What `npm run notebooks` shows: the time-left estimate from the last good run's timings, the
 * status line (notebook k of n, cell i of m, the latest transfer line), plain lines when not on a
 * terminal, and one clear line for a bad --scale.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { ProgressView } from '../../tools/notebooks/progress-view';
import { estimateLeft, formatDuration, loadTimings, type NotebookTiming, saveTiming } from '../../tools/notebooks/timings';

const REPO = path.resolve(__dirname, '..', '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-progress-view-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const previous: Record<string, NotebookTiming> = {
  a: { seconds: 100, startupSeconds: 10, cellSeconds: [20, 60, 5] }, // 5 s after the last cell: save, check, export
  b: { seconds: 40, startupSeconds: 5, cellSeconds: [30] },
};

test('time left: the rest of the running cell, the cells after it, the tail, and the later notebooks', () => {
  // In a's cell 1 (60 s last time) for 15 s: 45 + 5 (cell 2) + 5 (tail) + 40 (b).
  assert.deepEqual(estimateLeft(previous, 'a', { notebookSeconds: 45, cellIndex: 1, cellSeconds: 15 }, ['b']), {
    seconds: 95,
    complete: true,
  });
  // A cell running longer than last time counts as done, not negative.
  assert.deepEqual(estimateLeft(previous, 'a', { notebookSeconds: 200, cellIndex: 1, cellSeconds: 90 }, []), {
    seconds: 10,
    complete: true,
  });
  // Before the first cell: what is left of the whole notebook.
  assert.deepEqual(estimateLeft(previous, 'b', { notebookSeconds: 3, cellIndex: null, cellSeconds: 0 }, []), {
    seconds: 37,
    complete: true,
  });
  // A notebook never run before makes the estimate a lower bound.
  assert.deepEqual(estimateLeft(previous, 'c', { notebookSeconds: 3, cellIndex: 0, cellSeconds: 3 }, ['b']), {
    seconds: 40,
    complete: false,
  });
});

test('durations read as people say them', () => {
  assert.equal(formatDuration(9.4), '9s');
  assert.equal(formatDuration(75), '1m15s');
  assert.equal(formatDuration(3725), '1h02m');
});

test('timings are saved per scale and notebook, keeping the others; a missing or broken file is no timing', () => {
  const file = path.join(scratch, 'timings.json');
  assert.deepEqual(loadTimings(file), {});
  saveTiming(file, 'smoke', 'a', previous.a);
  saveTiming(file, 'quick', 'a', { ...previous.a, seconds: 123.456 });
  saveTiming(file, 'smoke', 'b', previous.b);
  const loaded = loadTimings(file);
  assert.deepEqual(loaded.smoke, previous);
  assert.equal(loaded.quick.a.seconds, 123.5);
  fs.writeFileSync(file, '{ not json');
  assert.deepEqual(loadTimings(file), {});
});

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

test('on a terminal: one status line redrawn in place with notebook k of n, cell i of m, the transfer line and time left', () => {
  const out = capture(true);
  const view = new ProgressView(['a', 'b'], previous, out);
  drive(view);
  assert.match(
    view.statusText(),
    /^\[#*\.*\] \[1\/2\] a \| cell 2\/3 \| \d+s elapsed, ~\d+m\d\ds left \| \[2\/6\] node pipe int32 1e4 run 1: ok$/,
  );
  view.driver({
    event: 'progress',
    done: 3,
    total: 6,
    failed: 1,
    line: 'node tcp int32 1e4 run 1: FAILED send: ECONNREFUSED',
    final: false,
  });
  view.line('a: ok in 1.0 s');
  view.close();
  const text = out.text();
  assert.match(text, /\r\x1b\[K\[[#.]+\] \[1\/2\] a \| cell 2\/3/, 'redrawn in place');
  assert.ok(text.includes('\r\x1b[Ka: ok in 1.0 s\n'), 'a result line above the status line');
  assert.ok(text.includes('\r\x1b[Ka cell 2/3: [3/6] node tcp int32 1e4 run 1: FAILED send: ECONNREFUSED\n'), 'a failure keeps its line');
  assert.ok(!text.includes('[2/6] node pipe int32 1e4 run 1: ok\n'), 'an ok transfer does not');
  assert.ok(text.endsWith('\r\x1b[K'), 'the status line is cleared at the end');
});

test('not on a terminal: plain lines, one per cell and per transfer line, no control characters', () => {
  const out = capture(false);
  drive(new ProgressView(['a', 'b'], previous, out));
  assert.deepEqual(out.text().trimEnd().split('\n'), [
    'a (1 of 2): executing at scale smoke — ~2m20s left',
    'a cell 2/3 running, ~1m50s left', // 60 + 5 + 5 (a's tail) + 40 (b)
    'a cell 2/3: [2/6] node pipe int32 1e4 run 1: ok',
  ]);
});

test('a bad --scale is one clear line naming it and the valid scales, exit status 2', () => {
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'tools/notebooks/execute.ts', '--scale', 'huge'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stderr, 'execute: --scale "huge" is not a scale: valid are smoke, quick, article\n');
  assert.equal(run.stdout, '');
});
