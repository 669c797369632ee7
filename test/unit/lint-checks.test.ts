/**
 * tools/lint/lint.ts: every check runs and each failure is one line naming it; a tool that is not
 * installed is one line saying how to install it, however many checks use it.
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { type Check, runChecks, type Tool } from '../../tools/lint/lint';

const NODE: Tool = { name: 'node', path: process.execPath, install: 'install Node' };
const exitWith = (status: number): readonly string[] => ['-e', `process.exit(${status})`];

test('a failing check is one line with its exit status, and the checks after it still run', () => {
  const lines: string[] = [];
  const checks: Check[] = [
    { name: 'first', tool: NODE, args: exitWith(3) },
    { name: 'second', tool: NODE, args: exitWith(0) },
    { name: 'third', tool: NODE, args: exitWith(1) },
  ];
  assert.equal(
    runChecks(checks, (line) => lines.push(line)),
    2,
  );
  assert.deepEqual(lines, ['lint: first: failed (exit status 3)', 'lint: third: failed (exit status 1)']);
});

test('every check passing is no line and no failure', () => {
  const lines: string[] = [];
  assert.equal(
    runChecks([{ name: 'only', tool: NODE, args: exitWith(0) }], (line) => lines.push(line)),
    0,
  );
  assert.deepEqual(lines, []);
});

test('a tool that is not installed is told once, with the command that installs it', () => {
  const dir = os.tmpdir();
  const ruff: Tool = {
    name: 'ruff',
    path: path.join(dir, 'no-such-dir-ipc-lab', 'ruff'),
    install: 'npx ts-node tools/setup/setup.ts',
  };
  const lines: string[] = [];
  const checks: Check[] = [
    { name: 'ruff check', tool: ruff, args: ['check', '.'] },
    { name: 'ruff format --check', tool: ruff, args: ['format', '--check', '.'] },
    { name: 'after', tool: NODE, args: exitWith(0) },
  ];
  assert.equal(
    runChecks(checks, (line) => lines.push(line), dir),
    2,
  );
  assert.deepEqual(lines, ['lint: ruff is not installed (no-such-dir-ipc-lab/ruff): run `npx ts-node tools/setup/setup.ts`']);
});
