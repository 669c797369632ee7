import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** What a command printed, and how it ended. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

const REPO = path.resolve(__dirname, '..', '..');

/**
 * The `-r` hook for the Node processes that tests start from TypeScript: the same transpiling as
 * `ts-node/register/transpile-only` (what the npm scripts use), kept on disk between processes so
 * that each start costs a tenth of a second instead of seconds (see transpile-cache.cjs).
 */
export const TYPESCRIPT_HOOK = path.join(__dirname, 'transpile-cache.cjs');

/** Run one of the project's entry points (e.g. lib/cli/sweep.ts) as the npm scripts do, from the repository's root. */
export function runEntry(entry: string, args: readonly string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', TYPESCRIPT_HOOK, entry, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
