/**
 * One row per configuration (runtime × transport × payload × size) from the flat records: counts,
 * the first error, and medians of each phase. Pure: records in, rows out. Warm-up runs are kept in
 * the records file but never reach a statistic here.
 */
import { describeFailure } from '../model/record';
import type { CodecName, Pattern, PayloadKind, Runtime, TransferRecord } from '../model/types';
import { computeStatistics, throughputMBps } from './stats';

/** Bytes per element of the int32-equivalent data, the yardstick every throughput here uses. */
export const INT32_BYTES = 4;

/** The summary of one configuration. Times are over ok, measured (non-warm-up) runs only. */
export interface SummaryRow {
  runtime: Runtime;
  /** The receiver's runtime: `runtime` unless the configuration is a pair across runtimes. */
  receiverRuntime: Runtime;
  transport: string;
  payload: PayloadKind;
  codec: CodecName;
  sizeElements: number;
  /** Measured runs (warm-ups excluded), ok or not. */
  measuredRuns: number;
  /** Warm-up runs seen for this configuration (not in any statistic). */
  warmupRuns: number;
  okRuns: number;
  /** Measured runs the limits refused (phase `limits`): the configuration cannot work by design. */
  refusedRuns: number;
  /** Measured runs that failed at run time (any other phase). */
  failedRuns: number;
  /**
   * The first failure of a measured run, in record order, as describeFailure prints it without the
   * configuration's name (`refused: …`, `failed (transfer): …`); if no measured run failed but a
   * warm-up did, that warm-up's, prefixed with "warm-up: "; empty when nothing failed.
   */
  firstError: string;
  totalMedianSeconds: number | null;
  totalMinSeconds: number | null;
  totalMeanSeconds: number | null;
  /** Sample standard deviation of total (0 with a single ok run). */
  totalSdSeconds: number | null;
  totalP25Seconds: number | null;
  totalP75Seconds: number | null;
  sendMedianSeconds: number | null;
  recvMedianSeconds: number | null;
  encodeMedianSeconds: number | null;
  decodeMedianSeconds: number | null;
  buildMedianSeconds: number | null;
  /** int32-equivalent data (4 bytes × sizeElements) ÷ median total, in MB/s (MB = 10^6 bytes); null for a message pattern. */
  throughputMBps: number | null;
  /** What the runs did, and (message patterns) the size of one message. */
  pattern: Pattern;
  messageBytes: number | null;
  /** Message patterns: the median over the ok runs of each run's value. */
  roundTripP50Seconds: number | null;
  roundTripP99Seconds: number | null;
  messagesPerSecond: number | null;
  bytesPerSecond: number | null;
  senderCpuSecondsPerMessage: number | null;
  receiverCpuSecondsPerMessage: number | null;
}

type TimeField =
  | 'totalSeconds'
  | 'sendSeconds'
  | 'recvSeconds'
  | 'encodeSeconds'
  | 'decodeSeconds'
  | 'buildSeconds'
  | 'roundTripP50Seconds'
  | 'roundTripP99Seconds'
  | 'messagesPerSecond'
  | 'bytesPerSecond'
  | 'senderCpuSecondsPerMessage'
  | 'receiverCpuSecondsPerMessage';

/** The values of one time field over the given records, leaving out records without it. */
function timesOf(records: readonly TransferRecord[], field: TimeField): number[] {
  const times: number[] = [];
  for (const record of records) {
    const value = record[field];
    if (value !== null && value !== undefined) times.push(value);
  }
  return times;
}

function medianOf(records: readonly TransferRecord[], field: TimeField): number | null {
  const times = timesOf(records, field);
  return times.length === 0 ? null : computeStatistics(times).median;
}

/** What makes two records the same configuration: runtime (and the receiver's), transport, payload, codec and size. */
export type Configuration = Pick<TransferRecord, 'runtime' | 'transport' | 'payload' | 'codec' | 'sizeElements'> &
  Partial<Pick<TransferRecord, 'pattern' | 'messageBytes' | 'receiverRuntime'>>;

