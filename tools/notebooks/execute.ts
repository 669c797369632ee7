/**
 * `npm run notebooks`: measures, once, everything the chosen notebooks show (one-run.ts); then
 * executes every notebooks/*.ipynb in name order, headless, each taking its slice of that run
 * (execute-one.ts), one after another (they are benchmarks), while progress-view.ts shows where it
 * is. A notebook is saved in place only when good (or into --out-dir) and exported to
 * `<dir>/html/<name>.html`. Exit status 1 when any fails, 2 on bad arguments, 130/143 when interrupted.
 *
 *   node -r ts-node/register/transpile-only tools/notebooks/execute.ts [names…] [--out-dir DIR]
 *        [--scale smoke|quick|article] [--timeout SECONDS] [--no-html] [--reuse-run]
 *
 * --reuse-run takes the run saved before instead of measuring again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatBytes, formatSeconds } from '../../lib/model/format';
import { makeDirs } from '../../lib/model/safe-dirs';
import { parseScale, type Scale } from '../../lib/sweep/scales';
import { executeOne, type NotebookResult } from './execute-one';
import { measureOnce } from './one-run';
import { jupyterEnv, NOTEBOOKS_DIR } from './paths';
import { type Display, type DriverEvent, ProgressView } from './progress-view';
import { Children } from './run-driver';

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
  display?: Display | null;
  /** Take the one run already saved for this scale instead of measuring it again (--reuse-run). */
  reuseRun?: boolean;
  /** Every driver event, as it arrives (tests). */
  onDriverEvent?: (name: string, event: DriverEvent) => void;
}

/** What a run of executeNotebooks did. */
export interface ExecuteOutcome {
  /** The notebooks chosen to run, in order. */
  notebooks: string[];
  /** One per notebook that ran: fewer than `notebooks` when a signal stopped the run. */
  results: NotebookResult[];
  /** The signal (Ctrl-C: SIGINT) that stopped the run early, or null. */
  interruptedBy: NodeJS.Signals | null;
}

/** Notebooks larger than this are reported: shared notebooks must stay small. */
export const MAX_NOTEBOOK_BYTES = 2 * 1024 * 1024;

/** The notebooks to run, in name order. */
export function listNotebooks(names?: string[], dir = NOTEBOOKS_DIR): string[] {
  const all = fs
    .readdirSync(dir)
    .flatMap((f) => (f.endsWith('.ipynb') ? [f.slice(0, -'.ipynb'.length)] : []))
    .sort();
  const missing = names?.find((n) => !all.includes(n));
  if (missing) throw new Error(`no notebook ${path.join(path.relative(process.cwd(), dir), missing)}.ipynb (there are: ${all.join(', ')})`);
  return names?.length ? all.filter((n) => names.includes(n)) : all;
}

function defaultTimeout(scale: string): number {
  const fromEnv = Number(process.env.IPC_LAB_CELL_TIMEOUT);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : scale === 'smoke' ? 600 : 7200;
}

/**
 * Measure, then execute, check, save and export the notebooks one by one; never throws for a
 * failing notebook. SIGINT/SIGTERM stop the run: while measuring, the loop tears its running step
 * down and keeps what it measured, and no notebook runs; later, the running notebook's kernel is
 * shut down (with whatever it started), that notebook is not saved, and no later notebook starts.
 */
