import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkTransferRequest } from '../measure/runner/run-transfer';
import { checkTempRoots } from '../measure/tempdir';
import { checkRunOptionValues } from '../model/checks';
import { formatRate, formatSeconds, plural } from '../model/format';
import { checkOutDir } from '../model/out-dir';
import { shownPath } from '../model/paths';
import type { RunDescription, RunOptions, TransferRecord } from '../model/types';
import { UsageError } from '../model/usage-error';
import { STEPS_FILE, writeStepResults } from './plan-files';
import { Progress, type ProgressSink, type StepFailure, type SweepProgressSummary, sinkFor } from './progress';
import { type ResultPaths, writeResults } from './results-files';
import { describeRun, newRunId } from './run-description';
import { type StepRunner, stepRunner } from './run-step';
import { resolveStep, type Step, type StepResult, stepKey, stepLabel, stepWhat } from './steps';

/**
 * The one measuring loop: it runs any plan (steps.ts) in order, saves after every step so that a
 * later failure, a crash or Ctrl-C never loses what was measured, reports every step through one
 * progress stream, and stops on SIGINT/SIGTERM (a terminal's Ctrl-C, Jupyter's interrupt) after
 * the running step, which is torn down, with what was measured saved. A step that fails is a
 * result saying why; the loop goes on.
 */
export interface PlanRequest {
  /** Where records.json, records.csv and (for steps other than transfers) steps.json go; null keeps them in memory only. */
  outDir: string | null;
  options?: Partial<RunOptions>;
  label?: string;
  commandLine?: string;
  /** No progress output (tests). */
  quiet?: boolean;
  /** Where progress goes (see progress.ts); default a bar on a terminal's stderr, plain lines on any other stderr. */
  progress?: ProgressSink;
  /** Lines shown before the first step (a sweep's skipped combinations). */
  notes?: readonly string[];
  /** What measures each step: the real runners unless a test gives a fake. */
  runner?: (plan: readonly Step[]) => StepRunner;
}

/** Everything a plan measured. */
export interface PlanResult {
  description: RunDescription;
  /** One per step run, in plan order: fewer than the plan's steps when it was interrupted. */
  results: StepResult[];
  /** The transfer steps' records, in order. */
  records: TransferRecord[];
  /** Null when outDir was null. */
  paths: ResultPaths | null;
  /** Set when a signal stopped the plan before its end. */
  interrupted: string | null;
  /** The signal that stopped it, for a CLI's exit code (130 for SIGINT, 143 for SIGTERM). */
  interruptedBy: NodeJS.Signals | null;
  /** Steps run, ok, failed (with why) and the time taken, as the progress sink was told at the end. */
  progress: SweepProgressSummary;
}

/**
 * Check what a run is given — its options, its results directory, the temp roots (a TMPDIR or
 * shared-memory root that cannot hold files is bad input too), every transfer's spec, and that no
 * step is planned twice — before anything runs, and describe the run: a UsageError for bad input.
 */
export function startRun(plan: readonly Step[], request: Omit<PlanRequest, 'runner'>): RunDescription {
  const options = request.options ?? {};
  checkRunOptionValues(options);
  if (request.outDir !== null) checkOutDir(request.outDir);
  checkTempRoots();
  const keys = new Set<string>();
  for (const step of plan) {
    if (step.kind === 'transfer') checkTransferRequest(step.spec, options);
    const key = stepKey(step);
    if (keys.has(key)) throw new UsageError(`the plan measures "${key}" twice: give each configuration once`);
    keys.add(key);
  }
  return describeRun({
    runId: newRunId(),
    commandLine: request.commandLine ?? process.argv.join(' '),
    label: request.label ?? '',
    python: options.python ?? '',
  });
}

