import { findTransport } from '../../model/catalog';
import { nowNs, secondsBetween } from '../clock';
import type { Payload } from '../payload';
import { lock, setFlag, unlock, waitForFlag } from '../shared-memory';
import type { Transport } from '../transport';
import { regionPlumbing } from './common';

/**
 * shared memory (Array) — the article's multiprocessing.Array: a fixed-size int array in shared
 * memory, guarded by a lock, written and read one element at a time (ctypes converts each Python
 * int on the way in and out), plus a separate flag saying the write is complete.
 *
 * Two rows, because Node shares memory in two ways: between two OS processes through a /dev/shm
 * file both map (`shared-array`, native/shm.c), and between two worker threads through a
 * SharedArrayBuffer (`shared-array-thread`). The lock is a spin lock on a header word
 * (Atomics.compareExchange works across processes on shared pages; Atomics.wait does not).
 */
const REGION_FILE = 'shared-array';

function sharedArray(threads: boolean): Transport {
  const { region, ...plumbing } = regionPlumbing(threads, REGION_FILE);
  return {
    info: findTransport('node', threads ? 'shared-array-thread' : 'shared-array')!,
    ...plumbing,

    async sender(ctx, payload) {
      const { header, data } = region(ctx);
      await ctx.start();
      const startNs = nowNs();
      lock(header);
      // Fault `close-early`: half the elements, then the flag, as a writer that stopped mid-write.
      const count = ctx.fault === 'close-early' ? payload.length >> 1 : payload.length;
      for (let i = 0; i < count; i++) data[i] = payload[i];
      unlock(header);
      setFlag(header);
      // The region was zero-filled before the transfer (as the article's Array): written, not first-touched.
      return { startNs, encodeSeconds: null, sendSeconds: secondsBetween(startNs, nowNs()), bytes: data.byteLength, memory: 'reused' };
    },

    async receiver(ctx) {
      const { header, data } = region(ctx);
      await ctx.start();
      await waitForFlag(header, ctx.stopping);
      const recvStartNs = nowNs();
      lock(header);
      const copy: Payload = ctx.spec.payload === 'int32' ? new Int32Array(data.length) : [];
      if (copy instanceof Int32Array) for (let i = 0; i < data.length; i++) copy[i] = data[i];
      else for (let i = 0; i < data.length; i++) copy.push(data[i]);
      unlock(header);
      const heldNs = nowNs();
      return { data: copy, heldNs, recvSeconds: secondsBetween(recvStartNs, heldNs), decodeSeconds: null };
    },
  };
}

export const sharedArrayProcesses = sharedArray(false);
export const sharedArrayThreads = sharedArray(true);
