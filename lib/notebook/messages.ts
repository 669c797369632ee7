/**
 * "Many messages": the tables, figures and sentences of the messages notebook, computed from one
 * run of the message experiment (lib/sweep/message-experiments.ts): every series' medians over the
 * rounds, which limits each transport is held against, the targets (transport ÷ bare Node over the
 * same channel) and the table of everything measured. The figures are in message-figures.ts, CPU,
 * codecs, ipc-bench and the lesson in message-lessons.ts. Pure: records in, data out.
 */
import { formatBytes, formatRatio, MISSING, roundSignificant } from '../model/format';
import { transportLabel } from '../model/record';
import type { PayloadKind, Runtime, TransferRecord } from '../model/types';
import type { MessageLimitRecord } from '../sweep/message-bench';
import { median } from '../sweep/stats';

/** What the builders read: a message run's records and limit rows (a MessageExperimentResult fits). */
export interface MessageRun {
  records: readonly TransferRecord[];
  limits: readonly MessageLimitRecord[];
}

export type MessagePattern = 'roundtrip' | 'rate';
export type LimitSource = MessageLimitRecord['source'];

/** One series at one pattern and size: the medians over its ok rounds. */
export interface MessagePoint {
  /** The series' name in figures and tables (`pipe`, `pipe/raw`, `pipe/json · object`, `CPython pipe`, `C floor · pipe`). */
  name: string;
  /** `node`, `cpython`, or the limit's source. */
  source: Runtime | LimitSource;
  /** A transport's label (`pipe/raw`) or a limit's channel. */
  label: string;
  payload: PayloadKind | null;
  pattern: MessagePattern;
  messageBytes: number;
  p50Seconds: number | null;
  p99Seconds: number | null;
  /** Round trip: 1 ÷ the mean round trip (round trips per second); rate: messages per second of the stream. */
  messagesPerSecond: number | null;
  bytesPerSecond: number | null;
  senderCpuSecondsPerMessage: number | null;
  receiverCpuSecondsPerMessage: number | null;
  rounds: number;
}

/** The targets of the issue: a transport's p50 round trip ≤ 1.5× the minimal Node loop's over the same channel, its rate ≥ 0.67×. */
export const P50_TARGET = 1.5;
export const RATE_TARGET = 0.67;

/** The limits a Node transport is held against: bare Node's channel (the target), C's channel, or why there is no target. */
export interface LimitMapping {
  nodeMinimal: string | null;
  c: string | null;
  target: boolean;
  note: string;
}

const same = (channel: string, c: string | null = channel): LimitMapping => ({ nodeMinimal: channel, c, target: true, note: '' });

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
  manager: { nodeMinimal: 'unix-v8', c: 'unix', target: false, note: 'a broker: two hops per message, no target' },
  ring: { nodeMinimal: null, c: 'shm', target: false, note: 'no minimal Node loop over shared memory: held against C shm only' },
  'ring/raw': { nodeMinimal: null, c: 'shm', target: false, note: 'no minimal Node loop over shared memory: held against C shm only' },
  'ring-thread': { nodeMinimal: null, c: null, target: false, note: 'no minimal Node loop between threads over shared memory' },
  'ring-thread/raw': { nodeMinimal: null, c: null, target: false, note: 'no minimal Node loop between threads over shared memory' },
};

const LIMIT_NAMES: Record<LimitSource, string> = { c: 'C floor', 'node-minimal': 'bare Node' };

/** A series' name: the label for Node's main series, `· object` for the codec series, `CPython …`, `C floor · …`, `bare Node · …`. */
export function messageSeriesName(source: Runtime | LimitSource, label: string, payload: PayloadKind | null): string {
  if (source === 'c' || source === 'node-minimal') return `${LIMIT_NAMES[source]} · ${label}`;
  if (source === 'cpython') return `CPython ${label}`;
  return payload === 'object' && label !== 'ipc-json' ? `${label} · object` : label;
}

const mid = (values: (number | null)[]): number | null => {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length === 0 ? null : median(v);
};

type Measured = Pick<
  MessagePoint,
  'p50Seconds' | 'p99Seconds' | 'messagesPerSecond' | 'bytesPerSecond' | 'senderCpuSecondsPerMessage' | 'receiverCpuSecondsPerMessage'
>;

