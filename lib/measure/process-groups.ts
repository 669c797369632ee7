import type { ChildProcess } from 'node:child_process';

/**
 * The process groups the runners start (each peer, each CPython program, each limit program is
 * spawned detached, so one signal reaches everything it started): killing them, and waiting
 * until they have gone.
 */

/** SIGKILL the whole process group `pgid` (a detached child's pid): sh's pipeline, a forked receiver, a manager. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already empty
  }
}

/** Whether the kernel has told `child`'s end (an exit code or a signal). */
function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolve when every child has exited, or after `waitMs` with some still running. */
export async function waitForExits(children: readonly ChildProcess[], waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (children.some((child) => !exited(child)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolve when every child's stderr has closed (its last bytes read), at most a second each. */
export async function stderrClosed(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((child) =>
      child.stderr && !child.stderr.destroyed
        ? new Promise<void>((resolve) => {
            child.stderr!.once('close', () => resolve());
            setTimeout(resolve, 1000).unref();
          })
        : undefined,
    ),
  );
}
