/**
 * Records and rows as danfojs DataFrames, for a reader who wants to explore them (groupby, query,
 * print) or to group and pivot them here; the notebooks' tables are shown from typed rows. The ONLY
 * module that imports danfojs-node, so it can be swapped by rewriting this file alone: danfojs has
 * had no release since 2025-04, treats null as 0 in a groupby's mean and sum, throws on null in its
 * median, and has no pivot — summarizeFrame and pivot work on the rows.
 */
import * as dfd from 'danfojs-node';
import { unique } from '../model/lists';
import { RECORD_FIELDS } from '../model/record';
import type { TransferRecord } from '../model/types';
import { type GroupStat, groupStatistics } from '../sweep/stats';
import { type Cell, columnsOf, toCell } from './tables';

/** A table of named columns: a danfojs DataFrame. */
export type Frame = dfd.DataFrame;

/** One row as a plain object, column name → cell. */
export type Row = Record<string, Cell>;

/**
 * A frame from plain objects. `columns` fixes which columns and in what order (default: the
 * fields of the rows, in order of first appearance). Arrays become comma-separated text, undefined
 * and NaN null. Works for zero rows when `columns` is given.
 */
export function rowsToFrame(rows: readonly object[], columns?: readonly string[]): Frame {
  const names = columnsOf(rows, columns);
  // Column-wise construction keeps each column's values as given (null stays null) and allows
  // an empty frame with named columns, which the row-wise constructor cannot make.
  if (rows.length === 0) return new dfd.DataFrame([], { columns: names });
  const data = Object.fromEntries(names.map((name) => [name, rows.map((row) => toCell((row as Record<string, unknown>)[name]))]));
  return new dfd.DataFrame(data, { columns: names });
}

/**
 * One row per TransferRecord, columns in TransferRecord's order. Warm-up runs are left out
 * unless `includeWarmup`; failed runs are kept (their `ok` is false and their times mostly null)
 * unless `okOnly`.
 */
export function recordsToFrame(records: readonly TransferRecord[], options: { includeWarmup?: boolean; okOnly?: boolean } = {}): Frame {
  const kept = records.filter((r) => (options.includeWarmup || !r.warmup) && (!options.okOnly || r.ok));
  return rowsToFrame(kept, RECORD_FIELDS);
}

/** Whether a value is a danfojs DataFrame. */
export function isFrame(value: unknown): value is Frame {
  return value instanceof dfd.DataFrame;
}

/** Every row as a plain object; missing values (NaN, undefined) come back as null. */
export function frameToRows(df: Frame): Row[] {
  const names = [...df.columns];
  if (df.shape[0] === 0) return [];
  return (df.values as unknown[][]).map((cells) => Object.fromEntries(names.map((n, i) => [n, toCell(cells[i])])));
}

function checkColumns(df: Frame, wanted: readonly string[], what: string): void {
  for (const c of wanted) {
    if (!df.columns.includes(c)) throw new Error(`${what}: no column ${JSON.stringify(c)}; the frame has ${df.columns.join(', ')}`);
  }
}

/** Rows sorted by the key columns: numbers ascending, other values in the order they first appear (the sweep's, i.e. the catalog's). */
function sortByKeys(rows: readonly Row[], keys: readonly string[]): Row[] {
  const rankOf = keys.map((key) => {
    const seen = unique(rows.map((row) => row[key]));
    return (v: Cell) => (typeof v === 'number' ? v : seen.indexOf(v));
  });
  // Array.prototype.sort is stable: rows with equal keys keep their order.
  return [...rows].sort((a, b) => {
    for (const [k, key] of keys.entries()) {
      const d = rankOf[k](a[key]) - rankOf[k](b[key]);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/**
 * Group by the `by` columns and compute `stats` of each `values` column: one row per group,
 * columns `by…` then `<value>_<stat>` (e.g. `totalSeconds_median`), from the pure statistics
 * module (groupStatistics in lib/sweep/stats.ts), the same path as the CLI's summary. Missing
 * values are left out of each value's statistics (`count` counts the present ones); a group with
 * none gets null. Rows are sorted by the keys.
 */
export function summarizeFrame(df: Frame, spec: { by: readonly string[]; values: readonly string[]; stats: readonly GroupStat[] }): Frame {
  checkColumns(df, [...spec.by, ...spec.values], 'summarizeFrame');
  const columns = [...spec.by, ...spec.values.flatMap((v) => spec.stats.map((s) => `${v}_${s}`))];
  return rowsToFrame(sortByKeys(groupStatistics(frameToRows(df), spec), spec.by), columns);
}

/**
 * Spread one column into many: one row per distinct `index` value (sorted), one column per
 * distinct `columns` value (named by String(value)), cells from `values`. Each (index, column)
 * pair must occur at most once — summarizeFrame first if there are repeats. Missing pairs are null.
 */
export function pivot(df: Frame, spec: { index: string; columns: string; values: string }): Frame {
  const { index, columns, values } = spec;
  checkColumns(df, [index, columns, values], 'pivot');
  const names = [index];
  const byIndex = new Map<Cell, Row>();
  for (const row of frameToRows(df)) {
    const name = String(row[columns]);
    if (!names.includes(name)) names.push(name);
    const out = byIndex.get(row[index]) ?? { [index]: row[index] };
    if (name in out)
      throw new Error(`pivot: ${index}=${row[index]}, ${columns}=${row[columns]} occurs more than once; summarizeFrame first`);
    out[name] = row[values];
    byIndex.set(row[index], out);
  }
  return rowsToFrame(sortByKeys([...byIndex.values()], [index]), names);
}
