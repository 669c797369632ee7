/**
 * Records as DataFrames. The ONLY module that imports
 * danfojs-node: notebooks and other modules use the functions below and the opaque `Frame` type,
 * never danfojs methods, so the dataframe library can be swapped (arquero, say) by rewriting this
 * file alone. danfojs has had no release since 2025-04 and has sharp edges worked around here:
 * its groupby treats null as 0 in `mean`/`sum` and throws on null in `median`, and it has no HTML
 * output and no pivot.
 */
import * as dfd from 'danfojs-node';
import { unique } from '../model/lists';
import { RECORD_FIELDS } from '../model/record';
import type { TransferRecord } from '../model/types';
import { type GroupStat, groupStatistics } from '../sweep/stats';
import { type Cell, toCell } from './tables';

/** A table of named columns. Opaque outside this module: use the functions here to read it. */
export type Frame = dfd.DataFrame;

/** One row as a plain object, column name → cell. */
export type Row = Record<string, Cell>;

/** The columns of a record frame: the record's fields, in their one fixed order. */
export const RECORD_COLUMNS: readonly (keyof TransferRecord)[] = RECORD_FIELDS;

/**
 * A frame from plain objects. `columns` fixes which columns and in what order (default: the keys
 * of the first row, then any new key of later rows). Arrays become comma-separated text.
 * Works for zero rows when `columns` is given.
 */
export function rowsToFrame(rows: readonly object[], columns?: readonly string[]): Frame {
  const names = columns ? [...columns] : [];
  if (!columns) {
    for (const row of rows) for (const key of Object.keys(row)) if (!names.includes(key)) names.push(key);
  }
  // Column-wise construction keeps each column's values as given (null stays null) and allows
  // an empty frame with named columns, which the row-wise constructor cannot make.
  if (rows.length === 0) return new dfd.DataFrame([], { columns: names });
  const data: Record<string, Cell[]> = {};
  for (const name of names) data[name] = rows.map((row) => toCell((row as Record<string, unknown>)[name]));
  return new dfd.DataFrame(data, { columns: names });
}

/**
 * One row per TransferRecord, columns in TransferRecord's order. Warm-up runs are left out
 * unless `includeWarmup`; failed runs are kept (their `ok` is false and their times mostly
 * null) unless `okOnly`.
 */
export function recordsToFrame(records: readonly TransferRecord[], options: { includeWarmup?: boolean; okOnly?: boolean } = {}): Frame {
  const kept = records.filter((r) => (options.includeWarmup || !r.warmup) && (!options.okOnly || r.ok));
  return rowsToFrame(kept, RECORD_COLUMNS as readonly string[]);
}

/** Whether a value is a Frame made by this module. */
export function isFrame(value: unknown): value is Frame {
  return value instanceof dfd.DataFrame;
}

/** The column names, in order. */
export function columnNames(df: Frame): string[] {
  return [...df.columns];
}

/** The number of rows. */
export function rowCount(df: Frame): number {
  return df.shape[0];
}

/** Every row as a plain object; missing values (NaN, undefined) come back as null. */
export function frameToRows(df: Frame): Row[] {
  const names = columnNames(df);
  if (rowCount(df) === 0) return [];
  return (df.values as unknown[][]).map((cells) => Object.fromEntries(names.map((n, i) => [n, toCell(cells[i])])));
}

/** One column's cells, top to bottom. */
export function column(df: Frame, name: string): Cell[] {
  if (!df.columns.includes(name)) throw new Error(`no column ${JSON.stringify(name)}; the frame has ${df.columns.join(', ')}`);
  return frameToRows(df).map((row) => row[name]);
}

/** One column as numbers, anything that is not a finite number as null: ready for a figure. */
export function numberColumn(df: Frame, name: string): (number | null)[] {
  return column(df, name).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
}

/** The rows for which `keep(row)` is true, in order. */
export function filterRows(df: Frame, keep: (row: Row) => boolean): Frame {
  const mask = frameToRows(df).map(keep);
  if (!mask.some(Boolean)) return rowsToFrame([], columnNames(df));
  return reindex(df.loc({ rows: mask }));
}

/** Some columns, in the order given, optionally renamed (`{ old: 'new' }`). */
export function selectColumns(df: Frame, columns: readonly string[], rename: Record<string, string> = {}): Frame {
  for (const c of columns)
    if (!df.columns.includes(c)) throw new Error(`no column ${JSON.stringify(c)}; the frame has ${df.columns.join(', ')}`);
  const rows = frameToRows(df).map((row) => Object.fromEntries(columns.map((c) => [rename[c] ?? c, row[c]])));
  return rowsToFrame(
    rows,
    columns.map((c) => rename[c] ?? c),
  );
}

/** A frame whose index is 0 … n−1 again (danfojs keeps the old labels after a filter). */
function reindex(df: Frame): Frame {
  return rowsToFrame(frameToRows(df), columnNames(df));
}

