/**
 * Executes every notebooks/*.ipynb in name order, headless, through Debian's Jupyter and the
 * project's tslab kernel; checks each for failures (see check-outputs.ts); saves it in place (or,
 * with --out-dir, into another folder, leaving notebooks/ untouched) and exports it to
 * `<dir>/html/<name>.html` beside the one shared plotly.min.js. Exit status 1 when any fails.
 *
 *   node -r ts-node/register/transpile-only tools/notebooks/execute.ts [names…] [--out-dir DIR]
 *        [--scale smoke|article] [--timeout SECONDS] [--no-html]
 *
 * The notebooks run one after another, never in parallel: they are benchmarks.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeDirs } from '../../lib/model/safe-dirs';
import { findProblems, type NotebookProblem } from './check-outputs';
import type { NotebookJson } from './make-notebook';
import { HTML_DIR, JUPYTER, jupyterEnv, NOTEBOOKS_DIR, PLOTLY_MIN_JS } from './paths';

export interface ExecuteOptions {
  /** Notebook names (without .ipynb) to run; default every notebooks/*.ipynb. */
  names?: string[];
  /** Write executed notebooks (and html/) here instead of over notebooks/. */
  outDir?: string;
  /** IPC_LAB_SCALE for the kernels; default $IPC_LAB_SCALE or `article`. */
  scale?: string;
  /** Per-cell limit; default $IPC_LAB_CELL_TIMEOUT, else 600 s at smoke scale and 7200 s otherwise. */
  cellTimeoutSeconds?: number;
  /** Export HTML pages (default true). */
  html?: boolean;
  log?: (line: string) => void;
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

const NBCONVERT_CONFIG = path.join(__dirname, 'nbconvert_config.py');

/** The notebooks to run, in name order. */
export function listNotebooks(names?: string[]): string[] {
  const all = fs
    .readdirSync(NOTEBOOKS_DIR)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => f.slice(0, -'.ipynb'.length));
  if (!names || names.length === 0) return all;
  for (const n of names) if (!all.includes(n)) throw new Error(`no notebook notebooks/${n}.ipynb (there are: ${all.join(', ')})`);
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

