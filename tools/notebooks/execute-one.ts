/**
 * One notebook of `npm run notebooks`: executed by the nbclient driver (run_notebook.py), checked
 * for failures (check-outputs.ts), saved where it belongs only when good, and exported to HTML.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findProblems, type NotebookProblem } from './check-outputs';
import { exportPage } from './export-html';
import type { NotebookJson } from './make-notebook';
import { pagesDir } from './paths';
import type { DriverEvent, ProgressView } from './progress-view';
import type { Children } from './run-driver';

/** What became of one notebook. */
export interface NotebookResult {
  name: string;
  ok: boolean;
  /** The executed notebook (in notebooks/, the out dir, or a kept temp dir when it failed). */
  executedPath: string | null;
  htmlPath: string | null;
  problems: NotebookProblem[];
  /** Set when the driver itself failed (timeout, dead kernel, invalid notebook), or the export did. */
  error: string | null;
  seconds: number;
  bytes: number;
}

/** How every notebook of a run is executed. */
export interface NotebookJob {
  scale: string;
  cellTimeoutSeconds: number;
  html: boolean;
  /** Executing notebooks/ itself: stage each run in a temp dir, so a failed run never replaces good outputs. */
  inPlace: boolean;
  sourceDir: string;
  /** Where the executed notebooks go, and their pages into its html/. */
  targetDir: string;
  /** The kernels' environment: the venv's Jupyter, the scale and the one run. */
  env: NodeJS.ProcessEnv;
  children: Children;
  view: ProgressView;
  onDriverEvent?: (name: string, event: DriverEvent) => void;
}

/** The end of a child's output, where it says what went wrong. */
function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

/** Execute, check, save and export notebook `name`; never throws for a failing notebook. */
export async function executeOne(name: string, job: NotebookJob): Promise<NotebookResult> {
  const started = Date.now();
  const stageDir = job.inPlace ? fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-nb-')) : job.targetDir;
  const staged = path.join(stageDir, `${name}.ipynb`);
  job.view.notebookStarts(name, `executing at scale ${job.scale} (cell timeout ${job.cellTimeoutSeconds} s)`);
  const args = [path.join(job.sourceDir, `${name}.ipynb`), staged, '--timeout', String(job.cellTimeoutSeconds), '--stop-on-stdin-eof'];
  const run = await job.children.driver(args, job.env, (event) => {
    job.view.driver(event);
    job.onDriverEvent?.(name, event);
  });
  const result: NotebookResult = { name, ok: false, executedPath: null, htmlPath: null, problems: [], error: null, seconds: 0, bytes: 0 };
  if (run.ok && fs.existsSync(staged)) {
    result.problems = findProblems(JSON.parse(fs.readFileSync(staged, 'utf8')) as NotebookJson);
    [result.ok, result.bytes] = [result.problems.length === 0, fs.statSync(staged).size];
    // In place (targetDir is notebooks/), only a good run replaces the committed notebook.
    result.executedPath = result.ok && job.inPlace ? path.join(job.targetDir, `${name}.ipynb`) : staged;
    if (result.executedPath !== staged) fs.copyFileSync(staged, result.executedPath);
    const exported =
      result.ok && job.html ? await exportPage(result.executedPath, name, pagesDir(job.targetDir), job.children, job.env) : null;
    if (exported && 'page' in exported) result.htmlPath = exported.page;
    else if (exported) [result.ok, result.error] = [false, `HTML export failed: ${lastLines(exported.failed.output)}`];
  } else result.error = `execution failed: ${lastLines(run.output)}`;
  // In place, a failed run is kept for a look, unless there is nothing in it.
  if (job.inPlace && (result.ok || !fs.existsSync(staged))) fs.rmSync(stageDir, { recursive: true, force: true });
  result.seconds = (Date.now() - started) / 1000;
  return result;
}
