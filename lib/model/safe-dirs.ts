/**
 * Every directory ipc-lab creates, and every place it puts files, goes through here. Node's
 * `fs.mkdirSync(p, { recursive: true })` (and its async form) loops for ever when `p` lies under
 * /proc or /sys (procfs answers ENOENT, which it reads as "parent missing", and tries again), and
 * while a synchronous call spins no signal handler runs, so not even SIGTERM ends the process.
 *
 * So nothing here loops on the file system: `inspectDirPath` walks up from a path to its nearest
 * existing ancestor (one lstat per component, at most as many steps as the path has components)
 * and says what is wrong, if anything; `makeDirs` then creates the missing components one by one
 * with non-recursive mkdir, one system call each. Every failure is a PathError whose message is
 * one line naming the path and the problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeErrno, errnoOf, PathError, PSEUDO_FILESYSTEMS, pseudoFilesystemByName } from './path-errors';

/** Where a directory path stands: the part that exists, and what is still to be created under it. */
export interface DirInspection {
  /** The absolute target. */
  target: string;
  /** The target, or its nearest existing ancestor: a directory (symlinks followed). */
  existing: string;
  /** Names still to be created below `existing`, top down; empty when the target exists. */
  missing: string[];
}

export interface InspectOptions {
  /** The target must already exist (a temp root): a missing one is a problem, not work to do. */
  mustExist?: boolean;
  /** Also refuse a file system with no free space or no free inodes left (default true). */
  checkSpace?: boolean;
}

/** A problem found: the path it is at and what is wrong there, as "<path> <reason>". */
interface Problem {
  at: string;
  reason: string;
  code?: string;
}

/**
 * Check that `target` is a writable directory, or can be made one under its nearest existing
 * ancestor, without creating anything. Throws a PathError whose message is
 * `<what> <problem>` (the target itself is wrong) or `<what> cannot be created: "<ancestor>" <problem>`.
 * Refused: a file on the way, a dangling symlink or a symlink loop, a kernel pseudo-filesystem
 * (/proc, /sys, /dev but /dev/shm, or any statfs type in PSEUDO_FILESYSTEMS, symlinks followed),
 * a read-only mount (EROFS), no write permission, a full file system.
 */
export function inspectDirPath(target: string, what: string, options: InspectOptions = {}): DirInspection {
  const absolute = path.resolve(target);
  const found = locate(absolute);
  if ('reason' in found) throw problemError(what, absolute, found);
  const problem = checkExisting(found, options);
  if (problem) throw problemError(what, absolute, problem);
  return found;
}

function problemError(what: string, target: string, problem: Problem): PathError {
  const message =
    problem.at === target ? `${what} ${problem.reason}` : `${what} cannot be created: ${JSON.stringify(problem.at)} ${problem.reason}`;
  return new PathError(message, problem.at, problem.code, problem.reason);
}

/**
 * Walk up from `absolute` to the first component that exists: one lstat per step, never more
 * steps than the path has components, so it ends whatever the file system answers.
 */
function locate(absolute: string): DirInspection | Problem {
  const missing: string[] = [];
  let current = absolute;
  let searchDenied: string | undefined; // EACCES below: some ancestor may not be searched
  const maxSteps = absolute.split(path.sep).length + 1;
  for (let step = 0; step < maxSteps; step++) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch (error) {
      const code = errnoOf(error);
      const parent = path.dirname(current);
      // ELOOP too: lstat does not follow the last component, so the loop is an ancestor's.
      if ((code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') && parent !== current) {
        missing.unshift(path.basename(current));
        current = parent;
        continue;
      }
      if ((code === 'EACCES' || code === 'EPERM') && parent !== current) {
        // Which ancestor denies the search shows on the way up: the first one that can be stat'ed.
        searchDenied ??= code;
        missing.unshift(path.basename(current));
        current = parent;
        continue;
      }
      if (code === 'ENAMETOOLONG') return { at: current, reason: `is too long a path (ENAMETOOLONG)`, code };
      return { at: current, reason: `cannot be checked: ${describeErrno(code)}`, code };
    }
    if (stat.isSymbolicLink()) {
      let linkTarget = '?';
      try {
        linkTarget = fs.readlinkSync(current);
      } catch {
        /* shown as "?" */
      }
      try {
        stat = fs.statSync(current);
      } catch (error) {
        const code = errnoOf(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          return { at: current, reason: `is a dangling symlink: its target ${JSON.stringify(linkTarget)} does not exist`, code };
        }
        if (code === 'ELOOP') return { at: current, reason: `is a symlink loop (ELOOP)`, code };
        return {
          at: current,
          reason: `is a symlink to ${JSON.stringify(linkTarget)}, which cannot be checked: ${describeErrno(code)}`,
          code,
        };
      }
    }
    if (!stat.isDirectory()) return { at: current, reason: 'is a file, not a directory' };
    if (searchDenied) {
      try {
        fs.accessSync(current, fs.constants.X_OK);
      } catch {
        return { at: current, reason: `cannot be searched: ${describeErrno(searchDenied)}`, code: searchDenied };
      }
      return { at: path.join(current, missing[0]), reason: `cannot be searched: ${describeErrno(searchDenied)}`, code: searchDenied };
    }
    return { target: absolute, existing: current, missing };
  }
  return { at: absolute, reason: 'has more components than a path can have' };
}

