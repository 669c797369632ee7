/** Filesystem checks of the paths a user gives (the results directory), before anything is created. */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './usage-error';

/** Options of checkOutDir. */
export interface OutDirOptions {
  /** Reject a directory that already holds records.json, so a new sweep cannot overwrite it. */
  refuseExistingResults?: boolean;
}

/** stat, or undefined when nothing is there (ENOTDIR: a file sits where a parent should be). */
function statIfPresent(target: string, shown: string): fs.Stats | undefined {
  try {
    return fs.statSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`output directory ${shown} cannot be checked: ${code ?? String(error)} on ${JSON.stringify(target)}`);
  }
}

function canWrite(dir: string): boolean {
  try {
    // Creating an entry needs write and search permission on the directory.
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The results directory (`<out>/records.json` + `<out>/records.csv`): it must be a writable
 * directory, or not exist yet under a writable ancestor. Returns the absolute path. Nothing is
 * created here: this only checks, so a bad sweep config fails before any directory appears.
 */
export function checkOutDir(outDir: string, options: OutDirOptions = {}): string {
  const shown = JSON.stringify(String(outDir));
  if (typeof outDir !== 'string' || outDir.trim() === '' || outDir.includes('\0')) {
    throw new UsageError(`output directory ${shown} is not valid: give a directory path (e.g. data/results/my-sweep)`);
  }
  const absolute = path.resolve(outDir);
  const stat = statIfPresent(absolute, shown);
  if (stat) {
    if (!stat.isDirectory()) {
      throw new UsageError(
        `output directory ${shown} is a file, not a directory: results are written as ${shown}/records.json and records.csv; choose another --out`,
      );
    }
    if (!canWrite(absolute)) throw new UsageError(`output directory ${shown} is not writable: choose another --out`);
    if (options.refuseExistingResults && fs.existsSync(path.join(absolute, 'records.json'))) {
      throw new UsageError(`output directory ${shown} already holds records.json: choose a new --out, or add --overwrite to replace them`);
    }
    return absolute;
  }
  let ancestor = path.dirname(absolute);
  for (;;) {
    const ancestorStat = statIfPresent(ancestor, shown);
    if (ancestorStat) {
      if (!ancestorStat.isDirectory()) {
        throw new UsageError(`output directory ${shown} cannot be created: ${JSON.stringify(ancestor)} is a file, not a directory`);
      }
      if (!canWrite(ancestor)) {
        throw new UsageError(`output directory ${shown} cannot be created: ${JSON.stringify(ancestor)} is not writable; choose another --out`);
      }
      return absolute;
    }
    const parent = path.dirname(ancestor);
    if (parent === ancestor) return absolute; // unreachable in practice: the root always exists
    ancestor = parent;
  }
}
