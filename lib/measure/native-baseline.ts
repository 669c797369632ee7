import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { NATIVE_BASELINE_PATH, shownPath } from '../model/paths';
import { UsageError } from '../model/usage-error';
import { makePrivateDir } from './tempdir';

/**
 * The native baseline: native/ipc_baseline.c moves N bytes from one process to another with plain
 * system calls (no runtime in the way), so a Node transport's time can be set beside what the
 * machine itself can do over the same kind of channel.
 */

/** The channels the native baseline moves bytes through. */
export const NATIVE_CHANNELS = ['pipe', 'unix', 'tcp', 'shm'] as const;
/** pipe(2), a Unix stream socket on a bound path, TCP on 127.0.0.1, or a shared anonymous mapping. */
export type NativeChannel = (typeof NATIVE_CHANNELS)[number];

/** The receiver's destination buffer: untouched before the transfer (its page faults timed), or touched once before. */
export const NATIVE_DESTS = ['fresh', 'reused'] as const;
/** See NATIVE_DESTS. */
export type NativeDest = (typeof NATIVE_DESTS)[number];

/** One run of the native baseline: `repeats` transfers of `bytes` bytes. */
export interface NativeOptions {
  channel: NativeChannel;
  /** Bytes per transfer, 1 to 2^33 (the bytes of an int32 array 0, 1, 2, …). */
  bytes: number;
  dest: NativeDest;
  /** Transfers, each in a fresh receiver process; 1 when not given. */
  repeats?: number;
  /** The whole run is stopped (SIGTERM, then SIGKILL) after this many seconds; 120 when not given. */
  timeoutSeconds?: number;
  /** Stops the run the same way when aborted. */
  signal?: AbortSignal;
}

/** One transfer as the binary reports it: `seconds` from the sender's first write to the receiver holding the last byte. */
export interface NativeResult {
  channel: NativeChannel;
  bytes: number;
  dest: NativeDest;
  seconds: number;
  /** Every int32 verified at the receiver (after the timed region). */
  ok: boolean;
}

/**
 * Run the native baseline and return one result per repeat. Rejects with one line: a UsageError
 * for bad options (the binary exits 2), an Error when the binary is not built, a transfer fails,
 * the timeout passes or `signal` aborts. The binary's Unix socket dir lives in a private temp dir
 * that is removed when the binary ends, however it ends.
 */
export async function runNativeBaseline(options: NativeOptions): Promise<NativeResult[]> {
  const { channel, bytes, dest, repeats = 1, timeoutSeconds = 120, signal } = options;
  if (!fs.existsSync(NATIVE_BASELINE_PATH)) {
    throw new Error(`the native baseline ${shownPath(NATIVE_BASELINE_PATH)} is not built: run npm ci (it builds native/ with node-gyp)`);
  }
  if (signal?.aborted) throw new Error('the native baseline was aborted before it started');
  const args = ['--channel', String(channel), '--bytes', String(bytes), '--dest', String(dest), '--repeats', String(repeats)];
  const tmpDir = makePrivateDir(os.tmpdir(), 'native');
  return new Promise((resolve, reject) => {
    const child = spawn(NATIVE_BASELINE_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmpDir } });
    let stdout = '';
    let stderr = '';
    let stopped = '';
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: string) => {
      if (stopped) return;
      stopped = why;
      child.kill('SIGTERM'); // the binary kills and reaps its receiver, then ends
      killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
    };
    const timer = setTimeout(() => stop(`timed out after ${timeoutSeconds} s`), timeoutSeconds * 1000);
    const onAbort = () => stop('was aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (error: Error | null, results: NativeResult[] = []) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      fs.rmSync(tmpDir, { recursive: true, force: true });
      if (error) reject(error);
      else resolve(results);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) =>
      settle(new Error(`the native baseline ${shownPath(NATIVE_BASELINE_PATH)} cannot start: ${error.message}`)),
    );
    child.on('close', (code, killedBy) => {
      const line = stderr.trim().split('\n').pop() || `ipc_baseline ended with ${killedBy ?? `exit status ${code}`}`;
      if (stopped) return settle(new Error(`the native baseline ${stopped}`));
      if (code === 2) return settle(new UsageError(line));
      if (code !== 0) return settle(new Error(line));
      let results: NativeResult[];
      try {
        results = stdout
          .split('\n')
          .filter((text) => text.trim() !== '')
          .map((text) => JSON.parse(text) as NativeResult);
      } catch {
        return settle(new Error(`ipc_baseline printed something that is not JSON lines: ${JSON.stringify(stdout.slice(0, 200))}`));
      }
      if (results.length !== repeats) return settle(new Error(`ipc_baseline printed ${results.length} results for ${repeats} repeats`));
      settle(null, results);
    });
  });
}
