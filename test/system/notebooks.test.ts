/**
 * Executes a copy of every notebook at IPC_LAB_SCALE=smoke through the real stack (Jupyter's
 * nbclient through tools/notebooks/run_notebook.py, the project's tslab kernel, headless
 * chromium), into a temp dir: the committed, article-scale notebooks in notebooks/ are never
 * touched. Also checks that a sweep's progress reaches the main job while the cell runs, and
 * that the saved notebook keeps only its summary.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { ONE_RUN_ENV, oneRunDir } from '../../lib/sweep/one-run';
import { figureOutputs, imageCopies, tableOutputs } from '../../tools/notebooks/check-outputs';
import { describe, executeNotebooks, listNotebooks, MAX_NOTEBOOK_BYTES } from '../../tools/notebooks/execute';
import type { NotebookJson, NotebookOutput } from '../../tools/notebooks/make-notebook';
import { measureOnce } from '../../tools/notebooks/one-run';
import { NOTEBOOKS_DIR, PYTHON } from '../../tools/notebooks/paths';
import type { DriverEvent } from '../../tools/notebooks/progress-view';
import { aptCommand, ensureKernel, missingTools } from '../../tools/setup/setup';

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-notebooks-test-'));
// The notebooks save and load their records here (never in data/results/): the kernel inherits it.
const resultsDir = path.join(outDir, 'results');
const testStartedMs = Date.now();
let failed = false;

/**
 * Every run id a notebook's outputs name ("run 20261126-…"), and whether it says it measured the
 * run itself (a slice of the main job's one run, or a loaded run, is not measured by the notebook).
 */
function provenanceClaims(nb: NotebookJson): { runId: string; measured: boolean }[] {
  const claims: { runId: string; measured: boolean }[] = [];
  for (const cell of nb.cells) {
    for (const output of cell.outputs ?? []) {
      const text = String(output.data?.['text/markdown'] ?? '');
      for (const match of text.matchAll(
        /(Measured by this notebook run|Loaded from [^:]*|This notebook's slice of the one run behind every notebook \([^)]*\)): (?:experiment|bench) `[^`]+`(?: at scale `[^`]+`| \(your own\)), \d+ (?:transfers?|rows?), run (\S+) on/g,
      )) {
        claims.push({ runId: match[2], measured: match[1].startsWith('Measured') });
      }
    }
  }
  return claims;
}

/** The run ids of every results file the notebooks wrote in this test, with when each was written. */
function savedRuns(): Map<string, number> {
  const runs = new Map<string, number>();
  for (const dir of fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : []) {
    const file = ['records.json', 'bench.json'].map((f) => path.join(resultsDir, dir, f)).find((f) => fs.existsSync(f));
    if (file === undefined) continue;
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { description: { runId: string } };
    runs.set(saved.description.runId, fs.statSync(file).mtimeMs);
  }
  return runs;
}

/** All outputs of all code cells. */
function outputsOf(nb: NotebookJson): NotebookOutput[] {
  return nb.cells.flatMap((cell) => cell.outputs ?? []);
}

function textOf(value: unknown): string {
  return Array.isArray(value) ? value.join('') : String(value ?? '');
}

before(() => {
  process.env.IPC_LAB_RESULTS_DIR = resultsDir;
  const missing = missingTools();
  assert.deepEqual(missing, [], `Jupyter or chromium missing; install with: ${aptCommand(true)}`);
  ensureKernel(() => undefined);
});

after(() => {
  if (failed) console.log(`executed copies kept in ${outDir}`);
  else fs.rmSync(outDir, { recursive: true, force: true });
});

const committed = new Map(listNotebooks().map((n) => [n, fs.readFileSync(path.join(NOTEBOOKS_DIR, `${n}.ipynb`), 'utf8')]));

/**
 * The method notebooks (02 to 08) are one template (tools/notebooks/method-template.ts) with
 * another experiment and prose: two of them run here, pipe (a shell pipe and fork IPC) and
 * raw-array (shared memory, processes and threads); the others' experiments run at smoke scale in
 * the notebooks that load them (09-summary, 11-three-ways), every notebook's cells are type-checked
 * (check-cells), and the main job executes all of them.
 */
const TEMPLATE_NOTEBOOKS_RUN = new Set(['03-pipe', '06-raw-array']);
const fromTemplate = (name: string) =>
  fs.readFileSync(path.join(__dirname, '..', '..', 'tools', 'notebooks', 'sources', `${name}.ts`), 'utf8').includes('methodNotebook(');

test('two method notebooks stand for the template, and every other notebook runs', () => {
  const templated = listNotebooks().filter(fromTemplate);
  assert.ok(templated.length >= 5, `method notebooks found: ${templated.join(', ')}`);
  for (const name of TEMPLATE_NOTEBOOKS_RUN) assert.ok(templated.includes(name), `${name} is built from the template`);
});

/**
 * As `npm run notebooks` does: the union of what every notebook shows is measured once, at smoke
 * scale, before any notebook runs; each notebook then takes its slice of that run (--reuse-run).
 * Taking a slice only reads the run, so the notebooks can run two at a time (two cores): most of a
 * notebook's time is its kernel type-checking lib/ for the first cell, one core each.
 */
test('the one run behind the notebooks is measured once, at smoke scale', { timeout: 15 * 60_000 }, async () => {
  const oneRun = await measureOnce(listNotebooks(), 'smoke', false, null);
  assert.equal(oneRun.interruptedBy, null);
  assert.equal(oneRun.env[ONE_RUN_ENV], oneRunDir('smoke'), 'the kernels are pointed at the one run');
});

suite('every notebook, two at a time, from that run', { concurrency: 2 }, () => {
  for (const name of listNotebooks().filter((n) => !fromTemplate(n) || TEMPLATE_NOTEBOOKS_RUN.has(n))) {
    test(`notebook ${name} runs at smoke scale with a table and a figure`, { timeout: 15 * 60_000 }, async () => {
      try {
        const events: { atMs: number; event: DriverEvent }[] = [];
        const { results } = await executeNotebooks({
          names: [name],
          outDir,
          scale: 'smoke',
          reuseRun: true,
          display: null,
          onDriverEvent: (_name, event) => events.push({ atMs: Date.now(), event }),
        });
        const [result] = results;
        assert.ok(result.ok, describe(result));
        const file = path.join(outDir, `${name}.ipynb`);
        const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
        assert.ok(tableOutputs(nb).length >= 1, 'at least one HTML table output');
        const figures = figureOutputs(nb);
        assert.ok(figures.length >= 1, 'at least one output with both the plotly JSON and a PNG');
        // Stored once, as image/png (GitHub, nbconvert, JupyterLab's first paint); the export adds the page's HTML.
        for (const f of figures) assert.equal(imageCopies(f), 1, 'a figure stores its static image once');
        assert.ok(result.bytes < MAX_NOTEBOOK_BYTES, `${(result.bytes / 1048576).toFixed(2)} MB is too big to share`);
        const validate = spawnSync(PYTHON, ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], 4))', file], {
          encoding: 'utf8',
        });
        assert.equal(validate.status, 0, `nbformat rejects it: ${validate.stderr}`);
        const page = fs.readFileSync(path.join(outDir, 'html', `${name}.html`), 'utf8');
        // nbconvert 7 sorts each tag's attributes: look for an <img> whose src is a PNG, wherever it sits.
        assert.ok(/<img [^>]*src="data:image\/png;base64,/.test(page), 'the exported page has the static image');
        assert.ok(!page.includes('plotly.js v4'), 'the exported page does not embed plotly.js');
        assert.ok(fs.existsSync(path.join(outDir, 'html', 'plotly.min.js')), 'the shared plotly.min.js is beside the pages');
        assert.equal(fs.readFileSync(path.join(NOTEBOOKS_DIR, `${name}.ipynb`), 'utf8'), committed.get(name), 'notebooks/ is untouched');
        // The numbers come from this very test run: every run a notebook names was measured and saved
        // during this test (a "loaded" run too: it must be one an earlier notebook of this test saved).
        const runs = savedRuns();
        for (const claim of provenanceClaims(nb)) {
          assert.ok(runs.has(claim.runId), `${name} names run ${claim.runId}, which this test did not produce`);
          assert.ok((runs.get(claim.runId) as number) >= testStartedMs, `run ${claim.runId} was saved before this test began`);
        }
        // 00-index measures nothing; 14-runs shows the saved runs of a folder, each described in its own table.
        if (name !== '00-index' && name !== '14-runs')
          assert.ok(provenanceClaims(nb).length >= 1, `${name} says where its numbers come from`);
        checkProgress(name, nb, events);
      } catch (error) {
        failed = true;
        throw error;
      }
    });
  }
});

