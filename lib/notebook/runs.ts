/**
 * The tables and figure of the runs notebook (14): configuration × run medians, what each run ran
 * on, the runs' shared configurations as bars, and two runs compared. The rows come from
 * lib/findings/runs.ts.
 */
import { compareRuns, type LoadedRun, sideBySide } from '../findings/runs';
import { formatBytes, formatSize, MISSING, roundSignificant } from '../model/format';
import { configurationName, describeRunLine } from '../sweep/compare-format';
import { type FigureSpec, groupedBarFigure } from './figures';

/** The side-by-side rows as a table: the configuration, then one column of median total seconds per run. */
export function runsSideBySide(runs: readonly LoadedRun[], only = 1): Record<string, string | number | null>[] {
  return sideBySide(runs, only).map((row) => ({
    configuration: `${row.runtime} ${row.label} ${row.payload} ${formatSize(row.sizeElements)}${
      row.pattern === 'transfer' ? '' : ` ${row.pattern} of ${formatBytes(row.messageBytes)}`
    }`,
    ...Object.fromEntries(runs.map((run, i) => [run.name, row.medianSeconds[i]])),
  }));
}

/** One line per run: its name and what it ran on. */
export function runDescriptions(runs: readonly LoadedRun[]): Record<string, string | number>[] {
  return runs.map((run) => ({ run: run.name, transfers: run.records.length, 'what it ran on': describeRunLine(run.description) }));
}

/**
 * Grouped bars of the configurations every run shares at the largest size they share: one bar
 * per run, log axis (runs from different machines can differ by many times).
 */
export function runsFigure(runs: readonly LoadedRun[]): FigureSpec {
  const shared = sideBySide(runs, runs.length);
  const top = Math.max(0, ...shared.map((r) => r.sizeElements));
  const at = shared.filter((r) => r.sizeElements === top);
  return groupedBarFigure({
    title:
      at.length === 0
        ? 'The runs share no configuration'
        : `Median total of the configurations all ${runs.length} runs share, at ${formatSize(top)} elements (log scale)`,
    categories: at.map((r) => `${r.runtime} ${r.label} ${r.payload}`),
    xTitle: 'runtime · transport · payload',
    yTitle: 'median total time (s)',
    logY: true,
    showValues: false,
    series: runs.map((run, i) => ({ name: run.name, values: at.map((r) => r.medianSeconds[i]) })),
  });
}

/** A comparison's rows as a table: configuration, medians, B/A, interval, p and verdict; shared configurations only. */
export function comparisonTableRows(a: LoadedRun, b: LoadedRun): Record<string, string | number | null>[] {
  return compareRuns(a, b)
    .filter((row) => row.status === 'compared' || row.status === 'too-few')
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