/**
 * Sort rows by the given key columns: numbers ascending, other values in the order they first
 * appear in the frame (so transports keep the sweep's, i.e. the catalog's, order).
 */
export function sortByKeys(df: Frame, keys: readonly string[]): Frame {
  const rows = frameToRows(df);
  const firstSeen = keys.map((key) => {
    const seen = new Map<Cell, number>();
    for (const row of rows) if (!seen.has(row[key])) seen.set(row[key], seen.size);
    return seen;
  });
  const rank = (row: Row, k: number): number => {
    const v = row[keys[k]];
    return typeof v === 'number' ? v : (firstSeen[k].get(v) ?? 0);
  };
  const sorted = rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      for (let k = 0; k < keys.length; k++) {
        const d = rank(a.row, k) - rank(b.row, k);
        if (d !== 0) return d;
      }
      return a.i - b.i;
    })
    .map((x) => x.row);
  return rowsToFrame(sorted, columnNames(df));
}

/**
 * Group by the `by` columns and compute `stats` of each `values` column: one row per group, columns
 * `by…` then `<value>_<stat>` (e.g. `totalSeconds_median`). The numbers come from the pure
 * statistics module (groupStatistics in lib/sweep/stats.ts), the same path as the CLI's summary;
 * this only turns them into a frame. Missing values are left out of each value's statistics
 * (`count` counts the present ones); a group with none gets null. Rows are sorted by the keys
 * (see sortByKeys).
 */
export function summarizeFrame(df: Frame, spec: { by: readonly string[]; values: readonly string[]; stats: readonly GroupStat[] }): Frame {
  const { by, values, stats } = spec;
  for (const c of [...by, ...values]) {
    if (!df.columns.includes(c)) throw new Error(`summarizeFrame: no column ${JSON.stringify(c)}; the frame has ${df.columns.join(', ')}`);
  }
  const outColumns = [...by, ...values.flatMap((v) => stats.map((s) => `${v}_${s}`))];
  if (rowCount(df) === 0) return rowsToFrame([], outColumns);
  return sortByKeys(rowsToFrame(groupStatistics(frameToRows(df), spec), outColumns), by);
}

/**
 * Spread one column into many: one row per distinct `index` value, one column per distinct
 * `columns` value (named by String(value)), cells from `values`. Each (index, column) pair must
 * occur at most once — summarizeFrame first if there are repeats. Missing pairs are null.
 */
export function pivot(df: Frame, spec: { index: string; columns: string; values: string }): Frame {
  const { index, columns, values } = spec;
  for (const c of [index, columns, values]) {
    if (!df.columns.includes(c)) throw new Error(`pivot: no column ${JSON.stringify(c)}; the frame has ${df.columns.join(', ')}`);
  }
  const rows = frameToRows(df);
  const seen = new Set<string>();
  for (const row of rows) {
    const key = JSON.stringify([row[index], row[columns]]);
    if (seen.has(key)) {
      throw new Error(`pivot: ${index}=${row[index]}, ${columns}=${row[columns]} occurs more than once; summarizeFrame first`);
    }
    seen.add(key);
  }
  let result = uniqueRows(df, [index]);
  const names: string[] = [index];
  for (const value of unique(column(df, columns))) {
    const name = String(value);
    names.push(name);
    const slice = filterRows(selectColumns(df, [index, columns, values]), (row) => row[columns] === value);
    const renamed = selectColumns(slice, [index, values], { [values]: name });
    result = dfd.merge({ left: result, right: renamed, on: [index], how: 'left' }) as Frame;
  }
  const out = frameToRows(result).map((row) => Object.fromEntries(names.map((n) => [n, row[n] ?? null])));
  return sortByKeys(rowsToFrame(out, names), [index]);
}

/** The distinct combinations of some columns, in order of first appearance. */
function uniqueRows(df: Frame, names: readonly string[]): Frame {
  const seen = new Map<string, Row>();
  for (const row of frameToRows(df)) {
    const key = JSON.stringify(names.map((n) => row[n]));
    if (!seen.has(key)) seen.set(key, Object.fromEntries(names.map((n) => [n, row[n]])));
  }
  return rowsToFrame([...seen.values()], names);
}

/**
 * One series per distinct value of `group` (in order of first appearance), with x and y from two
 * columns, sorted by x: what lineFigure takes. Missing y values stay null (a gap in the line).
 */
export function seriesFrom(
  df: Frame,
  spec: { group: string; x: string; y: string },
): { name: string; x: number[]; y: (number | null)[] }[] {
  const rows = frameToRows(df);
  const names = unique(rows.map((r) => r[spec.group]));
  return names.map((name) => {
    const points = rows
      .filter((r) => r[spec.group] === name && typeof r[spec.x] === 'number')
      .sort((a, b) => (a[spec.x] as number) - (b[spec.x] as number));
    return {
      name: String(name),
      x: points.map((r) => r[spec.x] as number),
      y: points.map((r) => (typeof r[spec.y] === 'number' ? (r[spec.y] as number) : null)),
    };
  });
}