/**
 * A notebook that measured: the driver forwarded its sweep's progress while the cell ran (the first
 * line arrived well before that cell ended, not with it), and the saved notebook keeps the
 * summary, with no progress line on stderr (nothing failed at smoke scale).
 */
function checkProgress(name: string, nb: NotebookJson, events: { atMs: number; event: DriverEvent }[]): void {
  const kinds = events.map((e) => e.event.event);
  assert.equal(kinds[0], 'start', `${name}: the driver's first event`);
  assert.equal(kinds[kinds.length - 1], 'saved', `${name}: the driver's last event`);
  assert.ok(kinds.includes('cell'), `${name}: cells were announced`);
  if (!provenanceClaims(nb).some((claim) => claim.measured)) return;
  const firstProgress = events.findIndex((e) => e.event.event === 'progress');
  assert.ok(firstProgress >= 0, `${name} measured, but no progress reached the driver`);
  const cellDone = events.findIndex((e, i) => i > firstProgress && e.event.event === 'cell-done');
  assert.ok(cellDone > firstProgress, `${name}: the sweep's cell ended after its progress began`);
  const ahead = events[cellDone].atMs - events[firstProgress].atMs;
  assert.ok(ahead >= 300, `${name}: the first progress line arrived only ${ahead} ms before its cell ended`);
  const final = events.find((e) => e.event.event === 'progress' && e.event.final);
  assert.ok(final, `${name}: the sweep's summary reached the driver`);
  const outputs = outputsOf(nb);
  const stderr = outputs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => textOf(o.text));
  for (const text of stderr) assert.doesNotMatch(text, /\[\d+\/\d+\] |: ok {2}total /, `${name}: a progress line on stderr`);
  const plain = outputs.map((o) => textOf(o.data?.['text/plain']));
  assert.ok(
    plain.some((t) => /^Sweep: \d+ transfers? in [\d.]+ (?:ns|µs|ms|s|min): \d+ ok/.test(t)),
    `${name}: the saved notebook has the sweep's summary`,
  );
  assert.ok(!plain.some((t) => /^\[[#.]+\] \d+\/\d+/m.test(t)), `${name}: a running progress bar was saved instead of its summary`);
}
