import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Private temp directories that carry their owner's pid in their name, so that what a killed run
 * could not remove (SIGKILL runs no clean-up) is removed by the next run on the machine.
 *
 *   ipc-lab-<label>-p<pid>-XXXXXX      e.g. /tmp/ipc-lab-run-p4242-Ab12Cd, /dev/shm/ipc-lab-shm-p4242-…
 *
 * A directory is stale when its owner pid is no longer alive and it belongs to this user; a
 * directory of a live process (another sweep running at the same time) is never touched.
 */
const OWNED_NAME = /^ipc-lab-[a-z]+-p(\d+)-[A-Za-z0-9]{6}$/;

/** A new 0700 directory under `root` (mkdtemp makes it 0700), after removing stale ones there. */
export function makePrivateDir(root: string, label: string): string {
  removeStaleDirs(root);
  return fs.mkdtempSync(path.join(root, `ipc-lab-${label}-p${process.pid}-`));
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
    if (!owner || isAlive(Number(owner))) continue;
    const dir = path.join(root, name);
    try {
      const stat = fs.lstatSync(dir);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      /* removed meanwhile, or not ours to remove */
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}
