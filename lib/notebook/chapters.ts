/**
 * The computations behind the notebooks' tables and "in this run" sentences, as typed functions:
 * `npm run typecheck` checks them with the library instead of inside a notebook's strings, and a
 * notebook cell is left with one call. Each takes records and returns rows or markdown.
 */
import { NODE_TRANSPORTS, patternsOf } from '../model/catalog';
import { formatRatio, formatSeconds, formatSize, MISSING } from '../model/format';
import { transportLabel } from '../model/record';
import type { TransferRecord } from '../model/types';
import { articleSummary } from './article';
import { frameToRows, rowsToFrame, summarizeFrame } from './dataframe';
import type { FailureMark } from './figure-notes';
import { type FigureSpec, groupedBarFigure } from './figures';
import { medianOf, phaseMedians } from './report';

/** A total, or 'failed' where the transfer has none (every run of it failed). */
const totalOrFailed = (s: number | null) => (s === null ? 'failed' : formatSeconds(s));
const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const largestSize = (records: readonly TransferRecord[]) => Math.max(...records.map((r) => r.sizeElements));

/** Per-method notebooks: each transport's total at the largest size, list against Int32Array. */
export function methodRunSentence(records: readonly TransferRecord[]): string {
  const size = largestSize(records);
  const lines = [...new Set(records.map((r) => r.transport))].map((transport) => {
    const list = medianOf(records, { transport, payload: 'list', sizeElements: size }, 'totalSeconds');
    const int32 = medianOf(records, { transport, payload: 'int32', sizeElements: size }, 'totalSeconds');
    const ratio = list !== null && int32 !== null && int32 > 0 ? ` — the list costs ${formatRatio(list / int32)} the typed array` : '';
    return `- \`${transport}\`: total ${totalOrFailed(list)} for the list, ${totalOrFailed(int32)} for the Int32Array${ratio}`;
  });
  return `In this run, at ${formatSize(size)} elements:\n\n${lines.join('\n')}`;
}

/** The Pipe sweep: the largest size's totals, and how much 10× the data cost. */
export function pipeSweepSentence(records: readonly TransferRecord[]): string {
  const largest = largestSize(records);
  const list = medianOf(records, { payload: 'list', sizeElements: largest }, 'totalSeconds');
  const int32 = medianOf(records, { payload: 'int32', sizeElements: largest }, 'totalSeconds');
  const tenth = medianOf(records, { payload: 'list', sizeElements: largest / 10 }, 'totalSeconds');
  const growth =
    list && tenth
      ? `; ten times fewer elements took ${formatSeconds(tenth)}, so the cost grows ${formatRatio(list / tenth)} for 10× the data.`
      : '.';
  return `At ${formatSize(largest)} elements the list took ${formatSeconds(list)} in total and the Int32Array ${formatSeconds(int32)}${growth}`;
}

/** One row of the rebuilt Result Summary. */
export interface SummaryTableRow {
  method: string;
  transport: string;
  payload: 'list' | 'int32';
  send: number | null;
  recv: number | null;
  total: number | null;
  articleSend: number | null;
  articleRecv: number | null;
  dataConstraint: string;
  flag: string;
  remarks: string;
}

/**
 * The labels of a Node transport's rows, in order: the transport (its analog codec), then each
 * other codec the records ran it with (`pipe/raw`).
 */
function labelsOf(transport: string, records: readonly TransferRecord[]): string[] {
  const others = records.filter((r) => r.runtime === 'node' && r.transport === transport).map((r) => transportLabel(r));
  return [...new Set([transport, ...others])];
}

/**
 * The article's Result Summary rebuilt from records: every Node transport, list and Int32Array,
 * with its analog codec and then each other codec it ran with (`pipe/raw`), for the payloads it ran.
 */
export function resultSummaryRows(records: readonly TransferRecord[]): SummaryTableRow[] {
  const medians = frameToRows(phaseMedians(records));
  const article = articleSummary();
  // phaseMedians names each row by its transport label already.
  const labelOfRow = (r: (typeof medians)[number]) => String(r.transport);
  const failure = (label: string, payload: string) =>
    records.find((r) => transportLabel(r) === label && r.payload === payload && !r.ok)?.error ?? '';
  return NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('transfer')).flatMap((t) =>
    labelsOf(t.id, records).flatMap((label) =>
      (['list', 'int32'] as const)
        .filter((payload) => label === t.id || records.some((r) => transportLabel(r) === label && r.payload === payload && r.ok))
        .map((payload) => {
          const m = medians.find((r) => r.runtime === 'node' && labelOfRow(r) === label && r.payload === payload);
          const a = article.find((r) => r.method === t.articleMethod);
          return {
            method: t.articleMethod ?? '(Node only)',
            transport: label,
            payload,
            send: numberOrNull(m?.sendSeconds),
            recv: numberOrNull(m?.recvSeconds),
            total: numberOrNull(m?.totalSeconds),
            articleSend: payload === 'list' && label === t.id ? (a?.sendSeconds ?? null) : null,
            articleRecv: payload === 'list' && label === t.id ? (a?.recvSeconds ?? null) : null,
            dataConstraint: t.dataConstraint,
            flag: t.needsFlag ? 'necessary' : 'unnecessary',
            remarks: m ? t.mechanism : `failed: ${failure(label, payload).split(': ').slice(2).join(': ')}`,
          };
        }),
    ),
  );
}

