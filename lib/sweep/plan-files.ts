/**
 * A plan's results on disk: the transfers' records as records.json and records.csv (results-files.ts,
 * the files every notebook loads), and the other steps' results — limit rows, the C program's
 * seconds, floor operations — as steps.json beside them. loadRun reads both back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunDescription, TransferRecord, TransferSpec } from '../model/types';
import { UsageError } from '../model/usage-error';
import { loadResults, writeFileAtomic } from './results-files';
import { type MessageLimitRecord, type StepResult, stepKey, type TransferStep } from './steps';

/** The file of the results that are not transfer records. */
export const STEPS_FILE = 'steps.json';
/** Where message limit rows were kept before steps.json held them: still read, for runs saved then. */
const OLD_LIMITS_FILE = 'message-limits.json';
/** The layout of steps.json; 2 gave each limit row its failedPhase. */
const STEPS_SCHEMA = 2;

/**
 * Save the results that are not transfers as DIR/steps.json (atomically), with the keys of the
 * transfers in records.json's order: a raw channel's key names the encode it carries the bytes of,
 * which its record cannot tell.
 */
export function writeStepResults(dir: string, runId: string, results: readonly StepResult[]): void {
  const others = results.filter((r) => r.kind !== 'transfer');
  const transferKeys = results.flatMap((r) => (r.kind === 'transfer' ? [r.key] : []));
  writeFileAtomic(
    path.join(dir, STEPS_FILE),
    `${JSON.stringify({ schema: STEPS_SCHEMA, runId, transferKeys, results: others }, null, 1)}\n`,
  );
}

/** A saved run: its description, its transfer records, and the results of its other steps. */
export interface SavedRun {
  description: RunDescription;
  records: TransferRecord[];
  steps: StepResult[];
  /** Every step's result, the transfers' included, each with its key. */
  results: StepResult[];
}

/** Load a run from its results directory; a missing or unreadable records.json is a one-line UsageError. */
export function loadRun(dir: string): SavedRun {
  const { description, records } = loadResults(dir);
  const { steps, transferKeys } = loadSteps(dir);
  const transfers = records.map((record, i): StepResult => {
    const step = recordStep(record);
    return { kind: 'transfer', key: transferKeys?.[i] ?? stepKey(step), step, ok: record.ok, error: record.error, record };
  });
  return { description, records, steps, results: [...transfers, ...steps] };
}

/** The transfer step a record was measured by (its key, unless it carried an encode's bytes: see writeStepResults). */
export function recordStep(record: TransferRecord): TransferStep {
  const { runtime, receiverRuntime, transport, payload, codec, sizeElements, pattern, messageBytes } = record;
  const spec: TransferSpec = { runtime, transport, payload, codec, sizeElements };
  if (receiverRuntime && receiverRuntime !== runtime) spec.receiverRuntime = receiverRuntime;
  if (pattern && pattern !== 'transfer') Object.assign(spec, { pattern, messageBytes });
  return { kind: 'transfer', spec, round: record.repeat, warmup: record.warmup };
}

function loadSteps(dir: string): { steps: StepResult[]; transferKeys: string[] | null } {
  const file = path.join(dir, STEPS_FILE);
  const old = path.join(dir, OLD_LIMITS_FILE);
  try {
    if (fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { schema?: number; results?: StepResult[]; transferKeys?: string[] };
      const steps = saved.results ?? [];
      if ((saved.schema ?? 1) < 2) {
        for (const result of steps) {
          if (result.kind !== 'message-limit') continue;
          upgradeLimitRowFrom1(result.row);
          result.error = result.row.error ?? '';
        }
      }
      return { steps, transferKeys: saved.transferKeys ?? null };
    }
    if (!fs.existsSync(old)) return { steps: [], transferKeys: null };
    const rows = (JSON.parse(fs.readFileSync(old, 'utf8')) as { rows?: MessageLimitRecord[] }).rows ?? [];
    for (const row of rows) upgradeLimitRowFrom1(row);
    const steps = rows.map((row): StepResult => {
      const step = { kind: 'message-limit' as const, ...pickLimit(row) };
      return { kind: 'message-limit', key: stepKey(step), step, ok: row.ok, error: row.error ?? '', row };
    });
    return { steps, transferKeys: null };
  } catch (error) {
    throw new UsageError(`${fs.existsSync(file) ? file : old} cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
}

const pickLimit = ({ source, channel, pattern, messageBytes, messages, round }: MessageLimitRecord) => ({
  source,
  channel,
  pattern,
  messageBytes,
  messages,
  round,
});

/**
 * Limit rows saved before they had a failedPhase (message-limits.json, steps.json schema 1): a
 * refused run's error began with `limits: ` (a size the program does not take); the phase becomes
 * a field and the error its bare text.
 */
export function upgradeLimitRowFrom1(row: MessageLimitRecord): void {
  const refused = !row.ok && (row.error ?? '').startsWith('limits: ');
  row.failedPhase = row.ok ? null : refused ? 'limits' : 'transfer';
  if (refused) row.error = (row.error ?? '').slice('limits: '.length);
}