function nbconvert(args: string[], env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  const result = spawnSync(JUPYTER, ['nbconvert', ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) return { ok: false, output: `${result.error.message} ${output}` };
  return { ok: result.status === 0, output };
}

/** Copy the shared plotly.min.js next to the HTML pages (once; they load it by relative URL). */
export function placeSharedPlotly(htmlDir: string): void {
  const target = path.join(htmlDir, 'plotly.min.js');
  makeDirs(htmlDir, `HTML directory ${JSON.stringify(htmlDir)}`);
  if (fs.existsSync(target) && fs.statSync(target).size === fs.statSync(PLOTLY_MIN_JS).size) return;
  fs.copyFileSync(PLOTLY_MIN_JS, target);
}

/**
 * Links between notebooks are written as `01-x.ipynb` (right in Jupyter, on GitHub and nbviewer);
 * in the exported pages they must point at the sibling page `01-x.html` instead.
 */
export function rewriteNotebookLinks(html: string): string {
  return html.replace(
    /href="([^"/:#?]+)\.ipynb(#[^"]*)?"/g,
    (_m, name: string, hash: string | undefined) => `href="${name}.html${hash ?? ''}"`,
  );
}

/** Execute, check, save and export the notebooks one by one; never throws for a failing notebook. */
export function executeNotebooks(options: ExecuteOptions = {}): NotebookResult[] {
  const log = options.log ?? ((line: string) => console.log(line));
  const scale = options.scale ?? process.env.IPC_LAB_SCALE ?? 'article';
  const timeout = options.cellTimeoutSeconds ?? defaultTimeout(scale);
  const html = options.html ?? true;
  const inPlace = !options.outDir;
  const targetDir = options.outDir ? path.resolve(options.outDir) : NOTEBOOKS_DIR;
  const htmlDir = inPlace ? HTML_DIR : path.join(targetDir, 'html');
  makeDirs(targetDir, `notebook output directory ${JSON.stringify(targetDir)}`);
  const env = jupyterEnv({ IPC_LAB_SCALE: scale });
  const results: NotebookResult[] = [];

  for (const name of listNotebooks(options.names)) {
    const started = Date.now();
    const source = path.join(NOTEBOOKS_DIR, `${name}.ipynb`);
    // In place, execute into a temp dir first: a failed run must not replace good outputs.
    const stageDir = inPlace ? fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-nb-')) : targetDir;
    const staged = path.join(stageDir, `${name}.ipynb`);
    log(`${name}: executing at scale ${scale} (cell timeout ${timeout} s)`);
    // The input stays notebooks/<name>.ipynb; the kernel's working directory is the repo root
    // anyway (see setup.ts), so copies elsewhere resolve ./lib and data/ the same way.
    const run = nbconvert(
      [
        '--config',
        NBCONVERT_CONFIG,
        '--to',
        'notebook',
        '--execute',
        '--allow-errors',
        `--ExecutePreprocessor.timeout=${timeout}`,
        '--ExecutePreprocessor.startup_timeout=120',
        '--output-dir',
        stageDir,
        '--output',
        name,
        source,
      ],
      env,
    );
    const result: NotebookResult = {
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
      result.error = `nbconvert failed: ${lastLines(run.output, 3)}`;
    } else {
      const nb = JSON.parse(fs.readFileSync(staged, 'utf8')) as NotebookJson;
      result.problems = findProblems(nb);
      result.ok = result.problems.length === 0;
      result.bytes = fs.statSync(staged).size;
      result.executedPath = staged;
      if (result.ok && inPlace) {
        const final = path.join(NOTEBOOKS_DIR, `${name}.ipynb`);
        fs.copyFileSync(staged, final);
        result.executedPath = final;
      }
      if (result.ok && html) {
        placeSharedPlotly(htmlDir);
        const exported = nbconvert(['--to', 'html', '--output-dir', htmlDir, '--output', name, result.executedPath], env);
        const page = path.join(htmlDir, `${name}.html`);
        if (exported.ok && fs.existsSync(page)) {
          fs.writeFileSync(page, rewriteNotebookLinks(fs.readFileSync(page, 'utf8')));
          result.htmlPath = page;
        } else {
          result.ok = false;
          result.error = `HTML export failed: ${lastLines(exported.output, 3)}`;
        }
      }
    }
    if (inPlace && result.ok) fs.rmSync(stageDir, { recursive: true, force: true });
    result.seconds = (Date.now() - started) / 1000;
    results.push(result);
    log(describe(result));
    if (result.bytes > MAX_NOTEBOOK_BYTES) {
      log(
        `${name}: warning: ${(result.bytes / 1048576).toFixed(1)} MB, over the ${MAX_NOTEBOOK_BYTES / 1048576} MB meant for shared notebooks`,
      );
    }
  }
  return results;
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
    else if (arg === '--scale') options.scale = value();
    else if (arg === '--timeout') options.cellTimeoutSeconds = Number(value());
    else if (arg === '--no-html') options.html = false;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (known: --out-dir, --scale, --timeout, --no-html)`);
    else options.names!.push(arg.replace(/\.ipynb$/, '').replace(/^notebooks\//, ''));
  }
  if (options.cellTimeoutSeconds !== undefined && !(options.cellTimeoutSeconds > 0))
    throw new Error('--timeout must be a positive number of seconds');
  return options;
}

if (require.main === module) {
  try {
    const results = executeNotebooks(parseArgs(process.argv.slice(2)));
    const failed = results.filter((r) => !r.ok);
    console.log(`${results.length - failed.length} of ${results.length} notebooks ok`);
    process.exit(failed.length > 0 ? 1 : 0);
  } catch (error) {
    console.error(`execute: ${(error as Error).message}`);
    process.exit(2);
  }
}
