/**
 * The targets of "byte channels at the machine's speed" (issue 20) as data, and their verdicts
 * from one run: each target names what it compares, its threshold and the subjects it holds to it;
 * {@link benchTargetResults} judges the bench's targets from its rows, {@link threeWayTargetResults}
 * the one notebook 11 measures. Pure: rows in, typed results out; the CLI and the notebooks render
 * them (lib/cli/bench-print.ts, lib/notebook/serializers.ts).
 *
 * A bench ratio's value is the median of the ratios taken within each round, both sides measured
 * seconds apart (bench-target-values.ts says why, and what a row saved without its rounds gives).
 *
 * A verdict is `met`, `missed` (by how much, relative to the threshold) or `not-measured` (why:
 * the run did not include it, a side failed, or it has fewer rounds than the target asks for —
 * a median of two rounds' ratios is no verdict, though its value is still shown).
 */
import { formatSize } from '../model/format';
import type { PayloadKind } from '../model/types';
import { BENCH_DEFAULT_SIZES } from '../sweep/bench-plan';
import type { ChannelRow } from '../sweep/channel-limits';
import type { FloorRow } from '../sweep/floors';
import {
  nodeDirectVsC,
  peerDecodeVsWarm,
  rawVsChannel,
  type TargetBasis,
  type TargetMeasurement,
  totalSpread,
  v8VsFloor,
} from './bench-target-values';
import type { ThreeWayRow } from './three-ways';

/** Which run measures a target: `npm run bench` (and notebook 12), or the three ways of notebook 11. */
export type TargetSource = 'bench' | 'three-ways';

/** What a target compares, each read from its own rows (see {@link benchTargetResults}). */
export type TargetMeasure =
  /** A channel row: Node's direct raw channel ÷ the C program, round by round. */
  | 'node-direct-vs-c'
  /** A floor row with `raw` (int32): the transport's total ÷ its raw channel (the floor's channel part) in the same round. */
  | 'raw-vs-channel'
  /** A floor row with `v8`: the transport's total ÷ the floor of the same round's parts. */
  | 'v8-vs-floor'
  /** A floor row with `packed` (list): the receiving peer's decode (its record's) ÷ the same round's decode in a warm process. */
  | 'peer-decode-vs-warm'
  /** A three-way row: Node's list with `packed` ÷ CPython's pickle (medians of totals). */
  | 'packed-vs-pickle'
  /** A floor row with `raw` (int32): ± half of (max − min) ÷ median of its totals over the rounds. */
  | 'total-spread';

/** One target: what is compared on which subjects, at which size, against which threshold. */
export interface MachineSpeedTarget {
  measure: TargetMeasure;
  source: TargetSource;
  /** What is compared, as a table's column says it. */
  compared: string;
  /** Transports or channels (for three ways: the article's methods) held to the target. */
  subjects: readonly string[];
  /**
   * The size it is judged at; null: each size `npm run bench` measures by default that the run
   * measured (BENCH_DEFAULT_SIZES, 10^7 and 10^8), or for three ways the largest. Smaller sizes
   * are not judged: a transfer of 0.4–4 MB takes 1–7 ms, where the order of the steps around it
   * moves a raw channel by up to 40 % (the one run of d8b07a2: raw-pipe of 400 KB took 1.60 ms
   * right after its codec group's other channels and 2.21 ms alone, in the same round). Their
   * ratios stay in the floor table.
   */
  sizeElements: number | null;
  /** The measured value must be at most this (a spread: below it). */
  threshold: number;
  /** Fewer rounds than this give no verdict. */
  minRounds: number;
}

const STREAMS = ['pipe', 'unix', 'tcp'] as const;

