/**
 * The runtimes notebook (16-runtimes): Node.js, Bun, Deno and CPython on the article's seven
 * methods and on the message patterns. Records in; medians, the table's rows and the figures out,
 * all read through `measure`, so the table, the figures and the findings (runtimes-findings.ts)
 * show the same numbers. A configuration a runtime could not run is never a blank: its status
 * says `limits` (refused in advance) or `failed` (at run time), and a figure marks it with why.
 */
import { ARTICLE_METHOD_IDS } from '../model/catalog';
import { formatBytes, formatSize } from '../model/format';
import { describeFailure, transportLabel } from '../model/record';
import { type Pattern, type PayloadKind, RUNTIMES, type Runtime, type TransferRecord } from '../model/types';
import { RUNTIME_MESSAGE_TRANSPORTS } from '../sweep/experiments';
import { median } from '../sweep/stats';
import { type FigureSpec, type GroupedBarFigureOptions, groupedBarFigure } from './figures';
import { RUNTIME_COLORS, RUNTIME_NAMES } from './palette';

/** What a configuration of one runtime gave: a median, or in one word why there is none (`value` null). */
export interface Measured {
  value: number | null;
  status: 'ok' | 'limits' | 'failed' | 'not run';
  /** The first failed record of the configuration, to say why on a figure. */
  failed?: TransferRecord;
}

/** The runs that make one configuration in every runtime. */
export interface Configuration {
  pattern: Pattern;
  transport: string;
  /** Transfers: the payload (any when left out). */
  payload?: PayloadKind;
  /** Elements of a transfer, or bytes of one message of a message pattern. */
  size: number;
}

/** What a median is taken of: a record's field, or a value made from it (peak memory in MiB). */
type Field = (r: TransferRecord) => number | null;
export const TOTAL_SECONDS: Field = (r) => r.totalSeconds;
const mebibytes = (bytes: number | null) => (bytes === null ? null : bytes / 2 ** 20);

const sizeOf = (r: TransferRecord) => (r.pattern === 'transfer' ? r.sizeElements : r.messageBytes);

/**
 * The median of `field` over the configuration's ok measured runs in `runtime`, with the transport's
 * analog codec (the article's kind of serialisation in each runtime), or the word for why there is none.
 */
export function measure(records: readonly TransferRecord[], runtime: Runtime, c: Configuration, field: Field): Measured {
  const runs = records.filter(
    (r) =>
      !r.warmup &&
      r.runtime === runtime &&
      r.pattern === c.pattern &&
      r.transport === c.transport &&
      (c.payload === undefined || r.payload === c.payload) &&
      sizeOf(r) === c.size &&
      transportLabel(r) === r.transport,
  );
  const values = runs
    .filter((r) => r.ok)
    .map(field)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length > 0) return { value: median(values), status: 'ok' };
  const failed = runs.find((r) => !r.ok);
  if (!failed) return { value: null, status: 'not run' };
  return { value: null, status: failed.failedPhase === 'limits' ? 'limits' : 'failed', failed };
}

/** The runtimes present in the records, in RUNTIMES order (Node.js first: every ratio's denominator). */
export function presentRuntimes(records: readonly TransferRecord[]): Runtime[] {
  return RUNTIMES.filter((rt) => records.some((r) => r.runtime === rt));
}

/** The runtimes the experiment asks for that this run's records lack. */
export function absentRuntimes(records: readonly TransferRecord[]): Runtime[] {
  return RUNTIMES.filter((rt) => !records.some((r) => r.runtime === rt));
}

/** "Bun 1.4.5": the runtime's name and the version its records carry (the most frequent one). */
export function runtimeTitle(runtime: Runtime, records: readonly TransferRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records)
    if (r.runtime === runtime && r.runtimeVersion) counts.set(r.runtimeVersion, (counts.get(r.runtimeVersion) ?? 0) + 1);
  const version = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return version ? `${RUNTIME_NAMES[runtime]} ${version}` : RUNTIME_NAMES[runtime];
}

/** The distinct values: those in `order` first, in its order, then the others ascending. */
function inOrder<T extends string | number>(values: readonly T[], order: readonly T[] = []): T[] {
  const present = new Set(values);
  const others = [...present].filter((v) => !order.includes(v)).sort((a, b) => (a < b ? -1 : 1));
  return [...order.filter((v) => present.has(v)), ...others];
}

const transfersOf = (records: readonly TransferRecord[], payload?: PayloadKind) =>
  records.filter((r) => r.pattern === 'transfer' && (payload === undefined || r.payload === payload));

/** The article's methods among the transfers (of `payload`, if given), in the article's order. */
export function methodsOf(records: readonly TransferRecord[], payload?: PayloadKind): string[] {
  return inOrder(
    transfersOf(records, payload).map((r) => r.transport),
    ARTICLE_METHOD_IDS,
  );
}

/** The largest transfer size of `payload` (10^8 at the article's scale), ok or not; null if none. */
export function largestSize(records: readonly TransferRecord[], payload: PayloadKind): number | null {
  const sizes = transfersOf(records, payload).map((r) => r.sizeElements);
  return sizes.length > 0 ? Math.max(...sizes) : null;
}

/** The message sizes (bytes) of the message patterns, ascending. */
export function messageSizesOf(records: readonly TransferRecord[]): number[] {
  return inOrder(records.filter((r) => r.pattern !== 'transfer' && r.messageBytes !== null).map((r) => r.messageBytes as number));
}

/** The transports of a message pattern (at one message size, if given), in the experiment's order. */
export function messageTransportsOf(records: readonly TransferRecord[], pattern: Pattern, messageBytes?: number): string[] {
  const runs = records.filter((r) => r.pattern === pattern && (messageBytes === undefined || r.messageBytes === messageBytes));
  return inOrder(
    runs.map((r) => r.transport),
    RUNTIME_MESSAGE_TRANSPORTS,
  );
}

/** One transfer configuration of the table: each runtime's median total seconds, and each ÷ Node.js's. */
export interface RuntimeRow {
  method: string;
  payload: PayloadKind;
  sizeElements: number;
  seconds: Partial<Record<Runtime, Measured>>;
  /** The runtime's median ÷ Node.js's; null where either has none (a status says why). */
  ratio: Partial<Record<Runtime, number | null>>;
}

/** Per size × method × payload that ran: the present runtimes' medians and ratios to Node.js. */
export function runtimeTableRows(records: readonly TransferRecord[]): RuntimeRow[] {
  const runtimes = presentRuntimes(records);
  const sizes = inOrder(transfersOf(records).map((r) => r.sizeElements));
  return sizes.flatMap((size) =>
    methodsOf(records).flatMap((method) =>
      (['list', 'int32'] as const).flatMap((payload) => {
        if (!transfersOf(records, payload).some((r) => r.transport === method && r.sizeElements === size)) return [];
        const c: Configuration = { pattern: 'transfer', transport: method, payload, size };
        const seconds = Object.fromEntries(runtimes.map((rt) => [rt, measure(records, rt, c, TOTAL_SECONDS)]));
        const node = seconds.node?.value;
        const ratio = Object.fromEntries(
          runtimes.map((rt) => [rt, node && seconds[rt].value !== null ? (seconds[rt].value as number) / node : null]),
        );
        return [{ method, payload, sizeElements: size, seconds, ratio }];
      }),
    ),
  );
}

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
