/**
 * What the notebooks share: obtain an experiment and say where its numbers come from, the table
 * of its medians (lib/findings/medians.ts), its failures, and the phase and size figures.
 */

import { type MedianRow, medianRows, PHASES, type Phase } from '../findings/medians';
import { allTransportIds } from '../model/catalog';
import { formatSize, plural } from '../model/format';
import { unique } from '../model/lists';
import { transportLabel } from '../model/record';
import type { TransferRecord } from '../model/types';
import { UsageError } from '../model/usage-error';
import { type ExperimentResult, type ObtainOptions, obtain, provenance } from '../sweep/experiments';
import { median, throughputMBps } from '../sweep/stats';
import { INT32_BYTES } from '../sweep/summary';
import { showMarkdown, showTable } from './display';
import { failureMarks } from './figure-notes';
import { type FigureSpec, groupedBarFigure, type LineSeries, lineFigure } from './figures';
import { notebookProgress } from './live-progress';
import { codecVariantStyle, PAYLOAD_SYMBOL, RUNTIME_NAMES, type SeriesStyle, transportStyle } from './palette';

/** What tables and figures call each phase. */
export const PHASE_LABELS: Record<Phase, string> = {
  encodeSeconds: 'encode',
  sendSeconds: 'send',
  recvSeconds: 'receive',
  decodeSeconds: 'decode',
  totalSeconds: 'total',
};

/**
 * Whether a notebook measures now (`run`, the default) or shows the results an earlier run saved
 * (`saved`): IPC_LAB_PREFER. `IPC_LAB_PREFER=saved npm run notebooks` re-renders every notebook
 * from data/results/ in minutes, without measuring; each notebook then says which run it shows.
 */
export function preferFromEnv(env: NodeJS.ProcessEnv = process.env): 'run' | 'saved' {
  const prefer = env.IPC_LAB_PREFER ?? 'run';
  if (prefer === 'run' || prefer === 'saved') return prefer;
  throw new UsageError(`IPC_LAB_PREFER "${prefer}" is not valid: valid are run (measure now, the default) and saved (show saved results)`);
}

/** Run (or load) an experiment, its progress one updating output (see live-progress.ts), and print where its numbers come from. */
export async function runAndDescribe(name: string): Promise<ExperimentResult> {
  const result = await obtain(name, { prefer: preferFromEnv(), progress: notebookProgress() });
  showMarkdown(provenance(result));
  const limited = result.records.filter((r) => r.heapLimitMb !== null);
  if (limited.length > 0) {
    const heaps = limited.map((r) => r.heapLimitMb as number);
    const [low, high] = [Math.min(...heaps), Math.max(...heaps)];
    // The peers with a V8 heap: a pair's JavaScript side (node:cpython's Node.js receiver too), never CPython or Bun.
    const v8Sides = limited.flatMap((r) => [r.senderRuntime ?? r.runtime, r.receiverRuntime ?? r.runtime]);
    const who = unique(v8Sides.filter((x) => x === 'node' || x === 'deno').map((x) => RUNTIME_NAMES[x])).join(' and ');
    const bun = result.records.some((r) => r.runtime === 'bun') ? " Bun's JavaScriptCore has no such limit." : '';
    showMarkdown(
      `${who} peers ran with a V8 heap limit of ${low === high ? `${low}` : `${low}–${high}`} MiB (\`--max-old-space-size\`, ` +
        `sized to the payload: a plain list of 10⁸ numbers alone is 800 MB of heap).${bun}`,
    );
  }
  return result;
}

/** Several experiments as one set of records (e.g. every method notebook's), each described. */
export async function obtainAll(names: readonly string[], options: ObtainOptions = {}): Promise<TransferRecord[]> {
  const records: TransferRecord[] = [];
  for (const name of names) {
    const result = await obtain(name, { prefer: preferFromEnv(), progress: notebookProgress(), ...options });
    showMarkdown(`- ${provenance(result)}`);
    records.push(...result.records);
  }
  return records;
}

/** Show the medians as one table, the count of measured runs in the caption; returns the rows. */
export function showPhaseTable(records: readonly TransferRecord[], caption: string): MedianRow[] {
  const rows = medianRows(records);
  const columns = ['runtime', 'label', 'payload', 'codec', 'sizeElements', 'buildSeconds', ...PHASES, 'bytes'];
  showTable(rows, {
    columns,
    caption: `${caption} — medians of ${plural(records.filter((r) => !r.warmup).length, 'measured transfer')} (seconds)`,
    labels: { label: 'transport', sizeElements: 'elements', buildSeconds: 'build', ...PHASE_LABELS, bytes: 'bytes moved' },
  });
  return rows;
}

