/**
 * `npm run lint`: every language's checks, one after another, each with its own output and, when
 * it fails, one line naming it; the exit status is 1 when any failed. Every check runs even after
 * one fails, so one run shows all there is to fix.
 *
 *   node -r ts-node/register/transpile-only tools/lint/lint.ts
 *
 * A check whose tool is not installed fails with one line saying how to install it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/model/paths';
import { SETUP_COMMAND } from '../setup/base';
import { RUFF } from '../setup/paths';

/** A program a check runs, and the command that installs it when it is missing. */
export interface Tool {
  name: string;
  /** Absolute path of the executable. */
  path: string;
  install: string;
}

/** One check: a tool run with arguments in the repository root; exit status 0 means it passed. */
export interface Check {
  name: string;
  tool: Tool;
  args: readonly string[];
}

const BIOME: Tool = { name: 'biome', path: path.join(REPO_ROOT, 'node_modules', '.bin', 'biome'), install: 'npm ci' };
const RUFF_TOOL: Tool = { name: 'ruff', path: RUFF, install: SETUP_COMMAND };
/** Node itself, running a check written in TypeScript (transpiled only: tsc type-checks it elsewhere). */
const NODE: Tool = { name: 'node', path: process.execPath, install: 'install Node 20 or newer' };
const TS_SCRIPT = ['-r', 'ts-node/register/transpile-only'];

/** The checks `npm run lint` runs, in this order: one line each. */
export const CHECKS: readonly Check[] = [
  { name: 'biome (TypeScript, JSON)', tool: BIOME, args: ['check', '.'] },
  { name: 'ruff check (Python)', tool: RUFF_TOOL, args: ['check', '.'] },
  { name: 'ruff format --check (Python)', tool: RUFF_TOOL, args: ['format', '--check', '.'] },
  { name: 'C with -Wall -Wextra -Werror (tools/lint/c-check.ts)', tool: NODE, args: [...TS_SCRIPT, 'tools/lint/c-check.ts'] },
];

/** Why a check could not run or did not pass, one line; null when it passed. */
export function runCheck(check: Check, cwd: string = REPO_ROOT): string | null {
  if (!fs.existsSync(check.tool.path)) {
    return `${check.tool.name} is not installed (${path.relative(cwd, check.tool.path)}): run \`${check.tool.install}\``;
  }
  const result = spawnSync(check.tool.path, check.args, { cwd, stdio: 'inherit' });
  if (result.error) return `${check.tool.name} did not run: ${result.error.message}`;
  if (result.status !== 0) return `failed (exit status ${result.status ?? result.signal})`;
  return null;
}

/**
 * Run every check; returns how many failed, each told by `log` in one line. A missing tool is told
 * once: its further checks are skipped and counted as failed.
 */
export function runChecks(checks: readonly Check[], log: (line: string) => void, cwd: string = REPO_ROOT): number {
  let failed = 0;
  const missing = new Set<string>();
  for (const check of checks) {
    if (missing.has(check.tool.path)) {
      failed++;
      continue;
    }
    const problem = runCheck(check, cwd);
    if (problem === null) continue;
    failed++;
    if (!fs.existsSync(check.tool.path)) {
      missing.add(check.tool.path);
      log(`lint: ${problem}`);
    } else {
      log(`lint: ${check.name}: ${problem}`);
    }
  }
  return failed;
}

if (require.main === module) {
  process.exitCode = runChecks(CHECKS, (line) => console.error(line)) > 0 ? 1 : 0;
}
