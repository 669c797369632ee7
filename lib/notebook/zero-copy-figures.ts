/**
 * The zero-copy notebook's figures (17-zero-copy): total time against size, and total beside
 * verify at one size, over lib/findings/zero-copy.ts's series and phase rows.
 */
import { type PhaseRow, zeroCopySeries } from '../findings/zero-copy';
import type { TransferRecord } from '../model/types';
import { type FigureSpec, groupedBarFigure } from './figures';
import { sizeFigure } from './report';

/**
 * The configurations the phase figure compares (the table shows every one): each way of moving the
 * data in Node.js, Node.js ⇄ CPython by hand-over and by raw socket, and CPython's own two.
 */
export const ZERO_COPY_KEY_SERIES: readonly string[] = [
  ...['handoff', 'handoff-name', 'transfer', 'raw-array', 'unix/raw', 'unix/arrow'].map((t) => `node ${t}`),
  ...['node:cpython', 'cpython:node'].flatMap((pair) => [`${pair} handoff`, `${pair} unix/raw`]),
  'cpython shared-memory',
  'cpython raw-array',
];

/** Total time against size, one line per configuration, log–log: copies grow with the size, a hand-over does not. */
export function zeroCopySizeFigure(records: readonly TransferRecord[], title: string, keep: (r: TransferRecord) => boolean): FigureSpec {
  return sizeFigure(
    records.filter((r) => r.pattern === 'transfer' && keep(r)),
    { title, y: 'totalSeconds', group: zeroCopySeries },
  );
}

/** Bars at one size: total (sender ready → receiver holds the data) beside the verify pass that follows it. */
export function zeroCopyPhaseFigure(rows: readonly PhaseRow[], title: string): FigureSpec {
  return groupedBarFigure({
    title,
    categories: rows.map((r) => r.series),
    yTitle: 'time (s)',
    logY: true,
    series: [
      { name: 'total (ready → holds the data)', values: rows.map((r) => r.totalSeconds) },
      { name: 'verify (first read of every element)', values: rows.map((r) => r.verifySeconds) },
    ],
  });
}
