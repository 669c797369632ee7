/**
 * `npm run notebooks`' command line (tools/notebooks/execute.ts) as a user meets it: a bad
 * argument is one clear line and exit status 2, before any Jupyter starts. A system test: it
 * starts the real entry point.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runEntry } from '../helpers/run-entry';

test('a bad --scale is one clear line naming it and the valid scales, exit status 2', async () => {
  const run = await runEntry('tools/notebooks/execute.ts', ['--scale', 'huge']);
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stderr, 'execute: --scale "huge" is not a scale: valid are smoke, quick, article\n');
  assert.equal(run.stdout, '');
});
