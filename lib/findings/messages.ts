/**
 * The messages notebook (15-messages) from one run of the message experiment: each series' medians
 * over the rounds (points), the limits each Node transport is held against, and the targets
 * (transport ÷ bare Node over the same channel) with their verdicts. Pure: records in, data out.
 */
import { transportLabel } from '../model/record';
import type { MessageMeasures, PayloadKind, Runtime, TransferRecord } from '../model/types';
import { ratioOf } from '../sweep/floors';
import type { MessageLimitRecord } from '../sweep/message-bench';
import { statisticOf } from '../sweep/stats';

/** What the findings read: a message run's records and limit rows (a MessageExperimentResult fits). */
export interface MessageRun {
  records: readonly TransferRecord[];
  limits: readonly MessageLimitRecord[];
}

export type MessagePattern = MessageLimitRecord['pattern'];
/** `node`, `cpython`, or a limit: `c` (the C program) or `node-minimal` (bare Node). */
export type MessageSource = Runtime | MessageLimitRecord['source'];

/** The fields a message run measures (TransferRecord's, shared by the limits' rows) that a point holds the medians of. */
const MEASURED = [
  'roundTripP50Seconds',
  'roundTripP99Seconds',
  'messagesPerSecond',
  'bytesPerSecond',
  'senderCpuSecondsPerMessage',
  'receiverCpuSecondsPerMessage',
] as const;
type Medians = Pick<MessageMeasures, (typeof MEASURED)[number]>;

/** One series at one pattern and size: the medians over its ok rounds (null where none measured it). */
export interface MessagePoint extends Medians {
  /** The series' name in figures and tables (`pipe`, `pipe/json · object`, `CPython pipe`, `C floor · pipe`). */
  name: string;
  source: MessageSource;
  /** A transport's label (`pipe/raw`) or a limit's channel. */
  label: string;
  payload: PayloadKind | null;
  pattern: MessagePattern;
  messageBytes: number;
  rounds: number;
}

/** The targets of the issue: a transport's p50 round trip ≤ 1.5× the minimal Node loop's over the same channel, its rate ≥ 0.67×. */
export const P50_TARGET = 1.5;
export const RATE_TARGET = 0.67;

/** The limits a Node transport is held against: bare Node's channel (the target), C's channel, or why there is no target. */
export type LimitMapping = { nodeMinimal: string | null; c: string | null; target: boolean; note: string };

const same = (channel: string, c: string | null = channel): LimitMapping => ({ nodeMinimal: channel, c, target: true, note: '' });
const untargeted = (nodeMinimal: string | null, c: string | null, note: string): LimitMapping => ({ nodeMinimal, c, target: false, note });
const SHM_ONLY = 'no minimal Node loop over shared memory: held against C shm only';
const NO_LOOP = 'no minimal Node loop between threads over shared memory';

/**
 * Each main Node series (by label) and the channels of its limits. A byte stream in its analog
 * codec (v8) is held to bare Node serializing with v8 over the same stream (`pipe-v8`), its raw
 * row to bare Node sending the bytes as they are: like for like, so that a ratio is ipc-lab's cost
 * and not the serializer's.
 */
export const LIMIT_FOR: Readonly<Record<string, LimitMapping>> = {
  pipe: same('pipe-v8', 'pipe'),
  'pipe/raw': same('pipe'),
  unix: same('unix-v8', 'unix'),
  'unix/raw': same('unix'),
  tcp: same('tcp-v8', 'tcp'),
  'tcp/raw': same('tcp'),
  queue: same('port', null),
  transfer: same('port', null),
  ipc: same('ipc', null),
  'ipc-json': same('ipc-json', null),
  manager: untargeted('unix-v8', 'unix', 'a broker: two hops per message, no target'),
  ring: untargeted(null, 'shm', SHM_ONLY),
  'ring/raw': untargeted(null, 'shm', SHM_ONLY),
  'ring-thread': untargeted(null, null, NO_LOOP),
  'ring-thread/raw': untargeted(null, null, NO_LOOP),
};

/** A series' name: the label for Node's main series, `· object` for the codec series, `CPython …`, `C floor · …`, `bare Node · …`. */
export function messageSeriesName(source: MessageSource, label: string, payload: PayloadKind | null): string {
  if (source === 'c' || source === 'node-minimal') return `${source === 'c' ? 'C floor' : 'bare Node'} · ${label}`;
  if (source === 'cpython') return `CPython ${label}`;
  return payload === 'object' && label !== 'ipc-json' ? `${label} · object` : label;
}

