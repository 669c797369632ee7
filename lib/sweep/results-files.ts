/**
 * Results on disk: `<out>/records.json` (description + records, the file notebooks load) and
 * `<out>/records.csv` (records only, for spreadsheets and R), written and read back. Each file is
 * written atomically, so a sweep killed mid-write leaves the previous complete file, never a
 * truncated one. The formats themselves are pure functions in results-format.ts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathErrorFrom } from '../model/path-errors';
import { processIsAlive } from '../model/process-alive';
import { makeDirs, removeCreatedDirs } from '../model/safe-dirs';
import type { RunDescription, TransferRecord } from '../model/types';
import { UsageError } from '../model/usage-error';
import { parseResults, type Results, recordsToCsv, resultsToJson } from './results-format';

/**
 * Replace `target` with `content` so that a reader (or a crash) sees the old file or the new one,
 * never half of one: write a uniquely named temp file in the same directory (rename is atomic only
 * within one file system), fsync it, rename it over the target, then fsync the directory so the
 * rename itself survives a power cut. A failure (ENOSPC on a full disk, EROFS, EIO) removes the
 * temp file, leaves the old target as it was, and throws a one-line PathError naming the target.
 */
export function writeFileAtomic(target: string, content: string): void {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        /* the write already failed; that error is the one to report */
      }
    }
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      /* nothing was created, or it cannot be removed (a read-only mount): nothing more to do */
    }
    throw pathErrorFrom(error, target, 'write');
  }
  try {
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Some systems cannot fsync a directory; the file itself is already complete.
  }
}

/** The two files a results directory holds. */
export interface ResultPaths {
  jsonPath: string;
  csvPath: string;
}

/** Temp files of writeFileAtomic: `.<name>.<pid>.<random>.tmp`. */
const TEMP_NAME = /^\.(records\.json|records\.csv)\.(\d+)\.[0-9a-f]+\.tmp$/;

/** Remove temp files left in `dir` by writers that were killed mid-write (their pid is gone). */
export function removeStaleTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const match = TEMP_NAME.exec(name);
    if (match && !processIsAlive(Number(match[2]))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Options of writeResults. */
export interface WriteResultsOptions {
  /**
   * This is the save that creates the results before a sweep runs: a failure is a path the user
   * gave that cannot hold results (a UsageError), and nothing this call made is left behind.
   */
  first?: boolean;
}

/**
 * Write `<outDir>/records.json` and `<outDir>/records.csv` atomically, creating outDir if needed
 * (makeDirs: never a recursive mkdir) and clearing temp files that a killed earlier writer left
 * there. Any failure is one line naming the path and the problem: a PathError, or a UsageError
 * for the first save; directories and files this call created are removed again, and an earlier
 * records.json is left as it was.
 */
export function writeResults(
  outDir: string,
  description: RunDescription,
  records: readonly TransferRecord[],
  options: WriteResultsOptions = {},
): ResultPaths {
  const paths = { jsonPath: path.join(outDir, 'records.json'), csvPath: path.join(outDir, 'records.csv') };
  let created: string[] = [];
  try {
    created = makeDirs(outDir, `output directory ${JSON.stringify(outDir)}`, { mode: 0o755 });
    try {
      removeStaleTemps(outDir);
    } catch (error) {
      throw pathErrorFrom(error, outDir, 'read');
    }
    // records.csv first: when the disk fills between the two, records.json (the file notebooks
    // load) still holds exactly the records of the last complete save.
    writeFileAtomic(paths.csvPath, recordsToCsv(records));
    writeFileAtomic(paths.jsonPath, resultsToJson(description, records));
    return paths;
  } catch (error) {
    if (created.length > 0) {
      // A directory this call made holds only what this call wrote: take it all back.
      for (const file of [paths.jsonPath, paths.csvPath]) {
        try {
          fs.rmSync(file, { force: true });
        } catch {
          /* removeCreatedDirs then keeps the directory */
        }
      }
      removeCreatedDirs(created);
    }
    const problem = pathErrorFrom(error, outDir, 'write results in');
    if (!options.first) throw problem;
    const message = problem.message.startsWith('output directory')
      ? problem.message
      : `output directory ${JSON.stringify(outDir)} cannot hold results: ${problem.message}`;
    throw new UsageError(`${message}; choose another --out`);
  }
}

/** Load results from a results directory or a records.json path. */
export function loadResults(resultsPath: string): Results {
  let file = resultsPath;
  let isDirectory = false;
  try {
    isDirectory = fs.statSync(file).isDirectory();
  } catch {
    // Missing: reported below with the path that was asked for.
  }
  if (isDirectory) file = path.join(file, 'records.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new UsageError(
        `results file ${JSON.stringify(file)} does not exist: give a results directory or its records.json (e.g. data/results/<sweep>)`,
      );
    }
    throw new UsageError(`results file ${JSON.stringify(file)} cannot be read: ${(error as Error).message}`);
  }
  return parseResults(text, file);
}
