/**
 * The messages notebook's figures: round trips and rates per family of transports (MESSAGE_GROUPS) with
 * the limits of the channels they use, and CPU per message at one size. Each series in its palette
 * colour — Node's transports as everywhere, CPython's in its runtime's blues, the C floor and bare
 * Node in black and greys (palette.ts limitStyle). Pure: a run in, plotly specs out.
 */
import { C_MESSAGE_CHANNELS, NODE_MINIMAL_CHANNELS } from '../measure/message-limits/row';
import { formatBytes } from '../model/format';
import { describeFailure, transportLabel } from '../model/record';
import type { FailureMark } from './figure-notes';
import { type BarSeries, type FigureSpec, groupedBarFigure, type LineSeries, lineFigure, rehash } from './figures';
import { smallSize } from './message-findings';
import {
  LIMIT_FOR,
  type MessagePattern,
  type MessagePoint,
  type MessageRun,
  messageSeriesName,
  messageSizes,
  pointsOf,
  us,
} from './messages';
import { limitStyle, PHASE_COLORS, RUNTIME_COLORS, type SeriesStyle, shadesOf } from './palette';

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

type SeriesKey = Pick<MessagePoint, 'source' | 'label'>;

/** Style of a series in the message figures: the palette's for Node transports, CPython in its runtime's blues, limits in black and greys. */
function styleOf(p: SeriesKey): Partial<SeriesStyle> | undefined {
  if (p.source === 'c' || p.source === 'node-minimal') return limitStyle(p.source, p.label);
  if (p.source !== 'cpython') return undefined;
  const shades = shadesOf(RUNTIME_COLORS.cpython, 3);
  return { color: { pipe: shades[0], queue: shades[2], manager: shades[1] }[p.label] ?? shades[1], dash: 'dashdot', symbol: 'x' };
}

/** The series a group's figures draw: its Node and CPython transports, then the limits of their channels. */
export function groupSeries(group: MessageGroup): SeriesKey[] {
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

/** Failed or refused runs of a group's series at a pattern, as marks on its figure (one per series and size). */
function groupFailures(run: MessageRun, keys: readonly SeriesKey[], pattern: MessagePattern): FailureMark[] {
  const marks = new Map<string, FailureMark>();
  const add = (key: SeriesKey, bytes: number, reason: string) => {
    if (!keys.some((k) => k.source === key.source && k.label === key.label)) return;
    const series = nameOf(key);
    if (!marks.has(`${series}@${bytes}`)) marks.set(`${series}@${bytes}`, { series, at: bytes, atLabel: formatBytes(bytes), reason });
  };
  for (const r of run.records.filter((r) => !r.ok && r.pattern === pattern && r.messageBytes !== null)) {
    const label = transportLabel(r);
    if (r.payload === 'bytes' || label === 'ipc-json') add({ source: r.runtime, label }, r.messageBytes as number, describeFailure(r));
  }
  for (const l of run.limits.filter((l) => !l.ok && l.pattern === pattern)) {
    add(
      { source: l.source, label: l.channel },
      l.messageBytes,
      describeFailure({ failedPhase: l.failedPhase ?? '', error: l.error ?? '' }),
    );
  }
  return [...marks.values()];
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
    series: drawn.map(
      ({ k, at }, i): LineSeries => ({ name: nameOf(k), x: sizes.map((b) => b * spread(i)), y: at.map(value), style: styleOf(k) }),
    ),
    failures,
    width: 720,
    height: 430,
  });
  if (pattern === 'rate') return fig;
  const data = fig.data.map((trace, i) => {
    const [p50, p99] = [drawn[i].at.map(value), drawn[i].at.map((p) => us(p?.roundTripP99Seconds))];
    const whisker = p50.map((v, j) => (v === null || p99[j] === null ? 0 : Math.max(0, (p99[j] as number) - v)));
    return {
      ...trace,
      customdata: sizes.map((b, j) => [formatBytes(b), p99[j]]),
      error_y: {
        type: 'data',
        symmetric: false,
        array: whisker,
        arrayminus: p50.map(() => 0),
        color: (trace.line as { color: string }).color,
        thickness: 1.2,
        width: 3,
      },
      hovertemplate: `${String(trace.name)}<br>%{customdata[0]}<br>p50 %{y:.3g} µs, p99 %{customdata[1]:.3g} µs<extra></extra>`,
    };
  });
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
