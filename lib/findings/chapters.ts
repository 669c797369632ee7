/**
 * The findings of the article's chapters — 01 the Pipe sweep, 02–08 the methods, 09 the result
 * summary, 10 beyond the article — as typed rows and numbers from records. The notebook sources
 * put them into words; tests check them as data.
 */
import { NODE_TRANSPORTS, patternsOf } from '../model/catalog';
import { unique } from '../model/lists';
import { describeFailure, transportLabel } from '../model/record';
import type { PayloadKind, TransferRecord } from '../model/types';
import { articleSummary } from './article';
import { type MedianRow, medianRows } from './medians';

/** One transport at one size: the list's median total beside the Int32Array's. */
export interface ListAgainstInt32 {
  /** The transport's label (`pipe`, `pipe/packed`). */
  transport: string;
  sizeElements: number;
  /** Null where no transfer of that payload was ok (`listOutcome` says why). */
  listSeconds: number | null;
  int32Seconds: number | null;
  /** `ok` when a transfer of it was; else `refused` (every one refused by the limits), `failed`, or `not run`. */
  listOutcome: Outcome;
  int32Outcome: Outcome;
  /** listSeconds ÷ int32Seconds; null unless both were measured. */
  ratio: number | null;
}

/** What became of one payload's transfers at one size. */
export type Outcome = 'ok' | 'refused' | 'failed' | 'not run';

function outcomeOf(records: readonly TransferRecord[]): Outcome {
  if (records.length === 0) return 'not run';
  if (records.some((r) => r.ok)) return 'ok';
  return records.every((r) => r.failedPhase === 'limits') ? 'refused' : 'failed';
}

/**
 * Per transport label and size the records sent the list with (failed or not): its median total
 * and the Int32Array's, at every size, at one, or at the records' largest. Smallest size first.
 */
export function listAgainstInt32(records: readonly TransferRecord[], at?: number | 'largest'): ListAgainstInt32[] {
  const size = at === 'largest' ? Math.max(...records.map((r) => r.sizeElements)) : at;
  const rows = medianRows(records);
  const total = (label: string, payload: PayloadKind, sizeElements: number) =>
    rows.find((r) => r.label === label && r.payload === payload && r.sizeElements === sizeElements)?.totalSeconds ?? null;
  const lists = records.filter((r) => r.payload === 'list' && (size === undefined || r.sizeElements === size));
  const places = new Map(
    lists.map((r) => [`${transportLabel(r)} ${r.sizeElements}`, { transport: transportLabel(r), sizeElements: r.sizeElements }]),
  );
  return [...places.values()]
    .sort((a, b) => a.sizeElements - b.sizeElements)
    .map(({ transport, sizeElements }) => {
      const [listSeconds, int32Seconds] = [total(transport, 'list', sizeElements), total(transport, 'int32', sizeElements)];
      const ratio = listSeconds !== null && int32Seconds ? listSeconds / int32Seconds : null;
      const of = (payload: PayloadKind) =>
        outcomeOf(records.filter((r) => transportLabel(r) === transport && r.payload === payload && r.sizeElements === sizeElements));
      return { transport, sizeElements, listSeconds, int32Seconds, listOutcome: of('list'), int32Outcome: of('int32'), ratio };
    });
}

/** A sweep at its largest size, and what ten times the data cost the list. */
export interface SweepGrowth extends ListAgainstInt32 {
  /** The list's median total at a tenth of the largest size; null when not measured. */
  tenthListSeconds: number | null;
  /** listSeconds ÷ tenthListSeconds. */
  growth: number | null;
}

/** The largest size's totals of a one-transport sweep (the Pipe sweep), and the growth from a tenth of it. */
export function sweepGrowth(records: readonly TransferRecord[]): SweepGrowth {
  const [top] = listAgainstInt32(records, 'largest');
  if (top === undefined) throw new Error('sweepGrowth: the records hold no list transfer');
  const tenthListSeconds = listAgainstInt32(records, top.sizeElements / 10)[0]?.listSeconds ?? null;
  return { ...top, tenthListSeconds, growth: top.listSeconds !== null && tenthListSeconds ? top.listSeconds / tenthListSeconds : null };
}

/** One row of the rebuilt Result Summary. */
export interface SummaryTableRow {
  method: string;
  /** The transport's label: its id, or `pipe/raw` for another codec than its analog. */
  transport: string;
  payload: 'list' | 'int32';
  sendSeconds: number | null;
  recvSeconds: number | null;
  totalSeconds: number | null;
  /** The article's published times, on the analog row of the list only. */
  articleSendSeconds: number | null;
  articleRecvSeconds: number | null;
  dataConstraint: string;
  flag: 'necessary' | 'unnecessary';
  /** How it works; where there is no total, why. */
  remarks: string;
}

