import { choiceOf } from '../model/pairs';
import { transportLabel } from '../model/record';
import type { TransferRecord } from '../model/types';
import { median } from '../sweep/stats';
import { type FigureSpec, groupedBarFigure } from './figures';
import { sizeFigure } from './report';

/**
 * The zero-copy notebook (17-zero-copy): copying (RawArray, a socket) against handing the pages
 * over (a sealed memfd, a named /dev/shm region, CPython's SharedMemory), per runtime and across
 * languages, and what Arrow costs against raw bytes. Findings are numbers and verdicts; the
 * notebook's markdown says them in words.
 */

/** What a row of these figures is: `node:cpython handoff`, `node unix/raw`. */
export function zeroCopySeries(r: TransferRecord): string {
  return `${choiceOf(r)} ${transportLabel(r)}`;
}

/** Median of a field over the ok measured runs of one configuration; null when none. */
function medianWhere(records: readonly TransferRecord[], pick: (r: TransferRecord) => boolean, field: keyof TransferRecord): number | null {
  const values = records.filter((r) => r.ok && !r.warmup && pick(r)).map((r) => r[field]);
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return numbers.length === 0 ? null : median(numbers);
}

/** The configuration `series` at `sizeElements`. */
const at = (series: string, sizeElements: number) => (r: TransferRecord) => zeroCopySeries(r) === series && r.sizeElements === sizeElements;

/** One target of the issue, measured in this run: a ratio of two medians and its verdict. */
export interface TargetFinding {
  /** What is compared, as a row of the table names it. */
  what: string;
  sizeElements: number;
  numeratorSeconds: number | null;
  denominatorSeconds: number | null;
  /** numerator ÷ denominator; null when either is missing. */
  ratio: number | null;
  /** The ratio the target allows: at most (`max`) or at least (`min`). */
  bound: 'max' | 'min';
  target: number;
  /** null when there is no ratio to judge. */
  met: boolean | null;
}

function target(
  what: string,
  sizeElements: number,
  num: number | null,
  den: number | null,
  bound: 'max' | 'min',
  goal: number,
): TargetFinding {
  const ratio = num !== null && den !== null && den > 0 ? num / den : null;
  const met = ratio === null ? null : bound === 'max' ? ratio <= goal : ratio >= goal;
  return { what, sizeElements, numeratorSeconds: num, denominatorSeconds: den, ratio, bound, target: goal, met };
}

/** The largest size every record of the run reached (10^8 at the article's scale). */
export function largestZeroCopySize(records: readonly TransferRecord[]): number {
  return Math.max(...records.filter((r) => r.pattern === 'transfer').map((r) => r.sizeElements));
}

/** The smallest size of the run. */
export function smallestZeroCopySize(records: readonly TransferRecord[]): number {
  return Math.min(...records.filter((r) => r.pattern === 'transfer').map((r) => r.sizeElements));
}

/**
 * The targets, each from medians of this run's interleaved rounds: the hand-over against
 * RawArray at the largest size (at least 100× faster), the hand-over at the smallest and the
 * largest size (the same order: its cost must not grow with the size), each pair's hand-over and
 * raw Unix socket against Node→Node's (within 1.5×), and Arrow's encode + decode against raw's.
 */