/** The targets of issue 20, in the order it lists them. */
export const MACHINE_SPEED_TARGETS: readonly MachineSpeedTarget[] = [
  {
    measure: 'node-direct-vs-c',
    source: 'bench',
    compared: 'Node raw channel ÷ C',
    subjects: STREAMS,
    sizeElements: 1e8,
    threshold: 1.15,
    minRounds: 3,
  },
  {
    measure: 'node-direct-vs-c',
    source: 'bench',
    compared: 'Node raw channel ÷ C',
    subjects: STREAMS,
    sizeElements: 1e7,
    threshold: 1.5,
    minRounds: 3,
  },
  {
    measure: 'raw-vs-channel',
    source: 'bench',
    compared: "raw ÷ Node's direct raw channel",
    subjects: STREAMS,
    sizeElements: null,
    threshold: 1.1,
    minRounds: 3,
  },
  { measure: 'v8-vs-floor', source: 'bench', compared: 'v8 ÷ floor', subjects: STREAMS, sizeElements: null, threshold: 1.25, minRounds: 3 },
  {
    measure: 'peer-decode-vs-warm',
    source: 'bench',
    compared: "packed list: peer's decode ÷ warm decode",
    subjects: [...STREAMS, 'file'],
    sizeElements: 1e8,
    threshold: 1.3,
    minRounds: 3,
  },
  {
    measure: 'packed-vs-pickle',
    source: 'three-ways',
    compared: 'Node packed ÷ CPython pickle',
    subjects: ['Pipe', 'socket', 'File', 'Manager'],
    sizeElements: null,
    threshold: 0.5,
    minRounds: 3,
  },
  {
    measure: 'total-spread',
    source: 'bench',
    compared: 'raw: spread over the rounds (±)',
    subjects: ['file'],
    sizeElements: 1e8,
    threshold: 0.2,
    minRounds: 5,
  },
];

/** A target's verdict on one subject. `by` is how far over the threshold, relative to it (0.1: 10 % over). */
export type TargetVerdict = { kind: 'met' } | { kind: 'missed'; by: number } | { kind: 'not-measured'; why: string };

/** One target on one subject at one size (and payload): the measured value, its spread, its verdict. */
export interface TargetResult {
  target: MachineSpeedTarget;
  subject: string;
  /** The size judged; null when the run measured none for an every-size target. */
  sizeElements: number | null;
  payload: PayloadKind | null;
  /**
   * A bench ratio: the median of its same-round ratios; a three-way ratio, or a bench row saved
   * without its rounds: the ratio of medians (see `basis`); a spread target: the spread. Null when not measured.
   */
  value: number | null;
  /**
   * ± half of (max − min) ÷ median of the same-round ratios (of the numerator's rounds, for a
   * ratio of medians): how much the rounds disagreed; null below 2 rounds.
   */
  spread: number | null;
  /** For a three-way ratio, its 95 % interval; null elsewhere. */
  interval: [number, number] | null;
  /** The rounds the value is taken over: for a same-round ratio, those that measured both sides. */
  rounds: number;
  /** How the value was taken; null when there is none. */
  basis: TargetBasis | null;
  verdict: TargetVerdict;
}

/** The verdict of a value against a target, given its rounds; `missing` says why there is no value. */
export function judge(target: MachineSpeedTarget, value: number | null, rounds: number, missing: string): TargetVerdict {
  if (value === null) return { kind: 'not-measured', why: missing || 'no value' };
  if (rounds < target.minRounds) return { kind: 'not-measured', why: `${rounds} rounds; the target asks for at least ${target.minRounds}` };
  const met = target.measure === 'total-spread' ? value < target.threshold : value <= target.threshold;
  return met ? { kind: 'met' } : { kind: 'missed', by: value / target.threshold - 1 };
}

function result(target: MachineSpeedTarget, subject: string, sizeElements: number | null, m: TargetMeasurement): TargetResult {
  return {
    target,
    subject,
    sizeElements,
    payload: m.payload,
    value: m.value,
    spread: m.spread,
    interval: m.interval ?? null,
    rounds: m.rounds,
    basis: m.value === null ? null : m.basis,
    verdict: judge(target, m.value, m.rounds, m.missing),
  };
}

/** The codec and payload a floor-row target is about, and what it measures on such a row (bench-target-values.ts). */
const FLOOR_ROW_OF: Partial<
  Record<TargetMeasure, { codec: string; payload: PayloadKind | null; measure: (r: FloorRow) => TargetMeasurement }>
> = {
  'raw-vs-channel': { codec: 'raw', payload: 'int32', measure: rawVsChannel },
  'v8-vs-floor': { codec: 'v8', payload: null, measure: v8VsFloor },
  'peer-decode-vs-warm': { codec: 'packed', payload: 'list', measure: peerDecodeVsWarm },
  'total-spread': { codec: 'raw', payload: 'int32', measure: totalSpread },
};

