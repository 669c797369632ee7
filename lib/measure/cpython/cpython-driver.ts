import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { CPYTHON_TRANSPORTS, findTransport } from '../../model/catalog';
import { ARTICLE_METHODS_PY } from '../../model/paths';
import { blankRecord, failRecord, type RecordPlace } from '../../model/record';
import type { RunOptions, TransferRecord, TransferSpec } from '../../model/types';
import type { RuntimeDriver } from '../runner/driver';
import { makePrivateDir } from '../tempdir';
import {
  cpythonMessageLimit,
  fillMessageRecord,
  type MessageProgramSuccess,
  messageProgramArgs,
  messageResultProblem,
} from './cpython-messages';
import { findPython, interpreterProblem, lastLine, MIN_PYTHON } from './python-interpreter';

/**
 * The cpython runtime: the article's own seven methods, run by our Python program
 * (lib/measure/cpython/article_methods.py, beside this file) under a real CPython, and the message
 * patterns over Pipe, Queue and Manager (message_patterns.py, see cpython-messages.ts). One run is
 * one run of a program, which prints one JSON line; this module finds an interpreter, spawns the
 * program in its own process group with a private temp dir, enforces the timeout and turns the
 * line into a record.
 */

/** Enough of stderr to explain a failure, without keeping a runaway log in memory. */
const STDERR_KEEP_BYTES = 64 * 1024;

/** Why the cpython runtime cannot run this spec at all, or null when it can try. */
export function cpythonLimit(spec: TransferSpec): string | null {
  if (spec.runtime !== 'cpython') return `the cpython runtime does not run ${spec.runtime} transfers`;
  if (!findTransport('cpython', spec.transport)) {
    return `no cpython transport "${spec.transport}": the article's methods are ` + CPYTHON_TRANSPORTS.map((t) => t.id).join(', ');
  }
  if (spec.pattern === 'roundtrip' || spec.pattern === 'rate') return cpythonMessageLimit(spec);
  if (spec.payload !== 'list') {
    return `the cpython runtime sends the article's list payload only in a transfer, not ${spec.payload} (bytes, object and int32 messages run with pattern roundtrip or rate)`;
  }
  if (!Number.isSafeInteger(spec.sizeElements) || spec.sizeElements < 1) {
    return `size must be a positive integer, got ${spec.sizeElements}`;
  }
  return null;
}

/** The JSON line article_methods.py prints on success. */
interface ProgramSuccess {
  ok: true;
  python: string;
  numpy: string | null;
  buildSeconds: number;
  encodeSeconds: number | null;
  decodeSeconds: number | null;
  sendSeconds: number;
  recvSeconds: number;
  totalSeconds: number;
  verifySeconds: number;
  bytes: number | null;
  senderPeakRssBytes: number | null;
  receiverPeakRssBytes: number | null;
  brokerPeakRssBytes: number | null;
}

interface ProgramFailure {
  ok: false;
  phase: string;
  error: string;
}

type Outcome =
  | { kind: 'spawn-error'; error: NodeJS.ErrnoException }
  | { kind: 'timeout' }
  | { kind: 'interrupted'; reason: string }
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

const REQUIRED_NUMBERS = ['buildSeconds', 'sendSeconds', 'recvSeconds', 'totalSeconds', 'verifySeconds'] as const;
const OPTIONAL_NUMBERS = [
  'encodeSeconds',
  'decodeSeconds',
  'bytes',
  'senderPeakRssBytes',
  'receiverPeakRssBytes',
  'brokerPeakRssBytes',
] as const;

/** What is wrong with an article_methods.py success line, or null when it is whole. */
function transferResultProblem(obj: Record<string, unknown>): string | null {
  for (const key of REQUIRED_NUMBERS) {
    if (typeof obj[key] !== 'number' || !Number.isFinite(obj[key])) return `printed a result without ${key}`;
  }
  for (const key of OPTIONAL_NUMBERS) {
    if (obj[key] !== null && typeof obj[key] !== 'number') return `printed a result with a bad ${key}`;
  }
  return null;
}

/**
 * The program's result line, checked: a failure as printed, a success that `successProblem`
 * finds whole (field by field), or a string saying what is wrong with the line.
 */
