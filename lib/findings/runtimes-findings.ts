/**
 * What the runtimes notebook finds, as data: on each question, each runtime's time against
 * Node.js's and the fastest runtime; what each runtime could not run and why. The notebook's cells
 * put these into words. A smoke run with few configurations gives findings with empty parts, never
 * a throw.
 */
import { formatBytes, formatSize } from '../model/format';
import { unique } from '../model/lists';
import type { PayloadKind, Runtime, TransferRecord } from '../model/types';
import { messageSizes } from './messages';
import { largestSize, measure, messageTransportsOf, methodsOf, presentRuntimes, TOTAL_SECONDS, transfersOf } from './runtimes';

/** One runtime against Node.js over a question's categories (methods or transports). */
export interface VersusNode {
  runtime: Runtime;
  /** The geometric mean of runtime ÷ Node.js over the categories both have a time for; null when there are none. */
  meanRatio: number | null;
  /** How many categories the mean is over. */
  count: number;
  /** The category furthest from Node.js, either way, and its ratio. */
  furthest: { category: string; ratio: number } | null;
  /** Whether its mean is over as many categories as the widest one's: means over fewer do not rank. */
  ranked: boolean;
}

/** A question's comparison, smaller being better: each runtime ÷ Node.js, the fastest, and who wins where. */
export interface Comparison {
  /** False when Node.js has no times: there is then nothing to divide by, and the other fields are empty. */
  hasNode: boolean;
  others: VersusNode[];
  /** The ranked runtime of smallest mean (Node.js's is 1); null when no other runtime has a mean. */
  fastest: Runtime | null;
  /** The fastest runtime's mean ratio (1 for Node.js). */
  fastestRatio: number | null;
  /** The most categories any mean is over. */
  widest: number;
  /** Per runtime, the categories it has the smallest value on (where at least two runtimes have one). */
  wins: { runtime: Runtime; categories: string[] }[];
}

const geometricMean = (values: readonly number[]) => Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);

/** Compare `runtimes` (Node.js among them) on `categories`, where `value` is smaller for the better. */
function compareToNode(
  categories: readonly string[],
  runtimes: readonly Runtime[],
  value: (runtime: Runtime, category: string) => number | null,
): Comparison {
  if (!runtimes.includes('node')) return { hasNode: false, others: [], fastest: null, fastestRatio: null, widest: 0, wins: [] };
  const others = runtimes
    .filter((rt) => rt !== 'node')
    .map((runtime): VersusNode => {
      const ratios = categories.flatMap((category) => {
        const [node, other] = [value('node', category), value(runtime, category)];
        return node !== null && node > 0 && other !== null && other > 0 ? [{ category, ratio: other / node }] : [];
      });
      const furthest = ratios.reduce<VersusNode['furthest']>(
        (a, b) => (a && Math.abs(Math.log(a.ratio)) >= Math.abs(Math.log(b.ratio)) ? a : b),
        null,
      );
      const meanRatio = ratios.length > 0 ? geometricMean(ratios.map((r) => r.ratio)) : null;
      return { runtime, meanRatio, count: ratios.length, furthest, ranked: false };
    });
  const widest = Math.max(0, ...others.map((o) => o.count));
  for (const o of others) o.ranked = o.count > 0 && o.count === widest;
  const ranked = others.filter((o) => o.ranked).map((o) => ({ runtime: o.runtime, ratio: o.meanRatio as number }));
  const best = [{ runtime: 'node' as Runtime, ratio: 1 }, ...ranked].sort((a, b) => a.ratio - b.ratio)[0];
  const wins = new Map<Runtime, string[]>();
  for (const category of categories) {
    const timed = runtimes.flatMap((rt) => (value(rt, category) === null ? [] : [{ rt, v: value(rt, category) as number }]));
    if (timed.length < 2) continue;
    const winner = timed.reduce((a, b) => (b.v < a.v ? b : a)).rt;
    wins.set(winner, [...(wins.get(winner) ?? []), category]);
  }
  return {
    hasNode: true,
    others,
    fastest: ranked.length > 0 ? best.runtime : null,
    fastestRatio: ranked.length > 0 ? best.ratio : null,
    widest,
    wins: [...wins].map(([runtime, won]) => ({ runtime, categories: won })),
  };
}