/** Every transport's total at the largest size, list and Int32Array, on a log axis; a failed one marked with its reason. */
export function summaryTotalsFigure(rows: readonly SummaryTableRow[]): FigureSpec {
  const labels = [...new Set(rows.map((r) => r.transport))];
  const payloads = [
    { payload: 'list', name: 'list' },
    { payload: 'int32', name: 'Int32Array' },
  ] as const;
  const totals = (payload: string) =>
    labels.map((label) => rows.find((r) => r.transport === label && r.payload === payload)?.total ?? null);
  const failures: FailureMark[] = payloads.flatMap(({ payload, name }) =>
    labels.flatMap((label) => {
      const row = rows.find((r) => r.transport === label && r.payload === payload);
      if (row?.total !== null && row !== undefined) return [];
      // A codec's own row (pipe/raw) exists only for the payloads it ran: no mark where it never ran.
      if (row === undefined && label.includes('/')) return [];
      const reason = row?.remarks.replace(/^failed: ?/, '') || 'not measured in this run';
      return [{ series: name, at: label, reason }];
    }),
  );
  return groupedBarFigure({
    title: 'Every transport, total time at the largest size (log scale)',
    categories: labels,
    xTitle: 'transport',
    yTitle: 'total time (s)',
    logY: true,
    showValues: false,
    series: payloads.map(({ payload, name }) => ({ name, values: totals(payload) })),
    failures,
  });
}

/** The three fastest and three slowest rows of the summary, as a sentence. */
export function rankingSentence(rows: readonly SummaryTableRow[]): string {
  const ranked = rows.filter((r) => r.total !== null).sort((a, b) => (a.total as number) - (b.total as number));
  const line = (r: SummaryTableRow) => `\`${r.transport}\` with the ${r.payload} (${formatSeconds(r.total)})`;
  return `Fastest in this run: ${ranked.slice(0, 3).map(line).join(', ')}. Slowest: ${ranked.slice(-3).reverse().map(line).join(', ')}.`;
}

/** Transports whose peers are threads of one process: compared among themselves. */
const THREAD_TRANSPORTS = new Set(NODE_TRANSPORTS.filter((t) => t.peers === 'threads').map((t) => t.id));

/** Median total per payload, size and transport label (`pipe`, `pipe/raw`), from ok measured records. */
function totalMedians(records: readonly TransferRecord[]) {
  const ok = records
    .filter((r) => r.ok && !r.warmup)
    .map((r) => ({ payload: r.payload, sizeElements: r.sizeElements, transport: transportLabel(r), totalSeconds: r.totalSeconds }));
  const frame = rowsToFrame(ok, ['payload', 'sizeElements', 'transport', 'totalSeconds']);
  return frameToRows(summarizeFrame(frame, { by: ['payload', 'sizeElements', 'transport'], values: ['totalSeconds'], stats: ['median'] }));
}

/** Whether a transport label's peers are threads (`queue`, `raw-array-thread`, …). */
const isThreadLabel = (label: string) => THREAD_TRANSPORTS.has(label.split('/')[0]);

/** For each payload and size, the fastest transport between processes and between threads. */
export function winnersBySize(records: readonly TransferRecord[]): Record<string, string>[] {
  const medians = totalMedians(records);
  return [...new Set(medians.map((r) => `${r.payload}|${r.sizeElements}`))].map((key) => {
    const [payload, size] = key.split('|');
    const group = medians.filter((r) => r.payload === payload && String(r.sizeElements) === size);
    const best = (rows: typeof group) => [...rows].sort((a, b) => (a.totalSeconds_median as number) - (b.totalSeconds_median as number))[0];
    const show = (r: (typeof group)[number] | undefined) =>
      r ? `${r.transport} (${formatSeconds(r.totalSeconds_median as number)})` : MISSING;
    return {
      payload,
      elements: formatSize(Number(size)),
      'fastest between processes': show(best(group.filter((r) => !isThreadLabel(String(r.transport))))),
      'fastest between threads': show(best(group.filter((r) => isThreadLabel(String(r.transport))))),
    };
  });
}

/** One transport at one size: the list's median total ÷ the Int32Array's. */
export interface PayloadRatio {
  transport: string;
  elements: string;
  sizeElements: number;
  ratio: number | null;
}

/** list ÷ Int32Array median totals, per transport and size. */
export function listOverInt32(records: readonly TransferRecord[]): PayloadRatio[] {
  const medians = totalMedians(records);
  return medians
    .filter((r) => r.payload === 'list')
    .map((l) => {
      const i = medians.find((r) => r.payload === 'int32' && r.transport === l.transport && r.sizeElements === l.sizeElements);
      const ratio =
        i && typeof i.totalSeconds_median === 'number' && typeof l.totalSeconds_median === 'number'
          ? l.totalSeconds_median / i.totalSeconds_median
          : null;
      return { transport: String(l.transport), elements: formatSize(Number(l.sizeElements)), sizeElements: Number(l.sizeElements), ratio };
    });
}

/** The range of list ÷ Int32Array at the largest size, as a sentence. */
export function listCostSentence(ratios: readonly PayloadRatio[]): string {
  const top = Math.max(...ratios.map((r) => r.sizeElements));
  const big = ratios.filter((r) => r.ratio !== null && r.sizeElements === top).sort((a, b) => (b.ratio as number) - (a.ratio as number));
  if (big.length === 0) return 'No size had both payloads.';
  const low = big[big.length - 1];
  return `At the largest size the list costs from ${formatRatio(low.ratio)} (\`${low.transport}\`) to ${formatRatio(big[0].ratio)} (\`${big[0].transport}\`) the Int32Array's time.`;
}