/** Run a plan. Bad input rejects with a UsageError before anything is spawned or written. */
export async function runPlan(plan: readonly Step[], request: PlanRequest): Promise<PlanResult> {
  const description = startRun(plan, request);
  const { outDir } = request;
  const options = request.options ?? {};
  const progress = new Progress(plan.length, request.quiet ? null : (request.progress ?? sinkFor(process.stderr)));
  for (const note of request.notes ?? []) progress.note(note);
  const onlyTransfers = plan.every((step) => step.kind === 'transfer');
  const [what, one] = onlyTransfers ? ['sweep', 'record'] : ['run', 'step'];
  const results: StepResult[] = [];
  const byKey = new Map<string, StepResult>();
  const records = () => results.flatMap((r) => (r.kind === 'transfer' ? [r.record] : []));
  let paths: ResultPaths | null = null;
  /** Results in the last complete save; -1 before the first (the one that creates outDir). */
  let saved = -1;
  const save = () => {
    if (outDir === null) return;
    try {
      paths = writeResults(outDir, description, records(), { first: saved < 0 });
      if (!onlyTransfers) writeStepResults(outDir, description.runId, results);
      // A steps.json an earlier run left in this directory would pair its keys with these records.
      else if (saved < 0) fs.rmSync(path.join(outDir, STEPS_FILE), { force: true });
      saved = results.length;
    } catch (error) {
      // The first save fails as a UsageError, before anything ran. Later, a full disk (ENOSPC) or
      // a file system gone read-only stops the plan: going on would measure what cannot be kept.
      if (saved >= 0) {
        const kept = onlyTransfers ? ((paths as ResultPaths | null)?.jsonPath ?? outDir) : outDir;
        (error as Error).message =
          `results could not be saved, so the ${what} stopped after ${results.length} of ${plan.length} ${onlyTransfers ? 'transfers' : 'steps'}: ` +
          `${(error as Error).message}; ${kept} keeps the ${plural(saved, one)} saved before`;
      }
      throw error;
    }
  };
  const runner = request.runner?.(plan) ?? stepRunner(plan);
  let interrupted: string | null = null;
  let interruptedBy: NodeJS.Signals | null = null;
  const stopListening = await listenForInterrupts((signal) => {
    interrupted = `interrupted by ${signal}`;
    interruptedBy = signal;
    runner.abort(interrupted);
  });
  try {
    save();
    if (outDir !== null) progress.note(`ipc-lab: writing results to ${shownPath(outDir)}`);
    for (const planned of plan) {
      if (interrupted) break;
      const key = stepKey(planned);
      const step = resolveStep(planned, (wanted) => byKey.get(wanted));
      const label = stepLabel(typeof step === 'string' ? planned : step);
      if (typeof step !== 'string' && step.kind === 'transfer') progress.start(step.spec, step.round, step.warmup);
      else progress.startStep(label);
      const result: StepResult =
        typeof step === 'string'
          ? { kind: 'not-run', key, step: planned, ok: false, error: step }
          : await runner.run(step, key, { runId: description.runId, options });
      results.push(result);
      byKey.set(key, result);
      save();
      if (result.kind === 'transfer') progress.finish(result.record);
      else progress.finishStep(label, resultLine(result), result.ok ? null : stepFailure(result));
    }
  } catch (error) {
    // Close the bar or display too when results could not be saved mid-plan; the error itself is
    // the caller's line to show (before the first step, the only one).
    if (results.length > 0) progress.end('stopped by an error');
    throw error;
  } finally {
    stopListening();
    await runner.close();
  }
  const count = onlyTransfers ? plural(results.length, 'record') : `${results.length} of ${plural(plan.length, 'step')}`;
  if (interrupted) progress.note(`ipc-lab: ${interrupted}; ${count} saved`);
  const summary = progress.end(interrupted);
  return { description, results, records: records(), paths, interrupted, interruptedBy, progress: summary };
}

/**
 * Listen for SIGINT and SIGTERM while a plan runs; returns the function that stops listening.
 * Out of the caller's synchronous turn first: a tslab notebook cell runs its synchronous part under
 * vm's breakOnSigint, whose SIGINT watchdog, when it ends, leaves a signal handler installed
 * meanwhile at the default action — a listener added there lets the next interrupt kill the
 * kernel (exit by signal 2). Added after a turn of the event loop, it works.
 */
async function listenForInterrupts(onSignal: (signal: NodeJS.Signals) => void): Promise<() => void> {
  await new Promise((resolve) => setImmediate(resolve));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** How a step that is not a transfer failed: a limit row says its phase (`limits`: refused); any other failed at run time. */
function stepFailure(result: Exclude<StepResult, { kind: 'transfer' }>): StepFailure {
  const failedPhase = result.kind === 'message-limit' ? (result.row.failedPhase ?? 'transfer') : 'transfer';
  return { failedPhase, error: result.error || 'failed without a message', what: stepWhat(result.step) };
}

/** What a step that is not a transfer measured, for its progress line. */
function resultLine(result: StepResult): string {
  switch (result.kind) {
    case 'message-limit':
      return result.row.pattern === 'roundtrip'
        ? `ok  p50 ${formatSeconds(result.row.roundTripP50Seconds)}  p99 ${formatSeconds(result.row.roundTripP99Seconds)}`
        : `ok  ${formatRate(result.row.messagesPerSecond, 'messages')}`;
    case 'c-channel':
      return `ok  ${formatSeconds(result.seconds)}`;
    case 'floor-op':
      return `ok  ${Object.entries(result.seconds)
        .map(([part, seconds]) => `${part} ${formatSeconds(seconds)}`)
        .join('  ')}`;
    default:
      return '';
  }
}
