import type { runTransfer } from '../measure/runner/run-transfer';
import type { RunDescription, TransferRecord } from '../model/types';
import { expandSweep, type SweepConfig } from './plan';
import type { SweepProgressSummary } from './progress';
import type { ResultPaths } from './results-files';
import { type PlanRequest, runPlan } from './run-plan';
import { stepRunner } from './run-step';
import type { TransferStep } from './steps';

/**
 * A sweep: expand the configuration into transfer steps and run them with the one loop
 * (run-plan.ts), which saves all records after each one, so that a later failure, a crash or
 * Ctrl-C never loses what was measured. A failed transfer is a record like any other; the sweep
 * goes on. SIGINT/SIGTERM stop it: the running transfer is torn down, the results so far are
 * saved, and the sweep ends with `interrupted` set.
 */
export interface SweepRequest extends Omit<PlanRequest, 'notes' | 'runner'> {
  /** One configuration, or several run one after the other into the same results. */
  config: SweepConfig | SweepConfig[];
  /** Run a transfer: the real runner unless a test gives a fake. */
  run?: typeof runTransfer;
}

export interface SweepResult {
  description: RunDescription;
  records: TransferRecord[];
  /** Null when outDir was null. */
  paths: ResultPaths | null;
  /** Notes of the expansion (combinations skipped). */
  notes: string[];
  /** Set when a signal stopped the sweep before its end. */
  interrupted: string | null;
  /** The signal that stopped it, for the CLI's exit code (130 for SIGINT, 143 for SIGTERM). */
  interruptedBy: NodeJS.Signals | null;
  /** Transfers run, ok, refused (each reason once), failed (with why) and the time taken, as the progress sink was told at the end. */
  progress: SweepProgressSummary;
}

/** A sweep's transfers as steps, in the order expandSweep gives, with the notes of what it skipped. Pure. */
export function sweepSteps(config: SweepConfig | SweepConfig[]): { steps: TransferStep[]; notes: string[] } {
  const plans = (Array.isArray(config) ? config : [config]).map(expandSweep);
  return {
    steps: plans.flatMap((p) =>
      p.transfers.map((t): TransferStep => ({ kind: 'transfer', spec: t.spec, round: t.repeat, warmup: t.warmup })),
    ),
    notes: plans.flatMap((p) => p.notes),
  };
}

/**
 * Run a sweep. A bad config, bad options or an output path that cannot hold results reject with a
 * UsageError before anything is spawned or written.
 */
export async function runSweep(request: SweepRequest): Promise<SweepResult> {
  const { steps, notes } = sweepSteps(request.config);
  const result = await runPlan(steps, { ...request, notes, runner: (plan) => stepRunner(plan, request.run) });
  const { description, records, paths, interrupted, interruptedBy, progress } = result;
  return { description, records, paths, notes, interrupted, interruptedBy, progress };
}
