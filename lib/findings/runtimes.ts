/**
 * The runtimes notebook (16-runtimes): every number is a median read through `measure`, so its
 * table, figures and findings (runtimes-findings.ts) show the same ones. A configuration a runtime
 * could not run is never a blank: its status says `limits` (refused in advance) or `failed`.
 */
import { ARTICLE_METHOD_IDS } from '../model/catalog';
import { transportLabel } from '../model/record';
import { type Pattern, type PayloadKind, RUNTIMES, type Runtime, type TransferRecord } from '../model/types';
import { ratioOf } from '../sweep/floors';
import { median } from '../sweep/stats';
import { RUNTIME_MESSAGE_TRANSPORTS } from '../sweep/sweep-experiments';

/** What a configuration of one runtime gave: a median, or in one word why there is none (`value` null). */
export interface Measured {
  value: number | null;
  status: 'ok' | 'limits' | 'failed' | 'not run';
  /** The first failed record of the configuration, to say why on a figure. */
  failed?: TransferRecord;
}

/** A configuration as the runtimes notebook asks it of every runtime (its runs in one runtime make a cell). */
export interface RuntimeConfiguration {
  pattern: Pattern;
  transport: string;
  /** Transfers: the payload (any when left out). */
  payload?: PayloadKind;
  /** Elements of a transfer, or bytes of one message of a message pattern. */
  size: number;
}

/** What a median is taken of: a record's field, or a value made from it (peak memory in MiB). */
export type Field = (r: TransferRecord) => number | null;
export const TOTAL_SECONDS: Field = (r) => r.totalSeconds;

const sizeOf = (r: TransferRecord) => (r.pattern === 'transfer' ? r.sizeElements : r.messageBytes);

/**
 * The median of `field` over the configuration's ok measured runs in `runtime`, with the transport's
 * analog codec (the article's kind of serialisation in each runtime), or the word for why there is none.
 */
export function measure(records: readonly TransferRecord[], runtime: Runtime, c: RuntimeConfiguration, field: Field): Measured {
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

/** The distinct values: those in `order` first, in its order, then the others ascending. */
function inOrder<T extends string | number>(values: readonly T[], order: readonly T[] = []): T[] {
  const present = new Set(values);
  const others = [...present].filter((v) => !order.includes(v)).sort((a, b) => (a < b ? -1 : 1));
  return [...order.filter((v) => present.has(v)), ...others];
}

/** The transfers among the records (of `payload`, if given). */
export const transfersOf = (records: readonly TransferRecord[], payload?: PayloadKind) =>
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
        const c: RuntimeConfiguration = { pattern: 'transfer', transport: method, payload, size };
        const seconds = Object.fromEntries(runtimes.map((rt) => [rt, measure(records, rt, c, TOTAL_SECONDS)]));
        const ratio = Object.fromEntries(runtimes.map((rt) => [rt, ratioOf(seconds[rt].value, seconds.node?.value ?? null).ratio]));
        return [{ method, payload, sizeElements: size, seconds, ratio }];
      }),
    ),
  );
}