/** Questions (a) and (b): the methods at the payload's largest size, by median total time. */
export interface TransferFinding extends Comparison {
  sizeElements: number;
  /** Runtimes of the run without a transfer of this payload (CPython has no Int32Array). */
  absent: Runtime[];
}

/** The transfer finding of a payload, or null when the run has no transfers of it. */
export function transferFinding(records: readonly TransferRecord[], payload: PayloadKind): TransferFinding | null {
  const sizeElements = largestSize(records, payload);
  if (sizeElements === null) return null;
  const runtimes = presentRuntimes(transfersOf(records, payload));
  const comparison = compareToNode(
    methodsOf(records, payload),
    runtimes,
    (rt, transport) => measure(records, rt, { pattern: 'transfer', transport, payload, size: sizeElements }, TOTAL_SECONDS).value,
  );
  return { ...comparison, sizeElements, absent: presentRuntimes(records).filter((rt) => !runtimes.includes(rt)) };
}

/** The message patterns at one message size, each transport a category; smaller is better in both. */
export interface MessageFinding {
  messageBytes: number;
  /** Round trip p50 (median over the rounds). */
  roundTrip: Comparison;
  /** The stream's time per message (1 ÷ its rate). */
  stream: Comparison;
}

/** One message finding per message size of the run, ascending. */
export function messageFindings(records: readonly TransferRecord[]): MessageFinding[] {
  const runtimes = presentRuntimes(records);
  return messageSizes({ records, limits: [] }).map((size) => ({
    messageBytes: size,
    roundTrip: compareToNode(
      messageTransportsOf(records, 'roundtrip'),
      runtimes,
      (rt, transport) => measure(records, rt, { pattern: 'roundtrip', transport, size }, (r) => r.roundTripP50Seconds).value,
    ),
    stream: compareToNode(messageTransportsOf(records, 'rate'), runtimes, (rt, transport) => {
      const rate = measure(records, rt, { pattern: 'rate', transport, size }, (r) => r.messagesPerSecond).value;
      return rate !== null && rate > 0 ? 1 / rate : null;
    }),
  }));
}

/** The failed or refused runs of one runtime that share a phase and a reason. */
export interface CaveatGroup {
  /** `limits` (refused in advance) or the phase that failed at run time. */
  phase: string;
  /** The error in its own words, cut at REASON_CHARS. */
  reason: string;
  count: number;
  transports: string[];
  /** What ran: `list 1e8` for a transfer, `roundtrip 64 B` for a message pattern. */
  configurations: string[];
}

/** What one runtime ran, and what it could not. */
export interface RuntimeCaveats {
  runtime: Runtime;
  /** Measured runs (warm-ups left out). */
  runs: number;
  refusedRuns: number;
  failedRuns: number;
  groups: CaveatGroup[];
}

/** Longest reason kept, in characters: a table cell, not the whole log. */
export const REASON_CHARS = 140;

/** A failed record's error (its own words: the phase and the runtime's version are fields), cut at REASON_CHARS. */
function reasonOf(r: TransferRecord): string {
  return r.error.length > REASON_CHARS ? `${r.error.slice(0, REASON_CHARS - 1).trimEnd()}…` : r.error || '(no reason given)';
}

const configurationOf = (r: TransferRecord) =>
  r.pattern === 'transfer' ? `${r.payload} ${formatSize(r.sizeElements)}` : `${r.pattern} ${formatBytes(r.messageBytes)}`;

/** Per present runtime: its measured runs, and its failed or refused ones grouped by phase × reason. */
export function runtimeCaveats(records: readonly TransferRecord[]): RuntimeCaveats[] {
  return presentRuntimes(records).map((runtime) => {
    const runs = records.filter((r) => r.runtime === runtime && !r.warmup);
    const groups = new Map<string, TransferRecord[]>();
    for (const r of runs.filter((x) => !x.ok)) {
      const key = `${r.failedPhase}\u0000${reasonOf(r)}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const refusedRuns = runs.filter((r) => !r.ok && r.failedPhase === 'limits').length;
    return {
      runtime,
      runs: runs.length,
      refusedRuns,
      failedRuns: runs.filter((r) => !r.ok).length - refusedRuns,
      groups: [...groups.values()].map((rs) => ({
        phase: rs[0].failedPhase,
        reason: reasonOf(rs[0]),
        count: rs.length,
        transports: unique(rs.map((r) => r.transport)),
        configurations: unique(rs.map(configurationOf)),
      })),
    };
  });
}
