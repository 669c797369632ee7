/** Filesystem checks of the paths a user gives (the results directory), before anything is created. */
import fs from 'node:fs';
import path from 'node:path';
import { PathError } from './path-errors';
import { resultsRoot } from './paths';
import { inspectDirPath } from './safe-dirs';
import { UsageError } from './usage-error';

/** Options of checkOutDir. */
export interface OutDirOptions {
  /** Reject a directory that already holds records.json, so a new sweep cannot overwrite it. */
  refuseExistingResults?: boolean;
  /** Gives IPC_LAB_RESULTS_DIR, to name it when the path lies under it (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** What to do about a bad results path: name IPC_LAB_RESULTS_DIR when the path comes from it. */
function remedy(absolute: string, env: NodeJS.ProcessEnv): string {
  const chosen = env.IPC_LAB_RESULTS_DIR;
  if (chosen && chosen.trim() !== '') {
    const root = resultsRoot(env);
    const relative = path.relative(root, absolute);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
      return `set IPC_LAB_RESULTS_DIR (now ${JSON.stringify(chosen)}) to a writable directory, or give --out`;
    }
  }
  return 'choose another --out';
}

/**
 * The results directory (`<out>/records.json` + `<out>/records.csv`): it must be a writable
 * directory, or not exist yet under a writable ancestor. Returns the absolute path. Nothing is
 * created here: this only checks (see safe-dirs.ts: a bounded walk of lstat calls, never a
 * recursive mkdir), so a bad sweep config fails before any directory appears. Refused, with one
 * line naming the path and the problem: a file on the way, a dangling symlink, a kernel
 * pseudo-filesystem (/proc, /sys, /dev), a read-only mount, no write permission, a full disk.
 */
export function checkOutDir(outDir: string, options: OutDirOptions = {}): string {
  const shown = JSON.stringify(String(outDir));
  if (typeof outDir !== 'string' || outDir.trim() === '' || outDir.includes('\0')) {
    throw new UsageError(`output directory ${shown} is not valid: give a directory path (e.g. data/results/my-sweep)`);
  }
  const absolute = path.resolve(outDir);
  const what = `output directory ${shown}`;
  const hint = remedy(absolute, options.env ?? process.env);
  let found: ReturnType<typeof inspectDirPath>;
  try {
    found = inspectDirPath(absolute, what);
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    if (error.at === absolute && /is a file, not a directory/.test(error.message)) {
      throw new UsageError(`${error.message}: results are written as ${shown}/records.json and records.csv; ${hint}`);
    }
    throw new UsageError(`${error.message}; ${hint}`);
  }
  if (found.missing.length === 0 && options.refuseExistingResults && fs.existsSync(path.join(absolute, 'records.json'))) {
    throw new UsageError(`output directory ${shown} already holds records.json: choose a new --out, or add --overwrite to replace them`);
  }
  return absolute;
}
