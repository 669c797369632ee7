/**
 * The article's published figures beside this run's: its summary as bars, one method's send and
 * receive beside Node's, and its Pipe sweep beside every runtime's (table and figure).
 */
import { formatSize } from '../model/format';
import { unique } from '../model/lists';
import { transportLabel } from '../model/record';
import type { TransferRecord } from '../model/types';
import { type ArticlePipeSweepRow, articleSummary } from './article';
import { failureMarks } from './figure-notes';
import { type FigureSpec, groupedBarFigure, type LineSeries, lineFigure } from './figures';
import { PHASE_DASH, RUNTIME_COLORS, shadesOf } from './palette';
import { medianRows, PHASE_LABELS, sizeSeries } from './report';

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
