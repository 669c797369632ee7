import { SHM_ADDON_PATH } from '../model/paths';

/**
 * The one clock every peer reads: CLOCK_MONOTONIC, one clock for every process on the machine, so
 * a timestamp taken in the sender can be subtracted from one taken in the receiver. In Node,
 * process.hrtime.bigint() is libuv's uv_hrtime, which reads it; CPython's time.monotonic_ns()
 * does too. Bun's and Deno's process.hrtime count from their own start instead (measured: the same
 * rate, an offset of the process's start), so there the offset is read once from the native addon
 * (monotonicNs, native/shm.c) and added: the clock then costs the same as in Node.
 */
function offsetOfThisRuntime(): bigint {
  if (!process.versions.bun && !process.versions.deno) return 0n;
  const addon = require(SHM_ADDON_PATH) as { monotonicNs(): bigint };
  // The read of CLOCK_MONOTONIC between the two closest hrtime reads of 20 tries.
  let best = 0n;
  let bestSpanNs = -1n;
  for (let i = 0; i < 20; i++) {
    const before = process.hrtime.bigint();
    const monotonic = addon.monotonicNs();
    const after = process.hrtime.bigint();
    if (bestSpanNs < 0n || after - before < bestSpanNs) {
      bestSpanNs = after - before;
      best = monotonic - (before + after) / 2n;
    }
  }
  return best;
}

const OFFSET_NS = offsetOfThisRuntime();

/** Now, in nanoseconds of CLOCK_MONOTONIC. */
export const nowNs: () => bigint = OFFSET_NS === 0n ? () => process.hrtime.bigint() : () => process.hrtime.bigint() + OFFSET_NS;

/** Seconds from one monotonic timestamp to a later one. */
export function secondsBetween(startNs: bigint, endNs: bigint): number {
  return Number(endNs - startNs) / 1e9;
}

/** Seconds a synchronous step takes, and its result. */
export function timed<T>(step: () => T): { value: T; seconds: number } {
  const startNs = nowNs();
  const value = step();
  return { value, seconds: secondsBetween(startNs, nowNs()) };
}