export async function executeNotebooks(options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
  const scale: Scale = parseScale(options.scale ?? process.env.IPC_LAB_SCALE ?? 'article', options.scale ? '--scale' : 'IPC_LAB_SCALE');
  const sourceDir = options.sourceDir ? path.resolve(options.sourceDir) : NOTEBOOKS_DIR;
  const inPlace = !options.outDir && !options.sourceDir;
  const targetDir = options.outDir ? path.resolve(options.outDir) : sourceDir;
  const notebooks = listNotebooks(options.names, sourceDir);
  makeDirs(targetDir, `notebook output directory ${JSON.stringify(targetDir)}`);
  const display = options.display === undefined ? process.stdout : options.display;
  const oneRun = await measureOnce(notebooks, scale, options.reuseRun ?? false, display);
  if (oneRun.interruptedBy) {
    display?.write(`execute: interrupted by ${oneRun.interruptedBy} while measuring: no notebook ran\n`);
    return { notebooks, results: [], interruptedBy: oneRun.interruptedBy };
  }
  const [view, children] = [new ProgressView(notebooks, display), new Children()];
  const [cellTimeoutSeconds, html] = [options.cellTimeoutSeconds ?? defaultTimeout(scale), options.html ?? true];
  const env = jupyterEnv({ IPC_LAB_SCALE: scale, ...oneRun.env });
  const job = { scale, cellTimeoutSeconds, html, inPlace, sourceDir, targetDir, env, children, view, onDriverEvent: options.onDriverEvent };
  const results: NotebookResult[] = [];
  let interruptedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    // Forwarded once: a second signal would make nbclient start its kernel shutdown twice.
    view.line(`execute: ${signal}: ${interruptedBy ? 'still ' : ''}stopping the running notebook and its kernel`);
    if (interruptedBy) return;
    interruptedBy = signal;
    children.signal(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const name of notebooks) {
      if (interruptedBy) break;
      const result = await executeOne(name, job);
      // A notebook that ended and was saved before the signal stays saved.
      if (interruptedBy && !result.ok) result.error = `interrupted by ${interruptedBy}${result.error ? ` (${result.error})` : ''}`;
      results.push(result);
      view.line(describe(result));
      if (result.bytes > MAX_NOTEBOOK_BYTES) {
        view.line(`${name}: warning: ${formatBytes(result.bytes)}, over the ${formatBytes(MAX_NOTEBOOK_BYTES)} meant for shared notebooks`);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    view.close();
  }
  return { notebooks, results, interruptedBy };
}

/** One line per notebook: ok, or where and why it failed. */
export function describe(r: NotebookResult): string {
  if (r.ok) {
    const page = r.htmlPath ? `, ${path.relative(process.cwd(), r.htmlPath)}` : '';
    return `${r.name}: ok in ${formatSeconds(r.seconds)}, ${formatBytes(r.bytes)}${page}`;
  }
  if (r.error && r.problems.length === 0) return `${r.name}: FAILED: ${r.error}`;
  const failures = r.problems.filter((p) => p.kind !== 'not-run');
  const lines = failures.map((p) => `${r.name}.ipynb cell ${p.cellIndex} (${p.kind}): ${p.line}`);
  const notRun = r.problems.length - failures.length;
  if (notRun > 0) lines.push(`${notRun} later code cell(s) not run`);
  if (r.error) lines.push(`${r.name}: ${r.error}`);
  if (r.executedPath) lines.push(`${r.name}: the failed run is kept in ${r.executedPath}`);
  return `${r.name}: FAILED\n  ${lines.join('\n  ')}`;
}

/** The command line's options; a bad one is an Error whose message names it and what is valid. */
export function parseArgs(argv: string[]): ExecuteOptions {
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
    else if (arg === '--timeout') {
      const text = value();
      options.cellTimeoutSeconds = Number(text);
      if (!(options.cellTimeoutSeconds > 0)) throw new Error(`--timeout ${JSON.stringify(text)} is not a positive number of seconds`);
    } else if (arg === '--no-html') options.html = false;
    else if (arg === '--reuse-run') options.reuseRun = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (known: --out-dir, --scale, --timeout, --no-html, --reuse-run)`);
    else options.names!.push(arg.replace(/\.ipynb$/, '').replace(/^notebooks\//, ''));
  }
  return options;
}

if (require.main === module) {
  (async () => {
    try {
      const { notebooks, results, interruptedBy } = await executeNotebooks(parseArgs(process.argv.slice(2)));
      const ok = results.filter((r) => r.ok).length;
      console.log(`${ok} of ${notebooks.length} notebooks ok${interruptedBy ? ` (interrupted by ${interruptedBy})` : ''}`);
      if (interruptedBy) process.exit(interruptedBy === 'SIGINT' ? 130 : 143);
      process.exit(ok < notebooks.length ? 1 : 0);
    } catch (error) {
      console.error(`execute: ${(error as Error).message}`);
      process.exit(2);
    }
  })();
}
