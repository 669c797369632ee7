/**
 * Typed rows as tables a reader sees: HTML (escaped, styled as Jupyter styles pandas tables) and
 * aligned plain text. Rows stay rows until here: each field of a row is a column, its value a cell.
 */
import { MISSING, roundSignificant } from '../model/format';
import { unique } from '../model/lists';

/** What one cell holds. A missing value is `null`. */
export type Cell = string | number | boolean | null;

/** How tableHtml and tableText lay a table out. */
export interface TableOptions {
  /** A caption above the table (escaped). */
  caption?: string;
  /** Significant digits of non-integer numbers (default 4). Integers are shown in full. */
  digits?: number;
  /** Header labels for some columns, e.g. `{ sendSeconds: 'send (s)' }`. */
  labels?: Record<string, string>;
  /** Which columns, in what order (default: the rows' fields, in order of first appearance). */
  columns?: readonly string[];
}

/** A field's value as a cell: undefined and NaN are missing, an array is comma-separated text. */
export function toCell(value: unknown): Cell {
  if (value === undefined || value === null || (typeof value === 'number' && Number.isNaN(value))) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** A cell as text: missing → MISSING, integers in full, other finite numbers to `digits` significant digits. */
export function formatCell(value: Cell, digits = 4): string {
  if (value === null) return MISSING;
  if (typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)) return String(roundSignificant(value, digits));
  return String(value);
}

/** Escape text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The given columns, or the rows' fields in order of first appearance. */
export function columnsOf(rows: readonly object[], columns?: readonly string[]): string[] {
  return columns ? [...columns] : unique(rows.flatMap((row) => Object.keys(row)));
}

/** The table's columns, header labels and cells (as values), from its rows. */
function layOut(rows: readonly object[], options: TableOptions): { names: string[]; header: string[]; cells: Cell[][] } {
  const names = columnsOf(rows, options.columns);
  const cells = rows.map((row) => names.map((n) => toCell((row as Record<string, unknown>)[n])));
  return { names, header: names.map((n) => options.labels?.[n] ?? n), cells };
}

/**
 * An HTML table of the rows. Every header and cell is escaped; numbers are right-aligned; the
 * `dataframe` class is the one Jupyter's and nbconvert's stylesheets style for pandas tables.
 */
export function tableHtml(rows: readonly object[], options: TableOptions = {}): string {
  const { names, header, cells } = layOut(rows, options);
  const numeric = names.map((_, i) => cells.length > 0 && cells.every((row) => row[i] === null || typeof row[i] === 'number'));
  const td = (tag: string, i: number, text: string) =>
    `<${tag} style="text-align: ${numeric[i] ? 'right' : 'left'};">${escapeHtml(text)}</${tag}>`;
  return [
    '<table border="1" class="dataframe ipc-lab-table">',
    ...(options.caption ? [`<caption>${escapeHtml(options.caption)}</caption>`] : []),
    `<thead><tr>${header.map((h, i) => td('th', i, h)).join('')}</tr></thead>`,
    '<tbody>',
    ...cells.map((row) => `<tr>${row.map((c, i) => td('td', i, formatCell(c, options.digits))).join('')}</tr>`),
    '</tbody>',
    '</table>',
  ].join('\n');
}

/** The same table as aligned plain text (for `text/plain` and terminals). */
export function tableText(rows: readonly object[], options: TableOptions = {}): string {
  const { header, cells } = layOut(rows, options);
  const body = cells.map((row) => row.map((c) => formatCell(c, options.digits)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i].length)));
  const line = (texts: string[]) =>
    texts
      .map((t, i) => t.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  return (options.caption ? [options.caption, ...lines] : lines).join('\n');
}
