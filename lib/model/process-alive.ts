/**
 * Whether a process still runs, for what a killed run left behind: the temp dirs named after
 * their owner's pid (lib/measure/tempdir.ts) and the results' temp files named after their
 * writer's (lib/sweep/results-files.ts) are removed only once that pid is gone.
 */

/**
 * True while process `pid` exists: signal 0 checks without sending anything. EPERM means it
 * exists but belongs to another user, so it counts as alive (its files are not ours to judge).
 */
export function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
