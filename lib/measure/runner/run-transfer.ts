import { allTransportIds } from '../../model/catalog';
import { checkRunOptionValues, checkSpecCodec, checkTransferSpec } from '../../model/checks';
import { checkNames } from '../../model/names';
import { isPair } from '../../model/pairs';
import type { RecordPlace } from '../../model/record';
import {
  CODEC_NAMES,
  DEFAULT_TIMEOUT_SECONDS,
  PAYLOADS,
  RUNTIMES,
  type RunOptions,
  type Runtime,
  type TransferRecord,
  type TransferSpec,
} from '../../model/types';
import { cpythonDriver } from '../cpython/cpython-driver';
import type { RuntimeDriver } from './driver';
import { bunDriver, denoDriver, nodeDriver } from './js-driver';
import { pairDriver } from './pair-driver';

/**
 * The runner, runtime-neutral: checks a transfer's spec and options, fills in the defaults and
 * hands it to its runtime's driver, which runs it and always tears it down — or, for a pair across
 * runtimes (`node:cpython`), to the pairs' driver. A new runtime is one RuntimeDriver (driver.ts)
 * added to DRIVERS; nothing else here changes.
 */

/** Every runtime's driver, by runtime. */
const DRIVERS: Record<Runtime, RuntimeDriver> = {
  node: nodeDriver,
  bun: bunDriver,
  deno: denoDriver,
  cpython: cpythonDriver,
};

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  heapLimitMb: 0,
  fault: 'none',
  python: '',
  verbose: false,
};

/**
 * Check a spec and its options as the CLI checks its flags: a UsageError (one line) for an unknown
 * runtime, transport, payload or fault, or a size or timeout out of range. Spawns nothing.
 */
export function checkTransferRequest(spec: TransferSpec, options: Partial<RunOptions> = {}): void {
  if (spec !== null && typeof spec === 'object' && spec.receiverRuntime !== undefined) {
    checkNames('runtime', [spec.receiverRuntime], RUNTIMES, false);
  }
  if (spec !== null && typeof spec === 'object' && isPair(spec)) {
    // A pair's transports are Node's ids (any known one: a pair that cannot run it is a limits record).
    checkTransferSpec(spec, RUNTIMES, PAYLOADS, () => allTransportIds());
    if (spec.codec !== undefined) checkNames('codec', [spec.codec], CODEC_NAMES, false);
  } else {
    checkTransferSpec(spec, RUNTIMES, PAYLOADS, (runtime) => DRIVERS[runtime as Runtime].transportIds());
    checkSpecCodec(spec);
  }
  checkRunOptionValues(options);
}

/**
 * Run one transfer of any runtime. A bad spec rejects with a UsageError before anything is
 * spawned; a transfer that fails (limits, a death, a timeout, an interrupt) is a record, never a throw.
 */
export async function runTransfer(
  spec: TransferSpec,
  options: Partial<RunOptions> = {},
  place: RecordPlace = { runId: 'adhoc', repeat: 0, warmup: false },
): Promise<TransferRecord> {
  checkTransferRequest(spec, options);
  const opts: RunOptions = { ...DEFAULT_RUN_OPTIONS, ...options };
  // `node:node` is `node`: a receiver in the sender's own runtime is no pair.
  const { receiverRuntime, ...same } = spec;
  return isPair(spec) ? pairDriver.run(spec, opts, place) : DRIVERS[spec.runtime].run(receiverRuntime ? same : spec, opts, place);
}

/**
 * Stop every running transfer now, of every runtime: each ends as a failed record (phase
 * `interrupted`) after its normal teardown. The CLI and the notebook helpers call this on SIGINT/SIGTERM.
 */
export function abortActiveTransfers(reason: string): void {
  for (const runtime of RUNTIMES) DRIVERS[runtime].abortAll(reason);
  pairDriver.abortAll(reason);
}

/** Transfers running right now, every runtime's (for tests and the interrupt handlers). */
export function activeTransferCount(): number {
  return RUNTIMES.reduce((sum, runtime) => sum + DRIVERS[runtime].activeCount(), pairDriver.activeCount());
}
