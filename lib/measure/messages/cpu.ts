import * as fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/**
 * CPU time (user + system) spent so far by this peer, in seconds. A process peer reads
 * process.cpuUsage(): the whole process, its libuv and GC threads included — what running the peer
 * costs. In a worker thread process.cpuUsage() would count the other worker too (both run in one
 * host process), so a thread peer reads its own thread's run time from /proc/thread-self/schedstat
 * (nanoseconds on the CPU, kept by the scheduler). The kernel advances that count at scheduler ticks
 * and switches, so a thread's CPU is exact over a run of many milliseconds and may read 0 over a
 * run of a few hundred µs.
 */
export function cpuSecondsNow(): number {
  if (isMainThread) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  const onCpuNs = Number(fs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]);
  return onCpuNs / 1e9;
}
