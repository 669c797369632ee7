import { allTransportIds, findTransport } from '../model/catalog';
import { formatSize } from '../model/format';
import { transportLabel } from '../model/record';
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
  type Row,
  recordsToFrame,
  rowCount,
  rowsToFrame,
  selectColumns,
  seriesFrom,
  summarizeFrame,
} from './dataframe';
import { showFigure, showMarkdown, showTable } from './display';
import { failureMarks } from './figure-notes';
import { type FigureSpec, groupedBarFigure, type LineSeries, lineFigure } from './figures';
import { notebookProgress } from './live-progress';
import {
  knownStyle,
  PAYLOAD_SYMBOL,
  PHASE_DASH,
  RUNTIME_COLORS,
  RUNTIME_NAMES,
  type SeriesStyle,
  shadesOf,
  transportStyle,
} from './palette';

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
  const limited = result.records.filter((r) => r.heapLimitMb !== null);
  const heaps = limited.map((r) => r.heapLimitMb as number);
  if (heaps.length > 0) {
    const low = Math.min(...heaps);
    const high = Math.max(...heaps);
    // The peers with a V8 heap: a pair's JavaScript side (node:cpython's Node.js receiver too), never CPython or Bun.
    const v8Sides = limited
      .flatMap((r) => [r.senderRuntime ?? r.runtime, r.receiverRuntime ?? r.runtime])
      .filter((x) => x === 'node' || x === 'deno');
    const who = [...new Set(v8Sides.map((x) => RUNTIME_NAMES[x]))].join(' and ');
    const bun = result.records.some((r) => r.runtime === 'bun') ? " Bun's JavaScriptCore has no such limit." : '';
    showMarkdown(
      `${who} peers ran with a V8 heap limit of ${low === high ? `${low}` : `${low}–${high}`} MiB (\`--max-old-space-size\`, ` +
        `sized to the payload: a plain list of 10⁸ numbers alone is 800 MB of heap).${bun}`,
    );
  }
  return result;
}

/**
 * Medians of every phase per runtime, transport, payload, codec and size, over ok measured runs.
 * The `transport` column holds the transport's label (`pipe`, or `pipe/raw` for a codec other
 * than its analog), so a row reads as what ran; `codec` names the codec in every row.
 */
