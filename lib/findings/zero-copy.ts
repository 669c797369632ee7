/**
 * The zero-copy notebook (17-zero-copy): copying against handing the pages over, per runtime and
 * across languages, and Arrow against raw bytes, as the targets (ratios and verdicts) and
 * where the time goes per configuration. The notebook's cells say them in words.
 */
import { unique } from '../model/lists';
import { choiceOf } from '../model/pairs';
import { transportLabel } from '../model/record';
import type { TransferRecord } from '../model/types';
import { ratioOf } from '../sweep/floors';
import { statisticOf } from '../sweep/stats';
import { PHASES } from './medians';

/** What a row of the tables and figures is: `node:cpython handoff`, `node unix/raw`. */
export function zeroCopySeries(r: TransferRecord): string {
  return `${choiceOf(r)} ${transportLabel(r)}`;
}

/** Median of a field over the ok measured runs that `pick` keeps; null when none. */
function medianWhere(records: readonly TransferRecord[], pick: (r: TransferRecord) => boolean, field: keyof TransferRecord): number | null {
  const values = records.filter((r) => r.ok && !r.warmup && pick(r)).map((r) => r[field]);
  return statisticOf(
    values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)),
    'median',
  );
}

/** The runs of configuration `series` at `sizeElements`. */
const at = (series: string, sizeElements: number) => (r: TransferRecord) => zeroCopySeries(r) === series && r.sizeElements === sizeElements;

/** One target of the issue, measured in this run: a ratio of two medians and its verdict. */
export interface TargetFinding {
  /** What is compared, as the table names it. */
  what: string;
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

function target(what: string, num: number | null, den: number | null, bound: 'max' | 'min', goal: number): TargetFinding {
  const { ratio } = ratioOf(num, den);
  const met = ratio === null ? null : bound === 'max' ? ratio <= goal : ratio >= goal;
  return { what, numeratorSeconds: num, denominatorSeconds: den, ratio, bound, target: goal, met };
}

/** The targets, from medians of this run's interleaved rounds. */
export interface ZeroCopyFindings {
  /** The largest size of the run (10^8 at the article's scale): the size of every target below but handoffGrowth's. */
  largestElements: number;
  /** 10^3 when the run has it, else its smallest size. */
  smallestElements: number;
  /** RawArray ÷ the hand-over in Node.js: at least 100 (nothing is copied). */
  rawArrayOverHandoff: TargetFinding;
  /** The hand-over at the largest ÷ at the smallest size: at most 10 (its cost does not grow with the size). */
  handoffGrowth: TargetFinding;
  /** Each pair across languages against Node.js to Node.js, by hand-over (every size pooled) and by raw Unix socket: at most 1.5. */
  pairs: { pair: string; handoff: TargetFinding; socket: TargetFinding }[];
  /** Arrow ÷ raw bytes over a Unix socket in Node.js, encode + decode and total: at most 1.5. */
  arrowCodec: TargetFinding;
  arrowTotal: TargetFinding;
}

export function zeroCopyFindings(records: readonly TransferRecord[]): ZeroCopyFindings {
  const sizes = records.filter((r) => r.pattern === 'transfer').map((r) => r.sizeElements);
  const big = Math.max(...sizes);
  // The issue compares 10^3 with 10^8; a smaller run compares its own extremes.
  const small = sizes.includes(1e3) ? 1e3 : Math.min(...sizes);
  const total = (series: string, size = big) => medianWhere(records, at(series, size), 'totalSeconds');
  const codec = (series: string) => {
    const [encode, decode] = (['encodeSeconds', 'decodeSeconds'] as const).map((field) => medianWhere(records, at(series, big), field));
    return encode === null || decode === null ? null : encode + decode;
  };
  // A hand-over's cost does not depend on the size (handoffGrowth checks it), so its comparison
  // across languages pools every size from the smallest up: 15 runs a side instead of 3 at one size,
  // where a few scheduler hiccups of a tenth of a millisecond would decide the ratio.
  const handoffAll = (series: string) =>
    medianWhere(records, (r) => zeroCopySeries(r) === series && r.sizeElements >= small, 'totalSeconds');
  return {
    largestElements: big,
    smallestElements: small,
    rawArrayOverHandoff: target('RawArray ÷ handoff (Node)', total('node raw-array'), total('node handoff'), 'min', 100),
    handoffGrowth: target('handoff: largest ÷ smallest size (Node)', total('node handoff'), total('node handoff', small), 'max', 10),
    pairs: ['node:cpython', 'cpython:node'].map((pair) => ({
      pair,
      handoff: target(`${pair} handoff ÷ node handoff (all sizes)`, handoffAll(`${pair} handoff`), handoffAll('node handoff'), 'max', 1.5),
      socket: target(`${pair} unix/raw ÷ node unix/raw`, total(`${pair} unix/raw`), total('node unix/raw'), 'max', 1.5),
    })),
    arrowCodec: target('arrow ÷ raw, encode + decode (Node, unix)', codec('node unix/arrow'), codec('node unix/raw'), 'max', 1.5),
    arrowTotal: target('arrow ÷ raw, total (Node, unix)', total('node unix/arrow'), total('node unix/raw'), 'max', 1.5),
  };
}

const PHASE_FIELDS = ['buildSeconds', ...PHASES, 'verifySeconds'] as const;

/**
 * Where the time goes at one size, per configuration: the medians of build (sender, before the
 * clock), encode, send, receive, decode (inside total) and verify (the receiver's first read of
 * every element, after it: a hand-over's page-table faults land here), with copies and first touch.
 */
export type PhaseRow = { series: string } & Record<(typeof PHASE_FIELDS)[number], number | null> &
  Pick<TransferRecord, 'copies' | 'firstTouch'>;

/** The phase rows of every configuration with an ok run at `sizeElements`. */
export function zeroCopyPhaseRows(records: readonly TransferRecord[], sizeElements: number): PhaseRow[] {
  const series = unique(records.filter((r) => r.sizeElements === sizeElements && r.ok).map(zeroCopySeries));
  return series.map((name) => {
    const pick = at(name, sizeElements);
    const first = records.find((r) => pick(r) && r.ok) as TransferRecord;
    const medians = Object.fromEntries(PHASE_FIELDS.map((field) => [field, medianWhere(records, pick, field)]));
    return { series: name, ...medians, copies: first.copies, firstTouch: first.firstTouch } as PhaseRow;
  });
}
