import { codecOfSpec } from './catalog';
import { formatBytes, formatSize } from './format';
import {
  type CodecName,
  FAILED_PHASES,
  type FailedPhase,
  RECORD_SCHEMA,
  type RunDescription,
  type Runtime,
  type TransferRecord,
  type TransferSpec,
} from './types';

/** Where a record sits in its sweep: which run, which repeat, warm-up or not. */
export interface RecordPlace {
  runId: string;
  repeat: number;
  warmup: boolean;
}

/** A record with every measurement still unknown: runners fill in what they measured. */
export function blankRecord(spec: TransferSpec, place: RecordPlace): TransferRecord {
  return {
    schema: RECORD_SCHEMA,
    runId: place.runId,
    runtime: spec.runtime,
    runtimeVersion: '',
    senderRuntime: spec.runtime,
    receiverRuntime: spec.receiverRuntime ?? spec.runtime,
    receiverRuntimeVersion: '',
    transport: spec.transport,
    payload: spec.payload,
    codec: codecOfSpec(spec),
    sizeElements: spec.sizeElements,
    repeat: place.repeat,
    warmup: place.warmup,
    ok: false,
    error: '',
    failedPhase: '',
    buildSeconds: null,
    encodeSeconds: null,
    decodeSeconds: null,
    sendSeconds: null,
    recvSeconds: null,
    totalSeconds: null,
    verifySeconds: null,
    bytes: null,
    senderPeakRssBytes: null,
    receiverPeakRssBytes: null,
    brokerPeakRssBytes: null,
    heapLimitMb: null,
    memory: 'n/a',
    copies: null,
    firstTouch: 'n/a',
    readWay: 'n/a',
    startedAt: new Date().toISOString(),
    pattern: spec.pattern ?? 'transfer',
    messageBytes: spec.messageBytes ?? null,
    ...NO_MESSAGE_MEASURES,
  };
}

/** The message measures of a record before anything is measured (and of every transfer). */
export const NO_MESSAGE_MEASURES = {
  roundTripP50Seconds: null,
  roundTripP90Seconds: null,
  roundTripP99Seconds: null,
  roundTripP999Seconds: null,
  roundTripMaxSeconds: null,
  roundTripMeanSeconds: null,
  messagesPerSecond: null,
  bytesPerSecond: null,
  senderCpuSecondsPerMessage: null,
  receiverCpuSecondsPerMessage: null,
  histogram: '',
} as const;

/**
 * "node pipe list 1e8", "node pipe roundtrip bytes 64 B × 1e4" — how every error message names
 * the transfer it is about.
 */
export function describeSpec(spec: TransferSpec): string {
  const pattern = spec.pattern ?? 'transfer';
  // A pair across runtimes reads sender:receiver, as it is typed (`node:cpython`).
  const runtimes = spec.receiverRuntime && spec.receiverRuntime !== spec.runtime ? `${spec.runtime}:${spec.receiverRuntime}` : spec.runtime;
  if (pattern === 'transfer') return `${runtimes} ${transportLabel(spec)} ${spec.payload} ${formatSize(spec.sizeElements)}`;
  return `${runtimes} ${transportLabel(spec)} ${pattern} ${spec.payload} ${formatBytes(spec.messageBytes ?? 0)} × ${formatSize(spec.sizeElements)}`;
}

/**
 * A transport with its codec when that is not the transport's analog: `pipe` (v8, the analog),
 * `pipe/raw`. What tables and figures name a row or a series by, so that the analog rows read as
 * the article's methods and every other codec is a row of its own beside them.
 */
export function transportLabel(spec: { runtime: Runtime; transport: string; codec?: CodecName | string | null }): string {
  const codec = spec.codec ?? undefined;
  const analog = codecOfSpec({ runtime: spec.runtime, transport: spec.transport });
  return codec !== undefined && codec !== analog ? `${spec.transport}/${codec}` : spec.transport;
}