export function zeroCopyTargets(records: readonly TransferRecord[]): TargetFinding[] {
  const big = largestZeroCopySize(records);
  // The issue compares 10^3 with 10^8; a smaller run compares its own extremes.
  const small = records.some((r) => r.sizeElements === 1e3) ? 1e3 : smallestZeroCopySize(records);
  const total = (series: string, size: number) => medianWhere(records, at(series, size), 'totalSeconds');
  const codecSeconds = (series: string, size: number) => {
    const encode = medianWhere(records, at(series, size), 'encodeSeconds');
    const decode = medianWhere(records, at(series, size), 'decodeSeconds');
    return encode === null || decode === null ? null : encode + decode;
  };
  const rows = [
    target('RawArray ÷ handoff (Node)', big, total('node raw-array', big), total('node handoff', big), 'min', 100),
    target('handoff: largest ÷ smallest size (Node)', big, total('node handoff', big), total('node handoff', small), 'max', 10),
  ];
  // A hand-over's cost does not depend on the size (the row above checks it), so its comparison
  // across languages pools every size from 10^3 up: 15 runs a side instead of 3 at one size, where
  // a few scheduler hiccups of a tenth of a millisecond would decide the ratio.
  const handoffAll = (series: string) =>
    medianWhere(records, (r) => zeroCopySeries(r) === series && r.sizeElements >= Math.min(small, big), 'totalSeconds');
  for (const pair of ['node:cpython', 'cpython:node']) {
    rows.push(
      target(`${pair} handoff ÷ node handoff (all sizes)`, big, handoffAll(`${pair} handoff`), handoffAll('node handoff'), 'max', 1.5),
    );
    rows.push(target(`${pair} unix/raw ÷ node unix/raw`, big, total(`${pair} unix/raw`, big), total('node unix/raw', big), 'max', 1.5));
  }
  rows.push(
    target(
      'arrow ÷ raw, encode + decode (Node, unix)',
      big,
      codecSeconds('node unix/arrow', big),
      codecSeconds('node unix/raw', big),
      'max',
      1.5,
    ),
    target('arrow ÷ raw, total (Node, unix)', big, total('node unix/arrow', big), total('node unix/raw', big), 'max', 1.5),
  );
  return rows;
}

/** Table rows of the targets: what, size, both medians, the ratio, the target and the verdict. */
export function zeroCopyTargetRows(findings: readonly TargetFinding[]): Record<string, string | number | null>[] {
  return findings.map((f) => ({
    target: f.what,
    'size (elements)': f.sizeElements,
    'numerator (s)': f.numeratorSeconds,
    'denominator (s)': f.denominatorSeconds,
    ratio: f.ratio,
    goal: `${f.bound === 'max' ? '≤' : '≥'} ${f.target}`,
    met: f.met === null ? 'no data' : f.met ? 'yes' : 'no',
  }));
}

/**
 * Where the time goes at one size: per configuration the medians of build (sender, before the
 * clock), encode, send, receive, decode (inside total) and verify (the receiver's first read of
 * every element, after it: a hand-over's page-table faults land here), with copies and first touch.
 */
export interface PhaseRow {
  series: string;
  buildSeconds: number | null;
  encodeSeconds: number | null;
  sendSeconds: number | null;
  recvSeconds: number | null;
  decodeSeconds: number | null;
  totalSeconds: number | null;
  verifySeconds: number | null;
  copies: number | null;
  firstTouch: string;
}

export function zeroCopyPhaseRows(records: readonly TransferRecord[], sizeElements: number): PhaseRow[] {
  const series = [...new Set(records.filter((r) => r.sizeElements === sizeElements && r.ok).map(zeroCopySeries))];
  return series.map((name) => {
    const pick = at(name, sizeElements);
    const first = records.find((r) => pick(r) && r.ok) as TransferRecord;
    const m = (field: keyof TransferRecord) => medianWhere(records, pick, field);
    return {
      series: name,
      buildSeconds: m('buildSeconds'),
      encodeSeconds: m('encodeSeconds'),
      sendSeconds: m('sendSeconds'),
      recvSeconds: m('recvSeconds'),
      decodeSeconds: m('decodeSeconds'),
      totalSeconds: m('totalSeconds'),
      verifySeconds: m('verifySeconds'),
      copies: first.copies,
      firstTouch: first.firstTouch,
    };
  });
}

/**
 * The configurations the phase figure compares (the table shows every one): each way of moving the
 * data in Node.js, Node.js ⇄ CPython by hand-over and by raw socket, and CPython's own two.
 */
export const ZERO_COPY_KEY_SERIES: readonly string[] = [
  'node handoff',
  'node handoff-name',
  'node transfer',
  'node raw-array',
  'node unix/raw',
  'node unix/arrow',
  'node:cpython handoff',
  'node:cpython unix/raw',
  'cpython:node handoff',
  'cpython:node unix/raw',
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

/** Stacked bars at one size: total (sender ready → receiver holds the data) beside the verify pass that follows it. */
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
