/**
 * The messages notebook's figures and tables: round trips and rates per family of transports
 * (MESSAGE_GROUPS) with the limits of the channels they use, CPU per message at one size, and the
 * series and targets as table rows. Each series in its palette colour — Node's transports as
 * everywhere, CPython's in its runtime's blues, the C floor and bare Node in black and greys
 * (palette.ts limitStyle). The numbers are lib/findings/messages.ts's points and targets.
 */
import { messageChecks } from '../findings/message-findings';
import {
  isMainPoint,
  LIMIT_FOR,
  type MessagePattern,
  type MessagePoint,
  type MessageRun,
  type MessageSource,
  messageSeriesName,
  messageSizes,
  P50_TARGET,
  pointsOf,
  RATE_TARGET,
  smallSize,
  type TargetRow,
} from '../findings/messages';
import { C_MESSAGE_CHANNELS, NODE_MINIMAL_CHANNELS } from '../measure/message-limits/row';
import { formatBytes } from '../model/format';
import { describeFailure } from '../model/record';
import type { PayloadKind } from '../model/types';
import type { FailureMark } from './figure-notes';
import { type BarSeries, type FigureSpec, groupedBarFigure, type LineSeries, lineFigure, rehash } from './figures';
import { limitStyle, PHASE_COLORS, RUNTIME_COLORS, type SeriesStyle, shadesOf } from './palette';

