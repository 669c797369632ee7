/**
 * A plan's results on disk: the transfers' records as records.json and records.csv (results-files.ts,
 * the files every notebook loads), and the other steps' results — limit rows, the C program's
 * seconds, floor operations — as steps.json beside them. loadRun reads both back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunDescription, TransferRecord } from '../model/types';
import { UsageError } from '../model/usage-error';
import { loadResults, writeFileAtomic } from './results-files';
import { type MessageLimitRecord, type StepResult, stepKey } from './steps';

/** The file of the results that are not transfer records. */
export const STEPS_FILE = 'steps.json';
/** Where message limit rows were kept before steps.json held them: still read, for runs saved then. */
const OLD_LIMITS_FILE = 'message-limits.json';

/** Save the results that are not transfers as DIR/steps.json (atomically). */
export function writeStepResults(dir: string, runId: string, results: readonly StepResult[]): void {
  const others = results.filter((r) => r.kind !== 'transfer');
  writeFileAtomic(path.join(dir, STEPS_FILE), `${JSON.stringify({ schema: 1, runId, results: others }, null, 1)}\n`);
}

/** A saved run: its description, its transfer records, and the results of its other steps. */
export interface SavedRun {
  description: RunDescription;
  records: TransferRecord[];
  steps: StepResult[];
}

/** Load a run from its results directory; a missing or unreadable records.json is a one-line UsageError. */
export function loadRun(dir: string): SavedRun {
  const { description, records } = loadResults(dir);
  return { description, records, steps: loadSteps(dir) };
}

function loadSteps(dir: string): StepResult[] {
  const file = path.join(dir, STEPS_FILE);
  const old = path.join(dir, OLD_LIMITS_FILE);
  try {
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { results: StepResult[] }).results ?? [];
    if (!fs.existsSync(old)) return [];
    const rows = (JSON.parse(fs.readFileSync(old, 'utf8')) as { rows?: MessageLimitRecord[] }).rows ?? [];
    return rows.map((row) => {
      const step = { kind: 'message-limit' as const, ...pickLimit(row) };
      return { kind: 'message-limit', key: stepKey(step), step, ok: row.ok, error: row.error ?? '', row };
    });
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
