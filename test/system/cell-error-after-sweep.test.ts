/**
 * A cell that fails after a sweep says why, through the real stack (execute.ts, its nbclient
 * driver, the project's tslab kernel): in 10-beyond such a cell once ended with the kernel replying
 * "error" and no text. The cause (lib/notebook/kernel-sends.ts): past zeromq's 512th send in a row,
 * a second message in one synchronous stretch was dropped, the error's own text included. The sweep
 * brings the kernel's message count up as 10-beyond's did; the burst of lines after it makes sure
 * the cell crosses that boundary in one stretch, which 10-beyond's cell did by chance.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { findProblems } from '../../tools/notebooks/check-outputs';
import { executeNotebooks } from '../../tools/notebooks/execute';
import { buildNotebook, code, type NotebookJson } from '../../tools/notebooks/make-notebook';
import { aptCommand, ensureKernel, missingTools } from '../../tools/setup/setup';
import { type Isolation, isolate } from '../helpers/isolation';

const TRANSFERS = 10;
const LINES = 600;

let iso: Isolation;
before(() => {
  iso = isolate('cell-error');
  assert.deepEqual(missingTools(), [], `Jupyter or chromium missing; install with: ${aptCommand(true)}`);
  ensureKernel(() => undefined);
});
after(() => iso.dispose());

function textOf(value: unknown): string {
  return Array.isArray(value) ? value.join('') : String(value ?? '');
}

test('a cell failing after a sweep shows its error in the executed notebook and in execute.ts output', {
  timeout: 10 * 60_000,
}, async () => {
  const sources = path.join(iso.tmpRoot, 'sources');
  const results = path.join(iso.tmpRoot, 'results');
  fs.mkdirSync(sources);
  const notebook = buildNotebook({
    name: 'cell-error',
    cells: [
      code(`import { runExperiment } from './lib/notebook/index';`),
      code(`
        const result = await runExperiment({ transports: ['pipe'], payloads: ['int32'], sizes: [1000], repeats: ${TRANSFERS}, warmups: 0, name: 'cell-error' });
        for (let i = 0; i < ${LINES}; i++) console.log(\`line \${i}\`);
        throw new Error(\`failed after \${result.records.length} transfers\`);
      `),
    ],
  });
  fs.writeFileSync(path.join(sources, 'cell-error.ipynb'), JSON.stringify(notebook));
  let shown = '';
  const display = new Writable({
    write(chunk, _encoding, done) {
      shown += chunk.toString();
      done();
    },
  });
  process.env.IPC_LAB_RESULTS_DIR = results;
  try {
    const {
      results: [result],
    } = await executeNotebooks({ sourceDir: sources, scale: 'smoke', html: false, cellTimeoutSeconds: 300, display });
    assert.equal(result.ok, false, 'the failing cell fails the notebook');
    const message = `Error: failed after ${TRANSFERS} transfers`;
    const executed = JSON.parse(fs.readFileSync(path.join(sources, 'cell-error.ipynb'), 'utf8')) as NotebookJson;
    assert.deepEqual(findProblems(executed), [{ cellIndex: 1, kind: 'exception', line: message }], shown);
    const outputs = executed.cells[1].outputs ?? [];
    const stream = (name: string) =>
      outputs
        .filter((o) => o.output_type === 'stream' && o.name === name)
        .map((o) => textOf(o.text))
        .join('');
    // Nothing the cell wrote was dropped: every line, in order, then the error.
    assert.deepEqual(
      stream('stdout').trimEnd().split('\n'),
      Array.from({ length: LINES }, (_, i) => `line ${i}`),
    );
    assert.match(stream('stderr'), new RegExp(`^${message}$`, 'm'));
    const summary = outputs.map((o) => textOf(o.data?.['text/plain'])).find((t) => t.startsWith('Sweep: '));
    assert.match(
      summary ?? '',
      new RegExp(`^Sweep: ${TRANSFERS} transfers in [\\d.]+ (?:ms|s|min): ${TRANSFERS} ok`),
      "the sweep's summary",
    );
    assert.ok(shown.includes(`cell-error.ipynb cell 1 (exception): ${message}`), `execute.ts said:\n${shown}`);
  } finally {
    delete process.env.IPC_LAB_RESULTS_DIR;
  }
  assert.deepEqual(await iso.waitForNoProcesses(20_000), [], 'driver, kernel and peers gone');
  const left = iso.leftoverFiles().filter((f) => ![sources, results].includes(f) && !/^v8-compile-cache/.test(path.basename(f)));
  assert.deepEqual(left, [], 'no temp dir or shared-memory file left');
});
