/**
 * The article's published timings (data/article/*.csv) as typed rows, so notebooks can set them
 * beside our measurements. The numbers are the article author's (Python 3.7, machine unknown);
 * see data/article/README.md for what each column means and where the figures come from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNumberText } from '../model/checks';
import { ARTICLE_DATA_DIR } from '../model/paths';

/** How every table and figure that shows these numbers cites them. */
export const ARTICLE_CITATION =
  'Published figures of "I measured various methods of interprocess communication in multiprocessing of python3" (Python 3.7, machine unknown)';

/** One row of the article's result summary: one method at 10^8 elements. */
export interface ArticleSummaryRow {
  /** The article's name for the method, e.g. `RawArray` (matches `articleMethod` in the catalog, lib/model/cpython-transports.ts). */
  method: string;
  /** Our CPython reproduction's transport id in lib/model/cpython-transports.ts, e.g. `raw-array`, `tcp`. */
  transport: string;
  sizeElements: number;
  sendSeconds: number;
  recvSeconds: number;
  /** What the send time includes, e.g. `including numpy`; empty when nothing is said. */
  sendNote: string;
  recvNote: string;
  dataConstraint: string;
  /** Whether the receiver needs a separate completion flag ("separate write management"). */
  needsFlag: boolean;
  /** The article's remark in our words; empty where it has none. */
  remarks: string;
}

/** The phases the article's logs print separately. */
export const ARTICLE_PHASES = ['encode', 'send', 'recv', 'decode'] as const;
export type ArticlePhase = (typeof ARTICLE_PHASES)[number];

/** One logged phase of one method at 10^8 elements, at the precision the article printed it. */
export interface ArticlePhaseRow {
  method: string;
  transport: string;
  phase: ArticlePhase;
  seconds: number;
  /** The label of the log line in the article, e.g. `cast numpy time`. */
  articleLabel: string;
}

/** One size of the article's Pipe sweep. A printed `0.0` means below the article's rounding. */
export interface ArticlePipeSweepRow {
  sizeElements: number;
  sendSeconds: number;
  recvSeconds: number;
}

/** Parse CSV text (RFC 4180: quoted fields, doubled quotes, commas and newlines inside quotes). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  // One field — quoted (a quote inside doubled) or bare — and what ends it: a comma, a line break or the end.
  const field = /(?:"((?:[^"]|"")*)"|([^",\r\n]*))(,|\r\n|\n|\r|$)/y;
  for (let at = 0; at < text.length || row.length > 0; at = field.lastIndex) {
    field.lastIndex = at;
    const m = field.exec(text);
    if (m === null) throw new Error(`CSV: a stray or unclosed quote at character ${at}`);
    row.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
    if (m[3] !== ',') {
      rows.push(row);
      row = [];
    }
  }
  const [header, ...body] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  return body.map((cells, n) => {
    if (cells.length !== header.length) throw new Error(`CSV row ${n + 2} has ${cells.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((name, i) => [name, cells[i]]));
  });
}

/** How a column other than text is read: a number, `true`/`false`, or one of a list of words. */
type ColumnKind = 'number' | 'boolean' | readonly string[];

/** The rows of one file of data/article/: each column text unless `kinds` reads it otherwise; a bad cell throws naming file and column. */
function readCsv<T>(file: string, kinds: { [K in keyof T]?: ColumnKind }): T[] {
  return parseCsv(fs.readFileSync(path.join(ARTICLE_DATA_DIR, file), 'utf8')).map((row) => {
    const typed: Record<string, unknown> = { ...row };
    for (const [key, kind] of Object.entries(kinds as Record<string, ColumnKind>)) {
      const [cell, where] = [row[key], `data/article/${file}: column ${key}`];
      const allowed = kind === 'boolean' ? ['true', 'false'] : kind;
      if (allowed === 'number') typed[key] = parseNumberText(where, cell ?? '');
      else if (allowed.includes(cell)) typed[key] = kind === 'boolean' ? cell === 'true' : cell;
      else throw new Error(`${where} must be ${allowed.join(' or ')}, not ${JSON.stringify(cell)}`);
    }
    return typed as T;
  });
}

/** The article's result summary, in the article's order (Queue, Pipe, Array, Manager, RawArray, File, socket). */
export function articleSummary(): ArticleSummaryRow[] {
  const kinds = { sizeElements: 'number', sendSeconds: 'number', recvSeconds: 'number', needsFlag: 'boolean' } as const;
  return readCsv<ArticleSummaryRow>('summary.csv', kinds);
}

/** Every phase the article logged for each method at 10^8 elements. */
export function articlePhases(): ArticlePhaseRow[] {
  return readCsv<ArticlePhaseRow>('phases.csv', { phase: ARTICLE_PHASES, seconds: 'number' });
}

/** The article's Pipe size sweep, smallest size first. */
export function articlePipeSweep(): ArticlePipeSweepRow[] {
  const sweep = readCsv<ArticlePipeSweepRow>('pipe-sweep.csv', { sizeElements: 'number', sendSeconds: 'number', recvSeconds: 'number' });
  return sweep.sort((a, b) => a.sizeElements - b.sizeElements);
}