export function phaseMedians(records: readonly TransferRecord[]): Frame {
  const ok = recordsToFrame(
    records.map((r) => ({ ...r, transport: transportLabel(r) })),
    { okOnly: true },
  );
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

/** Grouped bars: one group per transport and payload, one bar per phase (median seconds); failed ones marked. */
export function phaseFigure(records: readonly TransferRecord[], title: string, logY: boolean | 'auto' = 'auto'): FigureSpec {
  const rows = frameToRows(phaseMedians(records));
  const manySizes = new Set(records.map((r) => r.sizeElements)).size > 1;
  const manyCodecs = new Set(records.map((r) => r.codec)).size > 1;
  const label = (r: Pick<TransferRecord, 'transport' | 'payload' | 'codec' | 'sizeElements'> | Row) =>
    `${r.transport} ${r.payload}${manyCodecs ? ` ${r.codec}` : ''}${manySizes ? ` ${formatSize(Number(r.sizeElements))}` : ''}`;
  const failures = failureMarks(records, (r) => ({ at: label(r) }));
  const categories = [...rows.map(label), ...failures.map((f) => String(f.at))];
  return groupedBarFigure({
    title,
    categories,
    xTitle: 'transport and payload',
    yTitle: 'time (s)',
    logY,
    series: PHASES.map((p) => ({
      name: PHASE_LABELS[p],
      values: categories.map((_, i) => (typeof rows[i]?.[p] === 'number' ? (rows[i][p] as number) : null)),
    })),
    failures,
  });
}

/**
 * The article's published send and receive for a method, beside ours at the same size (10^8, the
 * list payload as in the article; int32 too): grouped bars per source, send / receive / total.
 */
export function articleBesideFigure(articleMethod: string, records: readonly TransferRecord[]): FigureSpec {
  const article = articleSummary().find((r) => r.method === articleMethod);
  const size = article?.sizeElements ?? 1e8;
  const atSize = records.filter((r) => r.sizeElements === size);
  const rows = frameToRows(phaseMedians(atSize));
  const source = (r: Pick<TransferRecord, 'transport' | 'payload'> | Row) => `Node ${r.transport} ${r.payload}`;
  const failures = failureMarks(atSize, (r) => ({ at: source(r) }));
  const groups = [
    ...(article ? [{ name: `article (Python 3.7)`, values: [article.sendSeconds, article.recvSeconds, null] }] : []),
    ...rows.map((r) => ({
      name: source(r),
      values: [r.sendSeconds, r.recvSeconds, r.totalSeconds].map((v) => (typeof v === 'number' ? v : null)),
    })),
    ...failures.map((f) => ({ name: String(f.at), values: [null, null, null] })),
  ];
  return groupedBarFigure({
    title: `${articleMethod}: the article's published times beside Node.js here (${formatSize(size)} elements)`,
    categories: groups.map((g) => g.name),
    xTitle: 'source',
    yTitle: 'time (s)',
    logY: 'auto',
    series: ['send', 'receive', 'total'].map((phase, i) => ({ name: phase, values: groups.map((g) => g.values[i]) })),
    failures,
  });
}

type SizeColumn = (typeof PHASES)[number] | 'throughputMBps';

/**
 * A series' look from the records it draws: its transport's colour and dash when all its records
 * share one transport of the catalog, and a marker per payload (open for a thread variant).
 */
function styleOfGroup(records: readonly TransferRecord[]): Partial<SeriesStyle> {
  const transports = new Set(records.map((r) => r.transport));
  const payloads = new Set(records.map((r) => r.payload));
  // A transport with another codec (pipe/raw) has its own shade: name the style by the rows' label.
  const labels = new Set(records.map((r) => transportLabel(r)));
  const [transport] = transports;
  const [label] = labels;
  const own =
    transports.size === 1 && labels.size === 1 && allTransportIds().includes(transport)
      ? (knownStyle(label) ?? transportStyle(transport))
      : undefined;
  const symbol = payloads.size === 1 ? PAYLOAD_SYMBOL[[...payloads][0]] : undefined;
  return {
    ...(own ? { color: own.color, dash: own.dash } : {}),
    ...(symbol ? { symbol: own?.symbol.endsWith('-open') ? `${symbol}-open` : symbol } : {}),
  };
}

/** Median of a column against size, one series per group (default: transport and payload), styled by its transport. */
export function sizeSeries(records: readonly TransferRecord[], y: SizeColumn, group: (r: TransferRecord) => string): LineSeries[] {
  const measured = records.filter((r) => r.ok && !r.warmup);
  const rows = measured.map((r) => ({
    series: group(r),
    sizeElements: r.sizeElements,
    value: y === 'throughputMBps' ? throughputMBps(INT32_BYTES * r.sizeElements, r.totalSeconds) : r[y],
  }));
  const medians = summarizeFrame(rowsToFrame(rows, ['series', 'sizeElements', 'value']), {
    by: ['series', 'sizeElements'],
    values: ['value'],
    stats: ['median'],
  });
  return seriesFrom(medians, { group: 'series', x: 'sizeElements', y: 'value_median' }).map((s) => ({
    ...s,
    style: styleOfGroup(measured.filter((r) => group(r) === s.name)),
  }));
}

/** Log–log lines of a column against size, one line per group (e.g. per transport and payload); failed sizes marked. */
export function sizeFigure(
  records: readonly TransferRecord[],
  options: { title: string; y: SizeColumn; group?: (r: TransferRecord) => string },
): FigureSpec {
  const group = options.group ?? ((r: TransferRecord) => `${r.transport} ${r.payload}`);
  return lineFigure({
    title: options.title,
    xTitle: 'list length (elements)',
    yTitle: options.y === 'throughputMBps' ? 'throughput (MB/s of int32-equivalent data)' : `${PHASE_LABELS[options.y]} time (s)`,
    logX: true,
    logY: true,
    series: sizeSeries(records, options.y, group),
    failures: failureMarks(records, (r) => ({ series: group(r), at: r.sizeElements, atLabel: `${formatSize(r.sizeElements)} elements` })),
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

/**
 * Log–log lines of send and receive against size: the article's and each runtime/payload's. A
 * runtime's lines are shades of its colour (lib/notebook/palette.ts), the phase is the dash and
 * the payload the marker; the article's are grey. Sizes that failed are marked on the total line.
 */
export function sizeSweepFigure(
  title: string,
  records: readonly TransferRecord[],
  articleRows: readonly { sizeElements: number; sendSeconds: number; recvSeconds: number }[],
): FigureSpec {
  // The article printed 0.0 s at 10 elements: a log axis cannot show 0, so those points are left out.
  const positive = articleRows.filter((r) => r.sendSeconds > 0 && r.recvSeconds > 0);
  const articleShades = shadesOf(RUNTIME_COLORS.article, 2);
  const article: LineSeries[] = (['send', 'receive'] as const).map((phase, i) => ({
    name: `article ${phase === 'send' ? 'send' : 'recv'} (Python 3.7)`,
    x: positive.map((r) => r.sizeElements),
    y: positive.map((r) => (phase === 'send' ? r.sendSeconds : r.recvSeconds)),
    style: { color: articleShades[i], dash: PHASE_DASH[phase], symbol: 'diamond' },
  }));
  const name = (r: TransferRecord, phase: (typeof PHASES)[number]) => `${r.runtime} ${r.payload} ${PHASE_LABELS[phase]}`;
  const ours = (['sendSeconds', 'recvSeconds', 'totalSeconds'] as const).flatMap((phase) =>
    sizeSeries(records, phase, (r) => name(r, phase)).map((s) => ({ ...s, phase: PHASE_LABELS[phase] })),
  );
  // Shades per runtime, in the order its series come: one hue per runtime, distinct within it.
  const byRuntime = new Map<string, number>();
  for (const s of ours) byRuntime.set(s.name.split(' ')[0], (byRuntime.get(s.name.split(' ')[0]) ?? 0) + 1);
  const seen = new Map<string, number>();
  const styled = ours.map(({ phase, ...s }) => {
    const runtime = s.name.split(' ')[0];
    const k = seen.get(runtime) ?? 0;
    seen.set(runtime, k + 1);
    const base = RUNTIME_COLORS[runtime as keyof typeof RUNTIME_COLORS];
    // Darkest last: the totals, drawn solid, are the lines to read first.
    const count = byRuntime.get(runtime) ?? 1;
    const color = base ? shadesOf(base, count)[count - 1 - k] : undefined;
    return { ...s, style: { ...s.style, ...(color ? { color } : {}), dash: PHASE_DASH[phase] } };
  });
  return lineFigure({
    title,
    xTitle: 'list length (elements)',
    yTitle: 'time (s)',
    logX: true,
    logY: true,
    series: [...article, ...styled],
    failures: failureMarks(records, (r) => ({
      series: name(r, 'totalSeconds'),
      at: r.sizeElements,
      atLabel: `${formatSize(r.sizeElements)} elements`,
    })),
  });
}
