/**
 * Two runs side by side, per configuration (runtime × transport × payload × codec × size): the
 * ratio of median total times B/A, a confidence interval of the ratio, and whether the difference
 * is real. Pure: records in, rows out (the CLI in lib/cli/compare.ts and the notebooks do the I/O).
 *
 * **The test: Welch's t-test on the logarithms of the times.** Node core's benchmark/compare.R
 * runs Welch's t-test (R's `t.test`) on the two samples of each benchmark and marks p < 0.05,
 * 0.01, 0.001 with one to three stars; pyperf's `compare_to` calls a difference significant by a
 * two-sample t-test at 95 % and prints "Not significant" otherwise. We do the same, on log times:
 * - Times are positive and their noise multiplicative (a busy machine makes everything k× slower),
 *   and the question is a ratio. On logs the mean difference is the log of the ratio of geometric
 *   means, so the interval exp(low)…exp(high) is an interval of B/A itself — and B/A's interval
 *   is exactly the reciprocal of A/B's, which a difference of raw means does not give.
 * - Welch, not pooled variances: two runs are often two machines or two days whose spreads differ
 *   (a busy day's are several times a quiet day's); Welch does not assume they are equal.
 * - A t-test, not a rank test or a bootstrap, because runs here have 3–5 repeats. With 3 + 3
 *   values no rank or permutation test can reach p < 0.05 (the smallest two-sided p of
 *   Mann–Whitney is 2/20 = 0.1), and a bootstrap of a median resamples a handful of distinct
 *   values, so its percentile interval is too narrow. The t-test's price is its assumption that
 *   log times are roughly normal; it is exact, deterministic and usable from 2 repeats a side.
 *
 * The headline ratio is of medians (what every other table of ipc-lab reports); the interval and
 * the p-value are those of the geometric means' ratio, also given. For the near-symmetric log
 * times of repeated transfers the two ratios are close; when they are not, an outlier is at work.
 * The interval excludes 1 exactly when p < 1 − confidence.
 */
import type { CodecName, PayloadKind, Runtime, TransferRecord } from '../model/types';
import { median } from './stats';
import { welchTTest } from './student-t';
import { type Configuration, groupByConfiguration, summarizeGroup } from './summary';

/** The default confidence level of the interval: 95 %, the level of compare.R's first star and pyperf's test. */
export const DEFAULT_CONFIDENCE = 0.95;

/** Stars as Node's compare.R prints them: *** p < 0.001, ** p < 0.01, * p < 0.05, none otherwise. */
export type SignificanceMark = '***' | '**' | '*' | '';

/** The mark of a p-value (see SignificanceMark); '' when there is no p-value. */
export function significanceMark(pValue: number | null): SignificanceMark {
  if (pValue === null) return '';
  if (pValue < 0.001) return '***';
  if (pValue < 0.01) return '**';
  if (pValue < 0.05) return '*';
  return '';
}

/** How two samples of times compare: the ratio of medians B/A and, from 2 values a side, the test. */
export interface SampleComparison {
  medianASeconds: number;
  medianBSeconds: number;
  /** median(B) ÷ median(A): below 1, B was faster. */
  ratio: number;
  /** Geometric mean of B ÷ geometric mean of A: the ratio the interval and the test are about. Null below 2 values a side. */
  geometricMeanRatio: number | null;
  /** The confidence interval of the geometric means' ratio B/A (null below 2 values a side). */
  ciLow: number | null;
  ciHigh: number | null;
  /** Two-sided p-value of Welch's t-test on log times (null below 2 values a side). */
  pValue: number | null;
  /** Welch–Satterthwaite degrees of freedom (null below 2 values a side, or when neither side varies). */
  df: number | null;
}

/**
 * Compare two samples of times in seconds (each value positive and finite, at least one a side):
 * medians and their ratio always; with at least two values a side, Welch's t-test on the log
 * times and the `confidence` interval of the ratio B/A (see the module's comment for why).
 */
export function compareSamples(
  aSeconds: readonly number[],
  bSeconds: readonly number[],
  confidence = DEFAULT_CONFIDENCE,
): SampleComparison {
  for (const [side, values] of [
    ['A', aSeconds],
    ['B', bSeconds],
  ] as const) {
    if (values.length === 0) throw new Error(`compareSamples: sample ${side} is empty`);
    const bad = values.find((v) => !(v > 0) || !Number.isFinite(v));
    if (bad !== undefined) throw new Error(`compareSamples: sample ${side} holds ${bad}; times must be positive finite numbers`);
  }
  const medianASeconds = median(aSeconds);
  const medianBSeconds = median(bSeconds);
  const base = { medianASeconds, medianBSeconds, ratio: medianBSeconds / medianASeconds };
  if (aSeconds.length < 2 || bSeconds.length < 2) {
    return { ...base, geometricMeanRatio: null, ciLow: null, ciHigh: null, pValue: null, df: null };
  }
  const test = welchTTest(aSeconds.map(Math.log), bSeconds.map(Math.log), confidence);
  return {
    ...base,
    geometricMeanRatio: Math.exp(test.difference),
    ciLow: Math.exp(test.low),
    ciHigh: Math.exp(test.high),
    pValue: test.pValue,
    df: test.df,
  };
}

/**
 * What the comparison of one configuration could say:
 * `compared` (both runs have ≥ 2 usable repeats), `too-few` (a run has only one: ratio, no test),
 * `failed` (a run has the configuration but no successful measured repeat), `only-in-a`, `only-in-b`.
 */
