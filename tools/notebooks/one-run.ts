/**
 * The main job's one run: before any notebook executes, `npm run notebooks` measures the union of
 * the experiments the chosen notebooks declare (their sources' `experiments`), once, with the one
 * loop (lib/sweep/notebook-run.ts), showing the loop's own progress; every notebook then takes its
 * slice of that run (IPC_LAB_ONE_RUN, lib/sweep/one-run.ts) instead of measuring again.
 */
import { unique } from '../../lib/model/lists';
import { shownPath } from '../../lib/model/paths';
import { runUnion, unionPlan } from '../../lib/sweep/notebook-run';
import { ONE_RUN_ENV, oneRunDir, sliceOf } from '../../lib/sweep/one-run';
import { sinkFor } from '../../lib/sweep/progress';
import type { Scale } from '../../lib/sweep/scales';
import { loadSources } from './make-notebook';
import type { Display } from './progress-view';

/** The experiments the notebooks `names` show, in notebook order, each once. */
export function experimentsShownBy(names: readonly string[]): string[] {
  return unique(loadSources().flatMap((nb) => (names.includes(nb.name) ? (nb.experiments ?? []) : [])));
}

/** What the one run left for the notebooks: the variable to set, or why the notebooks should not run. */
export interface OneRun {
  /** IPC_LAB_ONE_RUN for the kernels; empty when no notebook measures anything. */
  env: NodeJS.ProcessEnv;
  /** Set when a signal stopped the run: then no notebook runs. */
  interruptedBy: NodeJS.Signals | null;
}

/**
 * Measure the union of what `names` show at `scale`, or with `reuse` take the one run already in
 * data/results/notebooks-<scale>/ when it holds every step (re-executing notebooks after editing
 * their words, without measuring again). Lines and the loop's progress go to `display` (null: none).
 */
export async function measureOnce(names: readonly string[], scale: Scale, reuse: boolean, display: Display | null): Promise<OneRun> {
  const log = (line: string) => display?.write(`${line}\n`);
  const experiments = experimentsShownBy(names);
  if (experiments.length === 0) return { env: {}, interruptedBy: null };
  const dir = oneRunDir(scale);
  if (reuse) {
    const { steps } = unionPlan(experiments, scale);
    sliceOf(dir, steps, `the notebooks' experiments at scale ${scale}`);
    log(`execute: reusing the one run in ${shownPath(dir)} (${steps.length} steps of ${experiments.join(', ')})`);
    return { env: { [ONE_RUN_ENV]: dir }, interruptedBy: null };
  }
  log(`execute: measuring once what the notebooks show: ${experiments.join(', ')} (scale ${scale})`);
  const result = await runUnion(experiments, scale, {
    commandLine: process.argv.join(' '),
    ...(display ? { progress: sinkFor(display) } : { quiet: true }),
  });
  return { env: { [ONE_RUN_ENV]: result.dir }, interruptedBy: result.interruptedBy };
}
