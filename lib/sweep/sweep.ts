import { abortActiveTransfers, runTransfer } from '../measure/runner/run-transfer';
import { checkTempRoots } from '../measure/tempdir';
import { checkRunOptionValues } from '../model/checks';
import { plural } from '../model/format';
import { checkOutDir } from '../model/out-dir';
import { shownPath } from '../model/paths';
import type { RunDescription, RunOptions, TransferRecord } from '../model/types';
import { expandSweep, type SweepConfig } from './plan';
import { Progress, type ProgressSink, type SweepProgressSummary, sinkFor } from './progress';
import { type ResultPaths, writeResults } from './results-files';
import { describeRun, newRunId } from './run-description';

/**
 * A sweep: expand the configuration, run every transfer in turn, and save all records after each
 * one, so that a later failure, a crash or Ctrl-C never loses what was measured. A failed transfer
 * is a record like any other; the sweep goes on. SIGINT/SIGTERM (a terminal's Ctrl-C, Jupyter's
 * interrupt) stop it: the running transfer is torn down, the results so far are saved, and the
 * sweep ends with `interrupted` set.
 */
export interface SweepRequest {
  /** One configuration, or several run one after the other into the same results. */
  config: SweepConfig | SweepConfig[];
  /** Where records.json and records.csv go; null keeps them in memory only. */
  outDir: string | null;
  options?: Partial<RunOptions>;
  label?: string;
  commandLine?: string;
  /** No progress output (tests). */
  quiet?: boolean;
  /** Where progress goes (see progress.ts); default a bar on a terminal's stderr, plain lines on any other stderr. */
  progress?: ProgressSink;
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
  /** Transfers run, ok, failed (with why) and the time taken, as the progress sink was told at the end. */
  progress: SweepProgressSummary;
}

/**
 * Check what a run is given — its options, its results directory, the temp roots (a TMPDIR or
 * shared-memory root that cannot hold files is bad input too) — before anything runs, and describe
 * the run: a UsageError for bad input. The sweep and the message bench start this way.
 */
export function startRun(request: Pick<SweepRequest, 'outDir' | 'options' | 'commandLine' | 'label'>): RunDescription {
  const options = request.options ?? {};
  checkRunOptionValues(options);
  if (request.outDir !== null) checkOutDir(request.outDir);
  checkTempRoots();
  return describeRun({
    runId: newRunId(),
    commandLine: request.commandLine ?? process.argv.join(' '),
    label: request.label ?? '',
    python: options.python ?? '',
  });
}

/**
 * Run a sweep. A bad config, bad options or an output path that cannot hold results reject with a
 * UsageError before anything is spawned or written.
 */
export async function runSweep(request: SweepRequest): Promise<SweepResult> {
  const plans = (Array.isArray(request.config) ? request.config : [request.config]).map(expandSweep);
  const plan = { transfers: plans.flatMap((p) => p.transfers), notes: plans.flatMap((p) => p.notes) };
  const options = request.options ?? {};
  const description = startRun(request);
  const progress = new Progress(plan.transfers.length, request.quiet ? null : (request.progress ?? sinkFor(process.stderr)));
  for (const note of plan.notes) progress.note(note);
  const records: TransferRecord[] = [];
  let paths: ResultPaths | null = null;
  /** Records in the last complete save; -1 before the first (the one that creates outDir). */
  let saved = -1;
  const save = () => {
    if (request.outDir === null) return;
    try {
      paths = writeResults(request.outDir, description, records, { first: saved < 0 });
      saved = records.length;
    } catch (error) {
      // The first save fails as a UsageError, before anything ran. Later, a full disk (ENOSPC) or
      // a file system gone read-only stops the sweep: going on would measure what cannot be kept.
      if (saved >= 0) {
        const kept = (paths as ResultPaths | null)?.jsonPath ?? request.outDir;
        (error as Error).message =
          `results could not be saved, so the sweep stopped after ${records.length} of ${plan.transfers.length} transfers: ` +
          `${(error as Error).message}; ${kept} keeps the ${plural(saved, 'record')} saved before`;
      }
      throw error;
    }
  };
  let interrupted: string | null = null;
  let interruptedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = `interrupted by ${signal}`;
    interruptedBy = signal;
    abortActiveTransfers(interrupted);
  };
  // Out of the caller's synchronous turn first. A tslab notebook cell runs its synchronous part
  // under vm's breakOnSigint, whose SIGINT watchdog, when it ends, leaves a signal handler
  // installed meanwhile at the default action: a listener added there lets the next interrupt
  // kill the kernel (exit by signal 2). Added after a turn of the event loop, it works.
  await new Promise((resolve) => setImmediate(resolve));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    save();
    if (request.outDir !== null) progress.note(`ipc-lab: writing results to ${shownPath(request.outDir)}`);
    for (const planned of plan.transfers) {
      if (interrupted) break;
      progress.start(planned.spec, planned.repeat, planned.warmup);
      const record = await (request.run ?? runTransfer)(planned.spec, options, {
        runId: description.runId,
        repeat: planned.repeat,
        warmup: planned.warmup,
      });
      records.push(record);
      save();
      progress.finish(record);
    }
  } catch (error) {
    // Close the bar or display too when results could not be saved mid-sweep; the error itself is
    // the caller's line to show (before the first transfer, the only one).
    if (records.length > 0) progress.end('stopped by an error');
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (interrupted) progress.note(`ipc-lab: ${interrupted}; ${records.length} records saved`);
  const summary = progress.end(interrupted);
  return { description, records, paths, notes: plan.notes, interrupted, interruptedBy, progress: summary };
}
