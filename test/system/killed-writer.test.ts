/**
 * A results writer killed by SIGKILL in the middle of a write (a sweep's process killed, a
 * machine that loses power): what it leaves must load, as the old results or the new, never half.
 * A system test: it needs a second process to kill.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadResults, writeResults } from '../../lib/sweep/results-files';
import { describeRun } from '../../lib/sweep/run-description';
import { TYPESCRIPT_HOOK } from '../helpers/run-entry';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-killed-writer-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const description = describeRun({ runId: 'r1', commandLine: 'npm run sweep', label: 'killed writer', python: null });

test('a writer killed mid-write leaves files that load (old or new, never partial)', async () => {
  const outDir = path.join(scratch, 'killed');
  // The child rewrites the results in a loop, alternating 40000 and 40001 records, and reports
  // how long each write took; it is killed about halfway into a later write.
  const script = `
    const { writeResults } = require(${JSON.stringify(path.resolve(__dirname, '../../lib/sweep/results-files'))});
    const { blankRecord } = require(${JSON.stringify(path.resolve(__dirname, '../../lib/model/record'))});
    const description = ${JSON.stringify(description)};
    const one = blankRecord({ runtime: 'node', transport: 'tcp', payload: 'int32', sizeElements: 5 }, { runId: 'r1', repeat: 0, warmup: false });
    const records = Array.from({ length: 40001 }, (_, repeat) => ({ ...one, repeat }));
    for (let i = 0; ; i++) {
      const start = Date.now();
      writeResults(${JSON.stringify(outDir)}, description, i % 2 ? records : records.slice(1));
      process.stdout.write((Date.now() - start) + '\\n');
    }
  `;
  const child = spawn(process.execPath, ['-r', TYPESCRIPT_HOOK, '-e', script], {
    cwd: path.resolve(__dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const writeMs = await new Promise<number>((resolve) => child.stdout.once('data', (chunk) => resolve(parseInt(String(chunk), 10))));
  await new Promise((resolve) => setTimeout(resolve, Math.max(1, writeMs * 1.5)));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const { records } = loadResults(outDir);
  assert.ok(records.length === 40000 || records.length === 40001, `loaded ${records.length} records`);
  const csv = fs.readFileSync(path.join(outDir, 'records.csv'), 'utf8');
  assert.ok(csv.endsWith('\r\n'), 'csv ends with a complete row');
  const rows = csv.split('\r\n').length - 2; // header and the empty string after the last CRLF
  assert.ok(rows === 40000 || rows === 40001, `csv has ${rows} rows`);
  writeResults(outDir, description, []); // the next writer clears what the killed one left
  assert.deepEqual(fs.readdirSync(outDir).sort(), ['records.csv', 'records.json']);
});
