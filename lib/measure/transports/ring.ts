import * as path from 'node:path';
import { findTransport } from '../../model/catalog';
import type { TransferSpec } from '../../model/types';
import { nowNs } from '../clock';
import { encodedLength } from '../codecs/codec';
import type { PeerInfo } from '../control';
import type { MessageEnd } from '../messages/endpoint';
import { RING_HEAD_INDEX, RING_TAIL_INDEX, type Ring, recordBytes, ringAt, ringCapacityFor, ringRegionBytes } from '../ring-buffer';
import { createSharedFile, mapSharedFile, sharedMemoryRoot } from '../shared-memory';
import type { PeerContext, Transport } from '../transport';
import { freeSpaceLimit, serializerFor } from './common';

/**
 * ring — a shared-memory ring buffer per direction (lib/measure/ring-buffer.ts): each message is
 * one length-prefixed record in the spec's codec (v8 by default), copied into the ring by the
 * sender and out of it by the receiver. A full ring makes the sender wait: that is its
 * backpressure. The round trip's answers and the stream's acknowledgements take the second ring.
 *
 * Two rows, which differ only in how a peer waits for the other to move an index:
 * - `ring-thread`: two worker threads share a SharedArrayBuffer. A waiting peer spins on
 *   Atomics.load for up to THREAD_SPIN_NS, then sleeps in Atomics.wait on the index it waits for,
 *   woken by the other's Atomics.notify after each publish or release. The wait has a timeout
 *   (WAIT_SLICE_MS) after which the peer yields to its event loop once, so that a stop from the
 *   runner still gets in while the other side is gone or stuck.
 * - `ring`: two processes map one file in the run's private /dev/shm dir (the N-API addon). That
 *   memory is not a SharedArrayBuffer and Atomics.wait cannot wake another process, so the
 *   waiting peer polls: it spins on Atomics.load for PROCESS_SPIN_NS, then yields to the event
 *   loop with setImmediate between checks until PROCESS_YIELD_NS, then sleeps PROCESS_SLEEP_MS
 *   timers between checks. The spin is what makes it fast and what it costs: a peer waiting for
 *   an answer burns a core meanwhile, which the records' CPU-per-message fields show.
 */
const RING_FILE = 'ring';
/** How long a `ring-thread` peer spins before it sleeps in Atomics.wait. */
const THREAD_SPIN_NS = 5_000n;
const WAIT_SLICE_MS = 50;
/** How long a `ring` peer spins on Atomics.load before it yields to its event loop. */
const PROCESS_SPIN_NS = 50_000n;
/** How long a `ring` peer yields with setImmediate between checks before it sleeps on timers. */
const PROCESS_YIELD_NS = 2_000_000n;
/** The timer a `ring` peer sleeps between checks after PROCESS_YIELD_NS. */
const PROCESS_SLEEP_MS = 1;
/** How the rings' peers wait (the constants above), in seconds: the messages notebook quotes them. */
export const RING_WAITING = {
  processSpinSeconds: Number(PROCESS_SPIN_NS) * 1e-9,
  processYieldSeconds: Number(PROCESS_YIELD_NS) * 1e-9,
  processSleepSeconds: PROCESS_SLEEP_MS * 1e-3,
  threadSpinSeconds: Number(THREAD_SPIN_NS) * 1e-9,
};
/** Atomics.load checks between looks at the clock while spinning. */
const SPIN_CHECKS = 256;

const TRANSFER_REFUSAL = "ring carries messages; the one-shot transfer is raw-array's";

/** The ring capacity of a spec's messages: from its codec's bound on one encoded message. */
function capacityOf(spec: TransferSpec): number {
  return ringCapacityFor(largestBodyBytes(spec));
}

function largestBodyBytes(spec: TransferSpec): number {
  return serializerFor(spec).bytesBound(spec.payload, Math.ceil(Number(spec.messageBytes) / 4));
}

/** How a peer waits for the other to move a ring index: the one thing the two rows differ in. */
interface Waiting {
  /**
   * Wait a while for `header[index]` to differ from `seen` (the wait began at `sinceNs`, which sets
   * the backoff). May return early: the caller checks again. Undefined when it did not yield.
   */
  pause(header: Int32Array, index: number, seen: number, sinceNs: bigint): Promise<void> | undefined;
  /** After moving `header[index]`: wake a peer that sleeps on it. */
  wake(header: Int32Array, index: number): void;
}

function spun(header: Int32Array, index: number, seen: number): boolean {
  for (let i = 0; i < SPIN_CHECKS; i++) if (Atomics.load(header, index) !== seen) return true;
  return false;
}

const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));

const threadWaiting: Waiting = {
  pause(header, index, seen, sinceNs) {
    if (spun(header, index, seen) || nowNs() - sinceNs < THREAD_SPIN_NS) return undefined;
    return Atomics.wait(header, index, seen, WAIT_SLICE_MS) === 'timed-out' ? yieldOnce() : undefined;
  },
  wake: (header, index) => void Atomics.notify(header, index),
};

const processWaiting: Waiting = {
  pause(header, index, seen, sinceNs) {
    if (spun(header, index, seen)) return undefined;
    const waitedNs = nowNs() - sinceNs;
    if (waitedNs < PROCESS_SPIN_NS) return undefined;
    if (waitedNs < PROCESS_YIELD_NS) return yieldOnce();
    return new Promise((resolve) => setTimeout(resolve, PROCESS_SLEEP_MS));
  },
  wake: () => undefined,
};

