/**
 * The article's published timings (data/article/*.csv) as typed rows, so notebooks can set them
 * beside our measurements. The numbers are the article author's (Python 3.7, machine unknown);
 * see data/article/README.md for what each column means and where the figures come from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTICLE_DATA_DIR } from '../model/paths';

/** How every table and figure that shows these numbers cites them. */
export const ARTICLE = {
  title: 'I measured various methods of interprocess communication in multiprocessing of python3',
  python: '3.7',
  machine: 'unknown (not stated in the article)',
  /** One line for captions. */
  citation:
    'Published figures of "I measured various methods of interprocess communication in multiprocessing of python3" (Python 3.7, machine unknown)',
} as const;

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

/** The folder the CSV files live in. */
export const ARTICLE_DIR = ARTICLE_DATA_DIR;

/** Parse CSV text (RFC 4180: quoted fields, doubled quotes, commas and newlines inside quotes). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header) return [];
  return body.map((cells, n) => {
    if (cells.length !== header.length) {
      throw new Error(`CSV row ${n + 2} has ${cells.length} fields, the header has ${header.length}`);
    }
    return Object.fromEntries(header.map((name, i) => [name, cells[i]]));
  });
}

function readCsv(file: string): Record<string, string>[] {
  return parseCsv(fs.readFileSync(path.join(ARTICLE_DIR, file), 'utf8'));
}

function num(row: Record<string, string>, key: string, file: string): number {
  const value = Number(row[key]);
  if (row[key] === undefined || row[key].trim() === '' || !Number.isFinite(value)) {
    throw new Error(`data/article/${file}: column ${key} is not a number: ${JSON.stringify(row[key])}`);
  }
  return value;
}

function bool(row: Record<string, string>, key: string, file: string): boolean {
  if (row[key] === 'true') return true;
  if (row[key] === 'false') return false;
  throw new Error(`data/article/${file}: column ${key} must be true or false, not ${JSON.stringify(row[key])}`);
}

/** The article's result summary, in the article's order (Queue, Pipe, Array, Manager, RawArray, File, socket). */
export function articleSummary(): ArticleSummaryRow[] {
  const file = 'summary.csv';
  return readCsv(file).map((r) => ({
    method: r.method,
    transport: r.transport,
    sizeElements: num(r, 'sizeElements', file),
    sendSeconds: num(r, 'sendSeconds', file),
    recvSeconds: num(r, 'recvSeconds', file),
    sendNote: r.sendNote,
    recvNote: r.recvNote,
    dataConstraint: r.dataConstraint,
    needsFlag: bool(r, 'needsFlag', file),
    remarks: r.remarks,
  }));
}

/** Every phase the article logged for each method at 10^8 elements. */
export function articlePhases(): ArticlePhaseRow[] {
  const file = 'phases.csv';
  const phases: readonly string[] = ['encode', 'send', 'recv', 'decode'];
  return readCsv(file).map((r) => {
    if (!phases.includes(r.phase)) throw new Error(`data/article/${file}: unknown phase ${JSON.stringify(r.phase)}`);
    return {
      method: r.method,
      transport: r.transport,
      phase: r.phase as ArticlePhase,
      seconds: num(r, 'seconds', file),
      articleLabel: r.articleLabel,
    };
  });
}

/** The article's Pipe size sweep, smallest size first. */
export function articlePipeSweep(): ArticlePipeSweepRow[] {
  const file = 'pipe-sweep.csv';
  return readCsv(file)
    .map((r) => ({
      sizeElements: num(r, 'sizeElements', file),
      sendSeconds: num(r, 'sendSeconds', file),
      recvSeconds: num(r, 'recvSeconds', file),
    }))
    .sort((a, b) => a.sizeElements - b.sizeElements);
}

/**
 * The article's summary row for a method, looked up by the article's method name (as in
 * `TransportInfo.articleMethod`) or by our CPython transport id; undefined when it has none.
 */
export function articleRowFor(methodOrTransport: string): ArticleSummaryRow | undefined {
  return articleSummary().find((r) => r.method === methodOrTransport || r.transport === methodOrTransport);
}
