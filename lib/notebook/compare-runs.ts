/**
 * Runs side by side, for notebook cells: load every run under a folder (e.g. results contributed
 * from other machines), and compare two runs as rows (the rows of `npm run compare`; see
 * lib/sweep/compare.ts for the test and why).
 */
import fs from 'node:fs';
import path from 'node:path';
import { shownPath } from '../model/paths';
import { UsageError } from '../model/usage-error';
import { type ComparisonRow, compareRecords, DEFAULT_CONFIDENCE } from '../sweep/compare';
import type { ComparedRun } from '../sweep/compare-format';
import { loadResults } from '../sweep/results-files';
import type { Results } from '../sweep/results-format';
import { findRunDirs } from '../sweep/run-dirs';

export type { ComparisonRow } from '../sweep/compare';
export { describeRunLine } from '../sweep/compare-format';

/** One run loaded from disk: its name, where it is, its description and its records. */
export interface LoadedRun extends ComparedRun, Results {
  /** The run's directory relative to the folder it was found in (the folder's own name if it is the run). */
  name: string;
  /** The run's directory as shown to a reader: relative to the repository when inside it. */
  path: string;
}

/** What loadRuns found: the runs it could load, and those it could not, with why. */
export interface RunSet {
  runs: LoadedRun[];
  /** Directories holding a records.json that is not readable results (truncated, another schema …). */
  skipped: { name: string; reason: string }[];
}

/**
 * Every run at or under `folder` (a directory holding records.json, up to three levels down),
 * sorted by path. A run whose records.json cannot be loaded is listed in `skipped` with the
 * reason, so one bad contribution does not hide the others. Throws a UsageError naming the
 * folder when it does not exist or holds no run at all.
 */
export function loadRuns(folder: string): RunSet {
  const root = path.resolve(folder);
  if (!fs.existsSync(root))
    throw new UsageError(`folder ${JSON.stringify(folder)} does not exist: give a folder of runs (e.g. data/results)`);
  const dirs = findRunDirs(root);
  if (dirs.length === 0) {
    throw new UsageError(
      `no runs under ${JSON.stringify(folder)}: a run is a directory holding records.json (e.g. data/results/<run>, written by npm run sweep)`,
    );
  }
  const set: RunSet = { runs: [], skipped: [] };
  for (const dir of dirs) {
    const name = path.relative(root, dir) || path.basename(root);
    try {
      set.runs.push({ ...loadResults(dir), name, path: shownPath(dir) });
    } catch (error) {
      set.skipped.push({ name, reason: (error as Error).message });
    }
  }
  return set;
}

function toRun(run: LoadedRun | string): ComparedRun & Results {
  if (typeof run !== 'string') return run;
  return { ...loadResults(run), name: shownPath(path.resolve(run)) };
}

/**
 * Compare run B with run A (loaded runs, or results directories to load): one row per
 * configuration with both medians, the ratio B/A, the `confidence` interval of the ratio, the
 * p-value of Welch's t-test on log times, a significance mark and a verdict. Give the rows to
 * rowsToFrame/showTable, or to a figure.
 */
export function compareRuns(a: LoadedRun | string, b: LoadedRun | string, confidence = DEFAULT_CONFIDENCE): ComparisonRow[] {
  return compareRecords(toRun(a).records, toRun(b).records, confidence);
}
