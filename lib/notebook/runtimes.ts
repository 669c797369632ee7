/**
 * The runtimes notebook (16-runtimes): Node.js, Bun, Deno and CPython on the article's seven
 * methods and on the message patterns, from the records of the `runtimes` experiment. Pure
 * builders — records in, rows and figures out — so the table, the figures and the sentences of
 * runtimes-lessons.ts all read the same medians. A configuration a runtime could not run is never
 * a blank: its cell says `limits` (refused in advance) or `failed` (found at run time), and a
 * figure marks it with its reason.
 */
import { ARTICLE_METHOD_IDS } from '../model/catalog';
import { formatBytes, formatSize, MISSING } from '../model/format';
import { transportLabel } from '../model/record';
import { type PayloadKind, RUNTIMES, type Runtime, type TransferRecord } from '../model/types';
import { RUNTIME_MESSAGE_TRANSPORTS } from '../sweep/experiments';
import { median } from '../sweep/stats';
import { type FailureMark, failureReason } from './figure-notes';
import { type BarSeries, type FigureSpec, groupedBarFigure, rehash } from './figures';
import { RUNTIME_COLORS, RUNTIME_NAMES } from './palette';

/** What a configuration of one runtime gave: its median, or in one word why there is none. */
export type CellStatus = 'ok' | 'limits' | 'failed' | 'not run';

/** A median (seconds, or messages/s for a rate) with its status; `value` is null unless `status` is `ok`. */
export interface Measured {
  value: number | null;
  status: CellStatus;
  /** The first failed record of the configuration, to name why on a figure. */
  failed?: TransferRecord;
}

/** Measured records with the transport's analog codec (the article's kind of serialisation in each runtime). */
function analog(records: readonly TransferRecord[]): TransferRecord[] {
  return records.filter((r) => !r.warmup && transportLabel(r) === r.transport);
}

/** The runtimes present in the records, in RUNTIMES order (node first: it is every ratio's denominator). */
export function presentRuntimes(records: readonly TransferRecord[]): Runtime[] {
  return RUNTIMES.filter((rt) => records.some((r) => r.runtime === rt));
}

/** "Bun 1.4.5": the runtime's name and the version its records carry (the most frequent one). */
export function runtimeTitle(runtime: Runtime, records: readonly TransferRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records)
    if (r.runtime === runtime && r.runtimeVersion) counts.set(r.runtimeVersion, (counts.get(r.runtimeVersion) ?? 0) + 1);
  const version = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return version ? `${RUNTIME_NAMES[runtime]} ${version}` : RUNTIME_NAMES[runtime];
}

/** The median of `value` over a configuration's ok records, or the word for why it has none. */
function summarise(matching: readonly TransferRecord[], value: (r: TransferRecord) => number | null): Measured {
  const values = matching
    .filter((r) => r.ok)
    .map(value)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length > 0) return { value: median(values), status: 'ok' };
  const failed = matching.find((r) => !r.ok);
  if (!failed) return { value: null, status: 'not run' };
  return { value: null, status: failed.failedPhase === 'limits' ? 'limits' : 'failed', failed };
}

/**
 * A failure's reason as a figure's note: the mark already names the runtime and its version, and
 * the memory figures of one machine's moment are left out, so that the same refusal at several
 * places reads as one note.
 */
function markReason(record: TransferRecord): string {
  return failureReason(record)
    .replace(`${record.runtime} ${record.runtimeVersion}: `, '')
    .replace(/: [\d.]+ GiB here, more than half of the [\d.]+ GiB available/, ', more than half the memory available');
}

/** The runs of one transfer configuration with its analog codec. */
function transferRuns(
  records: readonly TransferRecord[],
  runtime: Runtime,
  transport: string,
  payload: PayloadKind,
  sizeElements: number,
): TransferRecord[] {
  return analog(records).filter(
    (r) =>
      r.pattern === 'transfer' &&
      r.runtime === runtime &&
      r.transport === transport &&
      r.payload === payload &&
      r.sizeElements === sizeElements,
  );
}