/** Medians over the rounds of every series (transports and limits), pattern and size; ok measured runs only. */
export function messagePoints(run: MessageRun): MessagePoint[] {
  const samples = [
    ...run.records
      .filter((r) => r.ok && !r.warmup && (r.pattern === 'roundtrip' || r.pattern === 'rate'))
      .map((r) => ({
        ...r,
        source: r.runtime,
        label: transportLabel(r),
        pattern: r.pattern as MessagePattern,
        messageBytes: r.messageBytes as number,
      })),
    ...run.limits.filter((l) => l.ok).map((l) => ({ ...l, label: l.channel, payload: null })),
  ];
  const groups = new Map<string, typeof samples>();
  for (const s of samples) {
    const key = JSON.stringify([s.source, s.label, s.payload, s.pattern, s.messageBytes]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((group) => {
    const { source, label, payload, pattern, messageBytes } = group[0];
    const present = (field: keyof Medians) => group.map((s) => s[field]).filter((v): v is number => v !== null && Number.isFinite(v));
    const medians = Object.fromEntries(MEASURED.map((field) => [field, statisticOf(present(field), 'median')])) as Medians;
    const name = messageSeriesName(source, label, payload);
    return { name, source, label, payload, pattern, messageBytes, ...medians, rounds: group.length };
  });
}

/** Whether a point belongs to the main comparison: bytes (ipc-json, which carries no bytes, with objects) or a limit. */
export const isMainPoint = (p: MessagePoint) => p.payload !== 'object' || (p.source === 'node' && p.label === 'ipc-json');

/**
 * The points of a run, and their lookup `at`: a series' point at a pattern and size, `payload`
 * picking the codec series (`object`), by default the main comparison's; undefined for a series
 * the run lacks, or a null label.
 */
export function pointsOf(run: MessageRun) {
  const points = messagePoints(run);
  const at = (source: MessageSource, label: string | null | undefined, pattern: MessagePattern, bytes: number, payload?: PayloadKind) =>
    points.find(
      (p) =>
        p.source === source &&
        p.label === label &&
        p.pattern === pattern &&
        p.messageBytes === bytes &&
        (payload === undefined ? isMainPoint(p) : p.payload === payload),
    );
  return { points, at };
}

/** Every message size of the run, smallest first. */
export function messageSizes(run: MessageRun): number[] {
  const sizes = [...run.records.map((r) => r.messageBytes), ...run.limits.map((l) => l.messageBytes)];
  return [...new Set(sizes.filter((b): b is number => typeof b === 'number'))].sort((a, b) => a - b);
}

/** The size the one-size views use: 64 B when the run has it, else its smallest. */
export function smallSize(run: MessageRun): number {
  const sizes = messageSizes(run);
  return sizes.includes(64) ? 64 : sizes[0];
}

/** One Node transport at one size against its limits: its p50 and rate, bare Node's and C's, the ratios and the verdicts (null: no target). */
export interface TargetRow {
  transport: string;
  messageBytes: number;
  p50Seconds: number | null;
  minimalP50Seconds: number | null;
  /** Transport p50 ÷ bare Node's p50 over the same channel. */
  p50Ratio: number | null;
  p50Met: boolean | null;
  cP50Seconds: number | null;
  p50OverC: number | null;
  messagesPerSecond: number | null;
  minimalMessagesPerSecond: number | null;
  /** Transport rate ÷ bare Node's rate over the same channel. */
  rateRatio: number | null;
  rateMet: boolean | null;
  note: string;
}

/** The targets computed from this run: every Node transport of LIMIT_FOR at every size, in LIMIT_FOR's order. */
export function targetRows(run: MessageRun): TargetRow[] {
  const { at } = pointsOf(run);
  return Object.entries(LIMIT_FOR).flatMap(([transport, m]) =>
    messageSizes(run).flatMap((bytes): TargetRow[] => {
      const [rt, rate] = [at('node', transport, 'roundtrip', bytes), at('node', transport, 'rate', bytes)];
      if (!rt && !rate) return [];
      const [minRt, minRate] = [at('node-minimal', m.nodeMinimal, 'roundtrip', bytes), at('node-minimal', m.nodeMinimal, 'rate', bytes)];
      const medians = {
        p50Seconds: rt?.roundTripP50Seconds ?? null,
        minimalP50Seconds: minRt?.roundTripP50Seconds ?? null,
        cP50Seconds: at('c', m.c, 'roundtrip', bytes)?.roundTripP50Seconds ?? null,
        messagesPerSecond: rate?.messagesPerSecond ?? null,
        minimalMessagesPerSecond: minRate?.messagesPerSecond ?? null,
      };
      const p50Ratio = ratioOf(medians.p50Seconds, medians.minimalP50Seconds).ratio;
      const rateRatio = ratioOf(medians.messagesPerSecond, medians.minimalMessagesPerSecond).ratio;
      // Only a pattern the transport ran and bare Node did not leaves a cell without its ratio.
      const unmatched = m.nodeMinimal && ((rt && !minRt) || (rate && !minRate));
      return [
        {
          transport,
          messageBytes: bytes,
          ...medians,
          p50Ratio,
          p50Met: m.target && p50Ratio !== null ? p50Ratio <= P50_TARGET : null,
          p50OverC: ratioOf(medians.p50Seconds, medians.cP50Seconds).ratio,
          rateRatio,
          rateMet: m.target && rateRatio !== null ? rateRatio >= RATE_TARGET : null,
          note: m.note || (unmatched ? `bare Node ${m.nodeMinimal} has no result at this size` : ''),
        },
      ];
    }),
  );
}

/** One target's verdicts over a run: how many transport × size cells it judged and how many met it, and the rows that missed it. */
export interface TargetVerdicts {
  judged: number;
  met: number;
  missed: TargetRow[];
}

/** The verdicts of both targets: the p50 round trip's and the rate's. */
export function targetVerdicts(rows: readonly TargetRow[]): { p50: TargetVerdicts; rate: TargetVerdicts } {
  const count = (met: (r: TargetRow) => boolean | null) => ({
    judged: rows.filter((r) => met(r) !== null).length,
    met: rows.filter((r) => met(r) === true).length,
    missed: rows.filter((r) => met(r) === false),
  });
  return { p50: count((r) => r.p50Met), rate: count((r) => r.rateMet) };
}
