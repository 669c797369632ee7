/**
 * A sweep's progress sinks (plain lines, a terminal bar, a callback) and the notebook's updating
 * display, fed by fake transfers with fixed outcomes: nothing runs.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { blankRecord } from '../../lib/model/record';
import type { TransferRecord } from '../../lib/model/types';
import { notebookProgress, PROGRESS_TRANSIENT_KEY, type ProgressTransient } from '../../lib/notebook/live-progress';
import { callbackSink, lineSink, Progress, type ProgressEvent, type ProgressSink, sinkFor, terminalSink } from '../../lib/sweep/progress';

/** A stream that keeps what is written; `isTTY` as asked. */
function capture(isTTY: boolean): Writable & { text: () => string; isTTY: boolean } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { text: () => string; isTTY: boolean };
  stream.isTTY = isTTY;
  stream.text = () => chunks.join('');
  return stream;
}

function record(transport: string, ok: boolean, error = ''): TransferRecord {
  const r = blankRecord(
    { runtime: 'node', transport, payload: 'int32', sizeElements: 10_000 },
    { runId: 'test', repeat: 0, warmup: false },
  );
  return {
    ...r,
    ok,
    error: ok ? '' : error,
    totalSeconds: ok ? 0.0125 : null,
    sendSeconds: ok ? 0.005 : null,
    recvSeconds: ok ? 0.006 : null,
  };
}

/** Three transfers, the second failing, through `sink`. */
function sweep(sink: ProgressSink | null): void {
  const progress = new Progress(3, sink);
  progress.note('ipc-lab: writing results to data/results/x-smoke');
  for (const [transport, ok] of [
    ['pipe', true],
    ['tcp', false],
    ['unix', true],
  ] as const) {
    const r = record(transport, ok, 'send: ECONNREFUSED');
    progress.start(r, 0, false);
    progress.finish(r);
  }
  const summary = progress.end();
  assert.equal(summary.transfers, 3);
  assert.equal(summary.ok, 2);
  assert.deepEqual(summary.failures, [{ label: 'node tcp int32 1e4 run 1', error: 'send: ECONNREFUSED' }]);
}

test('plain lines: one per ended transfer with its count, and a summary line; no control characters', () => {
  const out = capture(false);
  sweep(lineSink(out));
  const lines = out.text().trimEnd().split('\n');
  assert.equal(lines[0], 'ipc-lab: writing results to data/results/x-smoke');
  assert.match(lines[1], /^\[1\/3\] node pipe int32 1e4 run 1: ok {2}total 12\.5 ms {2}send 5\.00 ms {2}recv 6\.00 ms$/);
  assert.equal(lines[2], '[2/3] node tcp int32 1e4 run 1: FAILED send: ECONNREFUSED');
  assert.match(lines[3], /^\[3\/3\] node unix/);
  assert.match(lines[4], /^3 transfers in \d+(\.\d+)? (ns|µs|ms|s|min): 2 ok, 1 failed$/);
  assert.equal(lines.length, 5);
  assert.ok(!out.text().includes('\r') && !out.text().includes('\x1b'));
});

test('a terminal: the bar is redrawn in place, a failure keeps a line of its own, the summary ends the line', () => {
  const out = capture(true);
  sweep(terminalSink(out));
  const text = out.text();
  assert.ok(text.includes('\r\x1b[K[........................] 0/3 node pipe int32 1e4 run 1 …'), 'the bar with what runs now');
  assert.ok(text.includes('\r\x1b[K[################........] 2/3 node tcp'), 'the bar moves on');
  assert.ok(text.includes('\r\x1b[Knode tcp int32 1e4 run 1: FAILED send: ECONNREFUSED\n'), 'the failure on a line of its own');
  assert.match(text, /\r\x1b\[K3 transfers in \d+(\.\d+)? (ns|µs|ms|s|min): 2 ok, 1 failed\n$/);
  // Only notes, the failure and the summary end a line: the bar itself is always overwritten.
  assert.equal(text.split('\n').length - 1, 3);
});

test('sinkFor picks the bar for a terminal and lines otherwise; no sink shows nothing', () => {
  const tty = capture(true);
  const pipe = capture(false);
  sweep(sinkFor(tty));
  sweep(sinkFor(pipe));
  sweep(null);
  assert.ok(tty.text().includes('\x1b[K'));
  assert.ok(!pipe.text().includes('\x1b[K') && pipe.text().includes('[1/3]'));
});

test('a callback gets every event in order, with the counts so far', () => {
  const events: ProgressEvent[] = [];
  sweep(callbackSink((e) => events.push(e)));
  assert.deepEqual(
    events.map((e) => e.kind),
    ['note', 'start', 'finish', 'start', 'finish', 'start', 'finish', 'end'],
  );
  const finishes = events.filter((e): e is Extract<ProgressEvent, { kind: 'finish' }> => e.kind === 'finish');
  assert.deepEqual(
    finishes.map((e) => [e.state.done, e.state.failed, e.ok]),
    [
      [1, 0, true],
      [2, 1, false],
      [3, 1, true],
    ],
  );
});

test('in a notebook: one display, created once and then updated in place, ending as the summary with each failure', () => {
  const shown: { id: string; update: boolean; text: string; transient: ProgressTransient }[] = [];
  const publish = (id: string, bundle: { data: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => {
    shown.push({
      id,
      update,
      text: String(bundle.data['text/plain']),
      transient: bundle.transient[PROGRESS_TRANSIENT_KEY] as ProgressTransient,
    });
    return true;
  };
  const stderr: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    sweep(notebookProgress(publish));
  } finally {
    process.stderr.write = write;
  }
  assert.ok(shown.length >= 2, `${shown.length} display messages`);
  assert.equal(new Set(shown.map((s) => s.id)).size, 1, 'one display id');
  assert.match(shown[0].id, /^ipc-lab-progress-[0-9a-f]{12}$/);
  assert.deepEqual(
    shown.map((s) => s.update),
    [false, ...shown.slice(1).map(() => true)],
    'created once, then updated',
  );
  const last = shown[shown.length - 1];
  assert.equal(last.transient.final, true);
  assert.deepEqual([last.transient.done, last.transient.total, last.transient.failed], [3, 3, 1]);
  assert.match(last.text, /^Sweep: 3 transfers in \d+(\.\d+)? (ns|µs|ms|s|min): 2 ok, 1 failed\.\n/);
  assert.ok(last.text.includes('ipc-lab: writing results to data/results/x-smoke'), 'the notes stay');
  assert.ok(last.text.includes('FAILED node tcp int32 1e4 run 1: send: ECONNREFUSED'), 'each failure with why');
  assert.ok(!last.text.includes('[1/3]') && !last.text.includes('#'), 'no progress lines in what stays');
  assert.ok(shown.slice(0, -1).every((s) => !s.transient.final));
  assert.deepEqual(stderr, ['node tcp int32 1e4 run 1: FAILED send: ECONNREFUSED\n'], 'only the failure goes to stderr');
});

test('in a notebook, when nothing can be displayed (no kernel), progress falls back to plain lines on stderr', () => {
  const stderr: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    sweep(notebookProgress(() => false));
  } finally {
    process.stderr.write = write;
  }
  const text = stderr.join('');
  assert.ok(text.startsWith('ipc-lab: writing results to data/results/x-smoke\n'), text);
  assert.match(text, /\[3\/3\] node unix int32 1e4 run 1: ok/);
  assert.match(text, /3 transfers in \d+(\.\d+)? (ns|µs|ms|s|min): 2 ok, 1 failed\n$/);
});
