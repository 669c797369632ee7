import { findTransport } from '../model/catalog';
import { formatSize } from '../model/record';
import type { TransferRecord } from '../model/types';
import { UsageError } from '../model/usage-error';
import { type ExperimentResult, type ObtainOptions, obtain, provenance } from '../sweep/experiments';
import { throughputMBps } from '../sweep/stats';
import { INT32_BYTES } from '../sweep/summary';
import { articleSummary } from './article';
import {
  type Frame,
  filterRows,
  frameToRows,
  recordsToFrame,
  rowCount,
  rowsToFrame,
  selectColumns,
  seriesFrom,
  summarizeFrame,
} from './dataframe';
import { showFigure, showMarkdown, showTable } from './display';
import { type FigureSpec, groupedBarFigure, type LineSeries, lineFigure } from './figures';
import { notebookProgress } from './live-progress';

/**
 * What the notebooks share: obtain an experiment and say where its numbers come from, summarise
 * records into DataFrames (danfojs, through lib/notebook/dataframe.ts), and build the comparison figures. A
 * notebook stays a short article: one call runs the experiment, the rest shows it.
 */

/** The phase columns, in the order a transfer goes through them. */
export const PHASES = ['encodeSeconds', 'sendSeconds', 'recvSeconds', 'decodeSeconds', 'totalSeconds'] as const;
const PHASE_LABELS: Record<string, string> = {
  encodeSeconds: 'encode',
  sendSeconds: 'send',
  recvSeconds: 'receive',
  decodeSeconds: 'decode',
  totalSeconds: 'total',
};

/**
 * Whether a notebook measures now (`run`, the default) or shows the results an earlier run saved
 * (`saved`): IPC_LAB_PREFER. `IPC_LAB_PREFER=saved npm run notebooks` re-renders every notebook
 * from data/results/ in minutes, without measuring; each notebook then says which run it shows.
 */
export function preferFromEnv(env: NodeJS.ProcessEnv = process.env): 'run' | 'saved' {
  const prefer = env.IPC_LAB_PREFER ?? 'run';
  if (prefer !== 'run' && prefer !== 'saved') {
    throw new UsageError(
      `IPC_LAB_PREFER "${prefer}" is not valid: valid are run (measure now, the default) and saved (show saved results)`,
    );
  }
  return prefer;
}

/** Run (or load) an experiment, its progress one updating output (see live-progress.ts), and print where its numbers come from. */
export async function runAndDescribe(name: string, options: ObtainOptions = {}): Promise<ExperimentResult> {
  const result = await obtain(name, { prefer: preferFromEnv(), progress: notebookProgress(), ...options });
  showMarkdown(provenance(result));
  const heaps = result.records.map((r) => r.heapLimitMb).filter((h): h is number => h !== null);
  if (heaps.length > 0) {
    const low = Math.min(...heaps);
    const high = Math.max(...heaps);
    showMarkdown(
      `Node peers ran with a V8 heap limit of ${low === high ? `${low}` : `${low}–${high}`} MiB (\`--max-old-space-size\`, ` +
        `sized to the payload: a plain list of 10⁸ numbers alone is 800 MB of heap).`,
    );
  }
  return result;
}

/** Medians of every phase per runtime, transport, payload and size, over ok measured runs. */
export function phaseMedians(records: readonly TransferRecord[]): Frame {
  const ok = recordsToFrame(records, { okOnly: true });
  const medians = summarizeFrame(ok, {
    by: ['runtime', 'transport', 'payload', 'codec', 'sizeElements'],
    values: ['buildSeconds', ...PHASES, 'bytes'],
    stats: ['median'],
  });
  const rename = Object.fromEntries(['buildSeconds', ...PHASES, 'bytes'].map((c) => [`${c}_median`, c]));
  return selectColumns(medians, ['runtime', 'transport', 'payload', 'codec', 'sizeElements', ...Object.keys(rename)], rename);
}

/** Show the medians as an HTML table, with a row count of measured runs in the caption. */
export function showPhaseTable(records: readonly TransferRecord[], caption: string): Frame {
  const df = phaseMedians(records);
  const runs = records.filter((r) => !r.warmup).length;
  showTable(df, {
    caption: `${caption} — medians of ${runs} measured transfers (seconds)`,
    labels: { sizeElements: 'elements', buildSeconds: 'build', ...PHASE_LABELS, bytes: 'bytes moved' },
  });
  return df;
}

