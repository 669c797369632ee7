/**
 * One run behind the notebooks: `npm run notebooks` measures the union of every notebook's
 * experiments once (notebook-run.ts), saves it in one results directory, and tells each notebook's
 * kernel where it is (IPC_LAB_ONE_RUN). An experiment asked for then takes its slice of that run —
 * the results whose step keys its own plan has — instead of measuring again. Opened alone, a
 * notebook has no IPC_LAB_ONE_RUN and measures its own plan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultsRoot, shownPath } from '../model/paths';
import type { RunDescription, TransferRecord } from '../model/types';
import { UsageError } from '../model/usage-error';
import { loadRun } from './plan-files';
import { type Step, type StepResult, stepKey } from './steps';

/** A run's transfer records; its other steps' results, when it has any, are in steps.json beside. */
const RECORDS_FILE = 'records.json';

/** The variable that names the one run's directory for the notebooks' kernels. */
export const ONE_RUN_ENV = 'IPC_LAB_ONE_RUN';

/** Where `npm run notebooks` keeps its one run at a scale: data/results/notebooks-<scale>/ (under IPC_LAB_RESULTS_DIR). */
export function oneRunDir(scale: string): string {
  return path.join(resultsRoot(), `notebooks-${scale}`);
}

/** An experiment's share of the one run. */
export interface Slice {
  /** The one run's directory. */
  dir: string;
  description: RunDescription;
  /** The slice's transfer records, in the order they were measured. */
  records: TransferRecord[];
  /** Every result of the slice (transfers, limits, floor operations, the C program), in plan order. */
  results: StepResult[];
  /** How many steps the whole run measured, for a provenance line ("42 of 1,200 steps"). */
  runSteps: number;
}

/**
 * The results of `steps` in the one run at `dir`, in the plan's order. A step the run lacks means
 * the run was made for other notebooks, or stopped early: a one-line UsageError that says so.
 */
export function sliceOf(dir: string, steps: readonly Step[], what: string): Slice {
  const saved = loadRun(dir);
  const byKey = new Map(saved.results.map((r) => [r.key, r]));
  const missing: string[] = [];
  const results: StepResult[] = [];
  for (const step of steps) {
    const key = stepKey(step);
    const result = byKey.get(key);
    // The plan's own step, not the one rebuilt from a record: a record cannot tell that a raw
    // channel carried an encode's bytes (bytesOf), which the bench's floors are gathered by.
    if (result) results.push({ ...result, step } as StepResult);
    else missing.push(key);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `the run in ${shownPath(dir)} lacks ${missing.length} of the ${steps.length} steps of ${what} (first: "${missing[0]}"): ` +
        `it was made for other notebooks or stopped early; run \`npm run notebooks\` again, or unset ${ONE_RUN_ENV} to measure here`,
    );
  }
  const records = results.flatMap((r) => (r.kind === 'transfer' ? [r.record] : []));
  return { dir, description: saved.description, records, results, runSteps: saved.results.length };
}

/** The slice of `steps` in the run IPC_LAB_ONE_RUN names, or null when it names none (a notebook opened alone). */
export function oneRunSlice(steps: readonly Step[], what: string, env: NodeJS.ProcessEnv = process.env): Slice | null {
  const dir = env[ONE_RUN_ENV];
  if (!dir || dir.trim() === '') return null;
  if (!fs.existsSync(path.join(dir, RECORDS_FILE))) {
    throw new UsageError(`${ONE_RUN_ENV} names ${dir}, which holds no run (no ${RECORDS_FILE}): unset it, or run \`npm run notebooks\``);
  }
  return sliceOf(dir, steps, what);
}

/**
 * A saved slice for `prefer: 'saved'` when the experiment has no directory of its own: the one
 * run at this scale, when it holds every step of the experiment; otherwise null.
 */
export function savedSlice(steps: readonly Step[], scale: string, what: string): Slice | null {
  const dir = oneRunDir(scale);
  if (!fs.existsSync(path.join(dir, RECORDS_FILE))) return null;
  try {
    return sliceOf(dir, steps, what);
  } catch (error) {
    if (error instanceof UsageError) return null;
    throw error;
  }
}

/**
 * The slice an experiment shows instead of measuring: the one run IPC_LAB_ONE_RUN names; else, when
 * the caller prefers saved results and the experiment has none of its own, the one run saved at
 * this scale if it holds every step; else null (load the experiment's own results, or measure).
 */
export function sliceFor(
  steps: readonly Step[],
  what: string,
  place: { scale: string; prefer?: 'run' | 'saved'; loadSaved: boolean },
): Slice | null {
  return oneRunSlice(steps, what) ?? (place.prefer === 'saved' && !place.loadSaved ? savedSlice(steps, place.scale, what) : null);
}

/** Where an obtained experiment's numbers come from, for its provenance line. */
export function howObtained(source: 'run' | 'saved' | 'one-run', dir: string): string {
  if (source === 'run') return 'Measured by this notebook run';
  if (source === 'saved') return `Loaded from ${shownPath(dir)} (saved by an earlier run)`;
  return `This notebook's slice of the one run behind every notebook (${shownPath(dir)})`;
}