/** Whether a text (a peer's report, a field read back from a file) names a phase of FAILED_PHASES. */
export function isFailedPhase(value: unknown): value is FailedPhase {
  return typeof value === 'string' && (FAILED_PHASES as readonly string[]).includes(value);
}

/** Mark a record failed in `phase`, its reason on one line and in its own words (no prefix: see describeFailure). */
export function failRecord(record: TransferRecord, phase: FailedPhase, reason: string): TransferRecord {
  record.ok = false;
  record.failedPhase = phase;
  record.error = reason.replace(/\s+/g, ' ').trim();
  return record;
}

/** What describeFailure needs of a failed record (a progress summary keeps only this). */
export type FailureOf = Pick<TransferRecord, 'failedPhase' | 'error'>;

/**
 * A failure as people read it — the one place that puts words around a record's phase and error:
 * `refused: …` for a transfer the limits turned down before anything ran, `failed (transfer): …`
 * for one that broke. Given `spec`, the transfer is named first (`node pipe list 1e8: refused: …`),
 * for a line that does not already name it.
 */
export function describeFailure(failure: FailureOf, options: { spec?: TransferSpec } = {}): string {
  const what = failure.failedPhase === 'limits' ? 'refused' : `failed${failure.failedPhase ? ` (${failure.failedPhase})` : ''}`;
  const named = options.spec ? `${describeSpec(options.spec)}: ` : '';
  return `${named}${what}: ${failure.error || 'no reason recorded'}`;
}

/** What a value of a record field must be, for checking files we read back. */
export type FieldKind = 'string' | 'number' | 'boolean' | 'number|null' | 'memory' | 'phase';

/** Every TransferRecord field in CSV column order, with its kind. */
export const FIELD_KINDS = {
  schema: 'number',
  runId: 'string',
  runtime: 'string',
  runtimeVersion: 'string',
  senderRuntime: 'string',
  receiverRuntime: 'string',
  receiverRuntimeVersion: 'string',
  transport: 'string',
  payload: 'string',
  codec: 'string',
  sizeElements: 'number',
  repeat: 'number',
  warmup: 'boolean',
  ok: 'boolean',
  error: 'string',
  failedPhase: 'phase',
  buildSeconds: 'number|null',
  encodeSeconds: 'number|null',
  decodeSeconds: 'number|null',
  sendSeconds: 'number|null',
  recvSeconds: 'number|null',
  totalSeconds: 'number|null',
  verifySeconds: 'number|null',
  bytes: 'number|null',
  senderPeakRssBytes: 'number|null',
  receiverPeakRssBytes: 'number|null',
  brokerPeakRssBytes: 'number|null',
  heapLimitMb: 'number|null',
  memory: 'memory',
  copies: 'number|null',
  firstTouch: 'string',
  readWay: 'string',
  startedAt: 'string',
  pattern: 'string',
  messageBytes: 'number|null',
  roundTripP50Seconds: 'number|null',
  roundTripP90Seconds: 'number|null',
  roundTripP99Seconds: 'number|null',
  roundTripP999Seconds: 'number|null',
  roundTripMaxSeconds: 'number|null',
  roundTripMeanSeconds: 'number|null',
  messagesPerSecond: 'number|null',
  bytesPerSecond: 'number|null',
  senderCpuSecondsPerMessage: 'number|null',
  receiverCpuSecondsPerMessage: 'number|null',
  histogram: 'string',
} satisfies Record<keyof TransferRecord, FieldKind>;

/** Every TransferRecord key in a fixed order (the interface's): the CSV header and the DataFrame columns. */
export const RECORD_FIELDS = Object.keys(FIELD_KINDS) as (keyof TransferRecord)[];

/** Every RunDescription key; a results file must have them all. */
export const DESCRIPTION_FIELDS: readonly (keyof RunDescription)[] = [
  'schema',
  'runId',
  'ipcLabVersion',
  'gitCommit',
  'node',
  'v8',
  'python',
  'bun',
  'deno',
  'os',
  'kernel',
  'arch',
  'cpuModel',
  'cores',
  'memoryBytes',
  'date',
  'commandLine',
  'label',
  'codecLibraries',
];