/** Failed transfers, if any, with their one-line reasons (shown, never hidden). */
export function showFailures(records: readonly TransferRecord[]): void {
  const failed = records.filter((r) => !r.ok);
  if (failed.length === 0) {
    showMarkdown(`All ${records.length} transfers arrived intact: every element was checked at the receiver.`);
    return;
  }
  const columns = ['transport', 'payload', 'sizeElements', 'failedPhase', 'error'];
  showTable(failed, { columns, caption: `${failed.length} of ${records.length} transfers failed` });
}

/** Grouped bars: one group per transport and payload, one bar per phase (median seconds); failed ones marked. */
export function phaseFigure(records: readonly TransferRecord[], title: string): FigureSpec {
  const rows = medianRows(records);
  const manySizes = new Set(records.map((r) => r.sizeElements)).size > 1;
  const manyCodecs = new Set(records.map((r) => r.codec)).size > 1;
  const name = (r: Omit<MedianRow, Phase | 'buildSeconds' | 'bytes'>) =>
    `${r.label} ${r.payload}${manyCodecs ? ` ${r.codec}` : ''}${manySizes ? ` ${formatSize(r.sizeElements)}` : ''}`;
  const failures = failureMarks(records, (r) => ({ at: name({ ...r, label: transportLabel(r) }) }));
  const categories = [...rows.map(name), ...failures.map((f) => String(f.at))];
  return groupedBarFigure({
    title,
    categories,
    xTitle: 'transport and payload',
    yTitle: 'time (s)',
    logY: 'auto',
    series: PHASES.map((p) => ({ name: PHASE_LABELS[p], values: categories.map((_, i) => rows[i]?.[p] ?? null) })),
    failures,
  });
}

/** What a size figure draws against size: a phase's median time, or the throughput of int32-equivalent data. */
export type SizeColumn = Phase | 'throughputMBps';

/**
 * A series' look from the records it draws: its transport's colour and dash when all its records
 * share one transport of the catalog, and a marker per payload (open for a thread variant).
 */
function styleOfGroup(records: readonly TransferRecord[]): Partial<SeriesStyle> {
  const transports = unique(records.map((r) => r.transport));
  // A transport with another codec than its analog (pipe/raw) has its own shade.
  const labels = unique(records.map((r) => transportLabel(r)));
  const payloads = unique(records.map((r) => r.payload));
  const own =
    transports.length === 1 && labels.length === 1 && allTransportIds().includes(transports[0])
      ? (labels[0] === transports[0] ? transportStyle : codecVariantStyle)(transports[0])
      : undefined;
  const symbol = payloads.length === 1 ? PAYLOAD_SYMBOL[payloads[0]] : undefined;
  return {
    ...(own ? { color: own.color, dash: own.dash } : {}),
    ...(symbol ? { symbol: own?.symbol.endsWith('-open') ? `${symbol}-open` : symbol } : {}),
  };
}

/** Median of a column against size, one series per group (sorted by name), styled by its transport. */
export function sizeSeries(records: readonly TransferRecord[], y: SizeColumn, group: (r: TransferRecord) => string): LineSeries[] {
  const measured = records.filter((r) => r.ok && !r.warmup);
  const value = (r: TransferRecord) => (y === 'throughputMBps' ? throughputMBps(INT32_BYTES * r.sizeElements, r.totalSeconds) : r[y]);
  return unique(measured.map(group))
    .sort()
    .map((name) => {
      const mine = measured.filter((r) => group(r) === name);
      const sizes = unique(mine.map((r) => r.sizeElements)).sort((a, b) => a - b);
      const medians = sizes.map((size) => {
        const numbers = mine
          .filter((r) => r.sizeElements === size)
          .map(value)
          .filter((v): v is number => v !== null);
        return numbers.length > 0 ? median(numbers) : null;
      });
      return { name, x: sizes, y: medians, style: styleOfGroup(mine) };
    });
}

/** Log–log lines of a column against size, one line per group (e.g. per transport and payload); failed sizes marked. */
export function sizeFigure(
  records: readonly TransferRecord[],
  options: { title: string; y: SizeColumn; group?: (r: TransferRecord) => string },
): FigureSpec {
  const group = options.group ?? ((r: TransferRecord) => `${r.transport} ${r.payload}`);
  return lineFigure({
    title: options.title,
    xTitle: 'list length (elements)',
    yTitle: options.y === 'throughputMBps' ? 'throughput (MB/s of int32-equivalent data)' : `${PHASE_LABELS[options.y]} time (s)`,
    logX: true,
    logY: true,
    series: sizeSeries(records, options.y, group),
    failures: failureMarks(records, (r) => ({ series: group(r), at: r.sizeElements, atLabel: `${formatSize(r.sizeElements)} elements` })),
  });
}
