/**
 * The figures of the article's chapters (lib/findings/ computes what they draw): its published
 * summary as bars, one method's send and receive beside Node's, its Pipe sweep beside every
 * runtime's (table and figure), every transport's total (09) and each method three ways (11).
 */
import { type ArticlePipeSweepRow, articleSummary } from '../findings/article';
import type { SummaryTableRow } from '../findings/chapters';
import { medianRows } from '../findings/medians';
import type { ThreeWayRow } from '../findings/three-ways';
import { formatSize } from '../model/format';
import { unique } from '../model/lists';
import { describeFailure, transportLabel } from '../model/record';
import type { Runtime, TransferRecord } from '../model/types';
import { type FailureMark, failureMarks } from './figure-notes';
import { type FigureSpec, groupedBarFigure, type LineSeries, lineFigure } from './figures';
import { PHASE_DASH, RUNTIME_COLORS, shadesOf } from './palette';
import { PHASE_LABELS, sizeSeries } from './report';

/** The article's published send and receive per method. */
export function articleFigure(): FigureSpec {
  const article = articleSummary();
  return groupedBarFigure({
    title: "The article's published times: one list of 10⁸ integers, Python 3.7",
    categories: article.map((r) => r.method),
    xTitle: 'method',
    yTitle: 'time (s)',
    logY: 'auto',
    series: [
      { name: 'send', values: article.map((r) => r.sendSeconds) },
      { name: 'receive', values: article.map((r) => r.recvSeconds) },
    ],
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
  const failures = failureMarks(atSize, (r) => ({ at: `Node ${transportLabel(r)} ${r.payload}` }));
  const groups = [
    ...(article ? [{ name: 'article (Python 3.7)', values: [article.sendSeconds, article.recvSeconds, null] }] : []),
    ...medianRows(atSize).map((r) => ({ name: `Node ${r.label} ${r.payload}`, values: [r.sendSeconds, r.recvSeconds, r.totalSeconds] })),
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

const SWEEP_PHASES = ['sendSeconds', 'recvSeconds', 'totalSeconds'] as const;

/**
 * The article's Pipe sweep table beside ours: one row per size, the article's published send and
 * receive, then ours (median send, receive, total) for each runtime and payload present.
 */
export function sizeSweepRows(
  records: readonly TransferRecord[],
  articleRows: readonly ArticlePipeSweepRow[],
): Record<string, number | string | null>[] {
  const medians = medianRows(records);
  const sizes = unique([...articleRows.map((r) => r.sizeElements), ...medians.map((r) => r.sizeElements)]).sort((a, b) => a - b);
  const sources = unique(medians.map((r) => `${r.runtime} ${r.payload}`));
  return sizes.map((size) => {
    const article = articleRows.find((r) => r.sizeElements === size);
    const row: Record<string, number | string | null> = {
      elements: formatSize(size),
      'article send': article?.sendSeconds ?? null,
      'article receive': article?.recvSeconds ?? null,
    };
    for (const source of sources) {
      const m = medians.find((r) => `${r.runtime} ${r.payload}` === source && r.sizeElements === size);
      for (const phase of SWEEP_PHASES) row[`${source} ${PHASE_LABELS[phase]}`] = m?.[phase] ?? null;
    }
    return row;
  });
}

/**
 * Log–log lines of send and receive against size: the article's and each runtime/payload's. A
 * runtime's lines are shades of its colour (lib/notebook/palette.ts), the phase is the dash and
 * the payload the marker; the article's are grey. Sizes that failed are marked on the total line.
 */
export function sizeSweepFigure(
  title: string,
  records: readonly TransferRecord[],
  articleRows: readonly ArticlePipeSweepRow[],
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
  const name = (r: TransferRecord, phase: (typeof SWEEP_PHASES)[number]) => `${r.runtime} ${r.payload} ${PHASE_LABELS[phase]}`;
  const ours = unique(records.map((r) => r.runtime)).flatMap((runtime) => {
    const mine = records.filter((r) => r.runtime === runtime);
    const series = SWEEP_PHASES.flatMap((phase) => sizeSeries(mine, phase, (r) => name(r, phase)).map((s) => ({ ...s, phase })));
    // One hue per runtime, a shade per series, darkest last: the totals, drawn solid, are the lines to read first.
    const shades = shadesOf(RUNTIME_COLORS[runtime], series.length).reverse();
    return series.map(({ phase, ...s }, k) => ({ ...s, style: { ...s.style, color: shades[k], dash: PHASE_DASH[PHASE_LABELS[phase]] } }));
  });
  return lineFigure({
    title,
    xTitle: 'list length (elements)',
    yTitle: 'time (s)',
    logX: true,
    logY: true,
    series: [...article, ...ours],
    failures: failureMarks(records, (r) => ({
      series: name(r, 'totalSeconds'),
      at: r.sizeElements,
      atLabel: `${formatSize(r.sizeElements)} elements`,
    })),
  });
}

const PAYLOAD_NAMES = { list: 'list', int32: 'Int32Array' } as const;

/** Every transport's total at the largest size, list and Int32Array, on a log axis; a missing one marked with why (its remarks). */
export function summaryTotalsFigure(rows: readonly SummaryTableRow[]): FigureSpec {
  const labels = unique(rows.map((r) => r.transport));
  const payloads = ['list', 'int32'] as const;
  return groupedBarFigure({
    title: 'Every transport, total time at the largest size (log scale)',
    categories: labels,
    xTitle: 'transport',
    yTitle: 'total time (s)',
    logY: true,
    showValues: false,
    series: payloads.map((payload) => ({
      name: PAYLOAD_NAMES[payload],
      values: labels.map((label) => rows.find((r) => r.transport === label && r.payload === payload)?.totalSeconds ?? null),
    })),
    failures: rows
      .filter((r) => r.totalSeconds === null)
      .map((r) => ({ series: PAYLOAD_NAMES[r.payload], at: r.transport, reason: r.remarks })),
  });
}

/**
 * Grouped bars at the largest CPython size: article send + recv, CPython total, Node totals (the
 * list with its analog codec and packed, the Int32Array), in the runtimes' colours
 * (lib/notebook/palette.ts). Pass the records to name why a bar is missing.
 */
export function threeWayFigure(rows: readonly ThreeWayRow[], records: readonly TransferRecord[] = []): FigureSpec {
  const top = Math.max(...rows.map((r) => r.sizeElements));
  const at = rows.filter((r) => r.sizeElements === top);
  const [nodePacked, , nodeInt32] = shadesOf(RUNTIME_COLORS.node, 3);
  const isList = (r: TransferRecord, runtime: Runtime, label: string) =>
    r.runtime === runtime && r.payload === 'list' && transportLabel(r) === label;
  // Each series: its values, and which records it draws (to say why a bar is missing) or why it has none.
  const series = [
    {
      name: 'article send + recv (Python 3.7, published)',
      value: (r: ThreeWayRow) =>
        r.articleSendSeconds === null || r.articleRecvSeconds === null ? null : r.articleSendSeconds + r.articleRecvSeconds,
      why: 'the article published no time at this size',
      style: { color: RUNTIME_COLORS.article },
    },
    {
      name: 'CPython here: total',
      value: (r: ThreeWayRow) => r.cpythonTotalSeconds,
      draws: (x: TransferRecord, row: ThreeWayRow) => isList(x, 'cpython', row.cpythonTransport),
      style: { color: RUNTIME_COLORS.cpython },
    },
    {
      name: 'Node.js here: total, list',
      value: (r: ThreeWayRow) => r.nodeTotalSeconds,
      draws: (x: TransferRecord, row: ThreeWayRow) => isList(x, 'node', row.nodeTransport),
      style: { color: RUNTIME_COLORS.node },
    },
    {
      name: 'Node.js here: total, list packed',
      value: (r: ThreeWayRow) => r.nodePackedTotalSeconds,
      draws: (x: TransferRecord, row: ThreeWayRow) => isList(x, 'node', `${row.nodeTransport}/packed`),
      why: 'packed needs a method that carries bytes',
      style: { color: nodePacked, pattern: '.' as const },
    },
    {
      name: 'Node.js here: total, Int32Array',
      value: (r: ThreeWayRow) => r.nodeInt32TotalSeconds,
      draws: (x: TransferRecord, row: ThreeWayRow) =>
        x.runtime === 'node' && x.payload === 'int32' && transportLabel(x) === row.nodeTransport,
      style: { color: nodeInt32, pattern: '/' as const },
    },
  ];
  const failures: FailureMark[] = series.flatMap((s) =>
    at
      .filter((row) => s.value(row) === null)
      .map((row) => {
        const failed = s.draws && records.find((r) => !r.ok && r.sizeElements === top && s.draws(r, row));
        return { series: s.name, at: row.method, reason: failed ? describeFailure(failed) : (s.why ?? 'not measured in this run') };
      }),
  );
  return groupedBarFigure({
    title: `Each method three ways at ${formatSize(top)} elements (log scale)`,
    categories: at.map((r) => r.method),
    xTitle: "article's method",
    yTitle: 'time (s)',
    logY: true,
    showValues: false,
    series: series.map((s) => ({ name: s.name, values: at.map(s.value), style: s.style })),
    failures,
  });
}
