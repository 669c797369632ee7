import { findTransport } from '../../model/catalog';
import { nowNs, secondsBetween } from '../clock';
import { toInt32 } from '../payload';
import { setFlag, waitForFlag } from '../shared-memory';
import type { Transport } from '../transport';
import { regionPlumbing } from './common';

/**
 * RawArray — the article's multiprocessing.sharedctypes.RawArray: shared memory with no lock,
 * filled in one bulk copy (the article goes through numpy), plus a completion flag. A list must
 * first become an Int32Array — the article's numpy cast, timed here as encode, apart from send.
 * The receiver copies the region out in bulk (the article's receive copies too) and holds an
 * Int32Array.
 *
 * Two rows: between processes through a /dev/shm file both map (`raw-array`), and between worker
 * threads through a SharedArrayBuffer (`raw-array-thread`). The region is fresh for every
 * transfer, so the copy in pays the first touch of its pages (see the field notes and the bench).
 */
const REGION_FILE = 'raw-array';

function rawArray(threads: boolean): Transport {
  const { region, ...plumbing } = regionPlumbing(threads, REGION_FILE);
  return {
    info: findTransport('node', threads ? 'raw-array-thread' : 'raw-array')!,
    ...plumbing,

    async sender(ctx, payload) {
      const { header, data } = region(ctx);
      await ctx.start();
      const startNs = nowNs();
      const packed = toInt32(payload);
      const sendStartNs = nowNs();
      // Fault `close-early`: half the elements, then the flag, as a writer that stopped mid-write.
      data.set(ctx.fault === 'close-early' ? packed.subarray(0, packed.length >> 1) : packed);
      setFlag(header);
      return {
        startNs,
        encodeSeconds: packed === payload ? null : secondsBetween(startNs, sendStartNs),
        sendSeconds: secondsBetween(sendStartNs, nowNs()),
        bytes: data.byteLength,
        // The region was zero-filled before the transfer (as the article's RawArray); the receiver's copy out is fresh.
        memory: 'reused',
        // The copy into the region, after packing a list into an Int32Array.
        copies: packed === payload ? 1 : 2,
      };
    },

    async receiver(ctx) {
      const { header, data } = region(ctx);
      await ctx.start();
      await waitForFlag(header, ctx.stopping);
      const recvStartNs = nowNs();
      const copy = data.slice();
      const heldNs = nowNs();
      return {
        data: copy,
        heldNs,
        recvSeconds: secondsBetween(recvStartNs, heldNs),
        decodeSeconds: null,
        copies: 1,
        firstTouch: 'receiver',
      };
    },
  };
}

export const rawArrayProcesses = rawArray(false);
export const rawArrayThreads = rawArray(true);