/** A configuration as one string, for grouping. A pair across runtimes is its own configuration. */
export function configurationKey(record: Configuration): string {
  const messages = (record.pattern ?? 'transfer') === 'transfer' ? [] : [record.pattern, record.messageBytes];
  const runtime =
    record.receiverRuntime && record.receiverRuntime !== record.runtime ? `${record.runtime}:${record.receiverRuntime}` : record.runtime;
  return JSON.stringify([runtime, record.transport, record.payload, record.codec, record.sizeElements, ...messages]);
}

/** Records grouped by configuration, in first-seen order. */
export function groupByConfiguration(records: readonly TransferRecord[]): Map<string, TransferRecord[]> {
  const groups = new Map<string, TransferRecord[]>();
  for (const record of records) {
    const key = configurationKey(record);
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  return groups;
}

/** Group records by configuration in first-seen order and summarise each group. */
export function summarize(records: readonly TransferRecord[]): SummaryRow[] {
  const groups = groupByConfiguration(records);
  return [...groups.values()].map(summarizeGroup);
}

/** The summary of records that all share one configuration (the first record names it). */
export function summarizeGroup(group: readonly TransferRecord[]): SummaryRow {
  const first = group[0];
  const measured = group.filter((r) => !r.warmup);
  const warmups = group.filter((r) => r.warmup);
  const ok = measured.filter((r) => r.ok);
  const measuredFailure = measured.find((r) => !r.ok);
  const warmupFailure = warmups.find((r) => !r.ok);
  const firstError = measuredFailure ? describeFailure(measuredFailure) : warmupFailure ? `warm-up: ${describeFailure(warmupFailure)}` : '';
  const refused = measured.filter((r) => !r.ok && r.failedPhase === 'limits').length;
  const totals = timesOf(ok, 'totalSeconds');
  const total = totals.length > 0 ? computeStatistics(totals) : null;
  return {
    runtime: first.runtime,
    receiverRuntime: first.receiverRuntime ?? first.runtime,
    codec: first.codec,
    transport: first.transport,
    payload: first.payload,
    sizeElements: first.sizeElements,
    measuredRuns: measured.length,
    warmupRuns: warmups.length,
    okRuns: ok.length,
    refusedRuns: refused,
    failedRuns: measured.length - ok.length - refused,
    firstError,
    totalMedianSeconds: total?.median ?? null,
    totalMinSeconds: total?.min ?? null,
    totalMeanSeconds: total?.mean ?? null,
    totalSdSeconds: total?.sd ?? null,
    totalP25Seconds: total?.p25 ?? null,
    totalP75Seconds: total?.p75 ?? null,
    sendMedianSeconds: medianOf(ok, 'sendSeconds'),
    recvMedianSeconds: medianOf(ok, 'recvSeconds'),
    encodeMedianSeconds: medianOf(ok, 'encodeSeconds'),
    decodeMedianSeconds: medianOf(ok, 'decodeSeconds'),
    buildMedianSeconds: medianOf(ok, 'buildSeconds'),
    throughputMBps: first.pattern === 'transfer' ? throughputMBps(INT32_BYTES * first.sizeElements, total?.median ?? null) : null,
    pattern: first.pattern,
    messageBytes: first.messageBytes,
    roundTripP50Seconds: medianOf(ok, 'roundTripP50Seconds'),
    roundTripP99Seconds: medianOf(ok, 'roundTripP99Seconds'),
    messagesPerSecond: medianOf(ok, 'messagesPerSecond'),
    bytesPerSecond: medianOf(ok, 'bytesPerSecond'),
    senderCpuSecondsPerMessage: medianOf(ok, 'senderCpuSecondsPerMessage'),
    receiverCpuSecondsPerMessage: medianOf(ok, 'receiverCpuSecondsPerMessage'),
  };
}

/** What a table shows instead of a time for a configuration with no ok run: `refused` when the limits turned down every run. */
export function noTimeWord(row: Pick<SummaryRow, 'measuredRuns' | 'refusedRuns'>): 'refused' | 'failed' {
  return row.refusedRuns > 0 && row.refusedRuns === row.measuredRuns ? 'refused' : 'failed';
}
