/**
 * The runtimes notebook's figures (16-runtimes): a bar per runtime in its fixed colour for each
 * question, the medians read through lib/findings/runtimes.ts `measure`; a configuration a runtime
 * could not run gets a ✗ with why.
 */
import {
  type Field,
  largestSize,
  type Measured,
  measure,
  messageTransportsOf,
  methodsOf,
  presentRuntimes,
  TOTAL_SECONDS,
  transfersOf,
} from '../findings/runtimes';
import { formatBytes, formatSize } from '../model/format';
import { describeFailure } from '../model/record';
import type { Runtime, TransferRecord } from '../model/types';
import { type FigureSpec, type GroupedBarFigureOptions, groupedBarFigure } from './figures';
import { RUNTIME_COLORS, RUNTIME_NAMES } from './palette';

/** "Bun 1.4.5": the runtime's name and the version its records carry (the most frequent one). */
export function runtimeTitle(runtime: Runtime, records: readonly TransferRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records)
    if (r.runtime === runtime && r.runtimeVersion) counts.set(r.runtimeVersion, (counts.get(r.runtimeVersion) ?? 0) + 1);
  const version = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return version ? `${RUNTIME_NAMES[runtime]} ${version}` : RUNTIME_NAMES[runtime];
}

const mebibytes = (bytes: number | null) => (bytes === null ? null : bytes / 2 ** 20);

/** What runtimeBars draws: a category per x label, a bar per runtime in its fixed colour, on a log axis. */
type RuntimeBars = Pick<GroupedBarFigureOptions, 'title' | 'categories' | 'xTitle' | 'yTitle' | 'width'> & {
  measure: (runtime: Runtime, index: number) => Measured;
  /** Where each bar's whisker reaches up to (e.g. the p99 over a p50 bar). */
  upTo?: (runtime: Runtime, index: number) => Measured;
  runtimes: readonly Runtime[];
};

/** Grouped bars per runtime; a runtime without a value somewhere gets a ✗ there with the reason. */
function runtimeBars(records: readonly TransferRecord[], { measure: value, upTo, runtimes, ...figure }: RuntimeBars): FigureSpec {
  if (figure.categories.length === 0) return groupedBarFigure({ ...figure, title: `${figure.title}: none in this run`, series: [] });
  const cells = runtimes.map((rt) => ({ rt, name: runtimeTitle(rt, records), ms: figure.categories.map((_, i) => value(rt, i)) }));
  return groupedBarFigure({
    ...figure,
    logY: true,
    showValues: false,
    series: cells.map(({ rt, name, ms }) => ({
      name,
      values: ms.map((m) => m.value),
      style: { color: RUNTIME_COLORS[rt] },
      above: upTo && ms.map((m, i) => ((top) => (m.value !== null && top !== null ? Math.max(0, top - m.value) : null))(upTo(rt, i).value)),
    })),
    failures: cells.flatMap(({ name, ms }) =>
      ms.flatMap((m, i) =>
        m.value !== null
          ? []
          : [{ series: name, at: figure.categories[i], reason: m.failed ? describeFailure(m.failed) : 'not run in this experiment' }],
      ),
    ),
  });
}

/** Questions (a) and (b): the seven methods with this payload at its largest size, median total seconds per runtime. */
export function methodsFigure(records: readonly TransferRecord[], payload: 'list' | 'int32'): FigureSpec {
  const size = largestSize(records, payload);
  const methods = size === null ? [] : methodsOf(records, payload);
  return runtimeBars(records, {
    title: `The seven methods with ${payload === 'list' ? 'a plain list' : 'an Int32Array'} of ${size === null ? 'any size' : formatSize(size)} integers: total time per runtime (s, log scale)`,
    categories: methods,
    xTitle: "the article's method (transport)",
    yTitle: 'total time, median (s)',
    measure: (rt, i) => measure(records, rt, { pattern: 'transfer', transport: methods[i], payload, size: size ?? 0 }, TOTAL_SECONDS),
    // A runtime without this payload at all (CPython has no Int32Array) gets no series rather than a row of ✗.
    runtimes: presentRuntimes(transfersOf(records, payload)),
  });
}

/**
 * Question (c): round trip p50 per transport at one message size, a bar per runtime, its whisker
 * reaching up to the p99 (both medians over the rounds), in microseconds on a log axis.
 */
export function roundTripFigure(records: readonly TransferRecord[], messageBytes: number): FigureSpec {
  const transports = messageTransportsOf(records, 'roundtrip', messageBytes);
  const runtimes = presentRuntimes(records);
  const micro = (rt: Runtime, transport: string, field: Field): Measured => {
    const m = measure(records, rt, { pattern: 'roundtrip', transport, size: messageBytes }, field);
    return { ...m, value: m.value === null ? null : m.value * 1e6 };
  };
  return runtimeBars(records, {
    title: `Round trip of a ${formatBytes(messageBytes)} message: p50 per runtime, whisker to p99 (µs, log scale)`,
    categories: transports,
    xTitle: 'transport',
    yTitle: 'round trip p50, median over rounds (µs)',
    measure: (rt, i) => micro(rt, transports[i], (r) => r.roundTripP50Seconds),
    upTo: (rt, i) => micro(rt, transports[i], (r) => r.roundTripP99Seconds),
    runtimes,
  });
}

/** Question (d): messages per second of the one-way stream per transport at one message size, log axis. */
export function messageRateFigure(records: readonly TransferRecord[], messageBytes: number): FigureSpec {
  const transports = messageTransportsOf(records, 'rate', messageBytes);
  return runtimeBars(records, {
    title: `Stream of ${formatBytes(messageBytes)} messages: rate per runtime (messages/s, log scale)`,
    categories: transports,
    xTitle: 'transport',
    yTitle: 'messages per second, median over rounds',
    measure: (rt, i) => measure(records, rt, { pattern: 'rate', transport: transports[i], size: messageBytes }, (r) => r.messagesPerSecond),
    runtimes: presentRuntimes(records),
  });
}

/**
 * Question (e): peak RSS of the sender and of the receiver of the list at its largest size, per
 * method, a bar per runtime (MiB, log axis): memory is where the runtimes differ most.
 */
export function peakRssFigure(records: readonly TransferRecord[]): FigureSpec {
  const size = largestSize(records, 'list');
  const places = (size === null ? [] : methodsOf(records, 'list')).flatMap((method) =>
    (['sender', 'receiver'] as const).map((side) => ({ method, side })),
  );
  return runtimeBars(records, {
    title: `Peak resident memory of each peer, a list of ${size === null ? 'any size' : formatSize(size)} integers (MiB, log scale)`,
    categories: places.map((p) => `${p.method}<br>${p.side}`),
    xTitle: 'method and peer',
    yTitle: 'peak RSS, median (MiB)',
    measure: (rt, i) =>
      measure(records, rt, { pattern: 'transfer', transport: places[i].method, payload: 'list', size: size ?? 0 }, (r) =>
        mebibytes(places[i].side === 'sender' ? r.senderPeakRssBytes : r.receiverPeakRssBytes),
      ),
    runtimes: presentRuntimes(records),
    width: 1000,
  });
}
