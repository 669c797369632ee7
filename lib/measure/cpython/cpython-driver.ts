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
import { abortCpythonTransfers, activeCpythonTransferCount, type Outcome, runProgram } from './cpython-program';
import { type ProgramSuccess, parseResultLine, transferResultProblem } from './cpython-result';
import { findPython, interpreterProblem, lastLine, MIN_PYTHON } from './python-interpreter';

export { abortCpythonTransfers, activeCpythonTransferCount } from './cpython-program';

/**
 * The cpython runtime: the article's own seven methods, run by our Python program
 * (lib/measure/cpython/article_methods.py, beside this file) under a real CPython, and the message
 * patterns over Pipe, Queue and Manager (message_patterns.py, see cpython-messages.ts). One run is
 * one run of a program, which prints one JSON line; this module finds an interpreter, runs the
 * program with a private temp dir (cpython-program.ts: its own process group, the timeout) and
 * turns its line (cpython-result.ts) into a record.
 */

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