/**
 * The message end over two rings: `out` this peer writes, `inbound` it reads. receive() rejects
 * once the other peer closed its ring and every record in it has been read, or when the runner
 * asks this peer to stop.
 */
function ringMessageEnd(out: Ring, inbound: Ring, spec: TransferSpec, waiting: Waiting, stopping: () => boolean): MessageEnd {
  const codec = serializerFor(spec);
  const kind = spec.payload;
  // A Buffer of its own (no pool, no zero fill): codecs read Buffers, and the raw codec keeps a view of it.
  const allocate = (bytes: number) => Buffer.allocUnsafeSlow(bytes);

  const decoded = (body: Uint8Array) => {
    waiting.wake(inbound.header, RING_HEAD_INDEX);
    return codec.decode(body, kind);
  };

  const readWaiting = async (): Promise<unknown> => {
    const sinceNs = nowNs();
    for (;;) {
      // The tail is read before the attempt, so a record published after it ends the wait at once.
      const seen = inbound.published();
      const body = inbound.tryRead(allocate);
      if (body) return decoded(body);
      if (inbound.closed) {
        const last = inbound.tryRead(allocate);
        if (last) return decoded(last);
        throw new Error('the peer closed its ring: no more messages will come');
      }
      if (stopping()) throw new Error('stopped while waiting for a message on the ring');
      const paused = waiting.pause(inbound.header, RING_TAIL_INDEX, seen, sinceNs);
      if (paused) await paused;
    }
  };

  const writeWaiting = async (chunks: Uint8Array[]): Promise<void> => {
    const sinceNs = nowNs();
    for (;;) {
      const seen = out.released();
      if (out.tryWrite(chunks)) return waiting.wake(out.header, RING_TAIL_INDEX);
      if (stopping()) throw new Error('stopped while waiting for room in the ring');
      const paused = waiting.pause(out.header, RING_HEAD_INDEX, seen, sinceNs);
      if (paused) await paused;
    }
  };

  return {
    flowControl: 'native',
    send(message) {
      const chunks = codec.encode(message);
      if (!out.tryWrite(chunks)) return writeWaiting(chunks);
      waiting.wake(out.header, RING_TAIL_INDEX);
      return undefined;
    },
    receive() {
      try {
        const body = inbound.tryRead(allocate);
        return body ? Promise.resolve(decoded(body)) : readWaiting();
      } catch (error) {
        return Promise.reject(error);
      }
    },
    wireBytes: (message) => recordBytes(encodedLength(codec.encode(message))),
    close() {
      out.close();
      waiting.wake(out.header, RING_TAIL_INDEX);
    },
  };
}

/** The two rings in one buffer: sender → receiver first, then receiver → sender. */
function endOf(ctx: PeerContext, buffer: ArrayBufferLike, waiting: Waiting): MessageEnd {
  const capacity = capacityOf(ctx.spec);
  const forward = ringAt(buffer, 0, capacity);
  const backward = ringAt(buffer, ringRegionBytes(capacity), capacity);
  const [out, inbound] = ctx.role === 'sender' ? [forward, backward] : [backward, forward];
  return ringMessageEnd(out, inbound, ctx.spec, waiting, ctx.stopping);
}

function ring(threads: boolean): Transport {
  const refuse = async (): Promise<never> => {
    throw new Error(TRANSFER_REFUSAL);
  };
  return {
    info: findTransport('node', threads ? 'ring-thread' : 'ring')!,
    topology: threads ? 'threads' : 'separate',

    limit(spec) {
      if ((spec.pattern ?? 'transfer') === 'transfer') return TRANSFER_REFUSAL;
      const codec = serializerFor(spec);
      const codecReason = codec.limit(spec.payload, Math.ceil(Number(spec.messageBytes) / 4));
      if (codecReason) return codecReason;
      const capacity = capacityOf(spec);
      const body = largestBodyBytes(spec);
      if (recordBytes(body) > capacity) {
        return `a ${spec.messageBytes}-byte ${spec.payload} message may take ${body} bytes in ${codec.id}, more than the largest ring (${capacity} bytes)`;
      }
      return threads ? null : freeSpaceLimit(sharedMemoryRoot(), 2 * ringRegionBytes(capacity), 'the two rings');
    },

    prepare(spec, dirs) {
      const none: PeerInfo = {};
      if ((spec.pattern ?? 'transfer') === 'transfer') return none;
      const ringPath = path.join(dirs.shmDir, RING_FILE);
      // Written, not a hole: tmpfs allocates the pages now, not during the warm-up.
      createSharedFile(ringPath, 2 * ringRegionBytes(capacityOf(spec)), { touch: true });
      return { ringPath };
    },

    hostSetup(spec) {
      const buffer = new SharedArrayBuffer(2 * ringRegionBytes(capacityOf(spec)));
      return { sender: { shared: buffer, transfer: [] }, receiver: { shared: buffer, transfer: [] } };
    },

    sender: refuse,
    receiver: refuse,

    async messages(ctx) {
      const buffer = threads
        ? (ctx.shared as SharedArrayBuffer)
        : mapSharedFile(String(ctx.prepared.ringPath), 2 * ringRegionBytes(capacityOf(ctx.spec)));
      const end = endOf(ctx, buffer, threads ? threadWaiting : processWaiting);
      await ctx.start();
      return end;
    },
  };
}

export const ringProcesses = ring(false);
export const ringThreads = ring(true);
