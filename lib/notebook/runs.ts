/**
 * Many runs side by side (notebook 14): every run under a folder — this machine's, or results
 * contributed from other machines — as one table of median totals (configuration × run) with each
 * run's description, a figure of the largest size they share, and the pair of runs a reader most
 * likely wants compared with its confidence intervals.
 */
import { formatSize, MISSING, roundSignificant } from '../model/format';
import { transportLabel } from '../model/record';
import type { TransferRecord } from '../model/types';
import { type ComparisonRow, compareRecords } from '../sweep/compare';
import { configurationName, describeRunLine } from '../sweep/compare-format';
import { median } from '../sweep/stats';
import type { LoadedRun } from './compare-runs';
import { type FigureSpec, groupedBarFigure } from './figures';

/** A configuration as the side-by-side table names it: "node pipe/raw int32 1e8". */
function rowName(r: TransferRecord): string {
  return `${r.runtime} ${transportLabel(r)} ${r.payload} ${formatSize(r.sizeElements)}`;
}

/** The medians of the ok measured totals of a run, per configuration name, in the run's order. */
function mediansOf(run: LoadedRun): Map<string, { record: TransferRecord; seconds: number }> {
  const samples = new Map<string, { record: TransferRecord; totals: number[] }>();
  for (const r of run.records) {
    if (!r.ok || r.warmup || r.totalSeconds === null) continue;
    const entry = samples.get(rowName(r)) ?? { record: r, totals: [] };
    entry.totals.push(r.totalSeconds);
    samples.set(rowName(r), entry);
  }
  return new Map([...samples].map(([name, { record, totals }]) => [name, { record, seconds: median(totals) }]));
}

/** One line per run: its name and what it ran on. */
export function runDescriptions(runs: readonly LoadedRun[]): Record<string, string | number>[] {
  return runs.map((run) => ({ run: run.name, transfers: run.records.length, 'what it ran on': describeRunLine(run.description) }));
}

/**
 * Configuration × run: the median total in seconds of each configuration in each run that has
 * it (empty where a run did not measure it). `only` keeps the configurations at least that many
 * runs share (default 1: all).
 */
export function runsSideBySide(runs: readonly LoadedRun[], only = 1): Record<string, string | number | null>[] {
  const medians = runs.map(mediansOf);
  const names = [...new Set(medians.flatMap((m) => [...m.keys()]))];
  return names
    .filter((name) => medians.filter((m) => m.has(name)).length >= only)
    .map((name) => ({
      configuration: name,
      ...Object.fromEntries(runs.map((run, i) => [run.name, medians[i].get(name)?.seconds ?? null])),
    }));
}

/**
 * Grouped bars of the configurations every run shares at the largest size they share: one bar
 * per run, log axis (runs from different machines can differ by many times).
 */
export function runsFigure(runs: readonly LoadedRun[]): FigureSpec {
  const rows = runsSideBySide(runs, runs.length);
  const sizeOf = (name: string) => Number(name.split(' ').pop());
  const top = rows.length === 0 ? 0 : Math.max(...rows.map((r) => sizeOf(String(r.configuration))));
  const at = rows.filter((r) => sizeOf(String(r.configuration)) === top);
  return groupedBarFigure({
    title:
      at.length === 0
        ? 'The runs share no configuration'
        : `Median total of the configurations all ${runs.length} runs share, at ${formatSize(top)} elements (log scale)`,
    categories: at.map((r) => String(r.configuration).replace(/ \S+$/, '')),
    xTitle: 'runtime · transport · payload',
    yTitle: 'median total time (s)',
    logY: true,
    showValues: false,
    series: runs.map((run) => ({
      name: run.name,
      values: at.map((r) => (typeof r[run.name] === 'number' ? (r[run.name] as number) : null)),
    })),
  });
}

/**
 * The two runs to compare by default: of the pairs that share the most configurations measured
 * at least twice in each, the most recent (by the runs' dates); null when no pair shares one.
 */
export function defaultPair(runs: readonly LoadedRun[]): [LoadedRun, LoadedRun] | null {
  const repeated = (run: LoadedRun) => {
    const counts = new Map<string, number>();
    for (const r of run.records) if (r.ok && !r.warmup) counts.set(rowName(r), (counts.get(rowName(r)) ?? 0) + 1);
    return new Set([...counts].filter(([, n]) => n >= 2).map(([name]) => name));
  };
  const sets = runs.map(repeated);
  let best: { pair: [LoadedRun, LoadedRun]; shared: number; date: string } | null = null;
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const shared = [...sets[i]].filter((name) => sets[j].has(name)).length;
      if (shared === 0) continue;
      const [a, b] = runs[i].description.date <= runs[j].description.date ? [runs[i], runs[j]] : [runs[j], runs[i]];
      const date = b.description.date;
      if (!best || shared > best.shared || (shared === best.shared && date > best.date)) best = { pair: [a, b], shared, date };
    }
  }
  return best?.pair ?? null;
}

/** A comparison's rows as a table: configuration, medians, B/A, interval, p and verdict; shared configurations only. */
export function comparisonTableRows(a: LoadedRun, b: LoadedRun): Record<string, string | number | null>[] {
  return compareRecords(a.records, b.records)
    .filter((row: ComparisonRow) => row.status === 'compared' || row.status === 'too-few')
    .map((row) => ({
      configuration: configurationName(row),
      'A median s': roundSignificant(row.medianASeconds),
      'B median s': roundSignificant(row.medianBSeconds),
      'B/A': roundSignificant(row.ratio),
      '95% CI': row.ciLow === null || row.ciHigh === null ? MISSING : `${row.ciLow.toFixed(2)}–${row.ciHigh.toFixed(2)}`,
      p: roundSignificant(row.pValue, 2),
      verdict: row.verdict,
    }));
}
