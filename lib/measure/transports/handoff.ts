import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findTransport } from '../../model/catalog';
import { nowNs, secondsBetween } from '../clock';
import {
  decodeHandoffHeader,
  encodeHandoffHeader,
  HANDOFF_HEADER_BYTES,
  HANDOFF_KIND,
  type HandoffNative,
  handoffNative,
} from '../handoff-memory';
import type { Payload } from '../payload';
import { sharedMemoryRoot } from '../shared-memory';
import { REGION_PREFIX } from '../tempdir';
import type { PeerContext, Transport } from '../transport';
import { freeSpaceLimit } from './common';

/**
 * The hand-over: no copy at all. The sender builds the Int32Array in shared memory it owns
 * (Transport.allocate: the build writes the integers straight there), then gives the region away;
 * the receiver maps the same pages read-only and holds them. A list is packed into the region in
 * one pass first (encode, one copy). Nothing like it exists in the article: Python's
 * multiprocessing copies into and out of its shared arenas.
 *
 * Two rows (native/handoff.c does the system calls):
 * - `handoff`: the region is a memfd, sealed (F_SEAL_FUTURE_WRITE, SHRINK, GROW, SEAL) and passed
 *   as a descriptor over a Unix socket (SCM_RIGHTS); it has no name, so nothing can be left behind.
 * - `handoff-name`: the region is a file directly in the shared-memory root (/dev/shm, where
 *   Python's SharedMemory(name) looks), named by the runner; the sender makes it 0400 and says so
 *   over the socket. The runner removes the name at teardown (leftovers).
 *
 * Timed: encode = packing a list (null for int32, built in place during build); send = seal (or
 * chmod) + sendmsg; recv = the recvmsg that got the message to holding the view (fstat or open,
 * mmap). The receiver's mapping is not populated: its first read — the verify pass — pays the
 * page-table faults (firstTouch 'sender').
 *
 * What keeps the hand-over's cost flat with the size (measured at 10^8 before each fix): the
 * receiver reserves its view's address space and collects garbage before the clock, since V8
 * answers a new 400 MB external ArrayBuffer with a collection (2–18 ms inside recv); it polls from
 * the moment it is connected (an idle process's wake-up at go cost more than the hand-over); and the
 * sender makes its own mapping read-only only after the receiver closed its end (an mprotect of
 * 400 MB while the receiver mapped the same file held it up 3–6 ms). What is left: ~0.3 ms at 10^3
 * and at 10^8.
 */
const SOCKET_FILE = 'handoff.sock';

/** A region the sender made, by its buffer: allocate() makes it during the build, sender() finds it. */
interface Region {
  view: Int32Array;
  /** The memfd; -1 for a named region (its descriptor is closed once mapped). */
  fd: number;
}
const regions = new WeakMap<ArrayBufferLike, Region>();

/** `ipc-lab-region-p<runner pid>-XXXXXX`: the pattern tempdir.ts's sweeper knows as a killed run's. */
function regionName(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += letters[randomInt(letters.length)];
  return `${REGION_PREFIX}p${process.pid}-${suffix}`;
}

