import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PathError, pathErrorFrom } from '../model/path-errors';
import { processIsAlive } from '../model/process-alive';
import { inspectDirPath } from '../model/safe-dirs';
import { UsageError } from '../model/usage-error';
import { sharedMemoryRoot } from './shared-memory';
import type { TransferDirs } from './transport';

/**
 * Private temp directories that carry their owner's pid in their name, so that what a killed run
 * could not remove (SIGKILL runs no clean-up) is removed by the next run on the machine.
 *
 *   ipc-lab-<label>-p<pid>-XXXXXX      e.g. /tmp/ipc-lab-run-p4242-Ab12Cd, /dev/shm/ipc-lab-shm-p4242-…,
 *                                      /dev/shm/ipc-lab-region-p4242-…, /dev/shm/ipc-lab-pyshm-p4242-…
 *                                      (named shared-memory regions: files)
 *
 * A directory is stale when its owner pid is no longer alive and it belongs to this user; a
 * directory of a live process (another sweep running at the same time) is never touched.
 */
const OWNED_NAME = /^ipc-lab-[a-z]+-p(\d+)-[A-Za-z0-9]{6}$/;

/** The label of a named shared-memory region (handoff-name): an owned name that is a file, not a directory. */
export const REGION_PREFIX = 'ipc-lab-region-';
/** The label of CPython's SharedMemory segment (the cpython runtime's shared-memory method): a file too. */
const PYSHM_PREFIX = 'ipc-lab-pyshm-';

/** How a temp root is named to users: by the variable that chose it, when one did. */
export function describeTempRoot(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const shown = JSON.stringify(root);
  if (env.IPC_LAB_SHM_ROOT && path.resolve(env.IPC_LAB_SHM_ROOT) === path.resolve(root)) return `IPC_LAB_SHM_ROOT ${shown}`;
  if (env.TMPDIR && path.resolve(env.TMPDIR) === path.resolve(root)) return `TMPDIR ${shown}`;
  if (root === '/dev/shm') return `the shared-memory directory ${shown}`;
  return `the temp directory ${shown}`;
}

/**
 * Check that `root` is an existing writable directory that can hold temp files (not a kernel
 * pseudo-filesystem, not read-only, not full): throws a one-line PathError naming it, else
 * returns. A few system calls, never a loop on the file system.
 */
export function checkTempRoot(root: string): void {
  const what = `${describeTempRoot(root)} cannot hold ipc-lab's temp files:`;
  try {
    inspectDirPath(root, what, { mustExist: true });
  } catch (error) {
    if (!(error instanceof PathError) || error.reason === undefined) throw error;
    throw new PathError(`${what} ${JSON.stringify(error.at)} ${error.reason}`, error.at, error.code, error.reason);
  }
}

/**
 * The temp roots every transfer uses, checked before a sweep runs: TMPDIR (os.tmpdir()) and the
 * shared-memory root. A bad one is a UsageError naming the variable and the problem.
 */
export function checkTempRoots(): void {
  for (const root of new Set([os.tmpdir(), sharedMemoryRoot()])) {
    try {
      checkTempRoot(root);
    } catch (error) {
      if (!(error instanceof PathError)) throw error;
      const variable = /^(TMPDIR|IPC_LAB_SHM_ROOT) /.exec(error.message)?.[1];
      const remedy = variable ? `point ${variable} at a writable directory` : 'set TMPDIR to a writable directory';
      throw new UsageError(`${error.message}; ${remedy}`);
    }
  }
}

/**
 * A new 0700 directory under `root` (mkdtemp makes it 0700), after removing stale ones there.
 * A root that cannot hold it (missing, read-only, full, /proc…) is a one-line PathError.
 */
export function makePrivateDir(root: string, label: string): string {
  checkTempRoot(root);
  removeStaleDirs(root);
  const prefix = path.join(root, `ipc-lab-${label}-p${process.pid}-`);
  try {
    return fs.mkdtempSync(prefix);
  } catch (error) {
    throw pathErrorFrom(error, `${prefix}XXXXXX`, `create the temp directory`);
  }
}

/** Remove this user's ipc-lab directories under `root` whose owner process is gone; returns their paths. */
export function removeStaleDirs(root: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const name of names) {
    const owner = OWNED_NAME.exec(name)?.[1];
    if (!owner || processIsAlive(Number(owner))) continue;
    const dir = path.join(root, name);
    try {
      const stat = fs.lstatSync(dir);
      // A directory, or a named shared-memory region (handoff-name's file directly in /dev/shm).
      const region = stat.isFile() && (name.startsWith(REGION_PREFIX) || name.startsWith(PYSHM_PREFIX));
      if (!(stat.isDirectory() || region) || (uid !== undefined && stat.uid !== uid)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      /* removed meanwhile, or not ours to remove */
    }
  }
  return removed;
}

/** Private (0700) directories for one transfer, named by this process (see makePrivateDir). */
export function makeTransferDirs(): TransferDirs {
  const tmpDir = makePrivateDir(os.tmpdir(), 'run');
  try {
    return { tmpDir, shmDir: makePrivateDir(sharedMemoryRoot(), 'shm') };
  } catch (error) {
    // The first dir exists already: remove it now, or it would stay until this process exits.
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw error;
  }
}
