import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankRecord } from '../../lib/model/record';
import type { FailedPhase, PayloadKind, Runtime, TransferRecord } from '../../lib/model/types';
import { noTimeWord, summarize } from '../../lib/sweep/summary';

interface Fake {
  runtime?: Runtime;
  transport?: string;
  payload?: PayloadKind;
  sizeElements?: number;
  repeat?: number;
  warmup?: boolean;
  ok?: boolean;
  error?: string;
  failedPhase?: FailedPhase;
  totalSeconds?: number | null;
  sendSeconds?: number | null;
  encodeSeconds?: number | null;
}

/** A record with fixed, hand-picked times: the summary's input without running anything. */
function fake(f: Fake): TransferRecord {
  const record = blankRecord(
    {
      runtime: f.runtime ?? 'node',
      transport: f.transport ?? 'pipe',
      payload: f.payload ?? 'list',
      sizeElements: f.sizeElements ?? 1_000_000,
    },
    { runId: 'test-run', repeat: f.repeat ?? 0, warmup: f.warmup ?? false },
  );
  record.ok = f.ok ?? true;
  record.error = f.error ?? '';
  record.failedPhase = f.failedPhase ?? (record.ok ? '' : 'transfer');
  record.totalSeconds = f.totalSeconds ?? null;
  record.sendSeconds = f.sendSeconds ?? null;
  record.encodeSeconds = f.encodeSeconds ?? null;
  return record;
}

const pipeList = [
  fake({ warmup: true, totalSeconds: 100, sendSeconds: 50 }), // a slow warm-up must not count
  fake({ repeat: 0, totalSeconds: 2, sendSeconds: 1 }),
  fake({ repeat: 1, totalSeconds: 4 }),
  fake({ repeat: 2, ok: false, error: 'peer exited', totalSeconds: 0.1 }),
  fake({ repeat: 3, totalSeconds: 3, sendSeconds: 2 }),
];

test('warm-ups are excluded and failures counted but not timed', () => {
  const [row] = summarize(pipeList);
  assert.equal(row.measuredRuns, 4);
  assert.equal(row.warmupRuns, 1);
  assert.equal(row.okRuns, 3);
  assert.equal(row.failedRuns, 1);
  assert.equal(row.refusedRuns, 0);
  assert.equal(row.firstError, 'failed (transfer): peer exited');
  // ok measured totals are 2, 4, 3: the failed run's 0.1 and the warm-up's 100 are left out
  assert.equal(row.totalMedianSeconds, 3);
  assert.equal(row.totalMinSeconds, 2);
  assert.equal(row.totalMeanSeconds, 3);
  assert.equal(row.totalSdSeconds, 1); // squared deviations 1 + 1 + 0 = 2, /(3−1) = 1
  assert.equal(row.totalP25Seconds, 2.5);
  assert.equal(row.totalP75Seconds, 3.5);
  // send is known on two ok runs (1 and 2): median 1.5; warm-up's 50 ignored
  assert.equal(row.sendMedianSeconds, 1.5);
});

test('a time no ok run has stays null, never 0', () => {
  const [row] = summarize(pipeList);
  assert.equal(row.encodeMedianSeconds, null);
  assert.equal(row.decodeMedianSeconds, null);
  assert.equal(row.recvMedianSeconds, null);
  assert.equal(row.buildMedianSeconds, null);
});

test('throughput is 4 bytes per element over the median total', () => {
  const [row] = summarize(pipeList);
  // 4 × 1e6 bytes / 3 s / 1e6 = 1.333… MB/s
  assert.ok(Math.abs((row.throughputMBps ?? NaN) - 4 / 3) < 1e-12);
});

test('groups keep first-seen order and split on every key', () => {
  const rows = summarize([
    fake({ transport: 'tcp', totalSeconds: 1 }),
    fake({ transport: 'pipe', totalSeconds: 1 }),
    fake({ transport: 'tcp', payload: 'int32', totalSeconds: 1 }),
    fake({ transport: 'tcp', sizeElements: 10, totalSeconds: 1 }),
    fake({ runtime: 'cpython', transport: 'tcp', totalSeconds: 1 }),
    fake({ transport: 'tcp', totalSeconds: 3 }),
  ]);
  assert.deepEqual(
    rows.map((r) => `${r.runtime} ${r.transport} ${r.payload} ${r.sizeElements} ${r.measuredRuns}`),
    ['node tcp list 1000000 2', 'node pipe list 1000000 1', 'node tcp int32 1000000 1', 'node tcp list 10 1', 'cpython tcp list 1000000 1'],
  );
  assert.equal(rows[0].totalMedianSeconds, 2);
});

test('a configuration where every run failed has counts, the error, and null times', () => {
  const [row] = summarize([
    fake({ warmup: true, ok: false, error: 'first warm-up failed' }),
    fake({ repeat: 0, ok: false, error: 'run 0 failed' }),
    fake({ repeat: 1, ok: false, error: 'run 1 failed' }),
  ]);
  assert.equal(row.okRuns, 0);
  assert.equal(row.failedRuns, 2);
  assert.equal(row.firstError, 'failed (transfer): run 0 failed');
  assert.equal(row.totalMedianSeconds, null);
  assert.equal(row.totalSdSeconds, null);
  assert.equal(row.throughputMBps, null);
});

test('only a warm-up failed: its error is reported, marked as a warm-up', () => {
  const [row] = summarize([fake({ warmup: true, ok: false, error: 'timed out' }), fake({ repeat: 0, totalSeconds: 1 })]);
  assert.equal(row.failedRuns, 0);
  assert.equal(row.firstError, 'warm-up: failed (transfer): timed out');
});

test('refused runs are counted apart from failed ones; a configuration every run of which was refused says so', () => {
  const refusal = 'JSON serialization would need a 888888907-character string';
  const [mixed] = summarize([
    fake({ repeat: 0, ok: false, failedPhase: 'limits', error: refusal }),
    fake({ repeat: 1, ok: false, error: 'peer exited' }),
  ]);
  assert.deepEqual([mixed.okRuns, mixed.refusedRuns, mixed.failedRuns], [0, 1, 1]);
  assert.equal(mixed.firstError, `refused: ${refusal}`);
  assert.equal(noTimeWord(mixed), 'failed');
  const [refused] = summarize([0, 1, 2].map((repeat) => fake({ repeat, ok: false, failedPhase: 'limits', error: refusal })));
  assert.deepEqual([refused.refusedRuns, refused.failedRuns], [3, 0]);
  assert.equal(noTimeWord(refused), 'refused');
});

test('no records, no rows', () => {
  assert.deepEqual(summarize([]), []);
});
