/**
 * Statistics as one pure module: numbers in, numbers out, nothing printed. The summary, the CLI
 * and the notebooks all read their medians and spreads from here, so they agree by construction.
 */

/** The summary of a list of samples. Every value is in the unit of the samples given. */
export interface Statistics {
  /** How many samples. */
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  /** Sample standard deviation (divides by n − 1); 0 when there is a single sample. */
  sd: number;
  /** 25th percentile, linear interpolation between closest ranks (numpy's default method). */
  p25: number;
  /** 75th percentile, same method as p25. */
  p75: number;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of values already sorted ascending, interpolating linearly between
 * the two closest ranks: position h = (n − 1)·q, result x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * This is numpy.percentile's default ('linear'), so the notebooks match what Python users expect.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantileSorted: no values');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantileSorted: q must be between 0 and 1, got ${q}`);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const fraction = position - lower;
  return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
}

/**
 * n, min, max, mean, median, sample sd, p25 and p75 of `values`. Throws on an empty list or on a
 * value that is not a finite number (NaN, ±Infinity): such a value means a measurement went wrong
 * upstream, and a silent NaN median would hide it.
 */
export function computeStatistics(values: readonly number[]): Statistics {
  if (values.length === 0) {
    throw new Error('computeStatistics: no values (need at least one sample)');
  }
  values.forEach((value, index) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`computeStatistics: value ${index} is ${String(value)}, not a finite number`);
    }
  });
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  const squares = sorted.reduce((sum, v) => sum + (v - mean) * (v - mean), 0);
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  return {
    n,
    min: sorted[0],
    max: sorted[n - 1],
    mean,
    median: quantileSorted(sorted, 0.5),
    sd,
    p25: quantileSorted(sorted, 0.25),
    p75: quantileSorted(sorted, 0.75),
  };
}

/** The median of `values` (same checks as computeStatistics). */
export function median(values: readonly number[]): number {
  return computeStatistics(values).median;
}

/**
 * Throughput in MB/s, with MB = 10^6 bytes (as disk and network rates are quoted). Null when the
 * time is unknown or not positive, or the byte count unknown: a rate from a zero time is not a rate.
 */
export function throughputMBps(bytes: number | null, seconds: number | null): number | null {
  if (bytes === null || seconds === null) return null;
  if (!Number.isFinite(bytes) || !Number.isFinite(seconds) || seconds <= 0) return null;
  return bytes / seconds / 1e6;
}

/** The statistics groupStatistics can compute per group. */
export type GroupStat = 'median' | 'mean' | 'min' | 'max' | 'count' | 'sum' | 'p25' | 'p75';

/** One statistic of the present (finite) values; null when there are none (count included). */
export function statisticOf(values: readonly number[], stat: GroupStat): number | null {
  if (values.length === 0) return null;
  if (stat === 'count') return values.length;
  if (stat === 'sum') return values.reduce((sum, v) => sum + v, 0);
  return computeStatistics(values)[stat];
}

/**
 * Group plain rows by the `by` fields and compute `stats` of each `values` field: one row per
 * group, in order of first appearance, with fields `by…` then `<value>_<stat>` (e.g.
 * `totalSeconds_median`). Values that are not finite numbers (null, missing) are left out of
 * their field's statistics, so a group with none gets null (count too). The notebooks' tables
 * and figures take their medians and quartiles from here, as the CLI's summary does.
 */
export function groupStatistics(
  rows: readonly Record<string, unknown>[],
  spec: { by: readonly string[]; values: readonly string[]; stats: readonly GroupStat[] },
): Record<string, string | number | boolean | null>[] {
  const groups = new Map<string, { keys: Record<string, unknown>; members: Record<string, unknown>[] }>();
  for (const row of rows) {
    const key = JSON.stringify(spec.by.map((field) => row[field] ?? null));
    let group = groups.get(key);
    if (!group) {
      group = { keys: Object.fromEntries(spec.by.map((field) => [field, row[field] ?? null])), members: [] };
      groups.set(key, group);
    }
    group.members.push(row);
  }
  return [...groups.values()].map(({ keys, members }) => {
    const out: Record<string, string | number | boolean | null> = { ...(keys as Record<string, string | number | boolean | null>) };
    for (const field of spec.values) {
      const present = members.map((m) => m[field]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      for (const stat of spec.stats) out[`${field}_${stat}`] = statisticOf(present, stat);
    }
    return out;
  });
}

/**
 * How much repeated samples disagreed: (max − min) ÷ median, null with fewer than 2 samples or a
 * median that is not positive. Tables show half of it as ±%.
 */
export function spreadOf(samples: readonly number[] | undefined): number | null {
  if (!samples || samples.length < 2) return null;
  const middle = median(samples);
  return middle > 0 ? (Math.max(...samples) - Math.min(...samples)) / middle : null;
}