/** What is wrong with the existing directory `found.existing` as a place to create things, or null. */
function checkExisting(found: DirInspection, options: InspectOptions): Problem | null {
  const at = found.existing;
  let real: string;
  try {
    real = fs.realpathSync(at);
  } catch (error) {
    return { at, reason: `cannot be resolved: ${describeErrno(errnoOf(error))}`, code: errnoOf(error) };
  }
  const byName = pseudoFilesystemByName(found.target) ?? pseudoFilesystemByName(path.join(real, ...found.missing));
  if (byName) return { at, reason: `is not writable: it is in ${byName}, a kernel pseudo-filesystem that holds no files` };
  let statfs: fs.StatsFs | undefined;
  try {
    statfs = fs.statfsSync(at);
  } catch {
    /* statfs is not available everywhere: the checks below still apply */
  }
  const pseudo = statfs ? PSEUDO_FILESYSTEMS.get(Number(statfs.type)) : undefined;
  if (pseudo) return { at, reason: `is not writable: it is on ${pseudo}, a kernel pseudo-filesystem that holds no files` };
  if (options.mustExist && found.missing.length > 0) {
    return { at: found.target, reason: 'does not exist', code: 'ENOENT' };
  }
  try {
    // Creating an entry needs write and search permission; a read-only mount answers EROFS even to root.
    fs.accessSync(at, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const code = errnoOf(error);
    return { at, reason: `is not writable: ${describeErrno(code)}`, code };
  }
  if (statfs && options.checkSpace !== false) {
    // File systems that report no blocks at all (some virtual ones) say nothing about space.
    if (Number(statfs.blocks) > 0 && Number(statfs.bavail) === 0) {
      return { at, reason: 'has no free space left: its file system is full (ENOSPC)', code: 'ENOSPC' };
    }
    if (Number(statfs.files) > 0 && Number(statfs.ffree) === 0) {
      return { at, reason: 'has no free inodes left: its file system is full (ENOSPC)', code: 'ENOSPC' };
    }
  }
  return null;
}

export interface MakeDirsOptions extends InspectOptions {
  /** Mode of the directories created (before the umask); default 0o777 as mkdir's. */
  mode?: number;
}

/**
 * The one `mkdir -p` of ipc-lab: make `target` and its missing parents, one non-recursive mkdir
 * each, after inspectDirPath found nothing wrong. `what` names the directory in messages (e.g.
 * `output directory "data/x"`). Returns the directories it created, top down, so a caller that
 * fails later can remove them (removeCreatedDirs); when it fails itself it removes them first.
 * An existing directory is returned at once, unchecked.
 */
export function makeDirs(target: string, what: string, options: MakeDirsOptions = {}): string[] {
  const absolute = path.resolve(target);
  try {
    if (fs.statSync(absolute).isDirectory()) return [];
  } catch {
    /* missing or unreadable: inspected below */
  }
  const found = inspectDirPath(absolute, what, options);
  const created: string[] = [];
  let current = found.existing;
  for (const name of found.missing) {
    current = path.join(current, name);
    try {
      fs.mkdirSync(current, { mode: options.mode ?? 0o777 });
      created.push(current);
    } catch (error) {
      if (errnoOf(error) === 'EEXIST' && isDirectory(current)) continue; // made meanwhile by someone else
      removeCreatedDirs(created);
      const code = errnoOf(error);
      throw new PathError(`${what} cannot be created: mkdir ${JSON.stringify(current)} failed: ${describeErrno(code)}`, current, code);
    }
  }
  return created;
}

function isDirectory(target: string): boolean {
  try {
    return fs.lstatSync(target).isDirectory();
  } catch {
    return false;
  }
}

/** Remove directories that makeDirs created (bottom up, only while empty); never throws. */
export function removeCreatedDirs(created: readonly string[]): void {
  for (const dir of [...created].reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return; // not empty, or gone: the ones above it stay too
    }
  }
}