function parseResultLine<T>(stdout: string, successProblem: (obj: Record<string, unknown>) => string | null): T | ProgramFailure | string {
  const line = lastLine(stdout);
  if (!line) return 'printed no result line';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `printed a result line that is not JSON: ${line.slice(0, 200)}`;
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj !== 'object' || obj === null || typeof obj.ok !== 'boolean') return 'printed a result without "ok"';
  if (!obj.ok) {
    return typeof obj.phase === 'string' && typeof obj.error === 'string'
      ? (obj as unknown as ProgramFailure)
      : 'printed a failure without phase and error';
  }
  return successProblem(obj) ?? (obj as unknown as T);
}

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

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already empty
  }
}

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
function runProgram(python: string, args: string[], dir: string, options: RunOptions): Promise<Outcome> {
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

/**
 * Run one transfer of the article's method `spec.transport` in CPython, or one message pattern
 * (`spec.pattern` roundtrip or rate) over its pipe, queue or manager, and return its record.
 * Never throws for a transfer that fails: limits, a missing interpreter, a crash, a timeout and
 * a failed check all become a failed record with a one-line reason.
 */
export async function runCpythonTransfer(spec: TransferSpec, options: RunOptions, place: RecordPlace): Promise<TransferRecord> {
  const record = blankRecord(spec, place);
  record.heapLimitMb = null;
  record.memory = 'fresh'; // every run allocates its shared memory and buffers anew
  const limit = cpythonLimit(spec);
  if (limit) return failRecord(record, 'limits', limit);

  let python = options.python;
  try {
    const found = await findPython(python || undefined);
    python = found.path;
    record.runtimeVersion = found.version;
  } catch (error) {
    if (!python) return failRecord(record, 'spawn', (error as Error).message);
    // A --python that does not answer the probe: its run says why, in its own words.
  }

  const dir = makePrivateDir(os.tmpdir(), 'cpython');
  try {
    const outcome = await runProgram(python, programArgs(spec, dir, options), dir, options);
    return fillRecord(record, spec, python, outcome, options);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

function isMessagePattern(spec: TransferSpec): boolean {
  return spec.pattern === 'roundtrip' || spec.pattern === 'rate';
}

function programArgs(spec: TransferSpec, dir: string, options: RunOptions): string[] {
  if (isMessagePattern(spec)) return messageProgramArgs(spec, dir, options);
  const args = [ARTICLE_METHODS_PY, '--method', spec.transport, '--size', String(spec.sizeElements), '--tmp-dir', dir, '--watch-stdin'];
  if (options.fault !== 'none') args.push('--fault', options.fault);
  if (options.verbose) args.push('--verbose');
  return args;
}

function fillRecord(record: TransferRecord, spec: TransferSpec, python: string, outcome: Outcome, options: RunOptions): TransferRecord {
  const program = isMessagePattern(spec) ? 'message_patterns.py' : 'article_methods.py';
  if (outcome.kind === 'spawn-error') {
    return failRecord(record, 'spawn', interpreterProblem(python, outcome.error, ''));
  }
  if (outcome.kind === 'interrupted') return failRecord(record, 'interrupted', outcome.reason);
  if (outcome.kind === 'timeout') {
    return failRecord(record, 'timeout', `no result within ${options.timeoutSeconds} s: killed the process group of ${python} ${program}`);
  }
  const result = isMessagePattern(spec)
    ? parseResultLine<MessageProgramSuccess>(outcome.stdout, (obj) => messageResultProblem(obj, spec))
    : parseResultLine<ProgramSuccess>(outcome.stdout, transferResultProblem);
  if (typeof result === 'string') {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
    const detail = lastLine(outcome.stderr);
    const hint = outcome.signal ? '' : `: is it Python ${MIN_PYTHON.join('.')} or newer? install Debian's python3 or pass --python PATH`;
    return failRecord(
      record,
      outcome.signal ? 'transfer' : 'spawn',
      `python interpreter "${python}" ${how} and ${result}${detail ? ` (${detail})` : ''}${hint}`,
    );
  }
  if ('phase' in result) return failRecord(record, result.phase, result.error); // 'in', not !ok: tslab compiles without strictNullChecks, where !ok does not narrow
  if ('roundTripNs' in result) return fillMessageRecord(record, result);
  record.ok = true;
  record.buildSeconds = result.buildSeconds;
  record.encodeSeconds = result.encodeSeconds;
  record.decodeSeconds = result.decodeSeconds;
  record.sendSeconds = result.sendSeconds;
  record.recvSeconds = result.recvSeconds;
  record.totalSeconds = result.totalSeconds;
  record.verifySeconds = result.verifySeconds;
  record.bytes = result.bytes;
  record.senderPeakRssBytes = result.senderPeakRssBytes;
  record.receiverPeakRssBytes = result.receiverPeakRssBytes;
  record.brokerPeakRssBytes = result.brokerPeakRssBytes;
  return record;
}

/** The cpython runtime's driver for the runner (lib/measure/runner/run-transfer.ts): the article's methods and the message patterns. */
export const cpythonDriver: RuntimeDriver = {
  runtime: 'cpython',
  transportIds: () => CPYTHON_TRANSPORTS.map((t) => t.id),
  run: (spec, options, place) => runCpythonTransfer(spec, options, place),
  abortAll: abortCpythonTransfers,
  activeCount: activeCpythonTransferCount,
};
