import type { RunDescription } from '../model/types';
import { benchSteps } from './bench-plan';
import { BENCH_SCHEMA, type BenchRun, type BenchRunConfig, writeBenchRun } from './bench-results';
import { channelRows, floorRows } from './bench-tables';
import { floorHeapMb } from './floor-worker';
import { type PlanRequest, type PlanResult, runPlan } from './run-plan';
import type { StepResult } from './steps';

/**
 * A bench run: its plan (bench-plan.ts) through the one loop, then its two tables from the
 * results (bench-tables.ts), kept as bench.json beside the plan's own files when it has a
 * directory. The CLI (lib/cli/bench.ts) and the notebooks (obtainBench) both run it here.
 */
export interface BenchRequest extends Omit<PlanRequest, 'notes' | 'runner' | 'quiet'> {
  config: BenchRunConfig;
}

/** A bench run's tables, and the plan's result behind them. */
export interface BenchOutcome {
  run: BenchRun;
  plan: PlanResult;
  /** bench.json's path, when it was written (not for an interrupted run, or one without a directory). */
  file: string | null;
}

/** A bench's two tables from the results of its steps (its own run's, or its slice of a longer one). */
export function benchRunOf(
  config: BenchRunConfig,
  description: RunDescription,
  results: readonly StepResult[],
  minutes: number | null,
): BenchRun {
  return {
    schema: BENCH_SCHEMA,
    description,
    config,
    heapLimitMb: floorHeapMb(benchSteps(config)),
    floorRows: floorRows(config, results),
    channelRows: channelRows(config, results),
    minutes,
  };
}

/** Run the bench: bad input rejects with a one-line UsageError before anything runs. */
export async function runBench(request: BenchRequest): Promise<BenchOutcome> {
  const startedMs = Date.now();
  const steps = benchSteps(request.config);
  const plan = await runPlan(steps, request);
  const run = benchRunOf(request.config, plan.description, plan.results, (Date.now() - startedMs) / 60_000);
  const file = request.outDir !== null && !plan.interrupted ? writeBenchRun(request.outDir, run) : null;
  return { run, plan, file };
}
