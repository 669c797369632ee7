/**
 * The one clock every peer reads: process.hrtime.bigint() is libuv's uv_hrtime, which is
 * clock_gettime(CLOCK_MONOTONIC) on Linux — one clock for every process on the machine, so a
 * timestamp taken in the sender can be subtracted from one taken in the receiver. CPython's
 * time.monotonic_ns() reads the same clock.
 */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

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