function medianPoint(runs: readonly Measured[]): Measured {
  return {
    p50Seconds: mid(runs.map((r) => r.p50Seconds)),
    p99Seconds: mid(runs.map((r) => r.p99Seconds)),
    messagesPerSecond: mid(runs.map((r) => r.messagesPerSecond)),
    bytesPerSecond: mid(runs.map((r) => r.bytesPerSecond)),
    senderCpuSecondsPerMessage: mid(runs.map((r) => r.senderCpuSecondsPerMessage)),
    receiverCpuSecondsPerMessage: mid(runs.map((r) => r.receiverCpuSecondsPerMessage)),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Medians over the rounds of every series (transports and limits), pattern and size; ok measured runs only. */
export function messagePoints(run: MessageRun): MessagePoint[] {
  const records = run.records.filter((r) => r.ok && !r.warmup && (r.pattern === 'roundtrip' || r.pattern === 'rate'));
  const fromRecords = [
    ...groupBy(records, (r) => JSON.stringify([r.runtime, transportLabel(r), r.payload, r.pattern, r.messageBytes])),
  ].map(([, rs]): MessagePoint => {
    const r = rs[0];
    const label = transportLabel(r);
    return {
      name: messageSeriesName(r.runtime, label, r.payload),
      source: r.runtime,
      label,
      payload: r.payload,
      pattern: r.pattern as MessagePattern,
      messageBytes: r.messageBytes as number,
      ...medianPoint(rs.map((x) => ({ ...x, p50Seconds: x.roundTripP50Seconds, p99Seconds: x.roundTripP99Seconds }))),
      rounds: rs.length,
    };
  });
  const limits = run.limits.filter((l) => l.ok);
  const fromLimits = [...groupBy(limits, (l) => JSON.stringify([l.source, l.channel, l.pattern, l.messageBytes]))].map(
    ([, ls]): MessagePoint => {
      const l = ls[0];
      return {
        name: messageSeriesName(l.source, l.channel, null),
        source: l.source,
        label: l.channel,
        payload: null,
        pattern: l.pattern,
        messageBytes: l.messageBytes,
        ...medianPoint(ls.map((x) => ({ ...x, p50Seconds: x.roundTripP50Seconds, p99Seconds: x.roundTripP99Seconds }))),
        rounds: ls.length,
      };
    },
  );
  return [...fromRecords, ...fromLimits];
}

/** Whether a point belongs to the main comparison: bytes (ipc-json, which carries no bytes, with objects) or a limit. */
const isMain = (p: MessagePoint) => p.payload === null || p.payload === 'bytes' || (p.source === 'node' && p.label === 'ipc-json');

/**
 * The point of a series at a pattern and size, or undefined. `payload` picks the codec series
 * (`object`); by default the main comparison's point (bytes, or ipc-json's objects, or a limit).
 */
export function findPoint(
  points: readonly MessagePoint[],
  source: MessagePoint['source'],
  label: string,
  pattern: MessagePattern,
  bytes: number,
  payload?: PayloadKind,
): MessagePoint | undefined {
  return points.find(
    (p) =>
      p.source === source &&
      p.label === label &&
      p.pattern === pattern &&
      p.messageBytes === bytes &&
      (payload === undefined ? isMain(p) : p.payload === payload),
  );
}
/** Every message size of the run, smallest first. */
export function messageSizes(run: MessageRun): number[] {
  const sizes = [...run.records.map((r) => r.messageBytes), ...run.limits.map((l) => l.messageBytes)];
  return [...new Set(sizes.filter((b): b is number => typeof b === 'number'))].sort((a, b) => a - b);
}

/** One Node transport at one size against its limits: the ratios and the target verdicts. */
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

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b <= 0 ? null : a / b;

/** The targets computed from this run: every Node transport of LIMIT_FOR at every size, in LIMIT_FOR's order. */
export function targetRows(run: MessageRun): TargetRow[] {
  const points = messagePoints(run);
  const rows: TargetRow[] = [];
  for (const [transport, m] of Object.entries(LIMIT_FOR)) {
    for (const bytes of messageSizes(run)) {
      const rt = findPoint(points, 'node', transport, 'roundtrip', bytes);
      const rate = findPoint(points, 'node', transport, 'rate', bytes);
      if (!rt && !rate) continue;
      const minRt = m.nodeMinimal ? findPoint(points, 'node-minimal', m.nodeMinimal, 'roundtrip', bytes) : undefined;
      const minRate = m.nodeMinimal ? findPoint(points, 'node-minimal', m.nodeMinimal, 'rate', bytes) : undefined;
      const cRt = m.c ? findPoint(points, 'c', m.c, 'roundtrip', bytes) : undefined;
      const p50Ratio = ratio(rt?.p50Seconds, minRt?.p50Seconds);
      const rateRatio = ratio(rate?.messagesPerSecond, minRate?.messagesPerSecond);
      rows.push({
        transport,
        messageBytes: bytes,
        p50Seconds: rt?.p50Seconds ?? null,
        minimalP50Seconds: minRt?.p50Seconds ?? null,
        p50Ratio,
        p50Met: m.target && p50Ratio !== null ? p50Ratio <= P50_TARGET : null,
        cP50Seconds: cRt?.p50Seconds ?? null,
        p50OverC: ratio(rt?.p50Seconds, cRt?.p50Seconds),
        messagesPerSecond: rate?.messagesPerSecond ?? null,
        minimalMessagesPerSecond: minRate?.messagesPerSecond ?? null,
        rateRatio,
        rateMet: m.target && rateRatio !== null ? rateRatio >= RATE_TARGET : null,
        // Only a pattern the transport ran and bare Node did not leaves a cell without its ratio.
        note:
          m.note ||
          (m.nodeMinimal && ((rt && !minRt) || (rate && !minRate)) ? `bare Node ${m.nodeMinimal} has no result at this size` : ''),
      });
    }
  }
  return rows;
}

/** Seconds as a table's µs cell, three significant digits. */
const us = (s: number | null): number | null => (s === null ? null : roundSignificant(s * 1e6));
const verdict = (met: boolean | null) => (met === null ? MISSING : met ? 'met' : 'missed');

/** The targets as a table. */
export function targetTableRows(rows: readonly TargetRow[]): Record<string, string | number | null>[] {
  return rows.map((r) => ({
    transport: r.transport,
    size: formatBytes(r.messageBytes),
    'p50 µs': us(r.p50Seconds),
    'bare Node p50 µs': us(r.minimalP50Seconds),
    'p50 ÷ bare Node': roundSignificant(r.p50Ratio),
    [`≤ ${P50_TARGET}`]: verdict(r.p50Met),
    'C p50 µs': us(r.cP50Seconds),
    'p50 ÷ C': roundSignificant(r.p50OverC),
    'messages/s': roundSignificant(r.messagesPerSecond),
    'bare Node messages/s': roundSignificant(r.minimalMessagesPerSecond),
    'rate ÷ bare Node': roundSignificant(r.rateRatio),
    [`≥ ${RATE_TARGET}`]: verdict(r.rateMet),
    note: r.note,
  }));
}

/** How many verdicts met their target, of how many. */
export function targetSentence(rows: readonly TargetRow[]): string {
  const count = (pick: (r: TargetRow) => boolean | null) => {
    const judged = rows.filter((r) => pick(r) !== null);
    const missed = judged.filter((r) => pick(r) === false);
    return { judged: judged.length, met: judged.length - missed.length, missed };
  };
  const p50 = count((r) => r.p50Met);
  const rate = count((r) => r.rateMet);
  const list = (missed: TargetRow[], value: (r: TargetRow) => number | null) =>
    missed.length === 0
      ? ''
      : ` — missed by ${missed.map((r) => `${r.transport} at ${formatBytes(r.messageBytes)} (${formatRatio(value(r))})`).join(', ')}`;
  return (
    `Targets against bare Node over the same channel, in this run: p50 round trip ≤ ${P50_TARGET}× met in ${p50.met} of ${p50.judged} ` +
    `transport × size cells${list(p50.missed, (r) => r.p50Ratio)}; rate ≥ ${RATE_TARGET}× met in ${rate.met} of ${rate.judged}` +
    `${list(rate.missed, (r) => r.rateRatio)}. The manager and the rings have no target (see the notes).`
  );
}

/**
 * Every main series at every size (or at `sizes`): p50 and p99 round trip, round trips per second,
 * the stream's messages and MB per second and CPU per streamed message — Node's transports, then
 * CPython's, then the C floor and bare Node, so that a transport's limits are a few rows below it.
 */
export function messageTableRows(run: MessageRun, sizes: readonly number[] = messageSizes(run)): Record<string, string | number | null>[] {
  const points = messagePoints(run).filter(isMain);
  const order: MessagePoint['source'][] = ['node', 'cpython', 'c', 'node-minimal'];
  const series = [...new Map(points.map((p) => [`${p.source}\u0000${p.label}`, p])).values()].sort(
    (a, b) => order.indexOf(a.source) - order.indexOf(b.source),
  );
  return sizes.flatMap((bytes) =>
    series.flatMap((s) => {
      const rt = findPoint(points, s.source, s.label, 'roundtrip', bytes);
      const rate = findPoint(points, s.source, s.label, 'rate', bytes);
      if (!rt && !rate) return [];
      return [
        {
          size: formatBytes(bytes),
          series: s.name,
          'p50 µs': us(rt?.p50Seconds ?? null),
          'p99 µs': us(rt?.p99Seconds ?? null),
          'round trips/s': roundSignificant(rt?.messagesPerSecond ?? null),
          'stream messages/s': roundSignificant(rate?.messagesPerSecond ?? null),
          'stream MB/s': rate?.bytesPerSecond ? roundSignificant(rate.bytesPerSecond / 1e6) : null,
          'sender CPU µs/msg': us(rate?.senderCpuSecondsPerMessage ?? null),
          'receiver CPU µs/msg': us(rate?.receiverCpuSecondsPerMessage ?? null),
        },
      ];
    }),
  );
}
