/**
 * Executes every notebooks/*.ipynb in name order, headless, through the project's tslab kernel:
 * each runs in a small nbclient driver (run_notebook.py) that reports, as it happens, which cell
 * runs and the sweeps' progress (drawn by progress-view.ts, with the time left estimated from the
 * last good run, timings.ts). Each executed notebook is checked for failures (see
 * check-outputs.ts); saved in place only when good (or, with --out-dir, into another folder,
 * leaving notebooks/ untouched) and exported to `<dir>/html/<name>.html` beside the one shared
 * plotly.min.js. Exit status 1 when any fails, 2 on bad arguments, 130/143 when interrupted.
 *
 *   node -r ts-node/register/transpile-only tools/notebooks/execute.ts [names…] [--out-dir DIR]
 *        [--scale smoke|quick|article] [--timeout SECONDS] [--no-html] [--reuse-run]
 *
 * First it measures, once, everything the chosen notebooks show (one-run.ts); the notebooks then
 * take their slices of that run. --reuse-run takes the run saved before instead.
 *
 * The notebooks run one after another, never in parallel: they are benchmarks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeDirs } from '../../lib/model/safe-dirs';
import { parseScale, type Scale } from '../../lib/sweep/experiments';
import { findProblems, type NotebookProblem } from './check-outputs';
import { exportPage } from './export-html';
import type { NotebookJson } from './make-notebook';
import { measureOnce } from './one-run';
import { HTML_DIR, jupyterEnv, NOTEBOOKS_DIR, PYTHON, REPO_ROOT } from './paths';
import { type DriverEvent, ProgressView } from './progress-view';
import { Children } from './run-driver';
import { loadTimings, type NotebookTiming, saveTiming } from './timings';

export interface ExecuteOptions {
  /** Notebook names (without .ipynb) to run; default every notebooks/*.ipynb. */
  names?: string[];
  /** Write executed notebooks (and html/) here instead of over notebooks/. */
  outDir?: string;
  /** Read the notebooks from here instead of notebooks/ (tests); without outDir, they are executed in place there. */
  sourceDir?: string;
  /** IPC_LAB_SCALE for the kernels; default $IPC_LAB_SCALE or `article`. */
  scale?: string;
  /** Per-cell limit; default $IPC_LAB_CELL_TIMEOUT, else 600 s at smoke scale and 7200 s otherwise. */
  cellTimeoutSeconds?: number;
  /** Export HTML pages (default true). */
  html?: boolean;
  /** Where progress is drawn (a bar on a terminal, plain lines otherwise); default stdout, null for none. */
  display?: (NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) | null;
  /** Take the one run already saved for this scale instead of measuring it again (--reuse-run). */
  reuseRun?: boolean;
  /** Every driver event, as it arrives (tests). */
  onDriverEvent?: (name: string, event: DriverEvent) => void;
}

/** What a run of executeNotebooks did. */
export interface ExecuteOutcome {
  results: NotebookResult[];
  /** The signal (Ctrl-C: SIGINT) that stopped the run early, or null. */
  interruptedBy: NodeJS.Signals | null;
}

export interface NotebookResult {
  name: string;
  ok: boolean;
  /** The executed notebook (in notebooks/, the out dir, or a kept temp dir when it failed). */
  executedPath: string | null;
  htmlPath: string | null;
  problems: NotebookProblem[];
  /** Set when nbconvert itself failed (timeout, dead kernel, invalid notebook). */
  error: string | null;
  seconds: number;
  bytes: number;
}

/** Notebooks larger than this are reported: shared notebooks must stay small. */
export const MAX_NOTEBOOK_BYTES = 2 * 1024 * 1024;

/**
 * The last good run's timings. In place, data/notebook-timings.json, committed with the notebooks
 * it timed: a fresh clone's first run then has an estimate. With --out-dir, a copy in that folder
 * (read before data/'s), so that test and trial runs never change the repository.
 */
export const TIMINGS_FILE = path.join(REPO_ROOT, 'data', 'notebook-timings.json');

/** The notebooks to run, in name order. */
export function listNotebooks(names?: string[], dir = NOTEBOOKS_DIR): string[] {
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => f.slice(0, -'.ipynb'.length));
  if (!names || names.length === 0) return all;
  for (const n of names)
    if (!all.includes(n))
      throw new Error(`no notebook ${path.join(path.relative(process.cwd(), dir), n)}.ipynb (there are: ${all.join(', ')})`);
  return all.filter((n) => names.includes(n));
}