function handoff(byName: boolean): Transport {
  const kind = byName ? HANDOFF_KIND.name : HANDOFF_KIND.memfd;
  const regionPath = (ctx: PeerContext) => String(ctx.prepared.shmPath);

  function makeRegion(native: HandoffNative, ctx: PeerContext, sizeElements: number): Region {
    const bytes = 4 * sizeElements;
    const region = byName
      ? { view: new Int32Array(native.createNamed(regionPath(ctx), bytes)), fd: -1 }
      : (({ fd, buffer }) => ({ view: new Int32Array(buffer), fd }))(native.memfdCreate(bytes));
    regions.set(region.view.buffer, region);
    return region;
  }

  /**
   * Fault `close-early`: the header announces every element but the region holds only half of them
   * (cut before the seal, which forbids shrinking) — the hand-over's "half the data, then the end".
   * The receiver's fstat sees it and refuses to map: a clear error rather than a SIGBUS at the first
   * read past the end.
   */
  function cutInHalf(ctx: PeerContext, region: Region): void {
    const halfBytes = 4 * (region.view.length >> 1);
    // A memfd by its /proc path: Deno's fs knows only the descriptors it opened itself (EBADF).
    fs.truncateSync(byName ? regionPath(ctx) : `/proc/self/fd/${region.fd}`, halfBytes);
  }

  return {
    info: findTransport('node', byName ? 'handoff-name' : 'handoff')!,
    topology: 'separate',
    // A memfd is memory outside any file system's quota: the runner's memory limit covers it.
    limit: byName ? (spec) => freeSpaceLimit(sharedMemoryRoot(), 4 * spec.sizeElements, 'the named region') : undefined,
    // Directly in the shared-memory root, not in the transfer's private dir: a name another
    // runtime's peer can open as it is (Python's SharedMemory(name) looks in /dev/shm).
    prepare: byName ? () => ({ shmPath: path.join(sharedMemoryRoot(), regionName()) }) : undefined,
    leftovers: byName ? (prepared) => [String(prepared.shmPath)] : undefined,

    allocate: (ctx, sizeElements) => makeRegion(handoffNative(), ctx, sizeElements).view,

    async sender(ctx, payload: Payload) {
      const native = handoffNative();
      const built = payload instanceof Int32Array ? regions.get(payload.buffer) : undefined;
      // A list: the region is made now, before ready (not timed), and filled after go.
      const region = built ?? makeRegion(native, ctx, payload.length);
      let sock = -1;
      try {
        const peers = await ctx.ready();
        sock = native.unixConnect(String(peers.path));
        // Known before go, so made before it (a first DataView and BigInt cost ~0.1 ms cold).
        const header = encodeHandoffHeader({ kind, sizeElements: region.view.length });
        await ctx.armed();
        const startNs = nowNs();
        if (!built) region.view.set(payload);
        const sendStartNs = nowNs();
        if (ctx.fault === 'close-early') cutInHalf(ctx, region);
        // Sealed (or 0400) before the receiver can map it: what it maps can no longer change under it.
        // chmod keeps others from opening the name writable again; root ignores modes, so a root
        // process still could (a name is weaker than a sealed descriptor).
        if (byName) fs.chmodSync(regionPath(ctx), 0o400);
        else native.seal(region.fd);
        native.sendHandoff(sock, header, region.fd);
        const endNs = nowNs();
        return {
          startNs,
          encodeSeconds: built ? null : secondsBetween(startNs, sendStartNs),
          sendSeconds: secondsBetween(sendStartNs, endNs),
          bytes: region.view.byteLength,
          // `memory` says whether the pages the payload was written into were new to this transfer:
          // they are, every time — first touched by the build (int32, in buildSeconds) or by the
          // pack (a list, in encodeSeconds), never by the hand-over itself.
          memory: 'fresh',
          copies: built ? 0 : 1,
        };
      } finally {
        // After the hand-over, not timed: the seal cannot stop this process's own writable mapping,
        // so the sender gives up writing through it (see native/handoff_memfd.c) — once the receiver holds
        // the pages and has closed its end: an mprotect of 400 MB while the receiver maps the same
        // file held the receiver up 3–6 ms (the hand-over itself takes 0.3 ms).
        if (sock >= 0) native.awaitPeerClose(sock);
        native.protect(region.view.buffer as ArrayBuffer);
        if (region.fd >= 0) native.closeFd(region.fd);
        if (sock >= 0) native.closeFd(sock);
      }
    },

    async receiver(ctx) {
      const native = handoffNative();
      const socketPath = path.join(ctx.tmpDir, SOCKET_FILE);
      const listenFd = native.unixListen(socketPath);
      let sock = -1;
      let fd = -1;
      try {
        await ctx.ready({ path: socketPath });
        // Blocking, before the clock: the sender connects as soon as it has the peers' info.
        sock = native.unixAccept(listenFd);
        // The view's address space, made before the clock: the hand-over maps the sender's pages
        // into it (MAP_FIXED) and wraps no new ArrayBuffer inside the timed region.
        const reserved = native.reserve(4 * ctx.spec.sizeElements);
        const reservedView = new Int32Array(reserved);
        collectNow();
        // The header's decoder runs once before the clock: a first call of cold code costs ~0.1 ms.
        decodeHandoffHeader(encodeHandoffHeader({ kind, sizeElements: ctx.spec.sizeElements }));
        // Polling starts now, not at go: nothing can arrive before go (the sender waits for it), and
        // a receiver already polling when it comes does not add the wake-up of an idle process — 50
        // µs to a few ms on this machine, more than the hand-over itself — to what is measured.
        const go = ctx.armed();
        const arrived = await awaitHandoff(native, sock, ctx.stopping);
        await go;
        fd = arrived.fd;
        const { kind: sentKind, sizeElements } = decodeHandoffHeader(arrived.header);
        // A size other than the one reserved (a wrong header) gets a fresh mapping, and the check of every element says so.
        const into = sizeElements === ctx.spec.sizeElements ? reserved : undefined;
        let buffer: ArrayBuffer;
        if (sentKind === HANDOFF_KIND.memfd) {
          if (fd < 0) throw new Error('the hand-over announced a memfd but carried no descriptor');
          buffer = native.mapReadOnly(fd, 4 * sizeElements, into);
        } else {
          if (ctx.prepared.shmPath === undefined) throw new Error('the hand-over announced a name, but this transfer named no region');
          buffer = native.mapPathReadOnly(regionPath(ctx), 4 * sizeElements, into);
        }
        const data = buffer === reserved ? reservedView : new Int32Array(buffer, 0, sizeElements);
        const heldNs = nowNs();
        return {
          data,
          heldNs,
          recvSeconds: secondsBetween(arrived.recvStartNs, heldNs),
          decodeSeconds: null,
          copies: 0,
          firstTouch: 'sender',
        };
      } finally {
        // The mapping keeps the pages: the descriptor and the sockets are not needed any more.
        for (const open of [fd, sock, listenFd]) if (open >= 0) native.closeFd(open);
      }
    },
  };
}

