import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../../lib/model/paths';
import { checkC } from '../../tools/lint/c-check';
import { TYPESCRIPT_HOOK } from '../helpers/run-entry';

// The C lint (tools/lint/c-check.ts) with the real compiler: native/ as committed is clean; a
// warning in a C file is one line naming the file, line and flag, and exit status 1; a missing
// compiler or missing headers is one line. Nothing is written outside the test's own temp dir.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'c-check-system-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const SCRIPT = path.join(REPO_ROOT, 'tools', 'lint', 'c-check.ts');

function runScript(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, ['-r', TYPESCRIPT_HOOK, SCRIPT, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env });
}

/** A folder holding one C file with `text`. */
function cFolder(name: string, text: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, `${name}.c`), text);
  return dir;
}

const WARNS = `#include <node_api.h>

static napi_value f(napi_env env, napi_callback_info info) {
  int spare;
  return NULL;
}

napi_value g(napi_env env, napi_callback_info info) { return f(env, info); }
`;

test('native/ as committed compiles with -Wall -Wextra -Werror: no problem, exit 0, nothing printed', () => {
  assert.deepEqual(checkC(), []);
  const run = runScript([]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(`${run.stdout}${run.stderr}`, '');
});

test('each warning is one line naming the file, the line and the flag; the script exits 1', () => {
  const dir = cFolder('warns', WARNS);
  const file = path.join(dir, 'warns.c');
  const problems = checkC(dir);
  assert.ok(Array.isArray(problems) && problems.length === 3, String(problems));
  // The compiler's own words and columns (gcc's here); the place and the flag are what a reader needs.
  for (const expected of [
    /:3:\d+: error: unused parameter 'env' \[-Werror=unused-parameter\]$/,
    /:3:\d+: error: unused parameter 'info' \[-Werror=unused-parameter\]$/,
    /:4:\d+: error: unused variable 'spare' \[-Werror=unused-variable\]$/,
  ]) {
    assert.equal(problems.filter((line) => line.startsWith(`${file}:`) && expected.test(line)).length, 1, `${expected}: ${problems}`);
  }
  const run = runScript([dir]);
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 4, run.stderr);
  assert.match(lines[3], /^c-check: 3 problems in .*warns\/\*\.c \(-Wall -Wextra -Werror\)$/);
  // The same code with its parameters used, as the addon's callbacks do: clean.
  const fixed = cFolder('fixed', WARNS.replace('  int spare;\n', '  (void)env;\n  (void)info;\n'));
  assert.deepEqual(checkC(fixed), []);
});

test('no compiler, no headers, no folder, no C file: one line each, no stack trace', () => {
  const clean = cFolder('clean', 'int main(void) { return 0; }\n');
  const missingCompiler = checkC(clean, {
    env: { CC: 'no-such-cc-here' },
    execPath: process.execPath,
    nodeVersion: process.versions.node,
    homeDir: root,
  });
  assert.ok(missingCompiler instanceof Error);
  assert.equal(missingCompiler.message, 'the C compiler no-such-cc-here is not on PATH: install gcc or clang, or set CC to one');

  const noHeaders = checkC(clean, { env: {}, execPath: path.join(root, 'bin', 'node'), nodeVersion: '0.0.0', homeDir: root });
  assert.ok(noHeaders instanceof Error);
  assert.match(noHeaders.message, /^Node's headers \(node_api\.h\) are in none of .*0\.0\.0\/include\/node, .*include\/node: run `npm ci`/);

  const run = runScript([path.join(root, 'nowhere')]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^c-check: \S*nowhere is not a folder\n$/);
  fs.mkdirSync(path.join(root, 'none'));
  assert.match(runScript([path.join(root, 'none')]).stderr, /^c-check: no C file in \S*none\n$/);
  const extra = runScript(['a', 'b']);
  assert.equal(extra.status, 2);
  assert.match(extra.stderr, /^c-check: one folder at most, not 2 arguments \(usage: c-check\.ts \[dir\], default native\/\)\n$/);
});
