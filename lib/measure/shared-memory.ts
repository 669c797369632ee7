import * as fs from 'node:fs';
import { SHM_ADDON_PATH } from '../model/paths';

/**
 * Shared memory between two OS processes. Node cannot mmap, so a small N-API addon of ours
 * (native/shm.c) maps a file that both processes open: in /dev/shm (tmpfs) that file is memory,
 * not disk, like the anonymous arenas Python's multiprocessing.Array and RawArray use.
 * Between worker threads a SharedArrayBuffer does the same job without native code.
 */
interface NativeShm {
  map(filePath: string, bytes: number): ArrayBuffer;
}

let native: NativeShm | undefined;

/** The addon, loaded once (the hand-over's functions live in it too: lib/measure/handoff-memory.ts). */
export function loadNative(): NativeShm {
  if (native) return native;
  const addon = SHM_ADDON_PATH;
  if (!fs.existsSync(addon)) {
    throw new Error(`the shared-memory addon ${addon} is not built: run npm ci (it builds native/ with node-gyp)`);
  }
  native = require(addon) as NativeShm;
  return native;
}

/**
 * Create a file of `bytes` zero bytes that only this user can open (0600). Fails if it exists.
 * With `touch`, the zeros are written rather than left as a hole, so tmpfs allocates every page
 * now: as Python's Array and RawArray are created and zero-filled by the parent before its
 * children start, the transfer then copies into memory that exists instead of paying the first
 * touch of each page inside the timed region.
 */
export function createSharedFile(filePath: string, bytes: number, options: { touch?: boolean } = {}): void {
  const fd = fs.openSync(filePath, 'wx', 0o600);
  try {
    fs.ftruncateSync(fd, bytes);
    if (options.touch) {
      const zeros = Buffer.alloc(Math.min(bytes, 1 << 20));
      for (let offset = 0; offset < bytes; ) offset += fs.writeSync(fd, zeros, 0, Math.min(zeros.length, bytes - offset), offset);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Map a file created by createSharedFile; every process that maps it sees the same bytes. */
export function mapSharedFile(filePath: string, bytes: number): ArrayBuffer {
  return loadNative().map(filePath, bytes);
}

/**
 * The directory for shared-memory files: IPC_LAB_SHM_ROOT if set (tests; checkTempRoots in
 * tempdir.ts refuses a bad one before a sweep runs), else the /dev/shm tmpfs when the machine has
 * it as a directory this user may write to, else TMPDIR. One stat and one access call, no loop.
 */
export function sharedMemoryRoot(): string {
  if (process.env.IPC_LAB_SHM_ROOT) return process.env.IPC_LAB_SHM_ROOT;
  try {
    if (fs.statSync('/dev/shm').isDirectory()) {
      fs.accessSync('/dev/shm', fs.constants.W_OK | fs.constants.X_OK);
      return '/dev/shm';
    }
  } catch {
    /* missing, read-only or not ours: TMPDIR */
  }
  return require('node:os').tmpdir();
}

/**
 * Layout of every shared region ipc-lab makes: a 64-byte header (one cache line, so the flag and
 * the lock do not share a line with the data), then the int32 data.
 * Header words: [0] completion flag (0 = empty, 1 = complete), [1] lock (0 = free, 1 = held).
 */
export const HEADER_BYTES = 64;
export const FLAG_INDEX = 0;
export const LOCK_INDEX = 1;

/** A view of a shared region: its header words and its data. */
export interface SharedRegion {
  header: Int32Array;
  data: Int32Array;
}

export function regionOf(buffer: ArrayBufferLike, sizeElements: number): SharedRegion {
  return {
    header: new Int32Array(buffer, 0, HEADER_BYTES / 4),
    data: new Int32Array(buffer, HEADER_BYTES, sizeElements),
  };
}

export function regionBytes(sizeElements: number): number {
  return HEADER_BYTES + 4 * sizeElements;
}

/** Spin until the completion flag is set, yielding the CPU now and then. Atomics.wait cannot wake
 *  a waiter in another process, so between processes the receiver polls, as the article's does. */
export async function waitForFlag(header: Int32Array, shouldStop: () => boolean = () => false): Promise<void> {
  let spins = 0;
  while (Atomics.load(header, FLAG_INDEX) !== 1) {
    if (shouldStop()) throw new Error('stopped while waiting for the completion flag');
    if (++spins < 1000) continue;
    spins = 0;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export function setFlag(header: Int32Array): void {
  Atomics.store(header, FLAG_INDEX, 1);
}

/** A spin lock on a header word: compareExchange works across processes on shared pages. */
export function lock(header: Int32Array): void {
  while (Atomics.compareExchange(header, LOCK_INDEX, 0, 1) !== 0) {
    /* spin: the holder only ever holds it for one bulk copy */
  }
}

export function unlock(header: Int32Array): void {
  Atomics.store(header, LOCK_INDEX, 0);
}
