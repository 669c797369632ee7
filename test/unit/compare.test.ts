import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadRuns } from '../../lib/findings/runs';
import { blankRecord } from '../../lib/model/record';
import type { RunDescription, TransferRecord, TransferSpec } from '../../lib/model/types';
import { compareRecords, compareSamples, significanceMark } from '../../lib/sweep/compare';
import {
  COMPARISON_CSV_FIELDS,
  comparisonToCsv,
  comparisonToMarkdown,
  comparisonToTable,
  describeRunLine,
  type RunComparison,
} from '../../lib/sweep/compare-format';
import { writeResults } from '../../lib/sweep/results-files';
import { incompleteBeta, studentTCdf, studentTQuantile, studentTTwoSidedP, welchTTest } from '../../lib/sweep/student-t';
import { testDescription } from '../helpers/run-description';

const close = (actual: number | null, expected: number, what: string, tolerance = 1e-9): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected}, got ${actual}`);
};

test("Student's t quantiles: the closed forms for 1 and 2 degrees of freedom, and the table value for 4", () => {
  // df = 1 is the Cauchy distribution: t_p = tan(π (p − 1/2)); t_0.975 = tan(0.475 π) = 12.706204736174…
  close(studentTQuantile(0.975, 1), Math.tan(0.475 * Math.PI), 'df 1');
  // df = 2: t_p = (2p − 1) / √(2 p (1 − p)); t_0.975 = 0.95 / √0.04875 = 4.302652729749…
  close(studentTQuantile(0.975, 2), 0.95 / Math.sqrt(2 * 0.975 * 0.025), 'df 2');
  // df = 4: every t table's 2.776 (2.7764451051977…).
  close(studentTQuantile(0.975, 4), 2.7764451051977, 'df 4', 1e-12);
  close(studentTQuantile(0.025, 4), -2.7764451051977, 'lower tail is the mirror', 1e-12);
  assert.equal(studentTQuantile(0.5, 3.7), 0);
  // Large df tends to the normal's 1.959963…; at 1000 the tables give 1.962339.
  close(studentTQuantile(0.975, 1000), 1.962339, 'df 1000', 1e-6);
  assert.throws(() => studentTQuantile(1, 4), /between 0 and 1/);
  assert.throws(() => studentTQuantile(0.9, 0), /degrees of freedom/);
});

test("Student's t CDF and the incomplete beta function against closed forms", () => {
  // df = 1: F(t) = 1/2 + atan(t)/π, so F(1) = 3/4.
  close(studentTCdf(1, 1), 0.75, 'df 1 at t = 1');
  // df = 2: F(t) = 1/2 + t / (2 √(2 + t²)), so F(2) = 1/2 + 1/√6 = 0.908248290463863.
  close(studentTCdf(2, 2), 0.5 + 1 / Math.sqrt(6), 'df 2 at t = 2');
  close(studentTCdf(-2, 2), 0.5 - 1 / Math.sqrt(6), 'df 2 at t = −2');
  // I_x(a, 1) = x^a and I_x(1, 1) = x; I_{1/2}(a, a) = 1/2 by symmetry.
  close(incompleteBeta(0.3, 2.5, 1), 0.3 ** 2.5, 'I_x(a, 1)');
  close(incompleteBeta(0.7, 1, 1), 0.7, 'I_x(1, 1)');
  close(incompleteBeta(0.5, 3.3, 3.3), 0.5, 'I_1/2(a, a)');
  assert.equal(studentTTwoSidedP(0, 5), 1);
});

test("Welch's t-test, n = 3 a side with equal spreads: t = √6, df = 4, p = 0.0704840 by hand", () => {
  // x = 1 2 3, y = 3 4 5: means 2 and 4, variances 1 and 1, SE = √(1/3 + 1/3) = √(2/3) = 0.816497,
  // t = 2 / 0.816497 = √6 = 2.449490; df = (2/3)² / ((1/3)²/2 + (1/3)²/2) = (4/9) / (1/9) = 4.
  // For df = 4, F(t) = 1/2 + (3/8) · (t/√(1 + t²/4)) · (1 − t²/(12 (1 + t²/4))):
  // t²/4 = 1.5, t/√2.5 = 1.549193, 1 − 6/30 = 0.8, F = 0.5 + 0.375 · 1.549193 · 0.8 = 0.964758,
  // p = 2 (1 − F) = 0.070484. The 95 % interval: 2 ± 2.776445 · 0.816497 = −0.266958 … 4.266958.
  const result = welchTTest([1, 2, 3], [3, 4, 5]);
  close(result.t, Math.sqrt(6), 't');
  close(result.df, 4, 'df');
  close(result.pValue, 2 * (1 - (0.5 + 0.375 * Math.sqrt(2.4) * 0.8)), 'p');
  close(result.pValue, 0.070484, 'p, 6 decimals', 5e-7);
  close(result.low, 2 - 2.7764451051977 * Math.sqrt(2 / 3), 'CI low', 1e-9);
  close(result.high, 2 + 2.7764451051977 * Math.sqrt(2 / 3), 'CI high', 1e-9);
});

test("Welch's t-test, unequal sizes and spreads: fractional degrees of freedom", () => {
  // x = 1 2 3 4: mean 2.5, variance 5/3, share 5/12; y = 2 6: mean 4, variance 8, share 4.
  // SE = √(5/12 + 4) = 2.1015867, t = 1.5 / SE = 0.7137464,
  // df = (53/12)² / ((5/12)²/3 + 4²/1) = 19.506944 / 16.057870 = 1.2147903.
  // p = 0.5873923 (scipy.stats.ttest_ind([2, 6], [1, 2, 3, 4], equal_var=False) agrees).
  const result = welchTTest([1, 2, 3, 4], [2, 6]);
  close(result.t, 1.5 / Math.sqrt(5 / 12 + 4), 't');
  close(result.df, (53 / 12) ** 2 / ((5 / 12) ** 2 / 3 + 16), 'df');
  close(result.pValue, 0.5873923369, 'p', 1e-9);
  assert.throws(() => welchTTest([1], [2, 3]), /at least 2 values/);
});

test('samples without spread: equal means are p = 1, different ones p = 0', () => {
  const same = welchTTest([2, 2, 2], [2, 2]);
  assert.equal(same.pValue, 1);
  assert.equal(same.df, null);
  const apart = welchTTest([2, 2, 2], [3, 3]);
  assert.equal(apart.pValue, 0);
  assert.equal(apart.low, 1);
  assert.equal(apart.high, 1);
});

test('compareSamples works on log times: ratio e², not significant at p = 0.0705; e⁴ is **', () => {
  // log A = 1 2 3, log B = 3 4 5: the Welch case above on logs, so the geometric means' ratio is
  // e², its interval exp(−0.266958) … exp(4.266958) = 0.7657 … 71.30, and p = 0.0705.
  const e = Math.exp;
  const a = [e(1), e(2), e(3)];
  const result = compareSamples(a, [e(3), e(4), e(5)]);
  close(result.ratio, e(2), 'median ratio', 1e-9);
  close(result.geometricMeanRatio, e(2), 'geometric mean ratio', 1e-9);
  close(result.ciLow, e(2 - 2.7764451051977 * Math.sqrt(2 / 3)), 'CI low', 1e-9);
  close(result.ciHigh, e(2 + 2.7764451051977 * Math.sqrt(2 / 3)), 'CI high', 1e-6);
  close(result.pValue, 0.070484, 'p', 5e-7);
  assert.equal(significanceMark(result.pValue), '');
  // log B = 5 6 7: t = 4 / √(2/3) = 2√6, df = 4; F = 0.5 + 0.375 · (t/√7) · (1 − 24/84) = 0.995975,
  // p = 0.008050: two stars.
  const further = compareSamples(a, [e(5), e(6), e(7)]);
  close(further.pValue, 2 * (1 - (0.5 + 0.375 * ((2 * Math.sqrt(6)) / Math.sqrt(7)) * (1 - 24 / 84))), 'p', 1e-9);
  assert.equal(significanceMark(further.pValue), '**');
});

test('a clear case: B takes twice as long, and the interval holds 2 and not 1', () => {
  const a = [1.0, 1.02, 0.98, 1.01, 0.99];
  const b = [2.03, 1.97, 2.01, 1.99, 2.0];
  const result = compareSamples(a, b);
  assert.ok(result.ciLow! < 2 && result.ciHigh! > 2, `CI ${result.ciLow}–${result.ciHigh} should hold 2`);
  assert.ok(result.ciLow! > 1, 'CI should exclude 1');
  close(result.ratio, 2, 'median ratio 2.00 / 1.00');
  assert.equal(significanceMark(result.pValue), '***');
  // Swapping the runs inverts the ratio and its interval exactly: a property of working on logs.
  const swapped = compareSamples(b, a);
  close(swapped.ciLow, 1 / result.ciHigh!, 'swapped CI low', 1e-12);
  close(swapped.ciHigh, 1 / result.ciLow!, 'swapped CI high', 1e-12);
  close(swapped.pValue, result.pValue!, 'same p', 1e-12);
});

test('identical samples are not significant, with ratio 1 inside the interval', () => {
  const times = [0.5, 0.52, 0.49, 0.51];
  const result = compareSamples(times, [...times].reverse());
  close(result.ratio, 1, 'ratio');
  close(result.pValue, 1, 'p');
  assert.ok(result.ciLow! < 1 && result.ciHigh! > 1);
  assert.equal(significanceMark(result.pValue), '');
  assert.throws(() => compareSamples([], [1]), /sample A is empty/);
  assert.throws(() => compareSamples([1, 0], [1]), /positive finite/);
});

test('significance marks follow compare.R: *** < 0.001 ≤ ** < 0.01 ≤ * < 0.05 ≤ none', () => {
  assert.deepEqual([0.0009, 0.001, 0.0099, 0.01, 0.0499, 0.05, 0.9, null].map(significanceMark), ['***', '**', '**', '*', '*', '', '', '']);
});

// --- records: configurations, failures, warm-ups, one-sided configurations

const spec = (transport: string, sizeElements = 1000): TransferSpec => ({ runtime: 'node', transport, payload: 'int32', sizeElements });
function record(transport: string, totalSeconds: number | null, change: Partial<TransferRecord> = {}): TransferRecord {
  const r = blankRecord(spec(transport), { runId: 'r', repeat: 0, warmup: false });
  return { ...r, ok: totalSeconds !== null, totalSeconds, ...change };
}
const times = (transport: string, values: number[], change: Partial<TransferRecord> = {}) =>
  values.map((v) => record(transport, v, change));

test('compareRecords: one row per configuration, failures and one-sided configurations said plainly', () => {
  const a = [
    record('pipe', 99, { warmup: true }), // a warm-up, far slower: must not count
    ...times('pipe', [1.0, 1.1, 0.9]),
    ...times('tcp', [2.0]),
    ...times('unix', [1.0, 1.0]),
    ...times('queue', [0.1, 0.2]),
  ];
  const b = [
    ...times('pipe', [2.0, 2.2, 1.8]),
    ...times('tcp', [1.0, 1.2]),
    record('unix', null, { failedPhase: 'transfer', error: 'peer died, code 1' }),
    record('unix', null, { failedPhase: 'transfer', error: 'second' }),
    ...times('file', [0.3, 0.4]),
  ];
  const rows = compareRecords(a, b);
  assert.deepEqual(
    rows.map((r) => [r.transport, r.status]),
    [
      ['pipe', 'compared'],
      ['tcp', 'too-few'],
      ['unix', 'failed'],
      ['queue', 'only-in-a'],
      ['file', 'only-in-b'],
    ],
  );
  const [pipe, tcp, unix, queue, file] = rows;
  assert.equal(pipe.nA, 3, 'the warm-up is left out');
  close(pipe.medianASeconds, 1.0, 'median A without the warm-up');
  close(pipe.ratio, 2, 'median ratio');
  assert.equal(pipe.verdict, 'B slower');
  close(tcp.ratio, 1.1 / 2.0, 'a ratio even with one repeat');
  assert.equal(tcp.ciLow, null);
  assert.equal(tcp.verdict, 'needs ≥2 repeats per side');
  assert.equal(unix.failedB, 2);
  assert.equal(unix.errorB, 'failed (transfer): peer died, code 1', 'the first error is kept, with its phase');
  assert.equal(unix.verdict, 'no successful repeat in B');
  assert.equal(queue.verdict, 'only in A');
  close(queue.medianASeconds, 0.15, 'a one-sided row keeps its median');
  assert.equal(queue.medianBSeconds, null);
  assert.equal(file.verdict, 'only in B');
  assert.equal(file.nB, 2);
});

// --- exporters

const description = (runId: string, label: string): RunDescription => testDescription({ runId, label });

function sampleComparison(): RunComparison {
  const a = [...times('pipe', [1.0, 1.1, 0.9]), ...times('tcp', [2.0, 2.1])];
  const b = [...times('pipe', [2.0, 2.2, 1.8]), record('tcp', null, { failedPhase: 'verify', error: 'tcp failed: a, b | c' })];
  return {
    a: { name: 'data/results/a', description: description('run-a', 'before') },
    b: { name: 'data/results/b', description: description('run-b', '') },
    confidence: 0.95,
    rows: compareRecords(a, b),
  };
}

test('describeRunLine names the machine, Node, the commit and when', () => {
  assert.equal(
    describeRunLine(description('run-a', 'before')),
    'run run-a: Test CPU, 2 cores, 24 GiB, Linux 6.1.0 x64, Node 20.20.2 (V8 11.3), ipc-lab 0.1.0 @ 46ae1bf0a1b2, 2026-11-30 22:41 UTC, "before"',
  );
  assert.match(describeRunLine({ ...description('x', ''), gitCommit: `${'a'.repeat(40)}-dirty` }), / @ aaaaaaaaaaaa-dirty, /);
});

test('CSV: the header, one line per configuration, CRLF, nulls empty, full precision, errors quoted', () => {
  const csv = comparisonToCsv(sampleComparison());
  assert.ok(csv.endsWith('\r\n'));
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines[0], COMPARISON_CSV_FIELDS.join(','));
  assert.equal(lines.length, 3);
  const pipe = Object.fromEntries(lines[1].split(',').map((cell, i) => [COMPARISON_CSV_FIELDS[i], cell]));
  assert.equal(pipe.transport, 'pipe');
  assert.equal(Number(pipe.ratio), 2);
  assert.equal(pipe.runA, 'run-a');
  assert.equal(pipe.confidence, '0.95');
  assert.equal(
    lines[2],
    'node,tcp,int32,v8,1000,failed,2,0,0,1,2.05,,,,,,0.95,,,,no successful repeat in B,,"failed (verify): tcp failed: a, b | c",run-a,run-b',
  );
});

test('Markdown: a table of header, alignment and one row per configuration, then the runs and failures', () => {
  const md = comparisonToMarkdown(sampleComparison()).split('\n');
  assert.match(md[0], /^\| configuration \| A median \| B median \| B\/A \| 95% CI \| p \| sig \| n A \| n B \| verdict \|$/);
  assert.equal(md[1], '|:---|---:|---:|---:|---:|---:|---:|---:|---:|:---|');
  assert.match(
    md[2],
    /^\| node pipe int32 v8 1e3 \| 1\.00 s \| 2\.00 s \| 2\.000 \| \d\.\d{3}–\d\.\d{3} \| 0\.\d{3} \| \*+ \| 3 \| 3 \| B slower \|$/,
  );
  assert.match(md[3], /^\| node tcp int32 v8 1e3 \| 2\.05 s \| – \|/);
  assert.equal(md[4], '');
  assert.match(md[5], /^- \*\*A\*\* = `data\/results\/a`: run run-a: Test CPU/);
  assert.ok(
    md.some((line) => line.includes('tcp failed: a, b \\| c')),
    'a pipe inside an error is escaped',
  );
});

test('terminal table: aligned columns, the failures, the legend and both runs', () => {
  const text = comparisonToTable(sampleComparison());
  const lines = text.split('\n');
  assert.match(lines[0], /^configuration\s+A median\s+B median\s+B\/A\s+95% CI\s+p\s+sig\s+n A\s+n B\s+verdict$/);
  assert.equal(lines[1].indexOf('1.00 s') + '1.00 s'.length, lines[0].indexOf('A median') + 'A median'.length, 'numbers align right');
  assert.ok(text.includes('Failures:\n  B node tcp int32 v8 1e3: 1 of 1 measured repeats failed: failed (verify): tcp failed: a, b | c'));
  assert.ok(text.includes("Welch's t-test on log times"));
  assert.ok(text.includes('A = data/results/a: run run-a: '));
  assert.ok(text.includes('B = data/results/b: run run-b: '));
});

test('loadRuns finds every run under a folder and sets aside one that is not results', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-compare-runs-'));
  try {
    writeResults(path.join(root, 'machine-1', 'run-a'), description('run-a', ''), times('pipe', [1, 2]));
    writeResults(path.join(root, 'machine-2'), description('run-b', ''), times('pipe', [3, 4]));
    fs.mkdirSync(path.join(root, 'broken'));
    fs.writeFileSync(path.join(root, 'broken', 'records.json'), '{"schema": 2, "descr');
    const set = loadRuns(root);
    assert.deepEqual(
      set.runs.map((r) => [r.name, r.description.runId, r.records.length]),
      [
        ['machine-1/run-a', 'run-a', 2],
        ['machine-2', 'run-b', 2],
      ],
    );
    assert.deepEqual(
      set.skipped.map((s) => s.name),
      ['broken'],
    );
    assert.match(set.skipped[0].reason, /truncated or not JSON/);
    assert.throws(() => loadRuns(path.join(root, 'nowhere')), /does not exist/);
    assert.throws(() => loadRuns(path.join(root, 'machine-1', 'run-a', 'records.csv')), /no runs under/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
