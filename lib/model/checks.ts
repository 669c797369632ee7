/**
 * Domain checks of numbers and options given through the CLI or the API: repeats, warm-ups,
 * heap limit, timeout, a transfer spec and run options. Each returns the clean value or throws a
 * one-line UsageError.
 */

import { findTransport } from './catalog';
import { checkNames, unknownNameError } from './names';
import { checkSizeElements } from './sizes';
import { CODEC_NAMES, type CodecName, FAULTS, type Runtime } from './types';
import { UsageError } from './usage-error';

/**
 * The largest timeout: Node's timers hold 2^31 − 1 ms (≈ 24.8 days) and fire at once beyond it,
 * which would turn a huge timeout into an instant failure.
 */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function checkWhole(what: string, n: number, min: number, example: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    const shown = typeof n === 'string' ? JSON.stringify(n) : String(n);
    throw new UsageError(`${what} ${shown} is not valid: ${what} must be a whole number from ${min} up (e.g. ${example})`);
  }
  return n;
}

/**
 * A number typed on the command line, strictly: digits with an optional sign, fraction and
 * exponent. (Number() alone would take "" as 0 and "0x10" as 16.) `what` names the value.
 */
export function parseNumberText(what: string, text: string): number {
  const trimmed = String(text).trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) {
    throw new UsageError(`${what} ${JSON.stringify(String(text))} is not a number`);
  }
  return Number(trimmed);
}

/** Measured repeats per configuration: a whole number ≥ 1. */
export function checkRepeats(n: number): number {
  return checkWhole('repeats', n, 1, '3');
}

/** Warm-up runs per configuration: a whole number ≥ 0. */
export function checkWarmups(n: number): number {
  return checkWhole('warmups', n, 0, '1');
}

/** V8 heap limit for Node peers in MiB: a whole number ≥ 0, where 0 means "pick from the size". */
export function checkHeapLimitMb(n: number): number {
  return checkWhole('heap limit in MiB', n, 0, '0 for automatic, or 8192');
}

/** A per-transfer timeout: seconds above 0, at most MAX_TIMEOUT_SECONDS (Node's timer limit). */
export function checkTimeoutSeconds(n: number): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`timeout ${String(n)} is not valid: timeouts are seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (e.g. 900)`);
  }
  return n;
}

/**
 * A TransferSpec given to runTransfer, checked before anything is spawned: a runtime, a payload
 * and a size as checkSizeElements wants, and a transport id from `transportIds` (the runtime's
 * transports, plus the bench's hidden ones). Throws a one-line UsageError naming the bad field.
 */
export function checkTransferSpec<S extends { runtime: string; transport: string; payload: string; sizeElements: number }>(
  spec: S,
  runtimes: readonly string[],
  payloads: readonly string[],
  transportIds: (runtime: string) => readonly string[],
): S {
  if (typeof spec !== 'object' || spec === null) {
    throw new UsageError(`transfer spec ${String(spec)} is not valid: give { runtime, transport, payload, sizeElements }`);
  }
  checkNames('runtime', [spec.runtime], runtimes, false);
  if (!transportIds(spec.runtime).includes(spec.transport)) {
    throw unknownNameError('transport', String(spec.transport), transportIds(spec.runtime));
  }
  checkNames('payload', [spec.payload], payloads, false);
  checkSizeElements(spec.sizeElements);
  return spec;
}

/** RunOptions given through the API, checked as the CLI's flags are. */
export function checkRunOptionValues(options: { timeoutSeconds?: number; heapLimitMb?: number; fault?: string }): void {
  if (options.timeoutSeconds !== undefined) checkTimeoutSeconds(options.timeoutSeconds);
  if (options.heapLimitMb !== undefined) checkHeapLimitMb(options.heapLimitMb);
  if (options.fault !== undefined && !(FAULTS as readonly string[]).includes(options.fault)) {
    throw unknownNameError('fault', String(options.fault), FAULTS);
  }
}

/**
 * The codec a spec names, checked against its transport: a known codec name, and one the
 * transport takes (a message port clones, shared memory copies, CPython pickles; a stream, a file
 * or a broker takes any serializer). Omitted means the transport's analog.
 */
export function checkSpecCodec(spec: { runtime: Runtime; transport: string; codec?: string }): void {
  if (spec.codec === undefined) return;
  checkNames('codec', [spec.codec], CODEC_NAMES, false);
  const accepted = findTransport(spec.runtime, spec.transport)?.codecs ?? ['none'];
  if (!accepted.includes(spec.codec as CodecName)) {
    throw new UsageError(
      `codec "${spec.codec}" does not fit transport "${spec.transport}" (${spec.runtime}): it takes ${accepted.join(', ')}`,
    );
  }
}