/** The figures' groups: transports that are compared with each other, and the CPython transports beside them. */
export const MESSAGE_GROUPS: readonly { id: string; title: string; node: readonly string[]; cpython: readonly string[] }[] = [
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

/** Seconds as a figure's or table's µs. */
const us = (s: number | null | undefined): number | null => (s == null ? null : s * 1e6);

type SeriesKey = Pick<MessagePoint, 'source' | 'label'>;

/** Style of a series in the message figures: the palette's for Node transports, CPython in its runtime's blues, limits in black and greys. */
function styleOf(p: SeriesKey): Partial<SeriesStyle> | undefined {
  if (p.source === 'c' || p.source === 'node-minimal') return limitStyle(p.source, p.label);
  if (p.source !== 'cpython') return undefined;
  const shades = shadesOf(RUNTIME_COLORS.cpython, 3);
  return { color: { pipe: shades[0], queue: shades[2], manager: shades[1] }[p.label] ?? shades[1], dash: 'dashdot', symbol: 'x' };
}

/** The series a group's figures draw: its Node and CPython transports, then the limits of their channels. */
function groupSeries(group: (typeof MESSAGE_GROUPS)[number]): SeriesKey[] {
  const keys: SeriesKey[] = [
    ...group.node.map((label) => ({ source: 'node' as const, label })),
    ...group.cpython.map((label) => ({ source: 'cpython' as const, label })),
  ];
  for (const source of ['c', 'node-minimal'] as const) {
    const channels = group.node.map((t) => (source === 'c' ? LIMIT_FOR[t]?.c : LIMIT_FOR[t]?.nodeMinimal));
    for (const channel of new Set(channels.filter((c): c is string => !!c))) keys.push({ source, label: channel });
  }
  return keys;
}

/** A main series' name (ipc-json's series carries objects, every other main series bytes). */
const nameOf = (k: SeriesKey) => messageSeriesName(k.source, k.label, k.label === 'ipc-json' && k.source === 'node' ? 'object' : 'bytes');

/** Failed or refused runs of a group's series at a pattern, as marks on its figure (one per series and size, with its first reason). */
function groupFailures(run: MessageRun, keys: readonly SeriesKey[], pattern: MessagePattern): FailureMark[] {
  const names = new Set(keys.map(nameOf));
  const marks = messageChecks(run)
    .failures.filter((f) => f.pattern === pattern && f.messageBytes !== null && names.has(f.series))
    .map((f) => ({ series: f.series, at: f.messageBytes as number, atLabel: formatBytes(f.messageBytes), reason: describeFailure(f) }));
  return marks.filter((m, i) => marks.findIndex((o) => o.series === m.series && o.at === m.at) === i);
}

/**
 * A group's round trips (`roundtrip`: p50 as a line, a whisker up to p99, in µs) or streams
 * (`rate`: messages per second) against message size, log–log, with the limits of the same
 * channels — one trace per series, so every series keeps one colour. A series with nothing to draw
 * stays when it failed somewhere (the figure's note says why). Round-trip series at one size are
 * spread a little sideways so their whiskers do not hide each other (the hover shows the true size).
 */
export function messageFigure(run: MessageRun, groupId: string, pattern: MessagePattern): FigureSpec {
  const group = MESSAGE_GROUPS.find((g) => g.id === groupId);
  if (!group) throw new Error(`message group "${groupId}" is not one of ${MESSAGE_GROUPS.map((g) => g.id).join(', ')}`);
  const { at } = pointsOf(run);
  const sizes = messageSizes(run);
  const failures = groupFailures(run, groupSeries(group), pattern);
  const value = (p: MessagePoint | undefined) => (pattern === 'roundtrip' ? us(p?.roundTripP50Seconds) : (p?.messagesPerSecond ?? null));
  const drawn = groupSeries(group)
    .map((k) => ({ k, at: sizes.map((b) => at(k.source, k.label, pattern, b)) }))
    .filter((s) => s.at.some((p) => value(p) !== null) || failures.some((f) => f.series === nameOf(s.k)));
  const spread = (i: number) => (pattern === 'roundtrip' ? 10 ** (0.025 * (i - (drawn.length - 1) / 2)) : 1);
  const fig = lineFigure({
    title: pattern === 'roundtrip' ? `Round trip, ${group.title}: p50 (line), p99 (whisker)` : `Stream rate, ${group.title}`,
    xTitle: 'message size (bytes)',
    yTitle: pattern === 'roundtrip' ? 'round trip (µs)' : 'messages per second',
    logX: true,
    logY: true,
    series: drawn.map(({ k, at }, i): LineSeries => {
      const y = at.map(value);
      const p99 = at.map((p) => us(p?.roundTripP99Seconds));
      // The whisker reaches from a round trip's p50 up to its p99 (a stream has none).
      const above =
        pattern === 'roundtrip' ? y.map((v, j) => (v === null || p99[j] === null ? null : Math.max(0, (p99[j] as number) - v))) : undefined;
      return { name: nameOf(k), x: sizes.map((b) => b * spread(i)), y, style: styleOf(k), above };
    }),
    failures,
    width: 720,
    height: 430,
  });
  if (pattern === 'rate') return fig;
  // The hover names the true size (the line's x is spread) and the p99.
  const data = fig.data.map((trace, i) => ({
    ...trace,
    customdata: sizes.map((b, j) => [formatBytes(b), us(drawn[i].at[j]?.roundTripP99Seconds)]),
    hovertemplate: `${String(trace.name)}<br>%{customdata[0]}<br>p50 %{y:.3g} µs, p99 %{customdata[1]:.3g} µs<extra></extra>`,
  }));
  return rehash({ ...fig, data });
}

/**
 * CPU per message at one size (default smallSize): each peer's user + system CPU time per round
 * trip and per streamed message, beside the stream's wall time per message — a peer whose CPU per
 * message is near the wall time was busy all along (a polling receiver), one far below it slept.
 * Node's transports, CPython's, then the limits.
 */
export function cpuFigure(run: MessageRun, messageBytes = smallSize(run)): FigureSpec {
  const { points, at } = pointsOf(run);
  const keys: SeriesKey[] = [
    ...Object.keys(LIMIT_FOR).map((label) => ({ source: 'node' as const, label })),
    ...['pipe', 'queue', 'manager'].map((label) => ({ source: 'cpython' as const, label })),
    ...C_MESSAGE_CHANNELS.map((label) => ({ source: 'c' as const, label })),
    ...NODE_MINIMAL_CHANNELS.map((label) => ({ source: 'node-minimal' as const, label })),
  ].filter((k) => points.some((p) => p.source === k.source && p.label === k.label && p.messageBytes === messageBytes));
  const bars = (name: string, pattern: MessagePattern, pick: (p: MessagePoint) => number | null, color: string): BarSeries => ({
    name,
    values: keys.map((k) => {
      const p = at(k.source, k.label, pattern, messageBytes);
      return p ? us(pick(p)) : null;
    }),
    style: { color },
  });
  const [, , sendLight] = shadesOf(PHASE_COLORS.send, 3);
  const [, , receiveLight] = shadesOf(PHASE_COLORS.receive, 3);
  const fig = groupedBarFigure({
    title: `CPU per message at ${formatBytes(messageBytes)}: each peer's user + system time (log scale)`,
    categories: keys.map(nameOf),
    yTitle: 'µs per message',
    logY: true,
    showValues: false,
    series: [
      bars('round trip: client CPU', 'roundtrip', (p) => p.senderCpuSecondsPerMessage, sendLight),
      bars('round trip: server CPU', 'roundtrip', (p) => p.receiverCpuSecondsPerMessage, receiveLight),
      bars('stream: sender CPU', 'rate', (p) => p.senderCpuSecondsPerMessage, PHASE_COLORS.send),
      bars('stream: receiver CPU', 'rate', (p) => p.receiverCpuSecondsPerMessage, PHASE_COLORS.receive),
      bars('stream: wall time per message', 'rate', (p) => (p.messagesPerSecond ? 1 / p.messagesPerSecond : null), PHASE_COLORS.total),
    ],
    width: 900,
    height: 440,
  });
  // Room on the right for the last slanted category name.
  return rehash({ ...fig, layout: { ...fig.layout, margin: { ...(fig.layout.margin as object), r: 90 } } });
}

const verdict = (met: boolean | null) => (met === null ? null : met ? 'met' : 'missed');

/** The targets as a table. */
export function targetTableRows(rows: readonly TargetRow[]): Record<string, string | number | null>[] {
  return rows.map((r) => ({
    transport: r.transport,
    size: formatBytes(r.messageBytes),
    'p50 µs': us(r.p50Seconds),
    'bare Node p50 µs': us(r.minimalP50Seconds),
    'p50 ÷ bare Node': r.p50Ratio,
    [`≤ ${P50_TARGET}`]: verdict(r.p50Met),
    'C p50 µs': us(r.cP50Seconds),
    'p50 ÷ C': r.p50OverC,
    'messages/s': r.messagesPerSecond,
    'bare Node messages/s': r.minimalMessagesPerSecond,
    'rate ÷ bare Node': r.rateRatio,
    [`≥ ${RATE_TARGET}`]: verdict(r.rateMet),
    note: r.note,
  }));
}

/**
 * A table of series at every size of the run: p50 and p99 round trip, round trips per second, the
 * stream's messages and MB per second and CPU per streamed message. By default every main series —
 * Node's transports, then CPython's, then the C floor and bare Node, so that a transport's limits
 * are a few rows below it; or the `series` given, each with its name in the table.
 */
export function messageTableRows(
  run: MessageRun,
  series?: readonly { source: MessageSource; label: string; payload?: PayloadKind; name: string }[],
): Record<string, string | number | null>[] {
  const { points, at } = pointsOf(run);
  const order: MessageSource[] = ['node', 'cpython', 'c', 'node-minimal'];
  const main = points.filter(isMainPoint).sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
  const shown = series ?? [...new Map(main.map((p) => [`${p.source}\u0000${p.label}`, { ...p, payload: undefined }])).values()];
  return messageSizes(run).flatMap((bytes) =>
    shown.flatMap((s) => {
      const [rt, rate] = [at(s.source, s.label, 'roundtrip', bytes, s.payload), at(s.source, s.label, 'rate', bytes, s.payload)];
      if (!rt && !rate) return [];
      return [
        {
          size: formatBytes(bytes),
          series: s.name,
          'p50 µs': us(rt?.roundTripP50Seconds),
          'p99 µs': us(rt?.roundTripP99Seconds),
          'round trips/s': rt?.messagesPerSecond ?? null,
          'stream messages/s': rate?.messagesPerSecond ?? null,
          'stream MB/s': rate?.bytesPerSecond ? rate.bytesPerSecond / 1e6 : null,
          'sender CPU µs/msg': us(rate?.senderCpuSecondsPerMessage),
          'receiver CPU µs/msg': us(rate?.receiverCpuSecondsPerMessage),
        },
      ];
    }),
  );
}

/** The codec comparison as a table: each channel's analog and the other codecs on small objects, per size. */
export function codecTableRows(run: MessageRun): Record<string, string | number | null>[] {
  const codecs = [
    ['pipe', 'pipe · v8'],
    ['pipe/json', 'pipe · json'],
    ['pipe/msgpackr', 'pipe · msgpackr'],
    ['ipc', 'ipc · advanced (v8)'],
    ['ipc-json', 'ipc-json · json'],
    ['queue', 'queue · structured clone'],
  ];
  return messageTableRows(
    run,
    codecs.map(([label, name]) => ({ source: 'node', label, payload: 'object', name })),
  );
}