/** Failed transfers, if any, with their one-line reasons (shown, never hidden). */
export function showFailures(records: readonly TransferRecord[]): void {
  const failed = records.filter((r) => !r.ok);
  if (failed.length === 0) {
    showMarkdown(`All ${records.length} transfers arrived intact: every element was checked at the receiver.`);
    return;
  }
  showTable(
    selectColumns(recordsToFrame(failed, { includeWarmup: true }), ['transport', 'payload', 'sizeElements', 'failedPhase', 'error']),
    {
      caption: `${failed.length} of ${records.length} transfers failed`,
    },
  );
}

/** Grouped bars: one group per transport and payload, one bar per phase (median seconds). */
export function phaseFigure(records: readonly TransferRecord[], title: string, logY = false): FigureSpec {
  const rows = frameToRows(phaseMedians(records));
  return groupedBarFigure({
    title,
    categories: rows.map(
      (r) =>
        `${r.transport} ${r.payload}${new Set(rows.map((x) => x.sizeElements)).size > 1 ? ` ${formatSize(Number(r.sizeElements))}` : ''}`,
    ),
    xTitle: 'transport and payload',
    yTitle: 'time (s)',
    logY,
    series: PHASES.map((p) => ({ name: PHASE_LABELS[p], values: rows.map((r) => (typeof r[p] === 'number' ? (r[p] as number) : null)) })),
  });
}

/**
 * The article's published send and receive for a method, beside ours at the same size (10^8, the
 * list payload as in the article; int32 too): grouped bars per source, send / receive / total.
 */
export function articleBesideFigure(articleMethod: string, records: readonly TransferRecord[]): FigureSpec {
  const article = articleSummary().find((r) => r.method === articleMethod);
  const rows = frameToRows(phaseMedians(records.filter((r) => r.sizeElements === (article?.sizeElements ?? 1e8))));
  const groups = [
    ...(article ? [{ name: `article (Python 3.7)`, values: [article.sendSeconds, article.recvSeconds, null] }] : []),
    ...rows.map((r) => ({
      name: `Node ${r.transport} ${r.payload}`,
      values: [r.sendSeconds, r.recvSeconds, r.totalSeconds].map((v) => (typeof v === 'number' ? v : null)),
    })),
  ];
  return groupedBarFigure({
    title: `${articleMethod}: the article's published times beside Node.js here (${formatSize(article?.sizeElements ?? 1e8)} elements)`,
    categories: groups.map((g) => g.name),
    xTitle: 'source',
    yTitle: 'time (s)',
    series: ['send', 'receive', 'total'].map((phase, i) => ({ name: phase, values: groups.map((g) => g.values[i]) })),
  });
}

type SizeColumn = (typeof PHASES)[number] | 'throughputMBps';

/** Median of a column against size, one series per group (default: transport and payload). */
export function sizeSeries(records: readonly TransferRecord[], y: SizeColumn, group: (r: TransferRecord) => string): LineSeries[] {
  const rows = records
    .filter((r) => r.ok && !r.warmup)
    .map((r) => ({
      series: group(r),
      sizeElements: r.sizeElements,
      value: y === 'throughputMBps' ? throughputMBps(INT32_BYTES * r.sizeElements, r.totalSeconds) : r[y],
    }));
  const medians = summarizeFrame(rowsToFrame(rows, ['series', 'sizeElements', 'value']), {
    by: ['series', 'sizeElements'],
    values: ['value'],
    stats: ['median'],
  });
  return seriesFrom(medians, { group: 'series', x: 'sizeElements', y: 'value_median' });
}

/** Log–log lines of a column against size, one line per group (e.g. per transport and payload). */
export function sizeFigure(
  records: readonly TransferRecord[],
  options: { title: string; y: SizeColumn; group?: (r: TransferRecord) => string },
): FigureSpec {
  return lineFigure({
    title: options.title,
    xTitle: 'list length (elements)',
    yTitle: options.y === 'throughputMBps' ? 'throughput (MB/s of int32-equivalent data)' : `${PHASE_LABELS[options.y]} time (s)`,
    logX: true,
    logY: true,
    series: sizeSeries(records, options.y, options.group ?? ((r) => `${r.transport} ${r.payload}`)),
  });
}

