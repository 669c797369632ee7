/**
 * "Many messages": the tables, figures and sentences of the messages notebook, computed from one
 * run of the message experiment (lib/sweep/message-experiments.ts) — round-trip latency and
 * message rate of every transport against message size, with the C floor and a minimal Node loop
 * over the same channels, CPython beside Node, CPU per message, the codecs on small objects, the
 * targets (transport ÷ bare Node) and ipc-bench's published rates. Pure: records in, data out.
 */
import { createHash } from 'node:crypto';
import { formatBytes, transportLabel } from '../model/record';
import type { PayloadKind, Runtime, TransferRecord } from '../model/types';
import type { MessageLimitRecord } from '../sweep/message-bench';
import { median } from '../sweep/stats';
import { type FailureMark, failureReason } from './figure-notes';
import { type FigureSpec, type LineSeries, lineFigure } from './figures';
import { limitStyle, RUNTIME_COLORS, type SeriesStyle, shadesOf } from './palette';

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

/** Each main Node series (by label) and the channels of its limits. */
export const LIMIT_FOR: Readonly<Record<string, LimitMapping>> = {
  pipe: same('pipe'),
  'pipe/raw': same('pipe'),
  unix: same('unix'),
  tcp: same('tcp'),
  queue: same('port', null),
  transfer: same('port', null),
  ipc: same('ipc', null),
  'ipc-json': same('ipc-json', null),
  manager: { nodeMinimal: 'unix', c: 'unix', target: false, note: 'a broker: two hops per message, no target' },
  ring: { nodeMinimal: null, c: 'shm', target: false, note: 'no minimal Node loop over shared memory: held against C shm only' },
  'ring-thread': { nodeMinimal: null, c: null, target: false, note: 'no minimal Node loop between threads over shared memory' },
};

/** The figures' groups: transports that are compared with each other, and the CPython transports beside them. */
export interface MessageGroup {
  id: string;
  title: string;
  node: readonly string[];
  cpython: readonly string[];
}

export const MESSAGE_GROUPS: readonly MessageGroup[] = [
  { id: 'streams', title: 'byte streams between processes', node: ['pipe', 'pipe/raw', 'unix', 'tcp'], cpython: ['pipe'] },
  { id: 'processes', title: 'message channels between processes', node: ['ipc', 'ipc-json', 'manager'], cpython: ['queue', 'manager'] },
  { id: 'threads', title: 'threads and shared memory', node: ['queue', 'transfer', 'ring-thread', 'ring'], cpython: [] },
];

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
const pointOf = findPoint;

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
      const rt = pointOf(points, 'node', transport, 'roundtrip', bytes);
      const rate = pointOf(points, 'node', transport, 'rate', bytes);
      if (!rt && !rate) continue;
      const minRt = m.nodeMinimal ? pointOf(points, 'node-minimal', m.nodeMinimal, 'roundtrip', bytes) : undefined;
      const minRate = m.nodeMinimal ? pointOf(points, 'node-minimal', m.nodeMinimal, 'rate', bytes) : undefined;
      const cRt = m.c ? pointOf(points, 'c', m.c, 'roundtrip', bytes) : undefined;
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
        note: m.note || (m.nodeMinimal && (!minRt || !minRate) ? `bare Node ${m.nodeMinimal} has no result at this size` : ''),
      });
    }
  }
  return rows;
}

const r3 = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(3)));
const us = (s: number | null): number | null => (s === null ? null : Number((s * 1e6).toPrecision(3)));
const verdict = (met: boolean | null) => (met === null ? '—' : met ? 'met' : 'missed');