/**
 * A full collection now, before the clock. Wrapping the reservation in an ArrayBuffer tells V8 of
 * that much external memory, and V8 answers by starting incremental marking, whose steps and final
 * mark-compact would otherwise land inside the timed hand-over (measured: 2–12 ms at 10^8, none at
 * 10^3). Node and Deno expose V8's gc() once the flag is set at run time; Bun (JavaScriptCore) has
 * Bun.gc. Where neither exists nothing happens.
 */
function collectNow(): void {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun) {
    bun.gc(true);
    return;
  }
  try {
    require('node:v8').setFlagsFromString('--expose-gc');
    const gc = require('node:vm').runInNewContext('gc') as (() => void) | undefined;
    if (typeof gc === 'function') gc();
  } catch {
    /* a runtime without V8's flags: its collector decides */
  }
}

/**
 * Poll the socket until the hand-over is there, yielding to the event loop now and then so the
 * runner's stop is still heard (as waitForFlag in shared-memory.ts does for a flag). recvStartNs
 * is the start of the recvmsg that returned it.
 */
async function awaitHandoff(native: HandoffNative, sock: number, stopping: () => boolean) {
  let spins = 0;
  for (;;) {
    const recvStartNs = nowNs();
    const message = native.recvHandoff(sock, HANDOFF_HEADER_BYTES);
    if (message) return { ...message, recvStartNs };
    if (stopping()) throw new Error('stopped while waiting for the hand-over');
    if (++spins < 2000) continue;
    spins = 0;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const handoffMemfd = handoff(false);
export const handoffName = handoff(true);
