/**
 * Executes a copy of every notebook at IPC_LAB_SCALE=smoke through the real stack (Debian's
 * Jupyter, the project's tslab kernel, headless chromium), into a temp dir: the committed,
 * article-scale notebooks in notebooks/ are never touched.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { figureOutputs, tableOutputs } from '../../tools/notebooks/check-outputs';
import { describe, executeNotebooks, listNotebooks, MAX_NOTEBOOK_BYTES } from '../../tools/notebooks/execute';
import type { NotebookJson } from '../../tools/notebooks/make-notebook';
import { NOTEBOOKS_DIR, PYTHON } from '../../tools/notebooks/paths';
import { aptCommand, ensureKernel, missingTools } from '../../tools/notebooks/setup';

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-notebooks-test-'));
// The notebooks save and load their records here (never in data/results/): the kernel inherits it.
const resultsDir = path.join(outDir, 'results');
const testStartedMs = Date.now();
let failed = false;

/** Every run id a notebook's outputs name ("run 20261126-…"), and whether it says it measured or loaded. */
function provenanceClaims(nb: NotebookJson): { runId: string; measured: boolean }[] {
  const claims: { runId: string; measured: boolean }[] = [];
  for (const cell of nb.cells) {
    for (const output of cell.outputs ?? []) {
      const text = String(output.data?.['text/markdown'] ?? '');
      for (const match of text.matchAll(
        /(Measured by this notebook run|Loaded from [^:]*): experiment `[^`]+` at scale `[^`]+`, \d+ transfers, run (\S+) on/g,
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
    const file = path.join(resultsDir, dir, 'records.json');
    if (!fs.existsSync(file)) continue;
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { description: { runId: string } };
    runs.set(saved.description.runId, fs.statSync(file).mtimeMs);
  }
  return runs;
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

for (const name of listNotebooks()) {
  test(`notebook ${name} runs at smoke scale with a table and a figure`, { timeout: 15 * 60_000 }, () => {
    try {
      const [result] = executeNotebooks({ names: [name], outDir, scale: 'smoke', log: () => undefined });
      assert.ok(result.ok, describe(result));
      const file = path.join(outDir, `${name}.ipynb`);
      const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
      assert.ok(tableOutputs(nb).length >= 1, 'at least one HTML table output');
      const figures = figureOutputs(nb);
      assert.ok(figures.length >= 1, 'at least one output with both the plotly JSON and a PNG');
      for (const f of figures) {
        const html = String(f.data?.['text/html'] ?? '');
        assert.ok(html.includes('<img src="data:image/png;base64,'), 'the static image is inside the figure HTML');
      }
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
      if (name !== '00-index') assert.ok(provenanceClaims(nb).length >= 1, `${name} says where its numbers come from`);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
}
