/**
 * Many runs side by side (notebook 14) as data: every run under a folder — this machine's, or
 * results contributed from other machines — loaded; their median totals side by side
 * (configuration × run); the pair to compare by default, and two runs compared as rows (the rows
 * of `npm run compare`; see lib/sweep/compare.ts for the test and why).
 */
import fs from 'node:fs';
import path from 'node:path';
import { shownPath } from '../model/paths';
import { transportLabel } from '../model/record';
import type { TransferRecord } from '../model/types';
import { UsageError } from '../model/usage-error';
import { type ComparisonRow, compareRecords } from '../sweep/compare';
import type { ComparedRun } from '../sweep/compare-format';
import { loadResults } from '../sweep/results-files';
import type { Results } from '../sweep/results-format';
import { findRunDirs } from '../sweep/run-dirs';
import { median } from '../sweep/stats';
import { groupByConfiguration } from '../sweep/summary';

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

/** Compare run B with run A: per configuration both medians, the ratio B/A with its 95 % interval, Welch's p on log times, a mark and a verdict. */
export function compareRuns(a: LoadedRun, b: LoadedRun): ComparisonRow[] {
  return compareRecords(a.records, b.records);
}

/** One configuration's median total in each run, in the order of the runs (null where a run did not measure it). */
export interface SideBySideRow extends Pick<TransferRecord, 'runtime' | 'payload' | 'sizeElements' | 'pattern' | 'messageBytes'> {
  /** The transport's label: `pipe`, or `pipe/raw` for another codec than its analog. */
  label: string;
  medianSeconds: (number | null)[];
  /** How many runs have it. */
  runCount: number;
}

/** The ok measured totals of a run, per configuration (configurationKey), with the first record naming it. */
function totalsOf(run: LoadedRun): Map<string, { record: TransferRecord; totals: number[] }> {
  const groups = groupByConfiguration(run.records.filter((r) => r.ok && !r.warmup && r.totalSeconds !== null));
  return new Map([...groups].map(([key, group]) => [key, { record: group[0], totals: group.map((r) => r.totalSeconds as number) }]));
}

/** Configuration × run: every configuration at least `only` runs measured (default 1: all), in the order runs first name them. */
export function sideBySide(runs: readonly LoadedRun[], only = 1): SideBySideRow[] {
  const totals = runs.map(totalsOf);
  const named = new Map<string, TransferRecord>();
  for (const t of totals) for (const [key, { record }] of t) if (!named.has(key)) named.set(key, record);
  return [...named]
    .map(([key, r]) => {
      const medianSeconds = totals.map((t) => (t.has(key) ? median(t.get(key)!.totals) : null));
      const runCount = medianSeconds.filter((s) => s !== null).length;
      const { runtime, payload, sizeElements, pattern, messageBytes } = r;
      return { runtime, label: transportLabel(r), payload, sizeElements, pattern, messageBytes, medianSeconds, runCount };
    })
    .filter((row) => row.runCount >= only);
}

/**
 * The two runs to compare by default: of the pairs that share the most configurations measured
 * at least twice in each, the most recent (by the runs' dates), older first; null when no pair shares one.
 */
export function defaultPair(runs: readonly LoadedRun[]): [LoadedRun, LoadedRun] | null {
  const sets = runs.map((run) => new Set([...totalsOf(run)].filter(([, { totals }]) => totals.length >= 2).map(([key]) => key)));
  let best: { pair: [LoadedRun, LoadedRun]; shared: number; date: string } | null = null;
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const shared = [...sets[i]].filter((key) => sets[j].has(key)).length;
      if (shared === 0) continue;
      const [a, b] = runs[i].description.date <= runs[j].description.date ? [runs[i], runs[j]] : [runs[j], runs[i]];
      const date = b.description.date;
      if (!best || shared > best.shared || (shared === best.shared && date > best.date)) best = { pair: [a, b], shared, date };
    }
  }
  return best?.pair ?? null;
}
