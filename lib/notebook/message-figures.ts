/**
 * The messages notebook's latency and rate figures: one per family of transports (MESSAGE_GROUPS),
 * each series in its palette colour — Node's transports as everywhere, CPython's in its runtime's
 * blues, the C floor and bare Node in black and greys (palette.ts limitStyle) — with the limits of
 * the channels the family's transports use. Pure: a run in, plotly specs out.
 */
import { formatBytes } from '../model/format';
import { transportLabel } from '../model/record';
import { type FailureMark, failureReason } from './figure-notes';
import { type FigureSpec, type LineSeries, lineFigure, rehash } from './figures';
import {
  findPoint,
  LIMIT_FOR,
  type MessagePattern,
  type MessagePoint,
  type MessageRun,
  messagePoints,
  messageSeriesName,
  messageSizes,
} from './messages';
import { limitStyle, RUNTIME_COLORS, type SeriesStyle, shadesOf } from './palette';

const pointOf = findPoint;

/** The figures' groups: transports that are compared with each other, and the CPython transports beside them. */
export interface MessageGroup {
  id: string;
  title: string;
  node: readonly string[];
  cpython: readonly string[];
}

export const MESSAGE_GROUPS: readonly MessageGroup[] = [
  { id: 'streams-v8', title: 'byte streams between processes, messages in v8', node: ['pipe', 'unix', 'tcp'], cpython: ['pipe'] },
  { id: 'streams-raw', title: 'byte streams between processes, raw bytes', node: ['pipe/raw', 'unix/raw', 'tcp/raw'], cpython: [] },
  { id: 'processes', title: 'message channels between processes', node: ['ipc', 'ipc-json', 'manager'], cpython: ['queue', 'manager'] },
  {
    id: 'threads',
    title: 'threads and shared memory',
    node: ['queue', 'transfer', 'ring-thread', 'ring-thread/raw', 'ring', 'ring/raw'],
    cpython: [],
  },
];

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
    width: 720,
    height: 430,
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
    width: 720,
    height: 430,
  });
}
