import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type { RunOptions } from '../../model/types';
import { killGroup } from '../process-groups';

/**
 * Running one CPython program (article_methods.py or message_patterns.py) to its end: its own
 * process group, a deadline, an interrupt, and nothing of it left afterwards (processes, the
 * shared-memory method's segment). cpython-driver.ts turns what this returns into a record.
 */

/** Enough of stderr to explain a failure, without keeping a runaway log in memory. */
const STDERR_KEEP_BYTES = 64 * 1024;

/** How a program's run ended. */
export type Outcome =
  | { kind: 'spawn-error'; error: NodeJS.ErrnoException }
  | { kind: 'timeout' }
  | { kind: 'interrupted'; reason: string }
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Process groups still running, killed if this Node process exits first (a normal exit). */
const liveGroups = new Set<number>();
/** How to stop each program still running, for abortCpythonTransfers. */
const aborters = new Set<(reason: string) => void>();

/**
 * Stop every CPython transfer now (SIGINT/SIGTERM of a sweep, through the runner's
 * abortActiveTransfers): each ends as a failed record, phase `interrupted`, after its program
 * has cleaned up (SIGTERM to it, then SIGKILL to its group if it has not exited within 2 s).
 */
export function abortCpythonTransfers(reason: string): void {
  for (const abort of aborters) abort(reason);
}

/** CPython transfers running right now. */
export function activeCpythonTransferCount(): number {
  return aborters.size;
}
let exitHookInstalled = false;

/**
 * The shared-memory method's segment lives directly in /dev/shm (where SharedMemory names go),
 * named after the program's pid (shared_memory_method.py). The program unlinks it on every exit it
 * sees, but a kill of its whole group (a timeout) takes its resource tracker too: removed here.
 */
function removeSegmentsOf(pid: number): void {
  const prefix = `ipc-lab-pyshm-p${pid}-`;
  let names: string[] = [];
  try {
    names = fs.readdirSync('/dev/shm');
  } catch {
    return; // no /dev/shm: SharedMemory could not have made one either
  }
  for (const name of names) if (name.startsWith(prefix)) fs.rmSync(`/dev/shm/${name}`, { force: true });
}

function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => liveGroups.forEach(killGroup));
  }
  liveGroups.add(pgid);
}

/**
 * Spawn article_methods.py and wait for it, killing its whole process group at the deadline.
 * It gets its own group (detached), so one kill reaches the main process, both peers and the
 * manager's server. Our end of its stdin stays open and unused: when this process dies, the
 * pipe closes and the program (run with --watch-stdin) cleans up and exits on its own.
 */
export function runProgram(python: string, args: string[], dir: string, options: RunOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(python, args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      // TMPDIR: multiprocessing's own temp dirs (the manager's socket dir) land in our private
      // dir too, so they go when it goes, even if the program is killed.
      env: { ...process.env, TMPDIR: dir, PYTHONDONTWRITEBYTECODE: '1' },
    });
    let settled = false;
    let timedOut = false;
    let interrupted: string | null = null;
    const abort = (reason: string): void => {
      if (interrupted !== null || child.pid === undefined) return;
      interrupted = reason;
      // SIGTERM lets the program terminate its peers, shut its manager down and remove its dir.
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      setTimeout(() => child.pid !== undefined && killGroup(child.pid), 2000).unref();
    };
    aborters.add(abort);
    const stdout: Buffer[] = [];
    let stderr = '';
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      aborters.delete(abort);
      if (child.pid !== undefined) {
        killGroup(child.pid); // anything the program left behind (nothing, normally)
        liveGroups.delete(child.pid);
        removeSegmentsOf(child.pid);
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) killGroup(child.pid);
    }, options.timeoutSeconds * 1000);
    if (child.pid !== undefined) trackGroup(child.pid);
    child.stdin.on('error', () => undefined); // EPIPE once the program has exited
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (options.verbose) process.stderr.write(chunk);
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP_BYTES);
    });
    child.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'spawn-error', error }));
    // The main process is gone: whatever else is in its group is a leftover (normally nothing).
    child.on('exit', () => {
      if (child.pid !== undefined) killGroup(child.pid);
    });
    child.on('close', (code, signal) => {
      if (interrupted !== null) finish({ kind: 'interrupted', reason: interrupted });
      else if (timedOut) finish({ kind: 'timeout' });
      else finish({ kind: 'exited', code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr });
    });
  });
}