function defaultTimeout(scale: string): number {
  const fromEnv = Number(process.env.IPC_LAB_CELL_TIMEOUT);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  return scale === 'smoke' ? 600 : 7200;
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

/**
 * Execute, check, save and export the notebooks one by one, showing progress as they run; never
 * throws for a failing notebook. SIGINT/SIGTERM stop the run: the running notebook's kernel is
 * shut down (with whatever it started) and that notebook is not saved; no later notebook starts.
 */
export async function executeNotebooks(options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
  const scale: Scale = parseScale(options.scale ?? process.env.IPC_LAB_SCALE ?? 'article', options.scale ? '--scale' : 'IPC_LAB_SCALE');
  const timeout = options.cellTimeoutSeconds ?? defaultTimeout(scale);
  const html = options.html ?? true;
  const sourceDir = options.sourceDir ? path.resolve(options.sourceDir) : NOTEBOOKS_DIR;
  // In place: notebooks/ itself, staged first, with the repository's timings; anywhere else, the folder written into.
  const inPlace = !options.outDir && !options.sourceDir;
  const targetDir = options.outDir ? path.resolve(options.outDir) : sourceDir;
  const htmlDir = inPlace ? HTML_DIR : path.join(targetDir, 'html');
  const names = listNotebooks(options.names, sourceDir);
  makeDirs(targetDir, `notebook output directory ${JSON.stringify(targetDir)}`);
  const timingsFile = inPlace ? TIMINGS_FILE : path.join(targetDir, 'notebook-timings.json');
  const previous = { ...(loadTimings(TIMINGS_FILE)[scale] ?? {}), ...(inPlace ? {} : (loadTimings(timingsFile)[scale] ?? {})) };
  const display = options.display === undefined ? process.stdout : options.display;
  const oneRun = await measureOnce(names, scale, options.reuseRun ?? false, (line) => display?.write(`${line}\n`));
  if (oneRun.interruptedBy) return { results: [], interruptedBy: oneRun.interruptedBy };
  const view = new ProgressView(names, previous, display);
  const env = jupyterEnv({ IPC_LAB_SCALE: scale, ...oneRun.env });
  const children = new Children();
  const results: NotebookResult[] = [];
  let interruptedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    // Forwarded once: a second signal would make nbclient start its kernel shutdown twice.
    if (interruptedBy) {
      view.line(`execute: ${signal}: still stopping the running notebook and its kernel`);
      return;
    }
    view.line(`execute: ${signal}: stopping the running notebook and its kernel`);
    interruptedBy = signal;
    children.signal(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const name of names) {
      if (interruptedBy) break;
      const result = await executeOne(name, { scale, timeout, html, inPlace, sourceDir, targetDir, htmlDir, env, children, view, options });
      // A notebook that ended and was saved before the signal stays saved.
      if (interruptedBy && !result.ok) result.error = `interrupted by ${interruptedBy}${result.error ? ` (${result.error})` : ''}`;
      else if (result.ok && result.timing) saveTiming(timingsFile, scale, name, result.timing);
      delete result.timing;
      results.push(result);
      view.line(describe(result));
      if (result.bytes > MAX_NOTEBOOK_BYTES) {
        view.line(
          `${name}: warning: ${(result.bytes / 1048576).toFixed(1)} MB, over the ${MAX_NOTEBOOK_BYTES / 1048576} MB meant for shared notebooks`,
        );
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    view.close();
  }
  return { results, interruptedBy };
}

interface RunContext {
  scale: Scale;
  timeout: number;
  html: boolean;
  inPlace: boolean;
  sourceDir: string;
  targetDir: string;
  htmlDir: string;
  env: NodeJS.ProcessEnv;
  children: Children;
  view: ProgressView;
  options: ExecuteOptions;
}

/** Execute, check, save and export one notebook; its timing rides along for a good run. */
async function executeOne(name: string, ctx: RunContext): Promise<NotebookResult & { timing?: NotebookTiming }> {
  const started = Date.now();
  const source = path.join(ctx.sourceDir, `${name}.ipynb`);
  // In place, execute into a temp dir first: a failed run must not replace good outputs.
  const stageDir = ctx.inPlace ? fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-nb-')) : ctx.targetDir;
  const staged = path.join(stageDir, `${name}.ipynb`);
  ctx.view.notebookStarts(name, `executing at scale ${ctx.scale} (cell timeout ${ctx.timeout} s)`);
  const timing: NotebookTiming = { seconds: 0, startupSeconds: 0, cellSeconds: [] };
  // The input stays notebooks/<name>.ipynb; the kernel's working directory is the repo root
  // anyway (see tools/setup/kernel.ts), so copies elsewhere resolve ./lib and data/ the same way.
  const args = [
    source,
    staged,
    '--timeout',
    String(ctx.timeout),
    '--startup-timeout',
    '120',
    '--cwd',
    NOTEBOOKS_DIR,
    '--stop-on-stdin-eof',
  ];
  const run = await ctx.children.driver(PYTHON, args, ctx.env, (event) => {
    if (event.event === 'cell' && timing.startupSeconds === 0) timing.startupSeconds = (Date.now() - started) / 1000;
    if (event.event === 'cell-done' && event.index >= 0) timing.cellSeconds[event.index] = event.seconds;
    ctx.view.driver(event);
    ctx.options.onDriverEvent?.(name, event);
  });
  const result: NotebookResult & { timing?: NotebookTiming } = {
    name,
    ok: false,
    executedPath: null,
    htmlPath: null,
    problems: [],
    error: null,
    seconds: 0,
    bytes: 0,
  };
  if (!run.ok || !fs.existsSync(staged)) {
    result.error = `execution failed: ${lastLines(run.output, 3)}`;
  } else {
    const nb = JSON.parse(fs.readFileSync(staged, 'utf8')) as NotebookJson;
    result.problems = findProblems(nb);
    result.ok = result.problems.length === 0;
    result.bytes = fs.statSync(staged).size;
    result.executedPath = staged;
    if (result.ok && ctx.inPlace) {
      const final = path.join(NOTEBOOKS_DIR, `${name}.ipynb`);
      fs.copyFileSync(staged, final);
      result.executedPath = final;
    }
    if (result.ok && ctx.html) {
      const exported = await exportPage(result.executedPath, name, ctx.htmlDir, ctx.children, ctx.env);
      if ('page' in exported) result.htmlPath = exported.page;
      else {
        result.ok = false;
        result.error = `HTML export failed: ${lastLines(exported.failed.output, 3)}`;
      }
    }
  }
  // In place, a failed run is kept for a look, unless there is nothing in it.
  if (ctx.inPlace && (result.ok || !fs.existsSync(staged))) fs.rmSync(stageDir, { recursive: true, force: true });
  result.seconds = (Date.now() - started) / 1000;
  timing.seconds = result.seconds;
  // Empty cells are skipped by nbclient: no time, 0 s.
  if (timing.cellSeconds.length > 0) result.timing = { ...timing, cellSeconds: Array.from(timing.cellSeconds, (s) => s ?? 0) };
  return result;
}

/** One line per notebook: ok, or where and why it failed. */
export function describe(r: NotebookResult): string {
  const size = `${(r.bytes / 1048576).toFixed(2)} MB`;
  if (r.ok)
    return `${r.name}: ok in ${r.seconds.toFixed(1)} s, ${size}${r.htmlPath ? `, ${path.relative(process.cwd(), r.htmlPath)}` : ''}`;
  if (r.error && r.problems.length === 0) return `${r.name}: FAILED: ${r.error}`;
  const failures = r.problems.filter((p) => p.kind !== 'not-run');
  const lines = failures.map((p) => `${r.name}.ipynb cell ${p.cellIndex} (${p.kind}): ${p.line}`);
  const notRun = r.problems.length - failures.length;
  if (notRun > 0) lines.push(`${notRun} later code cell(s) not run`);
  if (r.error) lines.push(`${r.name}: ${r.error}`);
  if (r.executedPath) lines.push(`${r.name}: the failed run is kept in ${r.executedPath}`);
  return `${r.name}: FAILED\n  ${lines.join('\n  ')}`;
}

function parseArgs(argv: string[]): ExecuteOptions {
  const options: ExecuteOptions = { names: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--out-dir') options.outDir = value();
    else if (arg === '--scale') options.scale = parseScale(value(), '--scale');
    else if (arg === '--timeout') options.cellTimeoutSeconds = Number(value());
    else if (arg === '--no-html') options.html = false;
    else if (arg === '--reuse-run') options.reuseRun = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (known: --out-dir, --scale, --timeout, --no-html, --reuse-run)`);
    else options.names!.push(arg.replace(/\.ipynb$/, '').replace(/^notebooks\//, ''));
  }
  if (options.cellTimeoutSeconds !== undefined && !(options.cellTimeoutSeconds > 0))
    throw new Error('--timeout must be a positive number of seconds');
  return options;
}

if (require.main === module) {
  (async () => {
    try {
      const { results, interruptedBy } = await executeNotebooks(parseArgs(process.argv.slice(2)));
      const failed = results.filter((r) => !r.ok);
      console.log(
        `${results.length - failed.length} of ${results.length} notebooks ok${interruptedBy ? ` (interrupted by ${interruptedBy})` : ''}`,
      );
      if (interruptedBy) process.exit(interruptedBy === 'SIGINT' ? 130 : 143);
      process.exit(failed.length > 0 ? 1 : 0);
    } catch (error) {
      console.error(`execute: ${(error as Error).message}`);
      process.exit(2);
    }
  })();
}