export type ComparisonStatus = 'compared' | 'too-few' | 'failed' | 'only-in-a' | 'only-in-b';

/** One configuration of two runs, compared. Times are total seconds of measured (not warm-up), ok repeats. */
export interface ComparisonRow {
  runtime: Runtime;
  /** The receiver's runtime: `runtime` unless the configuration is a pair across runtimes. */
  receiverRuntime: Runtime;
  transport: string;
  payload: PayloadKind;
  codec: CodecName;
  sizeElements: number;
  status: ComparisonStatus;
  /** Repeats of each run in the statistics: measured, ok, with a positive total time. */
  nA: number;
  nB: number;
  /** Measured repeats of each run that failed. */
  failedA: number;
  failedB: number;
  /** The first error of each run for this configuration (summary.ts's rule: a measured run's, else a warm-up's); '' if none. */
  errorA: string;
  errorB: string;
  medianASeconds: number | null;
  medianBSeconds: number | null;
  /** median(B) ÷ median(A); null unless both runs have a usable repeat. */
  ratio: number | null;
  geometricMeanRatio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  df: number | null;
  mark: SignificanceMark;
  /** One phrase for a reader: "B faster", "B slower", "not significant", "needs ≥2 repeats per side", "only in A", … */
  verdict: string;
}

interface Side {
  seconds: number[];
  failed: number;
  error: string;
}

function sideOf(group: readonly TransferRecord[] | undefined): Side | null {
  if (!group) return null;
  const summary = summarizeGroup(group);
  const seconds = group
    .filter((r) => !r.warmup && r.ok)
    .map((r) => r.totalSeconds)
    .filter((v): v is number => v !== null && v > 0 && Number.isFinite(v));
  return { seconds, failed: summary.failedRuns + summary.refusedRuns, error: summary.firstError };
}

/** A row without a ratio: each run's median where it has a usable repeat, and nothing to test. */
const noTest = (a: Side | null, b: Side | null) => ({
  medianASeconds: a && a.seconds.length > 0 ? median(a.seconds) : null,
  medianBSeconds: b && b.seconds.length > 0 ? median(b.seconds) : null,
  ratio: null,
  geometricMeanRatio: null,
  ciLow: null,
  ciHigh: null,
  pValue: null,
  df: null,
});

function compareSides(a: Side | null, b: Side | null, confidence: number): Omit<ComparisonRow, keyof Configuration> {
  const counts = {
    nA: a?.seconds.length ?? 0,
    nB: b?.seconds.length ?? 0,
    failedA: a?.failed ?? 0,
    failedB: b?.failed ?? 0,
    errorA: a?.error ?? '',
    errorB: b?.error ?? '',
  };
  if (!a || !b) {
    const status = a ? 'only-in-a' : 'only-in-b';
    return { ...counts, ...noTest(a, b), status, mark: '', verdict: a ? 'only in A' : 'only in B' };
  }
  if (a.seconds.length === 0 || b.seconds.length === 0) {
    const sides = [a.seconds.length === 0 ? 'A' : '', b.seconds.length === 0 ? 'B' : ''].filter(Boolean).join(' and ');
    return { ...counts, ...noTest(a, b), status: 'failed', mark: '', verdict: `no successful repeat in ${sides}` };
  }
  const result = compareSamples(a.seconds, b.seconds, confidence);
  if (result.pValue === null || result.geometricMeanRatio === null) {
    return { ...counts, ...result, status: 'too-few', mark: '', verdict: 'needs ≥2 repeats per side' };
  }
  const significant = result.pValue < 1 - confidence;
  const direction = result.geometricMeanRatio < 1 ? 'B faster' : 'B slower';
  return {
    ...counts,
    ...result,
    status: 'compared',
    mark: significanceMark(result.pValue),
    verdict: significant ? direction : 'not significant',
  };
}

/**
 * Compare the records of run A with those of run B, one row per configuration: A's
 * configurations in the order A first ran them, then those only B has, in B's order. Warm-up
 * records never count; failed ones are counted and their first error kept; a configuration with
 * one repeat a side gets its ratio but no interval. `confidence` is the interval's level (0.95).
 */
export function compareRecords(
  aRecords: readonly TransferRecord[],
  bRecords: readonly TransferRecord[],
  confidence = DEFAULT_CONFIDENCE,
): ComparisonRow[] {
  if (!(confidence > 0 && confidence < 1)) throw new Error(`compareRecords: confidence must be between 0 and 1, got ${confidence}`);
  const a = groupByConfiguration(aRecords);
  const b = groupByConfiguration(bRecords);
  const keys = [...a.keys(), ...[...b.keys()].filter((key) => !a.has(key))];
  return keys.map((key) => {
    const first = (a.get(key) ?? b.get(key))![0];
    const configuration: Configuration & { receiverRuntime: Runtime } = {
      runtime: first.runtime,
      receiverRuntime: first.receiverRuntime ?? first.runtime,
      transport: first.transport,
      payload: first.payload,
      codec: first.codec,
      sizeElements: first.sizeElements,
    };
    const { status, ...sides } = compareSides(sideOf(a.get(key)), sideOf(b.get(key)), confidence);
    // The status right after the configuration, as in ComparisonRow: a table of rows reads in that order.
    return { ...configuration, status, ...sides };
  });
}
