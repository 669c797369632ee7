/**
 * The article's published timings (data/article/*.csv) as typed rows, so notebooks can set them
 * beside our measurements. The numbers are the article author's (Python 3.7, machine unknown);
 * see data/article/README.md for what each column means and where the figures come from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
export type ArticlePhase = 'encode' | 'send' | 'recv' | 'decode';

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
  return (body ?? []).map((cells, n) => {
    if (cells.length !== header.length) throw new Error(`CSV row ${n + 2} has ${cells.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((name, i) => [name, cells[i]]));
  });
}

/** The rows of one file of data/article/, with typed readers of its columns that name the file and column they reject. */
function readCsv(file: string) {
  const rows = parseCsv(fs.readFileSync(path.join(ARTICLE_DATA_DIR, file), 'utf8'));
  const num = (row: Record<string, string>, key: string): number => {
    const value = Number(row[key]);
    if (row[key] === undefined || row[key].trim() === '' || !Number.isFinite(value)) {
      throw new Error(`data/article/${file}: column ${key} is not a number: ${JSON.stringify(row[key])}`);
    }
    return value;
  };
  const bool = (row: Record<string, string>, key: string): boolean => {
    if (row[key] === 'true' || row[key] === 'false') return row[key] === 'true';
    throw new Error(`data/article/${file}: column ${key} must be true or false, not ${JSON.stringify(row[key])}`);
  };
  return { rows, num, bool, file };
}

/** The article's result summary, in the article's order (Queue, Pipe, Array, Manager, RawArray, File, socket). */
export function articleSummary(): ArticleSummaryRow[] {
  const { rows, num, bool } = readCsv('summary.csv');
  return rows.map((r) => ({
    method: r.method,
    transport: r.transport,
    sizeElements: num(r, 'sizeElements'),
    sendSeconds: num(r, 'sendSeconds'),
    recvSeconds: num(r, 'recvSeconds'),
    sendNote: r.sendNote,
    recvNote: r.recvNote,
    dataConstraint: r.dataConstraint,
    needsFlag: bool(r, 'needsFlag'),
    remarks: r.remarks,
  }));
}

/** Every phase the article logged for each method at 10^8 elements. */
export function articlePhases(): ArticlePhaseRow[] {
  const { rows, num, file } = readCsv('phases.csv');
  const phases: readonly string[] = ['encode', 'send', 'recv', 'decode'];
  return rows.map((r) => {
    if (!phases.includes(r.phase)) throw new Error(`data/article/${file}: unknown phase ${JSON.stringify(r.phase)}`);
    return {
      method: r.method,
      transport: r.transport,
      phase: r.phase as ArticlePhase,
      seconds: num(r, 'seconds'),
      articleLabel: r.articleLabel,
    };
  });
}

/** The article's Pipe size sweep, smallest size first. */
export function articlePipeSweep(): ArticlePipeSweepRow[] {
  const { rows, num } = readCsv('pipe-sweep.csv');
  return rows
    .map((r) => ({ sizeElements: num(r, 'sizeElements'), sendSeconds: num(r, 'sendSeconds'), recvSeconds: num(r, 'recvSeconds') }))
    .sort((a, b) => a.sizeElements - b.sizeElements);
}