/**
 * The article's Result Summary rebuilt from records at their largest size: every Node transport, list
 * and Int32Array, with its analog codec and then each other codec it ran with (`pipe/raw`), for the payloads it ran.
 */
export function resultSummaryRows(records: readonly TransferRecord[]): SummaryTableRow[] {
  const largest = Math.max(...records.map((r) => r.sizeElements));
  const node = records.filter((r) => r.runtime === 'node' && r.sizeElements === largest);
  const medians = medianRows(node);
  return NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('transfer')).flatMap((t) => {
    const article = articleSummary().find((r) => r.method === t.articleMethod);
    const labels = unique([t.id, ...node.filter((r) => r.transport === t.id).map((r) => transportLabel(r))]);
    return labels.flatMap((label) =>
      (['list', 'int32'] as const)
        .filter((payload) => label === t.id || node.some((r) => transportLabel(r) === label && r.payload === payload && r.ok))
        .map((payload) => {
          const m = medians.find((r) => r.label === label && r.payload === payload);
          const failed = node.find((r) => !r.ok && r.payload === payload && transportLabel(r) === label);
          const analogList = payload === 'list' && label === t.id;
          return {
            method: t.articleMethod ?? '(Node only)',
            transport: label,
            payload,
            sendSeconds: m?.sendSeconds ?? null,
            recvSeconds: m?.recvSeconds ?? null,
            totalSeconds: m?.totalSeconds ?? null,
            articleSendSeconds: analogList ? (article?.sendSeconds ?? null) : null,
            articleRecvSeconds: analogList ? (article?.recvSeconds ?? null) : null,
            dataConstraint: t.dataConstraint,
            flag: t.needsFlag ? 'necessary' : 'unnecessary',
            remarks: m ? t.mechanism : failed ? describeFailure(failed) : 'not measured in this run',
          };
        }),
    );
  });
}

/** The three fastest rows of the summary (fastest first) and the three slowest (slowest first). */
export function ranking(rows: readonly SummaryTableRow[]): { fastest: SummaryTableRow[]; slowest: SummaryTableRow[] } {
  const ranked = rows.filter((r) => r.totalSeconds !== null).sort((a, b) => (a.totalSeconds as number) - (b.totalSeconds as number));
  return { fastest: ranked.slice(0, 3), slowest: ranked.slice(-3).reverse() };
}

/** For one payload and size, the transport with the lowest median total between processes and between threads. */
export interface SizeWinners {
  payload: PayloadKind;
  sizeElements: number;
  /** Transport labels; null where no transport of that kind ran. */
  processes: string | null;
  processesSeconds: number | null;
  threads: string | null;
  threadsSeconds: number | null;
}

/** Threads share an address space, so they are compared among themselves: the winners of each kind per payload and size. */
export function winnersBySize(records: readonly TransferRecord[]): SizeWinners[] {
  const rows = medianRows(records).filter((r) => r.totalSeconds !== null);
  const threads = new Set(NODE_TRANSPORTS.filter((t) => t.peers === 'threads').map((t) => t.id));
  const fastest = (group: MedianRow[]) => group.sort((a, b) => (a.totalSeconds as number) - (b.totalSeconds as number))[0];
  return unique(rows.map((r) => r.payload)).flatMap((payload) =>
    unique(rows.filter((r) => r.payload === payload).map((r) => r.sizeElements))
      .sort((a, b) => a - b)
      .map((sizeElements) => {
        const here = rows.filter((r) => r.payload === payload && r.sizeElements === sizeElements);
        const p = fastest(here.filter((r) => !threads.has(r.transport)));
        const t = fastest(here.filter((r) => threads.has(r.transport)));
        return {
          payload,
          sizeElements,
          processes: p?.label ?? null,
          processesSeconds: p?.totalSeconds ?? null,
          threads: t?.label ?? null,
          threadsSeconds: t?.totalSeconds ?? null,
        };
      }),
  );
}

/** At the largest size with ratios: where the list costs least and most against the Int32Array; null when none has both. */
export function listCostRange(
  ratios: readonly ListAgainstInt32[],
): { sizeElements: number; least: ListAgainstInt32; most: ListAgainstInt32 } | null {
  const sizeElements = Math.max(...ratios.map((r) => r.sizeElements));
  const at = ratios
    .filter((r) => r.ratio !== null && r.sizeElements === sizeElements)
    .sort((a, b) => (a.ratio as number) - (b.ratio as number));
  return at.length === 0 ? null : { sizeElements, least: at[0], most: at[at.length - 1] };
}