/** Median total seconds of one transfer configuration (analog codec), or why there is none. */
export function transferMedian(
  records: readonly TransferRecord[],
  runtime: Runtime,
  transport: string,
  payload: PayloadKind,
  sizeElements: number,
): Measured {
  return summarise(transferRuns(records, runtime, transport, payload, sizeElements), (r) => r.totalSeconds);
}

/** The transfer sizes (elements) in the records, ascending. */
export function transferSizes(records: readonly TransferRecord[], payload?: PayloadKind): number[] {
  const sizes = records
    .filter((r) => r.pattern === 'transfer' && (payload === undefined || r.payload === payload))
    .map((r) => r.sizeElements);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** The article's methods present in the records, in the article's order (others after). */
export function methodsOf(records: readonly TransferRecord[]): string[] {
  const ids = new Set(records.filter((r) => r.pattern === 'transfer').map((r) => r.transport));
  return [...ARTICLE_METHOD_IDS.filter((m) => ids.has(m)), ...[...ids].filter((m) => !ARTICLE_METHOD_IDS.includes(m)).sort()];
}

/** One row of the runtimes table: method, payload, size, then a column per runtime and per ratio. */
export type RuntimeRow = Record<string, string | number | null>;

/** The header of a runtime's column, e.g. "Bun 1.4.5 (s)". */
export function secondsColumn(runtime: Runtime, records: readonly TransferRecord[]): string {
  return `${runtimeTitle(runtime, records)} (s)`;
}

/** The header of a ratio column, e.g. "Bun ÷ Node.js". */
export function ratioColumn(runtime: Runtime): string {
  return `${RUNTIME_NAMES[runtime]} ÷ ${RUNTIME_NAMES.node}`;
}

const PAYLOAD_LABEL: Readonly<Record<string, string>> = { list: 'list', int32: 'Int32Array' };

/**
 * Per method × payload × size: the median total seconds in each runtime (a column titled with
 * its version), then each runtime ÷ Node.js. A configuration without a time says why in a word —
 * `limits`, `failed`, or `not run` (e.g. CPython has no Int32Array payload) — and a ratio it
 * cannot have is `—`.
 */
export function runtimeTableRows(records: readonly TransferRecord[]): RuntimeRow[] {
  const runtimes = presentRuntimes(records);
  const rows: RuntimeRow[] = [];
  for (const size of transferSizes(records)) {
    for (const method of methodsOf(records)) {
      for (const payload of ['list', 'int32'] as const) {
        if (!records.some((r) => r.pattern === 'transfer' && r.transport === method && r.payload === payload && r.sizeElements === size))
          continue;
        const row: RuntimeRow = { method, payload: PAYLOAD_LABEL[payload], elements: formatSize(size) };
        const cells = new Map(runtimes.map((rt) => [rt, transferMedian(records, rt, method, payload, size)]));
        for (const rt of runtimes) {
          const c = cells.get(rt) as Measured;
          row[secondsColumn(rt, records)] = c.status === 'ok' ? c.value : c.status;
        }
        const node = cells.get('node');
        for (const rt of runtimes.filter((r) => r !== 'node')) {
          const c = cells.get(rt) as Measured;
          row[ratioColumn(rt)] = node?.value && c.value !== null ? c.value / node.value : MISSING;
        }
        rows.push(row);
      }
    }
  }
  return rows;
}

/** The largest transfer size with records of this payload (1e8 at the article's scale), ok or not; null if none. */
export function largestSize(records: readonly TransferRecord[], payload: PayloadKind): number | null {
  const sizes = transferSizes(records, payload);
  return sizes.length > 0 ? sizes[sizes.length - 1] : null;
}

/** Bars per runtime in its fixed colour; missing values marked with their reason. */
function runtimeBars(
  records: readonly TransferRecord[],
  categories: readonly string[],
  measure: (runtime: Runtime, category: string) => Measured,
  runtimes: readonly Runtime[] = presentRuntimes(records),
): { series: BarSeries[]; failures: FailureMark[]; cells: Map<Runtime, Measured[]> } {
  const cells = new Map(runtimes.map((rt) => [rt, categories.map((c) => measure(rt, c))]));
  const series = [...cells].map(([rt, ms]) => ({
    name: runtimeTitle(rt, records),
    values: ms.map((m) => m.value),
    style: { color: RUNTIME_COLORS[rt] },
  }));
  const failures = [...cells].flatMap(([rt, ms]) =>
    ms.flatMap((m, i): FailureMark[] =>
      m.value !== null
        ? []
        : [
            {
              series: runtimeTitle(rt, records),
              at: categories[i],
              reason: m.failed ? markReason(m.failed) : 'not run in this experiment',
            },
          ],
    ),
  );
  return { series, failures, cells };
}

/**
 * Questions (a) and (b): the seven methods with this payload at its largest size (1e8 at the
 * article's scale), median total seconds per runtime on a log axis.
 */
export function methodsFigure(records: readonly TransferRecord[], payload: 'list' | 'int32'): FigureSpec {
  const size = largestSize(records, payload);
  const what = payload === 'list' ? 'a plain list' : 'an Int32Array';
  if (size === null) return emptyFigure(`The seven methods with ${what}: no records of this payload in this run`);
  const methods = methodsOf(records.filter((r) => r.payload === payload));
  // A runtime without this payload at all (CPython has no Int32Array) gets no series rather than a row of ✗.
  const runtimes = presentRuntimes(records.filter((r) => r.pattern === 'transfer' && r.payload === payload));
  const bars = runtimeBars(records, methods, (rt, m) => transferMedian(records, rt, m, payload, size), runtimes);
  return groupedBarFigure({
    title: `The seven methods with ${what} of ${formatSize(size)} integers: total time per runtime (s, log scale)`,
    categories: methods,
    xTitle: "the article's method (transport)",
    yTitle: 'total time, median (s)',
    logY: true,
    showValues: false,
    series: bars.series,
    failures: bars.failures,
  });
}

/** A figure with no bars whose title says what is missing (a smoke run has few records). */
function emptyFigure(title: string): FigureSpec {
  return groupedBarFigure({ title, categories: [], yTitle: 'none', series: [] });
}

/** One message configuration's median of a field over the rounds, or why there is none. */
export function messageMedian(
  records: readonly TransferRecord[],
  runtime: Runtime,
  transport: string,
  pattern: 'roundtrip' | 'rate',
  messageBytes: number,
  field: 'roundTripP50Seconds' | 'roundTripP99Seconds' | 'messagesPerSecond',
): Measured {
  const matching = analog(records).filter(
    (r) => r.pattern === pattern && r.runtime === runtime && r.transport === transport && r.messageBytes === messageBytes,
  );
  return summarise(matching, (r) => r[field]);
}

/** The message sizes (bytes) in the records, ascending. */
export function messageSizesOf(records: readonly TransferRecord[]): number[] {
  const sizes = records.filter((r) => r.pattern !== 'transfer' && r.messageBytes !== null).map((r) => r.messageBytes as number);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** The message transports of the records for this pattern, in the experiment's order. */
export function messageTransportsOf(records: readonly TransferRecord[], pattern: 'roundtrip' | 'rate'): string[] {
  const ids = new Set(records.filter((r) => r.pattern === pattern).map((r) => r.transport));
  return [
    ...RUNTIME_MESSAGE_TRANSPORTS.filter((t) => ids.has(t)),
    ...[...ids].filter((t) => !RUNTIME_MESSAGE_TRANSPORTS.includes(t)).sort(),
  ];
}

/**
 * Question (c): round trip p50 per transport at one message size, a bar per runtime, its whisker
 * reaching up to the p99 (both medians over the rounds), in microseconds on a log axis.
 */
export function roundTripFigure(records: readonly TransferRecord[], messageBytes: number): FigureSpec {
  const transports = messageTransportsOf(records, 'roundtrip').filter((t) =>
    records.some((r) => r.pattern === 'roundtrip' && r.transport === t && r.messageBytes === messageBytes),
  );
  const title = `Round trip of a ${formatBytes(messageBytes)} message: p50 per runtime, whisker to p99 (µs, log scale)`;
  if (transports.length === 0) return emptyFigure(`${title}: no round trips of this size in this run`);
  const micro = (m: Measured): Measured => ({ ...m, value: m.value === null ? null : m.value * 1e6 });
  const bars = runtimeBars(records, transports, (rt, t) =>
    micro(messageMedian(records, rt, t, 'roundtrip', messageBytes, 'roundTripP50Seconds')),
  );
  const fig = groupedBarFigure({
    title,
    categories: transports,
    xTitle: 'transport',
    yTitle: 'round trip p50, median over rounds (µs)',
    logY: true,
    showValues: false,
    series: bars.series,
    failures: bars.failures,
  });
  // Whiskers: plotly draws error_y over each bar; arrayminus 0 keeps the whisker above the p50.
  const runtimes = [...bars.cells.keys()];
  const data = fig.data.map((trace, i) => {
    const p50 = bars.cells.get(runtimes[i])?.map((m) => m.value) ?? [];
    const p99 = transports.map(
      (t) => micro(messageMedian(records, runtimes[i], t, 'roundtrip', messageBytes, 'roundTripP99Seconds')).value,
    );
    const above = p99.map((v, j) => (v !== null && p50[j] !== null ? Math.max(0, v - (p50[j] as number)) : 0));
    return {
      ...trace,
      error_y: { type: 'data', symmetric: false, array: above, arrayminus: above.map(() => 0), thickness: 1.2, width: 3 },
    };
  });
  return rehash({ ...fig, data });
}

/** Question (d): messages per second of the one-way stream per transport at one message size, log axis. */
export function messageRateFigure(records: readonly TransferRecord[], messageBytes: number): FigureSpec {
  const transports = messageTransportsOf(records, 'rate').filter((t) =>
    records.some((r) => r.pattern === 'rate' && r.transport === t && r.messageBytes === messageBytes),
  );
  const title = `Stream of ${formatBytes(messageBytes)} messages: rate per runtime (messages/s, log scale)`;
  if (transports.length === 0) return emptyFigure(`${title}: no streams of this size in this run`);
  const bars = runtimeBars(records, transports, (rt, t) => messageMedian(records, rt, t, 'rate', messageBytes, 'messagesPerSecond'));
  return groupedBarFigure({
    title,
    categories: transports,
    xTitle: 'transport',
    yTitle: 'messages per second, median over rounds',
    logY: true,
    showValues: false,
    series: bars.series,
    failures: bars.failures,
  });
}

/** Median peak RSS (MiB) of one side of a transfer configuration, or why there is none. */
export function peakRssMedian(
  records: readonly TransferRecord[],
  runtime: Runtime,
  transport: string,
  sizeElements: number,
  side: 'sender' | 'receiver',
): Measured {
  const matching = transferRuns(records, runtime, transport, 'list', sizeElements);
  const field = side === 'sender' ? 'senderPeakRssBytes' : 'receiverPeakRssBytes';
  return summarise(matching, (r) => (r[field] === null ? null : (r[field] as number) / 2 ** 20));
}

/**
 * Question (e): peak RSS of the sender and of the receiver of the list at its largest size, per
 * method, a bar per runtime (MiB, log axis): memory is where the runtimes differ most.
 */
export function peakRssFigure(records: readonly TransferRecord[]): FigureSpec {
  const size = largestSize(records, 'list');
  if (size === null) return emptyFigure('Peak memory per runtime: no list transfers in this run');
  const methods = methodsOf(records.filter((r) => r.payload === 'list'));
  const categories = methods.flatMap((m) => [`${m}<br>sender`, `${m}<br>receiver`]);
  const bars = runtimeBars(records, categories, (rt, c) => {
    const [method, side] = c.split('<br>');
    return peakRssMedian(records, rt, method, size, side as 'sender' | 'receiver');
  });
  return groupedBarFigure({
    title: `Peak resident memory of each peer, a list of ${formatSize(size)} integers (MiB, log scale)`,
    categories,
    xTitle: 'method and peer',
    yTitle: 'peak RSS, median (MiB)',
    logY: true,
    showValues: false,
    series: bars.series,
    failures: bars.failures,
    width: 1000,
  });
}