const notInRun = (what: string): TargetMeasurement => ({
  payload: null,
  value: null,
  spread: null,
  rounds: 0,
  basis: null,
  missing: `${what} not in this run`,
});

/**
 * Every bench target on every subject, from one bench run's rows: at the target's size, or at
 * every size the run measured (one result per size and payload). A subject the run did not
 * measure is `not-measured`, saying so.
 */
export function benchTargetResults(run: { floorRows: readonly FloorRow[]; channelRows: readonly ChannelRow[] }): TargetResult[] {
  const out: TargetResult[] = [];
  for (const target of MACHINE_SPEED_TARGETS.filter((t) => t.source === 'bench')) {
    for (const subject of target.subjects) {
      if (target.measure === 'node-direct-vs-c') {
        const row = run.channelRows.find((r) => r.channel === subject && r.sizeElements === target.sizeElements);
        out.push(
          result(
            target,
            subject,
            target.sizeElements,
            row ? nodeDirectVsC(row) : notInRun(`channel ${subject} at ${formatSize(target.sizeElements ?? 0)}`),
          ),
        );
        continue;
      }
      const of = FLOOR_ROW_OF[target.measure];
      if (!of) throw new Error(`no rows are known for target "${target.measure}"`);
      const rows = run.floorRows.filter(
        (r) =>
          r.transport === subject &&
          r.codec === of.codec &&
          (of.payload === null || r.payload === of.payload) &&
          (target.sizeElements === null ? BENCH_DEFAULT_SIZES.includes(r.sizeElements) : r.sizeElements === target.sizeElements),
      );
      if (rows.length === 0)
        out.push(
          result(
            target,
            subject,
            target.sizeElements,
            notInRun(`${subject} with ${of.codec}${target.sizeElements === null ? '' : ` at ${formatSize(target.sizeElements)}`}`),
          ),
        );
      for (const r of rows) out.push(result(target, subject, r.sizeElements, of.measure(r)));
    }
  }
  return out;
}

/** The three-way target on each of its methods, at the largest size the rows hold. */
export function threeWayTargetResults(rows: readonly ThreeWayRow[]): TargetResult[] {
  const sizeElements = rows.length === 0 ? null : Math.max(...rows.map((r) => r.sizeElements));
  return MACHINE_SPEED_TARGETS.filter((t) => t.source === 'three-ways').flatMap((target) =>
    target.subjects.map((method) => {
      const row = rows.find((r) => r.method === method && r.sizeElements === sizeElements);
      if (!row) return result(target, method, sizeElements, notInRun(method));
      return result(target, method, sizeElements, {
        payload: 'list',
        value: row.packedRatio,
        spread: null,
        interval: row.packedCiLow !== null && row.packedCiHigh !== null ? [row.packedCiLow, row.packedCiHigh] : null,
        rounds: row.packedRounds,
        basis: 'medians',
        missing: row.cpythonTotalSeconds === null ? 'no CPython total' : 'no Node total with packed',
      });
    }),
  );
}

/** A verdict in a table cell: "met", "missed by 12 %", "not measured: why". */
export function verdictText(v: TargetVerdict): string {
  if (v.kind === 'met') return 'met';
  if (v.kind === 'missed') return `missed by ${(v.by * 100).toFixed(v.by < 0.1 ? 1 : 0)} %`;
  return `not measured: ${v.why}`;
}

/** How a value was taken, in a table cell: "median of same-round ratios", "ratio of medians", "spread of totals". */
export function basisText(basis: TargetBasis): string {
  return { 'same-round': 'median of same-round ratios', medians: 'ratio of medians', spread: 'spread of totals' }[basis];
}

/** The threshold as a table shows it: "≤ 1.15" for a ratio, "< ±20 %" for a spread. */
export function thresholdText(target: MachineSpeedTarget): string {
  return target.measure === 'total-spread' ? `< ±${Math.round(target.threshold * 100)} %` : `≤ ${target.threshold}`;
}

/** How many results each verdict has: the line under a targets table. */
export function verdictCounts(results: readonly TargetResult[]): Record<TargetVerdict['kind'], number> {
  const counts = { met: 0, missed: 0, 'not-measured': 0 };
  for (const r of results) counts[r.verdict.kind] += 1;
  return counts;
}