/** The targets as a table. */
export function targetTableRows(rows: readonly TargetRow[]): Record<string, string | number | null>[] {
  return rows.map((r) => ({
    transport: r.transport,
    size: formatBytes(r.messageBytes),
    'p50 µs': us(r.p50Seconds),
    'bare Node p50 µs': us(r.minimalP50Seconds),
    'p50 ÷ bare Node': r3(r.p50Ratio),
    [`≤ ${P50_TARGET}`]: verdict(r.p50Met),
    'C p50 µs': us(r.cP50Seconds),
    'p50 ÷ C': r3(r.p50OverC),
    'messages/s': r3(r.messagesPerSecond),
    'bare Node messages/s': r3(r.minimalMessagesPerSecond),
    'rate ÷ bare Node': r3(r.rateRatio),
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
      : ` — missed by ${missed.map((r) => `${r.transport} at ${formatBytes(r.messageBytes)} (${value(r)?.toFixed(2)}×)`).join(', ')}`;
  return (
    `Targets against bare Node over the same channel, in this run: p50 round trip ≤ ${P50_TARGET}× met in ${p50.met} of ${p50.judged} ` +
    `transport × size cells${list(p50.missed, (r) => r.p50Ratio)}; rate ≥ ${RATE_TARGET}× met in ${rate.met} of ${rate.judged}` +
    `${list(rate.missed, (r) => r.rateRatio)}. The manager and the rings have no target (see the notes).`
  );
}

/** Style of a series in the message figures: the palette's for Node transports, CPython in its runtime's blues, limits in black and greys. */
function styleOf(p: Pick<MessagePoint, 'source' | 'label'>): Partial<SeriesStyle> | undefined {
  if (p.source === 'c' || p.source === 'node-minimal') return limitStyle(p.source, p.label);
  if (p.source === 'cpython') {
    const shades = shadesOf(RUNTIME_COLORS.cpython, 3);
    const color = { pipe: shades[0], queue: shades[2], manager: shades[1] }[p.label] ?? shades[1];
    return { color, dash: 'dashdot', symbol: 'x' };
  }
  return undefined;
}

/** The series (as MessagePoint keys) a group's figures draw: its Node and CPython transports, then the limits of their channels. */
export function groupSeries(group: MessageGroup): { source: MessagePoint['source']; label: string }[] {
  const keys: { source: MessagePoint['source']; label: string }[] = [
    ...group.node.map((label) => ({ source: 'node' as const, label })),
    ...group.cpython.map((label) => ({ source: 'cpython' as const, label })),
  ];
  for (const source of ['c', 'node-minimal'] as const) {
    const channels = group.node.map((t) => (source === 'c' ? LIMIT_FOR[t]?.c : LIMIT_FOR[t]?.nodeMinimal));
    for (const channel of new Set(channels.filter((c): c is string => !!c))) keys.push({ source, label: channel });
  }
  return keys;
}

/** A group series' name (ipc-json's series carries objects, every other main series bytes). */
const nameOf = (k: { source: MessagePoint['source']; label: string }) =>
  messageSeriesName(k.source, k.label, k.label === 'ipc-json' && k.source === 'node' ? 'object' : 'bytes');

function findGroup(groupId: string): MessageGroup {
  const group = MESSAGE_GROUPS.find((g) => g.id === groupId);
  if (!group) throw new Error(`message group "${groupId}" is not one of ${MESSAGE_GROUPS.map((g) => g.id).join(', ')}`);
  return group;
}

/** Failed or refused runs of a group's series at a pattern, as marks on its figure. */
function groupFailures(run: MessageRun, keys: ReturnType<typeof groupSeries>, pattern: MessagePattern): FailureMark[] {
  const marks: FailureMark[] = [];
  const seen = new Set<string>();
  const add = (series: string, bytes: number, reason: string) => {
    const key = `${series}@${bytes}`;
    if (seen.has(key)) return;
    seen.add(key);
    marks.push({ series, at: bytes, atLabel: formatBytes(bytes), reason });
  };
  for (const r of run.records) {
    if (r.ok || r.pattern !== pattern || r.messageBytes === null) continue;
    const label = transportLabel(r);
    const key = keys.find((k) => k.source === r.runtime && k.label === label);
    if (key && (r.payload === 'bytes' || label === 'ipc-json'))
      add(messageSeriesName(r.runtime, label, r.payload), r.messageBytes, failureReason(r));
  }
  for (const l of run.limits) {
    if (l.ok || l.pattern !== pattern || !keys.some((k) => k.source === l.source && k.label === l.channel)) continue;
    add(messageSeriesName(l.source, l.channel, null), l.messageBytes, `failed: ${l.error ?? 'no reason'}`);
  }
  return marks;
}

/** The figure with its id recomputed after a change to its traces (the id is a hash of the content, as figures.ts makes it). */
export function rehash(fig: FigureSpec): FigureSpec {
  const { data, layout, width, height } = fig;
  const id = `fig-${createHash('sha1').update(JSON.stringify({ data, layout, width, height })).digest('hex').slice(0, 12)}`;
  return { ...fig, id };
}

/**
 * Round-trip latency of a group against message size, log–log: each series' p50 as a line, a
 * whisker up to its p99 — one trace per series, so every series keeps one colour. The series at
 * one size are spread a little sideways so their whiskers do not hide each other (the hover shows
 * the true size).
 */
export function latencyFigure(run: MessageRun, groupId: string): FigureSpec {
  const group = findGroup(groupId);
  const points = messagePoints(run);
  const sizes = messageSizes(run);
  const keys = groupSeries(group);
  const failures = groupFailures(run, keys, 'roundtrip');
  // A series with nothing to draw stays when it failed somewhere: the figure's note says why.
  const drawn = keys
    .map((k) => ({ k, at: sizes.map((b) => pointOf(points, k.source, k.label, 'roundtrip', b)) }))
    .filter((s) => s.at.some((p) => p?.p50Seconds != null) || failures.some((f) => f.series === nameOf(s.k)));
  const spread = (i: number) => 10 ** (0.025 * (i - (drawn.length - 1) / 2));
  const series: LineSeries[] = drawn.map(({ k, at }, i) => ({
    name: nameOf(k),
    x: sizes.map((b) => b * spread(i)),
    y: at.map((p) => p?.p50Seconds ?? null).map((s) => (s === null ? null : s * 1e6)),
    style: styleOf(k),
  }));
  const fig = lineFigure({
    title: `Round trip, ${group.title}: p50 (line), p99 (whisker)`,
    xTitle: 'message size (bytes)',
    yTitle: 'round trip (µs)',
    logX: true,
    logY: true,
    series,
    failures,
    width: 780,
    height: 460,
  });
  const data = fig.data.map((trace, i) => {
    const at = drawn[i].at;
    const p50 = at.map((p) => ((p?.p50Seconds ?? null) === null ? null : (p?.p50Seconds as number) * 1e6));
    const p99 = at.map((p) => ((p?.p99Seconds ?? null) === null ? null : (p?.p99Seconds as number) * 1e6));
    const color = (trace.line as { color: string }).color;
    return {
      ...trace,
      customdata: sizes.map((b, j) => [formatBytes(b), p99[j]]),
      error_y: {
        type: 'data',
        symmetric: false,
        array: p50.map((v, j) => (v === null || p99[j] === null ? 0 : Math.max(0, (p99[j] as number) - v))),
        arrayminus: p50.map(() => 0),
        color,
        thickness: 1.2,
        width: 3,
      },
      hovertemplate: `${String(trace.name)}<br>%{customdata[0]}<br>p50 %{y:.3g} µs, p99 %{customdata[1]:.3g} µs<extra></extra>`,
    };
  });
  return rehash({ ...fig, data });
}

/** Message rate of a group against size, log–log: messages per second (`messages`) or MB/s (`bytes`), with the limits of the same channels. */
export function rateFigure(run: MessageRun, groupId: string, unit: 'messages' | 'bytes' = 'messages'): FigureSpec {
  const group = findGroup(groupId);
  const points = messagePoints(run);
  const sizes = messageSizes(run);
  const keys = groupSeries(group);
  const value = (p: MessagePoint | undefined) =>
    unit === 'messages' ? (p?.messagesPerSecond ?? null) : p?.bytesPerSecond ? p.bytesPerSecond / 1e6 : null;
  const failures = groupFailures(run, keys, 'rate');
  const series: LineSeries[] = keys
    .map((k) => ({
      name: nameOf(k),
      x: sizes,
      y: sizes.map((b) => value(pointOf(points, k.source, k.label, 'rate', b))),
      style: styleOf(k),
    }))
    .filter((s) => s.y.some((v) => v !== null) || failures.some((f) => f.series === s.name));
  return lineFigure({
    title: `Stream rate, ${group.title}${unit === 'messages' ? '' : ' (MB/s)'}`,
    xTitle: 'message size (bytes)',
    yTitle: unit === 'messages' ? 'messages per second' : 'MB per second',
    logX: true,
    logY: true,
    series,
    failures,
    width: 780,
    height: 460,
  });
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
          'round trips/s': r3(rt?.messagesPerSecond ?? null),
          'stream messages/s': r3(rate?.messagesPerSecond ?? null),
          'stream MB/s': rate?.bytesPerSecond ? r3(rate.bytesPerSecond / 1e6) : null,
          'sender CPU µs/msg': us(rate?.senderCpuSecondsPerMessage ?? null),
          'receiver CPU µs/msg': us(rate?.receiverCpuSecondsPerMessage ?? null),
        },
      ];
    }),
  );
}
