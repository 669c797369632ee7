import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeStatistics, groupStatistics, quantileSorted, statisticOf, throughputMBps } from '../../lib/sweep/stats';

const close = (actual: number, expected: number, what: string): void => {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: expected ${expected}, got ${actual}`);
};

test('four unsorted values: every statistic worked out by hand', () => {
  // sorted 1 2 3 4; mean 2.5; squared deviations 2.25+0.25+0.25+2.25 = 5; sd = sqrt(5/3)
  // p25: h = 3·0.25 = 0.75 → 1 + 0.75·(2−1) = 1.75; p75: h = 2.25 → 3 + 0.25·(4−3) = 3.25
  const s = computeStatistics([4, 1, 3, 2]);
  assert.equal(s.n, 4);
  assert.equal(s.min, 1);
  assert.equal(s.max, 4);
  close(s.mean, 2.5, 'mean');
  close(s.median, 2.5, 'median');
  close(s.sd, 1.2909944487358056, 'sd');
  close(s.p25, 1.75, 'p25');
  close(s.p75, 3.25, 'p75');
});

test('eight values with repeats: the textbook sd example, sample form', () => {
  // 2 4 4 4 5 5 7 9: mean 5, squared deviations sum to 32, sample sd = sqrt(32/7)
  // median h = 3.5 → 4 + 0.5·(5−4) = 4.5; p25 h = 1.75 → 4; p75 h = 5.25 → 5 + 0.25·(7−5) = 5.5
  const s = computeStatistics([9, 2, 4, 5, 4, 7, 4, 5]);
  close(s.mean, 5, 'mean');
  close(s.sd, Math.sqrt(32 / 7), 'sd');
  close(s.median, 4.5, 'median');
  close(s.p25, 4, 'p25');
  close(s.p75, 5.5, 'p75');
});

test('odd count: median and quartiles land exactly on samples', () => {
  const s = computeStatistics([0.5, 0.1, 0.3, 0.2, 0.4]);
  close(s.median, 0.3, 'median');
  close(s.p25, 0.2, 'p25');
  close(s.p75, 0.4, 'p75');
});

test('a single value has sd 0 and every quantile equal to it', () => {
  const s = computeStatistics([7.25]);
  assert.deepEqual(s, { n: 1, min: 7.25, max: 7.25, mean: 7.25, median: 7.25, sd: 0, p25: 7.25, p75: 7.25 });
});

test('the input list is not reordered', () => {
  const values = [3, 1, 2];
  computeStatistics(values);
  assert.deepEqual(values, [3, 1, 2]);
});

test('quantileSorted at the ends returns min and max', () => {
  assert.equal(quantileSorted([1, 5, 9], 0), 1);
  assert.equal(quantileSorted([1, 5, 9], 1), 9);
  close(quantileSorted([1, 5, 9], 0.9), 8.2, 'p90'); // h = 1.8 → 5 + 0.8·4
});

test('an empty list is an error that says so', () => {
  assert.throws(() => computeStatistics([]), /no values/);
});

test('NaN and Infinity are errors naming the bad value', () => {
  assert.throws(() => computeStatistics([1, NaN, 3]), /value 1 is NaN/);
  assert.throws(() => computeStatistics([Infinity]), /value 0 is Infinity/);
  assert.throws(() => computeStatistics([1, -Infinity]), /-Infinity/);
});

test('throughput: 4e8 bytes in 2 s is 200 MB/s (MB = 1e6 bytes)', () => {
  assert.equal(throughputMBps(4e8, 2), 200);
  assert.equal(throughputMBps(1_500_000, 0.5), 3);
});

test('throughput is null for no time, zero or negative time, or unknown bytes', () => {
  assert.equal(throughputMBps(100, 0), null);
  assert.equal(throughputMBps(100, -1), null);
  assert.equal(throughputMBps(100, null), null);
  assert.equal(throughputMBps(null, 1), null);
  assert.equal(throughputMBps(100, NaN), null);
});

test('groupStatistics: groups in order of first appearance, statistics of present values only', () => {
  const rows = groupStatistics(
    [
      { t: 'tcp', v: 4 },
      { t: 'pipe', v: 1 },
      { t: 'tcp', v: null },
      { t: 'tcp', v: 2 },
      { t: 'pipe', v: Number.NaN },
      { t: 'tcp', v: 9 },
    ],
    { by: ['t'], values: ['v'], stats: ['median', 'mean', 'count', 'sum', 'p25', 'p75'] },
  );
  // tcp: 2, 4, 9 → median 4, mean 5, p25 = 2 + 0.5·(4 − 2) = 3, p75 = 4 + 0.5·(9 − 4) = 6.5.
  assert.deepEqual(rows, [
    { t: 'tcp', v_median: 4, v_mean: 5, v_count: 3, v_sum: 15, v_p25: 3, v_p75: 6.5 },
    { t: 'pipe', v_median: 1, v_mean: 1, v_count: 1, v_sum: 1, v_p25: 1, v_p75: 1 },
  ]);
  assert.equal(statisticOf([], 'median'), null);
  assert.equal(statisticOf([], 'count'), null);
});
