/**
 * A sweep's progress sinks (plain lines, a terminal bar, a callback) and the notebook's updating
 * display, fed by fake transfers with fixed outcomes: nothing runs.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { blankRecord, failRecord } from '../../lib/model/record';
import type { TransferRecord } from '../../lib/model/types';
import { notebookProgress, PROGRESS_TRANSIENT_KEY, type ProgressTransient, summaryOf } from '../../lib/notebook/live-progress';
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
    failedPhase: ok ? '' : 'transfer',
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
  assert.equal(summary.refused, 0);
  assert.deepEqual(summary.failures, [{ label: 'node tcp int32 1e4 run 1', failedPhase: 'transfer', error: 'send: ECONNREFUSED' }]);
}

test('plain lines: one per ended transfer with its count, and a summary line; no control characters', () => {
  const out = capture(false);
  sweep(lineSink(out));
  const lines = out.text().trimEnd().split('\n');
  assert.equal(lines[0], 'ipc-lab: writing results to data/results/x-smoke');
  assert.match(lines[1], /^\[1\/3\] node pipe int32 1e4 run 1: ok {2}total 12\.5 ms {2}send 5\.00 ms {2}recv 6\.00 ms$/);
  assert.equal(lines[2], '[2/3] node tcp int32 1e4 run 1: failed (transfer): send: ECONNREFUSED');
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
  assert.ok(text.includes('\r\x1b[Knode tcp int32 1e4 run 1: failed (transfer): send: ECONNREFUSED\n'), 'the failure on a line of its own');
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
  assert.ok(last.text.includes('  node tcp int32 1e4 run 1: failed (transfer): send: ECONNREFUSED'), 'each failure with why');
  assert.ok(!last.text.includes('[1/3]') && !last.text.includes('#'), 'no progress lines in what stays');
  assert.ok(shown.slice(0, -1).every((s) => !s.transient.final));
  assert.deepEqual(stderr, ['node tcp int32 1e4 run 1: failed (transfer): send: ECONNREFUSED\n'], 'only the failure goes to stderr');
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

const OBJECT_8B = 'object messages of 8 bytes cannot be built: object messages are 64 to 67108864 bytes';

/**
 * A message bench in small: 6 rounds of ipc-json's two patterns at 8 B, which the limits refuse
 * (one reason for all 12 runs), the bare-Node limit refused at that size too, one run that fails
 * and one that is ok.
 */
function benchWithRefusals(sink: ProgressSink | null) {
  const progress = new Progress(16, sink);
  for (let round = 0; round < 6; round++) {
    for (const pattern of ['roundtrip', 'rate'] as const) {
      const r = blankRecord(
        { runtime: 'node', transport: 'ipc-json', payload: 'object', sizeElements: 1e4, pattern, messageBytes: 8 },
        { runId: 'test', repeat: round, warmup: false },
      );
      progress.start(r, round, false);
      progress.finish(failRecord(r, 'limits', OBJECT_8B));
    }
  }
  const what = 'node-minimal ipc-json roundtrip 8 B × 10000';
  for (const round of [0, 1]) {
    const label = `${what} round ${round + 1}`;
    progress.startStep(label);
    progress.finishStep(label, '', { failedPhase: 'limits', error: 'ipc-json sends object messages, which need at least 64 bytes', what });
  }
  const died = failRecord(record('tcp', false), 'transfer', 'the receiver died');
  progress.finish(died);
  progress.finish(record('pipe', true));
  return progress.end();
}

test('refused runs are counted apart from failed ones, and each reason is listed once with how many runs it refused', () => {
  const summary = benchWithRefusals(null);
  assert.deepEqual([summary.transfers, summary.ok, summary.refused, summary.failures.length], [16, 1, 14, 1]);
  assert.deepEqual(summary.refusals, [
    {
      error: OBJECT_8B,
      labels: ['node ipc-json roundtrip object 8 B × 1e4', 'node ipc-json rate object 8 B × 1e4'],
      runs: 12,
    },
    {
      error: 'ipc-json sends object messages, which need at least 64 bytes',
      labels: ['node-minimal ipc-json roundtrip 8 B × 10000'],
      runs: 2,
    },
  ]);
  const out = capture(false);
  benchWithRefusals(lineSink(out));
  const lines = out.text().trimEnd().split('\n');
  assert.match(lines[16], /^16 transfers in \d+(\.\d+)? (ns|µs|ms|s|min): 1 ok, 14 refused, 1 failed$/);
  assert.deepEqual(lines.slice(17), [
    `node ipc-json roundtrip object 8 B × 1e4, node ipc-json rate object 8 B × 1e4 (12 runs): refused: ${OBJECT_8B}`,
    'node-minimal ipc-json roundtrip 8 B × 10000 (2 runs): refused: ipc-json sends object messages, which need at least 64 bytes',
  ]);
  assert.equal(
    lines[12],
    '[13/16] node-minimal ipc-json roundtrip 8 B × 10000 round 1: refused: ipc-json sends object messages, which need at least 64 bytes',
  );
  assert.equal(lines[13], '[14/16] node-minimal ipc-json roundtrip 8 B × 10000 round 2: refused, for the reason given above');
  assert.equal(out.text().split(OBJECT_8B).length - 1, 1 + 1, 'the reason on the first refused run as it ends, and once in the summary');
});

test('in a notebook, the summary lists each refusal once apart from the failures, and only the failure goes to stderr', () => {
  const stderr: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  let summary: ReturnType<typeof summaryOf> | null = null;
  try {
    summary = summaryOf(benchWithRefusals(null));
  } finally {
    process.stderr.write = write;
  }
  assert.match(summary.text, /^Sweep: 16 transfers in \d+(\.\d+)? (ns|µs|ms|s|min): 1 ok, 14 refused, 1 failed\.\n/);
  assert.equal(summary.text.split(OBJECT_8B).length - 1, 1, 'the refusal once');
  assert.ok(summary.text.includes('  node tcp int32 1e4 run 1: failed (transfer): the receiver died'));
  assert.match(
    summary.html,
    /<div>Refused:<\/div><ul><li>node ipc-json roundtrip object 8 B × 1e4, node ipc-json rate object 8 B × 1e4 \(12 runs\): refused: /,
  );
  assert.match(summary.html, /<div>Failed:<\/div><ul><li>node tcp int32 1e4 run 1: failed \(transfer\): the receiver died<\/li><\/ul>/);
  assert.deepEqual(stderr, []);
  const shown: string[] = [];
  process.stderr.write = ((chunk: string) => shown.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    benchWithRefusals(notebookProgress(() => true));
  } finally {
    process.stderr.write = write;
  }
  assert.deepEqual(shown, ['node tcp int32 1e4 run 1: failed (transfer): the receiver died\n'], 'a refusal is not a failure on stderr');
});
