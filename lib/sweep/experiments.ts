import * as fs from 'node:fs';
import * as path from 'node:path';
import { machineLine, plural } from '../model/format';
import { resultsRoot, shownPath } from '../model/paths';
import type { RunDescription, RunOptions, TransferRecord } from '../model/types';
import { howObtained, sliceFor } from './one-run';
import type { ProgressSink } from './progress';
import { loadResults } from './results-files';
import { type Scale, scaleFromEnv } from './scales';
import { runSweep, sweepSteps } from './sweep';
import { findExperimentDef } from './sweep-experiments';

export { BIG_ROUNDS, parseScale, SCALES, type Scale, scaleFromEnv } from './scales';
export { type ExperimentDef, findExperimentDef, NOTEBOOK_EXPERIMENTS, RUNTIME_MESSAGE_TRANSPORTS } from './sweep-experiments';

/**
 * A notebook calls `obtain(name)`: it takes the experiment's slice of the one run behind every
 * notebook when there is one (one-run.ts), runs the experiment now and saves its records under
 * data/results/<name>-<scale>/, or loads what an earlier run saved there, and says which.
 */
export interface ExperimentResult {
  name: string;
  title: string;
  scale: Scale;
  /**
   * `run`: measured by this call; `saved`: loaded from an earlier run's files; `one-run`: this
   * experiment's slice of the one run behind every notebook (one-run.ts).
   */
  source: 'run' | 'saved' | 'one-run';
  /** The results directory. */
  path: string;
  description: RunDescription;
  records: TransferRecord[];
}

export interface ObtainOptions {
  scale?: Scale;
  /** `run` (default) measures now; `saved` loads an earlier run's results when there are any. */
  prefer?: 'run' | 'saved';
  options?: Partial<RunOptions>;
  /** Where a run's progress goes (see lib/sweep/progress.ts); default stderr, a bar on a terminal. */
  progress?: ProgressSink;
}

/**
 * Run an experiment now and save it, or load its saved results. A results root
 * (IPC_LAB_RESULTS_DIR), TMPDIR or shared-memory root that cannot hold files rejects at once with
 * a one-line UsageError naming it, before anything runs or is created.
 */
export async function obtain(name: string, opts: ObtainOptions = {}): Promise<ExperimentResult> {
  const def = findExperimentDef(name);
  const { scale, dir, loadSaved } = experimentPlace(name, opts, 'records.json');
  const base = { name, title: def.title, scale, path: dir };
  const what = `experiment "${name}" at scale ${scale}`;
  const slice = sliceFor(sweepSteps(def.configs[scale]).steps, what, { scale, prefer: opts.prefer, loadSaved });
  if (slice) return { ...base, source: 'one-run', path: slice.dir, description: slice.description, records: slice.records };
  if (loadSaved) {
    const saved = loadResults(dir);
    return { ...base, source: 'saved', description: saved.description, records: saved.records };
  }
  const result = await runSweep({
    config: def.configs[scale],
    outDir: dir,
    options: opts.options,
    progress: opts.progress,
    label: `${name} at scale ${scale}`,
    commandLine: `obtain(${JSON.stringify(name)}, { scale: ${JSON.stringify(scale)} })`,
  });
  if (result.interrupted) throw new Error(`${name}: ${result.interrupted}; ${result.records.length} records saved in ${shownPath(dir)}`);
  return { ...base, source: 'run', description: result.description, records: result.records };
}

/**
 * Where an experiment's results live at its scale (data/results/<name>-<scale>/, under
 * IPC_LAB_RESULTS_DIR), and whether to load them instead of running: `prefer: 'saved'` and a saved
 * `file` there. Every kind of experiment (sweeps, the bench, the message bench) is placed this way.
 */
export function experimentPlace(
  name: string,
  opts: { scale?: Scale; prefer?: 'run' | 'saved' },
  file: string,
): { scale: Scale; dir: string; loadSaved: boolean } {
  const scale = opts.scale ?? scaleFromEnv();
  const dir = path.join(resultsRoot(), `${name}-${scale}`);
  return { scale, dir, loadSaved: (opts.prefer ?? 'run') === 'saved' && fs.existsSync(path.join(dir, file)) };
}

/** One sentence for a notebook: where these numbers come from, and on what machine. */
export function provenance(result: ExperimentResult): string {
  const d = result.description;
  const how = howObtained(result.source, result.path);
  return (
    `${how}: experiment \`${result.name}\` at scale \`${result.scale}\`, ${plural(result.records.length, 'transfer')}, ` +
    `run ${d.runId} on ${d.date.slice(0, 10)} — ${machineLine(d)}.`
  );
}
