import * as os from 'node:os';
import type { Role } from '../../model/types';
import type { Transport } from '../transport';

/**
 * Explaining a peer's death: how a role's process ended and the one line a failed record says
 * about it. Pure functions of what the runner collected (stderr, exit status); nothing here
 * touches a process.
 */

/** What the runner knows, after teardown, of the process that runs one role. */
export interface RoleProcess {
  /** The end of what that process wrote on stderr, `ipc-lab-exit` lines from sh or a forking sender included. */
  stderrTail: string;
  /** Whether it is the role's own process (not /bin/sh, not the sender that forked the receiver). */
  own: boolean;
  /** Its exit status ("SIGKILL", "1") when it ended before teardown killed anything, else undefined. */
  endedOnItsOwn: string | undefined;
}

/** An exit status that says a signal ended the process: "SIGKILL", or sh's 128 + n. */
export function isSignal(status: string | undefined): boolean {
  return status !== undefined && (/^SIG/.test(status) || Number(status) > 128);
}

/** 9 → "SIGKILL": the name of a signal number, as sh reports 128 + n for a process it killed. */
export function signalName(signal: number): string {
  const found = Object.entries(os.constants.signals).find(([, n]) => n === signal);
  return found ? found[0] : `signal ${signal}`;
}

/** How a role's process ended on its own: `ipc-lab-exit` from sh or the forking sender, else our child's status. */
export function exitStatus(role: Role, where: RoleProcess | undefined): string | undefined {
  if (!where) return undefined;
  const tail = where.stderrTail;
  const reported = [...tail.matchAll(new RegExp(`^ipc-lab-exit ${role} (\\S+)$`, 'gm'))].pop()?.[1];
  return reported ?? (where.own ? where.endedOnItsOwn : undefined);
}

/**
 * Why a peer's control channel closed before it reported: its exit status (a signal means it
 * was killed), whether it ran out of V8 heap, or its last words on stderr. A peer behind /bin/sh
 * or forked by the sender is not our child: sh, or the sender, writes `ipc-lab-exit <role>
 * <status>` on stderr for it (see spawnPeers in launch.ts and lib/measure/peer.ts).
 */
export function describeDeath(role: Role, where: RoleProcess | undefined, topology: Transport['topology'], heapLimitMb: number): string {
  const tail = where ? where.stderrTail : '';
  if (/heap out of memory|Reached heap limit|ERR_WORKER_OUT_OF_MEMORY/.test(tail)) {
    return `the ${role} ran out of memory (V8 heap limit ${heapLimitMb} MiB; raise it with --heap-mb)`;
  }
  const status = exitStatus(role, where);
  // Last words: the error line, not the stack, the source excerpt or the version banner. Deno and
  // Bun print the source excerpt after their "error: …" line, so such a line comes first.
  const noise = /^(ipc-lab-exit |at |Node\.js v\d|Bun v\d|\^+$|\S+:\d+$)/;
  const lines = tail
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !noise.test(line));
  const words = lines.filter((line) => /^error: /.test(line)).pop() ?? lines.pop();
  const said = words ? ` (its last words: ${words.slice(0, 200)})` : '';
  // Worker threads die with their host process: name the process, not one of its threads.
  const who = where?.own && topology === 'threads' ? 'host process of the sender and receiver threads' : role;
  // A killed peer had no last words: what stderr holds then is another peer's (or sh's "Killed").
  if (isSignal(status))
    return `the ${who} was killed by ${/^SIG/.test(status!) ? status : signalName(Number(status) - 128)} before reporting`;
  if (status) return `the ${who} exited with code ${status} before reporting${said}`;
  return `the ${role}'s control channel closed before it reported (its process ended, exit status unknown)${said}`;
}
