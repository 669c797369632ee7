import { spawn } from 'node:child_process';
import { UsageError } from '../../model/usage-error';
import { killGroup } from '../process-groups';
import type { RawLimitResult } from './row';

/**
 * Start one limit program (msg_baseline or the minimal Node program) and read its one JSON result.
 * It runs as the leader of its own process group, so that a timeout or an abort can end it with
 * every process it started (its peer, its workers) in one kill, whatever state they are in.
 */

/** How long a run may take and how to stop it early. */
export interface LimitRunOptions {
  /** The whole run is killed (its process group, SIGKILL) after this many seconds; 120 when not given. */
  timeoutSeconds?: number;
  /** Kills the run the same way when aborted. */
  signal?: AbortSignal;
}

/** Why a program's run did not give a result: one line. Exit status 2 (bad arguments) is a UsageError. */
export async function runLimitProgram(
  label: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: LimitRunOptions,
): Promise<RawLimitResult> {
  const { timeoutSeconds = 120, signal } = options;
  if (!(timeoutSeconds > 0)) throw new UsageError(`timeoutSeconds ${timeoutSeconds} is not a positive number of seconds`);
  if (signal?.aborted) throw new Error(`${label} was aborted before it started`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
    let stdout = '';
    let stderr = '';
    let stopped = '';
    const stop = (why: string) => {
      stopped ||= why;
      if (child.pid) killGroup(child.pid);
    };
    const timer = setTimeout(() => stop(`timed out after ${timeoutSeconds} s`), timeoutSeconds * 1000);
    const onAbort = () => stop('was aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', (error) => {
      finish();
      reject(new Error(`${label} cannot start: ${error.message}`));
    });
    child.on('close', (code, killedBy) => {
      finish();
      // A peer that outlived its leader (it should not) goes with the group.
      if (child.pid) killGroup(child.pid);
      const line = stderr.trim().split('\n').pop()?.trim() || `${label} ended with ${killedBy ?? `exit status ${code}`}`;
      if (stopped) return reject(new Error(`${label} ${stopped}`));
      if (code === 2) return reject(new UsageError(line));
      if (code !== 0) return reject(new Error(line));
      try {
        resolve(JSON.parse(stdout) as RawLimitResult);
      } catch {
        reject(new Error(`${label} printed something that is not one JSON object: ${JSON.stringify(stdout.slice(0, 120))}`));
      }
    });
  });
}
