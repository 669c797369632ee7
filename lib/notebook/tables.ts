/**
 * Frames as tables a reader sees: HTML (escaped, styled as Jupyter styles pandas tables) and
 * aligned plain text. danfojs has no HTML output; this reads a frame only through dataframe.ts.
 */
import { MISSING, roundSignificant } from '../model/format';
import { type Cell, columnNames, type Frame, frameToRows } from './dataframe';

/** Options of frameToHtml and frameToText. */
export interface TableOptions {
  /** A caption above the table (escaped). */
  caption?: string;
  /** Significant digits of non-integer numbers (default 4). Integers are shown in full. */
  digits?: number;
  /** Header labels for some columns, e.g. `{ sendSeconds: 'send (s)' }`. */
  labels?: Record<string, string>;
  /** Show the row index as a first column (default false). */
  index?: boolean;
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

/**
 * An HTML table of the frame (danfojs has no HTML output). Every header and cell is escaped;
 * the `dataframe` class is the one Jupyter's and nbconvert's stylesheets style for pandas tables.
 */
export function frameToHtml(df: Frame, options: TableOptions = {}): string {
  const digits = options.digits ?? 4;
  const names = columnNames(df);
  const label = (n: string) => escapeHtml(options.labels?.[n] ?? n);
  const rows = frameToRows(df);
  const numeric = names.map((n) => rows.length > 0 && rows.every((r) => r[n] === null || typeof r[n] === 'number'));
  const align = (i: number) => (numeric[i] ? ' style="text-align: right;"' : ' style="text-align: left;"');
  const out: string[] = ['<table border="1" class="dataframe ipc-lab-table">'];
  if (options.caption) out.push(`<caption>${escapeHtml(options.caption)}</caption>`);
  const head = names.map((n, i) => `<th${align(i)}>${label(n)}</th>`).join('');
  out.push(`<thead><tr>${options.index ? '<th></th>' : ''}${head}</tr></thead>`);
  out.push('<tbody>');
  rows.forEach((row, r) => {
    const cells = names.map((n, i) => `<td${align(i)}>${escapeHtml(formatCell(row[n], digits))}</td>`).join('');
    out.push(`<tr>${options.index ? `<th>${r}</th>` : ''}${cells}</tr>`);
  });
  out.push('</tbody>', '</table>');
  return out.join('\n');
}

/** The same table as aligned plain text (for `text/plain` and terminals). */
export function frameToText(df: Frame, options: TableOptions = {}): string {
  const digits = options.digits ?? 4;
  const names = columnNames(df);
  const header = names.map((n) => options.labels?.[n] ?? n);
  const body = frameToRows(df).map((row) => names.map((n) => formatCell(row[n], digits)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  return (options.caption ? [options.caption, ...lines] : lines).join('\n');
}