/** The transports of a catalog method, in catalog order, as "`a`, `b`" for prose. */
export function transportList(ids: readonly string[]): string {
  return ids.map((id) => `\`${id}\` (${findTransport('node', id)?.peers ?? '?'})`).join(', ');
}

/** Medians of one column for one transport/payload/size, or null: for sentences in the notebooks. */
export function medianOf(
  records: readonly TransferRecord[],
  pick: Partial<TransferRecord>,
  column: (typeof PHASES)[number],
): number | null {
  const df = filterRows(phaseMedians(records), (row) => Object.entries(pick).every(([k, v]) => row[k] === v));
  if (rowCount(df) === 0) return null;
  const value = frameToRows(df)[0][column];
  return typeof value === 'number' ? value : null;
}

export { showFigure, showMarkdown, showTable };

/** Several experiments as one set of records (e.g. every method notebook's), each described. */
export async function obtainAll(names: readonly string[], options: ObtainOptions = {}): Promise<TransferRecord[]> {
  const records: TransferRecord[] = [];
  for (const name of names) {
    const result = await obtain(name, { prefer: preferFromEnv(), progress: notebookProgress(), ...options });
    showMarkdown(`- ${provenance(result)}`);
    records.push(...result.records);
  }
  return records;
}

/** The Node transport that stands for each article method in cross-runtime comparisons: the process variant. */
export const NODE_FOR_ARTICLE_METHOD: Record<string, string> = {
  Queue: 'queue',
  Pipe: 'pipe',
  'shared memory (Array)': 'shared-array',
  Manager: 'manager',
  RawArray: 'raw-array',
  File: 'file',
  socket: 'tcp',
};

/**
 * The article's Pipe sweep table beside ours: one row per size, the article's published send and
 * receive, then ours (median send, receive, total) for each runtime/payload present.
 */
export function sizeSweepFrame(
  records: readonly TransferRecord[],
  articleRows: readonly { sizeElements: number; sendSeconds: number; recvSeconds: number }[],
): Frame {
  const medians = frameToRows(phaseMedians(records));
  const sizes = [...new Set([...articleRows.map((r) => r.sizeElements), ...medians.map((r) => Number(r.sizeElements))])].sort(
    (a, b) => a - b,
  );
  const keys = [...new Set(medians.map((r) => `${r.runtime} ${r.payload}`))];
  const rows = sizes.map((size) => {
    const article = articleRows.find((r) => r.sizeElements === size);
    const row: Record<string, number | string | null> = {
      elements: formatSize(size),
      'article send': article?.sendSeconds ?? null,
      'article recv': article?.recvSeconds ?? null,
    };
    for (const key of keys) {
      const m = medians.find((r) => `${r.runtime} ${r.payload}` === key && r.sizeElements === size);
      for (const [column, label] of [
        ['sendSeconds', 'send'],
        ['recvSeconds', 'recv'],
        ['totalSeconds', 'total'],
      ] as const) {
        row[`${key} ${label}`] = m && typeof m[column] === 'number' ? (m[column] as number) : null;
      }
    }
    return row;
  });
  return rowsToFrame(rows);
}

/** Log–log lines of send and receive against size: the article's (dashed) and each runtime/payload's. */
export function sizeSweepFigure(
  title: string,
  records: readonly TransferRecord[],
  articleRows: readonly { sizeElements: number; sendSeconds: number; recvSeconds: number }[],
): FigureSpec {
  // The article printed 0.0 s at 10 elements: a log axis cannot show 0, so those points are left out.
  const positive = articleRows.filter((r) => r.sendSeconds > 0 && r.recvSeconds > 0);
  const article = [
    { name: 'article send (Python 3.7)', x: positive.map((r) => r.sizeElements), y: positive.map((r) => r.sendSeconds) },
    { name: 'article recv (Python 3.7)', x: positive.map((r) => r.sizeElements), y: positive.map((r) => r.recvSeconds) },
  ];
  const ours = (['sendSeconds', 'recvSeconds', 'totalSeconds'] as const).flatMap((phase) =>
    sizeSeries(records, phase, (r) => `${r.runtime} ${r.payload} ${PHASE_LABELS[phase]}`),
  );
  return lineFigure({
    title,
    xTitle: 'list length (elements)',
    yTitle: 'time (s)',
    logX: true,
    logY: true,
    series: [...article, ...ours],
    dashed: (name) => name.startsWith('article'),
  });
}
